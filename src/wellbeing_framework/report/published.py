"""Every number a report publishes, computed once and passed through disclosure control."""

from __future__ import annotations

from typing import cast

import pandas as pd
from attrs import field, frozen

from wellbeing_framework.cohort import (
    ChangeResult,
    DisclosurePolicy,
    change,
    compare_groups,
    continuum_mix,
    reliability,
    snapshot,
    trajectory,
)
from wellbeing_framework.cohort.select import Which, choose_rows
from wellbeing_framework.continuum import ContinuumRules, place_on_continuum
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Framework
from wellbeing_framework.scoring import ScoringRules, band_codes, score
from wellbeing_framework.shapes import detect_shape, to_wide
from wellbeing_framework.validation import validate

__all__ = [
    "MIN_TRAJECTORY_WAVES",
    "RATER_ROLES",
    "Published",
    "flag_sentences",
    "published_tables",
    "rater_words",
]

#: A trajectory section is shown from this many waves.
MIN_TRAJECTORY_WAVES = 3


@frozen(kw_only=True, eq=False)
class Published:
    """Every table the report publishes, after disclosure control (internal).

    A section whose table is ``None`` is not shown; ``reasons`` says why, in a sentence.
    """

    policy: DisclosurePolicy
    n_people: int | None
    n_assessments: int | None
    n_followed: int | None = None
    period: str | None
    rater: str | None = None
    when: tuple[str, str] = ("baseline", "the latest assessment")
    flagged: dict[str, int | None] = field(factory=dict)
    flag_rules: tuple[str, ...] = ()
    profile_first: pd.Series | None = None
    profile_last: pd.Series | None = None
    snapshot_first: pd.DataFrame | None = None
    snapshot_last: pd.DataFrame | None = None
    change: ChangeResult | None = None
    trajectory: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    group: str | None = None
    mix: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    reasons: dict[str, str] = field(factory=dict)


def flag_sentences(rules: ScoringRules) -> tuple[str, ...]:
    """Each flag's rule as a sentence: "A safeguarding flag is raised when ..."."""
    return tuple(
        f"A {f.name} flag is raised when "
        + (
            f.description
            or f"any of {', '.join(f.indicators)} is rated at or below "
            + ("the scale minimum" if f.at_most is None else str(f.at_most))
        )
        + "."
        for f in rules.flags or ()
    )


def _check_occasions(baseline: Which, follow_up: Which) -> None:
    """Refuse a baseline and follow-up that cannot be a before and an after."""
    if isinstance(baseline, str) and baseline.strip().lower() == "last":
        msg = "the baseline is 'first' or a wave number, not 'last'"
        raise ValueError(msg)
    if isinstance(follow_up, str) and follow_up.strip().lower() == "first":
        msg = "the follow-up is 'last' or a wave number, not 'first'"
        raise ValueError(msg)
    waves = [w for w in (baseline, follow_up) if isinstance(w, int | float)]
    if len(waves) == 2 and waves[1] <= waves[0]:
        msg = f"the follow-up (wave {follow_up}) must come after the baseline (wave {baseline})"
        raise ValueError(msg)


def _group_column(group: str | None, scores: pd.DataFrame, reasons: dict[str, str]) -> str | None:
    """The grouping column, if the data has it: the default is optional (its absence is
    said), a column asked for by name is not."""
    if group is None or group in scores:
        return group
    if group != "client_group":
        raise KeyError(_no_column(group, scores))
    reasons["groups"] = (
        "The data has no client_group column, so groups are not compared; choose the "
        "column to compare with --group-by COLUMN (group= in Python)."
    )
    return None


def _no_column(group: str, scores: pd.DataFrame) -> str:
    """The message for a grouping column the data lacks, naming a near match if any."""

    def squeeze(text: object) -> str:
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    near = [str(c) for c in scores.columns if squeeze(c) == squeeze(group)]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"the data has no {group!r} column to group by{hint}"


def _period(scores: pd.DataFrame) -> str | None:
    if "assessment_date" not in scores or scores["assessment_date"].isna().all():
        return None
    dates = scores["assessment_date"]  # read once, by the one date rule, when scored
    return f"{dates.min():%B %Y} to {dates.max():%B %Y}"


