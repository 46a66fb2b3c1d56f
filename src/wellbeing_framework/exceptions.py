"""The library's exceptions.

Every error the library raises on purpose derives from :class:`WellbeingFrameworkError`;
each specific error also subclasses the builtin it refines, so ``except ValueError`` keeps
working for code that does not know this library.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wellbeing_framework.validation import ValidationReport

__all__ = [
    "DataFileError",
    "FrameworkDefinitionError",
    "ScoringError",
    "ValidationError",
    "WellbeingFrameworkError",
]


class WellbeingFrameworkError(Exception):
    """Root of every error raised by :mod:`wellbeing_framework`."""


class FrameworkDefinitionError(WellbeingFrameworkError, ValueError):
    """A framework (or rules) definition is invalid.

    Parameters
    ----------
    problems
        Every fault found, each ending in ``@ <JSON path>``.
    source
        Where the definition came from (a file name), if known.

    Attributes
    ----------
    problems : tuple of str
        The faults, one per entry, in document order.
    """

    def __init__(self, problems: Iterable[str], source: str | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        where = f" in {source}" if source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid definition{where}: {count} {noun}\n{lines}")


class ValidationError(WellbeingFrameworkError, ValueError):
    """Ratings data failed validation; ``.report`` holds every problem found.

    Attributes
    ----------
    report : ValidationReport
        The full report: valid rows, rejected rows and one row per problem.
    """

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.summary())


class ScoringError(WellbeingFrameworkError, ValueError):
    """Scoring could not be carried out: invalid or inconsistent rules.

    Parameters
    ----------
    problems
        Every fault found (a single message is accepted too).
    source
        Where the rules came from (a file name), if known.

    Attributes
    ----------
    problems : tuple of str
        The faults, one per entry.
    """

    def __init__(self, problems: Iterable[str] | str, source: str | None = None) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        self.source = source
        where = f" in {source}" if source else ""
        if len(self.problems) == 1:
            super().__init__(f"invalid scoring rules{where}: {self.problems[0]}")
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            super().__init__(
                f"invalid scoring rules{where}: {len(self.problems)} problems\n{lines}"
            )


class DataFileError(WellbeingFrameworkError, ValueError):
    """A data file cannot be read (empty, binary, not UTF-8, unknown format ...).

    Attributes
    ----------
    path : str
        The file's name (never its contents).
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{message}")
