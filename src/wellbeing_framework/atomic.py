"""Writing files whole or not at all.

Every file the library writes is first written to a temporary name in the same folder and
then renamed into place (an atomic step on one file system), so an interrupted run never
leaves a truncated file that reads back as complete, and a file is never half overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_text"]


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    If the block raises, the temporary file is removed and ``path`` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp) / "a.txt"
    ...     with replacing(out) as part:
    ...         _ = part.write_text("whole")
    ...     out.read_text(), sorted(p.name for p in pathlib.Path(tmp).iterdir())
    ('whole', ['a.txt'])
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        msg = f"no folder {str(folder)!r} to write {target.name} in"
        raise FileNotFoundError(msg)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except PermissionError:
        msg = f"no permission to write {target.name} in {str(folder)!r}"
        raise PermissionError(msg) from None
    os.close(handle)
    part = Path(name)
    try:
        yield part
        os.chmod(part, 0o666 & ~_umask())  # as an ordinary new file, not private to us
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's file-creation mask (read by setting it and setting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text whole or not at all; return the path."""
    target = Path(path)
    with replacing(target) as part:
        part.write_text(text, encoding="utf-8")
    return target
