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

from wellbeing_framework.exceptions import (
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
    framework_from_dict,
    load_framework,
)

__version__ = "0.1.0"

__all__ = [
    "AdaptedFrom",
    "Approach",
    "CentreItem",
    "Characteristic",
    "Domain",
    "Expectation",
    "Framework",
    "FrameworkDefinitionError",
    "Indicator",
    "Outcome",
    "PracticeContinuum",
    "RatingScale",
    "ScoringError",
    "Source",
    "ValidationError",
    "Value",
    "WellbeingFrameworkError",
    "__version__",
    "bundled_frameworks",
    "dump_framework",
    "framework_from_dict",
    "load_framework",
]
