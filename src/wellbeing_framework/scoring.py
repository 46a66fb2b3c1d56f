"""Scoring: transparent, configurable rules from ratings to 0-100 domain scores.

The rules (all fields of :class:`ScoringRules`):

- a reverse-keyed indicator is scored ``min + max - rating``;
- a domain score is the (weighted) mean of its answered ratings, rescaled to 0-100 as
  ``(mean - min) / (max - min) * 100``, and is missing when fewer than half of the domain's
  indicators (rounded up) were answered;
- the index is the mean of the domain scores (equal weights by default), missing unless every
  domain has a score;
- centre items (Quality of Life, Self Worth) are rescaled on their own, never folded into the
  index;
- every 0-100 score gets a band: [0, 25) high need, [25, 50) some need, [50, 75) managing,
  [75, 100] thriving;
- flags: for the bundled framework, a safeguarding flag when "Are safe from harm, abuse and
  exploitation" or "Feel safe in their own home and community" is rated at the scale minimum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.converter import converter
from wellbeing_framework.engines import engine_for
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Framework
from wellbeing_framework.profile import Profile
from wellbeing_framework.rules import (
    DEFAULT_BANDS,
    SAFEGUARDING,
    Band,
    FlagRule,
    ScoringRules,
    default_rules,
)
from wellbeing_framework.shapes import to_wide
from wellbeing_framework.validation import Checked, check, id_options

__all__ = [
    "ATTRS_KEY",
    "DEFAULT_BANDS",
    "SAFEGUARDING",
    "Band",
    "FlagRule",
    "Profile",
    "ScoringRules",
    "compute",
    "default_rules",
    "provenance",
    "score",
    "score_one",
    "with_band_categories",
]

ATTRS_KEY = "wellbeing_framework"


def score_columns(framework: Framework, rules: ScoringRules) -> list[str]:
    """The columns :func:`score` adds, in order."""
    scored = [d.key for d in framework.domains] + [c.key for c in framework.centre]
    return [
        *scored,
        "index",
        *[f"{k}_band" for k in scored],
        "index_band",
        "n_answered",
        *[f"flag_{f.name}" for f in rules.flags or ()],
    ]


#: A score this close below a band boundary is on it: floating-point noise
#: (49.99999999999999 for a true 50) never decides a band.
BAND_TOLERANCE = 1e-9


def band_codes(values: np.ndarray, bands: tuple[Band, ...]) -> np.ndarray:
    """Code of each value's band (``lower <= value < upper``; the top band includes 100).

    A value within ``BAND_TOLERANCE`` below a boundary counts as on it: a score that is
    mathematically on a boundary gets the upper band whatever the rounding error of its
    sum. Missing values get -1.

    Examples
    --------
    >>> band_codes(np.array([0, 24.9, 25, 49.99999999999999, 100, np.nan]), DEFAULT_BANDS).tolist()
    [0, 0, 1, 2, 3, -1]
    """
    codes = np.zeros(len(values), dtype=np.int8)
    for band in bands[1:]:
        codes += values >= band.lower - BAND_TOLERANCE
    codes[np.isnan(values)] = -1
    return codes


def _domain_matrices(
    keys: tuple[str, ...], framework: Framework, rules: ScoringRules
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (keys x domains) and membership (keys x domains + 1: the last column counts
    every indicator), so one matrix product sums all domains at once."""
    position = {k: j for j, k in enumerate(keys)}
    n_domains = len(framework.domains)
    weights = np.zeros((len(keys), n_domains))
    member = np.zeros((len(keys), n_domains + 1), dtype=np.float32)
    for d, domain in enumerate(framework.domains):
        for item in domain.indicators:
            weights[position[item.key], d] = item.weight if rules.use_weights else 1.0
            member[position[item.key], d] = 1.0
    member[[position[k] for k in framework.indicator_keys], n_domains] = 1.0
    return weights, member


#: Rows summed at a time: the temporaries of a block stay small (a few MB), so no large
#: array is allocated, faulted in and freed for each step.
BLOCK_ROWS = 8192


