"""Cohort analysis: every published count goes through a :class:`DisclosurePolicy`."""

from __future__ import annotations

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.mix import continuum_mix

__all__ = ["DisclosurePolicy", "continuum_mix"]
