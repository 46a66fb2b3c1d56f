"""The AB chart of a single-system design: one person's scores, baseline then intervention."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from wellbeing_framework.plot.style import CATEGORICAL, MID_GREY, plain, set_description, theme

__all__ = ["single_case"]


def _points(
    scores: pd.DataFrame, measure: str, phase: str, person: str | None, time: str | None
) -> tuple[pd.DataFrame, str]:
    from wellbeing_framework.single_case import in_time_order, phase_labels

    data = scores
    if person is not None:
        if "person_id" not in scores.columns:
            raise ValueError("no column 'person_id' to choose the person by")
        data = scores[scores["person_id"].astype(str) == str(person)]
        if data.empty:
            raise ValueError("no assessment of that person in the table")
    elif "person_id" in scores.columns and len(set(scores["person_id"].astype(str))) > 1:
        msg = "the table holds several people: choose one with person="
        raise ValueError(msg)
    for column in (measure, phase):
        if column not in data.columns:
            raise ValueError(f"no column {column!r} in the table")
    x_name = time or next((c for c in ("assessment_date", "wave") if c in data.columns), "")
    data, placed = in_time_order(data, time)
    x = data[x_name] if x_name else pd.Series(np.arange(1, len(data) + 1), index=data.index)
    if x_name and not (
        pd.api.types.is_datetime64_any_dtype(x.dtype) or pd.api.types.is_numeric_dtype(x.dtype)
    ):
        from wellbeing_framework.dates import parse_dates

        x = parse_dates(x.astype(object)).values  # text dates, read by the one rule
    out = pd.DataFrame(
        {
            "x": x.to_numpy(),
            "y": pd.to_numeric(data[measure], errors="coerce").to_numpy(dtype=float),
            "phase": phase_labels(data[phase]).to_numpy(),
        }
    )
    usable = out["phase"].notna() & np.isfinite(out["y"]) & placed.to_numpy()
    out = out[usable.to_numpy()].reset_index(drop=True)
    if not (out["phase"] == "A").any() or not (out["phase"] == "B").any():
        raise ValueError("an AB chart needs assessments in both phase A and phase B")
    if out.index[out["phase"] == "A"].max() > out.index[out["phase"] == "B"].min():
        raise ValueError("an AB chart needs the baseline (A) before the intervention (B)")
    return out, x_name or "Assessment"


def single_case(
    scores: pd.DataFrame,
    *,
    measure: str = "index",
    phase: str = "phase",
    person: str | None = None,
    time: str | None = None,
    trend: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """The classic AB chart: one person's scores over time, a line where help began.

    Parameters
    ----------
    scores
        One person's assessments (or several people's, with ``person=``), with a phase
        column (``"A"``/``"baseline"``, ``"B"``/``"intervention"``).
    measure, phase
        The score and the phase column.
    person
        Whose assessments to draw, when the table holds several people.
    time
        The column on the x axis (default ``assessment_date``, else ``wave``, else the
        order of the rows).
    trend
        Draw the baseline's least-squares trend, extended dashed into phase B: where the
        person was heading without help.
    ax
        Axes to draw on; a new figure is made if ``None``.
    title
        A title (left-aligned).

    Returns
    -------
    matplotlib.axes.Axes
        The points joined within each phase (gids ``phase-A``, ``phase-B``), each phase's
        mean as a horizontal line (``mean-A``, ``mean-B``), the phase change as a vertical
        dashed line (``phase-change``) and the trend (``trend``).

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> data = pd.DataFrame({"wave": range(1, 9), "phase": ["A"] * 3 + ["B"] * 5,
    ...                      "index": [40, 45, 42, 55, 60, 58, 65, 70]})
    >>> ax = wf.plot.single_case(data)
    >>> sorted(line.get_gid() for line in ax.get_lines())
    ['mean-A', 'mean-B', 'phase-A', 'phase-B', 'phase-change', 'trend']
    """
    points, x_name = _points(scores, measure, phase, person, time)
    a, b = points[points["phase"] == "A"], points[points["phase"] == "B"]
    numeric = pd.api.types.is_datetime64_any_dtype(points["x"]) or pd.api.types.is_numeric_dtype(
        points["x"]
    )
    with theme():
        if ax is None:
            _, ax = plt.subplots(figsize=(7.0, 4.0), layout="constrained")
        for label, part, colour, marker in (
            ("A", a, MID_GREY, "o"),
            ("B", b, CATEGORICAL[0], "s"),
        ):
            name = "Baseline (A)" if label == "A" else "Intervention (B)"
            ax.plot(
                part["x"],
                part["y"],
                marker=marker,
                color=colour,
                linewidth=1.8,
                label=name,
                gid=f"phase-{label}",
            )
            ax.plot(
                [part["x"].iloc[0], part["x"].iloc[-1]],
                [part["y"].mean()] * 2,
                color=colour,
                linewidth=1,
                linestyle=":",
                gid=f"mean-{label}",
                label=f"{name} mean {part['y'].mean():.1f}",
            )
        _marks(ax, points, a, b, numeric=numeric, trend=trend)
        ax.set_ylabel("Index (0-100)" if measure == "index" else plain(measure))
        ax.set_xlabel(plain(str(x_name).replace("_", " ")).capitalize())
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
        if title:
            ax.set_title(plain(title), loc="left")
    set_description(
        ax,
        f"AB chart of {measure}: {len(a)} baseline assessments (mean {a['y'].mean():.1f}) "
        f"then {len(b)} with help (mean {b['y'].mean():.1f}).",
    )
    return ax


def _marks(
    ax: Axes,
    points: pd.DataFrame,
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    numeric: bool,
    trend: bool,
) -> None:
    """The phase change, the baseline trend, date ticks and the phase letters."""
    if numeric:
        last_a, first_b = a["x"].iloc[-1], b["x"].iloc[0]
        change = last_a + (first_b - last_a) / 2
        ax.axvline(change, color="black", linestyle="--", linewidth=1, gid="phase-change")
    if trend and numeric and len(a) >= 2:
        as_number = _as_number(points["x"])
        slope, intercept = np.polyfit(as_number[: len(a)], a["y"].to_numpy(float), 1)
        ends = np.array([as_number[0], as_number[-1]])
        ax.plot(
            points["x"].iloc[[0, -1]],
            intercept + slope * ends,
            color=MID_GREY,
            linestyle="--",
            linewidth=1,
            gid="trend",
            label="Baseline trend, extended",
        )
    if pd.api.types.is_datetime64_any_dtype(points["x"]):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=7)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    for label, part in (("A", a), ("B", b)):
        middle = part["x"].iloc[0] + (part["x"].iloc[-1] - part["x"].iloc[0]) / 2
        ax.annotate(
            label,
            (middle, 0.98),  # inside the axes, clear of a title
            xycoords=("data", "axes fraction"),
            ha="center",
            va="top",
            fontweight="bold",
            color=MID_GREY,
        )


def _as_number(x: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(x):
        days: np.ndarray = ((x - x.iloc[0]) / pd.Timedelta(days=1)).to_numpy(dtype=float)
        return days
    numbers: np.ndarray = x.to_numpy(dtype=float)
    return numbers
