"""Growth: how people change over three or more waves, as a linear mixed model."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.mixed import MixedFit, fit_reml
from wellbeing_framework.framework import Framework

__all__ = ["GrowthResult", "growth"]


@frozen(kw_only=True)
class GrowthResult:
    """A fitted growth model.

    Attributes
    ----------
    fixed
        ``term``, ``coef``, ``se``, ``ci_low``, ``ci_high``, ``p``: the average start
        (``intercept``, at the first time: time is counted from its smallest value), the
        average change per unit of time, and with ``by`` each group's
        difference in start and in change from the first group.
    random
        ``intercept_var``, ``slope_var``, ``corr`` (of start and change across people; NaN
        without a random slope) and ``residual_var``.
    n_people, n_assessments
        People and assessments in the model, through the disclosure policy.
    n_excluded
        Assessments left out: no score or no time (through the disclosure policy; None
        when suppressed).
    converged
        Whether the optimiser converged.
    random_slope
        False when the model fell back to a random intercept only.
    sentences
        One sentence per fixed effect.
    note
        What was done, in words.
    """

    fixed: pd.DataFrame
    random: pd.Series
    n_people: int | None
    n_assessments: int | None
    n_excluded: int | None
    converged: bool
    random_slope: bool
    sentences: tuple[str, ...]
    note: str

    def __str__(self) -> str:
        return "\n".join([self.note, "", self.fixed.round(3).to_string(index=False)])

    def _repr_html_(self) -> str:
        table = self.fixed.to_html(index=False, float_format=lambda v: f"{v:.3f}")
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences)
        random = self.random.to_frame("estimate").T.to_html(float_format=lambda v: f"{v:.3f}")
        return f"<div><p>{html.escape(self.note)}</p>{table}<ul>{items}</ul>{random}</div>"


def _prepare(
    scores: pd.DataFrame,
    measure: str,
    time: str,
    by: str | None,
    rater: str | None,
    person: str,
) -> tuple[pd.DataFrame, int]:
    for column in [measure, time, person] + ([by] if by else []):
        if column not in scores.columns:
            msg = f"no column {column!r} in the scores"
            raise KeyError(msg)
    data = scores
    if rater is not None and "rater" in data.columns:
        data = data[data["rater"] == rater]
    if not pd.api.types.is_numeric_dtype(data[time]) or pd.api.types.is_bool_dtype(data[time]):
        msg = (
            f"{time!r} must be numeric: a wave number, or days since baseline "
            "(for dates: (date - first date).dt.days)"
        )
        raise ValueError(msg)
    frame = pd.DataFrame(
        {
            "y": pd.to_numeric(data[measure], errors="coerce"),
            "t": pd.to_numeric(data[time], errors="coerce"),
            "person": data[person].astype("string"),
        }
    )
    if by:
        frame["g"] = data[by].astype("string").fillna("not recorded")
    usable = (
        np.isfinite(frame.y.astype(float)) & np.isfinite(frame.t.astype(float))
    ) & frame.person.notna()
    frame = frame[usable].reset_index(drop=True)
    frame.attrs["origin"] = float(frame.t.min()) if len(frame) else 0.0
    frame["t"] = frame.t - frame.attrs["origin"]  # the intercept is the start
    return frame, int((~usable).sum())


def _check(frame: pd.DataFrame, by: str | None, policy: DisclosurePolicy) -> None:
    if frame.empty:
        msg = "no assessments with a score and a time (of the rater chosen) to model"
        raise ValueError(msg)
    if frame.duplicated(["person", "t"]).any():
        msg = (
            "some people have two assessments at the same time: keep one per person and "
            "time (wf.cohort.select chooses), or the model would count them twice"
        )
        raise ValueError(msg)
    if frame.t.nunique() < 3:
        msg = "a growth model needs three or more distinct times; with two, use wf.cohort.change"
        raise ValueError(msg)
    if frame.person.nunique() < max(policy.threshold, 3):
        msg = "too few people for a growth model (and to publish)"
        raise ValueError(msg)
    if by:
        people = frame.groupby("g").person.nunique()
        small = int((people < policy.threshold).sum())
        if small:
            msg = (
                f"{small} group(s) of {by!r} have fewer than {policy.threshold} people: "
                "below the disclosure threshold. Merge them or leave them out."
            )
            raise ValueError(msg)


def _count(n: int, policy: DisclosurePolicy) -> str:
    if n == 0:
        return "no"  # "no assessment(s)": reads as "none"
    shown = policy.apply_total(n)
    return f"fewer than {policy.threshold}" if shown is None else str(shown)


def _design(frame: pd.DataFrame, by: str | None, time: str) -> tuple[np.ndarray, list[str]]:
    """Intercept, group dummies (the first group sorted is the reference), time and
    group x time, in that order."""
    t = frame.t.to_numpy(float)
    columns, names = [np.ones(len(frame))], ["intercept"]
    dummies: list[tuple[str, np.ndarray]] = []
    if by:
        for level in sorted(frame.g.unique())[1:]:
            dummies.append((f"{by}={level}", (frame.g == level).to_numpy(float)))
    for name, column in dummies:
        columns.append(column)
        names.append(name)
    columns.append(t)
    names.append(time)
    for name, column in dummies:
        columns.append(column * t)
        names.append(f"{name} x {time}")
    return np.column_stack(columns), names


def _fixed(result: MixedFit, names: list[str], level: float) -> pd.DataFrame:
    from scipy import stats  # imported when first needed: a slow import

    se = np.sqrt(np.diag(result.cov_beta))
    z = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "term": names,
            "coef": result.beta,
            "se": se,
            "ci_low": result.beta - z * se,
            "ci_high": result.beta + z * se,
            "p": 2 * stats.norm.sf(np.abs(result.beta / se)),
        }
    )


def _random(result: MixedFit, slope: bool) -> pd.Series:
    g = result.g
    slope_var = g[1, 1] if slope else np.nan
    corr = g[0, 1] / np.sqrt(g[0, 0] * g[1, 1]) if slope and g[1, 1] > 0 else np.nan
    return pd.Series(
        {
            "intercept_var": g[0, 0],
            "slope_var": slope_var,
            "corr": corr,
            "residual_var": result.sigma2,
        },
        name="random",
    )


def _fit(frame: pd.DataFrame, x: np.ndarray, slope: bool) -> tuple[MixedFit, bool]:
    codes = pd.factorize(frame.person)[0]
    result = fit_reml(frame.y.to_numpy(float), x, frame.t.to_numpy(float), codes, slope=slope)
    ok = result.converged
    if slope and ok:  # a boundary fit: no variation in change, or start and change as one
        g = result.g
        singular = g[1, 1] <= 1e-8 * max(g[0, 0], 1e-12)
        ok = not singular and abs(g[0, 1]) < 0.9999 * np.sqrt(g[0, 0] * g[1, 1])
    return result, ok


def _sentence(
    row: pd.Series, measure: str, time: str, level: float, origin: float, reference: str
) -> str:
    p = "p < 0.001" if row.p < 0.001 else f"p = {row.p:.3f}"
    ci = f"{level:.0%} CI {row.ci_low:.2f} to {row.ci_high:.2f}, {p}"
    term = str(row.term)
    who = f"In {reference}" if reference != "the reference group" else "On average"
    if term == "intercept":
        return f"{who}, {measure} starts at {row.coef:.2f} at {time} {origin:g} ({ci})."
    if term == time:
        way = "rises" if row.coef > 0 else "falls"
        return f"{who}, {measure} {way} by {abs(row.coef):.2f} per unit of {time} ({ci})."
    if term.endswith(f" x {time}"):
        group = term.removesuffix(f" x {time}")
        way = "more" if row.coef > 0 else "less"
        return (
            f"Among {group}, {measure} changes by {abs(row.coef):.2f} per unit of {time} "
            f"{way} than in {reference} ({ci})."
        )
    way = "higher" if row.coef > 0 else "lower"
    return f"Among {term}, {measure} starts {abs(row.coef):.2f} {way} than in {reference} ({ci})."


def growth(
    scores: pd.DataFrame,
    framework: Framework,
    measure: str = "index",
    time: str = "wave",
    by: str | None = None,
    *,
    rater: str | None = "self",
    person: str = "person_id",
    level: float = 0.95,
    policy: DisclosurePolicy | None = None,
) -> GrowthResult:
    """A linear growth model: each person's start and rate of change, and the average.

    Parameters
    ----------
    scores
        A scores table (:func:`~wellbeing_framework.score`) with a person and a time column.
    framework
        The framework scored against (checks that ``measure`` is one of its scores).
    measure
        The score to model: ``"index"``, a domain key or a centre item.
    time
        A numeric column: ``"wave"``, days since baseline, or any other.
    by
        A grouping column: adds the group's difference in start and in change (group x time).
    rater
        Keep only this rater's assessments (when there is a ``rater`` column).
    person
        The person column (the random effects' groups).
    level
        Confidence level of the fixed effects' intervals.
    policy
        Disclosure control for the published counts; a group of fewer people than its
        threshold is refused.

    Returns
    -------
    GrowthResult

    Notes
    -----
    :math:`y_{ti} = (\\beta_0 + u_{0i}) + (\\beta_1 + u_{1i})\\,t + e_{ti}` with
    :math:`(u_0, u_1) \\sim N(0, G)` and :math:`e \\sim N(0, \\sigma^2)`, fitted by REML: the
    restricted likelihood of lme4's ``lmer(y ~ t + (t | person))`` and of statsmodels'
    ``MixedLM``, computed from per-person sums so that tens of thousands of people fit in
    seconds (``wellbeing_framework.cohort.mixed``; the tests check it against
    statsmodels). When the model with
    a random slope does not converge (too few waves per person, or too little variation in
    change), it is refitted with a random intercept only and the note says so. People with
    one assessment still inform the average start. The p values and intervals are Wald's
    (normal), as statsmodels gives them.

    References
    ----------
    .. [1] Singer, J. D., & Willett, J. B. (2003). *Applied longitudinal data analysis*.
       Oxford University Press.
    .. [2] Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear
       mixed-effects models using lme4. *Journal of Statistical Software*, 67(1), 1-48.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(200, waves=4, seed=5), fw)
    >>> result = wf.cohort.growth(scores, fw)
    >>> result.fixed.term.tolist()
    ['intercept', 'wave']
    """
    if not 0 < level < 1:
        msg = f"level must be between 0 and 1 (0.95 for a 95 % interval), not {level!r}"
        raise ValueError(msg)
    known = [d.key for d in framework.domains] + [c.key for c in framework.centre] + ["index"]
    if measure not in known:
        msg = f"unknown measure {measure!r}; choose from {known}"
        raise KeyError(msg)
    policy = policy or DisclosurePolicy()
    frame, excluded = _prepare(scores, measure, time, by, rater, person)
    _check(frame, by, policy)
    x, names = _design(frame, by, time)
    scaled = x / np.maximum(np.abs(x).max(axis=0), 1e-300)
    if np.linalg.matrix_rank(scaled) < x.shape[1]:
        msg = (
            "a term of the model cannot be estimated: a group seen at one time only, or "
            f"{by!r} the same as {time!r}; leave the group out or choose another column"
        )
        raise ValueError(msg)
    result, converged = _fit(frame, x, slope=True)
    slope = converged
    if not converged:
        result, converged = _fit(frame, x, slope=False)
    if not np.isfinite(result.beta).all() or not np.isfinite(result.cov_beta).all():
        msg = f"the model of {measure} could not be fitted (the scores do not vary over time)"
        raise ValueError(msg)
    fixed = _fixed(result, names, level)
    reference = f"{by}={sorted(frame.g.unique())[0]}" if by else "the reference group"
    n_people, n_rows = frame.person.nunique(), len(frame)
    note = (
        f"Linear mixed model of {measure} over {time} (REML), "
        + (
            "a random intercept and slope per person"
            if slope
            else "a random intercept per "
            "person only: the model with a random slope did not converge"
        )
        + (
            f"; {_count(excluded, policy)} assessment(s) without a score or a time left out."
            if excluded
            else "; every assessment had a score and a time."
        )
    )
    return GrowthResult(
        fixed=fixed,
        random=_random(result, slope),
        n_people=policy.apply_total(n_people),
        n_assessments=policy.apply_total(n_rows),
        n_excluded=policy.apply_total(excluded) if excluded else 0,
        converged=bool(converged),
        random_slope=bool(slope),
        sentences=tuple(
            _sentence(r, measure, time, level, frame.attrs["origin"], reference)
            for _, r in fixed.iterrows()
        ),
        note=note,
    )
