"""Reading ratings files and writing tables safely (CSV, XLSX, Parquet, SPSS, Stata).

Writing is safe for spreadsheets: a text cell that a spreadsheet could run as a formula (one
whose first character, or the first character of any of its lines, is ``=``, ``+``, ``-``,
``@``, tab, CR or LF) is prefixed with ``'``; every CSV field is quoted; numbers stay numbers.
The framework and rules behind a scores table travel with the file: in the Parquet metadata,
or in a sidecar ``<file>.meta.json`` next to a CSV or XLSX file.
"""

from __future__ import annotations

import contextlib
import csv
import io as _io
import json
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wellbeing_framework.atomic import replacing, write_text
from wellbeing_framework.exceptions import DataFileError

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework

__all__ = [
    "META_KEY",
    "MISSING_TOKENS",
    "READ_KEY",
    "neutralise",
    "read_ratings",
    "sidecar_path",
    "write_table",
]

META_KEY = "wellbeing_framework"
_CSV = {".csv", ".txt", ".tsv"}
_XLSX = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
_STAT = {".sav", ".zsav", ".dta"}
_FORMATS = ".csv, .xlsx, .parquet, .sav or .dta"
#: Columns read as text so that identifiers such as "007" keep their leading zeros.
TEXT_COLUMNS = ("person_id", "rater")

_TRIGGER = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t])")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """Return where the metadata of a CSV or XLSX file is kept: ``<file>.meta.json``."""
    p = Path(path)
    return p.with_name(p.name + ".meta.json")


def neutralise(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet.

    A cell (or any line of it) starting with ``=``, ``+``, ``-``, ``@`` or tab gets a ``'``
    in front; so does a cell starting with CR or LF. Plain numbers written as text ("-5")
    are left alone: they cannot run.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("fine\\n@SUM(A1)")
    "fine\\n'@SUM(A1)"
    >>> neutralise("-5"), neutralise("well-being")
    ('-5', 'well-being')
    """
    if _PLAIN_NUMBER.match(text):
        return text
    safe = _TRIGGER.sub("'", text)
    if safe[:1] in ("\r", "\n"):
        safe = "'" + safe
    return safe


