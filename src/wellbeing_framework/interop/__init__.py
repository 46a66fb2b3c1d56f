"""Where the data lives: FHIR R4 questionnaires and observations, REDCap projects.

The FHIR functions make and read plain dicts (what ``json.dump`` writes and ``json.load``
reads); nothing is sent to or fetched from a server. SPSS and Stata files are read and
written by :func:`~wellbeing_framework.read_ratings` and
:func:`~wellbeing_framework.write_table` (``.sav``, ``.dta``; the ``interop`` extra).
"""

from __future__ import annotations

from wellbeing_framework.interop.fhir import DEFAULT_BASE, to_code_system
from wellbeing_framework.interop.observations import to_observations
from wellbeing_framework.interop.questionnaire import from_questionnaire, to_questionnaire
from wellbeing_framework.interop.redcap import read_redcap, redcap_dictionary
from wellbeing_framework.interop.responses import read_questionnaire_responses

__all__ = [
    "DEFAULT_BASE",
    "from_questionnaire",
    "read_questionnaire_responses",
    "read_redcap",
    "redcap_dictionary",
    "to_code_system",
    "to_observations",
    "to_questionnaire",
]
