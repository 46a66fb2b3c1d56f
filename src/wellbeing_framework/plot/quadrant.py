"""The framework's own picture: the social wellbeing quadrant, filled to each domain's score."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.projections.polar import PolarAxes

from wellbeing_framework.framework import Domain, Framework, RatingScale
from wellbeing_framework.plot.style import (
    CATEGORICAL,
    DARK_GREY,
    LIGHT_GREY,
    domain_colours,
    plain,
    set_description,
    theme,
)
from wellbeing_framework.scoring import Profile

__all__ = ["CENTRE_RADIUS", "quadrant", "radius_of"]

#: Radius of the centre disc; a score of 0 sits on its edge and 100 on the rim (radius 1).
CENTRE_RADIUS = 0.3
_GAP = np.deg2rad(3)

#: The colour of the goal outline (the palette's purple: no domain has it).
GOAL_COLOUR = CATEGORICAL[5]


def radius_of(score: float) -> float:
    """Radius at which a 0-100 score is drawn."""
    return CENTRE_RADIUS + (1 - CENTRE_RADIUS) * score / 100.0


def as_profile(profile: Profile | pd.Series, framework: Framework) -> Profile:
    """Accept a :class:`Profile` or one row of a scores table."""
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, pd.Series):
        if not any(d.key in profile.index for d in framework.domains):
            msg = "not a row of a scores table (no domain scores): score the ratings first"
            raise ValueError(msg)
        try:
            ratings = {
                k: (None if pd.isna(profile.get(k)) else float(profile[k]))
                for k in framework.indicator_keys
                if k in profile.index
            }
            return Profile.from_row(profile, framework, ratings=ratings)
        except (TypeError, ValueError):
            raise ValueError("the row holds a score or rating that is not a number") from None
    msg = f"expected a Profile or a row of a scores table, got {type(profile).__name__}"
    raise TypeError(msg)


def _polar_axes(ax: Axes | None) -> PolarAxes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 6.4), subplot_kw={"projection": "polar"})
    if not isinstance(ax, PolarAxes):
        msg = "quadrant and star plots need a polar Axes (subplot_kw={'projection': 'polar'})"
        raise TypeError(msg)
    return ax


def quadrant(
    profile: Profile | pd.Series,
    framework: Framework,
    *,
    baseline: Profile | pd.Series | None = None,
    goal: Profile | pd.Series | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    show_indicators: bool = True,
) -> Axes:
    """Draw a quadrant profile: four quarters, each filled outward to its domain's score.

    Parameters
    ----------
    profile
        A :class:`~wellbeing_framework.Profile` or a row of a scores table.
    framework
        The framework scored against (domains in their quadrant order: top left, top right,
        bottom right, bottom left).
    baseline
        An earlier profile, drawn as a dashed outline over the latest fill so change shows.
    goal
        The person's goal ("where I would like to be", the ratings of ``rater = "goal"``),
        drawn as a dotted purple outline, so the distance to it shows.
    ax
        A polar Axes to draw on; a new figure is made if ``None``.
    title
        Title above the plot.
    show_indicators
        Draw each indicator as a thin sub-wedge at its own rating (needs the ratings).

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes drawn on. Its artists carry ids (``get_gid()``): ``domain:<key>``,
        ``indicator:<key>``, ``baseline:<key>``, ``goal:<key>``, ``unscored:<key>`` and
        ``centre:<key>``; the legend (``legend``) says what fill, outlines and wedges mean.

    Notes
    -----
    A score of 0 sits on the edge of the centre disc and 100 on the rim. A domain without a
    score is hatched and labelled "not scored", never drawn as zero. The centre disc shows
    Quality of Life and Self Worth.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> profile = wf.score_one({k: 4 for k in fw.indicator_keys} | {"sw5": 1, "qol": 3}, fw)
    >>> ax = wf.plot.quadrant(profile, fw, title="Example person")
    >>> sorted(a.get_gid() for a in ax.patches if (a.get_gid() or "").startswith("domain:"))
    ['domain:ir', 'domain:pm', 'domain:rb', 'domain:sw']
    """
    latest = as_profile(profile, framework)
    earlier = None if baseline is None else as_profile(baseline, framework)
    wanted = None if goal is None else as_profile(goal, framework)
    polar = _polar_axes(ax)
    with theme():
        _draw(polar, latest, (earlier, wanted), framework, title, show_indicators)
    return polar


def _draw(
    ax: PolarAxes,
    profile: Profile,
    others: tuple[Profile | None, Profile | None],
    framework: Framework,
    title: str | None,
    show_indicators: bool,
) -> None:
    baseline, goal = others
    _set_up_axes(ax)
    domains = framework.domains
    quarter = 2 * np.pi / len(domains)
    colours = domain_colours([d.key for d in domains])
    for i, domain in enumerate(domains):
        start = -np.pi / 2 + i * quarter  # top-left first, clockwise
        centre = start + quarter / 2
        width = quarter - 2 * _GAP
        score = profile.domains.get(domain.key)
        colour = colours[domain.key]
        _draw_fill(ax, domain.key, score, centre, width, colour)
        if show_indicators and profile.ratings:
            _draw_indicators(ax, domain, profile.ratings, framework.scale, start, width, colour)
        if baseline is not None:
            _draw_outline(ax, domain.key, baseline.domains.get(domain.key), centre, width)
        if goal is not None:
            _draw_outline(ax, domain.key, goal.domains.get(domain.key), centre, width, goal=True)
        _label_domain(ax, domain.title, score, centre, colour)
    _draw_centre(ax, profile, framework)
    _add_legend(
        ax, baseline is not None, show_indicators and bool(profile.ratings), goal is not None
    )
    if title:
        ax.set_title(plain(title), pad=34)
    text = _describe(profile, baseline, framework, title)
    if goal is not None:
        aims = [
            f"{d.title} {goal.domains[d.key]:.0f}"
            for d in framework.domains
            if goal.domains.get(d.key) is not None
        ]
        text += f" The dotted outline shows the goal: {'; '.join(aims)}."
    set_description(ax, text)


def _set_up_axes(ax: PolarAxes) -> None:
    """Run the angles clockwise from the top, with score rings at 25, 50, 75 and 100."""
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 1.0)
    ax.set_yticks([radius_of(v) for v in (25, 50, 75, 100)])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#707070")
    ax.set_rlabel_position(0)  # along the gap between the top two quarters
    ax.set_xticks([])
    ax.grid(color=LIGHT_GREY, linewidth=0.6)
    ax.spines["polar"].set_color(LIGHT_GREY)


def _draw_fill(
    ax: PolarAxes, key: str, score: float | None, centre: float, width: float, colour: str
) -> None:
    """Fill one domain's quarter out to its score, or hatch the whole quarter if unscored."""
    if score is None:
        (bar,) = ax.bar(
            centre,
            1 - CENTRE_RADIUS,
            width=width,
            bottom=CENTRE_RADIUS,
            facecolor="none",
            edgecolor=DARK_GREY,
            hatch="///",
            linewidth=0.8,
        )
        bar.set_gid(f"unscored:{key}")
    else:
        (bar,) = ax.bar(
            centre,
            radius_of(score) - CENTRE_RADIUS,
            width=width,
            bottom=CENTRE_RADIUS,
            color=colour,
            alpha=0.35,
            edgecolor=colour,
            linewidth=1.2,
        )
        bar.set_gid(f"domain:{key}")


