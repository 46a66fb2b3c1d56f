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


def _values(a: Values, b: Values) -> tuple[np.ndarray, np.ndarray]:
    """Both phases as finite numbers, or a ValueError (never echoing a value)."""
    try:
        av = np.atleast_1d(np.asarray(a, dtype=float))
        bv = np.atleast_1d(np.asarray(b, dtype=float))
    except (TypeError, ValueError):
        raise ValueError("the phases must hold numbers only") from None
    if av.ndim != 1 or bv.ndim != 1 or not len(av) or not len(bv):
        raise ValueError("each phase needs at least one value, in a flat sequence")
    if not (np.isfinite(av).all() and np.isfinite(bv).all()):
        raise ValueError("the phases hold missing or infinite values: leave them out first")
    return av, bv


def _pairs(a: np.ndarray, b: np.ndarray, higher: bool) -> tuple[int, int, int]:
    """Of the nA x nB pairs: how many B is better in, worse in, and tied (by sorting, so
    long phases cost little memory)."""
    if not higher:
        a, b = -a, -b
    ordered = np.sort(a)
    below = np.searchsorted(ordered, b, side="left")  # A points under each B point
    at_most = np.searchsorted(ordered, b, side="right")
    better = int(below.sum())
    ties = int((at_most - below).sum())
    return better, len(a) * len(b) - better - ties, ties


def _kendall_s(a: np.ndarray) -> int:
    """Kendall's S within a phase in time order: later higher +1, later lower -1."""
    return int(sum(np.sign(a[i + 1 :] - a[i]).sum() for i in range(len(a) - 1)))


