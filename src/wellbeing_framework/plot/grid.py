"""Small multiples of quadrant profiles (a figure-level function).

Many people at once would mean many polar Axes, which matplotlib builds and lays out slowly.
Here every small profile is drawn as plain wedges on one shared Axes, in the same
arrangement as :func:`~wellbeing_framework.plot.quadrant`, so a hundred people render in a
second or two.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Wedge

from wellbeing_framework.cohort.select import Which, choose_rows
from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.plot.quadrant import CENTRE_RADIUS, radius_of
from wellbeing_framework.plot.style import (
    DARK_GREY,
    domain_colours,
    plain,
    set_description,
    theme,
)

__all__ = ["profile_grid"]

_CELL_W, _CELL_H = 2.5, 2.7


def profile_grid(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    people: Sequence[object],
    baseline: Which | None = "first",
    latest: Which = "last",
    ncols: int = 5,
    person: str = "person_id",
    rater: str | None = "self",
) -> Figure:
    """Quadrant profiles of many people side by side, each with their baseline outlined.

    Parameters
    ----------
    scores
        A scores table.
    framework
        The framework.
    people
        The person identifiers to show, in order (their labels are shown: use pseudonyms
        for anything that leaves a secure setting).
    baseline, latest
        Which assessments to compare (``"first"``, ``"last"``, a wave number or a date);
        ``baseline=None`` draws no outline.
    ncols
        Profiles per row.

    Returns
    -------
    matplotlib.figure.Figure
        One Axes holding every profile: filled wedges (gid ``domain:<person>:<key>``),
        dashed baseline outlines (``baseline:<person>:<key>``), hatched unscored domains
        (``unscored:<person>:<key>``) and a key to the domains.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(20, waves=2, seed=1), fw)
    >>> fig = wf.plot.profile_grid(scores, fw, people=["P0001", "P0002", "P0003"])
    >>> [t.get_text() for t in fig.axes[0].texts][:3]
    ['P0001', 'P0002', 'P0003']
    """
    chosen = list(people)
    latest_rows, first_rows = _chosen_rows(scores, chosen, baseline, latest, person, rater)
    cols = min(ncols, len(chosen))
    rows = math.ceil(len(chosen) / cols)
    domains = framework.domains
    colours = domain_colours([d.key for d in domains])
    with theme():
        fig, ax = plt.subplots(figsize=(1.9 * cols + 0.4, 2.05 * rows + 0.9))
        fills: list[Wedge] = []
        outlines: list[Wedge] = []
        for n, who in enumerate(chosen):
            now = cast("pd.Series", scores.loc[latest_rows[who]])
            before_label = first_rows.get(who)
            before = (
                None
                if before_label is None or before_label == latest_rows[who]
                else scores.loc[before_label]  # type: ignore[call-overload]
            )
            at = ((n % cols) * _CELL_W, -(n // cols) * _CELL_H)
            filled, outlined = _draw_profile(ax, at, who, now, before, domains, colours)
            fills.extend(filled)
            outlines.extend(outlined)
        for patch in [*fills, *outlines]:
            ax.add_patch(patch)
        _frame_grid(ax, cols, rows)
        _add_key(fig, domains, colours, rows)
    set_description(
        ax,
        f"Small multiples of quadrant profiles for {len(chosen)} people, each filled outward "
        "to the domain scores (top left Relationships and Belonging, then clockwise), with the "
        "baseline as a dashed outline.",
    )
    return fig


def _chosen_rows(
    scores: pd.DataFrame,
    chosen: list[object],
    baseline: Which | None,
    latest: Which,
    person: str,
    rater: str | None,
) -> tuple[dict[object, Any], dict[object, object]]:
    """Row labels of each chosen person's latest and (if asked for) baseline assessment."""
    if not chosen:
        msg = "people= names nobody to draw"
        raise ValueError(msg)
    subset = scores[scores[person].isin(chosen)]
    missing = [p for p in chosen if p not in set(subset[person])]
    if missing:
        msg = f"{len(missing)} of the people asked for have no assessment in the table"
        raise KeyError(msg)
    last = subset.iloc[choose_rows(subset, latest, person=person, rater=rater)]
    latest_rows = dict(zip(last[person], last.index, strict=True))
    first_rows: dict[object, object] = {}
    if baseline is not None:
        first = subset.iloc[choose_rows(subset, baseline, person=person, rater=rater)]
        first_rows = dict(zip(first[person], first.index, strict=True))
    return latest_rows, first_rows


