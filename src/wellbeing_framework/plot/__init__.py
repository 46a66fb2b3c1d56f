"""Plots a practitioner would put in a report (matplotlib).

Axes-level functions take ``ax=None``, draw only on that Axes (making a polar one where they
need it and none is given), return it, and never call ``plt.show()``. Every plot can describe
itself in words for alt text: :func:`describe`.
"""

from __future__ import annotations

from wellbeing_framework.plot.charts import change, continuum, groups, snapshot, star
from wellbeing_framework.plot.grid import profile_grid
from wellbeing_framework.plot.quadrant import quadrant
from wellbeing_framework.plot.readings import readings
from wellbeing_framework.plot.single_case import single_case
from wellbeing_framework.plot.style import describe, save
from wellbeing_framework.plot.trajectory import trajectory

__all__ = [
    "change",
    "continuum",
    "describe",
    "groups",
    "profile_grid",
    "quadrant",
    "readings",
    "save",
    "single_case",
    "snapshot",
    "star",
    "trajectory",
]
