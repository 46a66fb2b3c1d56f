"""Start-up and scoring against its references, in one run.

Run: ``python benchmarks/bench_startup.py [--n 1000000]``

Prints:

- the median wall time of ``import pandas`` and of ``import wellbeing_framework`` in 5 fresh
  processes, and the difference;
- the median time of ``wellbeing --help`` and ``wellbeing --version`` (5 runs each);
- ``score`` (validation included) on ``n`` wide assessments, against careful hand-written
  pandas (range check with ``isin``, ``duplicated`` on person, date and rater, domain means
  with the half rule, ``pd.cut`` bands) and against the floor of a ``nansum`` over the same
  rating block, as times and ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_scoring import make_wide, peak_extra
from common import best_of

import wellbeing_framework as wf


def _median_seconds(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def careful_pandas(data: pd.DataFrame, fw: wf.Framework) -> pd.DataFrame:
    """What a careful analyst would write by hand: checks, half rule, bands."""
    keys = [*fw.indicator_keys, *(c.key for c in fw.centre)]
    block = data[keys]
    allowed = block.isin(list(range(fw.scale.min, fw.scale.max + 1))) | block.isna()
    if not allowed.all().all():
        raise ValueError("out of range")
    if data.duplicated(["person_id", "assessment_date", "rater"]).any():
        raise ValueError("duplicates")
    out = data[["person_id", "assessment_date", "rater"]].copy()
    span = fw.scale.max - fw.scale.min
    for domain in fw.domains:
        items = data[[i.key for i in domain.indicators]]
        mean = items.mean(axis=1)
        answered = items.notna().sum(axis=1)
        need = -(-len(domain.indicators) // 2)
        score = (mean - fw.scale.min) / span * 100
        out[domain.key] = score.where(answered >= need)
        out[f"{domain.key}_band"] = pd.cut(
            out[domain.key],
            [0, 25, 50, 75, 100.0001],
            right=False,
            labels=["high need", "some need", "managing", "thriving"],
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    python = sys.executable
    pandas_s = _median_seconds([python, "-c", "import pandas"])
    package_s = _median_seconds([python, "-c", "import wellbeing_framework"])
    both_s = _median_seconds([python, "-c", "import wellbeing_framework, pandas"])
    print(f"import pandas:                      {pandas_s:.3f} s (median of 5 processes)")
    print(f"import wellbeing_framework:         {package_s:.3f} s (pandas not loaded)")
    print(
        f"import wellbeing_framework, pandas: {both_s:.3f} s "
        f"(+{both_s - pandas_s:.3f} s over pandas: accessor and engines registered)"
    )
    command = shutil.which("wellbeing") or str(Path(python).with_name("wellbeing"))
    for flag in ("--help", "--version"):
        print(f"wellbeing {flag:<9}                   {_median_seconds([command, flag]):.3f} s")

    fw = wf.load_framework()
    for waves in (1, 3):
        data = make_wide(args.n, fw, waves=waves)
        keys = [*fw.indicator_keys, *(c.key for c in fw.centre)]
        block = data[keys].to_numpy(dtype=float)
        ours = best_of(lambda: wf.score(data, fw))  # noqa: B023
        theirs = best_of(lambda: careful_pandas(data, fw))  # noqa: B023
        floor = best_of(lambda: np.nansum(block, axis=1))  # noqa: B023
        peak = peak_extra(lambda: wf.score(data, fw))  # noqa: B023
        size = data.memory_usage(deep=True).sum()
        who = "each person once" if waves == 1 else f"{-(-args.n // waves):,} people x {waves}"
        print(f"\nscore on {args.n:,} wide assessments, {who} (best of three):")
        print(f"  wf.score (validation included): {ours:.3f} s")
        print(f"  careful pandas:                 {theirs:.3f} s ({theirs / ours:.2f}x score)")
        print(f"  nansum floor:                   {floor:.3f} s (score is {ours / floor:.1f}x it)")
        print(
            f"  peak extra memory of score:     {peak / size:.2f}x the input ({size / 1e6:.0f} MB)"
        )


if __name__ == "__main__":
    main()
