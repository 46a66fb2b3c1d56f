"""Make a workbook shaped like a team's own: a cover sheet, title rows, the team's headers.

Run: ``python examples/team_workbook.py [--out folder]``. Writes ``team.xlsx`` (made-up
people) as a practitioner might keep it: a cover sheet first; on the data sheet two title
rows above the header; headers of the team's own (``Client ID``, ``Date``, ``Assessor``,
``RB1`` ... ``SW5``, ``RB4 score``, ``Quality of Life``, ``Self Worth``, ``Team``,
``Notes``); UK dates typed as text; ``n/a`` where a question was not asked; and one rating
of 7 on the 1-5 scale. The how-to "Your own spreadsheet" walks from this file to a report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from openpyxl import Workbook

import wellbeing_framework as wf

TEAMS = ("North", "South")


def make_team_workbook(path: Path, people: int = 40, seed: int = 7) -> Path:
    """Write the workbook and return its path."""
    fw = wf.load_framework()
    keys = [k for k in fw.indicator_keys if k != "rb4"]
    rng = np.random.default_rng(seed)
    book = Workbook()
    cover = book.active
    cover.title = "Read me"
    cover.append(["Wellbeing assessments: North and South teams"])
    cover.append(["Rate each statement from 1 (not at all) to 5 (completely)."])
    sheet = book.create_sheet("Assessments")
    sheet.append(["Wellbeing assessments 2025"])
    sheet.append(["Made-up people for the how-to; not real data"])
    sheet.append(
        [
            "Client ID",
            "Date",
            "Assessor",
            *[k.upper() for k in keys],
            "RB4 score",
            "Quality of Life",
            "Self Worth",
            "Team",
            "Notes",
        ]
    )
    for person in range(people):
        level = rng.normal(3.0, 0.6)
        for visit, month in enumerate((3, 9)):
            ratings: list[object] = [
                int(np.clip(round(level + 0.4 * visit + rng.normal(0, 0.7)), 1, 5))
                for _ in range(len(keys) + 3)
            ]
            if rng.random() < 0.1:
                ratings[int(rng.integers(len(keys)))] = "n/a"
            day = int(rng.integers(1, 28))
            sheet.append(
                [
                    f"C{1000 + person}",
                    f"{day:02d}/{month:02d}/2025",
                    "self",
                    *ratings,
                    TEAMS[person % 2],
                    "discussed at review",
                ]
            )
    sheet.cell(row=9, column=6).value = 7  # a typing slip: 7 on a 1-5 scale
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="example-output", help="output folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = make_team_workbook(out / "team.xlsx")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
