"""Speed of the research-grade analyses.

Run: ``python benchmarks/bench_research.py [--assessments 100000] [--people 20000]``

- ``cfa``: the four-domain factor model (18 indicators) on n self-rated assessments,
  fitted with semopy, fit indices and loadings included (every answer given: the
  default 5 % missing per answer leaves 40 % of assessments complete on 18 indicators).
- ``invariance``: configural, metric and scalar models across the five client groups on
  the same assessments.
- ``omega``: omega per domain with 200 bootstrap resamples each, and omega hierarchical.
- ``growth``: the linear mixed model (random intercept and slope, REML) of the index on
  n people x 4 waves.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from common import best_of

import wellbeing_framework as wf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    fw = wf.load_framework()
    print(f"wellbeing_framework {wf.__version__}, pandas {pd.__version__}, numpy {np.__version__}")

    ratings = wf.make_cohort(
        args.assessments, waves=1, seed=0, practitioner_share=0.0, missing=0.0
    )
    t_cfa = best_of(lambda: wf.measurement.cfa(ratings, fw), repeat=1)
    result = wf.measurement.cfa(ratings, fw)
    print(
        f"cfa: {len(ratings):,} assessments x 18 indicators ({result.n:,} complete) "
        f"in {t_cfa:.1f} s (budget 30 s)"
    )
    t_inv = best_of(lambda: wf.measurement.invariance(ratings, fw, by="client_group"), repeat=1)
    print(f"invariance: 3 models x 5 client groups in {t_inv:.1f} s")
    t_omega = best_of(lambda: wf.measurement.omega(ratings, fw, n_boot=200), repeat=1)
    print(f"omega: 4 domains x 200 resamples and the bifactor index in {t_omega:.1f} s")

    start = time.perf_counter()
    cohort = wf.make_cohort(args.people, waves=4, seed=1, practitioner_share=0.0)
    scores = wf.score(cohort, fw)
    made = time.perf_counter() - start
    t_growth = best_of(lambda: wf.cohort.growth(scores, fw), repeat=1)
    growth = wf.cohort.growth(scores, fw)
    print(
        f"growth: {args.people:,} people x 4 waves ({len(scores):,} assessments, made and "
        f"scored in {made:.1f} s) in {t_growth:.1f} s (budget 30 s); "
        f"random slope: {growth.random_slope}"
    )


if __name__ == "__main__":
    main()
