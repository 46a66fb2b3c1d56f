"""The ``wellbeing`` command: parse arguments, then run the command.

Exit codes: 0 success, 1 invalid data, 2 a usage error or an unreadable file. A user error
never prints a traceback unless ``--debug`` is given.

This module imports nothing heavy: ``wellbeing --help`` and ``wellbeing --version`` answer
at once, and the work (:mod:`wellbeing_framework.commands`) is imported only to run a
command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wellbeing_framework._version import __version__

__all__ = ["build_parser", "main"]

#: The disclosure presets offered by ``wellbeing report`` (those of ``DisclosurePolicy``).
DISCLOSURE_PRESETS = ("nhs", "10-5", "threshold-10", "none")

_DESCRIPTION = """\
Score and analyse social wellbeing assessments against the Northern Ireland framework
'Improving and Safeguarding Social Wellbeing'.

Start with `wellbeing demo`: it makes a synthetic cohort, scores it and writes a report.
Then score your own data with `wellbeing score`. Nothing is ever sent anywhere.

examples:
  wellbeing demo --out demo                      the whole job on synthetic data
  wellbeing columns team.xlsx -o map.json        match your own headers to the framework
  wellbeing score ratings.csv -o scores.xlsx     score a file (CSV, XLSX, Parquet, SPSS, Stata)
  wellbeing score responses.ndjson -o scores.sav FHIR QuestionnaireResponses in, SPSS out
  wellbeing score redcap_export.csv -o scores.dta
                                                 a REDCap export in, Stata out
  wellbeing score ratings.csv -o scores.csv --rejected problems.csv
                                                 score the valid rows, keep the rest aside
  wellbeing report ratings.csv -o report.html    the cohort report, safe to publish
  wellbeing report ratings.csv -o team.docx --title "North team" --group-by area
                                                 the same report as a Word document
  wellbeing framework show                       the framework, domain by domain
  wellbeing framework export -o my.json          a copy to adapt; then
  wellbeing framework validate my.json           check the adaptation
  wellbeing explore                              the explorer in your browser (teaching)
  wellbeing framework export --format fhir -o questionnaire.json
                                                 the FHIR R4 Questionnaire (or: redcap)

exit codes: 0 ok, 1 invalid data (nothing written), 2 usage error or unreadable file
"""


def _add_date_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--month-first",
        action="store_true",
        help="read dates such as 03/10/2025 month first (default: day first, as in the UK; "
        "ISO dates such as 2025-10-03 are always year first)",
    )
    command.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="read every text date by this strptime format, e.g. '%%d %%b %%Y'",
    )


def _add_sheet_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--sheet", help="XLSX: the sheet to read (name or number from 0; default: found)"
    )


def _add_file_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--from",
        dest="source_kind",
        choices=["auto", "table", "fhir", "redcap"],
        default="auto",
        help="what the input is: a table (CSV, XLSX, Parquet, SPSS .sav, Stata .dta), FHIR "
        "QuestionnaireResponses (a Bundle .json, .ndjson or a folder of them) or a REDCap "
        "records export (CSV); default: told by the extension, and a CSV whose first "
        "header is record_id or that has redcap_ columns is a REDCap export",
    )
    command.add_argument(
        "--columns",
        metavar="MAP.json",
        help="a JSON mapping from your headers to the framework's names (write one to check "
        "and edit with `wellbeing columns FILE -o MAP.json`)",
    )
    _add_sheet_option(command)


def _add_columns(sub: Any) -> None:
    columns = sub.add_parser(
        "columns",
        help="match a file's own headers to the framework's names",
        description="Show how each header of a ratings file matches the framework's names "
        "(exact, likely or possible, and why). Exact matches are used without being asked; "
        "with -o, write a mapping file to check, edit and pass to `score --columns`.",
    )
    columns.add_argument("input", help="ratings file (CSV, XLSX or Parquet)")
    columns.add_argument("-o", "--output", help="mapping file to write (JSON)")
    columns.add_argument("--framework", help="framework JSON file (default: the bundled one)")
    _add_sheet_option(columns)
    columns.set_defaults(run="run_columns")


def _positive(text: str) -> int:
    """A whole number of at least 1 (argparse turns the error into a usage message)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        msg = f"expected a whole number of at least 1, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _add_demo(sub: Any) -> None:
    demo = sub.add_parser(
        "demo",
        help="the whole job on a synthetic cohort: scores, figures and a report",
        description="Make a synthetic cohort (made-up people), validate, score and place it "
        "on the practice continuum, analyse change, and write scores.csv, figures (PNG at "
        "200 dpi and SVG), report.html and report.docx.",
    )
    demo.add_argument("--out", default="wellbeing-demo", help="output folder")
    demo.add_argument(
        "--people", type=_positive, default=500, help="people in the cohort (at least 1)"
    )
    demo.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    demo.set_defaults(run="run_demo")


