"""The ``wellbeing`` command: parse arguments, call the public functions, print results.

Exit codes: 0 success, 1 invalid data, 2 a usage error or an unreadable file. A user error
never prints a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from wellbeing_framework._version import __version__
from wellbeing_framework.exceptions import FrameworkDefinitionError, WellbeingFrameworkError
from wellbeing_framework.framework import Framework
from wellbeing_framework.io import dump_framework, framework_json, load_framework
from wellbeing_framework.scoring import score_one

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_DESCRIPTION = """\
Score and analyse social wellbeing assessments against the Northern Ireland framework
'Improving and Safeguarding Social Wellbeing'.

examples:
  wellbeing demo                          a tour of the framework and a worked example
  wellbeing framework show                the bundled framework, domain by domain
  wellbeing framework validate my.json    check an adapted framework file
  wellbeing framework export -o fw.json   write the bundled framework to adapt it
"""


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
    lines += [
        "",
        f"Rating scale {scale.min}-{scale.max}"
        + (f": {scale.question}" if scale.question else ""),
    ]
    if scale.labels:
        lines.append(
            "  "
            + ", ".join(f"{p} {lab}" for p, lab in zip(scale.points, scale.labels, strict=True))
        )
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


def _cmd_demo(args: argparse.Namespace) -> int:
    fw = load_framework()
    print(framework_tour(fw))
    print()
    print(worked_example(fw))
    return EXIT_OK


def _cmd_framework(args: argparse.Namespace) -> int:
    fw = load_framework(args.file)
    if args.action == "show":
        print(framework_tour(fw))
    elif args.action == "validate":
        print(f"ok: {fw!r}")
    elif args.output is None:
        sys.stdout.write(framework_json(fw))
    else:
        out = dump_framework(fw, args.output)
        print(f"wrote {out}")
    return EXIT_OK


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

    demo = sub.add_parser("demo", help="a tour of the framework and a worked example")
    demo.set_defaults(func=_cmd_demo)

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
    framework.set_defaults(func=_cmd_framework)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``wellbeing`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except FrameworkDefinitionError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, WellbeingFrameworkError) as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
