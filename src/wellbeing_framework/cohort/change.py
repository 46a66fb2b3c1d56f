"""Change over time: reliable change (Jacobson & Truax), band transitions, cohort summary."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Literal, cast

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.reliability import (
    cronbach_alpha,
    item_matrix,
    stratified_alpha,
)
from wellbeing_framework.cohort.select import Which, choose_rows, occasion
from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.scoring import score_with_ratings, with_band_categories
from wellbeing_framework.shapes import detect_shape

__all__ = [
    "CATEGORIES",
    "ChangeResult",
    "Cutoffs",
    "bootstrap_mean_ci",
    "change",
    "effect_size_ci",
    "jacobson_truax_cutoffs",
    "reliable_change",
]

CATEGORIES = ("improved", "no reliable change", "deteriorated")
Z_975 = 1.959963984540054


def reliable_change(
    pre: pd.Series | np.ndarray,
    post: pd.Series | np.ndarray,
    reliability: float,
    sd: float | None = None,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Jacobson & Truax reliable change index for each person.

    Parameters
    ----------
    pre, post
        Scores before and after, aligned (missing values give missing results).
    reliability
        Reliability of the measure (e.g. Cronbach's alpha or test-retest r), in (0, 1).
    sd
        Standard deviation of the pre scores in the reference population; ``None`` uses the
        sample SD of ``pre`` (ddof 1).
    higher_is_better
        True when a rise is an improvement (all 0-100 scores of this library).

    Returns
    -------
    pandas.DataFrame
        ``change`` (post - pre), ``rci`` and ``category`` (``"improved"``,
        ``"no reliable change"`` or ``"deteriorated"``), with the index of ``pre`` when it is
        a Series.

    Notes
    -----
    :math:`SE = SD_1\\sqrt{1 - r}`, :math:`S_{diff} = \\sqrt{2}\\,SE`,
    :math:`RC = (x_2 - x_1) / S_{diff}`; a change is reliable when :math:`|RC| > 1.96`.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
       to defining meaningful change in psychotherapy research. *Journal of Consulting and
       Clinical Psychology*, 59(1), 12-19.

    Examples
    --------
    Jacobson & Truax's worked example: SD 7.5, reliability 0.88, a change from 32 to 20.

    >>> out = reliable_change([32.0], [20.0], reliability=0.88, sd=7.5, higher_is_better=False)
    >>> round(float(out.loc[0, "rci"]), 2), out.loc[0, "category"]
    (-3.27, 'improved')
    """
    if not 0 < reliability < 1:
        msg = f"reliability must be between 0 and 1 (exclusive), got {reliability}"
        raise ValueError(msg)
    index = pre.index if isinstance(pre, pd.Series) else None
    x1 = np.asarray(pd.Series(np.asarray(pre)).to_numpy(dtype=float, na_value=np.nan))
    x2 = np.asarray(pd.Series(np.asarray(post)).to_numpy(dtype=float, na_value=np.nan))
    if x1.shape != x2.shape:
        msg = f"pre and post differ in length ({len(x1)} and {len(x2)})"
        raise ValueError(msg)
    if sd is not None:
        spread = float(sd)
    elif np.count_nonzero(~np.isnan(x1)) < 2:
        spread = float("nan")  # no spread from fewer than two scores: no RCI
    else:
        spread = float(np.nanstd(x1, ddof=1))
    s_diff = math.sqrt(2.0) * spread * math.sqrt(1.0 - reliability)
    diff = x2 - x1
    with np.errstate(invalid="ignore", divide="ignore"):
        rci = diff / s_diff
    better = rci if higher_is_better else -rci
    codes = np.select([better > Z_975, better < -Z_975, ~np.isnan(rci)], [0, 2, 1], default=-1)
    cat = pd.Categorical.from_codes(
        codes.astype(np.int64), dtype=pd.CategoricalDtype(list(CATEGORIES))
    )
    return pd.DataFrame({"change": diff, "rci": rci, "category": cat}, index=index)


@frozen(kw_only=True)
class Cutoffs:
    """Jacobson & Truax's cut-offs for clinically significant change.

    ``a``: two SDs beyond the dysfunctional mean; ``b``: two SDs short of the functional mean;
    ``c``: where the two distributions meet, weighted by their SDs.
    """

    a: float
    b: float | None
    c: float | None


