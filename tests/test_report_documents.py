"""Reports a team can file: human tables, methods in words, Word, print, figures, browser.

Checked on a synthetic 300-person, 3-wave cohort and on a 40-person one-team cohort where
most small counts are suppressed.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.cli import main
from wellbeing_framework.report import build_report
from wellbeing_framework.report import human as h
from wellbeing_framework.report.document import Document, Figure, Listing, Paragraph, Table

INTERNAL = re.compile(
    r"\b(rb|pm|ir|sw|qol|mean_follow_up|mean_baseline|mean_change|ci_low|ci_high|"
    r"no_reliable_change|effect_size|p_holm|gap_low|n_items|alpha_listwise|client_group)\b"
)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return wf.make_cohort(300, waves=3, seed=5)


@pytest.fixture(scope="module")
def team() -> pd.DataFrame:
    """One team of 40 people over three waves."""
    data = wf.make_cohort(40, waves=3, seed=8)
    return data.assign(area="North team")


@pytest.fixture(scope="module")
def large_doc(large: pd.DataFrame, framework: wf.Framework) -> Document:
    return build_report(large, framework)


@pytest.fixture(scope="module")
def team_doc(team: pd.DataFrame, framework: wf.Framework) -> Document:
    return build_report(team, framework)


def _png_dpi(png: bytes) -> float:
    """Resolution recorded in a PNG's pHYs chunk (pixels per inch)."""
    at = png.index(b"pHYs")
    x, _, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    assert unit == 1  # per metre
    return x * 0.0254


class TestHumanTables:
    @pytest.mark.parametrize("which", ["large_doc", "team_doc"])
    def test_headings_and_cells_read_as_words(
        self, which: str, request: pytest.FixtureRequest
    ) -> None:
        """No internal name, no <NA>/nan/None, at most 7 columns, in every table."""
        doc: Document = request.getfixturevalue(which)
        assert len(doc.tables()) >= 10
        for table in doc.tables():
            assert len(table.header) <= h.MAX_COLUMNS
            for text in (table.caption, *table.header, *[c for r in table.rows for c in r]):
                assert not INTERNAL.search(text), (table.caption, text)
                assert not re.search(r"<NA>|\bnan\b|\bNone\b|NaN", text), (table.caption, text)
                assert "_" not in text, (table.caption, text)

    def test_numbers_rounded_for_reading(self, large_doc: Document) -> None:
        """Scores to one decimal, shares as whole percent, counts as whole numbers."""
        change = next(t for t in large_doc.tables() if t.caption.startswith("Mean change"))
        assert change.header == (
            "Measure",
            "People",
            "Baseline",
            "Follow-up",
            "Mean change",
            "95% CI",
            "Effect size",
        )
        for row in change.rows:
            assert re.fullmatch(r"\d+\.\d", row[2])
            assert re.fullmatch(r"\d+\.\d", row[3])
            assert re.fullmatch(r"[+−]?\d+\.\d", row[4])
            assert re.fullmatch(r"−?\d+\.\d to −?\d+\.\d", row[5])
        snap = next(t for t in large_doc.tables() if t.caption.startswith("People in each band"))
        for row in snap.rows:
            assert row[2] == h.DASH or re.fullmatch(r"(<1|\d+)%", row[2])

    def test_number_formats_by_hand(self) -> None:
        """Hand-checked formats, including a true minus sign and no '-0.0'."""
        assert h.score(54.25) == "54.2"  # round half to even of the binary value
        assert h.score(54.26) == "54.3"
        assert h.signed(6.34) == "+6.3"
        assert h.signed(-1.25) == "−1.2"
        assert h.signed(-0.04) == "0.0"
        assert h.interval(-11.84, 4.0) == "−11.8 to 4.0"
        assert h.percent(0.3333) == "33%"
        assert h.percent(0.004) == "<1%"
        assert h.percent(0) == "0%"
        assert h.percent(pd.NA) == h.DASH
        assert h.count(None) == h.DASH
        assert h.count(1250) == "1,250"
        assert h.score(np.nan) == h.NOT_AVAILABLE
        assert h.score(50.0, hidden=True) == h.DASH

    def test_suppressed_cells_are_dashes_with_a_reason(self, team_doc: Document) -> None:
        """The 40-person team: most small counts hidden, each table saying why."""
        dashed = [t for t in team_doc.tables() if any(h.DASH in r for r in t.rows)]
        assert len(dashed) >= 3
        for table in dashed:
            assert any("suppressed to protect privacy" in n for n in table.footnotes)
            assert any("Counts of 1 to 7 are suppressed" in n for n in table.footnotes)

    def test_a_wide_table_is_split(self, framework: wf.Framework) -> None:
        """A table too wide for A4 portrait becomes parts that repeat the first column."""
        policy = wf.DisclosurePolicy()
        header = ["Wave", *[f"band {i}" for i in range(9)]]
        parts = h.make_tables("Shares", header, [["1", *["5%"] * 9]], policy)
        assert [p.caption for p in parts] == ["Shares (part 1 of 2)", "Shares (part 2 of 2)"]
        assert all(p.header[0] == "Wave" and len(p.header) <= h.MAX_COLUMNS for p in parts)
        assert sum(len(p.header) - 1 for p in parts) == 9
        with pytest.raises(ValueError, match="at most 7 columns"):
            h.make_table("too wide", header, [["1", *["5%"] * 9]], policy)


