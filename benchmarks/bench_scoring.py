"""Speed and memory of validate and score on wide assessments.

Run: ``python benchmarks/bench_scoring.py [--sizes 10000 100000 1000000]``

For each size: a wide table of assessments (``person_id``, ``assessment_date``, ``rater``,
18 indicators and 2 centre items, 5 % of answers missing). Prints the best of three wall
times for ``validate`` and ``score``, assessments per second, the peak extra memory of
``score`` as a multiple of the input frame (tracemalloc), and, as a reference, the same rules
computed by a plain per-row Python loop.
"""

from __future__ import annotations

import argparse
import math
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
from common import best_of

import wellbeing_framework as wf


def make_wide(
    n: int, fw: wf.Framework, seed: int = 0, int_ids: bool = False, waves: int = 1
) -> pd.DataFrame:
    """n wide assessments with 5 % missing answers: each person assessed ``waves`` times,
    120 days or more apart (in the order of the waves, people mixed within a wave)."""
    rng = np.random.default_rng(seed)
    keys = list(fw.indicator_keys) + [c.key for c in fw.centre]
    ratings = rng.integers(fw.scale.min, fw.scale.max + 1, size=(n, len(keys))).astype(float)
    ratings[rng.random(ratings.shape) < 0.05] = np.nan
    data = pd.DataFrame(ratings, columns=keys)
    people = -(-n // waves)
    person = rng.permutation(people)[np.arange(n) % people]
    wave = np.arange(n) // people
    ids = person if int_ids else pd.Series(person).map("P{:07d}".format)
    data.insert(0, "person_id", ids)
    days = wave * 120 + rng.integers(0, 100, n)
    data.insert(1, "assessment_date", pd.Timestamp("2026-01-01") + pd.to_timedelta(days, "D"))
    data.insert(2, "rater", np.where(rng.random(n) < 0.5, "self", "practitioner"))
    return data


def peak_extra(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def per_row_loop(data: pd.DataFrame, fw: wf.Framework) -> list[dict[str, float | None]]:
    """The default rules, one row at a time in plain Python (the reference)."""
    lo, hi = fw.scale.min, fw.scale.max
    out = []
    for record in data.to_dict("records"):
        row: dict[str, float | None] = {}
        scores = []
        for d in fw.domains:
            values = [record[i.key] for i in d.indicators]
            answered = [
                (lo + hi - v if i.reverse else v, i.weight)
                for v, i in zip(values, d.indicators, strict=True)
                if v == v
            ]
            if len(answered) >= math.ceil(len(d.indicators) / 2):
                mean = sum(v * w for v, w in answered) / sum(w for _, w in answered)
                row[d.key] = (mean - lo) / (hi - lo) * 100
            else:
                row[d.key] = None
            scores.append(row[d.key])
        row["index"] = None if None in scores else sum(scores) / len(scores)  # type: ignore[arg-type]
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--int-ids", action="store_true", help="integer person_id instead of text ('P0000001')"
    )
    args = parser.parse_args()
    fw = wf.load_framework()
    print(f"wellbeing_framework {wf.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"person_id: {'integers' if args.int_ids else 'text'}")
    print(
        f"{'n':>9} {'validate s':>11} {'/s':>11} {'score s':>9} {'/s':>11} "
        f"{'peak extra':>11} {'loop /s':>9} {'speed-up':>9}"
    )
    for n in args.sizes:
        data = make_wide(n, fw, int_ids=args.int_ids)
        input_bytes = data.memory_usage(deep=True).sum()
        t_validate = best_of(lambda: wf.validate(data, fw))  # noqa: B023
        t_score = best_of(lambda: wf.score(data, fw))  # noqa: B023
        peak = peak_extra(lambda: wf.score(data, fw))  # noqa: B023
        sample = data.iloc[: min(n, 20_000)]
        t_loop = best_of(lambda: per_row_loop(sample, fw), repeat=1)  # noqa: B023
        loop_rate = len(sample) / t_loop
        rate = n / t_score
        print(
            f"{n:>9,} {t_validate:>11.3f} {n / t_validate:>11,.0f} {t_score:>9.3f} "
            f"{rate:>11,.0f} {peak / input_bytes:>10.2f}x {loop_rate:>9,.0f} "
            f"{rate / loop_rate:>8,.0f}x"
        )


if __name__ == "__main__":
    main()