def jacobson_truax_cutoffs(
    mean_dysfunctional: float,
    sd_dysfunctional: float,
    mean_functional: float | None = None,
    sd_functional: float | None = None,
    higher_is_better: bool = True,
) -> Cutoffs:
    """Cut-offs a, b and c for clinically significant change (Jacobson & Truax, 1991).

    Parameters
    ----------
    mean_dysfunctional, sd_dysfunctional
        Mean and SD of the dysfunctional (e.g. baseline, service-using) population.
    mean_functional, sd_functional
        Mean and SD of the functional population (needed for b and c).
    higher_is_better
        Direction of the scale.

    Returns
    -------
    Cutoffs
        ``a = M_dys ± 2 SD_dys``, ``b = M_func ∓ 2 SD_func`` (the functional population's SD),
        ``c = (SD_dys M_func + SD_func M_dys) / (SD_dys + SD_func)``.

    Examples
    --------
    >>> jacobson_truax_cutoffs(40, 10, 70, 8)
    Cutoffs(a=60, b=54, c=56.666666666666664)
    """
    sign = 1 if higher_is_better else -1
    a = mean_dysfunctional + sign * 2 * sd_dysfunctional
    if mean_functional is None or sd_functional is None:
        return Cutoffs(a=a, b=None, c=None)
    b = mean_functional - sign * 2 * sd_functional
    c = (sd_dysfunctional * mean_functional + sd_functional * mean_dysfunctional) / (
        sd_dysfunctional + sd_functional
    )
    return Cutoffs(a=a, b=b, c=c)