class TestMethodsInProse:
    def test_rules_as_sentences_and_a_table(self, large_doc: Document) -> None:
        methods = next(s for s in large_doc.sections if s.title == "Methods")
        rules = next(b for b in methods.blocks if isinstance(b, Table))
        said = dict(rules.rows)
        assert set(said) == {
            "Scale",
            "Missing answers",
            "Index",
            "Bands",
            "Change",
            "Reliable change",
            "Trajectory",
            "Flags",
            "Disclosure control",
            "Practice continuum",
        }
        assert "1 = not at all" in said["Scale"]
        assert "5 = completely" in said["Scale"]
        assert "at least 50% of its indicators" in said["Missing answers"]
        assert "managing 50 to under 75" in said["Bands"]
        assert "thriving 75 to 100" in said["Bands"]
        assert "Jacobson and Truax (1991)" in said["Reliable change"]
        assert "Cronbach's alpha at baseline" in said["Reliable change"]
        assert said["Disclosure control"] == wf.DisclosurePolicy().describe()
        assert "Safe and Well 2" in said["Practice continuum"]
        assert not any(isinstance(b, Listing) for b in methods.blocks)  # JSON not in prose

    def test_machine_readable_rules_attached(self, large_doc: Document) -> None:
        appendix = large_doc.sections[-1]
        assert appendix.appendix
        listings = [b for b in appendix.blocks if isinstance(b, Listing)]
        assert [b.title for b in listings] == ["Scoring rules", "Continuum rules"]
        assert '"min_answered": 0.5' in listings[0].text


def _section(doc: Document, title: str) -> list[object]:
    return list(next(s for s in doc.sections if s.title == title).blocks)


class TestSections:
    def test_every_section_has_reading_figure_and_table(self, large_doc: Document) -> None:
        titles = [s.title for s in large_doc.sections]
        assert titles == [
            "Overview",
            "Snapshot",
            "Change over time",
            "Trajectory over waves",
            "Groups and equity",
            "Practice continuum",
            "Reliability",
            "Methods",
            "Appendix: the rules in machine-readable form",
        ]
        for section in large_doc.sections[:7]:
            kinds = [type(b) for b in section.blocks]
            assert isinstance(section.blocks[0], Paragraph)
            assert section.blocks[0].kind == "reading"
            assert section.blocks[0].text.endswith(".")
            assert Figure in kinds, section.title
            assert Table in kinds, section.title
            for figure in (b for b in section.blocks if isinstance(b, Figure)):
                assert len(figure.alt) > 40
                assert abs(_png_dpi(figure.png) - 200) < 1

    def test_safeguarding_flags_counted_through_the_policy(
        self, large: pd.DataFrame, large_doc: Document, framework: wf.Framework
    ) -> None:
        """Hand count from the scores: people flagged at any and at the latest assessment."""
        scores = wf.score(large, framework)
        own = scores[scores["rater"] == "self"]
        ever = scores.loc[scores["flag_safeguarding"].fillna(False).astype(bool), "person_id"]
        latest = own.sort_values(["person_id", "assessment_date"]).groupby("person_id").tail(1)
        now = int(latest["flag_safeguarding"].fillna(False).astype(bool).sum())
        table = next(b for b in _section(large_doc, "Overview") if isinstance(b, Table))
        said = dict(table.rows)
        assert said[
            "People with a safeguarding flag raised at any assessment, by any rater"
        ] == str(5 * round(ever.nunique() / 5))
        earlier_only = ever.nunique() - now  # a hidden part would hide the other too
        expected = "–" if 0 < earlier_only < 8 or 0 < now < 8 else str(5 * round(now / 5))
        assert (
            said["People with a safeguarding flag raised at their latest assessment (self)"]
            == expected
        )

    def test_small_flag_count_suppressed(self, framework: wf.Framework) -> None:
        """Three people flagged: the count is a dash, never 3."""
        data = wf.make_cohort(60, waves=1, seed=2)
        data[["sw3", "sw5"]] = 4
        data.loc[data.index[:3], ["sw3", "sw5"]] = 1
        doc = build_report(data, framework)
        table = next(b for b in _section(doc, "Overview") if isinstance(b, Table))
        assert (
            dict(table.rows)[
                "People with a safeguarding flag raised at any assessment, by any rater"
            ]
            == "–"
        )

    def test_change_and_trajectory_only_when_the_data_allow(self, framework: wf.Framework) -> None:
        one = build_report(wf.make_cohort(60, waves=1, seed=3), framework)
        change = _section(one, "Change over time")
        assert len(change) == 1
        assert "two assessments" in change[0].text
        two = build_report(wf.make_cohort(60, waves=2, seed=3), framework)
        trajectory = _section(two, "Trajectory over waves")  # only its reason, no figures
        assert len(trajectory) == 1
        assert "this cohort has 2" in trajectory[0].text  # type: ignore[attr-defined]
        assert "Change over time" in [s.title for s in two.sections]

    def test_trajectory_matches_a_hand_computation(
        self, large: pd.DataFrame, large_doc: Document, framework: wf.Framework
    ) -> None:
        """Mean index per wave (self-ratings) and its t interval, computed here."""
        from scipy import stats

        scores = wf.score(large, framework)
        own = scores[scores["rater"] == "self"]
        table = next(t for t in large_doc.tables() if t.caption == "Index at each wave")
        for row in table.rows:
            values = own.loc[own["wave"] == int(row[0]), "index"].dropna().to_numpy(float)
            half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
            assert row[1] == str(5 * round(len(values) / 5))
            assert row[2] == f"{round(values.mean(), 1):.1f}"
            assert row[3] == (
                f"{round(values.mean() - half, 1):.1f} to {round(values.mean() + half, 1):.1f}"
            )

    def test_groups_by_the_column_chosen(
        self, large: pd.DataFrame, framework: wf.Framework
    ) -> None:
        doc = build_report(large, framework, group="area")
        assert any(t.caption == "Index by area" for t in doc.tables())
        with pytest.raises(KeyError, match="no 'team' column"):
            build_report(large, framework, group="team")

    def test_baseline_and_follow_up_waves(
        self, large: pd.DataFrame, framework: wf.Framework
    ) -> None:
        """--baseline 1 --follow-up 2: the change is the one from wave 1 to wave 2."""
        doc = build_report(large, framework, baseline=1, follow_up=2)
        table = next(t for t in doc.tables() if t.caption.startswith("Mean change"))
        index = {r[0]: r for r in table.rows}["Index"]
        expected = wf.cohort.change(large, framework, 1, 2).summary.set_index("measure")
        assert index[4] == h.signed(expected.loc["index", "mean_change"])


