"""The HTML cohort report: one self-contained file, safe to publish.

Everything is inline (CSS, figures as PNG data), so the file opens offline and makes no
request. Every count passes through the disclosure policy, every figure is aggregate (no
individual's scores are plotted) and has alt text, and the report states the framework
version and the rules it used.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import os
from pathlib import Path
from typing import Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from attrs import field, frozen
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from wellbeing_framework._version import __version__
from wellbeing_framework.atomic import write_text
from wellbeing_framework.cohort import (
    ChangeResult,
    DisclosurePolicy,
    change,
    compare_groups,
    continuum_mix,
    reliability,
    snapshot,
)
from wellbeing_framework.cohort.disclosure import published_shares
from wellbeing_framework.cohort.select import choose_rows
from wellbeing_framework.continuum import (
    DISCLAIMER,
    ContinuumRules,
    place_on_continuum,
)
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Framework
from wellbeing_framework.io import converter
from wellbeing_framework.plot import groups as plot_groups
from wellbeing_framework.plot import snapshot as plot_snapshot
from wellbeing_framework.plot.style import (
    CATEGORICAL,
    RC_COLOURS,
    describe,
    set_description,
    theme,
)
from wellbeing_framework.scoring import ScoringRules, score
from wellbeing_framework.shapes import detect_shape, to_wide
from wellbeing_framework.tables import READ_KEY
from wellbeing_framework.validation import validate

__all__ = ["Published", "cohort_report", "published_tables", "write_report"]

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-top:4px solid #12436D;padding-top:.6rem;
margin-top:2.2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#505a5f}
.note{background:#f3f2f1;border-left:5px solid #12436D;padding:.6rem 1rem;font-size:.9rem}
.small{font-size:.85rem;color:#505a5f}details{margin:.6rem 0}.scroll{overflow-x:auto}
"""


def _figure(ax: Axes) -> str:
    """The Axes' figure as an inline PNG with its description as alt text."""
    buffer = io.BytesIO()
    figure = cast("Figure", ax.figure)
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(describe(ax), quote=True)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{alt}</figcaption></figure>"
    )


SUPPRESSED_MARK = "–"
NOT_ENOUGH = "not enough data"


def _cell(value: object, *, hidden: bool, digits: int) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(cast("Any", value))):
        return SUPPRESSED_MARK if hidden else NOT_ENOUGH
    if isinstance(value, float | np.floating):
        return f"{value:.{digits}f}"
    return str(value)


def _table(frame: pd.DataFrame, caption: str, policy: DisclosurePolicy, *, digits: int = 2) -> str:
    """An HTML table: suppressed cells as a dash, uncomputable ones as "not enough data".

    A row whose ``n`` (or ``count``) is suppressed has every figure suppressed; any other
    missing figure could not be computed. A footnote says which is which.
    """
    counts = [c for c in ("n", "count") if c in frame.columns]
    hidden_rows = (
        frame[counts[0]].isna().to_numpy(dtype=bool) if counts else np.zeros(len(frame), bool)
    )
    # a row whose note gives another reason (not suppression) has figures not computed
    notes = frame["note"] if "note" in frame.columns else pd.Series("", index=frame.index)
    other_reason = [
        bool(n) and not str(n).startswith("suppressed") for n in notes.fillna("").to_numpy()
    ]
    shown = pd.DataFrame(
        {
            column: [
                _cell(
                    value,
                    hidden=bool(hidden)
                    or (
                        not reason
                        and (column in ("count", "n", *_COUNT_COLUMNS) or "share" in str(column))
                    ),
                    digits=digits,
                )
                for value, hidden, reason in zip(
                    frame[column], hidden_rows, other_reason, strict=True
                )
            ]
            for column in frame.columns
        }
    )
    body = shown.to_html(index=False, na_rep="", escape=True, border=0)
    body = body.replace(
        '<table class="dataframe">', f"<table><caption>{html.escape(caption)}</caption>", 1
    )
    footnotes = []
    if (shown == SUPPRESSED_MARK).any().any():
        footnotes.append(f"{SUPPRESSED_MARK} suppressed: {policy.describe()}")
    if (shown == NOT_ENOUGH).any().any():
        footnotes.append(
            f"{NOT_ENOUGH}: the figure cannot be computed"
            + (" (see the note column)." if "note" in frame.columns else " (too few people).")
        )
    foot = "".join(f'<p class="small">{html.escape(n)}</p>' for n in footnotes)
    return f'<div class="scroll">{body}</div>{foot}'


