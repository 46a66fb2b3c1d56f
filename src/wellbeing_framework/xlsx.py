"""Reading an XLSX sheet cell by cell, as a person typed it.

A workbook is read row by row (openpyxl's read-only mode), so a stray cell far from the
data (``XFD1048576``) costs nothing but a refusal: a sheet whose used range is larger than
:data:`MAX_COLUMNS` columns or :data:`MAX_CELLS` cells is not read. The sheet holding the
data is found after any cover sheet, and its header row after any title rows: the first row
naming an identifying column (``Client ID``, ``person_id``, ``Date``, ...; see
:data:`~wellbeing_framework.columns.ALIASES`).

Cells that hold no usable value become :class:`CellFault` markers, which validation reports
as problems of their row and column (never their content): an error value such as
``#DIV/0!``, a formula without a saved result (a file written by a program, never opened
in Excel), and a cell inside a merged range. Booleans stay booleans, so a ``TRUE`` typed
as a rating is reported, not read as 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from attrs import frozen

from wellbeing_framework.columns import ALIASES, normalise_header
from wellbeing_framework.exceptions import DataFileError

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "CellFault", "read_xlsx"]

#: A sheet wider than this is refused (its used range reaches far beyond any data).
MAX_COLUMNS = 1_000
#: A sheet whose used range (rows x columns) holds more cells than this is refused.
MAX_CELLS = 50_000_000
#: Rows looked at for the header, on each sheet.
HEADER_SEARCH_ROWS = 30

_ID_HEADERS = {normalise_header(a) for name, aliases in ALIASES.items() for a in (name, *aliases)}


@frozen
class CellFault:
    """A spreadsheet cell that holds no usable value; ``what`` says why (never its content).

    Examples
    --------
    >>> str(CellFault("an Excel error value"))
    'an Excel error value'
    """

    what: str

    def __str__(self) -> str:
        return self.what


ERROR_VALUE = CellFault("an Excel error value (such as #DIV/0! or #N/A)")
UNSAVED_FORMULA = CellFault("a formula without a saved result (open and save the file in Excel)")
MERGED = CellFault("a merged cell (unmerge the cells and fill each one)")


def _open(file: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(file, read_only=True, data_only=data_only)
    except Exception as exc:  # zipfile.BadZipFile, KeyError and openpyxl's own errors
        raise DataFileError(
            f"not a readable XLSX file ({type(exc).__name__})", file.name
        ) from None


def _header_row(sheet: Any) -> int | None:
    """The row (1-based) of the header: the first naming an identifying column among three
    or more values (a cover sheet's "Date:" label is not a header)."""
    rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        texts = {normalise_header(v) for v in values if isinstance(v, str)}
        filled = sum(v is not None and str(v).strip() != "" for v in values)
        if filled >= 3 and texts & _ID_HEADERS:
            return number
    return None


def _tables(workbook: Any) -> list[str]:
    """The sheets that can hold a table: worksheets (not chart sheets), visible first."""
    sheets = [t for t in workbook.sheetnames if hasattr(workbook[t], "iter_rows")]
    visible = [t for t in sheets if getattr(workbook[t], "sheet_state", "visible") == "visible"]
    return visible + [t for t in sheets if t not in visible]


def _choose(workbook: Any, sheet: str | int | None, name: str) -> tuple[str, int]:
    """The sheet to read and its header row."""
    names = list(workbook.sheetnames)
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names and sheet.strip().isdigit():
            sheet = int(sheet)  # "1" on the command line: a number, unless a sheet is so named
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            msg = f"no sheet number {sheet} (the workbook has {len(names)}, from 0)"
            raise DataFileError(msg, name)
        chosen = names[sheet] if isinstance(sheet, int) else sheet
        if chosen not in names:  # the names are not listed: they may be people's names
            msg = f"no sheet of that name (the workbook has {len(names)}; or give a number)"
            raise DataFileError(msg, name)
        if not hasattr(workbook[chosen], "iter_rows"):
            raise DataFileError("that sheet is a chart, not a table", name)
        return chosen, _header_row(workbook[chosen]) or 1
    tables = _tables(workbook)
    if not tables:
        raise DataFileError("the workbook has no sheet with a table", name)
    for title in tables:
        found = _header_row(workbook[title])
        if found is not None:
            return title, found
    return tables[0], 1


def _check_size(sheet: Any, name: str) -> None:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        msg = (
            f"the sheet's used range ({rows:,} rows x {columns:,} columns) is larger than "
            f"the limit ({MAX_COLUMNS:,} columns, {MAX_CELLS:,} cells): delete the stray "
            "cells far from the data, or save the data as CSV"
        )
        raise DataFileError(msg, name)


def _merged(sheet: Any) -> set[tuple[int, int]]:
    """(row, column) of every cell in a merged range (from the sheet's XML, after its data)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    cells: set[tuple[int, int]] = set()
    get_source = getattr(sheet, "_get_source", None)
    if get_source is None:  # pragma: no cover - a future openpyxl
        return cells
    with get_source() as source:
        for _event, element in iterparse(source, events=("end",)):
            if element.tag.endswith("}mergeCell"):
                low_col, low_row, high_col, high_row = range_boundaries(element.get("ref"))
                for row, col in itertools.product(
                    range(low_row, high_row + 1), range(low_col, high_col + 1)
                ):
                    cells.add((row, col))
            elif element.tag.endswith("}row"):
                element.clear()
    return cells


def _value(cell: Any, formula: Any) -> Any:
    """What one cell holds, or the fault that stops it holding anything usable."""
    if cell.data_type == "e":
        return ERROR_VALUE
    if cell.value is None and getattr(formula, "data_type", None) == "f":
        return UNSAVED_FORMULA
    return cell.value


def _rows(
    values: Any, formulas: Any, first: int, width: int, beyond: list[int]
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for every row below the header, in step across both readings;
    rows with values right of the header's width are added to ``beyond``."""
    from openpyxl.cell.read_only import EMPTY_CELL

    def padded(row: tuple[Any, ...]) -> list[Any]:
        return [*row[:width], *[EMPTY_CELL] * (width - len(row))]

    kept = values.iter_rows(min_row=first)  # each row as long as it is
    typed = formulas.iter_rows(min_row=first, max_col=width)
    for number, (row, formula_row) in enumerate(zip(kept, typed, strict=False), start=first):
        if any(getattr(c, "value", None) not in (None, "") for c in row[width:]):
            beyond.append(number)
        cells = zip(padded(row), padded(formula_row), strict=True)
        yield number, [_value(cell, formula) for cell, formula in cells]


def _headers(values: tuple[Any, ...]) -> list[str]:
    """The header texts, up to the last one written (an empty header: 'column C')."""
    from openpyxl.utils.cell import get_column_letter

    last = max((i for i, v in enumerate(values) if v is not None and str(v).strip()), default=-1)
    return [
        str(v).strip()
        if v is not None and str(v).strip()
        else f"column {get_column_letter(i + 1)}"
        for i, v in enumerate(values[: last + 1])
    ]


def read_xlsx(file: Path, sheet: str | int | None = None) -> tuple[pd.DataFrame, str]:
    """Read the data of a workbook: one row per non-empty spreadsheet row below the header.

    Returns the table (its index, named ``sheet_row``, holds each row's number in the
    sheet) and a sentence saying which sheet and header row were read.
    """
    name = file.name
    values_book = _open(file, data_only=True)
    formulas_book = _open(file, data_only=False)
    try:
        title, header_at = _choose(values_book, sheet, name)
        values, formulas = values_book[title], formulas_book[title]
        _check_size(values, name)
        for worksheet in (values, formulas):  # the stored size may be wrong: read it all
            worksheet.reset_dimensions()
        header = next(values.iter_rows(min_row=header_at, max_row=header_at, values_only=True), ())
        headers = _headers(tuple(header[:MAX_COLUMNS]))
        if not headers:
            raise DataFileError("the sheet has no header row", name)
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            shown = ", ".join(repr(h) for h in repeated)
            raise DataFileError(f"repeated headers: {shown}; every column needs its own", name)
        merged = _merged(values)
        numbers, records = [], []
        beyond: list[int] = []
        for number, cells in _rows(values, formulas, header_at + 1, len(headers), beyond):
            if any(c is not None and not (isinstance(c, str) and not c.strip()) for c in cells):
                for col in range(len(headers)):
                    if (number, col + 1) in merged:
                        cells[col] = MERGED
                numbers.append(number)
                records.append(cells)
    finally:
        values_book.close()
        formulas_book.close()
    if beyond:
        shown = ", ".join(map(str, beyond[:10])) + (" ..." if len(beyond) > 10 else "")
        msg = (
            f"{len(beyond)} rows have values to the right of the last header: rows {shown}; "
            "give those columns a header or delete the values"
        )
        raise DataFileError(msg, name)
    data = pd.DataFrame(records, columns=headers, index=pd.Index(numbers, name="sheet_row"))
    data = data.apply(_typed)
    number = values_book.sheetnames.index(title)  # the name may be a person's: not shown
    where = f"sheet {number + 1} of {len(values_book.sheetnames)}, header on row {header_at}"
    return data, where


def _typed(column: pd.Series) -> pd.Series:
    """A column of numbers (booleans aside) as numbers; anything else as it was typed."""
    present = column.dropna()
    if len(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present
    ):
        return pd.to_numeric(column)
    return column