def bootstrap_mean_ci(
    values: np.ndarray, *, n_boot: int = 2000, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of a mean.

    Resampling n values with replacement is the same as drawing multinomial counts over
    the distinct values, which is what this does: exact, and fast however large n is
    (scores take few distinct values).

    Examples
    --------
    >>> low, high = bootstrap_mean_ci(np.array([1.0, 2, 3, 4, 5, 6, 7, 8]), seed=1)
    >>> bool(low < 4.5 < high)
    True
    """
    x = values[~np.isnan(values)]
    if len(x) < 2:
        return float("nan"), float("nan")
    unique, counts = np.unique(np.round(x, 9), return_counts=True)  # merge float noise
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(len(x), counts / len(x), size=n_boot)
    means = draws @ unique / len(x)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def _mdc95(
    baseline: np.ndarray, r: float, usable: bool, n_shown: int | None, policy: DisclosurePolicy
) -> float:
    """Minimal detectable change: 1.96 x sqrt(2) x SEM, SEM = SD at baseline x sqrt(1 - r),
    the same threshold reliable change uses, in score points."""
    if not usable or n_shown is None or np.count_nonzero(~np.isnan(baseline)) < 2:
        return float("nan")
    sem = float(np.nanstd(baseline, ddof=1)) * float(np.sqrt(1.0 - r))
    return float(policy.statistic(Z_975 * float(np.sqrt(2.0)) * sem))


def effect_size_ci(
    before: np.ndarray, after: np.ndarray, level: float = 0.95
) -> tuple[float, float]:
    """Interval of the standardised mean change d = mean(after - before) / SD(before).

    Uses the large-sample variance of Becker (1988) for d standardised by the baseline
    SD, :math:`2 (1 - \\rho) / n + d^2 / (2 (n - 1))`, with :math:`\\rho` the
    baseline-follow-up correlation.

    References
    ----------
    .. [1] Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British
       Journal of Mathematical and Statistical Psychology*, 41(2), 257-278.

    Examples
    --------
    >>> low, high = effect_size_ci(np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 3, 3, 5, 6]))
    >>> round(low, 2), round(high, 2)
    (0.08, 0.93)
    """
    from scipy import stats  # imported when first needed: a slow import

    n = len(before)
    sd0 = float(np.std(before, ddof=1)) if n > 1 else 0.0
    if n < 3 or sd0 == 0 or float(np.std(after, ddof=1)) == 0:
        return float("nan"), float("nan")
    d = float((after - before).mean()) / sd0
    rho = float(np.corrcoef(before, after)[0, 1])
    se = float(np.sqrt(2 * (1 - rho) / n + d**2 / (2 * (n - 1))))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return d - z * se, d + z * se


@frozen(kw_only=True, eq=False)
class ChangeResult:
    """Change from baseline to follow-up: per person, and a publishable cohort summary.

    Attributes
    ----------
    people : pandas.DataFrame
        One row per person and measure (identifiers included: for analysis, not for
        publication).
    summary : pandas.DataFrame
        One row per measure, every count through the disclosure policy.
    policy : DisclosurePolicy
    note : str
        How baseline, follow-up and reliability were chosen.
    """

    people: pd.DataFrame
    summary: pd.DataFrame
    policy: DisclosurePolicy
    note: str

    def _repr_html_(self) -> str:
        table = self.summary.to_html(index=False, na_rep="", float_format=lambda v: f"{v:.2f}")
        return (
            f"<div><p>{html.escape(self.note)}</p>{table}"
            f"<p><em>{html.escape(self.policy.describe())}</em></p></div>"
        )


def _is_ratings(data: pd.DataFrame, framework: Framework) -> bool:
    if detect_shape(data) == "long":
        return True
    return any(k in data.columns for k in framework.indicator_keys)


def _alpha_for(ratings: pd.DataFrame, framework: Framework, domain: Domain | None) -> float:
    if domain is not None:
        x = item_matrix(ratings, framework, domain)
    else:  # the index: every indicator
        x = np.column_stack([item_matrix(ratings, framework, d) for d in framework.domains])
    return cronbach_alpha(x, "pairwise")[0]


def _given_reliability(
    reliability: float | Mapping[str, float] | None, keys: list[str]
) -> dict[str, tuple[float, str]] | None:
    if reliability is None:
        return None
    if isinstance(reliability, Mapping):
        return {k: (float(reliability[k]), "given") for k in keys}
    return dict.fromkeys(keys, (float(reliability), "given"))


def _baseline_reliability(
    ratings: pd.DataFrame,
    scores: pd.DataFrame,
    framework: Framework,
    index_reliability: str,
) -> dict[str, tuple[float, str]]:
    """Each domain's alpha at baseline, and the index's stratified (or pooled) alpha."""
    out = {
        d.key: (_alpha_for(ratings, framework, d), "Cronbach's alpha at baseline")
        for d in framework.domains
    }
    if index_reliability == "pooled":
        out["index"] = (_alpha_for(ratings, framework, None), "alpha of all items pooled")
    else:
        parts = scores[[d.key for d in framework.domains]].to_numpy(dtype=float, na_value=np.nan)
        value, _ = stratified_alpha(parts, [out[d.key][0] for d in framework.domains])
        out["index"] = (value, "stratified alpha of the domains at baseline")
    return out


def change(
    data: pd.DataFrame,
    framework: Framework,
    baseline: Which = "first",
    follow_up: Which = "last",
    reliability: float | Mapping[str, float] | None = None,
    *,
    rater: str | None = "self",
    policy: DisclosurePolicy | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    person: str = "person_id",
    date: str = "assessment_date",
    index_reliability: Literal["stratified", "pooled"] = "stratified",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> ChangeResult:
    """Change per person from baseline to follow-up, with reliable change and a summary.

    Parameters
    ----------
    data
        Ratings (wide or long; scored here) or a scores table from
        :func:`~wellbeing_framework.score`.
    framework
        The framework.
    baseline, follow_up
        Which assessment of each person: ``"first"``, ``"last"``, a wave number or a date
        (one per person).
    reliability
        Reliability for the reliable change index: one number, or one per measure
        (domain keys and ``"index"``). ``None``: each domain's Cronbach's alpha at baseline
        (pairwise) and, for the index, the stratified alpha of the domains (see
        ``index_reliability``); this needs ``data`` to be ratings. The note says which.
    rater
        Keep only this rater's assessments (when there is a ``rater`` column).
    policy
        Disclosure control for the published counts (default
        :class:`~wellbeing_framework.DisclosurePolicy`).
    n_boot, seed
        Bootstrap resamples and seed for the confidence interval of the mean change.
    index_reliability
        How the index's reliability is estimated when ``reliability`` is ``None``:
        ``"stratified"`` (default) — stratified alpha of the domain scores (Cronbach,
        Schoenemann & McKie, 1965), right for a composite of distinct domains; ``"pooled"``
        — alpha of all items pooled, which treats the index as one scale and understates
        its reliability when the domains differ.
    dayfirst, date_format
        How text dates in ratings are read, as in :func:`~wellbeing_framework.validate`.

    Returns
    -------
    ChangeResult
        ``people``: ``person_id``, ``measure``, ``baseline``, ``follow_up``, ``difference``,
        ``rci``, ``category``, ``baseline_band``, ``follow_up_band``, ``transition``
        (``"managing -> thriving"``).
        ``summary``: ``measure``, ``reliability``, ``reliability_source``, ``n``,
        ``mean_baseline``, ``mean_follow_up``, ``mean_change``, ``ci_low``, ``ci_high``
        (percentile bootstrap), ``effect_size`` (mean change / SD at baseline) with
        ``effect_low``/``effect_high`` (:func:`~wellbeing_framework.cohort.change.effect_size_ci`),
        ``mdc95`` (the minimal
        detectable change, 1.96 x sqrt(2) x SEM with SEM = SD at baseline x sqrt(1 - r):
        the smallest change of one person that is reliable, in score points),
        ``improved``, ``no_reliable_change``, ``deteriorated`` and ``note`` (why a figure is
        missing). Counts pass through the policy; every statistic of a measure whose n is
        suppressed is suppressed too.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance. *Journal of Consulting
       and Clinical Psychology*, 59(1), 12-19.
    .. [2] Kazis, L. E., Anderson, J. J., & Meenan, R. F. (1989). Effect sizes for
       interpreting changes in health status. *Medical Care*, 27(3 Suppl), S178-S189.
    .. [3] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> result = wf.cohort.change(wf.make_cohort(400, waves=3, seed=2), fw)
    >>> result.summary["measure"].tolist()
    ['rb', 'pm', 'ir', 'sw', 'index']
    >>> counts = result.summary.loc[0, ["n", "improved", "no_reliable_change", "deteriorated"]]
    >>> [int(c) for c in counts]
    [400, 40, 350, 10]
    >>> print(result.note)  # doctest: +ELLIPSIS
    Baseline: first assessment; follow-up: last assessment; rater: self. Reliability: ...
    """
    policy = policy or DisclosurePolicy()
    ratings = None
    if _is_ratings(data, framework):
        scores, ratings = score_with_ratings(
            data, framework, person=person, date=date, dayfirst=dayfirst, date_format=date_format
        )
    else:
        scores = with_band_categories(data, framework)
    codes = pd.factorize(scores[person])[0]
    if str(baseline) == str(follow_up):
        msg = f"baseline and follow-up are the same ({baseline!r}): choose two occasions"
        raise ValueError(msg)
    dates = {"dayfirst": dayfirst, "date_format": date_format}
    base_rows, follow_rows = _pairs(
        scores,
        codes,
        baseline,
        follow_up,
        person=person,
        date=date,
        rater=rater,
        dayfirst=dayfirst,
        date_format=date_format,
    )
    keys = [d.key for d in framework.domains] + ["index"]
    given = _given_reliability(reliability, keys)
    if given is None:
        if ratings is None:
            msg = (
                "reliability= is needed when data is a scores table (item ratings are "
                "required to compute Cronbach's alpha)"
            )
            raise ValueError(msg)
        who = {"person": person, "date": date, "rater": rater, **dates}
        base_ratings = ratings.iloc[choose_rows(ratings, baseline, **who)]  # type: ignore[arg-type]
        base_scores = scores.iloc[choose_rows(scores, baseline, codes=codes, **who)]  # type: ignore[arg-type]
        given = _baseline_reliability(base_ratings, base_scores, framework, index_reliability)
    people, rows = [], []
    for key in keys:
        r, source = given[key]
        table = _person_table(scores, key, keys, r, base_rows, follow_rows, person=person)
        people.append(table)
        rows.append(_summary_row(key, table, r, source, policy, n_boot, seed))
    summary = pd.DataFrame(rows)
    summary.attrs["disclosure"] = policy.describe()
    return ChangeResult(
        people=pd.concat(people, ignore_index=True),
        summary=summary,
        policy=policy,
        note=_change_note(summary, baseline, follow_up, rater, policy),
    )


def _pairs(
    scores: pd.DataFrame,
    codes: np.ndarray,
    baseline: Which,
    follow_up: Which,
    *,
    person: str,
    date: str,
    rater: str | None,
    dayfirst: bool,
    date_format: str | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of each person's baseline and follow-up, the follow-up strictly later."""
    dates = {"dayfirst": dayfirst, "date_format": date_format}
    when = occasion(scores, date=date, **dates)  # type: ignore[arg-type]
    if when is None:
        msg = (
            f"change needs an {date!r} or 'wave' column to tell each person's baseline from "
            "their follow-up"
        )
        raise ValueError(msg)
    who = {"person": person, "date": date, "rater": rater, "codes": codes, **dates}
    base_rows = choose_rows(scores, baseline, **who)  # type: ignore[arg-type]
    follow_rows = choose_rows(scores, follow_up, **who)  # type: ignore[arg-type]
    _, in_base, in_follow = np.intersect1d(
        codes[base_rows], codes[follow_rows], assume_unique=True, return_indices=True
    )
    base_rows, follow_rows = base_rows[in_base], follow_rows[in_follow]
    # a person assessed once is never paired with themselves
    later = when[follow_rows] > when[base_rows]
    if len(later) and not later.any() and (when[follow_rows] < when[base_rows]).any():
        msg = (
            f"the follow-up ({follow_up}) comes before the baseline ({baseline}) for everyone; "
            "swap them"
        )
        raise ValueError(msg)
    return base_rows[later], follow_rows[later]


