"""How long profile_grid takes for 100 people (target: under 5 s).

Run: ``python benchmarks/bench_plot.py``
"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import wellbeing_framework as wf


def main() -> None:
    fw = wf.load_framework()
    scores = wf.score(wf.make_cohort(500, waves=3, seed=0), fw)
    people = [f"P{i:04d}" for i in range(1, 101)]
    start = time.perf_counter()
    fig = wf.plot.profile_grid(scores, fw, people=people, ncols=10)
    drawn = time.perf_counter() - start
    fig.canvas.draw()
    rendered = time.perf_counter() - start
    plt.close(fig)
    print(f"profile_grid, 100 people: built in {drawn:.2f} s, rendered in {rendered:.2f} s")


if __name__ == "__main__":
    main()
