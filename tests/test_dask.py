"""The Dask engine gives the same results as pandas, on one thread and on a small cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import wellbeing_framework as wf
from wellbeing_framework.cli import main


@pytest.fixture(scope="module", params=["synchronous", "cluster"])
def scheduler(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run each test with the synchronous scheduler and with 2 workers of 1 thread."""
    if request.param == "synchronous":
        with dask.config.set(scheduler="synchronous"):
            yield "synchronous"
        return
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        yield "cluster"


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return wf.make_cohort(300, waves=3, seed=21)


def lazy(data: pd.DataFrame, parts: int = 5) -> dd.DataFrame:
    return dd.from_pandas(data, npartitions=parts)


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal values; Dask may hold text as Arrow strings where pandas has its own."""
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False
    )


class TestDaskEngine:
    def test_validate_clean(self, scheduler: str, framework: wf.Framework, cohort) -> None:
        """A clean cohort: ok, and the valid rows stay lazy."""
        report = wf.validate(lazy(cohort), framework)
        assert report.ok
        assert report.n_rows == report.n_valid == len(cohort)
        assert isinstance(report.valid, dd.DataFrame)

    def test_validate_problems_global_rows(
        self, scheduler: str, framework: wf.Framework, cohort
    ) -> None:
        """Problems in several partitions, and a duplicate across partitions, match pandas."""
        bad = cohort.astype({"rb1": object, "sw5": object}).copy()
        bad.loc[7, "rb1"] = "lots"
        bad.loc[600, "sw5"] = 9
        for column in ["person_id", "wave", "assessment_date", "rater"]:
            bad.loc[900, column] = bad.loc[2, column]  # partition 0 and a later one
        expected = wf.validate(bad, framework)
        report = wf.validate(lazy(bad), framework)
        pd.testing.assert_frame_equal(report.errors, expected.errors)
        assert report.n_rows == report.n_valid + report.n_rejected == len(bad)
        assert list(report.rejected.index) == list(expected.rejected.index)
        assert list(report.rejected["problems"]) == list(expected.rejected["problems"])
        # Dask turns a mixed object column into strings; the rows kept are what must match
        assert list(report.valid.compute().index) == list(expected.valid.index)

    def test_score_and_place(self, scheduler: str, framework: wf.Framework, cohort) -> None:
        """score and place_on_continuum are lazy and equal to pandas."""
        scores = wf.score(lazy(cohort), framework)
        assert isinstance(scores, dd.DataFrame)
        same(scores.compute(), wf.score(cohort, framework))
        placed = wf.place_on_continuum(scores, framework)
        assert isinstance(placed, dd.DataFrame)
        same(placed.compute(), wf.place_on_continuum(wf.score(cohort, framework), framework))

    def test_score_raises_on_invalid(
        self, scheduler: str, framework: wf.Framework, cohort
    ) -> None:
        """An invalid row anywhere raises ValidationError with the gathered report."""
        bad = cohort.astype({"pm2": object}).copy()
        bad.loc[500, "pm2"] = 2.5
        with pytest.raises(wf.ValidationError) as info:
            wf.score(lazy(bad), framework)
        assert list(info.value.report.errors["row"]) == [500]

    @pytest.mark.parametrize("wave", ["first", "last", 2, "2025-10-01"])
    def test_snapshot(self, scheduler: str, framework: wf.Framework, cohort, wave) -> None:
        """snapshot from Dask reductions equals pandas, disclosure applied to the counts."""
        scores = wf.score(cohort, framework)
        expected = wf.cohort.snapshot(scores, framework, wave)
        got = wf.cohort.snapshot(wf.score(lazy(cohort), framework), framework, wave)
        pd.testing.assert_frame_equal(got, expected)

    def test_compare_groups(self, scheduler: str, framework: wf.Framework, cohort) -> None:
        """compare_groups from Dask group sums equals pandas."""
        scores = wf.score(cohort, framework)
        expected = wf.cohort.compare_groups(scores, framework, by="area")
        got = wf.cohort.compare_groups(wf.score(lazy(cohort), framework), framework, by="area")
        pd.testing.assert_frame_equal(got, expected, rtol=1e-9)


class TestDaskCommand:
    def test_partitioned_parquet(self, tmp_path: Path, framework: wf.Framework, cohort) -> None:
        """--engine dask reads a partitioned dataset and writes one with provenance."""
        source, target = tmp_path / "in", tmp_path / "out"
        lazy(cohort, 4).to_parquet(source, write_index=False)
        assert main(["score", str(source), "-o", str(target), "--engine", "dask"]) == 0
        written = pd.read_parquet(target)
        same(
            written.sort_values(["person_id", "wave", "rater"]),
            wf.score(cohort, framework).sort_values(["person_id", "wave", "rater"]),
        )
        assert len(list(target.glob("*.parquet"))) == 4

    def test_invalid_dataset(
        self, tmp_path: Path, cohort, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Invalid rows in a dataset: exit 1, nothing written; missing folder: exit 2."""
        bad = cohort.astype({"rb1": object}).copy()
        bad.loc[10, "rb1"] = "x"
        source, target = tmp_path / "in", tmp_path / "out"
        lazy(bad, 3).to_parquet(source, write_index=False)
        assert main(["score", str(source), "-o", str(target), "--engine", "dask"]) == 1
        assert not target.exists()
        assert "sheet row 12, column rb1: not a number" in capsys.readouterr().err
        assert main(["score", str(tmp_path / "none"), "-o", str(target), "--engine", "dask"]) == 2


class TestBoundedMemory:
    def test_meta_reads_only_the_first_partition(self, framework: wf.Framework, cohort) -> None:
        """Building the lazy result reads one partition, never the whole dataset."""
        from wellbeing_framework.dask_engine import score_valid_dask

        first = cohort.iloc[:50]

        def never() -> pd.DataFrame:
            msg = "a later partition was read"
            raise AssertionError(msg)

        parts = [dask.delayed(lambda: first)(), dask.delayed(never)()]
        data = dd.from_delayed(parts, meta=first.iloc[:0], verify_meta=False)
        with dask.config.set(scheduler="synchronous"):
            scores = score_valid_dask(data, framework, wf.ScoringRules().resolve(framework))
        assert list(scores.columns[-3:]) == ["index_band", "n_answered", "flag_safeguarding"]


def test_snapshot_one_per_person_on_a_shared_day(framework: wf.Framework) -> None:
    """Two assessments of a person on the same day (two waves) count once, as in pandas."""
    cohort = wf.make_cohort(30, waves=2, seed=4, practitioner_share=0)
    cohort["assessment_date"] = pd.Timestamp("2025-03-10")
    scores = wf.score(cohort, framework)
    lazy = dd.from_pandas(scores, npartitions=3)
    policy = wf.DisclosurePolicy.none()
    got = wf.cohort.snapshot(lazy, framework, "last", policy=policy)
    assert got["n"].iloc[0] == 30
