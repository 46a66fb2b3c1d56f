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

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd
from attrs import field, frozen

from wellbeing_framework.exceptions import ScoringError, ValidationError
from wellbeing_framework.framework import Framework
from wellbeing_framework.validation import Checked, check

__all__ = [
    "DEFAULT_BANDS",
    "Band",
    "FlagRule",
    "Profile",
    "ScoringRules",
    "default_rules",
    "score",
    "score_one",
]

ATTRS_KEY = "wellbeing_framework"


@frozen(kw_only=True)
class Band:
    """A labelled interval of the 0-100 score: ``lower <= score < upper``.

    The highest band also includes its upper bound (a score of 100).
    """

    label: str
    lower: float
    upper: float


def _bands(value: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(value)


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen(kw_only=True)
class FlagRule:
    """A flag raised when any of its indicators is rated at or below a threshold.

    Parameters
    ----------
    name
        Short identifier; the scores table gets a column ``flag_<name>``.
    indicators
        Indicator keys; the rule looks at the ratings as given (before reverse keying).
    at_most
        The threshold rating; ``None`` means the scale minimum.
    description
        Plain-language account of the rule.

    Notes
    -----
    The flag is ``True`` when any of the indicators is rated at or below the threshold,
    ``False`` when all of them are rated above it, and missing (``<NA>``) otherwise: an
    unanswered safety question is not evidence of safety.
    """

    name: str
    indicators: tuple[str, ...] = field(converter=_strs)
    at_most: int | None = None
    description: str | None = None


def _flags(value: Iterable[FlagRule] | None) -> tuple[FlagRule, ...] | None:
    return None if value is None else tuple(value)


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(label="high need", lower=0, upper=25),
    Band(label="some need", lower=25, upper=50),
    Band(label="managing", lower=50, upper=75),
    Band(label="thriving", lower=75, upper=100),
)

SAFEGUARDING = FlagRule(
    name="safeguarding",
    indicators=("sw5", "sw3"),
    description=(
        "'Are safe from harm, abuse and exploitation' or 'Feel safe in their own home and "
        "community' rated at the scale minimum"
    ),
)


