"""The mix of cases across the practice continuum's approaches."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy

__all__ = ["continuum_mix"]

NOT_PLACED = "not placed"


def continuum_mix(
    placed: pd.DataFrame, by: str | None = None, *, policy: DisclosurePolicy | None = None
) -> pd.DataFrame:
    """Share of cases at each approach of the continuum, optionally by group.

    Parameters
    ----------
    placed
        Output of :func:`~wellbeing_framework.place_on_continuum`.
    by
        A grouping column (``client_group``, ``area`` ...); ``None`` for the whole cohort.
    policy
        Disclosure control for the counts; ``None`` for the default
        :class:`~wellbeing_framework.DisclosurePolicy`.

    Returns
    -------
    pandas.DataFrame
        One row per group (if ``by``) and approach, plus ``"not placed"``: ``count`` (after
        disclosure control, nullable), ``n`` (the group total, after disclosure control) and
        ``share`` (the published count over the published total; missing wherever either is
        hidden, so no hidden count can be recovered from a share).

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), fw), fw)
    >>> mix = wf.cohort.continuum_mix(placed, policy=wf.DisclosurePolicy.none())
    >>> mix[["approach", "count", "share"]].head(2)
                  approach  count  share
    0  community_inclusion      1    0.2
    1   early_intervention      1    0.2
    """
    policy = policy or DisclosurePolicy()
    approach = placed["approach"]
    categories = list(approach.cat.categories) if hasattr(approach, "cat") else []
    labels = approach.astype(object).where(approach.notna(), NOT_PLACED)
    order = [*categories, NOT_PLACED]
    frames = []
    groups = [(None, labels)] if by is None else list(labels.groupby(placed[by], sort=True))
    for key, values in groups:
        counts = values.value_counts().reindex(order, fill_value=0)
        shown = policy.apply(counts, total=True)
        n = policy.apply_total(float(counts.sum()))
        share = shown.astype("Float64") / n if n else pd.Series(pd.NA, index=shown.index)
        frame = pd.DataFrame(
            {
                "approach": order,
                "count": shown.array,
                "n": pd.array([n] * len(order), dtype="Int64"),
                "share": pd.array(np.asarray(share, dtype=object), dtype="Float64"),
            }
        )
        if by is not None:
            frame.insert(0, by, key)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out.attrs["disclosure"] = policy.describe()
    return out
