"""What a report says, before it is written as HTML or Word: sections of plain blocks.

The numbers and words are decided once, here; :mod:`.html` and :mod:`.word` only lay them
out. A block is a paragraph, a note, a figure (PNG bytes with alt text), a table of text
cells with its footnotes, or a block of machine-readable text (kept for provenance).
"""

from __future__ import annotations

import re

from attrs import field, frozen

__all__ = [
    "Block",
    "Document",
    "Figure",
    "Listing",
    "Paragraph",
    "Section",
    "Table",
    "printable",
]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def printable(text: object) -> str:
    """Text without the control characters no document format may hold (a title or a
    group name from a spreadsheet can carry them); each becomes a space.

    Examples
    --------
    >>> printable("North\x0bteam")
    'North team'
    """
    return _CONTROL.sub(" ", str(text))


@frozen
class Paragraph:
    """Running text; ``kind`` is ``"text"``, ``"reading"`` (the section's one-sentence
    reading), ``"note"`` (a caveat set apart) or ``"small"`` (a footnote-sized remark)."""

    text: str
    kind: str = "text"


@frozen(eq=False)
class Figure:
    """A figure as PNG bytes at print resolution, with its alt text."""

    png: bytes = field(repr=lambda b: f"<{len(b):,} bytes>")
    alt: str
    dpi: int = 200

    @property
    def caption(self) -> str:
        """The first sentence of the alt text: what the figure shows, for under it."""
        head = self.alt.split(". ", 1)[0].rstrip(".")
        return head + "."


@frozen
class Table:
    """A table of text cells, ready to read: headings, rows, a caption and footnotes."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...] = ()

    def numeric_columns(self) -> tuple[bool, ...]:
        """Which columns hold numbers (right-aligned): every cell a number, a share, an
        interval, a dash (a hidden count) or n/a."""
        columns = list(zip(*self.rows, strict=True)) if self.rows else []
        return tuple(all(_NUMERIC.fullmatch(c) for c in cells) for cells in columns) or tuple(
            False for _ in self.header
        )


@frozen
class Listing:
    """Machine-readable text (the rules as JSON), collapsed in HTML, an appendix in Word."""

    title: str
    text: str


Block = Paragraph | Figure | Table | Listing

_NUMBER = r"[+−-]?(?:<1|[\d,]+(?:\.\d+)?)%?"
_NUMERIC = re.compile(rf"{_NUMBER}(?: to {_NUMBER})?(?: \(rounded\))?|–|n/a")


@frozen
class Section:
    """A titled part of the report."""

    title: str
    blocks: tuple[Block, ...]
    appendix: bool = False


@frozen
class Document:
    """A whole report."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        """Every figure, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]