def _person_table(
    scores: pd.DataFrame,
    key: str,
    keys: list[str],
    r: float,
    base_rows: np.ndarray,
    follow_rows: np.ndarray,
    *,
    person: str,
) -> pd.DataFrame:
    """One row per paired person for one measure: scores, reliable change, bands."""
    values = scores[key].to_numpy(dtype=float, na_value=np.nan)
    pre, post = values[base_rows], values[follow_rows]
    if 0 < r < 1:
        rc = reliable_change(pre, post, r)
    else:  # no usable reliability: no reliable change, said in the summary's note
        rc = reliable_change(pre, post, 0.5)
        rc["rci"] = np.nan
        rc["category"] = pd.Categorical.from_codes(
            np.full(len(rc), -1), dtype=pd.CategoricalDtype(list(CATEGORIES))
        )
    bands = scores[f"{key}_band"]
    table = pd.DataFrame(
        {
            person: scores[person].take(base_rows).array,  # stays in its own dtype
            "measure": pd.Categorical.from_codes(
                np.full(len(pre), keys.index(key)), dtype=pd.CategoricalDtype(keys)
            ),
            "baseline": pre,
            "follow_up": post,
            "difference": rc["change"].to_numpy(),
            "rci": rc["rci"].to_numpy(),
            "category": rc["category"].array,
            "baseline_band": bands.take(base_rows).array,
            "follow_up_band": bands.take(follow_rows).array,
        }
    )
    table["transition"] = _transitions(table["baseline_band"], table["follow_up_band"])
    return table


