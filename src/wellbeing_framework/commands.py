"""What each ``wellbeing`` command does, once :mod:`wellbeing_framework.cli` has parsed it.

Kept apart from the parser so that ``wellbeing --help`` answers without importing pandas.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd

from wellbeing_framework.cohort import DisclosurePolicy
from wellbeing_framework.exceptions import (
    DataFileError,
)
from wellbeing_framework.framework import Framework
from wellbeing_framework.io import (
    dump_framework,
    framework_json,
    load_framework,
    load_rules,
)
from wellbeing_framework.problems import SHEET_ROW
from wellbeing_framework.scoring import ScoringRules, score, score_one
from wellbeing_framework.tables import READ_KEY, read_ratings, sidecar_path, write_table
from wellbeing_framework.validation import validate

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "framework_tour",
    "run_columns",
    "run_demo",
    "run_framework",
    "run_report",
    "run_score",
    "say",
    "worked_example",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def say(message: str) -> None:
    """Print a message for the person at the terminal (standard error)."""
    print(message, file=sys.stderr)


PROGRESS_ROWS = 100_000
#: A note of validation that a header was read as one of the framework's names.
_RENAMED = re.compile(r"^column ('.*') read as (\w+) \(.*\)$")


def _wrap(text: str, indent: str, hang: str = "") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent + hang)


def framework_tour(fw: Framework) -> str:
    """Return a plain-text tour of a framework: values, domains, centre and continuum.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> print(framework_tour(wf.load_framework()).splitlines()[0])
    Improving and Safeguarding Social Wellbeing (ni_social_wellbeing, version 1.0.0)
    """
    lines = [f"{fw.title} ({fw.key}, version {fw.version})"]
    if fw.source is not None:
        lines.append(_wrap(f"Source: {fw.source.title}", "  "))
    if fw.adapted_from is not None:
        lines.append(f"  Adapted from {fw.adapted_from.key} {fw.adapted_from.version}")
    if fw.values:
        lines += ["", "Social work values"]
        for value in fw.values:
            lines += [f"  {value.title}", _wrap(value.statement, "    ")]
    if fw.characteristics:
        lines += ["", "Key characteristics of effective practice"]
        lines += [_wrap(f"{c.title}: {c.description}", "  ") for c in fw.characteristics]
    lines += ["", "The social wellbeing quadrant"]
    for domain in fw.domains:
        lines.append(f"  {domain.title} [{domain.key}]")
        if domain.aim:
            lines.append(_wrap(f"{domain.aim}. This happens when people:", "    "))
        width = max(len(i.key) for i in domain.indicators)
        lines += [
            _wrap(f"{i.key:<{width}}  {i.text}", "    ", " " * (width + 2))
            for i in domain.indicators
        ]
    if fw.centre:
        lines += ["", "At the centre: " + " and ".join(c.title for c in fw.centre)]
    scale = fw.scale
    question = f": {scale.question}" if scale.question else ""
    lines += ["", f"Rating scale {scale.min}-{scale.max}{question}"]
    if scale.labels:
        pairs = zip(scale.points, scale.labels, strict=True)
        lines.append("  " + ", ".join(f"{p} {lab}" for p, lab in pairs))
    if fw.continuum is not None:
        lines += ["", f"{fw.continuum.title} (empowering -> protecting)"]
        lines += [f"  {n}. {a.title}" for n, a in enumerate(fw.continuum.approaches, 1)]
        if fw.continuum.note:
            lines.append(_wrap(f"Note: {fw.continuum.note}", "  "))
    return "\n".join(lines)


def worked_example(fw: Framework) -> str:
    """Return a scored example person (made-up ratings) with the plain-language summary."""
    ratings: dict[str, float | None] = dict.fromkeys(fw.indicator_keys, 4.0)
    ratings |= {"pm1": 2.0, "pm3": 3.0, "sw3": 2.0, "sw5": 1.0, "qol": 3.0, "self_worth": 2.0}
    profile = score_one(ratings, fw)
    lines = ["Worked example (made-up ratings for one person)"]
    for domain in fw.domains:
        value = profile.domains[domain.key]
        shown = "not scored" if value is None else f"{value:5.1f}/100  {profile.bands[domain.key]}"
        lines.append(f"  {domain.title:<34} {shown}")
    lines += ["", *("  " + line for line in profile.summary().splitlines())]
    return "\n".join(lines)


def _framework(args: argparse.Namespace) -> Framework:
    return load_framework(getattr(args, "framework", None))


def run_demo(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")

    from wellbeing_framework import cohort, plot
    from wellbeing_framework.continuum import place_on_continuum
    from wellbeing_framework.report import build_report, save_report
    from wellbeing_framework.synthetic import make_cohort

    start = time.perf_counter()
    fw = load_framework()
    out = Path(args.out)
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    print(f"{fw.title}: demonstration on a synthetic cohort (no real person's data).")
    ratings = make_cohort(args.people, waves=3, seed=args.seed)
    report = validate(ratings, fw)
    print(
        f"  {report.n_rows} assessments of {args.people} people over 3 waves: "
        f"{report.n_valid} valid, {report.n_rejected} rejected"
    )
    scores = score(report.valid, fw)
    placed = place_on_continuum(scores, fw)
    write_table(placed.drop(columns=["reasons"]), out / "scores.csv")

    result = cohort.change(report.valid, fw, seed=args.seed)
    index = result.summary.set_index("measure").loc["index"]
    snap = cohort.snapshot(scores, fw, "first")
    first_person = str(scores["person_id"].iloc[0])
    mine = scores[(scores["person_id"] == first_person) & (scores["rater"] == "self")]
    drawings = {
        "quadrant_example": plot.quadrant(
            mine.iloc[-1], fw, baseline=mine.iloc[0], title=f"{first_person} (synthetic)"
        ),
        "snapshot": plot.snapshot(snap, title="Bands at the first assessment"),
        "groups": plot.groups(
            cohort.compare_groups(
                scores[(scores["rater"] == "self") & (scores["wave"] == 3)], fw, by="client_group"
            ),
            title="Index at wave 3 by client group",
        ),
        "profiles": plot.profile_grid(
            scores, fw, people=list(dict.fromkeys(scores["person_id"]))[:20]
        ).axes[0],
    }
    for name, ax in drawings.items():
        plot.save(ax, figures / name)
    document = build_report(report.valid, fw, seed=args.seed)
    html = save_report(document, out / "report.html")
    word = save_report(document, out / "report.docx")

    print(
        f"  index at baseline {index['mean_baseline']:.1f}, latest {index['mean_follow_up']:.1f}: "
        f"mean change {index['mean_change']:+.1f} "
        f"(95% CI {index['ci_low']:+.1f} to {index['ci_high']:+.1f})"
    )
    print(
        f"  reliable change in the index: {index['improved']} improved, "
        f"{index['no_reliable_change']} no reliable change, {index['deteriorated']} "
        "deteriorated (counts rounded to 5)"
    )
    flagged = int(scores["flag_safeguarding"].fillna(False).sum())
    print(f"  safeguarding flags raised in {flagged} assessments")
    print(
        f"Wrote {out / 'scores.csv'}, {len(drawings) * 2} figures (PNG at 200 dpi and SVG) "
        f"in {figures}, {html} and {word.name}"
    )
    print(f"Open {html} in a browser. Done in {time.perf_counter() - start:.1f} s.")
    return EXIT_OK


def _score_rows(data: pd.DataFrame, fw: Framework, rules: ScoringRules | None) -> pd.DataFrame:
    """Score valid rows, in blocks with a progress bar when there are many."""
    if len(data) <= PROGRESS_ROWS:
        return score(data, fw, rules)
    from tqdm import tqdm

    parts = []
    with tqdm(total=len(data), unit="rows", desc="scoring", file=sys.stderr) as bar:
        for start in range(0, len(data), PROGRESS_ROWS):
            block = data.iloc[start : start + PROGRESS_ROWS]
            parts.append(score(block, fw, rules))
            bar.update(len(block))
    scores = pd.concat(parts)
    scores.attrs = parts[0].attrs
    return scores


def _score_with_dask(args: argparse.Namespace, fw: Framework, rules: ScoringRules | None) -> int:
    """Partitioned Parquet in, partitioned Parquet out, in bounded memory."""
    try:
        import dask.dataframe as dd
    except ImportError:
        say('error: --engine dask needs Dask: pip install "wellbeing-framework[dask]"')
        return EXIT_USAGE
    from wellbeing_framework.scoring import provenance

    source = Path(args.input)
    if not source.exists():
        raise DataFileError("no such file or folder", source.name)
    _check_parts(source)
    try:
        data = dd.read_parquet(str(source))
    except Exception as exc:  # pyarrow and fsspec raise many kinds for an unreadable dataset
        raise DataFileError(
            f"not a readable Parquet dataset ({type(exc).__name__})", source.name
        ) from None
    report = validate(data, fw, **_date_rule(args))
    if not report.ok and args.rejected is None:
        say(f"{args.input}: invalid data; nothing written.")
        say(report.summary(sheet_rows=True, notes=False))
        return EXIT_INVALID
    resolved = (rules or ScoringRules()).resolve(fw)
    from wellbeing_framework.dask_engine import score_valid_dask

    if report.n_valid:
        scores = score_valid_dask(report.valid, fw, resolved, **_date_rule(args))
        metadata = {"wellbeing_framework": json.dumps(provenance(fw, resolved))}
        _write_dataset(scores, Path(args.output), metadata)
    if args.rejected is not None and report.n_rejected:
        write_table(report.rejected, args.rejected)
    print(f"rows in: {report.n_rows} = scored {report.n_valid} + rejected {report.n_rejected}")
    if report.n_rejected:
        say(report.summary(limit=10, sheet_rows=True, notes=False).split("\n", 1)[-1])
    if not report.n_valid:
        say("error: no row could be scored; nothing written to -o")
        return EXIT_INVALID
    print(f"wrote {args.output} (partitioned Parquet)")
    return EXIT_OK


def _kind(arrow_type: Any) -> str:
    """What a column holds, broadly: numbers (whole or not alike), text, dates, other."""
    import pyarrow as pa

    if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
        return "numbers"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_timestamp(arrow_type) or pa.types.is_date(arrow_type):
        return "dates"
    if pa.types.is_null(arrow_type):
        return "none"  # an empty part: no values, so no kind
    return str(arrow_type)


def _check_parts(source: Path) -> None:
    """Every part file of a Parquet dataset readable and with the same columns holding the
    same kind of values, checked from the files' footers before any work: a damaged or
    mismatched part stops the run with one clear line, never a traceback after part of the
    output is written."""
    import pyarrow.parquet as pq

    parts = sorted(source.glob("*.parquet")) if source.is_dir() else [source]
    kinds: dict[str, dict[str, str]] = {}
    for part in parts:
        try:
            schema = pq.read_schema(part)
        except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for a bad file
            msg = f"the part file {part.name} is damaged or not Parquet ({type(exc).__name__})"
            raise DataFileError(msg, source.name) from None
        empty = pq.read_metadata(part).num_rows == 0  # no values, so no kinds to compare
        kinds[part.name] = {
            n: "none" if empty else _kind(t)
            for n, t in zip(schema.names, schema.types, strict=True)
        }
    if not kinds:
        raise DataFileError("no Parquet part files (*.parquet) in the folder", source.name)
    first, *others = kinds
    for name in others:
        a, b = kinds[first], kinds[name]
        differ = sorted(set(a) ^ set(b))
        differ += [
            f"{c} ({a[c]} and {b[c]})"
            for c in sorted(set(a) & set(b))
            if a[c] != b[c] and "none" not in (a[c], b[c])
        ]
        if differ:
            msg = (
                f"the part files do not share one set of columns: {name} and {first} differ "
                f"in {', '.join(differ[:5])}"
            )
            raise DataFileError(msg, source.name)


def _write_dataset(scores: Any, target: Path, metadata: dict[str, str]) -> None:
    """Write partitioned Parquet whole or not at all: into a temporary folder beside the
    target, renamed into place when every part is written."""
    import shutil
    import tempfile

    parent = target.parent if str(target.parent) else Path()
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=parent))
    try:
        scores.to_parquet(str(staging), write_index=False, custom_metadata=metadata)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.is_dir():
        shutil.rmtree(target)  # empty, or its old parts under --overwrite
    elif target.exists():
        target.unlink()
    staging.rename(target)


def _date_rule(args: argparse.Namespace) -> dict[str, Any]:
    """How text dates are read, from --month-first and --date-format."""
    return {"dayfirst": not args.month_first, "date_format": args.date_format}


def _source_kind(args: argparse.Namespace) -> str:
    """What the input is: a table, FHIR resources or a REDCap export."""
    kind = getattr(args, "source_kind", "auto")
    if kind != "auto":
        return str(kind)
    path = Path(args.input)
    if path.is_dir() or path.suffix.lower() in (".json", ".ndjson"):
        return "fhir"
    if path.suffix.lower() == ".csv" and path.is_file():
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline().strip().lower()
        names = [h.strip().strip('"') for h in header.split(",")]
        labelled = {"event name", "repeat instrument", "complete?"}  # a labelled export
        if (
            names[:1] == ["record_id"]
            or names[0].startswith("record id")
            or any(n.startswith("redcap_") or n in labelled for n in names)
        ):
            return "redcap"
    return "table"


def _read_system(args: argparse.Namespace, kind: str) -> pd.DataFrame:
    from wellbeing_framework.interop import read_questionnaire_responses, read_redcap

    fw = _framework(args)
    given = [
        f
        for f, v in (
            ("--columns", getattr(args, "columns", None)),
            ("--sheet", getattr(args, "sheet", None)),
        )
        if v is not None
    ]
    if given:
        msg = f"{' and '.join(given)} apply to tables, not to {kind.upper()} input"
        raise ValueError(msg)
    if kind == "fhir":
        data = read_questionnaire_responses(args.input, fw, errors="reject")
    else:
        data = read_redcap(args.input, fw, **_date_rule(args))
    info = data.attrs.get(READ_KEY, {})
    if "where" in info:
        print(f"read {info['where']}")
    for what, count in info.get("skipped", {}).items():
        shown = f"resources of type {what}" if kind == "fhir" else what
        print(f"{count} {shown} skipped (not assessments)")
    for token, count in info.get("missing", {}).items():
        shown = "empty cells" if token == "" else f"cells holding {token!r}"
        print(f"{count} {shown} read as missing answers")
    return data


def _read(args: argparse.Namespace) -> pd.DataFrame:
    """Read the input file as the options say, and tell what was done to it."""
    kind = _source_kind(args)
    if kind != "table":
        return _read_system(args, kind)
    sheet = args.sheet
    data = read_ratings(
        args.input,
        columns=getattr(args, "columns", None),
        sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
        **_date_rule(args),
    )
    info = data.attrs.get(READ_KEY, {})
    if "where" in info:
        print(f"read {info['where']}")
    renamed = [f"{h!r} -> {n}" for h, n in info.get("renamed", {}).items()]
    if renamed:
        print(_wrap("columns read as mapped: " + ", ".join(renamed), "", "  "))
    for token, count in info.get("missing", {}).items():
        shown = "empty cells" if token == "" else f"cells holding {token!r}"
        print(f"{count} {shown} read as missing answers")
    for code, count in info.get("missing_codes", {}).items():
        print(f"{count} answers coded {code} read as missing (user-missing)")
    return data


def _unread(data: pd.DataFrame) -> pd.DataFrame:
    """The resources of the input that could not be read (FHIR), with their problems."""
    found = data.attrs.get(READ_KEY, {}).get("rejected")
    return found if isinstance(found, pd.DataFrame) else pd.DataFrame()


def _say_notes(report: Any) -> None:
    """The report's notes: the headers read as the framework's names on one line, then the
    others one by one."""
    renamed = [n for n in report.notes if _RENAMED.match(n)]
    if renamed:
        pairs = ", ".join(_RENAMED.sub(r"\1 -> \2", n) for n in renamed)
        print(_wrap(f"columns read as the framework's names: {pairs}", "", "  "))
    for note in report.notes:
        if note not in renamed:
            print(_wrap(f"note: {note}", "", "  "))


def run_columns(args: argparse.Namespace) -> int:
    from wellbeing_framework.columns import suggest_columns

    fw = _framework(args)
    data = _read(argparse.Namespace(**{**vars(args), "month_first": False, "date_format": None}))
    found = suggest_columns(data, fw)
    print(f"{len(data.columns)} headers in {Path(args.input).name}:")
    print(found)
    if found.conflicts:
        print(f"more than one header matches {', '.join(found.conflicts)}: map one of them")
    if args.output is not None:
        out = found.to_json(args.output)
        print(
            f"wrote {out}: check it, edit it, then: wellbeing score {args.input} --columns {out}"
        )
    return EXIT_OK


def _same_file(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and Path(a).resolve() == Path(b).resolve()


def _dataset_part(path: Path) -> bool:
    """A file a partitioned Parquet dataset is made of."""
    return path.is_file() and (
        path.suffix == ".parquet" or path.name in ("_metadata", "_common_metadata")
    )


def _unsafe_outputs(args: argparse.Namespace) -> str | None:
    """Why the outputs asked for would destroy an input or each other, if they would."""
    if _same_file(args.output, args.rejected):
        return "-o and --rejected name the same file: give each its own"
    formats = (
        ".csv",
        ".tsv",
        ".txt",
        ".xlsx",
        ".xlsm",
        ".parquet",
        ".pq",
        ".sav",
        ".zsav",
        ".dta",
    )
    for flag, path in (("-o", args.output), ("--rejected", args.rejected)):
        engine_folder = flag == "-o" and args.engine == "dask"
        if path is not None and not engine_folder and Path(path).suffix.lower() not in formats:
            return f"{flag} must end in .csv, .xlsx, .parquet, .sav or .dta"
    out = Path(args.output)
    if args.engine == "dask" and out.is_dir():
        others = [p for p in out.iterdir() if not _dataset_part(p)]
        if others:
            return (
                f"the output folder {out.name} holds files that are not Parquet parts: "
                "choose an empty folder"
            )
    if not args.overwrite:
        for flag, path in (("-o", args.output), ("--rejected", args.rejected)):
            if _same_file(args.input, path):
                return (
                    f"{flag} is the input file: choose another name (or --overwrite to "
                    "replace the input)"
                )
        if args.engine == "dask" and out.is_dir() and any(out.iterdir()):
            return (
                f"the output folder {out.name} already holds Parquet part files: choose an "
                "empty folder (or --overwrite to replace them)"
            )
    return None


def run_score(args: argparse.Namespace) -> int:
    fw = _framework(args)
    rules = load_rules(args.rules) if args.rules else None
    if rules is not None:
        rules.resolve(fw)
    refusal = _unsafe_outputs(args)
    if refusal is not None:
        say(f"error: {refusal}")
        return EXIT_USAGE
    if args.engine == "dask":
        return _score_with_dask(args, fw, rules)
    data = _read(args)
    unread = _unread(data)
    report = validate(data, fw, **_date_rule(args))
    _say_notes(report)
    if len(unread) and args.rejected is None:
        say(f"{args.input}: {len(unread)} responses cannot be read; nothing written.")
        for where, problems in unread.head(20).itertuples(index=False, name=None):
            say(f"  {where}: {problems}")
        if not report.ok:  # the responses that could be read have problems of their own
            say(report.summary(limit=10, sheet_rows=True, notes=False))
        say("Fix them, or pass --rejected FILE to score the others and list these there.")
        return EXIT_INVALID
    if not report.ok and args.rejected is None:
        say(f"{args.input}: invalid data; nothing written.")
        say(report.summary(sheet_rows=True, notes=False))
        say(
            "Fix the rows above, or pass --rejected FILE to score the valid rows and keep "
            "the others aside."
        )
        return EXIT_INVALID
    scored = report.valid
    if report.shape == "wide" and len(scored):
        scores = _score_rows(scored, fw, rules)
    elif len(scored):
        scores = score(scored, fw, rules)
    else:
        scores = pd.DataFrame()
    numbered = data.index.name == SHEET_ROW  # keep the rows' numbers in the sheet
    if len(scores):
        write_table(scores, args.output, index=numbered)
    n_rejected = report.n_rejected + len(unread)
    if args.rejected is not None and n_rejected:
        rejected = pd.concat([unread, report.rejected]) if len(unread) else report.rejected
        write_table(rejected, args.rejected, index=numbered and not len(unread))
    print(
        f"rows in: {report.n_rows + len(unread)} = scored {report.n_valid} + rejected {n_rejected}"
    )
    if report.n_rejected:
        say(report.summary(limit=10, sheet_rows=True, notes=False).split("\n", 1)[-1])
    if len(scores):
        print(f"wrote {args.output}")
    else:
        if Path(args.output).is_file():  # an old scores file must not pass for this run's
            Path(args.output).unlink()
            sidecar_path(args.output).unlink(missing_ok=True)
            print(f"removed the old {args.output}")
        say("error: no row could be scored; nothing written to -o")
    if args.rejected is not None and n_rejected:
        print(
            f"wrote {args.rejected} (the rejected rows with their problems; it holds "
            "identifiers and free text from your data: keep it as safe as the input)"
        )
    return EXIT_OK if len(scores) else EXIT_INVALID


def run_report(args: argparse.Namespace) -> int:
    from wellbeing_framework.report import write_report

    fw = _framework(args)
    data = _read(args)
    report = validate(data, fw, **_date_rule(args))
    _say_notes(report)
    if len(_unread(data)):
        say(f"{args.input}: {len(_unread(data))} responses cannot be read; no report written.")
        return EXIT_INVALID
    if not report.ok:
        say(f"{args.input}: invalid data; no report written.")
        say(report.summary(sheet_rows=True, notes=False))
        return EXIT_INVALID
    policy = DisclosurePolicy.preset(args.disclosure)
    out = write_report(
        report.valid,
        args.output,
        fw,
        policy=policy,
        rater=args.rater,
        title=args.title,
        group=args.group_by or "client_group",
        baseline=args.baseline,
        follow_up=args.follow_up,
    )
    print(f"wrote {out} ({policy.describe()})")
    return EXIT_OK


def run_framework(args: argparse.Namespace) -> int:
    fw = load_framework(args.file)
    if args.action == "show":
        print(framework_tour(fw))
    elif args.action == "validate":
        print(f"ok: {fw!r}")
    elif args.format != "json":
        return _export_framework(fw, args)
    elif args.output is None:
        sys.stdout.write(framework_json(fw))
    else:
        out = dump_framework(fw, args.output)
        print(f"wrote {out}")
    return EXIT_OK


def _export_framework(fw: Framework, args: argparse.Namespace) -> int:
    """The framework as a FHIR Questionnaire or a REDCap data dictionary."""
    from wellbeing_framework.atomic import write_text
    from wellbeing_framework.interop import redcap_dictionary, to_questionnaire

    if args.format == "fhir":
        document = to_questionnaire(fw, calculated=True)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        text = redcap_dictionary(fw).to_csv(index=False, lineterminator="\n")
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    write_text(args.output, text)
    print(f"wrote {args.output}")
    if args.format == "redcap":
        print("upload it in REDCap: Project Setup > Data Dictionary > Upload")
    return EXIT_OK


def run_explore(args: argparse.Namespace) -> int:
    from wellbeing_framework.teach.serve import serve

    if args.framework is not None:
        load_framework(args.framework)  # a bad file is refused here, not in the page
    return serve(args.port, open_browser=not args.no_browser, framework=args.framework)
