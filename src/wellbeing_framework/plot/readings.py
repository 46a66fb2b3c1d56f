"""Two views of one assessment: the person's own ratings beside the practitioner's."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from wellbeing_framework.plot.style import (
    CATEGORICAL,
    DARK_GREY,
    LIGHT_GREY,
    plain,
    set_description,
    theme,
)

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework

__all__ = ["readings"]


def _one_occasion(
    ratings: pd.DataFrame, person: Any, occasion: Any, raters: tuple[str, str]
) -> tuple[pd.Series, pd.Series, str]:
    """The two raters' rows of one person at one occasion (wave, else date)."""
    for column in ("rater", "person_id"):
        if column not in ratings.columns:
            raise ValueError(f"no {column!r} column: two views need who rated and whom")
    data = ratings
    if person is not None:
        data = data[data["person_id"].astype(str) == str(person)]
    elif len(set(data["person_id"].astype(str))) > 1:
        raise ValueError("the table holds several people: choose one with person=")
    when = next((c for c in ("wave", "assessment_date") if c in data.columns), None)
    if occasion is not None:
        if when is None:
            raise ValueError("no 'wave' or 'assessment_date' column to choose the occasion by")
        data = data[data[when] == occasion]
    rows = []
    for rater in raters:
        found = data[data["rater"].astype(str) == rater]
        if found.empty:
            raise ValueError(f"no assessment by {rater!r} of that person at that occasion")
        rows.append(found.iloc[-1] if when is None else found.sort_values(when).iloc[-1])
    if when is not None and rows[0][when] != rows[1][when]:
        raise ValueError(
            "the two raters' latest assessments are of different occasions: "
            "choose one with occasion="
        )
    label = "" if when is None else f"{when.replace('_', ' ')} {rows[0][when]}"
    return rows[0], rows[1], label


def readings(
    ratings: pd.DataFrame,
    fw: Framework,
    *,
    person: Any = None,
    occasion: Any = None,
    a: str = "self",
    b: str = "practitioner",
    apart: float | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Self and practitioner side by side, indicator by indicator, where they disagree.

    Parameters
    ----------
    ratings
        A wide ratings table with ``person_id`` and ``rater`` columns (``wave`` or
        ``assessment_date`` to choose the occasion).
    fw
        The framework.
    person, occasion
        Whose assessment, and when (a wave or a date); needed when the table holds more
        than one. By default the two raters' latest assessments.
    a, b
        The two raters compared (default the person's own view and the practitioner's).
    apart
        A disagreement of this many scale points or more is marked (default 2 points, or a
        fifth of the range on a continuous scale).
    ax
        Axes to draw on; a new figure is made if ``None``.
    title
        A title (left-aligned).

    Returns
    -------
    matplotlib.axes.Axes
        One row per indicator (domain by domain), rater ``a`` as circles (gid ``a``), ``b``
        as squares (gid ``b``), joined by a line; rows ``apart`` or more apart drawn bold
        with the line in orange (gid ``apart:<key>``).

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> own = {k: 4 for k in fw.indicator_keys}
    >>> theirs = {**own, "sw3": 1, "pm2": 3}
    >>> table = pd.DataFrame([{"person_id": "p1", "rater": "self", **own},
    ...                       {"person_id": "p1", "rater": "practitioner", **theirs}])
    >>> ax = wf.plot.readings(table, fw)
    >>> [g for line in ax.get_lines() if str(g := line.get_gid()).startswith("apart")]
    ['apart:sw3']
    """
    scale = fw.scale
    if apart is None:
        apart = 2 if scale.integer else (scale.max - scale.min) / 5
    if isinstance(apart, bool) or not isinstance(apart, int | float) or apart <= 0:
        raise TypeError("apart must be a positive number of scale points")
    first, second, when = _one_occasion(ratings, person, occasion, (a, b))
    keys = [i.key for i in fw.indicators]
    y = np.arange(len(keys))[::-1].astype(float)
    values_a, values_b = (_ratings(row, keys, scale) for row in (first, second))
    far = np.abs(values_a - values_b) >= apart
    with theme():
        if ax is None:
            _, ax = plt.subplots(figsize=(8.0, 0.32 * len(keys) + 1.6), layout="constrained")
        for key, row, va, vb, wide in zip(keys, y, values_a, values_b, far, strict=True):
            if not (np.isnan(va) or np.isnan(vb)):
                ax.plot(
                    [va, vb],
                    [row, row],
                    color=CATEGORICAL[3] if wide else LIGHT_GREY,
                    linewidth=2.5 if wide else 1.5,
                    gid=f"apart:{key}" if wide else None,
                )
        ax.plot(values_a, y, "o", color=CATEGORICAL[0], label=plain(a), gid="a")
        ax.plot(values_b, y, "s", color=CATEGORICAL[1], label=plain(b), gid="b")
        _label_rows(ax, fw, y, far)
        ax.set_xlim(scale.min - 0.3, scale.max + 0.3)
        if scale.integer:
            ax.set_xticks(list(scale.points))
            ax.set_xticklabels(
                ["\n".join(textwrap.wrap(scale.label(p), 10)) for p in scale.points], fontsize=8
            )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=8)
        heading = title or f"Two views{' at ' + when if when else ''}"
        ax.set_title(plain(heading), loc="left")
    shown = [k for k, w in zip(keys, far, strict=True) if w]
    set_description(
        ax,
        f"Dot plot of each indicator as rated by {a} (circles) and {b} (squares). "
        + (
            f"They are {apart:g} or more points apart on: {', '.join(shown)}."
            if shown
            else f"No indicator is {apart:g} or more points apart."
        ),
    )
    return ax


def _ratings(row: pd.Series, keys: list[str], scale: Any) -> np.ndarray:
    """One rater's ratings as numbers on the scale (missing where not answered), or an
    error that counts what is wrong without showing it."""
    given = row.reindex(keys)
    values = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)
    text = int((np.isnan(values) & given.notna().to_numpy()).sum())
    if text:
        raise ValueError(f"{text} ratings are not numbers: check them with wf.validate first")
    off = int((~np.isnan(values) & ((values < scale.min) | (values > scale.max))).sum())
    if off:
        raise ValueError(f"{off} ratings are off the scale {scale.min}-{scale.max}")
    return values


def _label_rows(ax: Axes, fw: Framework, y: np.ndarray, far: np.ndarray) -> None:
    """Each indicator's words on the left (bold where the raters are far apart), and a line
    and the title between domains."""
    labels = [plain(textwrap.shorten(i.text, 48, placeholder="...")) for i in fw.indicators]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=7.5)
    for tick, wide in zip(ax.get_yticklabels(), far, strict=True):
        if wide:
            tick.set_fontweight("bold")
    n = 0
    for domain in fw.domains:
        top = y[n]
        ax.text(
            1.01,
            top,
            domain.title,
            transform=ax.get_yaxis_transform(),
            fontsize=7.5,
            color=DARK_GREY,
            va="center",
            fontweight="bold",
        )
        n += len(domain.indicators)
        if n < len(y):
            ax.axhline(y[n] + 0.5, color=LIGHT_GREY, linewidth=0.8)
