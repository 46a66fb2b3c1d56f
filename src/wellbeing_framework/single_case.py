"""Single-system (AB) designs: one person measured repeatedly, before and during help.

A practitioner evaluating their own work measures one person several times in a baseline
phase (A) and then in an intervention phase (B). :func:`summary` gives, per person, the
phases' levels and the four non-overlap statistics the single-case literature uses, each
in a sentence:

- **NAP**, non-overlap of all pairs (Parker & Vannest 2009): of the ``nA × nB`` pairs of
  one A point and one B point, the share in which B is better, ties counting half.
  0.5 is chance; Parker & Vannest read 0.66-0.92 as a medium effect and above 0.92 as large.
- **PND**, percentage of non-overlapping data (Scruggs, Mastropieri & Casto 1987): the
  share of B points better than the best A point. It rests on one extreme baseline point.
- **Tau** (A vs B; Parker, Vannest, Davis & Sauber 2011): ``(pairs better − pairs worse) /
  (nA × nB)``, that is ``2 × NAP − 1``, from −1 to 1.
- **Tau-U** with baseline-trend correction (Parker et al. 2011, "A vs B − trend A"):
  ``(S_AB − S_A) / (nA × nB)``, where ``S_AB`` is the Tau numerator above and ``S_A`` is
  Kendall's S within the baseline (pairs of A points in time order, later better counting
  +1, later worse −1). It removes an improvement already under way before help began. With
  this, Parker et al.'s published denominator, it can leave [−1, 1] when the baseline trend
  is steep (Tarlow 2017).

All four ignore autocorrelation (repeated measures of one person are not independent, so
no p-value is given) and are unstable with short phases: with fewer than five baseline
points the summary says so (What Works Clearinghouse standards ask for at least three, and
five to meet them without reservation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

__all__ = ["nap", "pnd", "summary", "tau", "tau_u"]

Values: TypeAlias = "Sequence[float] | np.ndarray[Any, Any]"

_A = ("a", "baseline")
_B = ("b", "intervention", "treatment")
SHORT_BASELINE = 5


def _signs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sign(b_j − a_i) for every pair: +1 when B is higher."""
    signs: np.ndarray = np.sign(b[None, :] - a[:, None])
    return signs