def _domain_sums(
    ratings: np.ndarray,
    lo: float,
    span: float,
    reverse: list[int],
    weights: np.ndarray,
    member: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per domain and assessment (domains x assessments): the weighted sum of ratings above
    the minimum, the number answered (then the number of indicators answered in all) and
    the sum of their weights.

    Ratings must be valid (never below the minimum). Missing ratings count as 0 above it,
    so no mask is needed, and one matrix product (BLAS) sums every domain at once, far
    faster than reductions along a short axis. Sums of whole ratings are exact.
    """
    n = ratings.shape[0]
    total = np.empty((weights.shape[1], n))
    counts = np.empty((member.shape[1], n), dtype=np.float32)  # small integers: exact
    unit = bool((weights[weights != 0] == 1.0).all())
    weight_sums = None if unit else np.empty((weights.shape[1], n))
    for start in range(0, n, BLOCK_ROWS):
        rows = slice(start, min(start + BLOCK_ROWS, n))
        block = ratings[rows]
        answered = ~np.isnan(block)
        above = np.subtract(block, lo)
        np.fmax(above, 0.0, out=above)  # NaN -> 0
        if reverse:
            above[:, reverse] = np.where(answered[:, reverse], span - above[:, reverse], 0.0)
        np.matmul(weights.T, above.T, out=total[:, rows])
        np.matmul(member.T, answered.T.astype(np.float32), out=counts[:, rows])
        if weight_sums is not None:
            np.matmul(weights.T, answered.T.astype(np.float64), out=weight_sums[:, rows])
    return total, counts, counts[:-1] if weight_sums is None else weight_sums


def compute(
    ratings: np.ndarray, keys: tuple[str, ...], framework: Framework, rules: ScoringRules
) -> dict[str, Any]:
    """Apply resolved rules to a matrix of valid ratings (rows: assessments; columns:
    ``keys``; NaN for missing).

    Returns a mapping of output column to array (internal; :func:`score` builds the table).
    """
    lo, hi = framework.scale.min, framework.scale.max
    span = float(hi - lo)
    position = {k: j for j, k in enumerate(keys)}
    reverse = [position[i.key] for i in framework.indicators if i.reverse]
    weights, member = _domain_matrices(keys, framework, rules)
    total, counts, weight = _domain_sums(
        ratings, lo, span, reverse if rules.reverse_keying else [], weights, member
    )
    need = np.array(
        [math.ceil(rules.min_answered * len(d.indicators) - 1e-9) for d in framework.domains]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        # one division of exact sums: a mathematically round score comes out exact
        value = total * 100.0 / np.multiply(weight, span, dtype=np.float64)
    value[counts[:-1] < need[:, None]] = np.nan
    out: dict[str, Any] = {d.key: value[j] for j, d in enumerate(framework.domains)}
    for item in framework.centre:
        out[item.key] = (ratings[:, position[item.key]] - lo) * 100.0 / span
    out["index"] = _index(value, framework, rules)
    band_type = pd.CategoricalDtype(list(rules.band_labels), ordered=True)
    for key in [*[d.key for d in framework.domains], *[c.key for c in framework.centre], "index"]:
        out[f"{key}_band"] = pd.Categorical.from_codes(
            band_codes(out[key], rules.bands), dtype=band_type
        )
    out["n_answered"] = counts[-1].astype(np.int64)
    for flag in rules.flags or ():
        threshold = lo if flag.at_most is None else flag.at_most
        out[f"flag_{flag.name}"] = _flag(
            ratings, [position[k] for k in flag.indicators], threshold
        )
    return out


def _index(value: np.ndarray, framework: Framework, rules: ScoringRules) -> np.ndarray:
    """The index: the (weighted) mean of the domain scores (``value``: domains x rows)."""
    if rules.index_weights is None:
        dw = np.ones(value.shape[0])
    else:
        dw = np.array([rules.index_weights[d.key] for d in framework.domains], dtype=float)
    if rules.index_requires_all:  # a missing domain score makes the product NaN
        index: np.ndarray = (dw @ value) / dw.sum()
        return index
    have = ~np.isnan(value)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted: np.ndarray = (dw @ np.where(have, value, 0.0)) / (dw @ have.astype(float))
    return weighted


def _flag(ratings: np.ndarray, cols: list[int], threshold: float) -> Any:
    """A flag: true when any of its indicators is at or below the threshold, false when all
    are answered above it, else missing."""
    block = ratings[:, cols]
    hit: np.ndarray = np.asarray((block <= threshold).any(axis=1), dtype=bool)
    clear = (block > threshold).all(axis=1)  # NaN > threshold is False
    values = pd.array(hit, dtype="boolean")
    values[~hit & ~clear] = pd.NA
    return values


def score(
    data: pd.DataFrame,
    framework: Framework,
    rules: ScoringRules | None = None,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Score every assessment: 0-100 per domain, centre items, index, bands and flags.

    Parameters
    ----------
    data
        Wide or long ratings (see :func:`validate`); never modified.
    framework
        The framework the ratings answer.
    rules
        Scoring rules; ``None`` for :func:`default_rules`.
    person, date, rater
        Identifying columns, as in :func:`validate`.
    dayfirst, date_format
        How text dates are read, as in :func:`validate`.

    Returns
    -------
    pandas.DataFrame
        One row per assessment, in input order (wide input keeps its index). Columns: every
        non-rating column of the input (ids and pass-through; the date column holds the dates
        as read, ``datetime64``, never text), then

        - one 0-100 score per domain, named by the domain key (``rb``, ``pm``, ``ir``,
          ``sw``), missing when too few indicators were answered;
        - one 0-100 score per centre item (``qol``, ``self_worth``), missing when not rated;
        - ``index``: the mean of the domain scores;
        - ``<key>_band`` for each of these and ``index_band``: ordered categoricals;
        - ``n_answered``: indicators answered (centre items not counted);
        - ``flag_<name>`` per flag rule: nullable booleans.

        ``DataFrame.attrs["wellbeing_framework"]`` records the framework key and version and
        the rules used.

    Raises
    ------
    ValidationError
        If any row has a problem; ``error.report`` holds the full :class:`ValidationReport`.
    ScoringError
        If the rules do not fit the framework.

    Notes
    -----
    For a domain with answered ratings :math:`x_i` (reverse-keyed items already replaced by
    :math:`\\min + \\max - x_i`) and weights :math:`w_i`,

    .. math:: \\text{score} = 100 \\cdot
       \\frac{\\sum_i w_i x_i / \\sum_i w_i - \\min}{\\max - \\min}

    the percent of maximum possible (POMP) metric of Cohen et al. (1999), which puts every
    domain, and any adapted scale, on the same 0-100 footing.

    References
    ----------
    .. [1] Cohen, P., Cohen, J., Aiken, L. S., & West, S. G. (1999). The problem of units and
       the circumstance for POMP. *Multivariate Behavioral Research*, 34(3), 315-346.

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> ratings = pd.DataFrame({
    ...     "person_id": ["p1"],
    ...     **{k: [4] for k in fw.indicator_keys}, "sw5": [1], "qol": [3]})
    >>> scores = wf.score(ratings, fw)
    >>> scores[["person_id", "rb", "sw", "index", "qol"]]
      person_id    rb    sw  index  qol
    0        p1  75.0  60.0  71.25  50.0
    >>> scores.loc[0, "sw_band"], bool(scores.loc[0, "flag_safeguarding"])
    ('managing', True)
    """
    options = id_options(person, date, rater, dayfirst, date_format)
    engine = engine_for(data)
    if engine is not None:
        return engine.score(data, framework, rules, **options)  # type: ignore[no-any-return]
    resolved = (rules or ScoringRules()).resolve(framework)
    return score_checked(check(data, framework, **options), framework, resolved)


def score_checked(checked: Checked, framework: Framework, rules: ScoringRules) -> pd.DataFrame:
    """Score data that has been checked (internal): raise if any problem was found."""
    if checked.bad.any() or not checked.errors.empty:
        raise ValidationError(checked.report())
    values = compute(checked.ratings, checked.keys, framework, rules)
    ids = checked.ids
    added = pd.DataFrame(values, index=ids.index)
    scores = pd.concat([ids, added], axis=1)
    scores.attrs = {ATTRS_KEY: provenance(framework, rules)}
    return scores


def with_band_categories(scores: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """A scores table whose band columns are ordered categoricals, as :func:`score` makes them.

    A scores table read back from a CSV or XLSX file holds its bands as text; this restores
    their order from the rules recorded with the file (its provenance), else the default
    bands. Tables that already have categorical bands (and Dask tables) are returned as
    they are.

    Raises
    ------
    ValueError
        If a band column holds a value that is not one of the bands (the message gives the
        column and how many values, never a value).
    """
    scored = [d.key for d in framework.domains] + [c.key for c in framework.centre] + ["index"]
    columns = [f"{k}_band" for k in scored if f"{k}_band" in scores.columns]
    todo = [c for c in columns if not isinstance(scores[c].dtype, pd.CategoricalDtype)]
    if not todo or not isinstance(scores, pd.DataFrame):
        return scores
    recorded = scores.attrs.get(ATTRS_KEY, {}).get("rules", {}).get("bands")
    labels = [b["label"] for b in recorded] if recorded else [b.label for b in DEFAULT_BANDS]
    dtype = pd.CategoricalDtype(labels, ordered=True)
    out = scores.copy()
    for column in todo:
        values = out[column].astype(object).where(out[column].notna(), None)
        unknown = values.notna() & ~values.isin(labels)
        if unknown.any():
            msg = (
                f"{int(unknown.sum())} value(s) of {column!r} are not bands "
                f"(expected one of: {', '.join(labels)})"
            )
            raise ValueError(msg)
        out[column] = values.astype(dtype)
    return out


def score_with_ratings(
    data: pd.DataFrame,
    framework: Framework,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate once and return the scores and the valid ratings, wide (internal).

    For analyses that need both (reliability needs the item ratings): the ratings come back
    wide, in the order of the scores, with their dates as read.

    Raises
    ------
    ValidationError
        If any row has a problem (long data included: nothing is coerced silently).
    """
    checked = check(data, framework, **id_options(person, date, rater, dayfirst, date_format))
    resolved = ScoringRules().resolve(framework)
    scores = score_checked(checked, framework, resolved)
    valid = checked.report().valid
    ratings = to_wide(valid, framework) if checked.shape == "long" else valid
    return scores, ratings


def provenance(framework: Framework, rules: ScoringRules) -> dict[str, Any]:
    """What produced a scores table: framework key and version, and the rules (plain data)."""
    return {
        "framework": {"key": framework.key, "version": framework.version},
        "rules": converter.unstructure(rules),
    }


def score_one(
    ratings: Mapping[str, float | None],
    framework: Framework,
    rules: ScoringRules | None = None,
) -> Profile:
    """Score one person's ratings and return a :class:`Profile`.

    Parameters
    ----------
    ratings
        Rating by indicator (or centre item) key; leave a key out, or give ``None``, for an
        unanswered item.
    framework
        The framework the ratings answer.
    rules
        Scoring rules; ``None`` for the defaults.

    Returns
    -------
    Profile
        The same numbers :func:`score` gives for this row, with a plain-language summary.

    Raises
    ------
    KeyError
        If a key is not an indicator or centre item of the framework.
    ValidationError
        If a rating is not valid (off the scale, not a number ...).

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> profile = wf.score_one({k: 3 for k in fw.indicator_keys}, fw)
    >>> profile.domains["rb"], profile.index, profile.bands["index"]
    (50.0, 50.0, 'managing')
    """
    keys = {i.key for i in framework.indicators} | {c.key for c in framework.centre}
    for key in ratings:
        if key not in keys:
            framework.indicator(key)  # raises KeyError with a suggestion
    row = {k: [np.nan if v is None else v] for k, v in ratings.items()}
    frame = pd.DataFrame(row) if row else pd.DataFrame(index=[0])
    if not ratings:
        frame[framework.indicator_keys[0]] = np.nan
    resolved = (rules or ScoringRules()).resolve(framework)
    scores = score(frame, framework, resolved, person=None, date=None, rater=None)
    given = {k: None if v is None or pd.isna(v) else float(v) for k, v in ratings.items()}
    return Profile.from_row(scores.iloc[0], framework, resolved, ratings=given)