def _add_score(sub: Any) -> None:
    score_cmd = sub.add_parser(
        "score",
        help="score a ratings file (CSV, XLSX, Parquet, SPSS, Stata, FHIR, REDCap)",
        description="Validate and score a ratings file, wide (one column per indicator) or "
        "long (indicator and rating columns). Invalid rows stop the run with a report (row, "
        "column, problem; never an identifier) unless --rejected is given.",
    )
    score_cmd.add_argument("input", help="ratings file")
    score_cmd.add_argument("-o", "--output", required=True, help="scores file to write")
    score_cmd.add_argument("--framework", help="framework JSON file (default: the bundled one)")
    score_cmd.add_argument("--rules", help="scoring rules JSON file")
    score_cmd.add_argument(
        "--rejected", help="score the valid rows and write the rejected ones here"
    )
    score_cmd.add_argument(
        "--engine",
        choices=["pandas", "dask"],
        default="pandas",
        help="dask: INPUT and OUTPUT are partitioned Parquet folders, processed in bounded "
        "memory (needs the [dask] extra)",
    )
    score_cmd.add_argument(
        "--overwrite",
        action="store_true",
        help="allow -o or --rejected to replace the input file, or the Dask engine's output "
        "folder to replace the part files it holds",
    )
    _add_date_options(score_cmd)
    _add_file_options(score_cmd)
    score_cmd.set_defaults(run="run_score")


def _add_report(sub: Any) -> None:
    report_cmd = sub.add_parser(
        "report",
        help="write the cohort report as HTML or Word (safe to publish)",
        description="Write the cohort report: overview, snapshot, change, trajectory, "
        "groups, continuum mix, reliability and methods, every count through the disclosure "
        "policy. The format follows the extension: .html (one self-contained page that "
        "prints on A4) or .docx (Word).",
    )
    report_cmd.add_argument("input", help="ratings file")
    report_cmd.add_argument(
        "-o", "--output", required=True, type=_report_file, help="report.html or report.docx"
    )
    report_cmd.add_argument("--framework", help="framework JSON file")
    report_cmd.add_argument("--title", default="Social wellbeing cohort report", help="title")
    report_cmd.add_argument(
        "--group-by",
        metavar="COLUMN",
        help="column of the groups section (default: client_group when present)",
    )
    report_cmd.add_argument(
        "--baseline",
        default="first",
        type=_baseline,
        metavar="first|WAVE",
        help="each person's baseline: their first assessment (default) or a wave number",
    )
    report_cmd.add_argument(
        "--follow-up",
        default="last",
        type=_follow_up,
        metavar="last|WAVE",
        help="each person's follow-up: their last assessment (default) or a wave number",
    )
    report_cmd.add_argument(
        "--policy",
        "--disclosure",
        dest="disclosure",
        default="nhs",
        choices=list(DISCLOSURE_PRESETS),
        help="disclosure control preset (default: nhs; 'none' only inside a secure setting)",
    )
    report_cmd.add_argument(
        "--rater",
        help="whose assessments to report when the rater column holds several (default: "
        "self-ratings when there are any)",
    )
    _add_date_options(report_cmd)
    _add_file_options(report_cmd)
    report_cmd.set_defaults(run="run_report")


