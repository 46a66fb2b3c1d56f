"""The report's sections: for each, a reading in one sentence, a figure and its table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.snapshot import NOT_SCORED
from wellbeing_framework.continuum import DISCLAIMER
from wellbeing_framework.framework import Framework
from wellbeing_framework.plot import groups as plot_groups
from wellbeing_framework.plot import quadrant as plot_quadrant
from wellbeing_framework.plot import snapshot as plot_snapshot
from wellbeing_framework.plot import trajectory as plot_trajectory
from wellbeing_framework.plot.style import describe, set_description
from wellbeing_framework.report import human as h
from wellbeing_framework.report.document import Block, Paragraph, Section
from wellbeing_framework.report.figures import (
    change_bars,
    mix_bars,
    picture,
    reliability_dots,
    unclassified,
)
from wellbeing_framework.report.published import Published, rater_words

__all__ = [
    "change_section",
    "continuum_section",
    "groups_section",
    "overview_section",
    "reliability_section",
    "snapshot_section",
    "trajectory_section",
]


def _titles(framework: Framework) -> dict[str, str]:
    titles = {d.key: d.title for d in framework.domains}
    return titles | {c.key: c.title for c in framework.centre} | {"index": "Index"}


#: Said when counts are suppressed but not rounded.
UNROUNDED = (
    " Counts are not rounded under this policy, so counts from different tables can be "
    "subtracted exactly and may narrow a suppressed one; for publication prefer a policy "
    "that also rounds (nhs or 10-5)."
)


def _counted(value: int | None, policy_rounds: bool) -> str:
    if value is None:
        return f"{h.DASH} (too few to publish)"
    return f"{value:,}" + (" (rounded)" if policy_rounds else "")


def overview_section(tables: Published, framework: Framework) -> Section:
    """Who and when, safeguarding flags raised, and the cohort's mean profile."""
    policy = tables.policy
    rounds = policy.rounding > 1
    rows = [
        ("People", _counted(tables.n_people, rounds)),
        ("Assessments, all raters", _counted(tables.n_assessments, rounds)),
    ]
    if tables.n_followed is not None or tables.rater:
        rows.append(("Assessments followed", _counted(tables.n_followed, rounds)))
    if tables.period:
        rows.append(("Period", tables.period))
    if tables.rater:
        rows.append(("Whose assessments are followed", rater_words(tables.rater)))
    for name, value in tables.flagged.items():
        rows.append((f"People with a {name.replace(':', ' flag raised')}", h.count(value)))
    rows.append(("Framework", f"{framework.title}, version {framework.version}"))
    notes = list(tables.flag_rules)
    if any(v != 0 for v in tables.flagged.values()):
        notes.append(
            "This report cannot and must not identify anyone: follow up flagged cases through "
            "case records and safeguarding procedures."
        )
    blocks: list[Block] = []
    why = tables.reasons.get("cohort")
    if why:
        blocks.append(Paragraph(why, "reading"))
    else:
        blocks.append(Paragraph(_overview_reading(tables), "reading"))
        if tables.profile_last is not None:
            ax = plot_quadrant(
                tables.profile_last,
                framework,
                baseline=tables.profile_first,
                show_indicators=False,
            )
            ax.set_title("Mean scores of the cohort", pad=34)
            set_description(
                ax,
                f"The cohort's mean scores at {tables.when[1]} (fill) and at {tables.when[0]} "
                "(dashed outline). " + describe(ax).split(". ", 1)[1],
            )
            blocks.append(picture(ax))
    blocks.append(h.make_table("The cohort", ("", "Detail"), rows, policy, notes=notes))
    blocks.append(
        Paragraph(
            "Every count in this report passes the disclosure control stated under each table "
            "and in Methods; figures show only published, aggregate numbers."
            + (UNROUNDED if policy.rounding == 1 and not policy.is_none else ""),
            "note",
        )
    )
    return Section("Overview", tuple(blocks))