def nap(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Non-overlap of all pairs (Parker & Vannest 2009): the share of A-B pairs in which
    B is better, ties counting one half.

    Examples
    --------
    >>> nap([1, 2, 3], [3, 4, 5])  # 8 of 9 pairs better, 1 tie
    0.9444444444444444
    """
    av, bv = _values(a, b)
    better, _, ties = _pairs(av, bv, higher_is_better)
    return (better + 0.5 * ties) / (len(av) * len(bv))


def pnd(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Percentage of non-overlapping data (Scruggs, Mastropieri & Casto 1987): the share of
    B points (0-100) better than the best A point.

    Examples
    --------
    >>> round(pnd([1, 2, 3], [3, 4, 5]), 2)  # 4 and 5 beat the best baseline point, 3
    66.67
    """
    av, bv = _values(a, b)
    beaten = bv > av.max() if higher_is_better else bv < av.min()
    return float(100 * beaten.mean())


def tau(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Tau for A vs B (Parker et al. 2011): (pairs better − pairs worse) / (nA × nB).

    Examples
    --------
    >>> tau([1, 2, 3], [3, 4, 5])  # 8 better, 0 worse, 1 tie, of 9
    0.8888888888888888
    """
    av, bv = _values(a, b)
    better, worse, _ = _pairs(av, bv, higher_is_better)
    return (better - worse) / (len(av) * len(bv))


def tau_u(a: Values, b: Values, *, higher_is_better: bool = True) -> float:
    """Tau-U, A vs B with the baseline trend taken out (Parker et al. 2011):
    ``(S_AB − S_A) / (nA × nB)``; ``a`` in time order.

    Examples
    --------
    >>> tau_u([1, 2, 3], [3, 4, 5])  # S_AB = 8, baseline rising: S_A = 3; (8 - 3) / 9
    0.5555555555555556
    """
    av, bv = _values(a, b)
    better, worse, _ = _pairs(av, bv, higher_is_better)
    s_a = _kendall_s(av) * (1 if higher_is_better else -1)
    return (better - worse - s_a) / (len(av) * len(bv))


def phase_labels(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip().str.casefold()
    out = pd.Series(None, index=values.index, dtype=object)
    out[text.isin(_A).to_numpy()] = "A"
    out[text.isin(_B).to_numpy()] = "B"
    return out


def _verdict(nap_value: float) -> str:
    """Parker & Vannest's (2009) reading of NAP: 0.93 and above large, 0.66 to 0.92
    medium, below that weak; the same for getting worse, read from 1 - NAP."""
    if nap_value == 0.5:
        return "no difference between the phases"
    size = max(nap_value, 1 - nap_value)
    strength = "large" if size >= 0.93 else "medium" if size >= 0.66 else "weak"
    direction = "improvement" if nap_value > 0.5 else "deterioration"
    return f"a {strength} {direction}"


def _trend_words(row: dict[str, Any]) -> str:
    trend = row["baseline_trend"]
    if trend >= 0.4:
        words = (
            f" The baseline was already improving (Kendall's tau within it {trend:.2f}): "
            f"with that trend taken out, Tau-U is {row['tau_u']:.2f}"
        )
        if row["tau_u"] <= 0:
            return words + ", so nothing is left that the trend does not explain."
        return words + ", the better guide to what help added."
    if trend <= -0.4:
        return (
            f" The baseline was getting worse (Kendall's tau within it {trend:.2f}): with "
            f"that trend taken out, Tau-U is {row['tau_u']:.2f}."
        )
    return ""


def _reading(row: dict[str, Any]) -> str:
    pairs = row["n_a"] * row["n_b"]
    share = {k: 100 * row[k] / pairs for k in ("_better", "_worse", "_ties")}
    words = (
        f"Level moved {row['level_change']:+.1f} points (mean {row['mean_a']:.1f} in the "
        f"baseline, {row['mean_b']:.1f} with help). NAP {row['nap']:.2f}: of the {pairs} "
        "pairs of one baseline and one intervention assessment, the intervention one was "
        f"better in {share['_better']:.0f} %, worse in {share['_worse']:.0f} % and equal in "
        f"{share['_ties']:.0f} %: {_verdict(row['nap'])} by Parker & Vannest's reading. "
        f"PND {row['pnd']:.0f} %; Tau {row['tau']:.2f}; Tau-U {row['tau_u']:.2f}."
    )
    words += _trend_words(row)
    if row["n_a"] < SHORT_BASELINE:
        words += (
            f" With {row['n_a']} baseline point{'s' * (row['n_a'] != 1)} these figures are "
            f"fragile: aim for at least {SHORT_BASELINE}."
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
    better, worse, ties = _pairs(a, b, higher)
    extra = {"baseline_trend": trend, "_better": better, "_worse": worse, "_ties": ties}
    row["reading"] = _reading({**row, **extra})
    return row


def in_time_order(data: pd.DataFrame, time: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """The rows in time order (numbered afresh), and which have a time to be placed by.

    Dates written as text are read by the library's date rule (day first); a time that
    cannot be read is an error, a missing one leaves its row out."""
    if time is None:
        time = next((c for c in ("assessment_date", "wave") if c in data.columns), None)
    data = data.reset_index(drop=True)
    if time is None:
        return data, pd.Series(True, index=data.index)  # the rows' own order
    if time not in data.columns:
        raise ValueError(f"no column {time!r} to put the assessments in time order")
    when = data[time]
    if pd.api.types.is_datetime64_any_dtype(when.dtype):
        key = pd.to_datetime(when).dt.tz_localize(None) if getattr(when.dt, "tz", None) else when
    elif pd.api.types.is_numeric_dtype(when.dtype) and not pd.api.types.is_bool_dtype(when.dtype):
        key = when.astype(float).where(np.isfinite(when.astype(float)))
    else:
        from wellbeing_framework.dates import parse_dates

        parsed = parse_dates(when.astype(object))
        if parsed.problems.any():
            bad = int(parsed.problems.sum())
            raise ValueError(f"{bad} values of {time!r} cannot be read as times or dates")
        key = parsed.values
    order = np.argsort(key.to_numpy(), kind="stable")
    data = data.assign(_time=key).iloc[order].reset_index(drop=True)
    placed = data["_time"].notna()
    return data.drop(columns="_time"), placed


def _person(
    part: pd.DataFrame, usable: np.ndarray, labels: np.ndarray, values: np.ndarray, higher: bool
) -> dict[str, Any]:
    """One person's row of the summary."""
    keep = usable[part.index]
    phase = labels[part.index]
    a = values[part.index][keep & (phase == "A")]
    b = values[part.index][keep & (phase == "B")]
    positions = np.flatnonzero(keep)
    if len(a) and len(b):
        last_a = positions[phase[keep] == "A"].max()
        first_b = positions[phase[keep] == "B"].min()
        if last_a > first_b:
            row = {
                "n_a": len(a),
                "n_b": len(b),
                "reading": "The baseline (A) must come before the intervention (B) in "
                "time: this is not an AB design, so the phases are not compared.",
            }
        else:
            row = _one(a, b, higher)
    else:
        lacking = "baseline (A)" if not len(a) else "intervention (B)"
        row = {
            "n_a": len(a),
            "n_b": len(b),
            "reading": f"No {lacking} assessments: the phases cannot be compared.",
        }
    row["n_left_out"] = int((~keep).sum())
    return row


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
    if not isinstance(higher_is_better, bool):
        raise TypeError("higher_is_better must be True or False")
    if scores[person].isna().any():
        n = int(scores[person].isna().sum())
        raise ValueError(f"{n} rows name no person in {person!r}: give every row its person")
    data, placed = in_time_order(scores, time)
    labels = phase_labels(data[phase])
    if not labels.notna().any():
        raise ValueError(
            f"no row of {phase!r} is in phase A (baseline) or B (intervention): write the "
            "phases as A and B (or baseline and intervention)"
        )
    values = pd.to_numeric(data[measure], errors="coerce").to_numpy(dtype=float)
    usable = (labels.notna() & placed).to_numpy() & np.isfinite(values)
    label_values = labels.to_numpy(dtype=object)
    rows = {
        who: _person(part, usable, label_values, values, higher_is_better)
        for who, part in data.groupby(person, sort=True)
    }
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