_COUNT_COLUMNS = (
    "improved",
    "no_reliable_change",
    "deteriorated",
    "baseline count",
    "latest count",
)


def _change_bars(summary: pd.DataFrame, titles: dict[str, str]) -> Axes:
    """100 % bars of improved / no reliable change / deteriorated, of the published n."""
    columns = [
        ("improved", "improved", "//"),
        ("no_reliable_change", "no reliable change", ""),
        ("deteriorated", "deteriorated", ".."),
    ]
    widths, any_scaled, unclassified = [], False, []
    for _, row in summary.iterrows():
        cells = [row[c] for c, _, _ in columns]
        if all(pd.isna(c) for c in cells) and not str(row.get("note", "")).startswith(
            "suppressed"
        ):  # not classified at all (no usable reliability): nothing to draw
            unclassified.append(titles.get(row["measure"], row["measure"]))
            widths.append([0.0] * (len(columns) + 1))
            continue
        values, hidden, scaled = published_shares(cells, row["n"])
        any_scaled |= scaled
        widths.append([*(100 * values), 100 * hidden])
    table = np.array(widths).reshape(len(summary), len(columns) + 1)
    with theme():
        _, ax = plt.subplots(figsize=(7.5, 0.55 * len(summary) + 1.5), layout="constrained")
        left = np.zeros(len(summary))
        for j, (_, label, hatch) in enumerate([*columns, ("", "suppressed", "xxx")]):
            hidden = label == "suppressed"
            ax.barh(
                range(len(summary)),
                table[:, j],
                left=left,
                color="white" if hidden else RC_COLOURS[label],
                hatch=hatch,
                edgecolor="#505a5f" if hidden else "white",
                label=label,
            )
            for y, (x0, w) in enumerate(zip(left, table[:, j], strict=True)):
                if w >= 7:
                    dark = label in ("improved", "deteriorated")
                    ax.text(
                        x0 + w / 2,
                        y,
                        f"{w:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if dark else "#0b0c0c",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}
                        if hidden
                        else None,
                    )
            left += table[:, j]
        ax.set_yticks(range(len(summary)))
        ax.set_yticklabels([titles.get(m, m) for m in summary["measure"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of people with two assessments (of the published n)")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    parts = []
    for (_, row), w in zip(summary.iterrows(), table, strict=True):
        said = [
            f"{w[j]:.0f}% {label}"
            for j, (column, label, _) in enumerate(columns)
            if pd.notna(row[column]) and w.sum() > 0
        ]
        if w[3] > 0:
            said.append(f"{w[3]:.0f}% suppressed")
        if said:
            parts.append(f"{titles.get(row['measure'], row['measure'])}: {', '.join(said)}")
    set_description(
        ax,
        "Share of people whose scores improved, did not change reliably, or deteriorated "
        "between baseline and follow-up, of the published number of people"
        + (f". {'; '.join(parts)}." if parts else ".")
        + (
            f" Not classified (the reliability could not be estimated): {', '.join(unclassified)}."
            if unclassified
            else ""
        )
        + (" Rounded counts were scaled to add to 100%." if any_scaled else ""),
    )
    return ax


def _mix_bars(mix: pd.DataFrame, framework: Framework) -> Axes:
    titles = {a.key: a.title for a in framework.continuum.approaches}  # type: ignore[union-attr]
    titles["not placed"] = "Not placed (too little information)"
    with theme():
        _, ax = plt.subplots(figsize=(7.5, 3.0), layout="constrained")
        shares = mix["share"].astype("Float64").fillna(0).to_numpy(dtype=float) * 100
        bars = ax.barh(range(len(mix)), shares, color=CATEGORICAL[0])
        for bar, count in zip(bars, mix["count"], strict=True):
            text = "suppressed" if pd.isna(count) else f"{count}"
            ax.text(
                bar.get_width() + 1,
                bar.get_y() + bar.get_height() / 2,
                text,
                va="center",
                fontsize=8,
            )
        ax.set_yticks(range(len(mix)))
        ax.set_yticklabels([titles.get(a, a) for a in mix["approach"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of cases (labels: published counts)")
    set_description(
        ax,
        "Share of cases at each approach of the practice continuum at the latest assessment: "
        + "; ".join(
            f"{titles.get(a, a)} {s:.0%}"
            for a, s in zip(mix["approach"], mix["share"], strict=True)
            if pd.notna(s)
        )
        + ". "
        + (
            "Suppressed (too few to publish): "
            + ", ".join(titles.get(a, a) for a in mix.loc[mix["count"].isna(), "approach"])
            + ". "
            if mix["count"].isna().any()
            else ""
        )
        + DISCLAIMER,
    )
    return ax


@frozen(kw_only=True, eq=False)
class Published:
    """Every table the report publishes, after disclosure control (internal).

    A section whose table is ``None`` is not shown; ``reasons`` says why, in a sentence.
    """

    policy: DisclosurePolicy
    n_people: int | None
    n_assessments: int | None
    period: str | None
    snapshot_first: pd.DataFrame | None = None
    snapshot_last: pd.DataFrame | None = None
    change: ChangeResult | None = None
    groups: pd.DataFrame | None = None
    group: str | None = None
    mix: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    reasons: dict[str, str] = field(factory=dict)


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
    policy: DisclosurePolicy | None = None,
    group: str | None = "client_group",
    seed: int = 0,
    dayfirst: bool = True,
    date_format: str | None = None,
    rater: str | None = None,
) -> Published:
    """Score the ratings and compute every table the report publishes (internal).

    When the whole cohort is too small to publish, nothing but that fact is published.
    """
    policy = policy or DisclosurePolicy()
    resolved = (rules or ScoringRules()).resolve(framework)
    checked = validate(ratings, framework, dayfirst=dayfirst, date_format=date_format)
    if not checked.ok:
        raise ValidationError(checked)
    valid = checked.valid  # dates read once, by the rule asked for
    wide = to_wide(valid, framework) if detect_shape(valid) == "long" else valid
    scores = score(wide, framework, resolved)
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
    reasons: dict[str, str] = {}
    result = None
    try:
        result = change(wide, framework, policy=policy, rater=rater, seed=seed)
    except (ValueError, KeyError) as exc:
        reasons["change"] = f"Change cannot be computed: {exc}"
    else:
        if result.people["difference"].notna().sum() == 0:
            reasons["change"] = (
                "Change needs two assessments of the same person; everyone in this cohort "
                "has one (or none after their first)."
            )
            result = None
    comparison = None
    if group and group in scores:
        latest = scores.iloc[choose_rows(scores, "last", rater=rater)]
        comparison = compare_groups(latest, framework, by=group, policy=policy)
    placed = place_on_continuum(scores, framework, continuum_rules)
    latest_placed = placed.iloc[choose_rows(placed, "last", rater=rater)]
    baseline_rows = wide.iloc[choose_rows(wide, "first", rater=rater)]
    return Published(
        policy=policy,
        n_people=n_people,
        n_assessments=policy.apply_total(float(len(scores))),
        period=_period(scores),
        snapshot_first=snapshot(scores, framework, "first", policy=policy, rater=rater),
        snapshot_last=snapshot(scores, framework, "last", policy=policy, rater=rater),
        change=result,
        groups=comparison,
        group=group if comparison is not None else None,
        mix=continuum_mix(latest_placed, policy=policy),
        reliability=reliability(baseline_rows, framework, policy=policy),
        reasons=reasons,
    )


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


def _count(value: int | None, policy: DisclosurePolicy) -> str:
    if value is None:
        return "suppressed"
    if policy.rounding > 1:
        return f"{value} (rounded to the nearest {policy.rounding})"
    return str(value)


def _overview(tables: Published, framework: Framework) -> str:
    policy = tables.policy
    items = [
        f"<li>People: {_count(tables.n_people, policy)}</li>",
        f"<li>Assessments: {_count(tables.n_assessments, policy)}</li>",
    ]
    if tables.period:
        items.append(f"<li>Period: {html.escape(tables.period)}</li>")
    items.append(
        f"<li>Framework: {html.escape(framework.title)} (<code>{html.escape(framework.key)}"
        f"</code>, version {html.escape(framework.version)})</li>"
    )
    why = tables.reasons.get("cohort")
    return (
        "<h2>Overview</h2><ul>"
        + "".join(items)
        + "</ul>"
        + (f'<p class="note">{html.escape(why)}</p>' if why else "")
        + f'<p class="note">{html.escape(policy.describe())} Figures show only published, '
        "aggregate numbers.</p>"
    )


def _snapshot_section(tables: Published) -> str:
    first, last = tables.snapshot_first, tables.snapshot_last
    if first is None or last is None:
        return ""
    first_index = first[first["measure"] == "index"].reset_index(drop=True)
    last_index = last[last["measure"] == "index"].reset_index(drop=True)
    index_table = pd.DataFrame(
        {
            "band": first_index["band"],
            "n": first_index["n"],
            "baseline count": first_index["count"],
            "baseline share": first_index["share"],
            "latest count": last_index["count"],
            "latest share": last_index["share"],
        }
    )
    return (
        "<h2>Snapshot</h2><p>How many people were in each band at their first assessment.</p>"
        + _figure(plot_snapshot(first, title="Bands at the first assessment"))
        + _table(index_table, "Index bands, first and latest assessment", tables.policy)
    )


def _change_section(tables: Published, titles: dict[str, str]) -> str:
    if tables.change is None:
        why = tables.reasons.get("change", "")
        return f"<h2>Change over time</h2><p>{html.escape(why)}</p>"
    summary = tables.change.summary
    return (
        "<h2>Change over time</h2>"
        f"<p>{html.escape(tables.change.note)}</p>"
        + _figure(_change_bars(summary, titles))
        + _table(
            summary.drop(columns=["reliability_source"]),
            "Change from first to latest assessment, by measure",
            tables.policy,
        )
    )


def _groups_section(tables: Published) -> str:
    if tables.groups is None or tables.group is None:
        return ""
    label = tables.group.replace("_", " ")
    index = tables.groups[tables.groups["measure"] == "index"].drop(columns=["measure"])
    return (
        "<h2>Groups and equity</h2><p>Social justice is a value of the framework: where do "
        "outcomes differ? Each group's mean index at the latest assessment, with its gap to "
        "everyone else.</p>"
        + _figure(plot_groups(tables.groups, title=f"Index by {label}"))
        + _table(index, f"Index by {label}", tables.policy)
        + f'<p class="small">{html.escape(tables.groups.attrs.get("disclosure", ""))}</p>'
    )


def _continuum_section(tables: Published, framework: Framework) -> str:
    if tables.mix is None:
        return ""
    return (
        "<h2>Practice continuum</h2>"
        f'<p class="note">{html.escape(DISCLAIMER)}</p>'
        + _figure(_mix_bars(tables.mix, framework))
        + _table(tables.mix, "Cases by approach at the latest assessment", tables.policy)
    )


def _reliability_section(tables: Published) -> str:
    if tables.reliability is None:
        return ""
    return (
        "<h2>Reliability</h2><p>Internal consistency of each domain at baseline (Cronbach's "
        "alpha, pairwise, with Feldt's 95% interval).</p>"
        + _table(
            tables.reliability.drop(columns=["domain"]),
            "Cronbach's alpha by domain",
            tables.policy,
        )
    )


def _missing_answers(ratings: pd.DataFrame, policy: DisclosurePolicy) -> str:
    """How many answers the missing-answer tokens blanked when the file was read (each
    count through the disclosure policy), as a sentence; empty when not known."""
    counts = ratings.attrs.get(READ_KEY, {}).get("missing") or {}
    shown = []
    for token, count in counts.items():
        published = policy.apply_total(float(count))
        number = "a few" if published is None else f"{published:,}"
        shown.append(f"{number} {'empty cells' if token == '' else repr(token)}")
    if not shown:
        return ""
    return (
        f"<p>Read as missing answers when the file was read: {html.escape(', '.join(shown))}."
        " Any other text in a rating cell was a problem, never a silent blank.</p>"
    )


def _methods_section(
    framework: Framework,
    rules: ScoringRules,
    continuum_rules: ContinuumRules,
    missing: str = "",
) -> str:
    rules_json = html.escape(json.dumps(converter.unstructure(rules), indent=2))
    continuum_json = html.escape(
        json.dumps(converter.unstructure(continuum_rules.resolve(framework)), indent=2)
    )
    return (
        "<h2>Methods</h2><p>Domain scores are the mean of the answered ratings rescaled to "
        "0-100; reliable change follows Jacobson &amp; Truax (1991), a change being reliable "
        "when |RCI| &gt; 1.959964 (z for a two-sided 95% level); counts pass through the "
        "disclosure policy above.</p>"
        f"{missing}<details><summary>Scoring rules</summary><pre>{rules_json}</pre></details>"
        f"<details><summary>Continuum rules</summary><pre>{continuum_json}</pre></details>"
    )


def cohort_report(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    rules: ScoringRules | None = None,
    continuum_rules: ContinuumRules | None = None,
    policy: DisclosurePolicy | None = None,
    title: str = "Social wellbeing cohort report",
    group: str | None = "client_group",
    seed: int = 0,
    dayfirst: bool = True,
    date_format: str | None = None,
    rater: str | None = None,
) -> str:
    """Build the cohort report as one self-contained HTML document.

    Parameters
    ----------
    ratings
        Valid ratings (wide or long) of a cohort over time, with ``person_id`` and, for
        change over time, ``assessment_date`` or ``wave``.
    framework
        The framework.
    rules, continuum_rules
        Scoring and placement rules (defaults if ``None``); both are stated in the report.
    policy
        Disclosure control for every published count (default
        :class:`~wellbeing_framework.DisclosurePolicy`).
    title
        The report's title.
    group
        Column for the equity section (skipped when absent).
    seed
        Seed of the bootstrap confidence intervals.
    dayfirst, date_format
        How text dates are read, as in :func:`~wellbeing_framework.validate`.
    rater
        Whose assessments to follow when the ``rater`` column holds several raters
        (default: ``"self"`` when there are self-ratings).

    Returns
    -------
    str
        The HTML: overview, snapshot, change with reliable change, groups and equity,
        continuum mix, reliability, and methods. No external resources. A section that
        cannot be computed says why (change on a cohort assessed once, say); a cohort too
        small to publish gets an overview that says so and no statistics at all.

    Raises
    ------
    ValidationError
        If any row of ``ratings`` is invalid.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> page = wf.cohort_report(wf.make_cohort(120, waves=2, seed=1), fw)
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.replace("http://www.w3", "")
    (True, False)
    """
    resolved = (rules or ScoringRules()).resolve(framework)
    placing = continuum_rules or ContinuumRules()
    tables = published_tables(
        ratings,
        framework,
        rules=resolved,
        continuum_rules=placing,
        policy=policy,
        group=group,
        seed=seed,
        dayfirst=dayfirst,
        date_format=date_format,
        rater=rater,
    )
    titles = {d.key: d.title for d in framework.domains} | {"index": "Index"}
    sections = [_overview(tables, framework)]
    if "cohort" not in tables.reasons:
        sections += [
            _snapshot_section(tables),
            _change_section(tables, titles),
            _groups_section(tables),
            _continuum_section(tables, framework),
            _reliability_section(tables),
        ]
    missing = _missing_answers(ratings, tables.policy)
    sections.append(_methods_section(framework, resolved, placing, missing))
    made = _dt.datetime.now(tz=_dt.UTC).strftime("%d %B %Y")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="small">Made on {made} with wellbeing_framework {__version__}; framework '
        f"{html.escape(framework.key)} {html.escape(framework.version)}.</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


def write_report(
    ratings: pd.DataFrame,
    path: str | os.PathLike[str],
    framework: Framework,
    **options: Any,
) -> Path:
    """Write :func:`cohort_report` to ``path`` (UTF-8) and return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = wf.write_report(wf.make_cohort(60, waves=2, seed=2),
    ...                           pathlib.Path(tmp) / "report.html", wf.load_framework())
    ...     out.suffix
    '.html'
    """
    out = Path(path)
    write_text(out, cohort_report(ratings, framework, **options))
    return out
