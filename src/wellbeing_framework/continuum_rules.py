"""The rules of the practice continuum: how scores place a case (one serialisable object).

Kept apart from :mod:`wellbeing_framework.continuum` (which places cases) so that the one
converter can serialise the rules without importing the placement code.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from wellbeing_framework.exceptions import ScoringError
from wellbeing_framework.framework import Framework

__all__ = ["ContinuumRules"]


def _strs(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@frozen(kw_only=True)
class ContinuumRules:
    """How scores place a case between the empowering and the protecting end.

    The position, from 0 (empowering) to 1 (protecting), is the largest of:

    - the **empowering part**: ``empowering_reach`` x the weighted mean need of the scored
      domains, where a domain's need is ``1 - score/100`` (every domain counts; Safe and Well
      weighs most by default);
    - the **protecting part**: ``protecting_reach`` x the need of the protecting domain
      (Safe and Well), which alone can carry a case into the protecting half;
    - **floors**: a raised flag or a recorded case column puts the case at least at a named
      approach (its centre on the axis).

    The approaches sit evenly along the axis in the framework's order; the nearest one is the
    case's ``approach`` and a Gaussian kernel of width ``spread`` gives the blend of weights.

    Parameters
    ----------
    domain_weights
        Weight of each domain in the empowering part, by domain key. ``None``: Safe and Well
        2, every other domain 1 (all 1 for a framework without ``sw``).
    protecting_domain
        The domain whose need alone can carry a case toward protection. ``None`` for none;
        the default ``"sw"`` applies when the framework has it.
    empowering_reach
        Position reached by the empowering part when every domain scores 0.
    protecting_reach
        Position reached by the protecting part when the protecting domain scores 0.
    required
        Domains that must be scored to place a case; ``None`` means the protecting domain
        (or every domain when there is none). Too little information is not a guess.
    flag_floors
        Flag name (as in ``flag_<name>``) to the key of the lowest approach it allows.
        ``None``: the safeguarding flag floors at ``"safeguarding"``.
    case_floors
        Case column to the key of the lowest approach it allows when the column is true.
        ``None``: ``risk_to_others`` and ``statutory_order`` floor at
        ``"statutory_protection"``.
    spread
        Width of the blend over neighbouring approaches, in position units (> 0).

    Raises
    ------
    ScoringError
        If a reach is outside (0, 1], the spread is not positive or a weight is not
        positive; :meth:`resolve` also refuses unknown domains and approaches.

    Examples
    --------
    >>> rules = ContinuumRules(spread=0.2)
    >>> rules.protecting_reach
    0.75
    """

    domain_weights: dict[str, float] | None = None
    protecting_domain: str | None = "sw"
    empowering_reach: float = 0.625
    protecting_reach: float = 0.75
    required: tuple[str, ...] | None = field(default=None, converter=_strs)
    flag_floors: dict[str, str] | None = None
    case_floors: dict[str, str] | None = None
    spread: float = 0.12

    def __attrs_post_init__(self) -> None:
        problems = []
        for name in ("empowering_reach", "protecting_reach"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                problems.append(f"{name} must be in (0, 1], got {value}")
        if not self.spread > 0:
            problems.append(f"spread must be positive, got {self.spread}")
        for key, weight in (self.domain_weights or {}).items():
            if not weight > 0:
                problems.append(f"domain weight of {key!r} must be positive, got {weight}")
        if problems:
            raise ScoringError(problems)

    def resolve(self, framework: Framework) -> ContinuumRules:
        """Return the rules made concrete for ``framework``, after checking them against it.

        Raises
        ------
        ScoringError
            If the framework has no continuum, or the rules name an unknown domain or
            approach.
        """
        if framework.continuum is None:
            msg = f"framework {framework.key!r} has no practice continuum to place cases on"
            raise ScoringError(msg)
        domains = [d.key for d in framework.domains]
        approaches = [a.key for a in framework.continuum.approaches]
        protecting = self.protecting_domain
        if protecting is not None and protecting not in domains and protecting == "sw":
            protecting = None  # the default does not apply to this framework
        weights = self.domain_weights
        if weights is None:
            weights = {d: (2.0 if d == protecting else 1.0) for d in domains}
        required = self.required
        if required is None:
            required = (protecting,) if protecting is not None else tuple(domains)
        flag_floors = self.flag_floors
        if flag_floors is None:
            flag_floors = {"safeguarding": "safeguarding"} if "safeguarding" in approaches else {}
        case_floors = self.case_floors
        if case_floors is None:
            top = "statutory_protection"
            case_floors = (
                {"risk_to_others": top, "statutory_order": top} if top in approaches else {}
            )
        problems = [f"domain weight for unknown domain {k!r}" for k in weights if k not in domains]
        problems += [f"no weight for domain {k!r}" for k in domains if k not in weights]
        if protecting is not None and protecting not in domains:
            problems.append(f"unknown protecting domain {protecting!r}")
        problems += [f"unknown required domain {k!r}" for k in required if k not in domains]
        for kind, floors in (("flag", flag_floors), ("case column", case_floors)):
            problems += [
                f"{kind} floor {name!r} names unknown approach {key!r} "
                f"(approaches: {', '.join(approaches)})"
                for name, key in floors.items()
                if key not in approaches
            ]
        if problems:
            raise ScoringError(problems)
        return attrs.evolve(
            self,
            domain_weights=dict(weights),
            protecting_domain=protecting,
            required=required,
            flag_floors=dict(flag_floors),
            case_floors=dict(case_floors),
        )
