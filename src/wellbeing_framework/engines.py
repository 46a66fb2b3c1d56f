"""Which engine runs a table: pandas, built in, or an engine registered for other frames.

The public entry points (:func:`~wellbeing_framework.validate`,
:func:`~wellbeing_framework.score`, :func:`~wellbeing_framework.place_on_continuum`,
:func:`~wellbeing_framework.cohort.snapshot`, :func:`~wellbeing_framework.cohort.compare_groups`)
ask :func:`engine_for` once; ``None`` means pandas, which they run themselves. The Dask engine
(:mod:`wellbeing_framework.dask_engine`) is registered here by the package face, as a
:class:`LazyEngine` loaded the first time a Dask frame arrives, so the core modules never
import it: imports point one way only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from wellbeing_framework.continuum_rules import ContinuumRules
    from wellbeing_framework.framework import Framework
    from wellbeing_framework.rules import ScoringRules
    from wellbeing_framework.validation import ValidationReport

__all__ = ["Engine", "LazyEngine", "engine_for", "is_dask", "register"]


class Engine(Protocol):
    """What an engine for lazy or partitioned frames provides."""

    name: str

    def handles(self, data: object) -> bool:
        """True for the frames this engine runs."""

    def validate(self, data: Any, framework: Framework, **options: Any) -> ValidationReport:
        """Validate across the whole frame (problems with global row numbers)."""

    def score(
        self, data: Any, framework: Framework, rules: ScoringRules | None, **options: Any
    ) -> Any:
        """Validate, then score lazily."""

    def place(self, scores: Any, framework: Framework, rules: ContinuumRules | None) -> Any:
        """Place every row on the continuum lazily."""

    def one_per_person(self, scores: Any, which: Any, **options: Any) -> Any:
        """One assessment per person, lazily."""

    def compute(self, *lazy: Any) -> tuple[Any, ...]:
        """Compute lazy results together."""


class LazyEngine:
    """An engine whose code is loaded when a frame first needs it.

    Only ``handles`` runs up front (cheap, importing nothing); ``load`` builds the real
    engine the first time one of its methods is called.
    """

    def __init__(self, name: str, handles: Callable[[object], bool], load: Callable[[], Engine]):
        self.name = name
        self._handles = handles
        self._load = load
        self._engine: Engine | None = None

    def _real(self) -> Engine:
        if self._engine is None:
            self._engine = self._load()
        return self._engine

    def handles(self, data: object) -> bool:
        return self._handles(data)

    def validate(self, data: Any, framework: Framework, **options: Any) -> ValidationReport:
        return self._real().validate(data, framework, **options)

    def score(
        self, data: Any, framework: Framework, rules: ScoringRules | None, **options: Any
    ) -> Any:
        return self._real().score(data, framework, rules, **options)

    def place(self, scores: Any, framework: Framework, rules: ContinuumRules | None) -> Any:
        return self._real().place(scores, framework, rules)

    def one_per_person(self, scores: Any, which: Any, **options: Any) -> Any:
        return self._real().one_per_person(scores, which, **options)

    def compute(self, *lazy: Any) -> tuple[Any, ...]:
        return self._real().compute(*lazy)


_REGISTERED: list[Engine] = []


def register(engine: Engine) -> None:
    """Register an engine (once per name)."""
    if all(e.name != engine.name for e in _REGISTERED):
        _REGISTERED.append(engine)


def engine_for(data: object) -> Engine | None:
    """The registered engine that runs ``data``, or ``None`` for pandas."""
    for engine in _REGISTERED:
        if engine.handles(data):
            return engine
    return None


def is_dask(data: object) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(data).__module__.startswith("dask") and hasattr(data, "map_partitions")