def _overview_reading(tables: Published) -> str:
    people = "an unpublished number of" if tables.n_people is None else f"{tables.n_people:,}"
    text = f"This report describes {people} people"
    if tables.period:
        text += f" assessed from {tables.period}"
    latest = next((v for k, v in tables.flagged.items() if "any rater" not in k), "none")
    if latest != "none":
        shown = "a few (too few to publish)" if latest is None else f"{latest:,}"
        text += f"; {shown} had a safeguarding flag raised at {_their(tables.when[1])}"
    return text + "."


def _their(when: str) -> str:
    """ "the latest assessment" -> "their latest assessment"; "wave 2" stays."""
    return when.replace("the ", "their ", 1) if when.startswith("the ") else when


def _heading(when: str) -> str:
    """ "the latest assessment" -> "Latest"; "baseline" -> "Baseline"; "wave 2" -> "Wave 2"."""
    word = when.removeprefix("the ").removesuffix(" assessment")
    return word[:1].upper() + word[1:]


def snapshot_section(tables: Published) -> Section | None:
    """Bands of the index at baseline and at the latest assessment."""
    first, last = tables.snapshot_first, tables.snapshot_last
    if first is None or last is None:
        return None
    a = first[first["measure"] == "index"].reset_index(drop=True)
    b = last[last["measure"] == "index"].reset_index(drop=True)
    rows = [
        (str(band), h.count(c1), h.percent(s1), h.count(c2), h.percent(s2))
        for band, c1, s1, c2, s2 in zip(
            a["band"], a["count"], a["share"], b["count"], b["share"], strict=True
        )
        if not (band == NOT_SCORED and h.count(c1) == "0" and h.count(c2) == "0")
    ]
    a_, b_ = (_heading(w) for w in tables.when)
    header = ("Index band", f"{a_}: people", f"{a_}: %", f"{b_}: people", f"{b_}: %")
    table = h.make_table("People in each band of the index", header, rows, tables.policy)
    return Section(
        "Snapshot",
        (
            Paragraph(_snapshot_reading(a, b, tables), "reading"),
            picture(plot_snapshot(first, title=f"Bands at {tables.when[0]}")),
            picture(plot_snapshot(last, title=f"Bands at {tables.when[1]}")),
            table,
        ),
    )


def _snapshot_reading(first: pd.DataFrame, last: pd.DataFrame, tables: Published) -> str:
    """The share in the top two bands, when every cell it needs is published; else the
    mean index (a share with hidden parts could only be a misleading lower bound)."""
    top = [str(band) for band in first["band"] if band != NOT_SCORED][-2:]
    a = first.loc[first["band"].isin(top), "share"]
    b = last.loc[last["band"].isin(top), "share"]
    if a.notna().all() and b.notna().all() and len(a) and len(b):
        return (
            f"At {tables.when[0]}, {h.percent(a.sum())} of people were {' or '.join(top)} on "
            f"the index; at {tables.when[1]}, {h.percent(b.sum())}."
        )
    before, after = tables.profile_first, tables.profile_last
    if before is None or after is None:
        return "Too few people are in each band to describe the bands in a sentence."
    return (
        f"The mean index was {h.score(before.get('index'))} at {tables.when[0]} and "
        f"{h.score(after.get('index'))} at {tables.when[1]}; some bands hold too few "
        "people to publish their share, so the table shows a dash for them."
    )


def _change_reading(summary: pd.DataFrame) -> str:
    row = summary.set_index("measure").loc["index"]
    if h.is_missing(row["mean_change"]):
        return "The change in the index could not be computed for this cohort."
    text = (
        f"From baseline to follow-up the mean index changed by {h.signed(row['mean_change'])}"
        f" points (95% CI {h.interval(row['ci_low'], row['ci_high'])})"
    )
    if not h.is_missing(row["improved"]) and not h.is_missing(row["deteriorated"]):
        text += (
            f"; {h.count(row['improved'])} of {h.count(row['n'])} people improved reliably "
            f"and {h.count(row['deteriorated'])} deteriorated"
        )
    return text + "."