def _draw_profile(
    ax: Axes,
    at: tuple[float, float],
    who: object,
    now: pd.Series,
    before: pd.Series | None,
    domains: Sequence[Domain],
    colours: Mapping[str, str],
) -> tuple[list[Wedge], list[Wedge]]:
    """Draw one person's name, centre, unscored quarters and rim; return fills and outlines."""
    cx, cy = at
    ax.text(cx, cy + 1.18, plain(who), ha="center", va="bottom", fontsize=8)
    ax.add_patch(Wedge(at, CENTRE_RADIUS, 0, 360, facecolor="#DDE6EE", edgecolor="white"))
    fills: list[Wedge] = []
    outlines: list[Wedge] = []
    quarter = 360 / len(domains)
    for i, domain in enumerate(domains):
        # matplotlib angles run anticlockwise from east; quarters run clockwise
        # from the top left, as in the leaflet's quadrant
        theta2 = 180 - i * quarter - 2
        theta1 = theta2 - quarter + 4
        score = now.get(domain.key)
        if score is None or pd.isna(score):
            ax.add_patch(_unscored_wedge(at, theta1, theta2, f"unscored:{who}:{domain.key}"))
            continue
        gid = f"domain:{who}:{domain.key}"
        fills.append(_filled_wedge(at, float(score), theta1, theta2, colours[domain.key], gid))
        if before is not None and pd.notna(before.get(domain.key)):
            gid = f"baseline:{who}:{domain.key}"
            outlines.append(_baseline_wedge(at, float(before[domain.key]), theta1, theta2, gid))
    ax.add_patch(Wedge(at, 1.0, 0, 360, fill=False, edgecolor="#D9D9D9", lw=0.5))
    return fills, outlines


def _unscored_wedge(at: tuple[float, float], theta1: float, theta2: float, gid: str) -> Wedge:
    """A hatched, unfilled quarter for a domain without a score."""
    wedge = Wedge(
        at,
        1.0,
        theta1,
        theta2,
        width=1 - CENTRE_RADIUS,
        fill=False,
        hatch="////",
        edgecolor=DARK_GREY,
        linewidth=0.5,
    )
    wedge.set_gid(gid)
    return wedge


def _filled_wedge(
    at: tuple[float, float], score: float, theta1: float, theta2: float, colour: str, gid: str
) -> Wedge:
    """A quarter filled outward to a domain's latest score."""
    r = radius_of(score)
    wedge = Wedge(
        at,
        r,
        theta1,
        theta2,
        width=r - CENTRE_RADIUS,
        facecolor=colour,
        edgecolor=colour,
        alpha=0.55,
    )
    wedge.set_gid(gid)
    return wedge


def _baseline_wedge(
    at: tuple[float, float], score: float, theta1: float, theta2: float, gid: str
) -> Wedge:
    """A dashed outline of a quarter at a domain's baseline score."""
    rb = radius_of(score)
    outline = Wedge(
        at,
        rb,
        theta1,
        theta2,
        width=rb - CENTRE_RADIUS,
        fill=False,
        edgecolor=DARK_GREY,
        linestyle="--",
        linewidth=0.8,
    )
    outline.set_gid(gid)
    return outline


def _frame_grid(ax: Axes, cols: int, rows: int) -> None:
    """Fit the Axes round a grid of cols by rows profiles, to scale and without axes."""
    ax.set_xlim(-1.25, (cols - 1) * _CELL_W + 1.25)
    ax.set_ylim(-(rows - 1) * _CELL_H - 1.25, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")


def _add_key(
    fig: Figure, domains: Sequence[Domain], colours: Mapping[str, str], rows: int
) -> None:
    """Add the key to the domains and the baseline outline below the grid, with room for it."""
    handles = [Patch(color=colours[d.key], alpha=0.55, label=d.title) for d in domains]
    handles.append(Patch(fill=False, edgecolor=DARK_GREY, linestyle="--", label="baseline"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.9 / (2.05 * rows + 0.9))
