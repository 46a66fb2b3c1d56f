"""Cohort and individual charts: star, snapshot, change, continuum, groups."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from wellbeing_framework.cohort.change import ChangeResult
from wellbeing_framework.cohort.disclosure import published_shares
from wellbeing_framework.cohort.snapshot import NOT_SCORED
from wellbeing_framework.framework import Framework
from wellbeing_framework.plot.quadrant import _polar_axes, as_profile
from wellbeing_framework.plot.style import (
    BAND_COLOURS,
    CATEGORICAL,
    DARK_GREY,
    LIGHT_GREY,
    MID_GREY,
    RC_COLOURS,
    RC_MARKERS,
    plain,
    set_description,
    theme,
)
from wellbeing_framework.scoring import Profile

__all__ = ["change", "continuum", "groups", "snapshot", "star"]

_HATCHES = ("", "//", "..", "\\\\", "oo", "++")  # "xxx" is kept for suppressed parts

#: The segment of a 100 % bar that disclosure control hid.
SUPPRESSED = "suppressed"


def star(
    profiles: Sequence[Profile | pd.Series] | Profile | pd.Series,
    framework: Framework,
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Indicator-level radar: every indicator a spoke, several profiles overlaid.

    Parameters
    ----------
    profiles
        One or more :class:`~wellbeing_framework.Profile` objects (or rows of a scores table
        that still hold the ratings).
    framework
        The framework.
    labels
        Legend labels, one per profile (default "Profile 1", ...).
    ax
        A polar Axes; a new figure is made if ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One line per profile (gid ``profile:<i>``), each with a different line style and
        marker, and a legend.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> a = wf.score_one({k: 4 for k in fw.indicator_keys}, fw)
    >>> b = wf.score_one({k: 2 for k in fw.indicator_keys}, fw)
    >>> ax = wf.plot.star([a, b], fw, labels=["now", "before"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['now', 'before']
    """
    items = [profiles] if isinstance(profiles, Profile | pd.Series) else list(profiles)
    chosen = [as_profile(p, framework) for p in items]
    names = (
        list(labels) if labels is not None else [f"Profile {i + 1}" for i in range(len(chosen))]
    )
    if len(names) != len(chosen):
        msg = f"{len(chosen)} profiles but {len(names)} labels"
        raise ValueError(msg)
    polar = _polar_axes(ax)
    keys = list(framework.indicator_keys)
    angles = np.linspace(0, 2 * np.pi, len(keys), endpoint=False)
    scale = framework.scale
    styles = ["-", "--", ":", "-."]
    markers = ["o", "s", "^", "D"]
    with theme():
        polar.set_theta_zero_location("N")
        polar.set_theta_direction(-1)
        polar.set_ylim(0, 100)
        polar.set_yticks([25, 50, 75, 100])
        polar.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color=MID_GREY)
        polar.set_xticks(angles)
        polar.set_xticklabels(keys, fontsize=8)
        polar.grid(color=LIGHT_GREY, linewidth=0.6)
        for i, (profile, name) in enumerate(zip(chosen, names, strict=True)):
            values = []
            for key in keys:
                rating = profile.ratings.get(key)
                if rating is None:
                    values.append(np.nan)
                    continue
                value = (rating - scale.min) / (scale.max - scale.min) * 100
                values.append(100 - value if framework.indicator(key).reverse else value)
            closed = np.r_[values, values[:1]]
            (line,) = polar.plot(
                np.r_[angles, angles[:1]],
                closed,
                color=CATEGORICAL[i % len(CATEGORICAL)],
                linestyle=styles[i % len(styles)],
                marker=markers[i % len(markers)],
                markersize=4,
                linewidth=1.6,
                label=name,
            )
            line.set_gid(f"profile:{i}")
        polar.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1))
        if title:
            polar.set_title(title, pad=24)
    set_description(
        polar,
        f"Star chart of {len(keys)} indicators rescaled to 0-100, one line per profile: "
        + ", ".join(names)
        + ". Missing ratings leave gaps in a line.",
    )
    return polar


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def snapshot(snap: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """100 % stacked bars: the share of people in each band, per domain.

    Parameters
    ----------
    snap
        Output of :func:`wellbeing_framework.cohort.snapshot` (counts after disclosure
        control).
    ax
        Axes to draw on; a new figure is made if ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per measure, one segment per band (gid ``band:<measure>:<band>``),
        with hatching as well as colour, percentages written on wide segments, and a note on
        the disclosure control applied.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(300, waves=1, seed=1), fw)
    >>> ax = wf.plot.snapshot(wf.cohort.snapshot(scores, fw))
    >>> tuple(float(x) for x in ax.get_xlim())
    (0.0, 100.0)
    """
    table = snap[snap["band"] != NOT_SCORED]
    measures = list(dict.fromkeys(table["measure"]))
    titles = dict(zip(table["measure"], table["title"], strict=False))
    bands = list(dict.fromkeys(table["band"]))
    colours = {b: BAND_COLOURS[i % len(BAND_COLOURS)] for i, b in enumerate(bands)}
    colours[NOT_SCORED] = LIGHT_GREY
    hatches = {b: _HATCHES[i % len(_HATCHES)] for i, b in enumerate(bands)}
    hatches[NOT_SCORED] = ""
    axes = _axes(ax, (7.5, 0.5 * len(measures) + 1.6))
    shares: dict[str, dict[str, float]] = {}
    any_scaled = False
    with theme():
        for row, measure in enumerate(measures):
            part = snap[snap["measure"] == measure].set_index("band")
            n = part["n"].iloc[0]
            order = [*bands, NOT_SCORED]
            values, hidden, scaled = published_shares([part["count"].get(b) for b in order], n)
            any_scaled |= scaled
            widths = dict(zip(order, 100 * values, strict=True)) | {SUPPRESSED: 100 * hidden}
            shares[measure] = widths
            _stacked_bar(axes, row, measure, widths, colours, hatches)
        axes.set_yticks(range(len(measures)))
        axes.set_yticklabels(["\n".join(textwrap.wrap(titles[m], 18)) for m in measures])
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel("% of people (of the published total n)")
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, title="Band")
        note = snap.attrs.get("disclosure")
        if note:
            axes.annotate(
                note,
                xy=(0, 0),
                xycoords="figure fraction",
                xytext=(6, 4),
                textcoords="offset points",
                fontsize=7,
                color=MID_GREY,
            )
        if title:
            axes.set_title(title, loc="left")
    index = shares.get("index", {})
    summary = ", ".join(f"{b} {w:.0f}%" for b, w in index.items() if w > 0)
    set_description(
        axes,
        f"Stacked bars of the share of people in each band for {len(measures)} measures, "
        "of the published total. "
        + (f"Index: {summary}. " if summary else "")
        + ("Rounded counts were scaled to add to 100%. " if any_scaled else "")
        + (note or ""),
    )
    return axes


