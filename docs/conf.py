"""Sphinx configuration for the wellbeing_framework documentation."""

from __future__ import annotations

import wellbeing_framework

project = "wellbeing_framework"
author = "wellbeing_framework contributors"
copyright = "2026, wellbeing_framework contributors"
release = wellbeing_framework.__version__
version = release

extensions = [
    "myst_nb",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "matplotlib.sphinxext.plot_directive",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# Notebooks are committed without outputs; the site runs them to show their results.
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True

autodoc_typehints = "none"
autodoc_member_order = "bysource"
autosummary_generate = False
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()

plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_pre_code = """
import matplotlib
matplotlib.use("Agg")
import wellbeing_framework as wf
fw = wf.load_framework()
"""

nitpicky = True
# Types from other libraries: there is no network to fetch their inventories while building.
nitpick_ignore_regex = [
    (r"py:.*", r"(pandas|pd|numpy|np|matplotlib|os|pathlib|collections|typing|attrs)(\..*)?"),
    (r"py:.*", r"(DataFrame|Series|Axes|Figure|Path|PathLike|Mapping|Sequence|Iterable)"),
    (r"py:.*", r"(optional|default|of|or|str|int|float|bool|tuple|list|dict|None|object)"),
    (r"py:.*", r"(array-like|callable|path-like|mapping|sequence|iterable)"),
]

html_theme = "pydata_sphinx_theme"
html_title = "wellbeing_framework"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_static_path: list[str] = []
