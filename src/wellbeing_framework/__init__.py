"""Make the Northern Ireland social work framework *Improving and Safeguarding Social
Wellbeing* computable: record wellbeing assessments against its four domains, score them with
transparent rules, and analyse them.

Examples
--------
>>> import wellbeing_framework as wf
>>> fw = wf.load_framework()
>>> [d.key for d in fw.domains]
['rb', 'pm', 'ir', 'sw']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wellbeing_framework import accessor as accessor  # registers df.wellbeing
from wellbeing_framework import cohort as cohort
from wellbeing_framework import dask_engine as dask_engine  # registers the Dask engine
from wellbeing_framework._version import __version__
from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.continuum import ContinuumRules, Placement, place_on_continuum
from wellbeing_framework.exceptions import (
    DataFileError,
    FrameworkDefinitionError,
    ScoringError,
    ValidationError,
    WellbeingFrameworkError,
)
from wellbeing_framework.framework import (
    AdaptedFrom,
    Approach,
    CentreItem,
    Characteristic,
    Domain,
    Expectation,
    Framework,
    Indicator,
    Outcome,
    PracticeContinuum,
    RatingScale,
    Source,
    Value,
)
from wellbeing_framework.io import (
    bundled_frameworks,
    dump_framework,
    dump_rules,
    framework_from_dict,
    load_framework,
    load_rules,
    read_ratings,
    write_table,
)
from wellbeing_framework.privacy import pseudonymise
from wellbeing_framework.scoring import (
    Band,
    FlagRule,
    Profile,
    ScoringRules,
    default_rules,
    score,
    score_one,
)
from wellbeing_framework.shapes import to_long, to_wide
from wellbeing_framework.synthetic import make_cohort
from wellbeing_framework.validation import ValidationReport, validate
from wellbeing_framework.vignettes import load_vignettes

if TYPE_CHECKING:  # loaded on first use (matplotlib is slow to import)
    from wellbeing_framework import plot as plot
    from wellbeing_framework.report import cohort_report, write_report

#: Names loaded on first use, so that ``import wellbeing_framework`` stays fast.
_LAZY = {
    "plot": ("wellbeing_framework.plot", None),
    "cohort_report": ("wellbeing_framework.report", "cohort_report"),
    "write_report": ("wellbeing_framework.report", "write_report"),
}


def __getattr__(name: str) -> Any:
    """Load ``plot`` and the report functions when they are first used."""
    if name not in _LAZY:
        msg = f"module 'wellbeing_framework' has no attribute {name!r}"
        raise AttributeError(msg)
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AdaptedFrom",
    "Approach",
    "Band",
    "CentreItem",
    "Characteristic",
    "ContinuumRules",
    "DataFileError",
    "DisclosurePolicy",
    "Domain",
    "Expectation",
    "FlagRule",
    "Framework",
    "FrameworkDefinitionError",
    "Indicator",
    "Outcome",
    "Placement",
    "PracticeContinuum",
    "Profile",
    "RatingScale",
    "ScoringError",
    "ScoringRules",
    "Source",
    "ValidationError",
    "ValidationReport",
    "Value",
    "WellbeingFrameworkError",
    "__version__",
    "bundled_frameworks",
    "cohort",
    "cohort_report",
    "default_rules",
    "dump_framework",
    "dump_rules",
    "framework_from_dict",
    "load_framework",
    "load_rules",
    "load_vignettes",
    "make_cohort",
    "place_on_continuum",
    "plot",
    "pseudonymise",
    "read_ratings",
    "score",
    "score_one",
    "to_long",
    "to_wide",
    "validate",
    "write_report",
    "write_table",
]