def published_tables(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    rules: ScoringRules | None = None,
    continuum_rules: ContinuumRules | None = None,
    policy: DisclosurePolicy | str | None = None,
    group: str | None = "client_group",
    baseline: Which = "first",
    follow_up: Which = "last",
    seed: int = 0,
    dayfirst: bool = True,
    date_format: str | None = None,
    rater: str | None = None,
) -> Published:
    """Score the ratings and compute every table the report publishes (internal).

    When the whole cohort is too small to publish, nothing but that fact is published.
    """
    policy = DisclosurePolicy.preset(policy) if isinstance(policy, str) else policy
    policy = policy or DisclosurePolicy()
    _check_occasions(baseline, follow_up)
    resolved = (rules or ScoringRules()).resolve(framework)
    checked = validate(ratings, framework, dayfirst=dayfirst, date_format=date_format)
    if not checked.ok:
        raise ValidationError(checked)
    valid = checked.valid  # dates read once, by the rule asked for
    wide = to_wide(valid, framework) if detect_shape(valid) == "long" else valid
    scores = score(wide, framework, resolved)
    reasons: dict[str, str] = {}
    group = _group_column(group, scores, reasons)
    people = scores["person_id"].nunique() if "person_id" in scores else len(scores)
    n_people = policy.apply_total(float(people))
    if n_people is None or n_people == 0:
        return Published(
            policy=policy,
            n_people=None,
            n_assessments=None,
            period=None,
            reasons={
                "cohort": f"This cohort has fewer than {policy.threshold} people, so no "
                "statistics are published: any figure could identify someone."
            },
        )
    rater = _whose(scores, rater)
    result = _change(wide, framework, policy, rater, seed, baseline, follow_up, reasons)
    placed = place_on_continuum(scores, framework, continuum_rules)
    first = scores.iloc[choose_rows(scores, baseline, rater=rater)]
    last = scores.iloc[choose_rows(scores, follow_up, rater=rater)]
    latest_placed = placed.iloc[choose_rows(placed, follow_up, rater=rater)]
    baseline_rows = wide.iloc[choose_rows(wide, baseline, rater=rater)]
    comparison = (
        None if group is None else compare_groups(last, framework, by=group, policy=policy)
    )
    return Published(
        policy=policy,
        n_people=n_people,
        n_assessments=policy.apply_total(float(len(scores))),
        n_followed=_followed(scores, rater, policy),
        period=_period(scores),
        rater=rater,
        when=(_label(baseline, "baseline"), _label(follow_up, "the latest assessment")),
        flagged=_flagged(
            scores, last, policy, rater, _label(follow_up, "their latest assessment")
        ),
        flag_rules=flag_sentences(resolved),
        profile_first=_mean_profile(first, framework, policy, resolved),
        profile_last=_mean_profile(last, framework, policy, resolved),
        snapshot_first=snapshot(scores, framework, baseline, policy=policy, rater=rater),
        snapshot_last=snapshot(scores, framework, follow_up, policy=policy, rater=rater),
        change=result,
        trajectory=_trajectory(scores, framework, policy, rater, reasons),
        groups=comparison,
        group=group,
        mix=continuum_mix(latest_placed, policy=policy),
        reliability=reliability(baseline_rows, framework, policy=policy),
        reasons=reasons,
    )


def _change(
    wide: pd.DataFrame,
    framework: Framework,
    policy: DisclosurePolicy,
    rater: str | None,
    seed: int,
    baseline: Which,
    follow_up: Which,
    reasons: dict[str, str],
) -> ChangeResult | None:
    try:
        result = change(
            wide, framework, baseline, follow_up, policy=policy, rater=rater, seed=seed
        )
    except (ValueError, KeyError) as exc:
        reasons["change"] = f"Change cannot be computed: {exc}."
        return None
    if result.people["difference"].notna().sum() == 0:
        same = _same_wave(wide, baseline, follow_up)
        if same:
            reasons["change"] = same
            return None
        reasons["change"] = (
            "Change needs two assessments of the same person; everyone in this cohort has "
            "one (or none after their first)."
        )
        return None
    return result


def _same_wave(wide: pd.DataFrame, baseline: Which, follow_up: Which) -> str:
    """Why change is empty when a chosen wave is also the first or the last one."""
    if "wave" not in wide:
        return ""
    waves = pd.to_numeric(wide["wave"], errors="coerce")
    if isinstance(baseline, int) and follow_up == "last" and waves.max() <= baseline:
        return (
            f"Change cannot be computed: the baseline is wave {baseline}, and no one was "
            "assessed after it; choose an earlier baseline."
        )
    if isinstance(follow_up, int) and baseline == "first" and waves.min() >= follow_up:
        return (
            f"Change cannot be computed: the follow-up is wave {follow_up}, the first wave; "
            "choose a later follow-up."
        )
    return ""


def _trajectory(
    scores: pd.DataFrame,
    framework: Framework,
    policy: DisclosurePolicy,
    rater: str | None,
    reasons: dict[str, str],
) -> pd.DataFrame | None:
    if "wave" not in scores:
        reasons["trajectory"] = "There is no wave column, so there is no trajectory over waves."
        return None
    waves = pd.to_numeric(scores["wave"], errors="coerce").nunique()
    if waves < MIN_TRAJECTORY_WAVES:
        reasons["trajectory"] = (
            f"A trajectory is shown from {MIN_TRAJECTORY_WAVES} waves; this cohort has {waves}."
        )
        return None
    try:
        table = trajectory(scores, framework, measure=None, rater=rater, policy=policy)
    except ValueError as exc:
        reasons["trajectory"] = f"There is no trajectory over waves: {exc}."
        return None
    return _guard_ends(table, scores, rater, policy)