def _safe_frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name neutralised; numbers untouched."""
    out = data.copy()
    out.columns = [neutralise(str(c)) for c in data.columns]
    for position, name in enumerate(data.columns):
        column = data[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
        ):
            values = column.astype(object)
            cleaned = values.map(lambda v: neutralise(v) if isinstance(v, str) else v)
            out.isetitem(position, cleaned.to_numpy(dtype=object))
    return out


def write_table(
    data: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    metadata: dict[str, Any] | None = None,
    index: bool = False,
    decimals: int | None = 2,
    framework: Framework | None = None,
) -> Path:
    """Write a table to CSV, XLSX, Parquet, SPSS or Stata (by file suffix), safe for
    spreadsheets.

    Parameters
    ----------
    data
        The table; not modified.
    path
        Output file; ``.csv``, ``.xlsx``, ``.parquet``, ``.sav`` (SPSS; ``.zsav``
        compressed) or ``.dta`` (Stata). SPSS and Stata need the ``interop`` extra.
    metadata
        Provenance to store with the file; defaults to what :func:`score` put in
        ``data.attrs`` (framework key and version, and the rules).
    index
        Also write the index.
    decimals
        CSV and XLSX only: decimal places of every fractional number (scores to 2 places by
        default, so ``44.99999999999999`` is written ``45.0``); ``None`` writes them in
        full. Parquet, SPSS and Stata always keep full precision.
    framework
        SPSS and Stata: the framework whose words label the columns (indicator texts as
        variable labels, the scale's labels as value labels of each rating). By default the
        framework named in the table's provenance, when it is a bundled one (for ratings
        without provenance, the bundled framework whose indicators are all columns). Band and other
        category columns get their categories as value labels whatever the framework.

    Returns
    -------
    pathlib.Path
        The file written (a CSV or XLSX file also gets ``<file>.meta.json`` when there is
        metadata).

    Raises
    ------
    DataFileError
        For a suffix that is not one of the supported formats.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> table = pd.DataFrame({"note": ["=1+1", "ok"], "change": [-5, 3]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_table(table, pathlib.Path(tmp) / "t.csv")
    ...     print(out.read_text(encoding="utf-8-sig"))
    "note","change"
    "'=1+1","-5"
    "ok","3"
    <BLANKLINE>
    """
    out = Path(path)
    suffix = out.suffix.lower()
    meta = metadata if metadata is not None else data.attrs.get(META_KEY)
    if suffix in _PARQUET:
        with replacing(out) as part:
            _write_parquet(data, part, meta, index=index)
        return out
    if suffix in _STAT:
        from wellbeing_framework.statfiles import write_stat

        labelled = framework if framework is not None else _named_framework(meta, data.columns)
        table = data.reset_index() if index else data
        try:
            with replacing(out) as part:
                own = write_stat(table, part, meta, labelled, suffix=suffix)
        except DataFileError as exc:
            raise DataFileError(str(exc), out.name) from None
        if suffix == ".dta":  # Stata keeps an 80-character label, no more: the rest beside
            write_text(sidecar_path(out), json.dumps(own, indent=2, ensure_ascii=False) + "\n")
        return out
    if suffix not in _CSV | _XLSX:
        msg = f"cannot write {suffix or 'a file without suffix'}: use {_FORMATS}"
        raise DataFileError(msg, out.name)
    plain = data.reset_index() if index else data  # the index is cells too: made safe
    safe = _safe_frame(plain if decimals is None else _rounded(plain, decimals))
    with replacing(out) as part:
        _write_text_table(safe, part, suffix, index=False)
    side = sidecar_path(out)
    if meta is not None:
        write_text(side, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return out


def _named_framework(meta: Any, columns: pd.Index) -> Framework | None:
    """The bundled framework a table's provenance names (at that version), or, for a table
    without provenance, the first bundled framework whose every indicator is a column."""
    from wellbeing_framework.io import bundled_frameworks, load_framework

    named = meta.get("framework") if isinstance(meta, dict) else None
    if isinstance(named, dict):
        if named.get("key") not in bundled_frameworks():
            return None
        framework = load_framework(str(named["key"]))
        return framework if framework.version == named.get("version") else None
    for key in bundled_frameworks():
        framework = load_framework(key)
        if set(framework.indicator_keys) <= set(map(str, columns)):
            return framework
    return None


def _write_text_table(safe: pd.DataFrame, out: Path, suffix: str, *, index: bool) -> None:
    if suffix in _CSV:
        safe.to_csv(
            out,
            index=index,
            quoting=csv.QUOTE_ALL,
            encoding="utf-8-sig",
            lineterminator="\n",
            sep="\t" if suffix == ".tsv" else ",",
        )
    else:
        _write_xlsx(safe, out, index=index)


def _rounded(data: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """Every float column rounded for reading (a copy)."""
    out = data.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if pd.api.types.is_float_dtype(values.dtype):
            out.isetitem(position, values.round(decimals).array)
    return out


def _write_xlsx(safe: pd.DataFrame, out: Path, *, index: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = safe.reset_index() if index else safe
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")

    def cell(value: Any) -> Any:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            stamp = WriteOnlyCell(sheet, value=value.to_pydatetime())
            # a date without a time reads as a date, not "2025-03-10 00:00:00"
            stamp.number_format = (
                "yyyy-mm-dd" if value == value.normalize() else "yyyy-mm-dd hh:mm:ss"
            )
            return stamp
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, str):
            text = WriteOnlyCell(sheet, value=None)
            # control characters cannot be stored in XLSX: each becomes U+FFFD
            text.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            text.data_type = "s"  # never a formula, whatever the first character
            return text
        return value

    sheet.append([cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([cell(v) for v in row])
    workbook.save(out)


def _write_parquet(data: pd.DataFrame, out: Path, meta: Any, *, index: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    plain = data.copy()
    plain.attrs = {}
    table = pa.Table.from_pandas(plain, preserve_index=index)
    if meta is not None:
        existing = table.schema.metadata or {}
        table = table.replace_schema_metadata(
            {**existing, META_KEY.encode(): json.dumps(meta).encode()}
        )
    pq.write_table(table, out)


#: Text that means "no answer" in a cell, compared with spaces stripped and case ignored.
MISSING_TOKENS = (
    "",
    "n/a",
    "na",
    "nan",
    "null",
    "not asked",
    "not applicable",
    "not known",
    "missing",
    "-",
    ".",
    "?",
)
#: Where :func:`read_ratings` tells what it did, in ``DataFrame.attrs``: the sheet and
#: header row read, the headers renamed, and how many cells each missing-answer token
#: blanked.
READ_KEY = "read"


def read_ratings(
    path: str | os.PathLike[str],
    *,
    columns: Any = None,
    missing: Sequence[str] | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a ratings (or scores) table from CSV, XLSX, Parquet, SPSS or Stata, as a person
    typed it.

    Parameters
    ----------
    path
        The file. CSV may be UTF-8 with or without a byte-order mark, comma- or
        semicolon-separated as Excel writes it (semicolon files use a decimal comma).
    columns
        How the file's headers map to the framework's names: a mapping
        (``{"Client ID": "person_id", "RB1 score": "rb1"}``) or a JSON mapping file (see
        :func:`~wellbeing_framework.suggest_columns`).
    missing
        Text that means "no answer" (compared with spaces stripped and case ignored);
        default :data:`~wellbeing_framework.tables.MISSING_TOKENS` (``""``, ``"n/a"``,
        ``"not asked"``, ``"-"`` ...).
        Any other text in a rating column is a problem for :func:`validate` to report.
    dayfirst
        Read dates written with the year last (``10/03/2025``) day first, as in the UK.
        The ``assessment_date`` column is read as dates when every value reads cleanly by
        the rule; otherwise it is left as text for :func:`validate` to report.
    date_format
        A ``strptime`` format for every text date instead of the rule.
    sheet
        XLSX only: the sheet name or number (from 0). By default, the first sheet with a
        header naming an identifying column (``Client ID``, ``person_id``, ``Date``, ...),
        after any cover sheet and title rows.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty row of the file. For CSV and XLSX the index, named
        ``sheet_row``, holds each row's number as the person sees it (header row 1, first
        data row 2), so problems can be found in the sheet. Identifier columns are text
        (``007`` keeps its zeros). ``attrs["read"]`` says what was done (sheet, header row,
        headers renamed, cells blanked by each missing-answer token); metadata written by
        :func:`write_table` is restored to ``attrs``.

    Raises
    ------
    DataFileError
        If the file is missing, empty, binary where text is expected, not UTF-8, not a
        readable XLSX/Parquet file, has repeated headers or rows with more values than the
        header, or a sheet too large to be a table. The message names the file, never its
        contents.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "r.csv"
    ...     _ = path.write_text("Client ID;RB1;rb2\\n007;4;n/a\\n", encoding="utf-8")
    ...     table = read_ratings(path, columns={"Client ID": "person_id"})
    >>> table
              person_id  RB1  rb2
    sheet_row
    2               007    4  NaN
    >>> table.attrs["read"]["missing"]
    {'n/a': 1}
    """
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise DataFileError("no such file", name)
    if file.stat().st_size == 0:
        raise DataFileError("the file is empty", name)
    mapping = _mapping(columns, name)
    suffix = file.suffix.lower()
    info: dict[str, Any] = {}
    decimal = "."
    if suffix in _CSV:
        data, decimal = _read_csv(file)
    elif suffix in _XLSX:
        from wellbeing_framework.xlsx import read_xlsx

        data, info["where"] = read_xlsx(file, sheet)
    elif suffix in _PARQUET:
        data = _read_parquet(file)
    elif suffix in _STAT:
        from wellbeing_framework.statfiles import read_stat

        data, found = read_stat(file, sidecar_path(file))
        info.update(found)
    else:
        msg = f"unknown file type {suffix or '(no suffix)'}: use {_FORMATS}"
        raise DataFileError(msg, name)
    data = _rename(data, mapping, name)
    info["renamed"] = {h: n for h, n in mapping.items() if h != n}
    tokens = MISSING_TOKENS if missing is None else missing
    data, info["missing"] = _blank_tokens(data, tokens, decimal)
    data = _text_ids(_dates(data, dayfirst, date_format))
    side = sidecar_path(file)
    if META_KEY not in data.attrs and side.is_file() and suffix not in _STAT:
        # a damaged sidecar loses provenance, not data
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            data.attrs[META_KEY] = json.loads(side.read_text(encoding="utf-8"))
    data.attrs[READ_KEY] = info
    return data


def _mapping(columns: Any, name: str) -> dict[str, str]:
    if columns is None:
        return {}
    from wellbeing_framework.columns import load_columns

    try:
        return {h: n for h, n in load_columns(columns).items() if n is not None}
    except ValueError as exc:
        raise DataFileError(str(exc), name) from None


def _rename(data: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.DataFrame:
    absent = [h for h in mapping if h not in data.columns]
    if absent:
        shown = ", ".join(repr(h) for h in absent)
        raise DataFileError(f"the column mapping names headers not in the file: {shown}", name)
    taken = [n for h, n in mapping.items() if n in data.columns and n not in mapping and h != n]
    if taken:
        shown = ", ".join(repr(n) for n in taken)
        msg = f"the column mapping gives names the file already has as headers: {shown}"
        raise DataFileError(msg, name)
    return data.rename(columns=mapping) if mapping else data


def _is_id_header(header: Any) -> bool:
    """A header naming a person or a rater: read as text, so "007" keeps its zeros."""
    from wellbeing_framework.columns import ALIASES, normalise_header

    if not isinstance(header, str):
        return False
    norm = normalise_header(header)
    return any(norm == normalise_header(a) for n in TEXT_COLUMNS for a in (n, *ALIASES.get(n, ())))


def _text_ids(data: pd.DataFrame) -> pd.DataFrame:
    """Identifier columns as text: 7 (a number cell) and 7.0 read as "7"."""
    for column in [c for c in data.columns if _is_id_header(c)]:
        values = data[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_numeric_dtype(
            values.dtype
        ):
            data[column] = values.map(_id_text).astype(object)
    return data


def _id_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _blank_tokens(
    data: pd.DataFrame, tokens: Sequence[str], decimal: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cells holding a missing-answer token made missing; text columns that are then all
    numbers become numbers. Returns the table and how many answers each token blanked
    (counted in the columns that hold numbers, not in identifiers or free text)."""
    wanted = {t.strip().casefold(): t for t in tokens}
    counts: dict[str, int] = {}
    data = data.copy()
    for position, column in enumerate(data.columns):
        values = data.iloc[:, position]
        if not (
            pd.api.types.is_object_dtype(values.dtype)
            or pd.api.types.is_string_dtype(values.dtype)
        ):
            continue
        text = values.map(lambda v: v.strip().casefold() if isinstance(v, str) else None)
        hit = text.isin(list(wanted)).to_numpy(dtype=bool)
        if hit.any():
            values = values.astype(object).where(~hit, None)
        if not _is_id_header(column):
            values = _numbers_if_all(values, decimal)
            if hit.any() and _mostly_numbers(values):
                for token, n in text[hit].value_counts().items():
                    counts[wanted[str(token)]] = counts.get(wanted[str(token)], 0) + int(n)
        data.isetitem(position, values.array)
    return data, counts


def _mostly_numbers(values: pd.Series) -> bool:
    """A column of answers: numbers, or at least half of its values numbers."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return True
    present = values.dropna()
    numbers = pd.to_numeric(present.astype(str).str.strip(), errors="coerce")
    return bool(len(present)) and float(numbers.notna().mean()) >= 0.5


_LEADING_ZERO = r"^[+-]?0\d"


def _numbers_if_all(values: pd.Series, decimal: str = ".") -> pd.Series:
    """A text column whose every value is a number, as numbers; anything else as it is.

    Text with a leading zero (``007``) stays text: numbers are not written so, identifiers
    are. With a decimal comma, text holding a dot (``1.000``) stays text too, and with a
    decimal point so does text holding a comma (``1,000``): a thousands separator is never
    read as a decimal one.
    """
    present = values.dropna()
    if not len(present):  # nothing but missing answers
        return pd.Series(np.nan, index=values.index, dtype=float)
    if any(isinstance(v, bool) for v in present) or not all(
        isinstance(v, str | int | float) for v in present
    ):
        return values
    text = present.astype(str).str.strip()
    if text.str.contains(_LEADING_ZERO, regex=True).any():
        return values
    other = "." if decimal == "," else ","
    if text.str.contains(other, regex=False).any():
        return values
    numbers = pd.to_numeric(text.str.replace(decimal, ".", regex=False), errors="coerce")
    if numbers.isna().any():
        return values
    out = pd.Series(np.nan, index=values.index, dtype=float)
    out[present.index] = numbers.to_numpy(dtype=float)
    if (out.dropna() == out.dropna().round()).all() and not values.isna().any():
        return out.astype(np.int64)
    return out


def _dates(data: pd.DataFrame, dayfirst: bool, date_format: str | None) -> pd.DataFrame:
    """The assessment dates read by the rule, when every one reads cleanly."""
    from wellbeing_framework.dates import parse_dates

    column = "assessment_date"
    if column not in data.columns or pd.api.types.is_datetime64_any_dtype(data[column].dtype):
        return data
    parsed = parse_dates(data[column], dayfirst=dayfirst, date_format=date_format)
    if parsed.problems.any() or parsed.values.isna().all():
        return data
    data[column] = parsed.values
    return data


def _read_csv(file: Path) -> tuple[pd.DataFrame, str]:
    """The table and its decimal mark. Every cell is read as text (so ``007`` keeps its
    zeros and nothing is guessed); :func:`_blank_tokens` then makes numbers of columns
    that hold only numbers."""
    text = _csv_text(file)
    name = file.name
    first = next((line for line in text.splitlines() if line.strip()), "")
    if file.suffix.lower() == ".tsv" or ("\t" in first and "," not in first):
        sep, decimal = "\t", "."
    elif first.count(";") > first.count(","):
        sep, decimal = ";", ","
    else:
        sep, decimal = ",", "."
    skip, columns, rows = _csv_layout(text, sep, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)  # trailing separators
            data = pd.read_csv(
                _io.StringIO(text, newline=""),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_values=[],
                index_col=False,
                skiprows=skip,
                header=0,
                names=columns,
            )
    except (pd.errors.ParserError, ValueError) as exc:
        first_line = str(exc).splitlines()[0]
        raise DataFileError(f"cannot be read as CSV ({first_line})", name) from None
    if len(data) != len(rows):  # a layout the two readers see differently: number by position
        rows = list(range(skip + 2, len(data) + skip + 2))
    data.index = pd.Index(rows, name="sheet_row")
    return data[~_empty_rows(data)], decimal


def _csv_text(file: Path) -> str:
    raw = file.read_bytes()
    name = file.name
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        msg = "UTF-16 text, not UTF-8; in Excel choose 'Save as: CSV UTF-8'"
        raise DataFileError(msg, name)
    if b"\x00" in raw[:8192]:
        raise DataFileError("this is a binary file, not CSV text", name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = (
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); in Excel "
            "choose 'Save as: CSV UTF-8'"
        )
        raise DataFileError(msg, name) from None
    text = text.lstrip("\ufeff")  # a second byte-order mark, from saving twice
    if not text.strip():
        raise DataFileError("the file has no content", name)
    return text


def _records(text: str, sep: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where it starts, fields) of each record, any line ending, any size."""
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a cell of notes can be long
    try:
        reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
        line = 1
        for record in reader:
            yield line, record
            line = reader.line_num + 1
    finally:
        csv.field_size_limit(limit)


def _is_blank(record: list[str]) -> bool:
    return not any(field.strip() for field in record)


def _header_record(records: list[tuple[int, list[str]]]) -> int:
    """Which of the first records is the header: the first naming an identifying column
    among three or more values (title rows above it are skipped), else the first that is
    not blank."""
    for position, (_line, record) in enumerate(records[:30]):
        if sum(bool(f.strip()) for f in record) >= 3 and any(_is_id_header(f) for f in record):
            return position
    return next((p for p, (_line, r) in enumerate(records) if not _is_blank(r)), 0)


def _csv_layout(text: str, sep: str, name: str) -> tuple[int, list[str], list[int]]:
    """Lines to skip before the header, the headers, and the row number (as a spreadsheet
    shows it) of each non-blank row below the header.

    Refuses repeated headers and rows with more values than there are headers (a comma in
    an unquoted value, which would shift every later value one column left). Empty fields
    after the last header (a trailing comma) are harmless.
    """
    try:
        records = list(_records(text, sep))
    except csv.Error as exc:
        raise DataFileError(f"cannot be read as CSV ({exc})", name) from None
    at = _header_record(records)
    header_line, header = records[at]
    columns = [c.strip() for c in header]
    while columns and not columns[-1]:
        columns.pop()  # a trailing separator on the header line
    repeated = sorted({c for c in columns if columns.count(c) > 1 and c})
    if repeated:
        shown = ", ".join(repr(c) for c in repeated)
        raise DataFileError(f"repeated headers: {shown}; every column needs its own", name)
    columns = [c or f"column {i + 1}" for i, c in enumerate(columns)]
    width = len(columns)
    rows, over = [], []
    for line, record in records[at + 1 :]:
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line: no row
        if len(record) > width and any(v.strip() for v in record[width:]):
            over.append(line)
        rows.append(line)
    if over:
        shown = ", ".join(map(str, over[:10])) + (" ..." if len(over) > 10 else "")
        msg = (
            f"{len(over)} rows have more values than there are headers ({width}): rows "
            f"{shown}; a value holding the separator must be in quotes"
        )
        raise DataFileError(msg, name)
    return header_line - 1, columns, rows


def _empty_rows(data: pd.DataFrame) -> np.ndarray:
    """Rows with nothing in them (",,,," as a spreadsheet saves empty rows)."""
    empty = np.ones(len(data), dtype=bool)
    for position in range(data.shape[1]):
        values = data.iloc[:, position]
        blank = np.asarray(values.isna(), dtype=bool)
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(
            values.dtype
        ):
            spaces = values.map(lambda v: isinstance(v, str) and not v.strip())
            blank = blank | spaces.to_numpy(dtype=bool)
        empty &= blank
    return empty


def _read_parquet(file: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq

        table = pq.read_table(file)
    except ImportError as exc:
        raise DataFileError(f"reading Parquet needs pyarrow ({exc})", file.name) from None
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for a bad file
        raise DataFileError(
            f"not a readable Parquet file ({type(exc).__name__})", file.name
        ) from None
    data: pd.DataFrame = table.to_pandas()
    meta = (table.schema.metadata or {}).get(META_KEY.encode())
    if meta is not None:
        # damaged provenance loses provenance, not data
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            data.attrs[META_KEY] = json.loads(meta)
    return data
