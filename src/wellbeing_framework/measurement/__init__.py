"""Measurement: does the framework's structure fit, is it the same for everyone, and how
reliable is each domain (needs the ``research`` extra: semopy)."""

from __future__ import annotations

from wellbeing_framework.measurement.cfa import CFAResult, cfa
from wellbeing_framework.measurement.invariance import invariance
from wellbeing_framework.measurement.omega import omega

__all__ = ["CFAResult", "cfa", "invariance", "omega"]
