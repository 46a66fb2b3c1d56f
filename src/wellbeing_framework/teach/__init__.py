"""Teaching: the explorer, in a notebook or as a web page (the ``teach`` extra:
ipywidgets and voila)."""

from __future__ import annotations

from wellbeing_framework.teach.explorer import Explorer, explorer

__all__ = ["Explorer", "explorer"]