def _guard_ends(
    table: pd.DataFrame, scores: pd.DataFrame, rater: str | None, policy: DisclosurePolicy
) -> pd.DataFrame:
    """Hide the first or last wave when it differs from everyone by a few people.

    The overview publishes the mean profile of everyone's first and last assessments. The
    first wave's people have their first assessment in it, and the last wave's their last,
    so the difference of the two means would give the mean of the few people who joined
    late, or left early, whenever there are between 1 and the threshold of them.
    """
    own = scores
    if rater is not None and "rater" in scores:
        own = scores[(scores["rater"] == rater).to_numpy(dtype=bool, na_value=False)]
    waves = pd.to_numeric(own["wave"], errors="coerce")
    everyone = own["person_id"].nunique()
    out = table.copy()
    for at in (waves.min(), waves.max()):
        missing = everyone - own.loc[(waves == at).to_numpy(), "person_id"].nunique()
        if 0 < missing < policy.threshold:
            rows = (out["wave"] == at).to_numpy()
            figures = [c for c in out.columns if c not in ("measure", "title", "wave", "note")]
            out.loc[rows, figures] = pd.NA
            out.loc[rows, "note"] = (
                "suppressed: a few people were not assessed at this wave, and comparing it "
                "with the overview would reveal their scores"
            )
    return out


#: Rater values that name a role, not a person: shown in a report as they are.
RATER_ROLES = frozenset(("self", "practitioner", "carer", "family", "goal", "all"))


def rater_words(rater: str | None) -> str:
    """Whose assessments a report follows, without naming a person: a role is shown,
    any other value (it may be someone's name) is not."""
    if rater is None:
        return "all raters"
    if rater.strip().lower() in RATER_ROLES:
        return rater.strip().lower()
    return "one rater, chosen by name (the name is not shown)"


def _followed(scores: pd.DataFrame, rater: str | None, policy: DisclosurePolicy) -> int | None:
    """Assessments by the rater followed, controlled with the others' as parts of the
    total, so the difference never gives a small count."""
    if rater is None or "rater" not in scores:
        return None
    own = int((scores["rater"] == rater).to_numpy(dtype=bool, na_value=False).sum())
    parts = policy.apply(pd.Series([float(own), float(len(scores) - own)]), total=True)
    return None if parts.iloc[0] is pd.NA else int(parts.iloc[0])


def _label(which: Which, default: str) -> str:
    """How a baseline or follow-up choice reads in a sentence: "wave 2", or the default."""
    return f"wave {which}" if isinstance(which, int | float) else default


def _flagged(
    scores: pd.DataFrame,
    last: pd.DataFrame,
    policy: DisclosurePolicy,
    rater: str | None,
    latest_label: str,
) -> dict[str, int | None]:
    """People with each flag raised at any assessment, by any rater, and at their latest
    assessment by the rater followed: the latest count and the rest are parts of the
    first, controlled together so that neither can be worked out from the other."""
    own = scores  # a flag raised by anyone matters
    out: dict[str, int | None] = {}
    for column in [c for c in own.columns if c.startswith("flag_")]:
        raised = own[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
        ever = own.loc[raised, "person_id"].nunique() if "person_id" in own else raised.sum()
        now = int(last[column].astype("boolean").fillna(False).sum())
        parts = policy.apply(pd.Series([float(now), float(ever - now)]), total=True)
        name = column.removeprefix("flag_")
        out[f"{name}: at any assessment, by any rater"] = policy.apply_total(float(ever))
        latest = parts.iloc[0]
        whose = f" ({rater_words(rater)})" if rater else ""
        out[f"{name}: at {latest_label}{whose}"] = None if latest is pd.NA else int(latest)
    return out


def _mean_profile(
    rows: pd.DataFrame, framework: Framework, policy: DisclosurePolicy, rules: ScoringRules
) -> pd.Series | None:
    """Mean domain and centre scores of a set of assessments (aggregate, rounded to one
    decimal), with the band of each mean."""
    keys = [d.key for d in framework.domains] + [c.key for c in framework.centre] + ["index"]
    present = [k for k in keys if k in rows]
    if policy.apply_total(float(len(rows))) is None:
        return None
    values = rows[present].apply(pd.to_numeric, errors="coerce")
    few = [k for k in present if policy.apply_total(float(values[k].notna().sum())) is None]
    means = values.mean().round(1)
    means[few] = float("nan")  # a mean of a few people is not published
    labels = [b.label for b in rules.bands or ()]
    codes = band_codes(means.to_numpy(dtype=float), rules.bands or ())
    bands = pd.Series(
        [labels[c] if c >= 0 else None for c in codes], index=[f"{k}_band" for k in present]
    )
    return cast("pd.Series", pd.concat([means.astype(object), bands]))


def _whose(scores: pd.DataFrame, rater: str | None) -> str | None:
    """Whose assessments the report follows: ``rater`` if given, else self-ratings when
    there are any, else everyone's when only one rater appears."""
    if rater is not None or "rater" not in scores:
        return rater
    raters = scores["rater"].dropna().unique()
    if "self" in set(raters):
        return "self"
    if len(raters) > 1:  # the names are not shown: they may identify someone
        msg = (
            f"the rater column holds {len(raters)} different raters and none is 'self': "
            "choose whose assessments to report (wellbeing report --rater NAME, or rater= "
            "in Python)"
        )
        raise ValueError(msg)
    return None