@frozen(kw_only=True)
class ScoringRules:
    """Every scoring choice, in one serialisable object.

    Parameters
    ----------
    reverse_keying
        Score reverse-keyed indicators as ``min + max - rating``.
    use_weights
        Use indicator weights in the domain mean (otherwise every indicator counts once).
    min_answered
        The share of a domain's indicators that must be answered, rounded up, for the domain
        to be scored (default one half: 2 of 4, 3 of 5).
    index_weights
        Weight of each domain in the index, by domain key; ``None`` for equal weights.
    index_requires_all
        The index is missing unless every domain is scored (default). If False, the index is
        the weighted mean of the scored domains.
    bands
        Labelled intervals covering 0-100 without gaps or overlaps, lowest first.
    flags
        Flag rules; ``None`` means the framework's default (for the bundled framework and its
        adaptations: the safeguarding flag). Give ``()`` for no flags.

    Raises
    ------
    ScoringError
        If the rules are inconsistent (gapped or overlapping bands, a share outside (0, 1],
        a non-positive weight, two flags with one name), listing every fault.

    Examples
    --------
    >>> rules = ScoringRules(min_answered=0.75)
    >>> rules.bands[0]
    Band(label='high need', lower=0, upper=25)
    >>> ScoringRules(bands=[Band(label="low", lower=0, upper=40),
    ...                     Band(label="high", lower=50, upper=100)])
    Traceback (most recent call last):
    ...
    wellbeing_framework.exceptions.ScoringError: invalid scoring rules: band 'high' starts ...
    """

    reverse_keying: bool = True
    use_weights: bool = True
    min_answered: float = 0.5
    index_weights: dict[str, float] | None = None
    index_requires_all: bool = True
    bands: tuple[Band, ...] = field(default=DEFAULT_BANDS, converter=_bands)
    flags: tuple[FlagRule, ...] | None = field(default=None, converter=_flags)

    def __attrs_post_init__(self) -> None:
        problems = self._own_problems()
        if problems:
            raise ScoringError(problems)

    def _own_problems(self) -> list[str]:
        problems: list[str] = []
        if not 0 < self.min_answered <= 1:
            problems.append(f"min_answered must be in (0, 1], got {self.min_answered}")
        if not self.bands:
            problems.append("at least one band is needed")
        else:
            if self.bands[0].lower != 0:
                problems.append(f"the first band must start at 0, not {self.bands[0].lower}")
            if self.bands[-1].upper != 100:
                problems.append(f"the last band must end at 100, not {self.bands[-1].upper}")
            for before, band in zip(self.bands, self.bands[1:], strict=False):
                if band.lower != before.upper:
                    problems.append(
                        f"band {band.label!r} starts at {band.lower:g} but the band before it "
                        f"ends at {before.upper:g} (bands must meet without gaps or overlaps)"
                    )
            problems.extend(
                f"band {b.label!r} is empty or reversed ({b.lower:g} to {b.upper:g})"
                for b in self.bands
                if b.upper <= b.lower
            )
            labels = [b.label for b in self.bands]
            if len(set(labels)) != len(labels):
                problems.append("band labels must be unique")
        if self.index_weights is not None:
            problems.extend(
                f"index weight of {k!r} must be positive, got {w}"
                for k, w in self.index_weights.items()
                if not w > 0
            )
        if self.flags is not None:
            names = [f.name for f in self.flags]
            problems.extend(
                f"flag name {n!r} is used more than once"
                for n in sorted(set(names))
                if names.count(n) > 1
            )
            problems.extend(
                f"flag name {n!r} must be an identifier (letters, digits, underscores)"
                for n in names
                if not n.isidentifier()
            )
            problems.extend(
                f"flag {f.name!r} names no indicator" for f in self.flags if not f.indicators
            )
        return problems

    def resolve(self, framework: Framework) -> ScoringRules:
        """Return these rules made concrete for ``framework``, after checking them against it.

        Fills in the default flags and checks that every domain and indicator the rules name
        exists in the framework.

        Raises
        ------
        ScoringError
            If the rules name an unknown domain or indicator, or a threshold off the scale.
        """
        flags = self.flags if self.flags is not None else _default_flags(framework)
        problems: list[str] = []
        domains = {d.key for d in framework.domains}
        if self.index_weights is not None:
            problems.extend(
                f"index weight for unknown domain {k!r} (domains: {', '.join(sorted(domains))})"
                for k in self.index_weights
                if k not in domains
            )
            problems.extend(
                f"index weight missing for domain {k!r}"
                for k in sorted(domains)
                if k not in self.index_weights
            )
        keys = set(framework.indicator_keys)
        for flag in flags:
            problems.extend(
                f"flag {flag.name!r} names unknown indicator {k!r}"
                for k in flag.indicators
                if k not in keys
            )
            if flag.at_most is not None and not (
                framework.scale.min <= flag.at_most <= framework.scale.max
            ):
                problems.append(
                    f"flag {flag.name!r} threshold {flag.at_most} is off the scale "
                    f"{framework.scale.min}-{framework.scale.max}"
                )
        if problems:
            raise ScoringError(problems)
        return attrs.evolve(self, flags=flags)

    @property
    def band_labels(self) -> tuple[str, ...]:
        """Band labels, lowest first."""
        return tuple(b.label for b in self.bands)


def _default_flags(framework: Framework) -> tuple[FlagRule, ...]:
    keys = set(framework.indicator_keys)
    if set(SAFEGUARDING.indicators) <= keys:
        return (SAFEGUARDING,)
    return ()


def default_rules(framework: Framework) -> ScoringRules:
    """Return the default rules made concrete for ``framework``.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> [f.name for f in wf.default_rules(wf.load_framework()).flags]
    ['safeguarding']
    """
    return ScoringRules().resolve(framework)


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


