"""The explorer: every control answers, in Python and in a real browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ipywidgets  # noqa: F401 - the teach extra, in the test extra
import pytest

import wellbeing_framework as wf


@pytest.fixture(scope="module")
def app() -> wf.teach.Explorer:
    return wf.teach.explorer()


class TestInPython:
    def test_every_control_moves_the_scores(self, app: wf.teach.Explorer) -> None:
        """Moving any indicator changes its domain's score; a centre item its own."""
        fw = app.framework
        for key, control in app.controls.items():
            before = app.scores.value
            picture = app.picture.value
            options = list(control.options)
            control.value = options[1] if control.value != options[1] else options[-1]
            assert app.scores.value != before, key
            assert app.picture.value != picture, key
            control.value = options[3]
        assert len(app.controls) == len(fw.indicators) + len(fw.centre)

    def test_labels_are_the_indicators_words_and_the_scale(self, app: wf.teach.Explorer) -> None:
        assert list(app.controls["rb1"].options)[1:] == [
            "1 not at all",
            "2 a little",
            "3 somewhat",
            "4 mostly",
            "5 completely",
        ]
        shown = str(app.widget.children[0].children[0].children)
        assert "Feel a sense of belonging" in shown

    def test_flag_and_placement_answer(self, app: wf.teach.Explorer) -> None:
        for key in app.controls:
            app.controls[key].value = "4 mostly"
        assert "No safeguarding flag" in app.flag.value
        calm = app.placement.value
        app.controls["sw5"].value = "1 not at all"
        assert "Safeguarding flag raised" in app.flag.value
        assert app.placement.value != calm
        assert "Safeguarding" in app.placement.value
        assert "not a decision" in app.placement.value
        app.controls["sw5"].value = "4 mostly"
        app.case["statutory_order"].value = True
        assert "Statutory and public protection" in app.placement.value
        app.case["statutory_order"].value = False

    def test_unanswered_says_not_scored(self, app: wf.teach.Explorer) -> None:
        for key in ("rb1", "rb2", "rb3"):
            app.controls[key].value = "not answered"
        assert "not scored" in app.scores.value
        assert app.ratings()["rb1"] is None
        for key in ("rb1", "rb2", "rb3"):
            app.controls[key].value = "3 somewhat"

    def test_presets_load_the_vignettes(self, app: wf.teach.Explorer) -> None:
        vignettes = wf.load_vignettes()
        app.preset.value = "V4"
        row = vignettes[vignettes["person_id"] == "V4"].iloc[0]
        assert app.ratings()["sw5"] == row["sw5"]
        assert "Safeguarding" in app.placement.value
        app.preset.value = "V1"
        assert "Community inclusion" in app.placement.value

    def test_reliable_change_panel(self, app: wf.teach.Explorer) -> None:
        """By hand: SD 10, r .75: SE 5, a change needs 1.96 x sqrt(2) x 5 = 13.9 points."""
        change = app.change
        change["sd"].value, change["reliability"].value = 10.0, 0.75
        change["baseline"].value, change["follow_up"].value = 40.0, 50.0
        assert "no reliable change" in change["result"].value
        assert "13.9 points" in change["result"].value
        change["follow_up"].value = 55.0
        assert "RCI 2.12" in change["result"].value
        assert "improved" in change["result"].value
        change["follow_up"].value = 20.0
        assert "deteriorated" in change["result"].value

    def test_any_framework(self) -> None:
        """A continuous-scale adaptation: sliders of numbers, no vignettes offered."""
        fw = wf.load_framework()
        vas = fw.adapt(
            key="vas",
            title="VAS",
            version="1",
            drop=["rb4"],
            scale=wf.RatingScale(min=0, max=100, integer=False),
        )
        app = wf.teach.explorer(vas)
        app.controls["rb1"].value = 90.0
        assert "rb4" not in app.controls
        assert len(app.preset.options) == 1
        assert "/100" in app.scores.value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    log = (tmp_path / "voila.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wellbeing_framework.cli",
            "explore",
            "--port",
            str(port),
            "--no-browser",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail("the explorer did not start: " + (tmp_path / "voila.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=20)


def _changed(page: object, selector: str, before: str) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "([s, b]) => document.querySelector(s).innerText !== b",
        arg=[selector, before],
        timeout=30_000,
    )


def test_in_a_real_browser(chromium: str, server: str, tmp_path: Path) -> None:
    """Headless Chromium, no internet: the page shows the explorer with no code; every
    slider moved by the keyboard changes the scores; a vignette chosen in the menu and
    the safety slider change the placement and raise the flag; the reliable change panel
    answers; a screenshot at 1280 px is kept."""
    executable = chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                    else route.abort()
                ),
            )  # no internet
            page.goto(server)
            page.wait_for_selector(".wf-scores", timeout=90_000)
            assert page.locator("pre, .jp-InputArea").count() == 0  # no code shown
            handles = page.locator(".noUi-handle")
            n_controls = 20  # 18 indicators and 2 centre items, before the second tab's
            for n in range(n_controls):
                before = page.inner_text(".wf-scores")
                handles.nth(n).focus()
                handles.nth(n).press("ArrowRight")  # "3 somewhat" to "4 mostly"
                _changed(page, ".wf-scores", before)
            placed = page.inner_text(".wf-placement")
            page.locator("select").first.select_option(index=4)  # V4
            _changed(page, ".wf-placement", placed)
            assert "Safeguarding" in page.inner_text(".wf-placement")
            page.locator("select").first.select_option(index=1)  # V1
            page.wait_for_selector("text=No safeguarding flag", timeout=30_000)
            handle = handles.nth(17)  # sw5, the last indicator: down to "1 not at all"
            handle.focus()
            for _ in range(4):
                handle.press("ArrowLeft")
            page.wait_for_selector("text=Safeguarding flag raised", timeout=30_000)
            page.mouse.wheel(0, -10_000)  # back to the top for the picture
            page.wait_for_timeout(300)
            shot = page.screenshot(full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            page.get_by_text("Reliable change", exact=True).first.click()
            answer = page.inner_text(".wf-rc")
            rc_handle = page.locator(".noUi-handle").nth(n_controls + 3)  # follow-up score
            rc_handle.focus()
            for _ in range(10):
                rc_handle.press("ArrowRight")
            _changed(page, ".wf-rc", answer)
        finally:
            browser.close()
    folder = Path(os.environ.get("WELLBEING_TEST_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "explorer.png").write_bytes(shot)
    assert width <= 1280
