"""Make the HTML cohort report for a synthetic cohort.

Run: ``python examples/make_the_report.py [--out folder] [--disclosure nhs]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wellbeing_framework as wf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="example-output", help="output folder")
    parser.add_argument("--disclosure", default="nhs", choices=wf.DisclosurePolicy.PRESETS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    fw = wf.load_framework()
    cohort = wf.make_cohort(n_people=400, waves=3, seed=7)
    policy = wf.DisclosurePolicy.preset(args.disclosure)
    path = wf.write_report(cohort, out / "report.html", fw, policy=policy)
    print(f"wrote {path} ({policy.describe()})")


if __name__ == "__main__":
    main()
