"""Cohort analysis: every published count goes through a :class:`DisclosurePolicy`."""

from __future__ import annotations

from wellbeing_framework.cohort.agreement import agreement
from wellbeing_framework.cohort.change import (
    ChangeResult,
    Cutoffs,
    change,
    jacobson_truax_cutoffs,
    reliable_change,
)
from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.goals import distance_to_goal
from wellbeing_framework.cohort.groups import compare_groups
from wellbeing_framework.cohort.growth import GrowthResult, growth
from wellbeing_framework.cohort.mix import continuum_mix
from wellbeing_framework.cohort.reliability import reliability
from wellbeing_framework.cohort.snapshot import snapshot
from wellbeing_framework.cohort.trajectory import trajectory

__all__ = [
    "ChangeResult",
    "Cutoffs",
    "DisclosurePolicy",
    "GrowthResult",
    "agreement",
    "change",
    "compare_groups",
    "continuum_mix",
    "distance_to_goal",
    "growth",
    "jacobson_truax_cutoffs",
    "reliability",
    "reliable_change",
    "snapshot",
    "trajectory",
]