def _columns(positions: list[int]) -> slice | list[int]:
    """A slice when the positions are consecutive (a view, not a copy), else the list."""
    if positions and positions == list(range(positions[0], positions[-1] + 1)):
        return slice(positions[0], positions[-1] + 1)
    return positions


def band_codes(values: np.ndarray, bands: tuple[Band, ...]) -> np.ndarray:
    """Code of each value's band (``lower <= value < upper``; the top band includes 100).

    Missing values get -1.

    Examples
    --------
    >>> band_codes(np.array([0, 24.9, 25, 99, 100, np.nan]), DEFAULT_BANDS).tolist()
    [0, 0, 1, 3, 3, -1]
    """
    codes = np.zeros(len(values), dtype=np.int8)
    for band in bands[1:]:
        codes += values >= band.lower
    codes[np.isnan(values)] = -1
    return codes


def compute(
    ratings: np.ndarray, keys: tuple[str, ...], framework: Framework, rules: ScoringRules
) -> dict[str, Any]:
    """Apply resolved rules to a matrix of ratings (rows: assessments; columns: ``keys``).

    Returns a mapping of output column to array (internal; :func:`score` builds the table).
    """
    lo, hi = framework.scale.min, framework.scale.max
    span = float(hi - lo)
    position = {k: j for j, k in enumerate(keys)}
    n = ratings.shape[0]
    answered = ~np.isnan(ratings)
    adjusted = ratings
    reverse = [position[i.key] for i in framework.indicators if i.reverse]
    if rules.reverse_keying and reverse:
        adjusted = ratings.copy()
        adjusted[:, reverse] = lo + hi - adjusted[:, reverse]
    out: dict[str, Any] = {}
    domain_scores = []
    for domain in framework.domains:
        # One domain at a time keeps the temporaries small; the sums are matrix-vector
        # products (BLAS), far faster than reductions along a short axis.
        cols = _columns([position[i.key] for i in domain.indicators])
        weights = np.array(
            [i.weight if rules.use_weights else 1.0 for i in domain.indicators], dtype=float
        )
        mask = answered[:, cols]
        present = mask.astype(np.float32)  # 0/1: exact in float32, half the memory
        total = np.where(mask, adjusted[:, cols], 0.0) @ weights
        count = present @ np.ones(len(weights), dtype=np.float32)
        weight = count if (weights == 1.0).all() else mask.astype(np.float64) @ weights
        need = math.ceil(rules.min_answered * len(domain.indicators) - 1e-9)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (total / weight - lo) * (100.0 / span)
        value[count < need] = np.nan
        out[domain.key] = value
        domain_scores.append(value)
    for item in framework.centre:
        out[item.key] = (ratings[:, position[item.key]] - lo) * (100.0 / span)

    stack = np.column_stack(domain_scores) if domain_scores else np.empty((n, 0))
    if rules.index_weights is None:
        dw = np.ones(stack.shape[1])
    else:
        dw = np.array([rules.index_weights[d.key] for d in framework.domains], dtype=float)
    have = ~np.isnan(stack)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = (np.where(have, stack, 0.0) @ dw) / (have @ dw)
    if rules.index_requires_all:
        index[~have.all(axis=1)] = np.nan
    out["index"] = index

    band_type = pd.CategoricalDtype(list(rules.band_labels), ordered=True)
    for key in [*[d.key for d in framework.domains], *[c.key for c in framework.centre], "index"]:
        out[f"{key}_band"] = pd.Categorical.from_codes(
            band_codes(out[key], rules.bands), dtype=band_type
        )

    indicator_cols = _columns([position[k] for k in framework.indicator_keys])
    n_items = len(framework.indicator_keys)
    counted = answered[:, indicator_cols].astype(np.float32) @ np.ones(n_items, dtype=np.float32)
    out["n_answered"] = counted.astype(np.int64)

    for flag in rules.flags or ():
        threshold = lo if flag.at_most is None else flag.at_most
        cols = [position[k] for k in flag.indicators]
        block = ratings[:, cols]
        hit: np.ndarray = np.asarray((block <= threshold).any(axis=1), dtype=bool)
        clear = (answered[:, cols] & (block > threshold)).all(axis=1)
        values = pd.array(hit, dtype="boolean")
        values[~hit & ~clear] = pd.NA
        out[f"flag_{flag.name}"] = values
    return out


