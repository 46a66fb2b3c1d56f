"""Scoring rules: every scoring choice in one serialisable object."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from attrs import field, frozen

from wellbeing_framework.exceptions import ScoringError
from wellbeing_framework.framework import Framework

__all__ = [
    "DEFAULT_BANDS",
    "SAFEGUARDING",
    "Band",
    "FlagRule",
    "ScoringRules",
    "default_rules",
]


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
    """The safeguarding flag on the safety indicators the framework has: both, or the one
    an adaptation kept (dropping one must not silently drop the flag)."""
    keys = set(framework.indicator_keys)
    if set(SAFEGUARDING.indicators) <= keys:
        return (SAFEGUARDING,)
    kept = tuple(k for k in SAFEGUARDING.indicators if k in keys)
    if not kept:
        return ()
    words = " or ".join(f"'{framework.indicator(k).text}'" for k in kept)
    return (
        attrs.evolve(
            SAFEGUARDING, indicators=kept, description=f"{words} rated at the scale minimum"
        ),
    )


def default_rules(framework: Framework) -> ScoringRules:
    """Return the default rules made concrete for ``framework``.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> [f.name for f in wf.default_rules(wf.load_framework()).flags]
    ['safeguarding']
    """
    return ScoringRules().resolve(framework)
