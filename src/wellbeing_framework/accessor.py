"""The ``df.wellbeing`` accessor: one-line delegations to the public functions.

The accessor holds no state (pandas builds a new one on every access); importing
:mod:`wellbeing_framework` registers it.

Examples
--------
>>> import pandas as pd
>>> import wellbeing_framework as wf
>>> fw = wf.load_framework()
>>> ratings = pd.DataFrame({"person_id": ["p1"], **{k: [4] for k in fw.indicator_keys}})
>>> ratings.wellbeing.validate(fw).ok
True
>>> ratings.wellbeing.score(fw)["index"].tolist()
[75.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework
    from wellbeing_framework.scoring import ScoringRules
    from wellbeing_framework.validation import ValidationReport

# The library is imported by each method, not here: this module is registered the moment
# pandas is imported, possibly while one of the library's own modules is being imported.

__all__ = ["WellbeingAccessor"]


@pd.api.extensions.register_dataframe_accessor("wellbeing")
class WellbeingAccessor:
    """``df.wellbeing.<method>(framework, ...)`` calls ``wf.<method>(df, framework, ...)``."""

    def __init__(self, data: pd.DataFrame) -> None:
        self._data = data

    def validate(self, framework: Framework, **kwargs: Any) -> ValidationReport:
        """Same as :func:`wellbeing_framework.validate` on this frame."""
        from wellbeing_framework.validation import validate

        return validate(self._data, framework, **kwargs)

    def score(
        self, framework: Framework, rules: ScoringRules | None = None, **kwargs: Any
    ) -> pd.DataFrame:
        """Same as :func:`wellbeing_framework.score` on this frame."""
        from wellbeing_framework.scoring import score

        return score(self._data, framework, rules, **kwargs)

    def to_wide(self, framework: Framework) -> pd.DataFrame:
        """Same as :func:`wellbeing_framework.to_wide` on this frame."""
        from wellbeing_framework.shapes import to_wide

        return to_wide(self._data, framework)

    def to_long(self, framework: Framework) -> pd.DataFrame:
        """Same as :func:`wellbeing_framework.to_long` on this frame."""
        from wellbeing_framework.shapes import to_long

        return to_long(self._data, framework)