class TestWord:
    @pytest.mark.parametrize("which", ["large", "team"])
    def test_docx_read_back(
        self, which: str, request: pytest.FixtureRequest, framework: wf.Framework, tmp_path: Path
    ) -> None:
        """Headings are Word headings, tables have a repeating header row, figures are
        200 dpi PNG with alt text."""
        import docx
        from docx.oxml.ns import qn

        data = request.getfixturevalue(which)
        expected = build_report(data, framework)
        out = wf.write_report(data, tmp_path / "team report.docx", framework, title="Team")
        word = docx.Document(str(out))
        headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
        assert headings == [s.title for s in expected.sections]
        assert [p.text for p in word.paragraphs if p.style.name == "Title"] == ["Team"]
        assert len(word.tables) == len(expected.tables())
        for table, want in zip(word.tables, expected.tables(), strict=True):
            assert tuple(c.text for c in table.rows[0].cells) == want.header
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
            assert len(table.rows) == 1 + len(want.rows)
        shapes = list(word.inline_shapes)
        assert len(shapes) == len(expected.figures())
        for shape in shapes:
            assert len(shape._inline.docPr.get("descr")) > 40
            blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
            png = word.part.related_parts[blob].blob
            assert abs(_png_dpi(png) - 200) < 1
        text = "\n".join(p.text for p in word.paragraphs)
        assert "not a decision" in text  # the caveat
        assert "suppressed to protect privacy" in text  # the footnotes
        section = word.sections[0]
        assert round(section.page_width.cm, 1) == 21.0
        assert round(section.page_height.cm, 1) == 29.7

    def test_no_identifier_in_the_document(
        self, team: pd.DataFrame, framework: wf.Framework, tmp_path: Path
    ) -> None:
        import docx

        out = wf.write_report(team, tmp_path / "r.docx", framework)
        word = docx.Document(str(out))
        text = " ".join(p.text for p in word.paragraphs) + " ".join(
            c.text for t in word.tables for r in t.rows for c in r.cells
        )
        for person in team["person_id"].unique():
            assert str(person) not in text

    def test_unknown_extension_refused_before_work(
        self, framework: wf.Framework, tmp_path: Path
    ) -> None:
        with pytest.raises(ValueError, match=r"\.html .*\.docx"):
            wf.write_report(pd.DataFrame(), tmp_path / "report.pdf", framework)
        assert not (tmp_path / "report.pdf").exists()


class TestPrint:
    def test_print_stylesheet(self, large: pd.DataFrame, framework: wf.Framework) -> None:
        page = wf.cohort_report(large, framework)
        style = page[page.index("<style>") : page.index("</style>")]
        assert "@page{size:A4 portrait" in style
        printing = style[style.index("@media print") :]
        assert "h2{break-before:page" in printing
        assert "figure,tr,.note,.foot{break-inside:avoid" in printing
        assert 'scope="col"' in page  # header cells for screen readers and print


