"""The framework model: domains, indicators, values, the practice continuum and the scale.

Every class here is a frozen :mod:`attrs` class. A :class:`Framework` checks itself when it
is built: any fault (a duplicate key, an empty domain, a scale whose minimum is not below its
maximum ...) raises :class:`~wellbeing_framework.FrameworkDefinitionError` listing *every*
fault with its JSON path, exactly as loading a bad file would.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any, Literal, Protocol, TypeVar

import attr
import attrs
from attrs import field, frozen

from wellbeing_framework.exceptions import FrameworkDefinitionError
from wellbeing_framework.framework_schema import framework_problems

__all__ = [
    "AdaptedFrom",
    "Approach",
    "CentreItem",
    "Characteristic",
    "Domain",
    "Expectation",
    "Framework",
    "Indicator",
    "Outcome",
    "PracticeContinuum",
    "RatingScale",
    "Source",
    "Value",
]


# One converter per element type: the attrs mypy plugin cannot read a generic converter,
# and these keep ``Domain(indicators=[...])`` type-correct for users.
def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen(kw_only=True)
class RatingScale:
    """The scale every indicator is rated on: ordinal points, or a continuous range.

    Parameters
    ----------
    min, max
        The lowest and highest rating (``min < max``; whole numbers on an integer scale).
    labels
        One label per point of the scale, from ``min`` to ``max`` (optional; an integer
        scale only).
    question
        The question the ratings answer, e.g. "How true is this for you now?".
    integer
        True (the default) for a scale of whole-number points; False for a continuous
        scale (a visual analogue scale, a test score, a time): any number from ``min`` to
        ``max`` is a rating, and only the range is checked.

    Examples
    --------
    >>> scale = RatingScale(min=1, max=5, labels=("not at all", "a little", "somewhat",
    ...                                          "mostly", "completely"))
    >>> scale.label(4)
    'mostly'
    >>> scale.points
    (1, 2, 3, 4, 5)
    """

    min: int | float
    max: int | float
    labels: tuple[str, ...] = field(default=(), converter=_strs)
    question: str | None = None
    integer: bool = True

    @property
    def points(self) -> tuple[int, ...]:
        """Every rating on the scale, lowest first (none on a continuous scale)."""
        if not self.integer:
            return ()
        return tuple(range(int(self.min), int(self.max) + 1))

    @property
    def n_points(self) -> int:
        """How many points the scale has (0 on a continuous scale)."""
        return len(self.points)

    def label(self, rating: int) -> str:
        """Return the label of ``rating`` (the number itself when the scale has no labels)."""
        if not self.integer and self.min <= rating <= self.max:
            return f"{rating:g}"
        if rating not in self.points:
            msg = f"rating {rating!r} is not on the scale {self.min}-{self.max}"
            raise ValueError(msg)
        if not self.labels:
            return str(rating)
        return self.labels[int(rating - self.min)]


@frozen(kw_only=True)
class Indicator:
    """One rated statement ("This happens when people: ...").

    Parameters
    ----------
    key
        Short stable identifier; it is the column name in ratings data.
    text
        The statement, worded as in the source.
    reverse
        True when a high rating means *less* wellbeing (scored as ``min + max - rating``).
    weight
        Relative weight in its domain's mean (positive; default 1).
    """

    key: str
    text: str
    reverse: bool = False
    weight: float = 1.0


def _indicators(value: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return tuple(value)


@frozen(kw_only=True, repr=False)
class Domain:
    """One domain of the quadrant with its aim and indicators.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> domain = wf.load_framework().domain("sw")
    >>> domain.title
    'Safe and Well'
    >>> domain
    Domain('sw', 'Safe and Well', 5 indicators)
    """

    key: str
    title: str
    aim: str | None = None
    indicators: tuple[Indicator, ...] = field(converter=_indicators)

    def __repr__(self) -> str:
        n = len(self.indicators)
        return f"Domain({self.key!r}, {self.title!r}, {n} indicator{'s' * (n != 1)})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{_e(i.key)}</code></td><td>{_e(i.text)}</td>"
            f"<td>{'yes' if i.reverse else ''}</td><td>{i.weight:g}</td></tr>"
            for i in self.indicators
        )
        aim = f"<p><em>{_e(self.aim)}</em></p>" if self.aim else ""
        return (
            f"<div><strong>{_e(self.title)}</strong> <code>{_e(self.key)}</code>{aim}"
            "<table><thead><tr><th>key</th><th>indicator</th><th>reverse</th>"
            f"<th>weight</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )


def _domains(value: Iterable[Domain]) -> tuple[Domain, ...]:
    return tuple(value)


@frozen(kw_only=True)
class CentreItem:
    """An item at the centre of the quadrant (Quality of Life, Self Worth).

    Centre items may be rated directly; they are scored 0-100 on their own and never folded
    into the index.
    """

    key: str
    title: str
    text: str | None = None


def _centre_items(value: Iterable[CentreItem]) -> tuple[CentreItem, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Value:
    """A social work value and its statement."""

    key: str
    title: str
    statement: str


def _values(value: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Characteristic:
    """A key characteristic of effective practice and its description."""

    key: str
    title: str
    description: str


def _characteristics(value: Iterable[Characteristic]) -> tuple[Characteristic, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Outcome:
    """What social work enables people to do, or its contribution to protection.

    ``kind`` is ``"enable"`` for what social workers enable and help people to do, and
    ``"protect"`` for their contribution to protection.
    """

    key: str
    text: str
    kind: Literal["enable", "protect"] = "enable"


def _outcomes(value: Iterable[Outcome]) -> tuple[Outcome, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Expectation:
    """What service users expect of social workers."""

    key: str
    text: str


def _expectations(value: Iterable[Expectation]) -> tuple[Expectation, ...]:
    return tuple(value)


@frozen(kw_only=True)
class Approach:
    """One approach on the practice continuum."""

    key: str
    title: str
    description: str | None = None


def _approaches(value: Iterable[Approach]) -> tuple[Approach, ...]:
    return tuple(value)


@frozen(kw_only=True)
class PracticeContinuum:
    """The continuum of practice approaches, ordered from empowering to protecting.

    Parameters
    ----------
    approaches
        The approaches, the most empowering first.
    empowering, protecting
        What each end of the continuum stands for.
    description
        The source's account of the continuum.
    note
        How this ordering was arrived at (for the bundled framework: a reading of the
        leaflet, not part of it).
    """

    title: str = "Practice continuum"
    empowering: str | None = None
    protecting: str | None = None
    description: str | None = None
    note: str | None = None
    approaches: tuple[Approach, ...] = field(converter=_approaches)

    def approach(self, key: str) -> Approach:
        """Return the approach called ``key``; an unknown key raises a helpful ``KeyError``."""
        return _lookup(self.approaches, key, "approach")


@frozen(kw_only=True)
class Source:
    """Where a framework comes from."""

    title: str
    publisher: str | None = None
    year: str | None = None
    url: str | None = None
    based_on: str | None = None
    note: str | None = None


@frozen(kw_only=True)
class AdaptedFrom:
    """The framework an adaptation derives from, and how it was changed."""

    key: str
    version: str
    note: str | None = None


@frozen(kw_only=True, repr=False)
class Framework:
    """A wellbeing framework: domains of rated indicators, and everything around them.

    Only ``key``, ``title``, ``version``, ``scale`` and ``domains`` are required, so any
    instrument can be described. The object checks itself when built and raises
    :class:`~wellbeing_framework.FrameworkDefinitionError` listing every fault.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> fw
    Framework('ni_social_wellbeing' v1.0.0: 4 domains, 18 indicators, scale 1-5)
    >>> for domain in fw.domains:
    ...     print(domain.key, domain.title)
    rb Relationships and Belonging
    pm Purpose and Meaning
    ir Independence and Responsibility
    sw Safe and Well
    >>> fw.indicator("sw5").text
    'Are safe from harm, abuse and exploitation'
    """

    key: str
    title: str
    version: str
    description: str | None = None
    scale: RatingScale
    domains: tuple[Domain, ...] = field(converter=_domains)
    centre: tuple[CentreItem, ...] = field(default=(), converter=_centre_items)
    values: tuple[Value, ...] = field(default=(), converter=_values)
    characteristics: tuple[Characteristic, ...] = field(default=(), converter=_characteristics)
    outcomes: tuple[Outcome, ...] = field(default=(), converter=_outcomes)
    expectations: tuple[Expectation, ...] = field(default=(), converter=_expectations)
    continuum: PracticeContinuum | None = None
    source: Source | None = None
    adapted_from: AdaptedFrom | None = None

    def __attrs_post_init__(self) -> None:
        problems = framework_problems(_as_document(self))
        if problems:
            raise FrameworkDefinitionError(problems)

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, flat, in domain order."""
        return tuple(i for d in self.domains for i in d.indicators)

    @cached_property
    def indicator_keys(self) -> tuple[str, ...]:
        """The indicator keys in domain order (the rating columns of wide data)."""
        return tuple(i.key for i in self.indicators)

    @cached_property
    def domain_of(self) -> Mapping[str, str]:
        """Map each indicator key to the key of its domain."""
        return {i.key: d.key for d in self.domains for i in d.indicators}

    def domain(self, key: str) -> Domain:
        """Return the domain called ``key``.

        Raises
        ------
        KeyError
            If there is no such domain; the message suggests the closest key.

        Examples
        --------
        >>> import wellbeing_framework as wf
        >>> wf.load_framework().domain("swell")
        Traceback (most recent call last):
        ...
        KeyError: "no domain 'swell' in this framework; did you mean 'sw'? Domains: rb, pm, ir, sw"
        """
        return _lookup(self.domains, key, "domain")

    def indicator(self, key: str) -> Indicator:
        """Return the indicator called ``key``.

        Raises
        ------
        KeyError
            If there is no such indicator; the message suggests the closest key.

        Examples
        --------
        >>> import wellbeing_framework as wf
        >>> wf.load_framework().indicator("rb2").text
        'Have their own home or a place that feels like home'
        """
        return _lookup(self.indicators, key, "indicator")

    def centre_item(self, key: str) -> CentreItem:
        """Return the centre item called ``key`` (a helpful ``KeyError`` if unknown)."""
        return _lookup(self.centre, key, "centre item")

    def adapt(
        self,
        *,
        key: str,
        title: str,
        version: str,
        reword: Mapping[str, str] | None = None,
        drop: Iterable[str] = (),
        add: Mapping[str, Sequence[Indicator]] | None = None,
        scale: RatingScale | None = None,
        note: str | None = None,
        **changes: object,
    ) -> Framework:
        """Derive an adapted framework that records what it was adapted from.

        The leaflet says the quadrant "should be adapted for use in different contexts and
        with different client groups across the life span". This is the documented way to
        do it: the result is a new, fully checked :class:`Framework` whose ``adapted_from``
        names this framework's key and version.

        Parameters
        ----------
        key, title, version
            Identity of the adaptation.
        reword
            New wording by indicator key (or domain key, to reword a domain's aim).
        drop
            Keys of indicators to leave out.
        add
            New indicators, by the key of the domain they join (appended at its end).
        scale
            A different rating scale.
        note
            A sentence on how and why it was adapted, kept in ``adapted_from.note``.
        **changes
            Any other top-level field to replace (``description``, ``centre``, ...).

        Returns
        -------
        Framework
            The adapted framework.

        Raises
        ------
        FrameworkDefinitionError
            If the result is not a valid framework (e.g. a domain left without indicators).
        KeyError
            If ``reword``, ``drop`` or ``add`` names a key this framework does not have.

        Examples
        --------
        >>> import wellbeing_framework as wf
        >>> fw = wf.load_framework()
        >>> older = fw.adapt(key="older_people", title="Older people", version="0.1",
        ...                  reword={"pm1": "Take part in activities I enjoy"},
        ...                  drop=["pm5"], note="Example only")
        >>> older.adapted_from
        AdaptedFrom(key='ni_social_wellbeing', version='1.0.0', note='Example only')
        >>> len(older.indicators)
        17
        """
        reword = dict(reword or {})
        add = dict(add or {})
        dropped = set(drop)
        for k in dropped:
            self.indicator(k)
        for k in add:
            self.domain(k)
        known = set(self.indicator_keys) | {d.key for d in self.domains}
        for k in reword:
            if k not in known:
                self.indicator(k)
        domains: list[Domain] = []
        for d in self.domains:
            indicators: list[Indicator] = [
                attrs.evolve(i, text=reword.get(i.key, i.text))
                for i in d.indicators
                if i.key not in dropped
            ]
            indicators.extend(add.get(d.key, ()))
            domains.append(
                attrs.evolve(d, indicators=tuple(indicators), aim=reword.get(d.key, d.aim))
            )
        return attrs.evolve(
            self,
            key=key,
            title=title,
            version=version,
            domains=tuple(domains),
            scale=scale if scale is not None else self.scale,
            adapted_from=AdaptedFrom(key=self.key, version=self.version, note=note),
            **changes,  # type: ignore[arg-type]
        )

    def __repr__(self) -> str:
        return (
            f"Framework({self.key!r} v{self.version}: {len(self.domains)} domains, "
            f"{len(self.indicators)} indicators, scale {self.scale.min}-{self.scale.max})"
        )

    def _repr_html_(self) -> str:
        head = (
            f"<p><strong>{_e(self.title)}</strong> <code>{_e(self.key)}</code> "
            f"version {_e(self.version)}; rated {self.scale.min}-{self.scale.max}"
        )
        if self.scale.labels:
            head += (
                " ("
                + ", ".join(
                    f"{p} {_e(lab)}"
                    for p, lab in zip(self.scale.points, self.scale.labels, strict=True)
                )
                + ")"
            )
        head += "</p>"
        if self.adapted_from is not None:
            head += (
                f"<p>Adapted from <code>{_e(self.adapted_from.key)}</code> "
                f"version {_e(self.adapted_from.version)}</p>"
            )
        rows = []
        for d in self.domains:
            for n, i in enumerate(d.indicators):
                first = (
                    f'<td rowspan="{len(d.indicators)}"><strong>{_e(d.title)}</strong><br>'
                    f"<em>{_e(d.aim or '')}</em></td>"
                    if n == 0
                    else ""
                )
                rev = " (reverse)" if i.reverse else ""
                rows.append(
                    f"<tr>{first}<td><code>{_e(i.key)}</code></td><td>{_e(i.text)}{rev}</td></tr>"
                )
        table = (
            "<table><thead><tr><th>domain</th><th>key</th><th>indicator</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        centre = ""
        if self.centre:
            centre = "<p>Centre: " + ", ".join(_e(c.title) for c in self.centre) + "</p>"
        return f"<div>{head}{table}{centre}</div>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


_K = TypeVar("_K", bound=_Keyed)
_PLURAL = {"approach": "approaches"}


def _lookup(items: Sequence[_K], key: str, what: str) -> _K:
    for item in items:
        if item.key == key:
            return item
    keys = [item.key for item in items]
    close = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.5)
    msg = f"no {what} {key!r} in this framework"
    msg += f"; did you mean {close[0]!r}?" if close else "."
    listing = ", ".join(keys) if len(keys) <= 20 else ", ".join(keys[:20]) + ", ..."
    plural = _PLURAL.get(what, what + "s")
    msg += f" {plural.capitalize()}: {listing}"
    raise KeyError(msg)


def _as_document(obj: object) -> dict[str, Any]:
    """The object as plain JSON-like data with the file format's field names."""
    return attr.asdict(
        obj,  # type: ignore[arg-type]
        retain_collection_types=False,
        filter=lambda _attribute, value: value is not None,
    )
