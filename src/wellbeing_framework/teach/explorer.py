"""The explorer: move a rating and see the profile, the scores and the practice continuum
answer at once; a second panel shows reliable change. For lectures and for students."""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wellbeing_framework.extras import require

if TYPE_CHECKING:
    import pandas as pd

    from wellbeing_framework.framework import Framework

__all__ = ["Explorer", "explorer"]

NOT_ANSWERED = "not answered"
CAVEAT = (
    "Decision support for reflection and teaching, never a decision: professional judgement, "
    "the person's own view and their rights come first."
)


def _widgets() -> Any:
    return require("ipywidgets", "the explorer (wf.teach.explorer)")


def _options(fw: Framework) -> list[str]:
    """A rating control's choices: unanswered, then each point with its words."""
    scale = fw.scale
    words = [f"{p} {scale.label(p)}" if scale.labels else str(p) for p in scale.points]
    return [NOT_ANSWERED, *words]


class Explorer:
    """The explorer app (what :func:`explorer` returns); display it in a notebook.

    Attributes
    ----------
    framework : Framework
    controls : dict
        One widget per indicator and centre item, by key; set ``.value`` to move it
        (the option's text, such as ``"4 mostly"``, or a number on a continuous scale).
    case : dict
        The case's ``risk_to_others`` and ``statutory_order`` check boxes.
    preset : ipywidgets.Dropdown
        The teaching vignettes; choosing one loads its ratings.
    scores, placement, flag : ipywidgets.HTML
        The domain scores, bands and index; the place on the practice continuum with its
        reasons and the decision-support caveat; the safeguarding flag.
    picture : ipywidgets.Image
        The quadrant profile (PNG), redrawn as the controls move.
    change : dict
        The reliable change panel: ``reliability``, ``sd``, ``baseline``, ``follow_up``
        and its ``result`` (HTML).
    widget : ipywidgets.Tab
        The whole app: "Profile" and "Reliable change".
    """

    def __init__(self, framework: Framework) -> None:
        w = _widgets()
        from wellbeing_framework.vignettes import load_vignettes

        self.framework = framework
        self.controls: dict[str, Any] = {}
        self.case = {
            "risk_to_others": w.Checkbox(description="risk to others", value=False),
            "statutory_order": w.Checkbox(description="statutory order", value=False),
        }
        vignettes = load_vignettes()
        scale = framework.scale  # the vignettes are rated 1-5 on the bundled indicators
        fits = set(framework.indicator_keys) <= set(vignettes.columns) and (
            scale.integer and (scale.min, scale.max) == (1, 5)
        )
        self._vignettes = vignettes if fits else vignettes.iloc[0:0]
        choices = [("your own ratings", "")] + [
            (f"{r.person_id}: {r.title}", str(r.person_id)) for r in self._vignettes.itertuples()
        ]
        self.preset = w.Dropdown(
            options=choices, value="", description="Vignette", layout=w.Layout(width="560px")
        )
        self.story = w.HTML()
        self.scores, self.placement, self.flag = w.HTML(), w.HTML(), w.HTML()
        self.picture = w.Image(format="png", layout=w.Layout(width="520px"))
        self.change = _change_panel(w)
        self.widget = self._layout(w)
        self._quiet = False
        for control in [*self.controls.values(), *self.case.values()]:
            control.observe(self._changed, names="value")
        self.preset.observe(self._preset, names="value")
        for name in ("reliability", "sd", "baseline", "follow_up"):
            self.change[name].observe(self._changed_rc, names="value")
        self.update()
        self.update_change()

    # --- building -----------------------------------------------------------------------

    def _control(self, w: Any, key: str, text: str) -> Any:
        scale = self.framework.scale
        if scale.integer:
            options = _options(self.framework)
            middle = options[1 + (len(scale.points) - 1) // 2]  # the middle, or below it
            control = w.SelectionSlider(
                options=options,
                value=middle,
                continuous_update=False,
                readout=True,
                layout=w.Layout(width="330px"),
            )
        else:
            control = w.FloatSlider(
                min=scale.min,
                max=scale.max,
                value=(scale.min + scale.max) / 2,
                continuous_update=False,
                layout=w.Layout(width="330px"),
            )
        self.controls[key] = control
        label = w.HTML(
            f"<span title='{html.escape(key)}'>{html.escape(text)}</span>",
            layout=w.Layout(width="300px"),
        )
        return w.HBox([label, control])

    def _layout(self, w: Any) -> Any:
        sections = []
        for domain in self.framework.domains:
            rows = [self._control(w, i.key, i.text) for i in domain.indicators]
            sections.append(w.VBox([w.HTML(f"<b>{html.escape(domain.title)}</b>"), *rows]))
        if self.framework.centre:
            rows = [self._control(w, c.key, c.text or c.title) for c in self.framework.centre]
            sections.append(w.VBox([w.HTML("<b>At the centre</b>"), *rows]))
        question = self.framework.scale.question
        head = w.HTML(f"<i>{html.escape(question)}</i>") if question else w.HTML("")
        left = w.VBox([self.preset, head, *sections, w.HBox(list(self.case.values()))])
        right = w.VBox(
            [self.picture, self.scores, self.flag, self.placement], layout=w.Layout(width="460px")
        )
        profile = w.HBox([left, right])
        panel = w.VBox(
            [
                w.HTML(
                    "<b>Reliable change</b> (Jacobson &amp; Truax 1991): is a change bigger "
                    "than the measure's own error?"
                ),
                self.change["reliability"],
                self.change["sd"],
                self.change["baseline"],
                self.change["follow_up"],
                self.change["result"],
            ]
        )
        tabs = w.Tab(children=[profile, panel])
        tabs.set_title(0, "Profile")
        tabs.set_title(1, "Reliable change")
        return tabs

    # --- reading the controls -----------------------------------------------------------

    def ratings(self) -> dict[str, float | None]:
        """The ratings the controls hold now, by key (``None`` where not answered)."""
        out: dict[str, float | None] = {}
        for key, control in self.controls.items():
            value = control.value
            if isinstance(value, str):
                out[key] = None if value == NOT_ANSWERED else float(value.split(" ")[0])
            else:
                out[key] = float(value)
        return out

    def table(self) -> pd.DataFrame:
        """The case as a one-row scores table, placed on the continuum."""
        import pandas as pd

        from wellbeing_framework.continuum import place_on_continuum
        from wellbeing_framework.scoring import score

        row = {"person_id": "explorer", **self.ratings()}
        row.update({k: bool(c.value) for k, c in self.case.items()})
        scored = score(pd.DataFrame([row]), self.framework)
        if self.framework.continuum is None:
            return scored  # a framework without a continuum: scores only
        placed: pd.DataFrame = place_on_continuum(scored, self.framework)
        return placed

    # --- answering ----------------------------------------------------------------------

    def _changed(self, _change: Any) -> None:
        if not self._quiet:
            if self.preset.value:  # the case is no longer the vignette: say so, and let it
                self._quiet = True  # be chosen again
                self.preset.value = ""
                self.story.value = ""
                self._quiet = False
            self.update()

    def _changed_rc(self, _change: Any) -> None:
        self.update_change()

    def _preset(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            self.load(str(change["new"]))

    def load(self, vignette: str) -> None:
        """Set every control to a teaching vignette's ratings (``"V1"`` ... ``"V5"``)."""
        rows = self._vignettes[self._vignettes["person_id"] == vignette]
        if rows.empty:
            raise ValueError(f"no vignette {vignette!r} for this framework")
        row = rows.iloc[0]
        self.story.value = f"<p><i>{html.escape(str(row.get('narrative', '')))}</i></p>"
        previous, self._quiet = self._quiet, True
        try:
            for key, control in self.controls.items():
                value = row.get(key)
                control.value = self._option(value)
            for key, box in self.case.items():
                box.value = bool(row.get(key, False))
        finally:
            self._quiet = previous
        self.update()

    def _option(self, value: Any) -> Any:
        import math

        missing = value is None or (isinstance(value, float) and math.isnan(value))
        if not self.framework.scale.integer:
            return self.framework.scale.min if missing else float(value)
        if missing:
            return NOT_ANSWERED
        return next(o for o in _options(self.framework)[1:] if o.split(" ")[0] == str(int(value)))

    def update(self) -> None:
        """Score the controls' ratings and redraw everything (called as they move)."""
        row = self.table().iloc[0]
        self.scores.value = _scores_html(row, self.framework)
        self.flag.value = _flag_html(row)
        self.placement.value = _placement_html(row, self.framework)
        self.picture.value = self._png(row)

    def _png(self, row: pd.Series) -> bytes:
        """The quadrant as PNG, drawn off screen: no pyplot, so the notebook's own figures
        are left alone."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from wellbeing_framework.plot.quadrant import quadrant
        from wellbeing_framework.profile import Profile

        profile = Profile.from_row(row, self.framework, ratings=self.ratings())
        figure = Figure(figsize=(6.4, 6.4))
        FigureCanvasAgg(figure)
        quadrant(profile, self.framework, ax=figure.add_subplot(projection="polar"))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        return buffer.getvalue()

    def update_change(self) -> None:
        """Recompute the reliable change panel."""
        self.change["result"].value = _change_html(
            self.change["baseline"].value,
            self.change["follow_up"].value,
            self.change["reliability"].value,
            self.change["sd"].value,
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _change_panel(w: Any) -> dict[str, Any]:
    style = {"description_width": "150px"}

    def slider(value: float, low: float, high: float, step: float, text: str) -> Any:
        return w.FloatSlider(
            value=value,
            min=low,
            max=high,
            step=step,
            description=text,
            readout_format=".2f" if step < 0.1 else ".1f",
            style=style,
            layout=w.Layout(width="520px"),
        )

    return {
        "reliability": slider(0.84, 0.5, 0.99, 0.01, "reliability (alpha)"),
        "sd": slider(18.0, 5.0, 40.0, 0.5, "SD at baseline"),
        "baseline": slider(40.0, 0, 100, 0.5, "baseline score"),
        "follow_up": slider(55.0, 0, 100, 0.5, "follow-up score"),
        "result": w.HTML(),
    }


def _scores_html(row: pd.Series, fw: Framework) -> str:
    import math

    def shown(key: str) -> str:
        value = row.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "<td>not scored</td><td></td>"
        return f"<td>{value:.1f}/100</td><td>{html.escape(str(row.get(key + '_band')))}</td>"

    rows = [f"<tr><td>{html.escape(d.title)}</td>{shown(d.key)}</tr>" for d in fw.domains]
    rows += [f"<tr><td>{html.escape(c.title)}</td>{shown(c.key)}</tr>" for c in fw.centre]
    rows.append(f"<tr><td><b>Index</b></td>{shown('index')}</tr>")
    return f"<table class='wf-scores'>{''.join(rows)}</table>"


def _flag_html(row: pd.Series) -> str:
    import pandas as pd

    if "flag_safeguarding" not in row.index:
        return "<div class='wf-flag'>This framework has no safeguarding flag.</div>"
    flag = row.get("flag_safeguarding")
    if flag is None or flag is pd.NA or (isinstance(flag, float) and flag != flag):
        return (
            "<div class='wf-flag' style='background:#FFF3C4;padding:4px'><b>Safeguarding "
            "flag cannot be decided</b>: a safety indicator is not answered. Not "
            "answered is not safe: ask.</div>"
        )
    if flag is True or str(flag) == "True":
        return (
            "<div class='wf-flag' style='color:#fff;background:#801650;padding:4px'>"
            "<b>Safeguarding flag raised</b>: a safety indicator is rated at the scale "
            "minimum. Follow your safeguarding procedures.</div>"
        )
    return "<div class='wf-flag'>No safeguarding flag.</div>"


def _placement_html(row: pd.Series, fw: Framework) -> str:
    approach = row.get("approach")
    if not isinstance(approach, str) or fw.continuum is None:
        return f"<p class='wf-placement'>Not placed on the continuum.</p><p><i>{CAVEAT}</i></p>"
    title = fw.continuum.approach(approach).title
    said = str(row.get("reasons", ""))
    reasons = "<br>".join(html.escape(line) for line in said.splitlines())
    caveat = "" if "not a decision" in said else f"<p><i>{CAVEAT}</i></p>"
    return (
        f"<p class='wf-placement'><b>{html.escape(title)}</b> "
        f"(position {row['continuum_position']:.2f}, 0 empowering to 1 protecting)</p>"
        f"<p>{reasons}</p>{caveat}"
    )


def _change_html(baseline: float, follow_up: float, reliability: float, sd: float) -> str:
    import numpy as np

    from wellbeing_framework.cohort.change import reliable_change

    result = reliable_change(np.array([baseline]), np.array([follow_up]), reliability, sd=sd)
    rci = float(result["rci"].iloc[0])
    category = str(result["category"].iloc[0])
    se = sd * (1 - reliability) ** 0.5
    needed = 1.96 * 2**0.5 * se
    side = "beyond" if abs(rci) > 1.96 else "within"
    return (
        f"<p class='wf-rc'>Change {follow_up - baseline:+.1f} points; RCI {rci:.3f}, {side} "
        f"±1.96: <b>{html.escape(category)}</b>.</p>"
        f"<p>Why: the standard error of measurement is SD × √(1 − r) = {se:.1f} points, so a "
        f"change must be at least 1.96 × √2 × {se:.1f} = {needed:.1f} points to be more than "
        "the measure's own error (|RCI| &gt; 1.96). A higher reliability or a smaller SD makes "
        "a smaller change reliable.</p>"
    )


def explorer(fw: Framework | str | None = None) -> Explorer:
    """The explorer: an ipywidgets app to move ratings and watch the profile answer.

    One control per indicator and centre item, labelled with the indicator's words and the
    scale's labels; as they move, the quadrant profile redraws, the domain scores, bands and
    index update, the case's place on the practice continuum is shown with its reasons and
    the decision-support caveat, and the safeguarding flag appears when it should. Presets
    load the five teaching vignettes. A second tab shows reliable change: pick a
    reliability, an SD, a baseline and a follow-up score and see the RCI, the Jacobson-Truax
    category and why. Works on any framework, adapted or on a continuous scale (the
    vignettes are offered when the framework has their indicators).

    Needs the ``teach`` extra (ipywidgets). ``wellbeing explore`` serves it as a web page.

    Parameters
    ----------
    fw
        The framework, or the name or path of one (see
        :func:`~wellbeing_framework.load_framework`); the bundled one by default.

    Returns
    -------
    Explorer
        Display it (the last line of a notebook cell). Its controls can be set from code.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> app = wf.teach.explorer()
    >>> app.controls["sw5"].value = "1 not at all"
    >>> "Safeguarding flag raised" in app.flag.value
    True
    """
    from wellbeing_framework.framework import Framework

    if not isinstance(fw, Framework):
        from wellbeing_framework.io import load_framework

        fw = load_framework(fw)
    return Explorer(fw)
