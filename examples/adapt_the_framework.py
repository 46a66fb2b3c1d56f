"""Adapt the framework for a client group, save it, and score with it.

Run: ``python examples/adapt_the_framework.py [--out folder]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wellbeing_framework as wf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="example-output", help="output folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    fw = wf.load_framework()
    adapted = fw.adapt(
        key="carers",
        title="Carers' wellbeing (example adaptation)",
        version="0.1.0",
        reword={"ir4": "Have time for a life of my own alongside caring"},
        add={"sw": [wf.Indicator(key="sw6", text="Get a break from caring when I need one")]},
        note="Example: an extra Safe and Well indicator for unpaid carers",
    )
    path = wf.dump_framework(adapted, out / "carers.json")
    again = wf.load_framework(path)
    print(f"wrote {path}: {again!r}, adapted from {again.adapted_from.key}")

    cohort = wf.make_cohort(n_people=50, waves=1, seed=3, framework=again)
    scores = wf.score(cohort, again)
    print(scores[["person_id", "rb", "pm", "ir", "sw", "index"]].head().round(1).to_string())


if __name__ == "__main__":
    main()