def _draw_indicators(
    ax: PolarAxes,
    domain: Domain,
    ratings: Mapping[str, float | None],
    scale: RatingScale,
    start: float,
    width: float,
    colour: str,
) -> None:
    """Draw each rated indicator of a domain as a thin sub-wedge at its own rating."""
    span = scale.max - scale.min
    sub = width / len(domain.indicators)
    for j, indicator in enumerate(domain.indicators):
        rating = ratings.get(indicator.key)
        if rating is None:
            continue
        value = (rating - scale.min) / span * 100
        if indicator.reverse:
            value = 100 - value
        (thin,) = ax.bar(
            start + _GAP + sub * (j + 0.5),
            radius_of(value) - CENTRE_RADIUS,
            width=sub * 0.35,
            bottom=CENTRE_RADIUS,
            color=colour,
            alpha=0.9,
            linewidth=0,
        )
        thin.set_gid(f"indicator:{indicator.key}")


def _add_legend(ax: PolarAxes, baseline: bool, indicators: bool, goal: bool = False) -> None:
    """Say what the fill, the outlines and the thin wedges mean, below the quadrant."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Patch | Line2D] = [
        Patch(
            facecolor="#A0A0A0",
            alpha=0.5,
            label="fill: domain score (0 at the centre, 100 at the rim)",
        )
    ]
    if indicators:
        handles.append(Patch(facecolor="#505A5F", label="thin wedge: each indicator's rating"))
    if baseline:
        handles.append(
            Line2D(
                [], [], color=DARK_GREY, linestyle="--", label="dashed outline: earlier assessment"
            )
        )
    if goal:
        handles.append(
            Line2D(
                [],
                [],
                color=GOAL_COLOUR,
                linestyle=":",
                linewidth=2,
                label="dotted outline: goal (where the person would like to be)",
            )
        )
    legend = ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8, ncol=1
    )
    legend.set_gid("legend")


def _draw_outline(
    ax: PolarAxes,
    key: str,
    before: float | None,
    centre: float,
    width: float,
    *,
    goal: bool = False,
) -> None:
    """Outline one domain's baseline (dashed) or goal (dotted, purple) score; nothing if it
    has none."""
    if before is None:
        return
    (outline,) = ax.bar(
        centre,
        radius_of(before) - CENTRE_RADIUS,
        width=width * (0.92 if goal else 1.0),
        bottom=CENTRE_RADIUS,
        fill=False,
        edgecolor=GOAL_COLOUR if goal else DARK_GREY,
        linestyle=":" if goal else "--",
        linewidth=2.0 if goal else 1.4,
    )
    outline.set_gid(f"{'goal' if goal else 'baseline'}:{key}")


def _label_domain(
    ax: PolarAxes, title: str, score: float | None, centre: float, colour: str
) -> None:
    """Write a domain's name and its score (or "not scored") outside its quarter."""
    label = "not scored" if score is None else f"{score:.0f}/100"
    name = "\n".join(textwrap.wrap(plain(title), 16))
    ax.text(
        centre,
        1.17,
        name,
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        color=colour,
    )
    ax.text(
        centre,
        1.05,
        label,
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        color=DARK_GREY,
    )


