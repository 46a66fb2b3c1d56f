"""The formats a report can be written in, by file extension.

A module of its own, without imports, so the command line can check a file name before
anything slow is loaded.
"""

from __future__ import annotations

import os
from pathlib import PurePath

__all__ = ["FORMATS", "report_format"]

#: The report formats, by file extension.
FORMATS = {".html": "html", ".htm": "html", ".docx": "docx"}


def report_format(path: str | os.PathLike[str]) -> str:
    """``"html"`` or ``"docx"``, by the extension of ``path``.

    Raises
    ------
    ValueError
        If the extension names no report format (the message lists them).

    Examples
    --------
    >>> report_format("team.DOCX"), report_format("out/report.html")
    ('docx', 'html')
    """
    name = PurePath(path)
    found = FORMATS.get(name.suffix.lower())
    if found is None:
        msg = (
            "the report's format follows its extension: .html (a web page that prints on "
            f"A4) or .docx (Word); not {name.suffix or 'a name without one'!r}"
        )
        raise ValueError(msg)
    return found
