"""One person's scored assessment: the scores, bands and flags, with a plain summary."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd
from attrs import frozen

from wellbeing_framework.framework import Framework
from wellbeing_framework.rules import FlagRule, ScoringRules

__all__ = ["Profile"]


@frozen(kw_only=True, eq=False)
class Profile:
    """One person's scored assessment: the numbers :func:`score` gives, for one row.

    Attributes
    ----------
    framework : Framework
    ratings : dict
        The ratings as given, by key (``None`` when unanswered).
    domains : dict
        0-100 score per domain key (``None`` when not scored).
    centre : dict
        0-100 score per centre item key.
    index : float or None
    bands : dict
        Band label per domain, centre item and ``"index"``.
    flags : dict
        Flag value per flag name (``None`` when it cannot be decided).
    n_answered : int
    rules : ScoringRules
        The resolved rules used.
    """

    framework: Framework
    ratings: dict[str, float | None]
    domains: dict[str, float | None]
    centre: dict[str, float | None]
    index: float | None
    bands: dict[str, str | None]
    flags: dict[str, bool | None]
    n_answered: int
    rules: ScoringRules

    @classmethod
    def from_row(
        cls,
        row: pd.Series,
        framework: Framework,
        rules: ScoringRules | None = None,
        ratings: Mapping[str, float | None] | None = None,
    ) -> Profile:
        """Build a profile from one row of a scores table."""
        resolved = (rules or ScoringRules()).resolve(framework)

        def num(key: str) -> float | None:
            value = row.get(key)
            return None if value is None or pd.isna(value) else float(value)

        scored = [d.key for d in framework.domains] + [c.key for c in framework.centre]
        return cls(
            framework=framework,
            ratings=dict(ratings or {}),
            domains={d.key: num(d.key) for d in framework.domains},
            centre={c.key: num(c.key) for c in framework.centre},
            index=num("index"),
            bands={
                k: None if pd.isna(row.get(f"{k}_band")) else str(row.get(f"{k}_band"))
                for k in [*scored, "index"]
            },
            flags={
                f.name: None
                if pd.isna(row.get(f"flag_{f.name}"))
                else bool(row.get(f"flag_{f.name}"))
                for f in resolved.flags or ()
            },
            n_answered=int(row.get("n_answered", 0)),
            rules=resolved,
        )

    def summary(self) -> str:
        """Return a plain-language summary: strongest and weakest domain, index, flags.

        Examples
        --------
        >>> import wellbeing_framework as wf
        >>> fw = wf.load_framework()
        >>> ratings = {k: 4 for k in fw.indicator_keys} | {"sw5": 1, "pm1": 5, "pm2": 5}
        >>> print(wf.score_one(ratings, fw).summary())
        Strongest domain: Purpose and Meaning (85/100, thriving).
        Weakest domain: Safe and Well (60/100, managing).
        Index: 74/100 (managing).
        Flag safeguarding: 'Are safe from harm, abuse and exploitation' rated 1 (not at all).
        """
        fw = self.framework
        lines = []
        scored = {k: v for k, v in self.domains.items() if v is not None}
        if scored:
            best = max(scored, key=lambda k: scored[k])
            worst = min(scored, key=lambda k: scored[k])
            lines.append(f"Strongest domain: {self._describe(best)}.")
            if worst != best:
                lines.append(f"Weakest domain: {self._describe(worst)}.")
        for key, value in self.domains.items():
            if value is None:
                lines.append(
                    f"{fw.domain(key).title} not scored: fewer than "
                    f"{self._needed(key)} of its indicators answered."
                )
        if self.index is not None:
            lines.append(f"Index: {self.index:.0f}/100 ({self.bands['index']}).")
        else:
            lines.append("Index: not scored (every domain needs a score).")
        for item in fw.centre:
            value = self.centre.get(item.key)
            if value is not None:
                lines.append(f"{item.title}: {value:.0f}/100 ({self.bands[item.key]}).")
        for flag in self.rules.flags or ():
            state = self.flags.get(flag.name)
            if state:
                lines.append(f"Flag {flag.name}: {self.flag_reason(flag)}.")
            elif state is None:
                lines.append(f"Flag {flag.name}: cannot be decided (not answered).")
        return "\n".join(lines)

    def _needed(self, key: str) -> int:
        k = len(self.framework.domain(key).indicators)
        return math.ceil(self.rules.min_answered * k - 1e-9)

    def _describe(self, key: str) -> str:
        value = self.domains[key]
        title = self.framework.domain(key).title
        return f"{title} ({value:.0f}/100, {self.bands[key]})"

    def flag_reason(self, flag: FlagRule) -> str:
        """Say which ratings raised ``flag`` (falls back to the rule's description)."""
        scale = self.framework.scale
        threshold = scale.min if flag.at_most is None else flag.at_most
        parts = []
        for key in flag.indicators:
            rating = self.ratings.get(key)
            if rating is not None and rating <= threshold:
                r = int(rating)
                label = f" ({scale.label(r)})" if scale.labels else ""
                parts.append(f"'{self.framework.indicator(key).text}' rated {r}{label}")
        return "; ".join(parts) if parts else (flag.description or "raised")

    def __repr__(self) -> str:
        scores = ", ".join(
            f"{k}={'-' if v is None else f'{v:.0f}'}" for k, v in self.domains.items()
        )
        index = "-" if self.index is None else f"{self.index:.1f}"
        raised = [k for k, v in self.flags.items() if v]
        flags = f", flags: {', '.join(raised)}" if raised else ""
        return f"Profile({scores}; index={index}{flags})"

    def _repr_html_(self) -> str:
        rows = []
        for d in self.framework.domains:
            value = self.domains[d.key]
            shown = "not scored" if value is None else f"{value:.1f}"
            rows.append(
                f"<tr><td>{html.escape(d.title)}</td><td>{shown}</td>"
                f"<td>{html.escape(self.bands[d.key] or '')}</td></tr>"
            )
        for c in self.framework.centre:
            value = self.centre[c.key]
            shown = "not rated" if value is None else f"{value:.1f}"
            rows.append(
                f"<tr><td><em>{html.escape(c.title)}</em></td><td>{shown}</td>"
                f"<td>{html.escape(self.bands[c.key] or '')}</td></tr>"
            )
        index = "not scored" if self.index is None else f"{self.index:.1f}"
        rows.append(
            f"<tr><td><strong>Index</strong></td><td>{index}</td>"
            f"<td>{html.escape(self.bands['index'] or '')}</td></tr>"
        )
        summary = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return (
            "<div><table><thead><tr><th></th><th>score (0-100)</th><th>band</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table><p>{summary}</p></div>"
        )