def _change_note(
    summary: pd.DataFrame,
    baseline: Which,
    follow_up: Which,
    rater: str | None,
    policy: DisclosurePolicy,
) -> str:
    """How baseline, follow-up and reliability were chosen, in a sentence or two."""
    what = {"first": "first assessment", "last": "last assessment"}

    def occasion(which: object) -> str:
        if isinstance(which, str):
            return what.get(which.strip().lower(), f"as at {which}")
        if isinstance(which, pd.Timestamp):
            return f"as at {which:%d %B %Y}"
        if isinstance(which, int | float) and float(which).is_integer():
            return f"wave {int(which)}"
        return f"as at {which}"

    sources = dict(zip(summary["measure"], summary["reliability_source"], strict=True))
    first = summary["measure"].iloc[0]
    said = (
        sources["index"]
        if sources["index"] == sources[first]
        else f"{sources[first]} for each domain; {sources['index']} for the index"
    )
    return (
        f"Baseline: {occasion(baseline)}; follow-up: {occasion(follow_up)}; "
        f"rater: {rater or 'all'}. "
        f"Reliability: {said}. Reliable change: |RCI| > {Z_975:.6f}, the two-sided 95% "
        f"normal quantile (Jacobson & Truax, 1991). {policy.describe()}"
    )