def _draw_centre(ax: PolarAxes, profile: Profile, framework: Framework) -> None:
    items = list(framework.centre)
    if not items:
        return
    share = 2 * np.pi / len(items)
    for i, item in enumerate(items):
        value = profile.centre.get(item.key)
        angle = -np.pi / 2 + share * (i + 0.5) if len(items) > 1 else 0.0
        shade = 0.15 if value is None else 0.15 + 0.5 * value / 100
        (disc,) = ax.bar(
            angle,
            CENTRE_RADIUS * 0.97,
            width=share,
            bottom=0,
            color=(0.07, 0.26, 0.43, shade),
            edgecolor="white",
            linewidth=1.5,
        )
        disc.set_gid(f"centre:{item.key}")
        shown = "not rated" if value is None else f"{value:.0f}"
        label = "\n".join(textwrap.wrap(plain(item.title), 8))
        ax.text(  # inside its own part of the disc, never on the line between two
            angle,
            CENTRE_RADIUS * 0.5,
            f"{label}\n{shown}",
            ha="center",
            va="center",
            fontsize=7.5,
            color=DARK_GREY,
        )


def _describe(
    profile: Profile, baseline: Profile | None, framework: Framework, title: str | None
) -> str:
    parts = []
    for domain in framework.domains:
        value = profile.domains.get(domain.key)
        if value is None:
            parts.append(f"{domain.title} not scored")
            continue
        text = f"{domain.title} {value:.0f} ({profile.bands.get(domain.key)})"
        before = None if baseline is None else baseline.domains.get(domain.key)
        if before is not None:
            text += f", from {before:.0f}"
        parts.append(text)
    centre = [
        f"{c.title} {profile.centre[c.key]:.0f}"
        for c in framework.centre
        if profile.centre.get(c.key) is not None
    ]
    head = "Quadrant profile of social wellbeing" + (f" for {title}" if title else "")
    text = f"{head}. Scores out of 100 by domain: {'; '.join(parts)}."
    if centre:
        text += f" At the centre: {', '.join(centre)}."
    if baseline is not None:
        text += " The dashed outline shows the earlier assessment."
    return text