def _stacked_bar(
    axes: Axes,
    row: int,
    measure: str,
    widths: dict[str, float],
    colours: dict[str, str],
    hatches: dict[str, str],
) -> None:
    """One 100 % bar: a segment per category, the suppressed part hatched grey."""
    left = 0.0
    for band, width in widths.items():
        hidden = band == SUPPRESSED
        (bar,) = axes.barh(
            row,
            width,
            left=left,
            color="white" if hidden else colours[band],
            hatch="xxx" if hidden else hatches[band],
            edgecolor=MID_GREY if hidden else "white",
            label=band if row == 0 and (width > 0 or not hidden) else None,
        )
        bar.set_gid(f"band:{measure}:{band}")
        if width >= 8:  # dark text on a white label: readable on any fill or hatch
            axes.text(
                left + width / 2,
                row,
                f"{width:.0f}%",
                ha="center",
                va="center",
                fontsize=8,
                color=DARK_GREY,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
            )
        left += width


def change(
    result: ChangeResult,
    *,
    domain: str = "index",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """The Jacobson-Truax plot: baseline against follow-up, with the reliable-change band.

    Parameters
    ----------
    result
        Output of :func:`wellbeing_framework.cohort.change`.
    domain
        The measure to show (a domain key or ``"index"``).
    ax
        Axes to draw on; a new figure is made if ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        Points per category (gid ``points:<category>``, distinct colour *and* marker), the
        identity line (gid ``identity``) and the two edges of the band of no reliable change
        (gid ``rc_band``).

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> result = wf.cohort.change(wf.make_cohort(200, waves=2, seed=2), fw)
    >>> ax = wf.plot.change(result, domain="sw")
    >>> ax.get_xlabel()
    'Baseline score (0-100)'
    """
    people = result.people[result.people["measure"] == domain].dropna(
        subset=["baseline", "follow_up"]
    )
    if people.empty:
        msg = f"no people with both scores for measure {domain!r}"
        raise ValueError(msg)
    reliabilities = dict(
        zip(result.summary["measure"], result.summary["reliability"], strict=True)
    )
    r = float(reliabilities[domain])
    sd = float(people["baseline"].std(ddof=1))
    half = 1.959963984540054 * np.sqrt(2) * sd * np.sqrt(1 - r)
    axes = _axes(ax, (6.0, 6.0))
    with theme():
        grid = np.array([0.0, 100.0])
        axes.fill_between(grid, grid - half, grid + half, color=LIGHT_GREY, alpha=0.6, lw=0)
        lower = axes.plot(grid, grid - half, color=MID_GREY, linestyle=":", linewidth=1)[0]
        upper = axes.plot(grid, grid + half, color=MID_GREY, linestyle=":", linewidth=1)[0]
        lower.set_gid("rc_band")
        upper.set_gid("rc_band")
        (identity,) = axes.plot(grid, grid, color=DARK_GREY, linewidth=1)
        identity.set_gid("identity")
        for category, colour in RC_COLOURS.items():
            part = people[people["category"] == category]
            points = axes.scatter(
                part["baseline"],
                part["follow_up"],
                s=14,
                color=colour,
                marker=RC_MARKERS[category],
                alpha=0.7,
                label=f"{category}",
                linewidths=0,
            )
            points.set_gid(f"points:{category}")
        axes.set_xlim(0, 100)
        axes.set_ylim(0, 100)
        axes.set_aspect("equal")
        axes.set_xlabel("Baseline score (0-100)")
        axes.set_ylabel("Follow-up score (0-100)")
        axes.legend(loc="upper left", title="Reliable change", fontsize=8)
        axes.set_title(title or f"Change in {domain}", loc="left")
    set_description(
        axes,
        f"Scatter of baseline against follow-up {domain} scores for {len(people)} people. "
        f"Points above the diagonal improved; the shaded band (±{half:.1f} points) is change "
        "within measurement error (Jacobson & Truax). Categories are shown by colour and "
        "marker shape. Individual points: for analysis, not for publication.",
    )
    return axes


def continuum(
    placed: pd.DataFrame,
    framework: Framework,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    seed: int = 0,
    label: str | None = None,
) -> Axes:
    """The empower-protect axis with its approaches as segments and each case's position.

    Parameters
    ----------
    placed
        Output of :func:`wellbeing_framework.place_on_continuum`.
    framework
        The framework (its continuum gives the segments).
    by
        A grouping column: one strip per group.
    ax
        Axes to draw on; a new figure is made if ``None``.
    seed
        Seed of the vertical jitter that keeps points apart.
    label
        A column whose text labels each case (gid ``label``). By default the teaching
        vignettes (a ``title`` column, at most 12 cases) are labelled with their titles;
        a person identifier is never used unless asked for.

    Returns
    -------
    matplotlib.axes.Axes
        Segments (gid ``approach:<key>``), cases as dots (gid ``cases``) and cases with a
        raised flag as crosses (gid ``flagged``). Dots at either end are drawn whole.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), fw), fw)
    >>> ax = wf.plot.continuum(placed, fw)
    >>> tuple(float(x) for x in ax.get_xlim())
    (0.0, 1.0)
    """
    if framework.continuum is None:
        msg = f"framework {framework.key!r} has no practice continuum"
        raise ValueError(msg)
    approaches = framework.continuum.approaches
    centres = np.linspace(0, 1, len(approaches))
    edges = np.r_[0, (centres[1:] + centres[:-1]) / 2, 1]
    groups = [None] if by is None else sorted(placed[by].dropna().unique(), key=str)
    flags = [c for c in placed.columns if c.startswith("flag_")]
    column = label
    if column is None and "title" in placed.columns and len(placed) <= MAX_LABELLED:
        column = "title"
    axes = _axes(ax, (8.5, 1.8 + 0.6 * len(groups) + (0.6 if column is not None else 0)))
    rng = np.random.default_rng(seed)
    with theme():
        for j, approach in enumerate(approaches):
            span = axes.axvspan(
                edges[j], edges[j + 1], color=BAND_COLOURS[j % 4], alpha=0.35, lw=0
            )
            span.set_gid(f"approach:{approach.key}")
            axes.text(
                (edges[j] + edges[j + 1]) / 2,
                -0.6,
                "\n".join(textwrap.wrap(approach.title, 14)),
                ha="center",
                va="bottom",
                fontsize=8,
                color=DARK_GREY,
            )
        for row, group in enumerate(groups):
            part = placed if group is None else placed[placed[by] == group]
            _draw_cases(axes, part[part["continuum_position"].notna()], row, flags, rng, column)
        axes.set_xlim(0, 1)
        # first group at the top, approach names above it, case labels under the last
        axes.set_ylim(len(groups) - 0.5 + (0.8 if column is not None else 0), -1.5)
        axes.set_yticks(range(len(groups)))
        axes.set_yticklabels(["all cases"] if by is None else [plain(g) for g in groups])
        axes.set_xticks([0, 0.5, 1])
        axes.set_xticklabels(["0\nempowering", "0.5", "1\nprotecting"])
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
        if title:
            axes.set_title(title, loc="left")
    not_placed = int(placed["continuum_position"].isna().sum())
    set_description(
        axes,
        f"Cases placed on the practice continuum from empowering (0) to protecting (1), "
        f"with its {len(approaches)} approaches as shaded segments; crosses mark cases with "
        f"a raised flag. {len(placed) - not_placed} cases shown"
        + (f", {not_placed} not placed for lack of information" if not_placed else "")
        + ". Decision support for reflection, not a decision.",
    )
    return axes


def _draw_cases(
    axes: Axes,
    part: pd.DataFrame,
    row: int,
    flags: list[str],
    rng: np.random.Generator,
    column: str | None,
) -> None:
    """One strip of the continuum: cases as dots, flagged cases as crosses, labels."""
    flagged = np.zeros(len(part), dtype=bool)
    for flag in flags:
        flagged |= part[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)
    y = row + rng.uniform(-0.25, 0.25, size=len(part))
    x = part["continuum_position"].to_numpy(dtype=float)
    dots = axes.scatter(
        x[~flagged],
        y[~flagged],
        s=12,
        color=CATEGORICAL[0],
        alpha=0.6,
        linewidths=0,
        label="case" if row == 0 else None,
    )
    dots.set_gid("cases")
    crosses = axes.scatter(
        x[flagged],
        y[flagged],
        s=22,
        color=CATEGORICAL[3],
        marker="x",
        label="flag raised" if row == 0 else None,
    )
    crosses.set_gid("flagged")
    for artist in (dots, crosses):
        artist.set_clip_on(False)  # a case at 0 or 1 is drawn whole
    if column is not None:
        _label_cases(axes, x, y, part[column])


def _signed(value: float) -> str:
    """A gap with its sign, to one decimal; a gap that rounds to zero is "0.0", never "-0.0"."""
    text = f"{value:+.1f}"
    return "0.0" if float(text) == 0 else text


#: The most cases :func:`continuum` labels by default.
MAX_LABELLED = 12


def _label_cases(axes: Axes, x: np.ndarray, y: np.ndarray, labels: pd.Series) -> None:
    """Write each case's label under its dot, kept inside the plot at either end."""
    for i in range(len(x)):
        text = axes.annotate(
            plain("\n".join(textwrap.wrap(str(labels.iloc[i]), 18))),
            (x[i], y[i]),
            xytext=(0, -6),
            textcoords="offset points",
            ha="left" if x[i] < 0.1 else "right" if x[i] > 0.9 else "center",
            va="top",
            fontsize=7,
            color=DARK_GREY,
        )
        text.set_gid("label")


def groups(
    comparison: pd.DataFrame,
    *,
    measure: str = "index",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Forest plot of group means with confidence intervals against the overall mean.

    Parameters
    ----------
    comparison
        Output of :func:`wellbeing_framework.cohort.compare_groups`.
    measure
        The measure to show.
    ax
        Axes to draw on; a new figure is made if ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        One row per group: the mean (gid ``mean``), its interval (gid ``ci``), and the overall
        mean as a dashed vertical line (gid ``overall``). Suppressed groups are listed as
        "suppressed (small number)".

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(400, waves=1, seed=3), fw)
    >>> table = wf.cohort.compare_groups(scores[scores.rater == "self"], fw, by="area")
    >>> ax = wf.plot.groups(table)
    >>> len(ax.get_yticklabels())
    5
    """
    table = comparison[comparison["measure"] == measure].reset_index(drop=True)
    by = comparison.columns[0]
    axes = _axes(ax, (7.0, 0.45 * len(table) + 1.4))
    labels = []
    with theme():
        overall = float(table["overall"].iloc[0]) if len(table) else np.nan
        line = axes.axvline(overall, color=DARK_GREY, linestyle="--", linewidth=1)
        line.set_gid("overall")
        for row, record in table.iterrows():
            y = int(str(row))
            n = record["n"]
            if pd.isna(record["mean"]):
                labels.append(f"{record[by]} (suppressed: small number)")
                continue
            labels.append(f"{record[by]} (n={n})")
            ci = axes.plot(
                [record["ci_low"], record["ci_high"]], [y, y], color=CATEGORICAL[0], linewidth=2
            )[0]
            ci.set_gid("ci")
            mean = axes.plot(record["mean"], y, marker="s", color=CATEGORICAL[0], markersize=6)
            mean[0].set_gid("mean")
        axes.set_yticks(range(len(table)))
        axes.set_yticklabels([plain("\n".join(textwrap.wrap(label, 30))) for label in labels])
        axes.invert_yaxis()
        axes.set_xlabel(f"Mean {measure} score (0-100) with 95% CI; dashed: everyone")
        if title:
            axes.set_title(title, loc="left")
    gaps = [
        f"{record[by]} {_signed(record['gap'])}"
        for _, record in table.iterrows()
        if pd.notna(record["gap"])
    ]
    set_description(
        axes,
        f"Forest plot of mean {measure} scores by {str(by).replace('_', ' ')} with 95% "
        "confidence intervals, against "
        + (f"the overall mean of {overall:.1f}. " if np.isfinite(overall) else "no overall mean. ")
        + (
            f"Gaps to everyone else: {', '.join(gaps)}."
            if gaps
            else "No gaps: there is no other group to compare with."
        ),
    )
    return axes
