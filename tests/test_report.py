"""The HTML cohort report, parsed (rendered in a browser in test_report_documents.py)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf


class Collector(HTMLParser):
    """Collects tags, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def page(framework: wf.Framework) -> str:
    return wf.cohort_report(wf.make_cohort(300, waves=3, seed=5), framework)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


class TestReport:
    def test_self_contained(self, page: str) -> None:
        """No external request: no remote src/href, no script, CSS inline."""
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert tag != "script"
            assert tag != "link"
            for name in ("src", "href"):
                value = attrs.get(name) or ""
                assert not value.startswith(("http:", "https:", "//")), value
        assert "<style>" in page

    def test_sections(self, page: str) -> None:
        """Overview, snapshot, change, groups, continuum, reliability and methods."""
        headings = [
            "Overview",
            "Snapshot",
            "Change over time",
            "Groups and equity",
            "Practice continuum",
            "Reliability",
            "Methods",
        ]
        text = " ".join(parse(page).text)
        for heading in headings:
            assert heading in text
        assert "ni_social_wellbeing" in text
        assert "1.0.0" in text
        assert "min_answered" in page  # the rules are stated

    def test_figures_embedded_with_alt_text(self, page: str) -> None:
        """Every figure is an inline PNG with a real description as alt text."""
        images = [attrs for tag, attrs in parse(page).tags if tag == "img"]
        # overview, snapshot (baseline and latest), change, trajectory, groups, mix, alpha
        assert len(images) == 8
        for attrs in images:
            assert (attrs.get("src") or "").startswith("data:image/png;base64,")
            assert len(attrs.get("alt") or "") > 40

    def test_counts_disclosed(self, framework: wf.Framework) -> None:
        """A small cohort: small counts do not appear; the policy is stated."""
        page = wf.cohort_report(wf.make_cohort(12, waves=2, seed=6), framework)
        assert "Counts of 1 to 7 are suppressed" in page
        assert "<td>People</td><td>10 (rounded)</td>" in page  # 12 people, to the nearest 5

    def test_no_identifiers(self, page: str) -> None:
        """No person identifier appears in the report."""
        assert "P0001" not in page
        assert "P0100" not in page

    def test_decision_support_disclaimer(self, page: str) -> None:
        """The continuum section says it is decision support, not a decision."""
        assert "not a decision" in page


class TestReportSaysWhy:
    def test_unclassified_change_is_not_called_suppressed(self, framework: wf.Framework) -> None:
        """Ratings at random (alpha below 0): no class, said so; never '100% suppressed'."""
        rng = np.random.default_rng(3)
        rows = []
        for i in range(30):
            for wave in (1, 2):
                rows.append(
                    {
                        "person_id": f"C{i}",
                        "wave": wave,
                        **{k: int(rng.integers(1, 6)) for k in framework.indicator_keys},
                    }
                )
        data = pd.DataFrame(rows)
        result = wf.cohort.change(data, framework)
        bad = result.summary[~result.summary["reliability"].between(0, 1, inclusive="neither")]
        assert len(bad)  # random answers: some alpha is not between 0 and 1
        assert bad["note"].str.contains("not between 0 and 1").all()
        page = wf.cohort_report(data, framework)
        change_part = page.split("<h2>Change over time</h2>")[1].split("<h2>")[0]
        caption = html.unescape(re.search(r'alt="([^"]*)"', change_part).group(1))  # type: ignore[union-attr]
        classified, unclassified = caption.split("Not classified (the reliability could not")
        titles = {d.key: d.title for d in framework.domains} | {"index": "Index"}
        for measure in bad["measure"]:
            assert f"{titles[measure]}:" not in classified  # never "100% suppressed"
            assert titles[measure] in unclassified

    def test_continuum_caption_names_suppressed(self, framework: wf.Framework) -> None:
        """The continuum caption says which approaches are suppressed."""
        page = wf.cohort_report(wf.make_cohort(30, waves=1, seed=2), framework)
        assert "Suppressed (too few to publish):" in page