def change_section(tables: Published, framework: Framework) -> Section:
    """Mean change with its interval and reliable change, by measure."""
    if tables.change is None:
        why = tables.reasons.get("change", "Change could not be computed.")
        return Section("Change over time", (Paragraph(why, "reading"),))
    titles = _titles(framework)
    summary = tables.change.summary
    mean_rows, class_rows, notes = [], [], []
    for _, row in summary.iterrows():
        hidden = h.is_missing(row["n"])
        name = titles.get(str(row["measure"]), str(row["measure"]))
        mean_rows.append(
            (
                name,
                h.count(row["n"]),
                h.score(row["mean_baseline"], hidden),
                h.score(row["mean_follow_up"], hidden),
                h.signed(row["mean_change"], hidden),
                h.interval(row["ci_low"], row["ci_high"], hidden),
                h.ratio(row["effect_size"], hidden),
            )
        )
        cells = [h.NOT_AVAILABLE if unclassified(row) else h.count(row[c]) for c in _CLASSES]
        class_rows.append((name, h.ratio(row["reliability"]), *cells))
        if row.get("note"):
            notes.append(f"{name}: {row['note']}")
    header = ("Measure", "People", "Baseline", "Follow-up", "Mean change", "95% CI", "Effect size")
    return Section(
        "Change over time",
        (
            Paragraph(_change_reading(summary), "reading"),
            Paragraph(
                "Change follows only the people assessed at both baseline and follow-up. "
                + tables.change.note.replace(
                    f"rater: {tables.rater or 'all'}.", f"rater: {rater_words(tables.rater)}."
                )
            ),
            picture(change_bars(summary, titles)),
            h.make_table(
                "Mean change from baseline to follow-up",
                header,
                mean_rows,
                tables.policy,
                notes=(
                    "Mean change is computed before rounding, so it can differ by 0.1 from "
                    "follow-up minus baseline. Effect size: about 0.2 is small, 0.5 medium, "
                    "0.8 large (Cohen).",
                ),
            ),
            h.make_table(
                "Reliable change (Jacobson and Truax), people in each class",
                ("Measure", "Reliability", "Improved", "No reliable change", "Deteriorated"),
                class_rows,
                tables.policy,
                notes=notes,
                not_available="not classified: the reliability could not be estimated.",
            ),
        ),
    )


_CLASSES = ("improved", "no_reliable_change", "deteriorated")


def trajectory_section(tables: Published, framework: Framework) -> Section | None:
    """The mean index and domain scores at each wave (three or more waves).

    Band shares by wave are not published here: the snapshot publishes the bands of the
    same people, and two suppression patterns over nearly the same people could be
    compared to recover a hidden count.
    """
    table = tables.trajectory
    if table is None:
        why = tables.reasons.get("trajectory")
        return (
            None if why is None else Section("Trajectory over waves", (Paragraph(why, "reading"),))
        )
    index = table[table["measure"] == "index"].reset_index(drop=True)
    rows, notes = [], []
    for _, row in index.iterrows():
        hidden = h.is_missing(row["n"]) or str(row["note"]).startswith("suppressed")
        rows.append(
            (
                f"{row['wave']}",
                h.count(row["n"]),
                h.score(row["mean"], hidden),
                h.interval(row["ci_low"], row["ci_high"], hidden),
            )
        )
        if row["note"] == "mean of the people with a score":
            notes.append(
                f"Wave {row['wave']}: the mean is of the people with an index score; some "
                "people assessed then could not be scored."
            )
        elif row["note"] and not str(row["note"]).startswith("suppressed: too few"):
            notes.append(f"Wave {row['wave']}: {row['note']}.")
    by_domain = table[table["measure"] != "index"]
    domains = list(dict.fromkeys(by_domain["measure"]))
    titles = _titles(framework)
    wide = [
        (f"{wave}", *[h.score(*_mean_at(by_domain, d, wave)) for d in domains])
        for wave in dict.fromkeys(by_domain["wave"])
    ]
    shown = index.dropna(subset=["mean"])
    reading = (
        f"The mean index went from {h.score(shown['mean'].iloc[0])} at wave "
        f"{shown['wave'].iloc[0]} to {h.score(shown['mean'].iloc[-1])} at wave "
        f"{shown['wave'].iloc[-1]}."
        if len(shown) >= 2
        else "Too few waves have a published mean to describe a trajectory."
    )
    return Section(
        "Trajectory over waves",
        (
            Paragraph(reading, "reading"),
            *_who_counts(index),
            picture(plot_trajectory(table, title="Mean index at each wave")),
            h.make_table(
                "Index at each wave",
                ("Wave", "People", "Mean index", "95% CI"),
                rows,
                tables.policy,
                notes=dict.fromkeys(notes),
            ),
            *h.make_tables(
                "Mean domain scores at each wave",
                ("Wave", *[titles[d] for d in domains]),
                wide,
                tables.policy,
            ),
        ),
    )


