"""FHIR in and out: read QuestionnaireResponses, score them, write Observations back.

Run: ``python examples/fhir_round_trip.py [responses.json|.ndjson|folder] [--out folder]``.
Without a source, the synthetic sample Bundle beside this script is read (made-up people).
Writes the framework's Questionnaire and CodeSystem, the scores, and a Bundle of
Observations ready to go back into a care record. FHIR resources are plain JSON: no extra
is needed to make or read them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import wellbeing_framework as wf

SAMPLE = Path(__file__).resolve().parent / "fhir_sample_responses.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", nargs="?", default=str(SAMPLE), help="the responses")
    parser.add_argument("--out", default="fhir-output", help="output folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    fw = wf.load_framework()
    for name, resource in (
        ("questionnaire.json", wf.interop.to_questionnaire(fw, calculated=True)),
        ("codesystem.json", wf.interop.to_code_system(fw)),
    ):
        (out / name).write_text(json.dumps(resource, indent=2), encoding="utf-8")

    ratings = wf.interop.read_questionnaire_responses(args.source, fw, errors="reject")
    rejected = ratings.attrs["read"]["rejected"]
    report = wf.validate(ratings, fw)
    print(
        f"responses in: {len(ratings) + len(rejected)} = read {len(ratings)} "
        f"+ not readable {len(rejected)}; valid {report.n_valid}"
    )
    scores = wf.score(report.valid, fw)
    wf.write_table(scores, out / "scores.csv")
    bundle = wf.interop.to_observations(scores, fw)
    (out / "observations.json").write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    print(f"wrote {len(bundle['entry'])} Observations to {out / 'observations.json'}")


if __name__ == "__main__":
    main()
