"""Score 20 million assessments from a partitioned Parquet dataset with Dask, in bounded memory.

Run: ``python benchmarks/bench_dask.py [--rows 20000000] [--folder /tmp/wellbeing-bench]``

Makes the dataset first if it is not there (synthetic cohorts, about one million assessments
a file), then times ``wellbeing score DATASET -o OUT --engine dask`` in this process: the
validation pass across partitions, then lazy scoring written back as Parquet. Prints the wall
time, assessments per second, the peak resident memory of the process, and how large the
data would be in memory as one pandas frame.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

import wellbeing_framework as wf
from wellbeing_framework.cli import main as wellbeing

ROWS_PER_FILE = 1_000_000


def make_dataset(folder: Path, rows: int) -> tuple[int, int]:
    """Write about ``rows`` assessments as Parquet files; return (rows, bytes in memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    written, in_memory, part = 0, 0, 0
    while written < rows:
        people = min(ROWS_PER_FILE, rows - written) // 2 + 1
        chunk = wf.make_cohort(people, waves=2, seed=part, practitioner_share=0.0)
        chunk = chunk.iloc[: rows - written]
        chunk["person_id"] = f"F{part:03d}-" + chunk["person_id"].astype(str)
        chunk.to_parquet(folder / f"part-{part:03d}.parquet", index=False)
        written += len(chunk)
        in_memory += int(chunk.memory_usage(deep=True).sum())
        part += 1
    return written, in_memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--folder", default="/tmp/wellbeing-bench")
    parser.add_argument("--make-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--scheduler",
        choices=["threads", "synchronous"],
        help="run one configuration in this process (default: both, each in a fresh process)",
    )
    args = parser.parse_args()
    base = Path(args.folder)
    source, target = base / f"ratings-{args.rows}", base / "scores"
    if args.make_only:
        start = time.perf_counter()
        rows, in_memory = make_dataset(source, args.rows)
        print(
            f"made {rows:,} assessments in {time.perf_counter() - start:.0f} s; "
            f"as one pandas frame {in_memory / 1024**3:.2f} GB"
        )
        (base / f"in-memory-{args.rows}.txt").write_text(str(in_memory))
        return
    if not source.exists():  # made in another process, so its memory is not counted here
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--make-only",
                "--rows",
                str(args.rows),
                "--folder",
                str(base),
            ],
            check=True,
        )
    if args.scheduler is None:  # each configuration in a fresh process: its own peak memory
        for scheduler in ("threads", "synchronous"):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--rows",
                    str(args.rows),
                    "--folder",
                    str(base),
                    "--scheduler",
                    scheduler,
                ],
                check=True,
            )
        return
    import dask

    dask.config.set(scheduler=args.scheduler)
    rows = sum(pq.read_metadata(p).num_rows for p in source.glob("*.parquet"))
    marker = base / f"in-memory-{args.rows}.txt"
    in_memory = int(marker.read_text()) if marker.exists() else 0
    on_disk = sum(p.stat().st_size for p in source.glob("*.parquet"))
    shutil.rmtree(target, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    code = wellbeing(["score", str(source), "-o", str(target), "--engine", "dask"])
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(f"[{args.scheduler} scheduler, exit code {code}]")
    print(f"{rows:,} assessments: {wall:.1f} s, {rows / wall:,.0f} assessments/s")
    print(
        f"peak resident memory {peak / 1024**2:.2f} GB (before the run {before / 1024**2:.2f} GB)"
    )
    print(
        f"dataset on disk {on_disk / 1024**3:.2f} GB"
        + (f"; as one pandas frame {in_memory / 1024**3:.2f} GB" if in_memory else "")
    )


if __name__ == "__main__":
    main()