def _who_counts(index: pd.DataFrame) -> tuple[Paragraph, ...]:
    """Say that each wave counts whoever was assessed at it, when that differs by wave."""
    counts = index["n"].dropna().to_numpy()
    if len(counts) == 0 or (counts == counts[0]).all():
        return ()
    return (
        Paragraph(
            "Each wave counts everyone assessed at it (their last assessment in the wave); "
            "the number of people differs from wave to wave."
        ),
    )


def _mean_at(table: pd.DataFrame, measure: str, wave: object) -> tuple[object, bool]:
    """A measure's mean at a wave, and whether disclosure control hid it."""
    row = table[(table["measure"] == measure) & (table["wave"] == wave)]
    if not len(row):
        return None, False
    hidden = h.is_missing(row["n"].iloc[0]) or str(row["note"].iloc[0]).startswith("suppressed")
    return row["mean"].iloc[0], hidden


def groups_section(tables: Published) -> Section | None:
    """Each group's mean index at the latest assessment and its gap to everyone else."""
    if tables.groups is None or tables.group is None:
        why = tables.reasons.get("groups")
        return None if why is None else Section("Groups and equity", (Paragraph(why, "reading"),))
    label = tables.group.replace("_", " ")
    index = tables.groups[tables.groups["measure"] == "index"].reset_index(drop=True)
    rows, notes = [], []
    for _, row in index.iterrows():
        hidden = h.is_missing(row["n"])
        rows.append(
            (
                str(row[tables.group]),
                h.count(row["n"]),
                h.score(row["mean"], hidden),
                h.interval(row["ci_low"], row["ci_high"], hidden),
                h.signed(row["gap"], hidden),
                h.interval(row["gap_low"], row["gap_high"], hidden),
                h.ratio(row["p_holm"], hidden, decimals=3),
            )
        )
        if row.get("note"):
            notes.append(f"{row[tables.group]}: {row['note']}")
    notes.append(str(tables.groups.attrs.get("disclosure", "")))
    notes.append(
        "p (Holm): Welch's test of the gap, adjusted for comparing several groups; a p of "
        "1.000 means no evidence of a difference."
    )
    header = (
        "Group",
        "People",
        "Mean index",
        "95% CI",
        "Gap to the rest",
        "95% CI of gap",
        "p (Holm)",
    )
    return Section(
        "Groups and equity",
        (
            Paragraph(_groups_reading(index, tables.group), "reading"),
            Paragraph(
                "Social justice is a value of the framework: where do outcomes differ? Each "
                f"group's mean index at {tables.when[1]}, with its gap to everyone else. "
                "The intervals are for each group on its own; p is Welch's test, adjusted for "
                "comparing several groups (Holm), so a gap whose interval misses zero can still "
                "have p above 0.05. When counts are rounded, the overall mean weights each group "
                "by its published size, so it can differ slightly from means elsewhere."
            ),
            picture(plot_groups(tables.groups, title=f"Index by {label}")),
            h.make_table(f"Index by {label}", header, rows, tables.policy, notes=notes),
        ),
    )


