"""One place for the look of every plot: palette, fonts, and the text description of a plot.

Colours are the UK Government Analysis Function palette, chosen to be distinguishable with
the common forms of colour-blindness. Information is never carried by colour alone: every
plot also labels, hatches or marks what it shows.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "BAND_COLOURS",
    "CATEGORICAL",
    "DARK_GREY",
    "MID_GREY",
    "RC_COLOURS",
    "describe",
    "domain_colours",
    "plain",
    "save",
    "set_description",
    "theme",
]

#: Analysis Function categorical palette (dark blue, turquoise, dark pink, orange, dark grey,
#: light purple), in the recommended order.
CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Sequential blues for ordered bands, lowest band lightest.
BAND_COLOURS = ("#BFD8F0", "#6BACE6", "#2073BC", "#12436D")
DARK_GREY = "#3D3D3D"
MID_GREY = "#707070"
LIGHT_GREY = "#D9D9D9"
#: Reliable change categories: improved, no reliable change, deteriorated.
RC_COLOURS = {"improved": "#12436D", "no reliable change": "#A0A0A0", "deteriorated": "#F46A25"}
RC_MARKERS = {"improved": "^", "no reliable change": "o", "deteriorated": "v"}

_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "DejaVu Sans", "sans-serif"],
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.edgecolor": DARK_GREY,
    "axes.labelcolor": DARK_GREY,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": DARK_GREY,
    "ytick.color": DARK_GREY,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
}

_DESCRIPTIONS: weakref.WeakKeyDictionary[Axes, str] = weakref.WeakKeyDictionary()


@contextmanager
def theme() -> Iterator[None]:
    """Temporarily apply the library's matplotlib settings (fonts, colours, spines).

    Whether matplotlib is interactive survives the context: when the first figure of a
    session is made inside it, the notebook backend turns interactive mode on, and undoing
    that on leaving would stop every later figure in the notebook from being shown.
    """
    with mpl.rc_context(_RC):  # type: ignore[arg-type]
        yield
        interactive = mpl.is_interactive()
    mpl.interactive(interactive)


def plain(text: object) -> str:
    """Text from the data (a group called "$5 to $10 fund", a name) as a label shown as
    written: its dollar signs escaped, so matplotlib never reads it as mathematics.

    Examples
    --------
    >>> print(plain("$5 to $10 fund"))
    \\$5 to \\$10 fund
    """
    return str(text).replace("$", r"\$")


def domain_colours(keys: Sequence[str]) -> dict[str, str]:
    """A colour for each domain key, in order, from the categorical palette."""
    return {k: CATEGORICAL[i % len(CATEGORICAL)] for i, k in enumerate(keys)}


def set_description(ax: Axes, text: str) -> None:
    """Attach a plain-text description (alt text) to an Axes."""
    _DESCRIPTIONS[ax] = text


def describe(ax: Axes) -> str:
    """Return a one-paragraph text description of what a plot shows, for alt text.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> ax = wf.plot.quadrant(wf.score_one({k: 4 for k in fw.indicator_keys}, fw), fw)
    >>> print(wf.plot.describe(ax).split(". ")[0])
    Quadrant profile of social wellbeing
    """
    try:
        return _DESCRIPTIONS[ax]
    except KeyError:
        msg = "this Axes was not drawn by wellbeing_framework.plot, so it has no description"
        raise KeyError(msg) from None


#: Resolution of every PNG the library saves (print quality).
PRINT_DPI = 200


def save(ax: Axes, stem: str | os.PathLike[str]) -> list[Path]:
    """Save the Axes' figure as a PNG at 200 dpi and as an SVG, and close it.

    Parameters
    ----------
    ax
        An Axes drawn by ``wellbeing_framework.plot`` (or any Axes).
    stem
        The file name without extension: ``figures/quadrant`` writes ``figures/quadrant.png``
        and ``figures/quadrant.svg`` (each whole or not at all).

    Returns
    -------
    list of pathlib.Path
        The two files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> ax = wf.plot.quadrant(wf.score_one({k: 4 for k in fw.indicator_keys}, fw), fw)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in wf.plot.save(ax, pathlib.Path(tmp) / "profile")]
    ['profile.png', 'profile.svg']
    """
    import matplotlib.pyplot as plt

    from wellbeing_framework.atomic import replacing

    figure = cast("Figure", ax.figure)
    base = Path(stem)
    written = []
    for suffix in ("png", "svg"):
        target = base.with_name(f"{base.name}.{suffix}")
        with replacing(target) as part:
            figure.savefig(part, format=suffix, dpi=PRINT_DPI, bbox_inches="tight")
        written.append(target)
    plt.close(figure)
    return written