class TestCommandLine:
    @pytest.fixture
    def ratings_csv(self, large: pd.DataFrame, tmp_path: Path) -> Path:
        path = tmp_path / "ratings.csv"
        wf.write_table(large, path)
        return path

    def test_options(self, ratings_csv: Path, tmp_path: Path) -> None:
        out = tmp_path / "r.docx"
        argv = ["report", str(ratings_csv), "-o", str(out), "--title", "North team, Q3"]
        argv += ["--group-by", "area", "--baseline", "1", "--follow-up", "2"]
        argv += ["--policy", "10-5"]
        assert main(argv) == 0
        import docx

        word = docx.Document(str(out))
        assert word.paragraphs[0].text == "North team, Q3"
        captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
        assert "Index by area" in captions
        text = "\n".join(p.text for p in word.paragraphs)
        assert wf.DisclosurePolicy.preset("10-5").describe() in text
        assert "Baseline: wave 1; follow-up: wave 2" in text

    @pytest.mark.parametrize("name", ["report.pdf", "report", "report.doc"])
    def test_other_extensions_are_usage_errors(
        self, name: str, ratings_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as stop:
            main(["report", str(ratings_csv), "-o", str(tmp_path / name)])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert ".html" in err
        assert ".docx" in err
        assert not (tmp_path / name).exists()

    def test_bad_wave_is_a_usage_error(
        self, ratings_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as stop:
            main(["report", str(ratings_csv), "-o", str(tmp_path / "r.html"), "--baseline", "x"])
        assert stop.value.code == 2
        assert "expected first or a wave number" in capsys.readouterr().err

    @pytest.mark.parametrize(("baseline", "follow_up"), [("3", "1"), ("2", "2")])
    def test_follow_up_before_baseline_is_refused(
        self,
        baseline: str,
        follow_up: str,
        ratings_csv: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        out = tmp_path / "r.html"
        argv = ["report", str(ratings_csv), "-o", str(out)]
        assert main([*argv, "--baseline", baseline, "--follow-up", follow_up]) == 2
        assert "must come after the baseline" in capsys.readouterr().err
        assert not out.exists()


class TestFigures:
    def test_save_writes_200_dpi_png_and_svg(
        self, framework: wf.Framework, tmp_path: Path
    ) -> None:
        ax = wf.plot.quadrant(
            wf.score_one(dict.fromkeys(framework.indicator_keys, 3), framework), framework
        )
        png, svg = wf.plot.save(ax, tmp_path / "q")
        assert abs(_png_dpi(png.read_bytes()) - 200) < 1
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")

    def test_demo_figures_at_200_dpi(self, tmp_path: Path) -> None:
        assert main(["demo", "--out", str(tmp_path), "--people", "60"]) == 0
        pngs = sorted((tmp_path / "figures").glob("*.png"))
        assert pngs
        assert all(abs(_png_dpi(p.read_bytes()) - 200) < 1 for p in pngs)
        assert len(list((tmp_path / "figures").glob("*.svg"))) == len(pngs)

    def test_quadrant_legend(self, framework: wf.Framework) -> None:
        scores = wf.score(wf.make_cohort(5, waves=2, seed=1), framework)
        ax = wf.plot.quadrant(scores.iloc[1], framework, baseline=scores.iloc[0])
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts[0].startswith("fill: domain score")
        assert "dashed outline: earlier assessment" in texts

    def test_continuum_labels_vignettes_and_clips_nothing(self, framework: wf.Framework) -> None:
        vignettes = wf.load_vignettes()
        placed = wf.place_on_continuum(wf.score(vignettes, framework), framework)
        ax = wf.plot.continuum(placed, framework)
        labels = [t for t in ax.texts if t.get_gid() == "label"]
        assert len(labels) == len(vignettes)
        assert {t.get_text().replace("\n", " ") for t in labels} == set(vignettes["title"])
        for gid in ("cases", "flagged"):
            assert all(not c.get_clip_on() for c in ax.collections if c.get_gid() == gid)
        # labels stay inside the plot's width at either end
        ax.figure.canvas.draw()
        frame = ax.get_window_extent()
        for text in labels:
            box = text.get_window_extent()
            assert box.x0 >= frame.x0 - 1
            assert box.x1 <= frame.x1 + 1

    def test_long_labels_wrap(self, large_doc: Document, framework: wf.Framework) -> None:
        from wellbeing_framework.report.figures import mix_bars
        from wellbeing_framework.report.published import published_tables

        tables = published_tables(wf.make_cohort(300, waves=2, seed=1), framework)
        ax = mix_bars(tables.mix, framework)  # type: ignore[arg-type]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert any("\n" in label for label in labels)
        assert all(len(line) <= 24 for label in labels for line in label.split("\n"))


#: The text width of an A4 page in portrait with 16 mm margins, in CSS pixels (96 per inch).
A4_TEXT_PX = round((210 - 2 * 16) / 25.4 * 96)


def _artefact(name: str, data: bytes, tmp_path: Path) -> Path:
    """Keep a rendering: in WELLBEING_TEST_ARTEFACTS when set, else the test's folder."""
    folder = Path(os.environ.get("WELLBEING_TEST_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


class TestInABrowser:
    @pytest.mark.parametrize("which", ["large", "team"])
    def test_nothing_overflows_at_1024_px_and_it_prints(
        self,
        which: str,
        request: pytest.FixtureRequest,
        framework: wf.Framework,
        tmp_path: Path,
        chromium: str,
    ) -> None:
        """Headless Chromium: scroll width equals the viewport; the PDF has sensible pages."""
        executable = chromium
        from playwright.sync_api import sync_playwright

        data = request.getfixturevalue(which)
        page_file = wf.write_report(data, tmp_path / "report.html", framework)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1024, "height": 1400})
                page.route(
                    "**/*",
                    lambda route: (
                        route.abort()
                        if not route.request.url.startswith(("file:", "data:"))
                        else route.continue_()
                    ),
                )
                page.goto(page_file.as_uri())
                widths = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth,"
                    " Math.max(...[...document.querySelectorAll('table,figure img')]"
                    ".map(e => e.getBoundingClientRect().right))]"
                )
                shot = page.screenshot(full_page=True)
                # the printed page: A4 less 16 mm margins is 178 mm, 673 CSS pixels
                page.emulate_media(media="print")
                page.set_viewport_size({"width": A4_TEXT_PX, "height": 1000})
                printed = page.evaluate(
                    "[document.documentElement.scrollWidth, Math.max(...[...document"
                    ".querySelectorAll('table,figure img')].map(e => e.getBoundingClientRect()"
                    ".right))]"
                )
                pdf = page.pdf(format="A4", prefer_css_page_size=True)
            finally:
                browser.close()
        scroll, viewport, rightmost = widths
        assert scroll == viewport == 1024
        assert rightmost <= viewport
        assert printed[0] == A4_TEXT_PX  # no table or figure wider than A4 portrait
        assert printed[1] <= A4_TEXT_PX
        _artefact(f"report-{which}.png", shot, tmp_path)
        _artefact(f"report-{which}.pdf", pdf, tmp_path)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        sections = len(build_report(data, framework).sections)
        assert sections <= pages <= 3 * sections  # a page break before each section


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_png_helpers_agree_with_matplotlib(tmp_path: Path) -> None:
    """The pHYs reader above reads what matplotlib writes (a check of the test itself)."""
    import matplotlib.pyplot as plt

    fig, _ax = plt.subplots(figsize=(2, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    png = buffer.getvalue()
    assert abs(_png_dpi(png) - 150) < 1
    assert _png_size(png) == (300, 150)
    assert zlib.crc32(png[12:29]) == struct.unpack(">I", png[29:33])[0]  # IHDR intact


def test_unknown_group_column_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ratings.csv"
    wf.write_table(wf.make_cohort(30, waves=2, seed=1), path)
    code = main(["report", str(path), "-o", str(tmp_path / "r.html"), "--group-by", "team"])
    assert code == 2
    assert "error: the data has no 'team' column to group by" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_word_columns_as_wide_as_their_text(
    large_doc: Document, framework: wf.Framework, tmp_path: Path
) -> None:
    """The measure column of the change table is the widest, and the widths fill 16 cm."""
    import docx

    from wellbeing_framework.report.word import column_widths

    table = next(t for t in large_doc.tables() if t.caption.startswith("Mean change"))
    widths = column_widths(table)
    assert sum(widths) == pytest.approx(16.0)
    assert widths[0] == max(widths)
    # needs by hand: the longest measure title (31 characters); the bold heading words
    # "People" (6), "Baseline" (8), "Follow-up" (9), "change" (6) at 1.4 x + 1; an
    # interval such as "5.4 to 9.1" (10); "Effect" (6)
    needs = [32, 9.4, 12.2, 13.6, 9.4, 11, 9.4]  # cells have a margin of 1
    assert widths == pytest.approx([16 * n / sum(needs) for n in needs])
    out = wf.write_report(wf.make_cohort(60, waves=2, seed=1), tmp_path / "r.docx", framework)
    word = docx.Document(str(out))
    first = word.tables[0].columns[0].cells[0].width
    assert first is not None
    assert first.cm > 3


class TestReadingsNeverMislead:
    def test_rounding_alone_is_not_called_suppressed(self) -> None:
        """10 + 20 + 0 published of 35 people, nothing hidden: no "suppressed" segment."""
        from wellbeing_framework.cohort.disclosure import published_shares

        shares, hidden, scaled = published_shares([10, 20, 0], 35)
        assert hidden == 0.0
        assert scaled
        assert shares.tolist() == pytest.approx([1 / 3, 2 / 3, 0.0])
        shares, hidden, _ = published_shares([20, None, None], 40)  # cells hidden: said
        assert hidden == 0.5

    def test_snapshot_reading_without_hidden_parts(
        self, team_doc: Document, large_doc: Document
    ) -> None:
        """A share with hidden parts is never given as "at least": the mean is used."""
        for doc in (team_doc, large_doc):
            reading = _section(doc, "Snapshot")[0].text  # type: ignore[attr-defined]
            assert "at least" not in reading
        first = next(t for t in team_doc.tables() if t.caption.startswith("People in each band"))
        top = [r for r in first.rows if r[0] in ("managing", "thriving")]
        if any(h.DASH in (r[2], r[4]) for r in top):
            assert "The mean index was" in _section(team_doc, "Snapshot")[0].text  # type: ignore[attr-defined]

    def test_groups_section_says_why_it_is_missing(self, framework: wf.Framework) -> None:
        data = wf.make_cohort(60, waves=2, seed=4).drop(columns=["client_group"])
        groups = _section(build_report(data, framework), "Groups and equity")
        assert len(groups) == 1
        assert "--group-by COLUMN" in groups[0].text  # type: ignore[attr-defined]

    def test_near_column_name_suggested(self, framework: wf.Framework) -> None:
        data = wf.make_cohort(60, waves=2, seed=4).rename(columns={"area": "TEAM"})
        with pytest.raises(KeyError, match="did you mean 'TEAM'"):
            build_report(data, framework, group="team")

    def test_policy_by_name(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(60, waves=2, seed=4), framework, policy="10-5")
        methods = dict(next(t for t in doc.tables() if t.caption == "The rules used").rows)
        assert methods["Disclosure control"] == wf.DisclosurePolicy.preset("10-5").describe()

    @pytest.mark.parametrize(
        ("baseline", "follow_up", "message"),
        [
            (3, 1, "must come after"),
            (2, 2, "must come after"),
            ("last", "last", "not 'last'"),
            ("first", "first", "not 'first'"),
        ],
    )
    def test_impossible_occasions_refused(
        self, baseline: object, follow_up: object, message: str, framework: wf.Framework
    ) -> None:
        with pytest.raises(ValueError, match=message):
            build_report(
                wf.make_cohort(30, waves=3, seed=1),
                framework,
                baseline=baseline,  # type: ignore[arg-type]
                follow_up=follow_up,  # type: ignore[arg-type]
            )

    def test_flag_rule_and_effect_size_explained(self, large_doc: Document) -> None:
        overview = next(t for t in large_doc.tables() if t.caption == "The cohort")
        assert any("A safeguarding flag is raised when" in n for n in overview.footnotes)
        methods = dict(next(t for t in large_doc.tables() if t.caption == "The rules used").rows)
        assert "effect size = mean change divided by the standard deviation" in methods["Change"]
        assert methods["Flags"].startswith("A safeguarding flag is raised when")

    def test_no_negative_zero_in_alt_text(self, framework: wf.Framework) -> None:
        from wellbeing_framework.plot.charts import _signed

        assert _signed(-0.04) == "0.0"
        assert _signed(-0.06) == "-0.1"
        assert _signed(1.25) == "+1.2"


class TestPrintAndWordDetails:
    def test_rules_print_in_full_and_first_section_not_alone(self, large_doc: Document) -> None:
        from wellbeing_framework.report.html import to_html

        page = to_html(large_doc)
        assert page.count("&quot;min_answered&quot;: 0.5") == 2  # on screen, and printed
        style = page[page.index("@media print") : page.index("</style>")]
        assert ".print-only{display:block}" in style
        assert "details{display:none}" in style
        assert "section:first-of-type h2{break-before:auto" in style

    def test_figure_caption_is_the_first_sentence(self, large_doc: Document) -> None:
        for figure in large_doc.figures():
            assert figure.alt.startswith(figure.caption.rstrip("."))
            assert figure.caption.endswith(".")
            assert ". " not in figure.caption

    def test_word_author_page_numbers_and_captions(
        self, framework: wf.Framework, tmp_path: Path
    ) -> None:
        import docx
        from docx.oxml.ns import qn

        data = wf.make_cohort(60, waves=2, seed=1)
        doc = build_report(data, framework)
        out = wf.write_report(data, tmp_path / "r.docx", framework)
        word = docx.Document(str(out))
        assert word.core_properties.author == "wellbeing_framework"
        footer = word.sections[0].footer.paragraphs[0]._p
        assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
        captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
        for figure in doc.figures():
            assert figure.caption in captions


class TestAttacked:
    """Each case an attack found; each must hold."""

    def test_grouping_by_an_identifier_is_refused(
        self, framework: wf.Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data = wf.make_cohort(60, waves=3, seed=1)
        for column in ("person_id", "assessment_date"):
            with pytest.raises(ValueError, match="like an identifier or a date"):
                build_report(data, framework, group=column)
        path = tmp_path / "c.csv"
        wf.write_table(data, path)
        out = tmp_path / "r.html"
        assert main(["report", str(path), "-o", str(out), "--group-by", "person_id"]) == 2
        err = capsys.readouterr().err
        assert "like an identifier" in err
        assert "P00" not in err
        assert not out.exists()

    def test_rater_names_never_shown(self, framework: wf.Framework, tmp_path: Path) -> None:
        data = wf.make_cohort(60, waves=2, seed=1)
        data["rater"] = np.where(data.index % 2 == 0, "Jane Smith", "Bob Jones")
        page = wf.cohort_report(data, framework, rater="Bob Jones")
        assert "Bob Jones" not in page
        assert "Jane Smith" not in page
        assert "one rater, chosen by name (the name is not shown)" in page

    def test_trajectory_ends_hidden_when_a_few_left(self, framework: wf.Framework) -> None:
        """3 of 60 people have no last wave: its mean would give theirs by difference."""
        data = wf.make_cohort(60, waves=3, seed=1)
        data = data[data["rater"] == "self"]
        people = sorted(data["person_id"].unique())
        everyone = data.groupby("person_id")["wave"].transform("nunique") == 3
        data = data[everyone]
        gone = data["person_id"].isin(people[:3]) & (data["wave"] == 3)
        data = data[~gone]
        policy = wf.DisclosurePolicy.preset("threshold-10")
        doc = build_report(data, framework, policy=policy)
        table = next(t for t in doc.tables() if t.caption == "Index at each wave")
        last = {r[0]: r for r in table.rows}["3"]
        assert last[1:] == (h.DASH, h.DASH, h.DASH)
        assert not any("band" in t.caption for t in doc.tables() if "wave" in t.caption)

    def test_trajectory_n_counts_everyone_assessed(self, framework: wf.Framework) -> None:
        """People not scored at a wave count in n, so n never reveals the not-scored cell."""
        data = wf.make_cohort(50, waves=3, seed=2)
        data = data[data["rater"] == "self"]
        blank = data.index[data["wave"] == 3][:4]
        data.loc[blank, [k for k in framework.indicator_keys if k.startswith("sw")]] = np.nan
        scores = wf.score(data, framework)
        table = wf.cohort.trajectory(scores, framework, measure="index")
        assessed = scores.loc[scores["wave"] == 3, "person_id"].nunique()
        row = table[table["wave"] == 3].iloc[0]
        assert row["n"] == 5 * round(assessed / 5)
        assert row["note"] == "mean of the people with a score"
        scored = scores.loc[scores["wave"] == 3, "index"].dropna()
        assert row["mean"] == round(scored.mean(), 1)

    def test_blank_group_values_are_a_group(self, framework: wf.Framework) -> None:
        from wellbeing_framework.cohort.groups import NOT_RECORDED

        scores = wf.score(wf.make_cohort(80, waves=1, seed=3), framework)
        scores = scores[scores["rater"] == "self"].copy()
        scores.loc[scores.index[:2], "client_group"] = None
        table = wf.cohort.compare_groups(
            scores, framework, by="client_group", policy=wf.DisclosurePolicy.none()
        )
        index = table[table["measure"] == "index"]
        assert NOT_RECORDED in set(index["client_group"])
        assert index["n"].sum() == scores["index"].notna().sum()

    def test_last_assessment_in_a_wave(self, framework: wf.Framework) -> None:
        """Two self-assessments in wave 2: the later one counts."""
        data = wf.make_cohort(30, waves=2, seed=4)
        data = data[data["rater"] == "self"].copy()
        again = data[data["wave"] == 2].copy()
        again["assessment_date"] = pd.to_datetime(again["assessment_date"]) + pd.Timedelta(days=5)
        again[list(framework.indicator_keys)] = 5
        both = pd.concat([data, again], ignore_index=True)
        scores = wf.score(both, framework)
        table = wf.cohort.trajectory(
            scores, framework, measure="index", policy=wf.DisclosurePolicy.none()
        )
        assert table.loc[table["wave"] == 2, "mean"].iloc[0] == pytest.approx(100.0)

    def test_flags_by_any_rater_and_the_latest_by_the_rater_followed(
        self, framework: wf.Framework
    ) -> None:
        """Flags raised only by practitioners count at any assessment, not in self-ratings."""
        data = wf.make_cohort(60, waves=2, seed=5)
        data[["sw3", "sw5"]] = 4
        practitioner = data.index[data["rater"] == "practitioner"][:12]
        data.loc[practitioner, ["sw3", "sw5"]] = 1  # flags raised by practitioners only
        flagged = data.loc[practitioner, "person_id"].nunique()
        overview = next(
            t for t in build_report(data, framework).tables() if t.caption == "The cohort"
        )
        said = dict(overview.rows)
        assert said[
            "People with a safeguarding flag raised at any assessment, by any rater"
        ] == str(5 * round(flagged / 5))
        assert (
            said["People with a safeguarding flag raised at their latest assessment (self)"] == "0"
        )
        assert any("safeguarding procedures" in n for n in overview.footnotes)

    def test_most_common_approach_never_zero(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(8, waves=3, seed=1), framework)
        reading = _section(doc, "Practice continuum")[0].text  # type: ignore[attr-defined]
        assert "(0% of cases)" not in reading

    def test_suppressed_classes_are_dashes_not_not_classified(self) -> None:
        from wellbeing_framework.report.figures import unclassified

        assert not unclassified(pd.Series({"reliability": 0.84, "improved": pd.NA}))
        assert unclassified(pd.Series({"reliability": -0.2}))
        assert unclassified(pd.Series({"reliability": np.nan}))

    def test_group_names_the_library_uses_are_refused(self, framework: wf.Framework) -> None:
        from wellbeing_framework.cohort.groups import OTHER_GROUPS

        scores = wf.score(wf.make_cohort(80, waves=1, seed=3), framework)
        scores = scores[scores["rater"] == "self"]
        with pytest.raises(ValueError, match="rename it"):
            wf.cohort.compare_groups(
                scores.assign(client_group=OTHER_GROUPS), framework, by="client_group"
            )
        with pytest.raises(ValueError, match="cannot be called 'measure'"):
            wf.cohort.compare_groups(
                scores.assign(measure=scores["client_group"]), framework, by="measure"
            )

    def test_boolean_and_fractional_groups_and_waves(self, framework: wf.Framework) -> None:
        data = wf.make_cohort(60, waves=3, seed=6)
        data["statutory_order"] = data["statutory_order"].astype(bool)
        build_report(data, framework, group="statutory_order")  # no crash
        data["wave"] = data["wave"].map({1: 1.0, 2: 1.5, 3: 2.0})
        scores = wf.score(data, framework)
        table = wf.cohort.trajectory(scores, framework, measure="index")
        assert table["wave"].tolist() == [1, 1.5, 2]

    def test_text_waves_said_not_dropped(self, framework: wf.Framework) -> None:
        data = wf.make_cohort(60, waves=3, seed=6)
        scores = wf.score(data, framework).assign(
            wave=lambda t: t["wave"].map({1: "baseline", 2: "mid", 3: "end"})
        )
        with pytest.raises(ValueError, match="not a number"):
            wf.cohort.trajectory(scores, framework)

    def test_suppressed_domain_means_are_dashes(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(12, waves=3, seed=2), framework)
        for table in doc.tables():
            if table.caption == "Mean domain scores at each wave":
                assert h.NOT_AVAILABLE not in {c for r in table.rows for c in r}

    def test_labels_follow_the_chosen_waves(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(100, waves=3, seed=7), framework, follow_up=2)
        snap = next(t for t in doc.tables() if t.caption.startswith("People in each band"))
        assert snap.header[3] == "Wave 2: people"
        assert "at wave 2" in _section(doc, "Groups and equity")[1].text  # type: ignore[attr-defined]

    def test_word_takes_long_titles_and_control_characters(
        self, framework: wf.Framework, tmp_path: Path
    ) -> None:
        import docx

        data = wf.make_cohort(60, waves=2, seed=1)
        data["client_group"] = data["client_group"].str.replace(" ", "\x0b")
        title = "T\x00" * 200
        out = wf.write_report(data, tmp_path / "r.docx", framework, title=title)
        word = docx.Document(str(out))
        assert len(word.core_properties.title) == 255
        page = wf.cohort_report(data, framework, title=title)
        assert "\x00" not in page
        assert "\x0b" not in page

    def test_same_wave_reason(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(60, waves=3, seed=1), framework, baseline=3)
        change = _section(doc, "Change over time")[0].text  # type: ignore[attr-defined]
        assert "no one was assessed after it" in change

    def test_missing_trajectory_says_why(self, framework: wf.Framework) -> None:
        doc = build_report(wf.make_cohort(60, waves=2, seed=1), framework)
        said = _section(doc, "Trajectory over waves")[0].text  # type: ignore[attr-defined]
        assert "from 3 waves; this cohort has 2" in said

    def test_no_nan_in_alt_text(self, framework: wf.Framework) -> None:
        data = wf.make_cohort(60, waves=2, seed=1)
        data[[k for k in framework.indicator_keys if k.startswith("sw")]] = np.nan
        for figure in build_report(data, framework).figures():
            assert not re.search(r"\bnan\b", figure.alt)


def test_usual_group_headers_are_recognised(framework: wf.Framework) -> None:
    """A team's 'Client group' and 'Area' headers become the report's grouping columns."""
    found = wf.suggest_columns(["Client ID", "Client group", "Area", "RB1"], framework)
    assert found.applied["Client group"] == "client_group"
    assert found.applied["Area"] == "area"


class TestSaysWhatItCounts:
    def test_assessments_followed_and_rounded_missing(
        self, framework: wf.Framework, tmp_path: Path
    ) -> None:
        data = wf.make_cohort(100, waves=2, seed=9)
        path = tmp_path / "r.csv"
        wf.write_table(data, path)
        ratings = wf.read_ratings(path)  # blank answers counted as read
        doc = build_report(ratings, framework)
        said = dict(next(t for t in doc.tables() if t.caption == "The cohort").rows)
        own = int((data["rater"] == "self").sum())
        assert said["Assessments followed"] == f"{5 * round(own / 5):,} (rounded)"
        assert said["Whose assessments are followed"] == "self"
        methods = _section(doc, "Methods")
        assert any("(rounded) empty cells" in getattr(b, "text", "") for b in methods)

    def test_low_alpha_named(self, framework: wf.Framework) -> None:
        rng = np.random.default_rng(1)
        data = wf.make_cohort(80, waves=1, seed=1)
        ir = [k for k in framework.indicator_keys if k.startswith("ir")]
        data[ir] = rng.integers(1, 6, size=(len(data), len(ir)))  # answers at random
        reading = _section(build_report(data, framework), "Reliability")[0].text  # type: ignore[attr-defined]
        assert "below 0.7: Independence and Responsibility" in reading

    def test_wave_counts_said_only_when_they_differ(self, team_doc: Document) -> None:
        index = next(t for t in team_doc.tables() if t.caption == "Index at each wave")
        counts = {r[1] for r in index.rows}
        said = any(
            "differs from wave to wave" in getattr(b, "text", "")
            for b in _section(team_doc, "Trajectory over waves")
        )
        assert said == (len(counts) > 1)


def test_means_of_a_few_scored_people_are_hidden(framework: wf.Framework) -> None:
    """Safe and Well answered by 2 people at wave 2 and 1 at wave 3: no mean of theirs
    (and no index mean) is published, whatever the preset."""
    data = wf.make_cohort(20, waves=3, seed=5)
    data = data[data["rater"] == "self"].copy()
    sw = [k for k in framework.indicator_keys if k.startswith("sw")]
    for wave, keep in ((2, 2), (3, 1)):
        rows = data.index[data["wave"] == wave]
        data.loc[rows[keep:], sw] = np.nan
    for preset in ("nhs", "threshold-10"):
        doc = build_report(data, framework, policy=preset)
        index = {
            r[0]: r
            for r in next(t for t in doc.tables() if t.caption == "Index at each wave").rows
        }
        assert index["2"][2] == h.DASH
        assert index["3"][2] == h.DASH
        domains = next(t for t in doc.tables() if t.caption == "Mean domain scores at each wave")
        column = domains.header.index("Safe and Well")
        assert {r[0]: r for r in domains.rows}["3"][column] == h.DASH
        assert "Safe and Well 10" not in doc.figures()[0].alt


def test_unrounded_policy_is_said(framework: wf.Framework) -> None:
    data = wf.make_cohort(60, waves=2, seed=1)
    unrounded = build_report(data, framework, policy="threshold-10")
    rounded = build_report(data, framework)

    def said(doc: Document) -> bool:
        return any(
            "not rounded under this policy" in getattr(b, "text", "")
            for b in _section(doc, "Overview")
        )

    assert said(unrounded)
    assert not said(rounded)
