"""The report's own figures (aggregate only), and a figure as print-ready PNG bytes."""

from __future__ import annotations

import io
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from wellbeing_framework.cohort.disclosure import published_shares
from wellbeing_framework.continuum import DISCLAIMER
from wellbeing_framework.framework import Framework
from wellbeing_framework.plot.style import (
    CATEGORICAL,
    DARK_GREY,
    RC_COLOURS,
    describe,
    set_description,
    theme,
)
from wellbeing_framework.report.document import Figure

__all__ = ["DPI", "change_bars", "mix_bars", "picture", "reliability_dots", "unclassified"]

#: Resolution of every figure a report embeds (print quality).
DPI = 200


def picture(ax: Axes) -> Figure:
    """The Axes' figure as PNG bytes at :data:`DPI`, with its description as alt text."""
    buffer = io.BytesIO()
    figure = cast("MplFigure", ax.figure)
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return Figure(buffer.getvalue(), describe(ax), DPI)


def change_bars(summary: pd.DataFrame, titles: dict[str, str]) -> Axes:
    """100 % bars of improved / no reliable change / deteriorated, of the published n."""
    columns = [
        ("improved", "improved", "//"),
        ("no_reliable_change", "no reliable change", ""),
        ("deteriorated", "deteriorated", ".."),
    ]
    widths, any_scaled, not_classified = [], False, []
    for _, row in summary.iterrows():
        cells = [row[c] for c, _, _ in columns]
        if unclassified(row):  # no usable reliability: nothing to draw
            not_classified.append(titles.get(row["measure"], row["measure"]))
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
                if w >= 7:  # dark text on a white label: readable on any fill or hatch
                    ax.text(
                        x0 + w / 2,
                        y,
                        f"{w:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="#0b0c0c",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                    )
            left += table[:, j]
        ax.set_yticks(range(len(summary)))
        ax.set_yticklabels([wrap(titles.get(m, m), 22) for m in summary["measure"]])
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
            f" Not classified (the reliability could not be estimated): "
            f"{', '.join(not_classified)}."
            if not_classified
            else ""
        )
        + (" Rounded counts were scaled to add to 100%." if any_scaled else ""),
    )
    return ax


def mix_bars(mix: pd.DataFrame, framework: Framework) -> Axes:
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
        ax.set_yticklabels([wrap(titles.get(a, a), 24) for a in mix["approach"]])
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


def unclassified(row: pd.Series) -> bool:
    """True when a measure's reliable change could not be classified: its reliability
    is missing or not between 0 and 1 (not when its counts were merely suppressed)."""
    value = row.get("reliability")
    return value is None or bool(pd.isna(value)) or not 0 < float(value) < 1


def reliability_dots(table: pd.DataFrame) -> Axes:
    """Cronbach's alpha of each domain with its 95 % interval, against 0.7 and 0.9."""
    shown = table[table["alpha"].notna()].reset_index(drop=True)
    with theme():
        _, ax = plt.subplots(figsize=(7.0, 0.5 * max(len(table), 1) + 1.3), layout="constrained")
        for y, row in shown.iterrows():
            at = int(str(y))
            if pd.notna(row["ci_low"]):
                ax.plot([row["ci_low"], row["ci_high"]], [at, at], color=CATEGORICAL[0], lw=2)
            ax.plot(row["alpha"], at, marker="s", color=CATEGORICAL[0], markersize=7)
        for x in (0.7, 0.9):
            ax.axvline(x, color=DARK_GREY, linestyle=":", linewidth=1)
        ax.set_yticks(range(len(shown)))
        ax.set_yticklabels([wrap(t, 22) for t in shown["title"]])
        ax.invert_yaxis()
        low = min([0.5, *shown["ci_low"].dropna().tolist(), *shown["alpha"].tolist()])
        ax.set_xlim(max(low - 0.05, -1.0), 1.0)
        ax.set_xlabel("Cronbach's alpha with 95% interval (dotted: 0.7 and 0.9)")
    said = "; ".join(
        f"{row['title']} {row['alpha']:.2f}"
        + (f" ({row['ci_low']:.2f} to {row['ci_high']:.2f})" if pd.notna(row["ci_low"]) else "")
        for _, row in shown.iterrows()
    )
    missing = [str(t) for t in table.loc[table["alpha"].isna(), "title"]]
    set_description(
        ax,
        "Dot plot of Cronbach's alpha for each domain at baseline with 95% intervals, "
        "against reference lines at 0.7 and 0.9"
        + (f": {said}." if said else ".")
        + (f" Not computed: {', '.join(missing)}." if missing else ""),
    )
    return ax


def wrap(text: object, width: int) -> str:
    """A label broken into lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)
