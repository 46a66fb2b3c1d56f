"""Tables a person reads: the framework's titles, plain headings, rounded numbers.

Scores have one decimal, shares are whole percentages, counts have thousands separators.
A cell whose count disclosure control hid is a dash; a figure that cannot be computed is
"n/a"; a footnote under the table says which is which and why. No table has more than
:data:`MAX_COLUMNS` columns, so each fits an A4 page in portrait: wide results are split
into two tables or turned on their side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from wellbeing_framework.cohort import DisclosurePolicy
from wellbeing_framework.report.document import Table

__all__ = [
    "DASH",
    "MAX_COLUMNS",
    "NOT_AVAILABLE",
    "count",
    "interval",
    "is_missing",
    "make_table",
    "make_tables",
    "percent",
    "ratio",
    "score",
    "signed",
]

#: A cell hidden by disclosure control.
DASH = "–"
#: A figure that cannot be computed.
NOT_AVAILABLE = "n/a"
#: The most columns a table may have (one A4 page wide, in portrait).
MAX_COLUMNS = 7
_MINUS = "−"


def is_missing(value: object) -> bool:
    """True for ``None``, ``NaN`` and ``pd.NA``."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def score(value: object, hidden: bool = False) -> str:
    """A 0-100 score or mean to one decimal: ``54.3``."""
    number = _number(value)
    if hidden:
        return DASH
    return NOT_AVAILABLE if number is None else f"{number:.1f}"


def signed(value: object, hidden: bool = False, decimals: int = 1) -> str:
    """A change with its sign: ``+6.3``, ``−1.2`` (a true minus sign)."""
    number = _number(value)
    if hidden:
        return DASH
    if number is None:
        return NOT_AVAILABLE
    text = f"{abs(number):.{decimals}f}"
    if float(text) == 0:
        return text
    return ("+" if number > 0 else _MINUS) + text


def interval(low: object, high: object, hidden: bool = False, decimals: int = 1) -> str:
    """An interval: ``4.9 to 7.7``."""
    a, b = _number(low), _number(high)
    if hidden:
        return DASH
    if a is None or b is None:
        return NOT_AVAILABLE
    return f"{_plain(a, decimals)} to {_plain(b, decimals)}"


def _plain(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace("-", _MINUS) if value < 0 and float(text) != 0 else text.lstrip("-")


def percent(share: object, hidden: bool = False) -> str:
    """A share of 0-1 as a whole percentage: ``35%``; below 0.5 % but above 0, ``<1%``."""
    number = _number(share)
    if hidden or number is None:  # a share is missing only when its count is hidden
        return DASH
    if 0 < number < 0.005:
        return "<1%"
    return f"{100 * number:.0f}%"


def count(value: object) -> str:
    """A published count (a dash when suppressed): ``1,250``."""
    number = _number(value)
    return DASH if number is None else f"{int(number):,}"


def ratio(value: object, hidden: bool = False, decimals: int = 2) -> str:
    """A coefficient (alpha, an effect size) to two decimals."""
    number = _number(value)
    if hidden:
        return DASH
    return NOT_AVAILABLE if number is None else _plain(number, decimals)


def make_table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    policy: DisclosurePolicy,
    *,
    notes: Iterable[str] = (),
    not_available: str = "the figure cannot be computed from these data.",
) -> Table:
    """A :class:`Table` with the footnotes its cells call for.

    Raises
    ------
    ValueError
        If the table would be wider than :data:`MAX_COLUMNS` columns, or a row's length
        differs from the header's.
    """
    if len(header) > MAX_COLUMNS:
        msg = f"a report table has at most {MAX_COLUMNS} columns, not {len(header)}"
        raise ValueError(msg)
    body = tuple(tuple(row) for row in rows)
    if any(len(row) != len(header) for row in body):
        msg = "every row of a table needs one cell per heading"
        raise ValueError(msg)
    cells = {cell for row in body for cell in row}
    footnotes = []
    if DASH in cells:
        footnotes.append(
            f"{DASH} suppressed to protect privacy: {policy.describe()} A figure that would "
            "reveal a suppressed count is hidden too, even a large one, so that a small count "
            "cannot be worked out by subtraction."
        )
    if NOT_AVAILABLE in cells:
        footnotes.append(f"{NOT_AVAILABLE}: {not_available}")
    footnotes += [n for n in notes if n]
    return Table(caption, tuple(header), body, tuple(footnotes))


def make_tables(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    policy: DisclosurePolicy,
    *,
    keep: int = 1,
    notes: Iterable[str] = (),
) -> list[Table]:
    """One table, or several when it would be too wide: each part repeats the first
    ``keep`` columns and says which part it is."""
    body = [tuple(row) for row in rows]
    width = MAX_COLUMNS - keep
    rest = list(range(keep, len(header)))
    chunks = [rest[i : i + width] for i in range(0, len(rest), width)] or [[]]
    notes = list(notes)
    out = []
    for k, chunk in enumerate(chunks):
        columns = [*range(keep), *chunk]
        name = caption if len(chunks) == 1 else f"{caption} (part {k + 1} of {len(chunks)})"
        out.append(
            make_table(
                name,
                [header[c] for c in columns],
                [[row[c] for c in columns] for row in body],
                policy,
                notes=notes if k == len(chunks) - 1 else (),
            )
        )
    return out
