"""The cohort report: HTML to publish or print, and Word to file and share.

Every count passes through the disclosure policy, every figure is aggregate (no
individual's scores are plotted) and has alt text, and the report states the framework
version and the rules it used. The report is built once as a :class:`Document` of sections
(:func:`build_report`); :func:`cohort_report` writes it as HTML and :func:`write_report`
writes it as ``.html`` or ``.docx`` by the file's extension.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from wellbeing_framework._version import __version__
from wellbeing_framework.atomic import replacing, write_text
from wellbeing_framework.cohort import DisclosurePolicy
from wellbeing_framework.cohort.select import Which
from wellbeing_framework.continuum import ContinuumRules
from wellbeing_framework.framework import Framework
from wellbeing_framework.report import sections
from wellbeing_framework.report.document import Document, Section
from wellbeing_framework.report.html import to_html
from wellbeing_framework.report.methods import methods_section, rules_appendix
from wellbeing_framework.report.published import Published, published_tables
from wellbeing_framework.report_formats import report_format
from wellbeing_framework.scoring import ScoringRules

__all__ = [
    "Document",
    "Published",
    "build_report",
    "cohort_report",
    "published_tables",
    "save_report",
    "write_report",
]


def build_report(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    rules: ScoringRules | None = None,
    continuum_rules: ContinuumRules | None = None,
    policy: DisclosurePolicy | str | None = None,
    title: str = "Social wellbeing cohort report",
    group: str | None = "client_group",
    baseline: Which = "first",
    follow_up: Which = "last",
    seed: int = 0,
    dayfirst: bool = True,
    date_format: str | None = None,
    rater: str | None = None,
) -> Document:
    """The report's content, before it is written as HTML or Word.

    Takes the same arguments as :func:`~wellbeing_framework.cohort_report`.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> from wellbeing_framework.report import build_report
    >>> doc = build_report(wf.make_cohort(300, waves=3, seed=1), wf.load_framework())
    >>> [s.title for s in doc.sections][:4]
    ['Overview', 'Snapshot', 'Change over time', 'Trajectory over waves']
    """
    resolved = (rules or ScoringRules()).resolve(framework)
    placing = continuum_rules or ContinuumRules()
    tables = published_tables(
        ratings,
        framework,
        rules=resolved,
        continuum_rules=placing,
        policy=policy,
        group=group,
        baseline=baseline,
        follow_up=follow_up,
        seed=seed,
        dayfirst=dayfirst,
        date_format=date_format,
        rater=rater,
    )
    parts: list[Section | None] = [sections.overview_section(tables, framework)]
    if "cohort" not in tables.reasons:
        parts += [
            sections.snapshot_section(tables),
            sections.change_section(tables, framework),
            sections.trajectory_section(tables, framework),
            sections.groups_section(tables),
            sections.continuum_section(tables, framework),
            sections.reliability_section(tables),
        ]
    note = None if tables.change is None else _reliability_note(tables)
    parts += [
        methods_section(ratings, framework, resolved, placing, tables.policy, note),
        rules_appendix(framework, resolved, placing),
    ]
    made = _dt.datetime.now(tz=_dt.UTC).strftime("%d %B %Y")
    return Document(
        title,
        f"Made on {made} with wellbeing_framework {__version__}; framework "
        f"{framework.key} {framework.version}.",
        tuple(p for p in parts if p is not None),
    )


def _reliability_note(tables: Published) -> str:
    summary = tables.change.summary if tables.change is not None else None
    if summary is None:
        return ""
    sources = dict.fromkeys(str(s) for s in summary["reliability_source"].dropna())
    return "Reliability used: " + "; ".join(sources) + "."


def cohort_report(ratings: pd.DataFrame, framework: Framework, **options: Any) -> str:
    """Build the cohort report as one self-contained HTML document.

    Parameters
    ----------
    ratings
        Valid ratings (wide or long) of a cohort over time, with ``person_id`` and, for
        change over time, ``assessment_date`` or ``wave``.
    framework
        The framework.
    **options
        ``rules``, ``continuum_rules``: scoring and placement rules (defaults if ``None``),
        both stated in the report. ``policy``: disclosure control for every published count,
        a :class:`~wellbeing_framework.DisclosurePolicy` or the name of a preset (``"nhs"``,
        the default; ``"10-5"``; ``"threshold-10"``). ``title``. ``group``: the
        column of the groups section (default ``"client_group"``, skipped when absent; a
        column asked for by name must exist). ``baseline``, ``follow_up``: ``"first"``,
        ``"last"`` or a wave number (the follow-up after the baseline). ``seed``: of the
        bootstrap intervals. ``dayfirst``,
        ``date_format``: how text dates are read, as in
        :func:`~wellbeing_framework.validate`. ``rater``: whose assessments to follow
        when the ``rater`` column holds several raters (default ``"self"`` when there are
        self-ratings).

    Returns
    -------
    str
        The HTML: overview (with safeguarding flags raised), snapshot, change with
        reliable change, trajectory over waves (three or more waves), groups and equity,
        continuum mix, reliability, methods in words, and the rules as an appendix. Each
        section has a one-sentence reading, a figure with alt text and its tables. No
        external resources; a print stylesheet lays it out on A4. A section that cannot be
        computed says why; a cohort too small to publish gets an overview that says so and
        no statistics at all.

    Raises
    ------
    ValidationError
        If any row of ``ratings`` is invalid.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> page = wf.cohort_report(wf.make_cohort(120, waves=2, seed=1), fw)
    >>> page.startswith("<!DOCTYPE html>"), "http://" in page.replace("http://www.w3", "")
    (True, False)
    """
    return to_html(build_report(ratings, framework, **options))


def write_report(
    ratings: pd.DataFrame,
    path: str | os.PathLike[str],
    framework: Framework,
    **options: Any,
) -> Path:
    """Write the cohort report to ``path``, as HTML or Word by its extension.

    Parameters
    ----------
    ratings, framework, **options
        As for :func:`cohort_report`.
    path
        A ``.html`` (or ``.htm``) file for a self-contained web page that prints on A4, or
        a ``.docx`` file for Word.

    Raises
    ------
    ValueError
        If the extension names no report format (checked before any work is done).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = wf.write_report(wf.make_cohort(60, waves=2, seed=2),
    ...                           pathlib.Path(tmp) / "report.docx", wf.load_framework())
    ...     out.suffix, out.stat().st_size > 10_000
    ('.docx', True)
    """
    report_format(path)  # before any work is done
    return save_report(build_report(ratings, framework, **options), path)


def save_report(document: Document, path: str | os.PathLike[str]) -> Path:
    """Write a built report (:func:`build_report`) as ``.html`` or ``.docx``, by the
    extension, whole or not at all; return the path.

    Raises
    ------
    ValueError
        If the extension names no report format.
    """
    out = Path(path)
    if report_format(out) == "docx":
        from wellbeing_framework.report.word import to_docx

        with replacing(out) as part:
            part.write_bytes(to_docx(document))
        return out
    return write_text(out, to_html(document))
