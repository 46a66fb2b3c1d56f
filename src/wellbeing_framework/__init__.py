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
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from wellbeing_framework._version import __version__
from wellbeing_framework.engines import Engine, LazyEngine, is_dask, register

if TYPE_CHECKING:
    from wellbeing_framework import accessor as accessor  # registers df.wellbeing
    from wellbeing_framework import cohort as cohort
    from wellbeing_framework import dask_engine as dask_engine  # registers the Dask engine
    from wellbeing_framework import interop as interop
    from wellbeing_framework import measurement as measurement
    from wellbeing_framework import plot as plot
    from wellbeing_framework import single_case as single_case
    from wellbeing_framework import teach as teach
    from wellbeing_framework.cohort.disclosure import DisclosurePolicy
    from wellbeing_framework.columns import ColumnSuggestions, suggest_columns
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
    )
    from wellbeing_framework.privacy import pseudonymise
    from wellbeing_framework.report import cohort_report, write_report
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
    from wellbeing_framework.tables import read_ratings, write_table
    from wellbeing_framework.validation import ValidationReport, validate
    from wellbeing_framework.vignettes import load_vignettes

#: Every public name and where it lives: loaded on first use, so that importing the package
#: (and ``wellbeing --help``) stays fast.
_LAZY: dict[str, tuple[str, str | None]] = {
    "AdaptedFrom": ("wellbeing_framework.framework", "AdaptedFrom"),
    "Approach": ("wellbeing_framework.framework", "Approach"),
    "Band": ("wellbeing_framework.scoring", "Band"),
    "CentreItem": ("wellbeing_framework.framework", "CentreItem"),
    "ColumnSuggestions": ("wellbeing_framework.columns", "ColumnSuggestions"),
    "Characteristic": ("wellbeing_framework.framework", "Characteristic"),
    "ContinuumRules": ("wellbeing_framework.continuum", "ContinuumRules"),
    "DataFileError": ("wellbeing_framework.exceptions", "DataFileError"),
    "DisclosurePolicy": ("wellbeing_framework.cohort.disclosure", "DisclosurePolicy"),
    "Domain": ("wellbeing_framework.framework", "Domain"),
    "Expectation": ("wellbeing_framework.framework", "Expectation"),
    "FlagRule": ("wellbeing_framework.scoring", "FlagRule"),
    "Framework": ("wellbeing_framework.framework", "Framework"),
    "FrameworkDefinitionError": ("wellbeing_framework.exceptions", "FrameworkDefinitionError"),
    "Indicator": ("wellbeing_framework.framework", "Indicator"),
    "Outcome": ("wellbeing_framework.framework", "Outcome"),
    "Placement": ("wellbeing_framework.continuum", "Placement"),
    "PracticeContinuum": ("wellbeing_framework.framework", "PracticeContinuum"),
    "Profile": ("wellbeing_framework.scoring", "Profile"),
    "RatingScale": ("wellbeing_framework.framework", "RatingScale"),
    "ScoringError": ("wellbeing_framework.exceptions", "ScoringError"),
    "ScoringRules": ("wellbeing_framework.scoring", "ScoringRules"),
    "Source": ("wellbeing_framework.framework", "Source"),
    "ValidationError": ("wellbeing_framework.exceptions", "ValidationError"),
    "ValidationReport": ("wellbeing_framework.validation", "ValidationReport"),
    "Value": ("wellbeing_framework.framework", "Value"),
    "WellbeingFrameworkError": ("wellbeing_framework.exceptions", "WellbeingFrameworkError"),
    "accessor": ("wellbeing_framework.accessor", None),
    "bundled_frameworks": ("wellbeing_framework.io", "bundled_frameworks"),
    "cohort": ("wellbeing_framework.cohort", None),
    "cohort_report": ("wellbeing_framework.report", "cohort_report"),
    "dask_engine": ("wellbeing_framework.dask_engine", None),
    "default_rules": ("wellbeing_framework.scoring", "default_rules"),
    "dump_framework": ("wellbeing_framework.io", "dump_framework"),
    "dump_rules": ("wellbeing_framework.io", "dump_rules"),
    "framework_from_dict": ("wellbeing_framework.io", "framework_from_dict"),
    "load_framework": ("wellbeing_framework.io", "load_framework"),
    "load_rules": ("wellbeing_framework.io", "load_rules"),
    "load_vignettes": ("wellbeing_framework.vignettes", "load_vignettes"),
    "make_cohort": ("wellbeing_framework.synthetic", "make_cohort"),
    "interop": ("wellbeing_framework.interop", None),
    "measurement": ("wellbeing_framework.measurement", None),
    "place_on_continuum": ("wellbeing_framework.continuum", "place_on_continuum"),
    "plot": ("wellbeing_framework.plot", None),
    "pseudonymise": ("wellbeing_framework.privacy", "pseudonymise"),
    "read_ratings": ("wellbeing_framework.tables", "read_ratings"),
    "score": ("wellbeing_framework.scoring", "score"),
    "score_one": ("wellbeing_framework.scoring", "score_one"),
    "single_case": ("wellbeing_framework.single_case", None),
    "teach": ("wellbeing_framework.teach", None),
    "suggest_columns": ("wellbeing_framework.columns", "suggest_columns"),
    "to_long": ("wellbeing_framework.shapes", "to_long"),
    "to_wide": ("wellbeing_framework.shapes", "to_wide"),
    "validate": ("wellbeing_framework.validation", "validate"),
    "write_report": ("wellbeing_framework.report", "write_report"),
    "write_table": ("wellbeing_framework.tables", "write_table"),
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module when it is first used."""
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


def _dask_engine() -> Engine:
    from wellbeing_framework.dask_engine import DaskEngine

    return DaskEngine()


register(LazyEngine("dask", is_dask, _dask_engine))


def _with_pandas() -> None:
    """What must exist as soon as pandas does: the ``df.wellbeing`` accessor (a module that
    imports nothing else of the library when it loads)."""
    importlib.import_module("wellbeing_framework.accessor")


class _WhenPandasLoads(importlib.abc.MetaPathFinder):
    """Runs :func:`_with_pandas` right after pandas is imported, whoever imports it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pandas":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _with_pandas()

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if "pandas" in sys.modules:
    _with_pandas()
else:
    sys.meta_path.insert(0, _WhenPandasLoads())

__all__ = [
    "AdaptedFrom",
    "Approach",
    "Band",
    "CentreItem",
    "Characteristic",
    "ColumnSuggestions",
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
    "interop",
    "load_framework",
    "load_rules",
    "load_vignettes",
    "make_cohort",
    "measurement",
    "place_on_continuum",
    "plot",
    "pseudonymise",
    "read_ratings",
    "score",
    "score_one",
    "single_case",
    "suggest_columns",
    "teach",
    "to_long",
    "to_wide",
    "validate",
    "write_report",
    "write_table",
]