def _groups_reading(index: pd.DataFrame, group: str) -> str:
    shown = index.dropna(subset=["gap"])
    if shown.empty:
        if index["n"].notna().sum() == 1:
            return "Everyone published is in one group, so there is no other group to compare."
        return "No group could be compared with the rest (too few people in the groups)."
    widest = shown.iloc[int(np.argmax(shown["gap"].abs().to_numpy(dtype=float)))]
    significant = int((shown["p_holm"] < 0.05).sum())
    return (
        f"The largest gap to everyone else was for {widest[group]} "
        f"({h.signed(widest['gap'])} points, 95% CI "
        f"{h.interval(widest['gap_low'], widest['gap_high'])}); "
        + (
            "after Holm's correction for comparing several groups, no gap is statistically "
            "significant at the 5% level."
            if significant == 0
            else f"after Holm's correction for comparing several groups, {significant} "
            "gap(s) are statistically significant at the 5% level."
        )
    )


def continuum_section(tables: Published, framework: Framework) -> Section | None:
    """How many cases sit at each approach of the practice continuum."""
    mix = tables.mix
    if mix is None or framework.continuum is None:
        return None
    titles = {a.key: a.title for a in framework.continuum.approaches}
    titles["not placed"] = "Not placed (too little information)"
    rows = [
        (titles.get(str(a), str(a)), h.count(c), h.percent(s))
        for a, c, s in zip(mix["approach"], mix["count"], mix["share"], strict=True)
    ]
    shown = mix.dropna(subset=["share"])
    shown = shown[shown["share"] > 0]
    reading = (
        "Too few cases at each approach to say which is the most common."
        if shown.empty
        else f"At {tables.when[1]} the most common approach was "
        f"{titles.get(str(shown['approach'].iloc[int(np.argmax(shown['share']))]))} "
        f"({h.percent(shown['share'].max())} of cases)."
    )
    return Section(
        "Practice continuum",
        (
            Paragraph(reading, "reading"),
            Paragraph(DISCLAIMER, "note"),
            picture(mix_bars(mix, framework)),
            h.make_table(
                f"Cases at each approach, {tables.when[1]}",
                ("Approach", "Cases", "Share"),
                rows,
                tables.policy,
            ),
        ),
    )


def reliability_section(tables: Published) -> Section | None:
    """Cronbach's alpha of each domain at baseline, with Feldt's interval."""
    table = tables.reliability
    if table is None:
        return None
    rows, notes = [], []
    for _, row in table.iterrows():
        hidden = h.is_missing(row["n"])
        rows.append(
            (
                str(row["title"]),
                str(row["n_items"]),
                h.count(row["n"]),
                h.ratio(row["alpha"], hidden),
                h.interval(row["ci_low"], row["ci_high"], hidden, decimals=2),
                h.ratio(row["alpha_listwise"], hidden),
            )
        )
        if row.get("note"):
            notes.append(f"{row['title']}: {row['note']}")
    alphas = table.dropna(subset=["alpha"])
    low = [str(t) for t, a in zip(alphas["title"], alphas["alpha"], strict=True) if a < 0.7]
    reading = (
        f"At baseline, alpha ranged from {alphas['alpha'].min():.2f} to "
        f"{alphas['alpha'].max():.2f} across the domains; from 0.7 it is usually read as "
        "good enough to compare groups, from 0.9 to judge one person"
        + (
            f"; below 0.7: {', '.join(low)}, so read its reliable change with care."
            if low
            else "."
        )
        if len(alphas)
        else "Alpha could not be estimated for any domain."
    )
    notes.append(
        "Alpha measures how consistently a domain's indicators agree (0 to 1). The last "
        "column uses only the people who answered every indicator of the domain."
    )
    header = ("Domain", "Indicators", "People", "Alpha", "95% CI", "Alpha, complete answers only")
    return Section(
        "Reliability",
        (
            Paragraph(reading, "reading"),
            picture(reliability_dots(table)),
            h.make_table(
                "Cronbach's alpha by domain at baseline", header, rows, tables.policy, notes=notes
            ),
        ),
    )