def _report_file(text: str) -> str:
    """A report file name whose extension names a format (else a usage error, exit 2)."""
    from wellbeing_framework.report_formats import report_format

    try:
        report_format(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _occasion(text: str, word: str) -> str | int:
    """``word`` ('first' or 'last') or a whole wave number."""
    if text.strip().lower() == word:
        return word
    try:
        return int(text.strip())
    except ValueError:
        msg = f"expected {word} or a wave number, not {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _baseline(text: str) -> str | int:
    return _occasion(text, "first")


def _follow_up(text: str) -> str | int:
    return _occasion(text, "last")


def _add_framework(sub: Any) -> None:
    framework = sub.add_parser(
        "framework",
        help="show, check or export a framework definition",
        description="Show, check or export a framework file (the bundled one by default).",
    )
    framework.add_argument("action", choices=["show", "validate", "export"])
    framework.add_argument(
        "file", nargs="?", default=None, help="framework JSON file or bundled name"
    )
    framework.add_argument("-o", "--output", type=Path, help="where `export` writes")
    framework.add_argument(
        "--format",
        choices=["json", "fhir", "redcap"],
        default="json",
        help="export: the framework file (json, default), a FHIR R4 Questionnaire with "
        "calculated domain scores (fhir), or a REDCap data dictionary CSV (redcap)",
    )
    framework.set_defaults(run="run_framework")


def _add_explore(sub: Any) -> None:
    explore = sub.add_parser(
        "explore",
        help="the explorer in your browser: move ratings, watch the profile answer",
        description="Serve the explorer (needs the [teach] extra) as a web page on this "
        "computer only (127.0.0.1), with no code shown and no internet needed: one control "
        "per indicator, the quadrant, scores, the practice continuum and reliable change. "
        "Ctrl+C stops it.",
    )
    explore.add_argument("--port", type=_positive, default=8866, help="port (default 8866)")
    explore.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    explore.add_argument("--framework", help="framework JSON file or bundled name")
    explore.set_defaults(run="run_explore")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``wellbeing`` command."""
    parser = argparse.ArgumentParser(
        prog="wellbeing",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a full traceback when something fails"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in (_add_demo, _add_columns, _add_score, _add_report, _add_framework, _add_explore):
        add(sub)
    return parser


def _quiet_stdout() -> None:
    """Send what is left of standard output nowhere, so the exit does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``wellbeing`` command and return its exit code."""
    args = build_parser().parse_args(argv)
    # the work is imported only now: --help and --version never load pandas
    from wellbeing_framework import commands
    from wellbeing_framework.commands import EXIT_INVALID, EXIT_OK, EXIT_USAGE, say
    from wellbeing_framework.exceptions import (
        DataFileError,
        FrameworkDefinitionError,
        ScoringError,
        ValidationError,
        WellbeingFrameworkError,
    )

    try:
        code: int = getattr(commands, args.run)(args)
    except BrokenPipeError:  # `wellbeing framework show | head`: the reader has gone
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        if args.debug:
            raise
        say("interrupted: files are written whole or not at all, so nothing is half-written")
        return 130
    except ValidationError as exc:
        if args.debug:
            raise
        say(f"error: {exc}")
        return EXIT_INVALID
    except (
        DataFileError,
        FrameworkDefinitionError,
        ScoringError,
        ImportError,
        OSError,
        ValueError,
        KeyError,
        WellbeingFrameworkError,
    ) as exc:
        if args.debug:
            raise
        # a KeyError's str() is its repr: show the sentence, not a quoted one
        said = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        say(f"error: {said}")
        return EXIT_USAGE
    except Exception as exc:  # a fault of the library's, not the user's: no traceback
        if args.debug:
            raise
        say(
            f"error: the command failed unexpectedly ({type(exc).__name__}). Run it again "
            "with --debug and report what it prints."
        )
        return EXIT_USAGE
    return code


def __getattr__(name: str) -> Any:
    """``framework_tour`` and ``worked_example`` live with the commands."""
    if name in ("framework_tour", "worked_example"):
        from wellbeing_framework import commands

        return getattr(commands, name)
    msg = f"module 'wellbeing_framework.cli' has no attribute {name!r}"
    raise AttributeError(msg)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