def score(
    data: pd.DataFrame,
    framework: Framework,
    rules: ScoringRules | None = None,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
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

    Returns
    -------
    pandas.DataFrame
        One row per assessment, in input order (wide input keeps its index). Columns: every
        non-rating column of the input (ids and pass-through), then

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
    from wellbeing_framework.dask_engine import is_dask, score_dask

    if is_dask(data):
        return score_dask(data, framework, rules, person=person, date=date, rater=rater)  # type: ignore[no-any-return]
    resolved = (rules or ScoringRules()).resolve(framework)
    checked = check(data, framework, person=person, date=date, rater=rater)
    return score_checked(checked, framework, resolved)


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


def provenance(framework: Framework, rules: ScoringRules) -> dict[str, Any]:
    """What produced a scores table: framework key and version, and the rules (plain data)."""
    from wellbeing_framework.io import converter  # io imports this module

    return {
        "framework": {"key": framework.key, "version": framework.version},
        "rules": converter.unstructure(rules),
    }


@frozen(kw_only=True, eq=False)
class Profile:
    """One person's scored assessment: the numbers :func:`score` gives, for one row.

    Attributes
    ----------
    framework : Framework
    ratings : dict
        The ratings as given, by key (``None`` when unanswered).
    domains : dict
        0-100 score per domain key (``None`` when not scored).
    centre : dict
        0-100 score per centre item key.
    index : float or None
    bands : dict
        Band label per domain, centre item and ``"index"``.
    flags : dict
        Flag value per flag name (``None`` when it cannot be decided).
    n_answered : int
    rules : ScoringRules
        The resolved rules used.
    """

    framework: Framework
    ratings: dict[str, float | None]
    domains: dict[str, float | None]
    centre: dict[str, float | None]
    index: float | None
    bands: dict[str, str | None]
    flags: dict[str, bool | None]
    n_answered: int
    rules: ScoringRules

    @classmethod
    def from_row(
        cls,
        row: pd.Series,
        framework: Framework,
        rules: ScoringRules | None = None,
        ratings: Mapping[str, float | None] | None = None,
    ) -> Profile:
        """Build a profile from one row of a scores table."""
        resolved = (rules or ScoringRules()).resolve(framework)

        def num(key: str) -> float | None:
            value = row.get(key)
            return None if value is None or pd.isna(value) else float(value)

        scored = [d.key for d in framework.domains] + [c.key for c in framework.centre]
        return cls(
            framework=framework,
            ratings=dict(ratings or {}),
            domains={d.key: num(d.key) for d in framework.domains},
            centre={c.key: num(c.key) for c in framework.centre},
            index=num("index"),
            bands={
                k: None if pd.isna(row.get(f"{k}_band")) else str(row.get(f"{k}_band"))
                for k in [*scored, "index"]
            },
            flags={
                f.name: None
                if pd.isna(row.get(f"flag_{f.name}"))
                else bool(row.get(f"flag_{f.name}"))
                for f in resolved.flags or ()
            },
            n_answered=int(row.get("n_answered", 0)),
            rules=resolved,
        )

    def summary(self) -> str:
        """Return a plain-language summary: strongest and weakest domain, index, flags.

        Examples
        --------
        >>> import wellbeing_framework as wf
        >>> fw = wf.load_framework()
        >>> ratings = {k: 4 for k in fw.indicator_keys} | {"sw5": 1, "pm1": 5, "pm2": 5}
        >>> print(wf.score_one(ratings, fw).summary())
        Strongest domain: Purpose and Meaning (85/100, thriving).
        Weakest domain: Safe and Well (60/100, managing).
        Index: 74/100 (managing).
        Flag safeguarding: 'Are safe from harm, abuse and exploitation' rated 1 (not at all).
        """
        fw = self.framework
        lines = []
        scored = {k: v for k, v in self.domains.items() if v is not None}
        if scored:
            best = max(scored, key=lambda k: scored[k])
            worst = min(scored, key=lambda k: scored[k])
            lines.append(f"Strongest domain: {self._describe(best)}.")
            if worst != best:
                lines.append(f"Weakest domain: {self._describe(worst)}.")
        for key, value in self.domains.items():
            if value is None:
                lines.append(
                    f"{fw.domain(key).title} not scored: fewer than "
                    f"{self._needed(key)} of its indicators answered."
                )
        if self.index is not None:
            lines.append(f"Index: {self.index:.0f}/100 ({self.bands['index']}).")
        else:
            lines.append("Index: not scored (every domain needs a score).")
        for item in fw.centre:
            value = self.centre.get(item.key)
            if value is not None:
                lines.append(f"{item.title}: {value:.0f}/100 ({self.bands[item.key]}).")
        for flag in self.rules.flags or ():
            state = self.flags.get(flag.name)
            if state:
                lines.append(f"Flag {flag.name}: {self.flag_reason(flag)}.")
            elif state is None:
                lines.append(f"Flag {flag.name}: cannot be decided (not answered).")
        return "\n".join(lines)

    def _needed(self, key: str) -> int:
        k = len(self.framework.domain(key).indicators)
        return math.ceil(self.rules.min_answered * k - 1e-9)

    def _describe(self, key: str) -> str:
        value = self.domains[key]
        title = self.framework.domain(key).title
        return f"{title} ({value:.0f}/100, {self.bands[key]})"

    def flag_reason(self, flag: FlagRule) -> str:
        """Say which ratings raised ``flag`` (falls back to the rule's description)."""
        scale = self.framework.scale
        threshold = scale.min if flag.at_most is None else flag.at_most
        parts = []
        for key in flag.indicators:
            rating = self.ratings.get(key)
            if rating is not None and rating <= threshold:
                r = int(rating)
                label = f" ({scale.label(r)})" if scale.labels else ""
                parts.append(f"'{self.framework.indicator(key).text}' rated {r}{label}")
        return "; ".join(parts) if parts else (flag.description or "raised")

    def __repr__(self) -> str:
        scores = ", ".join(
            f"{k}={'-' if v is None else f'{v:.0f}'}" for k, v in self.domains.items()
        )
        index = "-" if self.index is None else f"{self.index:.1f}"
        raised = [k for k, v in self.flags.items() if v]
        flags = f", flags: {', '.join(raised)}" if raised else ""
        return f"Profile({scores}; index={index}{flags})"

    def _repr_html_(self) -> str:
        rows = []
        for d in self.framework.domains:
            value = self.domains[d.key]
            shown = "not scored" if value is None else f"{value:.1f}"
            rows.append(
                f"<tr><td>{html.escape(d.title)}</td><td>{shown}</td>"
                f"<td>{html.escape(self.bands[d.key] or '')}</td></tr>"
            )
        for c in self.framework.centre:
            value = self.centre[c.key]
            shown = "not rated" if value is None else f"{value:.1f}"
            rows.append(
                f"<tr><td><em>{html.escape(c.title)}</em></td><td>{shown}</td>"
                f"<td>{html.escape(self.bands[c.key] or '')}</td></tr>"
            )
        index = "not scored" if self.index is None else f"{self.index:.1f}"
        rows.append(
            f"<tr><td><strong>Index</strong></td><td>{index}</td>"
            f"<td>{html.escape(self.bands['index'] or '')}</td></tr>"
        )
        summary = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return (
            "<div><table><thead><tr><th></th><th>score (0-100)</th><th>band</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table><p>{summary}</p></div>"
        )


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
