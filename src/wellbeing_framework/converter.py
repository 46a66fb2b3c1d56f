"""The library's one cattrs converter: every saved or loaded object goes through it.

Frameworks, scoring rules and continuum rules are turned into plain JSON-like data here and
nowhere else. The converter omits defaults when it writes a framework (short, readable files)
and refuses unknown keys when it reads; rules are written in full (see below).
"""

from __future__ import annotations

import cattrs
from cattrs.gen import make_dict_unstructure_fn

from wellbeing_framework.continuum_rules import ContinuumRules
from wellbeing_framework.rules import Band, FlagRule, ScoringRules

__all__ = ["converter"]

#: The library's single converter between objects and plain JSON-like data. Frameworks are
#: written without fields at their default (short, readable files); rules are written in full,
#: so a scores file states every rule that produced it, whatever a later version's defaults.
converter = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True)
# a scale's ends: a whole number stays an int (so "1-5" reads as before), else a float
converter.register_structure_hook(
    int | float, lambda value, _: int(value) if float(value).is_integer() else float(value)
)
for _rules_class in (ScoringRules, Band, FlagRule, ContinuumRules):
    converter.register_unstructure_hook(
        _rules_class,
        make_dict_unstructure_fn(_rules_class, converter, _cattrs_omit_if_default=False),
    )
