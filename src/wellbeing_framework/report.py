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
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from wellbeing_framework._version import __version__
from wellbeing_framework.cohort import (
    DisclosurePolicy,
    change,
    compare_groups,
    continuum_mix,
    reliability,
    snapshot,
)
from wellbeing_framework.cohort.select import choose_rows
from wellbeing_framework.continuum import (
    DISCLAIMER,
    ContinuumRules,
    place_on_continuum,
)
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

__all__ = ["cohort_report", "write_report"]

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


def _table(frame: pd.DataFrame, caption: str, *, digits: int = 2) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column].dtype) and not str(
            shown[column].dtype
        ).startswith("Int"):
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.{digits}f}")
    body = shown.to_html(index=False, na_rep="", escape=True, border=0)
    body = body.replace(
        '<table class="dataframe">', f"<table><caption>{html.escape(caption)}</caption>", 1
    )
    return f'<div class="scroll">{body}</div>'


def _change_bars(summary: pd.DataFrame, titles: dict[str, str]) -> Axes:
    """Stacked bars of the published counts improved / no reliable change / deteriorated."""
    with theme():
        _, ax = plt.subplots(figsize=(7.5, 0.55 * len(summary) + 1.5), layout="constrained")
        columns = [
            ("improved", "improved", "//"),
            ("no_reliable_change", "no reliable change", ""),
            ("deteriorated", "deteriorated", ".."),
        ]
        totals = sum(
            summary[c].astype("Float64").fillna(0).to_numpy(dtype=float) for c, _, _ in columns
        )
        left = np.zeros(len(summary))
        for column, label, hatch in columns:
            values = summary[column].astype("Float64").fillna(0).to_numpy(dtype=float)
            share = np.divide(100 * values, totals, out=np.zeros_like(values), where=totals > 0)
            ax.barh(
                range(len(summary)),
                share,
                left=left,
                color=RC_COLOURS[label],
                hatch=hatch,
                edgecolor="white",
                label=label,
            )
            for y, (x0, w) in enumerate(zip(left, share, strict=True)):
                if w >= 7:
                    ax.text(
                        x0 + w / 2,
                        y,
                        f"{w:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if label != "no reliable change" else "#0b0c0c",
                    )
            left += share
        ax.set_yticks(range(len(summary)))
        ax.set_yticklabels([titles.get(m, m) for m in summary["measure"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of people (of published counts)")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    parts = []
    for _, row in summary.iterrows():
        if pd.notna(row["improved"]) and pd.notna(row["n"]) and row["n"]:
            parts.append(
                f"{titles.get(row['measure'], row['measure'])} "
                f"{100 * row['improved'] / row['n']:.0f}% improved"
            )
    set_description(
        ax,
        "Share of people whose scores improved, did not change reliably, or deteriorated "
        "between baseline and follow-up, by measure"
        + (f": {'; '.join(parts)}." if parts else "."),
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
        + DISCLAIMER,
    )
    return ax


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

    Returns
    -------
    str
        The HTML: overview, snapshot, change with reliable change, groups and equity,
        continuum mix, reliability, and methods. No external resources.

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
    policy = policy or DisclosurePolicy()
    resolved = (rules or ScoringRules()).resolve(framework)
    wide = to_wide(ratings, framework) if detect_shape(ratings) == "long" else ratings
    scores = score(wide, framework, resolved)
    placed = place_on_continuum(scores, framework, continuum_rules)
    titles = {d.key: d.title for d in framework.domains} | {"index": "Index"}
    sections: list[str] = []

    people = scores["person_id"].nunique() if "person_id" in scores else len(scores)
    n_people = policy.apply_total(float(people))
    n_assess = policy.apply_total(float(len(scores)))
    period = ""
    if "assessment_date" in scores:
        dates = pd.to_datetime(scores["assessment_date"])
        period = f"{dates.min():%B %Y} to {dates.max():%B %Y}"
    overview = [
        "<ul>",
        f"<li>People: {n_people if n_people is not None else 'suppressed'}</li>",
        f"<li>Assessments: {n_assess if n_assess is not None else 'suppressed'}</li>",
    ]
    if period:
        overview.append(f"<li>Period: {html.escape(period)}</li>")
    overview += [
        f"<li>Framework: {html.escape(framework.title)} (<code>{html.escape(framework.key)}"
        f"</code>, version {html.escape(framework.version)})</li>",
        "</ul>",
        f'<p class="note">{html.escape(policy.describe())} Figures show only published, '
        "aggregate numbers.</p>",
    ]
    sections.append("<h2>Overview</h2>" + "".join(overview))

    rater = "self" if "rater" in scores and (scores["rater"] == "self").any() else None
    snap = snapshot(scores, framework, "first", policy=policy, rater=rater)
    snap_last = snapshot(scores, framework, "last", policy=policy, rater=rater)
    first_index = snap[snap["measure"] == "index"].reset_index(drop=True)
    last_index = snap_last[snap_last["measure"] == "index"].reset_index(drop=True)
    index_table = pd.DataFrame(
        {
            "band": first_index["band"],
            "baseline count": first_index["count"],
            "baseline share": first_index["share"],
            "latest count": last_index["count"],
            "latest share": last_index["share"],
        }
    )
    sections.append(
        "<h2>Snapshot</h2><p>How many people were in each band at their first assessment.</p>"
        + _figure(plot_snapshot(snap, title="Bands at the first assessment"))
        + _table(index_table, "Index bands, first and latest assessment")
    )

    try:
        result = change(wide, framework, policy=policy, rater=rater, seed=seed)
    except (ValueError, KeyError) as exc:
        sections.append(f"<h2>Change over time</h2><p>Not available: {html.escape(str(exc))}</p>")
    else:
        summary = result.summary.drop(columns=["reliability_source"])
        sections.append(
            "<h2>Change over time</h2>"
            f"<p>{html.escape(result.note)}</p>"
            + _figure(_change_bars(result.summary, titles))
            + _table(summary, "Change from first to latest assessment, by measure")
        )

    if group and group in scores:
        latest = scores.iloc[choose_rows(scores, "last", rater=rater)]
        comparison = compare_groups(latest, framework, by=group, policy=policy)
        sections.append(
            "<h2>Groups and equity</h2><p>Social justice is a value of the framework: where do "
            "outcomes differ? Each group's mean index at the latest assessment, with its gap to "
            "everyone else.</p>"
            + _figure(plot_groups(comparison, title=f"Index by {group.replace('_', ' ')}"))
            + _table(
                comparison[comparison["measure"] == "index"].drop(columns=["measure"]),
                f"Index by {group.replace('_', ' ')}",
            )
        )

    latest_placed = placed.iloc[choose_rows(placed, "last", rater=rater)]
    mix = continuum_mix(latest_placed, policy=policy)
    sections.append(
        "<h2>Practice continuum</h2>"
        f'<p class="note">{html.escape(DISCLAIMER)}</p>'
        + _figure(_mix_bars(mix, framework))
        + _table(mix, "Cases by approach at the latest assessment")
    )

    baseline_rows = wide.iloc[choose_rows(wide, "first", rater=rater)]
    table = reliability(baseline_rows, framework, policy=policy)
    sections.append(
        "<h2>Reliability</h2><p>Internal consistency of each domain at baseline (Cronbach's "
        "alpha, pairwise, with Feldt's 95% interval).</p>"
        + _table(table.drop(columns=["domain"]), "Cronbach's alpha by domain")
    )

    rules_json = html.escape(json.dumps(converter.unstructure(resolved), indent=2))
    continuum_json = html.escape(
        json.dumps(
            converter.unstructure((continuum_rules or ContinuumRules()).resolve(framework)),
            indent=2,
        )
    )
    sections.append(
        "<h2>Methods</h2><p>Domain scores are the mean of the answered ratings rescaled to "
        "0-100; reliable change follows Jacobson &amp; Truax (1991); counts pass through the "
        "disclosure policy above.</p>"
        f"<details><summary>Scoring rules</summary><pre>{rules_json}</pre></details>"
        f"<details><summary>Continuum rules</summary><pre>{continuum_json}</pre></details>"
    )
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
    out.write_text(cohort_report(ratings, framework, **options), encoding="utf-8")
    return out
