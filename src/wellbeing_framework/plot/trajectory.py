"""The trajectory plot: the mean score at each wave, with its confidence interval."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from wellbeing_framework.plot.style import CATEGORICAL, plain, set_description, theme

__all__ = ["trajectory"]

#: Markers and line styles, so groups differ without colour.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_LINES = ("-", "--", ":", "-.")


def trajectory(
    table: pd.DataFrame,
    *,
    measure: str = "index",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Mean score at each wave with its 95 % interval as a ribbon; one line per group.

    Parameters
    ----------
    table
        Output of :func:`wellbeing_framework.cohort.trajectory`.
    measure
        The measure to draw.
    ax
        Axes to draw on; a new figure is made if ``None``.
    title
        A title (left-aligned).

    Returns
    -------
    matplotlib.axes.Axes
        Lines (gid ``mean``) with markers and line styles that differ between groups, so
        they can be told apart without colour, and a legend beside the plot; ribbons
        (gid ``ci``). Suppressed waves are gaps in the line.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(300, waves=3, seed=4), fw)
    >>> ax = wf.plot.trajectory(wf.cohort.trajectory(scores, fw, measure="index"))
    >>> [line.get_gid() for line in ax.get_lines()]
    ['mean']
    """
    rows = table[table["measure"] == measure]
    if rows.empty:
        msg = f"the table has no rows for measure {measure!r}"
        raise ValueError(msg)
    first = str(table.columns[0])
    by = first if first != "measure" else None
    groups = list(dict.fromkeys(rows[by])) if by else [None]
    waves = sorted(pd.unique(rows["wave"]))
    measure_title = str(rows["title"].iloc[0])
    named = "index" if measure == "index" else measure_title
    said = []
    with theme():
        if ax is None:
            _, ax = plt.subplots(figsize=(7.0, 4.0), layout="constrained")
        for i, group in enumerate(groups):
            part = rows if group is None else rows[rows[by] == group]
            part = part.set_index("wave").reindex(waves)
            x = np.asarray(waves, dtype=float)
            mean = part["mean"].to_numpy(dtype=float, na_value=np.nan)
            low = part["ci_low"].to_numpy(dtype=float, na_value=np.nan)
            high = part["ci_high"].to_numpy(dtype=float, na_value=np.nan)
            colour = CATEGORICAL[i % len(CATEGORICAL)]
            ax.fill_between(x, low, high, color=colour, alpha=0.15, linewidth=0, gid="ci")
            (line,) = ax.plot(
                x,
                mean,
                marker=_MARKERS[i % len(_MARKERS)],
                linestyle=_LINES[i % len(_LINES)],
                color=colour,
                linewidth=2,
                label=plain(group) if group is not None else measure_title,
            )
            line.set_gid("mean")
            points = ", ".join(
                f"Wave {w:g} {m:.1f} ({lo:.1f} to {hi:.1f})"
                if not np.isnan(lo)
                else f"Wave {w:g} {m:.1f}"
                for w, m, lo, hi in zip(x, mean, low, high, strict=True)
                if not np.isnan(m)
            )
            hidden = [f"{w:g}" for w, m in zip(x, mean, strict=True) if np.isnan(m)]
            text = points or "no published means"
            if hidden:
                text += f"; not shown at wave {', '.join(hidden)} (suppressed or not scored)"
            said.append(f"{group}: {text}" if group is not None else text)
        ax.set_xticks(waves)
        ax.set_xlabel("Wave")
        ax.set_ylabel(f"Mean {named} (0-100)")
        ax.set_xlim(min(waves) - 0.3, max(waves) + 0.3)
        if by:
            ax.legend(
                loc="center left",
                bbox_to_anchor=(1.01, 0.5),
                fontsize=8,
                title=plain(by.replace("_", " ")),
            )
        if title:
            ax.set_title(plain(title), loc="left")
    set_description(
        ax,
        f"Line chart of the mean {named} score at each wave with 95% confidence "
        f"intervals as shaded ribbons"
        + (f", one line per {by.replace('_', ' ')}" if by else "")
        + ". "
        + "; ".join(said)
        + ".",
    )
    return ax