def nap(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Non-overlap of all pairs (Parker & Vannest 2009): the share of A-B pairs in which
    B is better, ties counting one half.

    Examples
    --------
    >>> nap([1, 2, 3], [3, 4, 5])  # 8 of 9 pairs better, 1 tie
    0.9444444444444444
    """
    s = _signs(np.asarray(a, float), np.asarray(b, float)) * (1 if higher_is_better else -1)
    return float(((s > 0).sum() + 0.5 * (s == 0).sum()) / s.size)


def pnd(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Percentage of non-overlapping data (Scruggs, Mastropieri & Casto 1987): the share of
    B points (0-100) better than the best A point.

    Examples
    --------
    >>> round(pnd([1, 2, 3], [3, 4, 5]), 2)  # 4 and 5 beat the best baseline point, 3
    66.67
    """
    av, bv = np.asarray(a, float), np.asarray(b, float)
    beaten = bv > av.max() if higher_is_better else bv < av.min()
    return float(100 * beaten.mean())


def tau(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Tau for A vs B (Parker et al. 2011): (pairs better − pairs worse) / (nA × nB).

    Examples
    --------
    >>> tau([1, 2, 3], [3, 4, 5])  # 8 better, 0 worse, 1 tie, of 9
    0.8888888888888888
    """
    s = _signs(np.asarray(a, float), np.asarray(b, float)) * (1 if higher_is_better else -1)
    return float(s.sum() / s.size)


def tau_u(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Tau-U, A vs B with the baseline trend taken out (Parker et al. 2011):
    ``(S_AB − S_A) / (nA × nB)``; ``a`` in time order.

    Examples
    --------
    >>> tau_u([1, 2, 3], [3, 4, 5])  # S_AB = 8, baseline rising: S_A = 3; (8 - 3) / 9
    0.5555555555555556
    """
    av, bv = np.asarray(a, float), np.asarray(b, float)
    sign = 1 if higher_is_better else -1
    s_ab = float(_signs(av, bv).sum()) * sign
    later = np.sign(av[None, :] - av[:, None])  # [i, j]: sign(a_j − a_i)
    s_a = float(np.triu(later, k=1).sum()) * sign
    return (s_ab - s_a) / (len(av) * len(bv))


def phase_labels(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip().str.casefold()
    out = pd.Series(None, index=values.index, dtype=object)
    out[text.isin(_A).to_numpy()] = "A"
    out[text.isin(_B).to_numpy()] = "B"
    return out


def _reading(row: dict[str, Any]) -> str:
    strength = (
        "a large effect"
        if row["nap"] > 0.92
        else "a medium effect"
        if row["nap"] >= 0.66
        else "a small effect or none"
    )
    words = (
        f"Level moved {row['level_change']:+.1f} points (mean {row['mean_a']:.1f} in the "
        f"baseline, {row['mean_b']:.1f} with help). NAP {row['nap']:.2f}: in "
        f"{100 * row['nap']:.0f} % of pairs of one baseline and one intervention assessment, "
        f"the later was better ({strength} by Parker & Vannest's reading). "
        f"PND {row['pnd']:.0f} %; Tau {row['tau']:.2f}; Tau-U {row['tau_u']:.2f} once the "
        "baseline trend is taken out."
    )
    if row.get("baseline_trend", 0.0) >= 0.4:
        words += (
            f" The baseline was already improving (Kendall's tau within it "
            f"{row['baseline_trend']:.2f}): Tau-U takes that trend out, so trust it over Tau."
        )
    if row["n_a"] < SHORT_BASELINE:
        words += (
            f" With {row['n_a']} baseline points these figures are fragile: aim for at "
            f"least {SHORT_BASELINE}."
        )
    return words


def _one(a: np.ndarray, b: np.ndarray, higher: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "n_a": len(a),
        "n_b": len(b),
        "mean_a": float(a.mean()),
        "mean_b": float(b.mean()),
        "median_a": float(np.median(a)),
        "median_b": float(np.median(b)),
        "level_change": float(b.mean() - a.mean()),
        "nap": nap(a, b, higher_is_better=higher),
        "pnd": pnd(a, b, higher_is_better=higher),
        "tau": tau(a, b, higher_is_better=higher),
        "tau_u": tau_u(a, b, higher_is_better=higher),
    }
    pairs = len(a) * (len(a) - 1) / 2
    trend = (row["tau"] - row["tau_u"]) * len(a) * len(b) / pairs if pairs else 0.0
    row["baseline_trend"] = trend  # Kendall's tau within the baseline, better = +
    row["reading"] = _reading(row)
    del row["baseline_trend"]
    return row


def in_time_order(data: pd.DataFrame, time: str | None) -> pd.DataFrame:
    if time is None:
        time = next((c for c in ("assessment_date", "wave") if c in data.columns), None)
    if time is None:
        return data  # the rows' own order
    if time not in data.columns:
        raise ValueError(f"no column {time!r} to put the assessments in time order")
    return data.sort_values(time, kind="stable")


def summary(
    scores: pd.DataFrame,
    measure: str = "index",
    phase: str = "phase",
    *,
    person: str = "person_id",
    time: str | None = None,
    higher_is_better: bool = True,
) -> pd.DataFrame:
    """Per person, the AB design's phases compared: levels and non-overlap, in words.

    Parameters
    ----------
    scores
        A scores table (or any table) with one row per assessment.
    measure
        The column compared (a score: higher is better unless ``higher_is_better=False``).
    phase
        The column naming each assessment's phase: ``"A"`` or ``"baseline"``, ``"B"`` or
        ``"intervention"`` (any case). Rows in neither phase, or with no score, are left
        out and counted in ``n_left_out``.
    person
        The column identifying the person; one row of the result per person.
    time
        The column giving time order (default ``assessment_date``, else ``wave``, else
        the rows' order); the baseline trend of Tau-U needs it.
    higher_is_better
        False when a lower value of ``measure`` is better.

    Returns
    -------
    pandas.DataFrame
        Indexed by person: ``n_a``, ``n_b``, ``mean_a``, ``mean_b``, ``median_a``,
        ``median_b``, ``level_change``, ``nap``, ``pnd`` (0-100), ``tau``, ``tau_u``,
        ``n_left_out`` and ``reading``, a sentence that interprets them and names their
        limits. A person without both phases has blank statistics and a reading that
        says which phase is missing.

    Raises
    ------
    ValueError
        If ``measure``, ``phase`` or ``person`` is not a column, or no row is in phase A
        or B.

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> data = pd.DataFrame({"person_id": "p1", "wave": range(1, 9),
    ...                      "phase": ["A"] * 3 + ["B"] * 5,
    ...                      "index": [40, 45, 50, 55, 60, 50, 65, 70]})
    >>> row = wf.single_case.summary(data).loc["p1"]
    >>> # 14 of 15 pairs better, one tie (50, 50); the baseline rises: S_A = 3
    >>> [round(float(row[k]), 4) for k in ("nap", "pnd", "tau", "tau_u")]
    [0.9667, 80.0, 0.9333, 0.7333]
    >>> print(row["reading"][:78])
    Level moved +15.0 points (mean 45.0 in the baseline, 60.0 with help). NAP 0.97
    """
    missing = [c for c in (measure, phase, person) if c not in scores.columns]
    if missing:
        raise ValueError(f"no column {', '.join(map(repr, missing))} in the table")
    data = in_time_order(scores, time)
    labels = phase_labels(data[phase])
    if not labels.notna().any():
        raise ValueError(f"no row of {phase!r} is in phase A (baseline) or B (intervention)")
    values = pd.to_numeric(data[measure], errors="coerce")
    usable = labels.notna() & values.notna()
    rows = {}
    for who, part in data.groupby(person, sort=True):
        keep = usable.loc[part.index]
        a = values.loc[part.index][keep & (labels.loc[part.index] == "A")].to_numpy(float)
        b = values.loc[part.index][keep & (labels.loc[part.index] == "B")].to_numpy(float)
        if len(a) and len(b):
            row = _one(a, b, higher_is_better)
        else:
            lacking = "baseline (A)" if not len(a) else "intervention (B)"
            row = {
                "n_a": len(a),
                "n_b": len(b),
                "reading": f"No {lacking} assessments: the phases cannot be compared.",
            }
        row["n_left_out"] = int((~keep).sum())
        rows[who] = row
    columns = [
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "median_a",
        "median_b",
        "level_change",
        "nap",
        "pnd",
        "tau",
        "tau_u",
        "n_left_out",
        "reading",
    ]
    out = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=columns)
    out.index.name = person
    return out
