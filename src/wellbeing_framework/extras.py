"""Optional dependencies: imported when first needed, with a message naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "require"]

#: The extra that installs each optional module.
EXTRAS: dict[str, str] = {
    "semopy": "research",
    "statsmodels": "research",
    "pyreadstat": "interop",
    "fhir": "interop",
    "ipywidgets": "teach",
    "voila": "teach",
}


def require(module: str, feature: str) -> ModuleType:
    """Import ``module``, or say which extra installs it.

    Parameters
    ----------
    module
        The module to import (``"semopy"``, ``"statsmodels.formula.api"``).
    feature
        What needs it, in words, for the message (``"wf.measurement.cfa"``).

    Raises
    ------
    ImportError
        When the module is not installed; the message names the extra to install.

    Examples
    --------
    >>> require("math", "an example").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        top = module.split(".")[0]
        extra = EXTRAS.get(top, "research")
        msg = (
            f"{feature} needs {top!r}, which is not installed. Install the {extra!r} extra: "
            f'pip install "wellbeing-framework[{extra}]"'
        )
        raise ImportError(msg) from error
