"""The empower-protect practice continuum: an explainable placement of each case.

The leaflet describes a continuum of practice approaches and says social workers "may adopt
elements of each approach in their day to day practice, reflecting their dual role of
empowering and promoting the rights and self-determination of those they work with alongside
their responsibility to protect those at risk of harm or of harming others".

:func:`place_on_continuum` is **decision support for reflection, supervision and teaching,
never a decision**. Professional judgement, the person's own view and their rights come
first. The placement only summarises what the scores say, in words that can be read back to
the person.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any, overload

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.continuum_rules import ContinuumRules
from wellbeing_framework.engines import engine_for
from wellbeing_framework.exceptions import ScoringError
from wellbeing_framework.framework import Approach, Framework
from wellbeing_framework.profile import Profile
from wellbeing_framework.scoring import ATTRS_KEY

__all__ = ["ContinuumRules", "Placement", "place_on_continuum"]

_CASE_PHRASES = {"risk_to_others": "a risk to others", "statutory_order": "a statutory order"}

DISCLAIMER = (
    "Decision support for reflection, not a decision: professional judgement, the person's "
    "own view and their rights come first."
)


@frozen(kw_only=True, eq=False)
class Placement:
    """One case's place on the continuum (what :func:`place_on_continuum` gives a Profile).

    Attributes
    ----------
    position : float or None
        0 (empowering) to 1 (protecting); ``None`` when not placed.
    approach : str or None
        Key of the nearest approach; ``None`` when not placed.
    weights : dict
        The blend over every approach (sums to 1), empty when not placed.
    reasons : str
        Plain language a practitioner can read back to the person.
    """

    position: float | None
    approach: str | None
    weights: dict[str, float]
    reasons: str

    def _repr_html_(self) -> str:
        bars = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{w:.2f}</td></tr>" for k, w in self.weights.items()
        )
        where = "not placed" if self.position is None else f"{self.position:.2f}"
        return (
            f"<div><p><strong>{html.escape(self.approach or 'not placed')}</strong> "
            f"(position {where})</p><table><tbody>{bars}</tbody></table>"
            f"<p>{html.escape(self.reasons)}</p></div>"
        )


@overload
def place_on_continuum(
    scores: pd.DataFrame, framework: Framework, rules: ContinuumRules | None = None
) -> pd.DataFrame: ...


@overload
def place_on_continuum(
    scores: Profile, framework: Framework, rules: ContinuumRules | None = None
) -> Placement: ...


def place_on_continuum(
    scores: pd.DataFrame | Profile, framework: Framework, rules: ContinuumRules | None = None
) -> pd.DataFrame | Placement:
    """Place each case on the empower-protect continuum, with reasons.

    Decision support for reflection, supervision and teaching, **never a decision**:
    professional judgement, the person's own view and their rights come first.

    Parameters
    ----------
    scores
        A scores table from :func:`score` (optionally with case columns such as
        ``risk_to_others`` and ``statutory_order``), or one :class:`Profile`.
    framework
        The framework scored against; its continuum gives the approaches.
    rules
        Placement rules; ``None`` for :class:`ContinuumRules` defaults.

    Returns
    -------
    pandas.DataFrame or Placement
        For a table: a copy with ``continuum_position`` (0 empowering to 1 protecting),
        ``approach`` (ordered categorical of approach keys), one ``weight_<approach>``
        column per approach (summing to 1) and ``reasons``. A case whose required domains
        are not scored is not placed: position, approach and weights are missing and the
        reasons say why. For a Profile: a :class:`Placement`.

    Raises
    ------
    ScoringError
        If the framework has no continuum or the rules do not fit it.

    Notes
    -----
    See :class:`ContinuumRules` for the formula. Invariants: a lower score in any domain never
    moves a case toward the empowering end; a raised flag or a true case column always puts
    the case at least at its floor; a person with every domain at 75 or more and no flag sits
    in the empowering half.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> profile = wf.score_one({k: 4 for k in fw.indicator_keys} | {"sw5": 1}, fw)
    >>> placement = wf.place_on_continuum(profile, fw)
    >>> placement.approach, placement.position
    ('safeguarding', 0.75)
    >>> print(placement.reasons.splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
    Placed at least at Safeguarding: the safeguarding flag is raised
    ('Are safe from harm, abuse and exploitation' rated 1 (not at all)).
    """
    resolved = (rules or ContinuumRules()).resolve(framework)
    engine = engine_for(scores)
    if engine is not None:
        return engine.place(scores, framework, resolved)  # type: ignore[no-any-return]
    if isinstance(scores, Profile):
        return _place_profile(scores, framework, resolved)
    return _place_table(scores, framework, resolved)


def _place_profile(profile: Profile, framework: Framework, rules: ContinuumRules) -> Placement:
    row: dict[str, Any] = {k: (np.nan if v is None else v) for k, v in profile.domains.items()}
    row |= {f"{k}_band": v for k, v in profile.bands.items()}
    row |= {f"flag_{k}": (pd.NA if v is None else v) for k, v in profile.flags.items()}
    table = pd.DataFrame([row])
    table = table.astype({f"flag_{k}": "boolean" for k in profile.flags})
    flag_text = {f.name: profile.flag_reason(f) for f in profile.rules.flags or ()}
    placed = _place_table(table, framework, rules, flag_text=flag_text)
    first = placed.iloc[0]
    approaches = [a.key for a in framework.continuum.approaches]  # type: ignore[union-attr]
    position = first["continuum_position"]
    if pd.isna(position):
        return Placement(position=None, approach=None, weights={}, reasons=first["reasons"])
    return Placement(
        position=float(position),
        approach=str(first["approach"]),
        weights={k: float(first[f"weight_{k}"]) for k in approaches},
        reasons=str(first["reasons"]),
    )


def _place_table(
    scores: pd.DataFrame,
    framework: Framework,
    rules: ContinuumRules,
    flag_text: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    continuum = framework.continuum
    if continuum is None:
        msg = f"framework {framework.key!r} has no practice continuum to place cases on"
        raise ScoringError(msg)
    approaches = list(continuum.approaches)
    centres = np.linspace(0.0, 1.0, len(approaches))
    domains = [d.key for d in framework.domains]
    values = _domain_values(scores, domains)
    need = 1.0 - values / 100.0
    scored = ~np.isnan(need)
    empower = _empowering_part(need, scored, domains, rules)
    protect = _protecting_part(need, domains, rules)
    floor, floor_reason = _floors(scores, rules, approaches, centres, flag_text)
    final = np.fmax(np.fmax(empower, protect), floor)
    placeable = _placeable(scored, domains, rules)
    final = np.where(placeable, np.clip(final, 0.0, 1.0), np.nan)
    nearest, blend = _nearest_and_blend(final, centres, rules.spread)

    out = _with_placement(scores, final, placeable, nearest, blend, [a.key for a in approaches])
    titles = {d.key: d.title for d in framework.domains}
    out["reasons"] = [
        _reasons(
            i,
            placeable=bool(placeable[i]),
            values=values[i],
            domains=domains,
            titles=titles,
            bands=scores,
            position=final[i],
            empower=empower[i],
            protect=protect[i],
            floors=floor_reason[i],
            floor=floor[i],
            nearest=int(nearest[i]),
            blend=blend[i],
            approaches=[a.title for a in approaches],
            rules=rules,
        )
        for i in range(len(scores))
    ]
    return out


def _domain_values(scores: pd.DataFrame, domains: list[str]) -> np.ndarray:
    """The domain scores (0 to 100, NaN when not scored), one column per domain."""
    missing = [d for d in domains if d not in scores.columns]
    if missing:
        msg = f"the scores table has no column for domain(s) {', '.join(missing)}"
        raise ScoringError(msg)
    return np.column_stack([scores[d].to_numpy(dtype=float, na_value=np.nan) for d in domains])


def _empowering_part(
    need: np.ndarray, scored: np.ndarray, domains: list[str], rules: ContinuumRules
) -> np.ndarray:
    """The empowering part of the position: the reach times the weighted mean need."""
    weights = rules.domain_weights or {}
    w = np.array([weights[d] for d in domains], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_need = (np.where(scored, need, 0.0) @ w) / (scored @ w)
    empower: np.ndarray = rules.empowering_reach * mean_need
    return empower


def _protecting_part(need: np.ndarray, domains: list[str], rules: ContinuumRules) -> np.ndarray:
    """The protecting part of the position: the reach times the protecting domain's need."""
    if rules.protecting_domain is None:
        return np.zeros(len(need))
    p = need[:, domains.index(rules.protecting_domain)]
    return np.where(np.isnan(p), 0.0, rules.protecting_reach * p)


def _floors(
    scores: pd.DataFrame,
    rules: ContinuumRules,
    approaches: list[Approach],
    centres: np.ndarray,
    flag_text: Mapping[str, str] | None,
) -> tuple[np.ndarray, list[list[str]]]:
    """The floor each case is held at by raised flags and recorded case columns, with why."""
    keys = [a.key for a in approaches]
    floor = np.zeros(len(scores))
    floor_reason: list[list[str]] = [[] for _ in range(len(scores))]
    for hit, key, why in chain(
        _flag_floor_hits(scores, rules, flag_text), _case_floor_hits(scores, rules)
    ):
        j = keys.index(key)
        for i in np.flatnonzero(hit):
            floor_reason[i].append(f"Placed at least at {approaches[j].title}: {why}.")
        floor = np.where(hit, np.fmax(floor, centres[j]), floor)
    return floor, floor_reason


def _flag_floor_hits(
    scores: pd.DataFrame, rules: ContinuumRules, flag_text: Mapping[str, str] | None
) -> Iterator[tuple[np.ndarray, str, str]]:
    """For each flag with a floor: the cases that raise it, the approach, and why."""
    for name, key in (rules.flag_floors or {}).items():
        column = f"flag_{name}"
        if column not in scores.columns:
            continue
        raised = scores[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
        detail = (flag_text or {}).get(name) or _flag_description(scores, name)
        yield raised, key, f"the {name} flag is raised" + (f" ({detail})" if detail else "")


def _case_floor_hits(
    scores: pd.DataFrame, rules: ContinuumRules
) -> Iterator[tuple[np.ndarray, str, str]]:
    """For each case column with a floor: the cases that record it, the approach, and why."""
    for column, key in (rules.case_floors or {}).items():
        if column not in scores.columns:
            continue
        yield _truthy(scores[column]), key, f"{_CASE_PHRASES.get(column, column)} is recorded"


def _placeable(scored: np.ndarray, domains: list[str], rules: ContinuumRules) -> np.ndarray:
    """True for the cases whose required domains are all scored."""
    required = [domains.index(d) for d in rules.required or ()]
    if not required:
        return np.ones(len(scored), dtype=bool)
    return np.asarray(scored[:, required].all(axis=1))


def _nearest_and_blend(
    final: np.ndarray, centres: np.ndarray, spread: float
) -> tuple[np.ndarray, np.ndarray]:
    """The nearest approach of each case and its blend over every approach (rows sum to 1)."""
    distance = np.abs(final[:, None] - centres[None, :])
    # nearest approach; a tie goes to the more protective one
    nearest = len(centres) - 1 - np.argmin(distance[:, ::-1], axis=1)
    kernel = np.exp(-0.5 * (distance / spread) ** 2)
    blend = kernel / kernel.sum(axis=1, keepdims=True)
    return nearest, blend


def _with_placement(
    scores: pd.DataFrame,
    final: np.ndarray,
    placeable: np.ndarray,
    nearest: np.ndarray,
    blend: np.ndarray,
    keys: list[str],
) -> pd.DataFrame:
    """A copy of the scores with the position, the approach and one weight column each."""
    out = scores.copy()
    out["continuum_position"] = final
    codes = np.where(placeable, nearest, -1)
    out["approach"] = pd.Categorical.from_codes(
        codes, dtype=pd.CategoricalDtype(keys, ordered=True)
    )
    for j, key in enumerate(keys):
        out[f"weight_{key}"] = np.where(placeable, blend[:, j], np.nan)
    return out


def _truthy(values: pd.Series) -> np.ndarray:
    """True for True, 1, "yes", "true", "y" (any case); False for missing and the rest."""
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return np.asarray(values.fillna(0).astype(float).to_numpy() != 0, dtype=bool)
    text = values.astype(object).map(lambda v: str(v).strip().lower() if pd.notna(v) else "")
    return np.asarray(text.isin(["true", "yes", "y", "1"]).to_numpy(), dtype=bool)


def _flag_description(scores: pd.DataFrame, name: str) -> str | None:
    rules = scores.attrs.get(ATTRS_KEY, {}).get("rules", {})
    for flag in rules.get("flags") or ():
        if flag.get("name") == name:
            description = flag.get("description")
            return str(description) if description else None
    return None


def _band(scores: pd.DataFrame, i: int, key: str) -> str | None:
    column = f"{key}_band"
    if column not in scores.columns:
        return None
    value = scores[column].iloc[i]
    return None if pd.isna(value) else str(value)


def _reasons(
    i: int,
    *,
    placeable: bool,
    values: np.ndarray,
    domains: list[str],
    titles: Mapping[str, str],
    bands: pd.DataFrame,
    position: float,
    empower: float,
    protect: float,
    floors: list[str],
    floor: float,
    nearest: int,
    blend: np.ndarray,
    approaches: list[str],
    rules: ContinuumRules,
) -> str:
    def describe(j: int) -> str:
        band = _band(bands, i, domains[j])
        return f"{titles[domains[j]]} scored {values[j]:.0f}/100" + (f" ({band})" if band else "")

    if not placeable:
        unscored = [titles[d] for d in rules.required or () if np.isnan(values[domains.index(d)])]
        return (
            f"Not placed: {' and '.join(unscored)} could not be scored (too few of its "
            "indicators answered), and placing a case needs it. Too little information is "
            "not a guess; more can be gathered with the person. " + DISCLAIMER
        )
    lines = list(floors)
    scored = [j for j in range(len(domains)) if not np.isnan(values[j])]
    lowest = min(scored, key=lambda j: values[j]) if scored else None
    if not floors or floor < position:
        if rules.protecting_domain is not None and protect >= empower:
            j = domains.index(rules.protecting_domain)
            note = ", the lowest domain" if lowest == j else ""
            lines.append(f"Placed by {describe(j)}{note}.")
        elif lowest is not None:
            lines.append(
                f"Placed by the scores across the domains; the lowest is {describe(lowest)}."
            )
    elif lowest is not None:
        lines.append(f"The lowest domain is {describe(lowest)}.")
    others = [approaches[j] for j in np.argsort(-blend) if j != nearest and blend[j] >= 0.1]
    elements = f", with elements of {' and '.join(others)}" if others else ""
    lines.append(
        f"Position {position:.2f} from empowering (0) to protecting (1): nearest approach "
        f"{approaches[nearest]}{elements}."
    )
    lines.append(DISCLAIMER)
    return "\n".join(lines)
