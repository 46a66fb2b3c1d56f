"""Five made-up case vignettes spanning the practice continuum, for teaching.

Every name, detail and rating is invented; the vignettes describe no real person.
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

__all__ = ["load_vignettes"]


def load_vignettes() -> pd.DataFrame:
    """Return the teaching vignettes as a wide ratings table.

    Returns
    -------
    pandas.DataFrame
        One row per vignette: ``person_id`` (``V1`` ... ``V5``), ``title``, ``narrative``,
        ``illustrates`` (the approach the vignette was written to show), the case columns
        ``risk_to_others`` and ``statutory_order``, then one column per indicator and the
        centre items ``qol`` and ``self_worth`` (ratings 1-5 on the bundled framework).

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> vignettes = wf.load_vignettes()
    >>> placed = wf.place_on_continuum(wf.score(vignettes, fw), fw)
    >>> placed[["person_id", "approach"]]
      person_id              approach
    0        V1   community_inclusion
    1        V2    early_intervention
    2        V3      support_recovery
    3        V4          safeguarding
    4        V5  statutory_protection
    """
    text = resources.files("wellbeing_framework").joinpath("data/vignettes.json")
    document = json.loads(text.read_text(encoding="utf-8"))
    rows = [
        {
            "person_id": v["key"],
            "title": v["title"],
            "narrative": v["narrative"],
            "illustrates": v["illustrates"],
            "risk_to_others": v["risk_to_others"],
            "statutory_order": v["statutory_order"],
            **v["ratings"],
        }
        for v in document["vignettes"]
    ]
    return pd.DataFrame(rows)
