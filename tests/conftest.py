"""Shared fixtures: the bundled framework, small ratings tables, a seeded generator."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import matplotlib
import numpy as np
import pytest

import wellbeing_framework as wf

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def framework() -> wf.Framework:
    """The bundled Northern Ireland framework."""
    return wf.load_framework()


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator, new for each test."""
    return np.random.default_rng(20261122)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every matplotlib figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


#: Why the browser tests cannot run on a machine without a browser (their only skip).
NO_CHROMIUM = (
    "no Chromium on this machine: the browser tests drive the system browser and download "
    "none; .ci/run installs Debian's chromium wherever apt-get can, so they run in CI"
)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium's path; the test is skipped, with the reason printed, where
    there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip(NO_CHROMIUM)
    return found
