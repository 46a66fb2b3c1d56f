"""The indicator ratings a factor model is fitted to: checked, reverse-keyed items reversed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.cohort.reliability import item_matrix
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.shapes import detect_shape, to_wide
from wellbeing_framework.validation import validate

__all__ = ["Items", "items_of"]


@frozen(kw_only=True)
class Items:
    """Ratings as a matrix: one row per assessment, one column per indicator."""

    values: np.ndarray  # NaN where unanswered; reverse-keyed items reversed; divided by unit
    wide: pd.DataFrame  # the checked ratings, one row per assessment (other columns kept)
    domains: tuple[Domain, ...]
    keys: tuple[str, ...]  # indicator keys, in column order
    unit: float  # the values were divided by it (the mean SD), so the fit is well scaled

    @property
    def structure(self) -> list[list[int]]:
        """The columns of each domain's indicators."""
        out, start = [], 0
        for domain in self.domains:
            k = len(domain.indicators)
            out.append(list(range(start, start + k)))
            start += k
        return out

    @property
    def complete(self) -> np.ndarray:
        """Rows with every indicator answered."""
        return np.asarray(~np.isnan(self.values).any(axis=1))


def _domains(framework: Framework, domains: Sequence[str] | None, minimum: int) -> list[Domain]:
    known = {d.key: d for d in framework.domains}
    if isinstance(domains, str) or (domains is not None and len(set(domains)) != len(domains)):
        msg = "domains must be a list of different domain keys, such as ['rb', 'sw']"
        raise TypeError(msg)
    if domains is not None and len(domains) == 0:
        msg = "domains is empty: name at least one domain, or leave it out for all"
        raise ValueError(msg)
    if domains is None:
        chosen = list(framework.domains)
    else:
        unknown = [k for k in domains if k not in known]
        if unknown:
            msg = f"unknown domain(s) {unknown}; the framework's domains are {list(known)}"
            raise KeyError(msg)
        chosen = [known[k] for k in domains]
    small = [d.key for d in chosen if len(d.indicators) < minimum]
    if small:
        msg = (
            f"domain(s) {small} have fewer than {minimum} indicators: a factor needs at least "
            f"{minimum} to be identified here; leave them out with domains=[...]"
        )
        raise ValueError(msg)
    return chosen


def items_of(
    ratings: pd.DataFrame,
    framework: Framework,
    domains: Sequence[str] | None = None,
    *,
    minimum: int = 2,
    rater: str | None = "self",
) -> Items:
    """Check the ratings and return the chosen domains' indicators as a matrix.

    Only the ``rater``'s assessments are kept when there is a ``rater`` column (None: all).
    The values are divided by one common unit (the indicators' mean standard deviation):
    the models are unchanged by it, and the optimiser then works on numbers of size one
    whatever the scale (1-5, 0-100, 0-1000).

    Raises
    ------
    ValidationError
        When any rating is not on the framework's scale (every problem listed).
    ValueError
        When a chosen domain has too few indicators, or an indicator never varies.
    """
    chosen = _domains(framework, domains, minimum)
    if rater is not None and "rater" in ratings.columns:
        ratings = ratings[ratings["rater"].astype("string") == rater]
    checked = validate(ratings, framework, person=None, date=None, rater=None)
    if not checked.ok:
        raise ValidationError(checked)
    valid = checked.valid
    wide = to_wide(valid, framework) if detect_shape(valid) == "long" else valid
    wide = wide.reset_index(drop=True)
    values = np.column_stack([item_matrix(wide, framework, d) for d in chosen])
    keys = tuple(i.key for d in chosen for i in d.indicators)
    with np.errstate(invalid="ignore"):
        spread = np.nanstd(values, axis=0) if len(values) else np.zeros(len(keys))
    flat = [k for k, s in zip(keys, spread, strict=True) if not s > 0]
    if flat:
        msg = (
            f"indicator(s) {flat} have no answers or the same rating every time: a factor "
            "model needs every indicator to vary"
        )
        raise ValueError(msg)
    complete = values[~np.isnan(values).any(axis=1)]
    if len(complete) > len(keys):
        corr = np.corrcoef(complete, rowvar=False)
        if not np.isfinite(corr).all() or np.linalg.eigvalsh(corr).min() < 1e-8:
            msg = (
                "the indicators are perfectly collinear among the complete answers (one is "
                "a copy or a sum of others, or one never varies there): a factor model "
                "cannot be fitted"
            )
            raise ValueError(msg)
    unit = float(np.mean(spread))
    return Items(values=values / unit, wide=wide, domains=tuple(chosen), keys=keys, unit=unit)
