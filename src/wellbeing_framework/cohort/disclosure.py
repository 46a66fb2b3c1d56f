"""Statistical disclosure control for every count the library publishes.

Small counts about vulnerable people can identify them. Every count a cohort function or
report publishes passes through a :class:`DisclosurePolicy`: small counts are suppressed,
the rest rounded, and where a total is shown one more cell is suppressed so that no hidden
value can be worked back out from the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, cast

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.exceptions import WellbeingFrameworkError

__all__ = ["DisclosurePolicy", "published_shares"]


@frozen(kw_only=True)
class DisclosurePolicy:
    """How counts are made safe to publish.

    Parameters
    ----------
    name
        The preset's name, shown with published tables.
    threshold
        Counts from 1 to ``threshold - 1`` are suppressed (0 disables suppression).
    rounding
        Counts that are shown are rounded to the nearest multiple of this (1: no rounding).
    keep_zero
        Publish a true zero as 0 (a zero reveals nobody).
    secondary
        Where a total is shown, suppress more cells until no hidden value can be worked
        out, or narrowed to a rounded count's precision, by subtraction.

    References
    ----------
    .. [1] NHS Digital. *Hospital Episode Statistics (HES) Analysis Guide*: small numbers
       (1 to 7) are suppressed and other counts rounded to the nearest 5 before publication.

    Examples
    --------
    The default preset (NHS secondary-care style): counts 1-7 suppressed, the rest rounded to
    the nearest 5, zero kept.

    >>> import pandas as pd
    >>> DisclosurePolicy().apply(pd.Series([0, 3, 7, 8, 12, 23])).tolist()
    [0, <NA>, <NA>, 10, 10, 25]
    >>> DisclosurePolicy.preset("10-5").apply(pd.Series([9, 10, 12])).tolist()
    [<NA>, 10, 10]
    """

    name: str = "nhs"
    threshold: int = 8
    rounding: int = 5
    keep_zero: bool = True
    secondary: bool = True

    PRESETS: ClassVar[tuple[str, ...]] = ("nhs", "10-5", "threshold-10", "none")

    def __attrs_post_init__(self) -> None:
        if self.threshold < 0 or self.rounding < 1:
            msg = (
                f"disclosure policy needs threshold >= 0 and rounding >= 1, got "
                f"threshold={self.threshold}, rounding={self.rounding}"
            )
            raise WellbeingFrameworkError(msg)

    @classmethod
    def preset(cls, name: str) -> DisclosurePolicy:
        """Return a named preset: ``"nhs"``, ``"10-5"``, ``"threshold-10"`` or ``"none"``.

        ``"none"`` publishes counts as they are; it exists for work that never leaves a
        secure setting and must be asked for by name.
        """
        key = name.strip().lower().replace("_", "-").replace(" ", "-")
        if key in ("nhs", "default"):
            return cls()
        if key in ("10-5", "ten-five"):
            return cls(name="10-5", threshold=10, rounding=5)
        if key in ("threshold-10", "10"):
            return cls(name="threshold-10", threshold=10, rounding=1)
        if key == "none":
            return cls.none()
        msg = f"unknown disclosure preset {name!r}; presets: {', '.join(cls.PRESETS)}"
        raise WellbeingFrameworkError(msg)

    @classmethod
    def none(cls) -> DisclosurePolicy:
        """No disclosure control: counts published exactly. Only for secure settings."""
        return cls(name="none", threshold=0, rounding=1, secondary=False)

    @property
    def is_none(self) -> bool:
        """True when this policy changes nothing."""
        return self.threshold <= 1 and self.rounding == 1

    def describe(self) -> str:
        """One sentence for the footnote of a published table.

        Examples
        --------
        >>> DisclosurePolicy().describe()
        'Counts of 1 to 7 are suppressed and other counts rounded to the nearest 5.'
        """
        if self.is_none:
            return "Counts are shown exactly (no disclosure control)."
        parts = []
        if self.threshold > 1:
            parts.append(f"Counts of 1 to {self.threshold - 1} are suppressed")
        if self.rounding > 1:
            parts.append(f"other counts rounded to the nearest {self.rounding}")
        return " and ".join(parts) + "."

    def suppressed(self, counts: pd.Series | np.ndarray) -> np.ndarray:
        """Boolean mask: which counts this policy hides (before secondary suppression)."""
        values = np.asarray(pd.Series(counts).to_numpy(dtype=float, na_value=np.nan))
        small = (values > 0) & (values < self.threshold)
        zero = (values == 0) & (not self.keep_zero)
        return np.asarray(small | zero | np.isnan(values), dtype=bool)

    def round(self, value: float) -> int:
        """Round one count to the nearest multiple of ``rounding`` (halves go up)."""
        return math.floor(value / self.rounding + 0.5) * self.rounding

    def apply(self, counts: pd.Series, *, total: bool = False) -> pd.Series:
        """Return the publishable version of ``counts`` (nullable integers; hidden = ``<NA>``).

        Parameters
        ----------
        counts
            Non-negative counts.
        total
            True when the sum of these counts is published too: then, while the total
            minus the shown counts would pin a hidden count down (always so when only one
            is hidden), the smallest other non-zero count is hidden as well; and if the
            sum itself is suppressed, every count is.

        Examples
        --------
        >>> import pandas as pd
        >>> DisclosurePolicy().apply(pd.Series([40, 3, 22, 15]), total=True).tolist()
        [40, <NA>, 20, <NA>]
        """
        series = pd.Series(counts)
        values = series.to_numpy(dtype=float, na_value=np.nan)
        hide = self.suppressed(values)
        if total and self.apply_total(float(np.nansum(values))) is None:
            # the total is hidden: so is every cell, zeros included (they would say who
            # is where in a group too small to publish)
            return pd.Series(pd.NA, index=series.index, name=series.name, dtype="Int64")
        if total and self.secondary and hide.any() and len(values) > 1:
            primary = hide.copy()
            while self._narrow(values, hide, primary):
                candidates = np.where(~hide & (values > 0), values, np.inf)
                if not np.isfinite(candidates).any():
                    break
                hide[int(np.argmin(candidates))] = True
        shown = [pd.NA if h else self.round(v) for v, h in zip(values, hide, strict=True)]
        return pd.Series(shown, index=series.index, name=series.name, dtype="Int64")

    def _interval(self, value: float) -> tuple[float, float]:
        """The whole numbers a published count can stand for (zero is exact)."""
        shown = self.round(value)
        if shown == 0 and self.keep_zero:
            return 0.0, 0.0
        half = self.rounding / 2
        low = max(math.ceil(shown - half), self.threshold)
        return float(low), float(max(math.ceil(shown + half) - 1, low))

    def _narrow(self, values: np.ndarray, hide: np.ndarray, primary: np.ndarray) -> bool:
        """True when the published figures would pin a hidden cell down.

        The attacker is assumed to know the total and each shown cell within its rounding
        (so the hidden cells' sum within an interval), and even which hidden cells are small
        (below the threshold) and which were hidden to protect them (at least the threshold,
        and no larger than the smallest shown non-zero cell). A hidden cell is pinned down
        when it can then take no more values than a rounded count could, and never fewer
        than ``MIN_HIDDEN_RANGE``. A single hidden cell is always pinned down.
        """
        k = int(hide.sum())
        if k == 1:
            return True
        total_low, total_high = self._interval(float(values.sum()))
        shown = [self._interval(v) for v in values[~hide]]
        hidden_low = total_low - sum(high for _, high in shown)
        hidden_high = total_high - sum(low for low, _ in shown)
        nonzero = [high for low, high in shown if high > 0]
        largest = min(nonzero) if nonzero else hidden_high
        least = 1.0 if self.keep_zero else 0.0
        bounds = [
            (least, float(self.threshold - 1)) if small else (float(self.threshold), largest)
            for small in primary[hide]
        ]
        for i, (low, high) in enumerate(bounds):
            others_low = sum(b[0] for j, b in enumerate(bounds) if j != i)
            others_high = sum(b[1] for j, b in enumerate(bounds) if j != i)
            cell_low = max(low, hidden_low - others_high)
            cell_high = min(high, hidden_high - others_low)
            if cell_high - cell_low + 1 <= max(self.rounding, MIN_HIDDEN_RANGE):
                return True
        return False

    def statistic(self, value: float, decimals: int = 1) -> float:
        """A published statistic: rounded to ``decimals`` when this policy rounds counts.

        Scores take few values (multiples of 25/12 for a four-item domain), so an exact
        mean times each candidate size must land on that grid, and usually only the true
        size does: exact means give rounded counts back exactly. Rounded means do not.

        Examples
        --------
        >>> DisclosurePolicy().statistic(54.31234), DisclosurePolicy.none().statistic(54.31234)
        (54.3, 54.31234)
        """
        if self.rounding <= 1 or value is None or math.isnan(value):
            return value
        return round(float(value), decimals)

    def apply_total(self, total: float) -> int | None:
        """Publishable version of a single total (``None`` when suppressed)."""
        if self.suppressed(np.array([total]))[0]:
            return None
        return self.round(total)


#: A hidden count must stay able to take at least this many values (see ``apply``).
MIN_HIDDEN_RANGE = 3

#: The least share of a bar drawn for hidden cells, when rounding leaves them no room.
MIN_SUPPRESSED_SHARE = 0.03


def published_shares(counts: Sequence[object], n: object) -> tuple[np.ndarray, float, bool]:
    """Shares of the published total for drawing: each published count over *n*.

    Parameters
    ----------
    counts
        Published counts, ``<NA>`` (or ``None``) where suppressed.
    n
        The published total, ``<NA>``/``None`` when suppressed.

    Returns
    -------
    shares, suppressed, scaled
        ``shares``: one per count (0 where suppressed); ``suppressed``: the share hidden by
        disclosure control (``n`` minus the published counts), drawn as its own segment;
        ``scaled``: True when rounding made the published counts add to more or less than
        ``n`` with no cell hidden, or more than ``n`` (or less than
        ``MIN_SUPPRESSED_SHARE`` short of it) with cells hidden, so the
        shares were scaled to make the whole add to 1 with a visible suppressed part. The
        shares and ``suppressed`` always add to 1 (or are all 0 when ``n`` is hidden or zero), so a
        bar never claims "100 %" for one category when anything is hidden.

    Examples
    --------
    A 40-person team: 19 of 39 improved were published as 20, the rest suppressed.

    >>> shares, hidden, scaled = published_shares([20, None, None], 40)
    >>> shares.tolist(), hidden, scaled
    ([0.5, 0.0, 0.0], 0.5, False)
    """
    published = pd.Series(list(counts), dtype="Float64")
    values = published.fillna(0).to_numpy(dtype=np.float64)
    if n is None or pd.isna(cast("float", n)) or not float(cast("float", n)):
        return np.zeros(len(values)), 0.0, False
    total = float(cast("float", n))
    shown = float(values.sum())
    hidden = (total - shown) / total
    if not published.isna().any():
        # nothing hidden: rounding alone makes the counts differ from n; never call the
        # difference "suppressed"
        return values / shown if shown else values, 0.0, shown != total
    if hidden < MIN_SUPPRESSED_SHARE:
        # rounding left no room for the hidden cells: keep a visible sliver for them
        return values / shown * (1 - MIN_SUPPRESSED_SHARE), MIN_SUPPRESSED_SHARE, True
    if shown > total:
        return values / shown, 0.0, True
    return values / total, hidden, False
