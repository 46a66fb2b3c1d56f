"""Score a CSV of ratings, keeping invalid rows aside with their problems.

Run: ``python examples/score_a_csv.py [ratings.csv] [--out folder]``. Without a file, a
synthetic one is made first (no real person's data).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wellbeing_framework as wf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ratings", nargs="?", help="a ratings CSV (wide or long)")
    parser.add_argument("--out", default="example-output", help="output folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    fw = wf.load_framework()
    if args.ratings is None:
        source = wf.write_table(wf.make_cohort(100, waves=2, seed=1), out / "ratings.csv")
    else:
        source = Path(args.ratings)

    ratings = wf.read_ratings(source)
    report = wf.validate(ratings, fw)
    print(report.summary())
    scores = wf.score(report.valid, fw)
    wf.write_table(scores, out / "scores.csv")
    if report.n_rejected:
        wf.write_table(report.rejected, out / "rejected.csv")
    print(f"rows in: {report.n_rows} = scored {report.n_valid} + rejected {report.n_rejected}")
    print(f"wrote {out / 'scores.csv'}")


if __name__ == "__main__":
    main()
