"""The snapshot: share of people in each band, per domain, at one wave."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.select import Which, one_per_person
from wellbeing_framework.engines import engine_for
from wellbeing_framework.framework import Framework
from wellbeing_framework.scoring import with_band_categories

__all__ = ["NOT_SCORED", "snapshot"]

NOT_SCORED = "not scored"


def snapshot(
    scores: pd.DataFrame,
    framework: Framework,
    wave: Which = "first",
    *,
    rater: str | None = "self",
    policy: DisclosurePolicy | None = None,
    person: str = "person_id",
    date: str = "assessment_date",
) -> pd.DataFrame:
    """Share of people in each band, per domain and for the index, at one wave.

    Parameters
    ----------
    scores
        A scores table from :func:`~wellbeing_framework.score`.
    framework
        The framework scored against.
    wave
        ``"first"``, ``"last"``, a wave number or a date (each person's latest assessment on
        or before it).
    rater
        Keep only this rater's assessments (when there is a ``rater`` column).
    policy
        Disclosure control for the counts (default :class:`~wellbeing_framework.DisclosurePolicy`).

    Returns
    -------
    pandas.DataFrame
        One row per measure (domain keys, centre items, ``index``) and band, plus
        ``"not scored"``: ``measure``, ``title``, ``band``, ``count`` and ``n`` after
        disclosure control, and ``share`` = count / n of the published numbers (missing where
        either is hidden). ``attrs["disclosure"]`` describes the policy.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(500, waves=2, seed=4), fw)
    >>> snap = wf.cohort.snapshot(scores, fw, wave="first")
    >>> snap[snap.measure == "index"][["band", "count", "share"]]
              band  count  share
    30   high need   <NA>   <NA>
    31   some need    200    0.4
    32    managing    210   0.42
    33    thriving     70   0.14
    34  not scored   <NA>   <NA>
    """
    policy = policy or DisclosurePolicy()
    scores = with_band_categories(scores, framework)
    measures = [(d.key, d.title) for d in framework.domains]
    measures += [(c.key, c.title) for c in framework.centre if f"{c.key}_band" in scores]
    measures.append(("index", "Index"))
    columns = [f"{key}_band" for key, _ in measures]
    engine = engine_for(scores)
    if engine is not None:
        chosen = engine.one_per_person(scores, wave, person=person, date=date, rater=rater)
        codes = engine.compute(*[chosen[c].cat.codes.value_counts() for c in columns])
    else:
        chosen = one_per_person(scores, wave, person=person, date=date, rater=rater)
        codes = tuple(chosen[c].cat.codes.value_counts() for c in columns)
    frames = []
    for (key, title), column, counted in zip(measures, columns, codes, strict=True):
        labels = list(cast("pd.CategoricalDtype", scores[column].dtype).categories)
        counted = counted.groupby(level=0).sum()  # some Dask versions leave one row a part
        counts = pd.Series(
            [int(counted.get(i, 0)) for i in range(len(labels))] + [int(counted.get(-1, 0))],
            index=[*labels, NOT_SCORED],
        )
        shown = policy.apply(counts, total=True)
        n = policy.apply_total(float(counts.sum()))
        share = [
            round(float(c) / n, 10) if n and c is not pd.NA else pd.NA for c in shown.tolist()
        ]
        frames.append(
            pd.DataFrame(
                {
                    "measure": key,
                    "title": title,
                    "band": [*labels, NOT_SCORED],
                    "count": shown.array,
                    "n": pd.array([n] * len(counts), dtype="Int64"),
                    "share": pd.array(np.asarray(share, dtype=object), dtype="Float64"),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.attrs["disclosure"] = policy.describe()
    return out