def _transitions(before: pd.Series, after: pd.Series) -> pd.Categorical:
    """Band transitions as a categorical ("managing -> thriving"), built from codes."""
    labels = list(before.cat.categories)
    k = len(labels)
    names = [f"{a} -> {b}" for a in labels for b in labels]
    a, b = before.cat.codes.to_numpy(), after.cat.codes.to_numpy()
    codes = np.where((a >= 0) & (b >= 0), a * k + b, -1).astype(np.int64)
    return cast(
        "pd.Categorical", pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(names))
    )


def _summary_notes(n: int, n_shown: int | None, r: float) -> list[str]:
    """Why a measure's figures are missing, in words."""
    notes = []
    if n_shown is None and n > 0:
        notes.append("suppressed: too few people to publish")
    elif n < 2:
        notes.append("not enough data: change needs two or more people assessed twice")
    if not 0 < r < 1:
        notes.append(
            "no reliable change: the reliability could not be estimated (too few people, "
            "or ratings that do not vary)"
            if np.isnan(r)
            else f"no reliable change: the reliability estimate ({r:.2f}) is not between "
            "0 and 1 (too few people, or items that do not hang together)"
        )
    return notes


#: The statistics of a measure's change, all missing when its n is suppressed.
_CHANGE_STATISTICS = (
    "mean_baseline",
    "mean_follow_up",
    "mean_change",
    "ci_low",
    "ci_high",
    "effect_size",
    "effect_low",
    "effect_high",
)
_SUMMARY_ORDER = (
    "measure",
    "reliability",
    "reliability_source",
    "n",
    *_CHANGE_STATISTICS,
    "mdc95",
    "improved",
    "no_reliable_change",
    "deteriorated",
    "note",
)


def _summary_row(
    key: str,
    table: pd.DataFrame,
    r: float,
    source: str,
    policy: DisclosurePolicy,
    n_boot: int,
    seed: int,
) -> dict[str, object]:
    diff = table["difference"].to_numpy(dtype=float)
    ok = ~np.isnan(diff)
    n = int(ok.sum())
    category = np.asarray(table["category"].cat.codes)
    counts = pd.Series(np.bincount(category[category >= 0], minlength=3), index=list(CATEGORIES))
    usable = 0 < r < 1
    shown = policy.apply(counts, total=True)
    if not usable:
        shown[:] = pd.NA
    n_shown = policy.apply_total(float(n))
    notes = _summary_notes(n, n_shown, r)
    row: dict[str, object] = {
        "measure": key,
        "reliability": r,
        "reliability_source": source,
        "n": n_shown,
        "improved": shown.iloc[0],
        "no_reliable_change": shown.iloc[1],
        "deteriorated": shown.iloc[2],
    }
    row["mdc95"] = _mdc95(table["baseline"].to_numpy(dtype=float), r, usable, n_shown, policy)
    if n_shown is None or n < 2:
        row |= dict.fromkeys(_CHANGE_STATISTICS, np.nan)
    else:
        diff = diff[ok]
        before = table["baseline"].to_numpy(dtype=float)[ok]
        after = table["follow_up"].to_numpy(dtype=float)[ok]
        low, high = bootstrap_mean_ci(diff, n_boot=n_boot, seed=seed)
        sd0 = float(np.std(before, ddof=1))
        stat = policy.statistic  # rounded when counts are: exact means give sizes back
        row |= {
            "mean_baseline": stat(float(before.mean())),
            "mean_follow_up": stat(float(after.mean())),
            "mean_change": stat(float(diff.mean())),
            "ci_low": stat(low),
            "ci_high": stat(high),
            "effect_size": stat(float(diff.mean()) / sd0, 2) if sd0 > 0 else np.nan,
        }
        effect_low, effect_high = effect_size_ci(before, after)
        row |= {"effect_low": stat(effect_low, 2), "effect_high": stat(effect_high, 2)}
        if not sd0 > 0:
            notes.append("no effect size: the baseline scores do not vary")
    row["note"] = "; ".join(notes)
    return {k: row[k] for k in _SUMMARY_ORDER}
