"""Speed of the cohort statistics on a million people.

Run: ``python benchmarks/bench_cohort.py [--people 1000000]``

- ``change``: baseline vs follow-up for every person and measure (scores table of
  n people x 2 waves, reliability given), with reliable change, band transitions, bootstrap
  CIs and disclosure control.
- ``reliability``: Cronbach's alpha (pairwise and listwise, Feldt CI) for the 4 domains on
  n assessments x 18 indicators, timed in the same run as ``pingouin.cronbach_alpha`` on the
  same data (pairwise, its default), domain by domain.
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
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.people
    fw = wf.load_framework()

    start = time.perf_counter()
    cohort = wf.make_cohort(n, waves=2, seed=0, practitioner_share=0.0)
    made = time.perf_counter() - start
    scores = wf.score(cohort, fw)
    baseline = cohort[cohort["wave"] == 1].reset_index(drop=True)
    print(f"wellbeing_framework {wf.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"cohort: {n:,} people x 2 waves ({len(cohort):,} assessments) made in {made:.1f} s")

    t_change = best_of(lambda: wf.cohort.change(scores, fw, reliability=0.85), repeat=2)
    print(f"change       {t_change:7.2f} s   ({n:,} people x 5 measures)")

    t_rel = best_of(lambda: wf.cohort.reliability(baseline, fw))
    print(f"reliability  {t_rel:7.2f} s   ({len(baseline):,} assessments x 18 indicators)")

    import pingouin as pg

    def pingouin_alpha() -> None:
        for domain in fw.domains:
            pg.cronbach_alpha(baseline[[i.key for i in domain.indicators]])

    t_pg = best_of(pingouin_alpha, repeat=1)
    print(f"pingouin     {t_pg:7.2f} s   (cronbach_alpha, pairwise, 4 domains)")
    print(f"reliability is {t_pg / t_rel:.1f}x pingouin's speed")


if __name__ == "__main__":
    main()
