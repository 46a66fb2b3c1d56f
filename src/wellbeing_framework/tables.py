"""Reading ratings files and writing tables safely (CSV, XLSX, Parquet).

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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.exceptions import DataFileError

__all__ = ["META_KEY", "neutralise", "read_ratings", "sidecar_path", "write_table"]

META_KEY = "wellbeing_framework"
_CSV = {".csv", ".txt", ".tsv"}
_XLSX = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
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
) -> Path:
    """Write a table to CSV, XLSX or Parquet (by file suffix), safe for spreadsheets.

    Parameters
    ----------
    data
        The table; not modified.
    path
        Output file; ``.csv``, ``.xlsx`` or ``.parquet``.
    metadata
        Provenance to store with the file; defaults to what :func:`score` put in
        ``data.attrs`` (framework key and version, and the rules).
    index
        Also write the index.

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
        _write_parquet(data, out, meta, index=index)
        return out
    if suffix not in _CSV | _XLSX:
        msg = f"cannot write {suffix or 'a file without suffix'}: use .csv, .xlsx or .parquet"
        raise DataFileError(msg, out.name)
    safe = _safe_frame(data)
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
    side = sidecar_path(out)
    if meta is not None:
        side.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _write_xlsx(safe: pd.DataFrame, out: Path, *, index: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

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
            text.value = value
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


def read_ratings(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a ratings (or scores) table from CSV, XLSX or Parquet.

    Parameters
    ----------
    path
        The file. CSV may be UTF-8 with or without a byte-order mark, comma- or
        semicolon-separated as Excel writes it (semicolon files use a decimal comma).
    sheet
        XLSX only: the sheet name or number (default: the first).

    Returns
    -------
    pandas.DataFrame
        The table as read; ``person_id`` and ``rater`` are read as text so identifiers keep
        leading zeros. Metadata written by :func:`write_table` is restored to ``.attrs``.

    Raises
    ------
    DataFileError
        If the file is missing, empty, binary where text is expected, not UTF-8, or not a
        readable XLSX/Parquet file. The message names the file, never its contents.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "r.csv"
    ...     _ = path.write_text("person_id;rb1;rb2\\n007;4;5\\n", encoding="utf-8")
    ...     read_ratings(path)
      person_id  rb1  rb2
    0       007    4    5
    """
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise DataFileError("no such file", name)
    if file.stat().st_size == 0:
        raise DataFileError("the file is empty", name)
    suffix = file.suffix.lower()
    if suffix in _CSV:
        data = _read_csv(file)
    elif suffix in _XLSX:
        data = _read_xlsx(file, sheet)
    elif suffix in _PARQUET:
        data = _read_parquet(file)
    else:
        msg = f"unknown file type {suffix or '(no suffix)'}: use .csv, .xlsx or .parquet"
        raise DataFileError(msg, name)
    side = sidecar_path(file)
    if META_KEY not in data.attrs and side.is_file():
        # a damaged sidecar loses provenance, not data
        with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
            data.attrs[META_KEY] = json.loads(side.read_text(encoding="utf-8"))
    return data


def _read_csv(file: Path) -> pd.DataFrame:
    raw = file.read_bytes()
    name = file.name
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
    if not text.strip():
        raise DataFileError("the file has no content", name)
    header = text.splitlines()[0]
    if file.suffix.lower() == ".tsv" or ("\t" in header and "," not in header):
        sep, decimal = "\t", "."
    elif header.count(";") > header.count(","):
        sep, decimal = ";", ","
    else:
        sep, decimal = ",", "."
    columns = next(csv.reader([header], delimiter=sep))
    dtype = {c: str for c in TEXT_COLUMNS if c in columns}
    try:
        data = pd.read_csv(_io.StringIO(text), sep=sep, decimal=decimal, dtype=dtype)
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).splitlines()[0]
        raise DataFileError(f"cannot be read as CSV ({first})", name) from None
    return data


def _read_xlsx(file: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        data = pd.read_excel(
            file,
            sheet_name=0 if sheet is None else sheet,
            engine="openpyxl",
            dtype=dict.fromkeys(TEXT_COLUMNS, object),
        )
    except ImportError as exc:
        raise DataFileError(f"reading XLSX needs openpyxl ({exc})", file.name) from None
    except (ValueError, KeyError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataFileError(f"not a readable XLSX file ({first})", file.name) from None
    except Exception as exc:  # zipfile.BadZipFile and openpyxl's own errors
        raise DataFileError(
            f"not a readable XLSX file ({type(exc).__name__})", file.name
        ) from None
    for col in TEXT_COLUMNS:
        if col in data.columns:
            data[col] = data[col].map(lambda v: str(v) if pd.notna(v) else None)
    return data


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
        data.attrs[META_KEY] = json.loads(meta)
    return data
