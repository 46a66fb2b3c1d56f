"""REDCap: the framework as a data dictionary, and a records export read back as ratings."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wellbeing_framework.exceptions import DataFileError

if TYPE_CHECKING:
    import pandas as pd

    from wellbeing_framework.framework import Framework
    from wellbeing_framework.rules import ScoringRules

__all__ = ["DICTIONARY_COLUMNS", "read_redcap", "redcap_dictionary"]

#: The columns of a REDCap data dictionary, in REDCap's order and spelling.
DICTIONARY_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
RATERS = ("self", "practitioner", "goal")
SCORE_SUFFIX = "_score"
_EVENT, _INSTRUMENT, _INSTANCE = (
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
)
#: How a labelled export (headers and answers as labels) names REDCap's own columns.
_LABELLED = {
    "Record ID": "record_id",
    "Event Name": _EVENT,
    "Repeat Instrument": _INSTRUMENT,
    "Repeat Instance": _INSTANCE,
    "Data Access Group": "redcap_data_access_group",
    "Survey Identifier": "redcap_survey_identifier",
}
#: REDCap's own missing-data codes (Project Setup > Missing data codes), read as missing.
MISSING_CODES = (
    "NI",
    "INV",
    "UNK",
    "NASK",
    "ASKU",
    "NAV",
    "MSK",
    "NA",
    "NAVU",
    "NP",
    "QS",
    "QI",
    "TRC",
    "UNC",
    "DER",
    "PINF",
    "NINF",
    "OTH",
)


def field_name(key: str) -> str:
    """A REDCap variable name for a key: lower case letters, digits and ``_``.

    Examples
    --------
    >>> field_name("A1"), field_name("self worth")
    ('a1', 'self_worth')
    """
    name = re.sub(r"[^a-z0-9_]+", "_", key.casefold()).strip("_")
    return name if name[:1].isalpha() else f"v_{name}"


def form_name(framework: Framework) -> str:
    """The REDCap instrument name of a framework."""
    return field_name(framework.key)


def _names(framework: Framework) -> dict[str, str]:
    """The REDCap field of every rated key, refusing two fields of one name (the fixed
    fields and the calculated ``<domain>_score`` fields included)."""
    keys = [*framework.indicator_keys, *(c.key for c in framework.centre)]
    fields = [(k, field_name(k)) for k in keys]
    fields += [(f"score of {d.key}", field_name(d.key) + SCORE_SUFFIX) for d in framework.domains]
    fields += [("the index score", "index" + SCORE_SUFFIX)]
    fields += [(f, f) for f in ("record_id", "assessment_date", "rater")]
    seen: dict[str, str] = {}
    clash = []
    for key, name in fields:
        if name in seen:
            clash.append(f"{seen[name]} and {key} (both {name})")
        seen[name] = key
    if clash:
        msg = f"these keys give REDCap field names already taken: {'; '.join(clash)}"
        raise ValueError(msg)
    return dict(fields[: len(keys)])


def _score_field(key: str) -> str:
    """The calculated field of a domain's score (or ``"index"``): ``rb_score``."""
    return field_name(key) + SCORE_SUFFIX


def _choices(framework: Framework) -> str:
    """REDCap's choices: ``1, label | 2, label``; a ``|`` in a label would end it, so it is
    written ``/``."""
    scale = framework.scale
    return " | ".join(f"{p}, {scale.label(p).replace('|', '/')}" for p in scale.points)


def _row(**fields: str) -> dict[str, str]:
    return dict.fromkeys(DICTIONARY_COLUMNS, "") | {
        DICTIONARY_COLUMNS[_SHORT[k]]: v for k, v in fields.items()
    }


_SHORT = {
    "name": 0,
    "form": 1,
    "section": 2,
    "type": 3,
    "label": 4,
    "choices": 5,
    "note": 6,
    "validation": 7,
    "min": 8,
    "max": 9,
    "identifier": 10,
    "matrix": 15,
    "annotation": 17,
}


def _rated(framework: Framework, name: str, label: str, form: str, **extra: str) -> dict[str, str]:
    scale = framework.scale
    if scale.integer and scale.labels:
        return _row(
            name=name, form=form, type="radio", label=label, choices=_choices(framework), **extra
        )
    kind = "integer" if scale.integer else "number"
    return _row(
        name=name,
        form=form,
        type="text",
        label=label,
        validation=kind,
        min=f"{scale.min:g}",
        max=f"{scale.max:g}",
        **extra,
    )


def _value(field: str, framework: Framework, reverse: bool, weight: float) -> str:
    """One rating in a REDCap calculation: blank when unanswered, reversed and weighted."""
    scale = framework.scale
    value = f"({scale.min + scale.max:g}-[{field}])" if reverse else f"[{field}]"
    if weight != 1:
        value = f"{weight:g}*{value}"
    return f"if([{field}]='','',{value})"


def score_calculation(domain_key: str, framework: Framework, rules: ScoringRules) -> str:
    """The REDCap calculation of a domain's score, as the rules give it: reverse keying,
    weights, and blank when fewer than ``min_answered`` of its indicators are answered."""
    names = _names(framework)
    domain = framework.domain(domain_key)
    scale = framework.scale
    weights = [i.weight if rules.use_weights else 1.0 for i in domain.indicators]
    values = ",".join(
        _value(names[i.key], framework, i.reverse and rules.reverse_keying, w)
        for i, w in zip(domain.indicators, weights, strict=True)
    )
    answered = ",".join(f"if([{names[i.key]}]='',0,1)" for i in domain.indicators)
    weight_sum = ",".join(
        f"if([{names[i.key]}]='',0,{w:g})" for i, w in zip(domain.indicators, weights, strict=True)
    )
    need = math.ceil(rules.min_answered * len(domain.indicators) - 1e-9)
    mean = f"sum({values})/sum({weight_sum})"
    span = scale.max - scale.min
    return f"if(sum({answered})>={need},round(({mean}-({scale.min:g}))/{span:g}*100,2),'')"


def redcap_dictionary(
    framework: Framework, *, calculated: bool | ScoringRules = True
) -> pd.DataFrame:
    """The REDCap data dictionary of the framework: upload it and the instrument is built.

    One instrument (named after the framework's key) holding ``record_id`` (the person),
    ``assessment_date`` (a day-month-year date), ``rater`` (self, practitioner or goal),
    a radio field per indicator with the scale's points and labels as its choices (a
    ``text`` field validated as a number on a scale without labels), a section header and
    a matrix group per domain, the centre items, and a ``calc`` field per domain score
    (``rb_score``) and for the index, computed as the scoring rules compute them.

    Parameters
    ----------
    framework
        The framework.
    calculated
        ``True`` (default rules) or :class:`~wellbeing_framework.ScoringRules`: add the
        calculated score fields; ``False`` leaves them out. They help a team see scores as
        they enter data; :func:`read_redcap` ignores them, and
        :func:`~wellbeing_framework.score` computes the scores from the ratings.

    Returns
    -------
    pandas.DataFrame
        The dictionary, with REDCap's column names
        (:data:`~wellbeing_framework.interop.redcap.DICTIONARY_COLUMNS`). Save it with
        ``.to_csv(path, index=False)`` and upload it under *Project Setup → Data
        Dictionary*.

    Raises
    ------
    ValueError
        If two keys of the framework give the same REDCap field name.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> table = wf.interop.redcap_dictionary(wf.load_framework())
    >>> table.iloc[3][["Variable / Field Name", "Field Type", "Matrix Group Name"]].tolist()
    ['rb1', 'radio', 'rb']
    >>> table.iloc[3]["Choices, Calculations, OR Slider Labels"]
    '1, not at all | 2, a little | 3, somewhat | 4, mostly | 5, completely'
    """
    import pandas as pd

    from wellbeing_framework.rules import ScoringRules

    names = _names(framework)
    form = form_name(framework)
    rows = [
        _row(name="record_id", form=form, type="text", label="Record ID (person)"),
        _row(
            name="assessment_date",
            form=form,
            type="text",
            label="Date of assessment",
            validation="date_dmy",
        ),
        _row(
            name="rater",
            form=form,
            type="radio",
            label="Who rated",
            choices=" | ".join(f"{r}, {r}" for r in RATERS),
        ),
    ]
    question = f"{framework.scale.question}<br>" if framework.scale.question else ""
    for domain in framework.domains:
        for n, indicator in enumerate(domain.indicators):
            section = (
                f"{domain.title}" + (f": {domain.aim}" if domain.aim else "") if n == 0 else ""
            )
            if n == 0 and question:
                section = f"{section}<br>{question}"
            note = "reverse-keyed" if indicator.reverse else ""
            rows.append(
                _rated(
                    framework,
                    names[indicator.key],
                    indicator.text,
                    form,
                    section=section,
                    note=note,
                    matrix=field_name(domain.key),
                )
            )
    for n, item in enumerate(framework.centre):
        rows.append(
            _rated(
                framework,
                names[item.key],
                item.text or item.title,
                form,
                section="At the centre" if n == 0 else "",
            )
        )
    rules = (
        None
        if calculated is False
        else (ScoringRules() if calculated is True else calculated).resolve(framework)
    )
    if rules:
        rows += _calculated_rows(framework, rules, names, form)
    from wellbeing_framework.tables import neutralise

    table = pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))
    # a label a spreadsheet could run as a formula ("=...", "@...") is made safe to open;
    # choices start with a code and calculations are REDCap's own, so they stay as written
    for column in ("Section Header", "Field Label", "Field Note"):
        table[column] = table[column].map(neutralise)
    return table


def _calculated_rows(
    framework: Framework, rules: ScoringRules, names: Mapping[str, str], form: str
) -> list[dict[str, str]]:
    rows = []
    for n, domain in enumerate(framework.domains):
        rows.append(
            _row(
                name=_score_field(domain.key),
                form=form,
                type="calc",
                label=f"{domain.title}: score (0-100)",
                choices=score_calculation(domain.key, framework, rules),
                section="Scores (calculated)" if n == 0 else "",
            )
        )
    scores = [f"[{_score_field(d.key)}]" for d in framework.domains]
    weights = rules.index_weights or {d.key: 1.0 for d in framework.domains}
    pairs = list(zip(framework.domains, scores, strict=True))
    if rules.index_requires_all:
        present = " and ".join(f"{s}<>''" for s in scores)
        total = "+".join(f"{weights[d.key]:g}*{s}" for d, s in pairs)
        index = f"if({present},round(({total})/{sum(weights.values()):g},2),'')"
    else:  # the weighted mean of the domain scores there are
        values = ",".join(f"if({s}='','',{weights[d.key]:g}*{s})" for d, s in pairs)
        total_weight = ",".join(f"if({s}='',0,{weights[d.key]:g})" for d, s in pairs)
        counted = ",".join(f"if({s}='',0,1)" for s in scores)
        index = f"if(sum({counted})>=1,round(sum({values})/sum({total_weight}),2),'')"
    rows.append(
        _row(
            name=_score_field("index"),
            form=form,
            type="calc",
            label="Wellbeing index (0-100)",
            choices=index,
        )
    )
    return rows


# --- reading a records export ---------------------------------------------------------


def _labelled_headers(data: pd.DataFrame, framework: Framework) -> dict[str, str]:
    """A labelled export's headers (field labels) as field names."""
    dictionary = redcap_dictionary(framework, calculated=True)
    by_label = dict(
        zip(dictionary["Field Label"], dictionary["Variable / Field Name"], strict=True)
    )
    mapping = {}
    for header in map(str, data.columns):
        if header in _LABELLED:
            mapping[header] = _LABELLED[header]
        elif header in by_label:
            mapping[header] = by_label[header]
        elif header == "Complete?":
            mapping[header] = f"{form_name(framework)}_complete"
    return mapping


def _answers_from_labels(data: pd.DataFrame, fields: Sequence[str], framework: Framework) -> None:
    """Answers exported as their labels ("mostly") made their codes (4)."""
    import pandas as pd

    if not framework.scale.labels:
        return
    codes = {framework.scale.label(p).casefold(): p for p in framework.scale.points}
    for field in fields:
        values = data[field]
        if pd.api.types.is_numeric_dtype(values.dtype):
            continue

        def code(v: Any) -> Any:
            return codes.get(v.strip().casefold(), v) if isinstance(v, str) else v

        mapped = values.map(code)
        numbers = pd.to_numeric(mapped, errors="coerce")
        data[field] = numbers if numbers.notna().sum() == mapped.notna().sum() else mapped


_ARM = re.compile(r"_arm_(\d+)$")


def _instances(data: pd.DataFrame, name: str) -> Any:
    """The repeat instance of each row (1 where none is given), refusing bad ones."""
    import pandas as pd

    if _INSTANCE not in data.columns:
        return pd.Series(1, index=data.index, dtype="int64")
    given = data[_INSTANCE]
    number = pd.to_numeric(given, errors="coerce")
    bad = given.notna() & ~(number.notna() & (number >= 1) & (number % 1 == 0))
    if bad.any():
        msg = f"{int(bad.sum())} rows have a repeat instance that is not a whole number from 1"
        raise DataFileError(msg, name)
    return number.fillna(1).astype("int64")


def _event_places(
    data: pd.DataFrame, events: Sequence[str] | None, name: str
) -> tuple[Any, list[str]]:
    """Each row's event's place within its arm (1 = the arm's first event), and the order."""
    if isinstance(events, str):
        raise TypeError("events must be a list of event names, not one string")
    blank = data[_EVENT].isna() | data[_EVENT].astype(str).str.strip().eq("")
    if blank.any():
        msg = f"{int(blank.sum())} rows name no event: a longitudinal export names each row's"
        raise DataFileError(msg + " event", name)
    seen = list(dict.fromkeys(str(e) for e in data[_EVENT]))
    if events is not None:
        unknown = [e for e in seen if e not in events]
        if unknown:
            msg = f"{len(unknown)} events of the export are not in events= (give them all)"
            raise ValueError(msg)
        order = list(dict.fromkeys(events))
    else:
        order = seen
    places: dict[str, int] = {}
    counts: dict[str, int] = {}
    for event in order:  # within each arm: baseline_arm_2 is wave 1 of arm 2
        arm = match.group(1) if (match := _ARM.search(event)) else ""
        counts[arm] = counts.get(arm, 0) + 1
        places[event] = counts[arm]
    return data[_EVENT].astype(str).map(places), order


def _waves(data: pd.DataFrame, events: Sequence[str] | None, name: str) -> tuple[Any, list[str]]:
    """Each row's wave, and the events' order. In a longitudinal project the wave is the
    event's place among its arm's events (``events``, else the order events first appear),
    the same for everyone; without events it is the repeat instance; with both, the
    assessments are counted per person over events and instances."""
    import numpy as np
    import pandas as pd

    instance = _instances(data, name)
    if _EVENT not in data.columns:
        return instance.to_numpy(dtype=np.int64), []
    position, order = _event_places(data, events, name)
    if not bool((instance > 1).any()):
        return position.to_numpy(dtype=np.int64), order
    keys = pd.DataFrame(
        {
            "p": data["person_id"].astype(str).to_numpy(),
            "e": position.to_numpy(),
            "i": instance.to_numpy(),
        }
    )
    ordered = keys.sort_values(["p", "e", "i"], kind="stable")
    new = (ordered[["p", "e", "i"]] != ordered[["p", "e", "i"]].shift()).any(axis=1)
    rank = new.astype(int).groupby(ordered["p"]).cumsum()
    return rank.reindex(keys.index).to_numpy(dtype=np.int64), order


def read_redcap(
    path: str | os.PathLike[str],
    fw: Framework,
    *,
    events: Sequence[str] | None = None,
    record: str = "record_id",
    dayfirst: bool = True,
    date_format: str | None = None,
    missing: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read a REDCap records export (CSV, raw or labelled) into a ratings table.

    Parameters
    ----------
    path
        The CSV file REDCap exports (*Data Exports → CSV / Microsoft Excel*), raw (field
        names and codes) or labelled (field labels and choice labels), of a project built
        from :func:`redcap_dictionary`.
    fw
        The framework.
    events
        Longitudinal projects: the unique event names (``"baseline_arm_1"``) in the order
        of the project's events; default: the order in which they first appear in the
        export (REDCap exports events in the project's order).
    record
        The project's record field (REDCap's first field): ``record_id`` unless the
        project named it otherwise.
    dayfirst
        REDCap exports dates year first (``2025-03-10``); an export saved again by a
        spreadsheet may hold ``10/03/2025``, read day first as in the UK unless False.
    date_format
        A ``strptime`` format for every text date instead of the rule.
    missing
        Text that means "no answer"; default the library's tokens (``n/a``, blank ...)
        and REDCap's missing-data codes
        (:data:`~wellbeing_framework.interop.redcap.MISSING_CODES`: ``UNK``, ``NASK`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per assessment: ``person_id`` (the record ID, as given), ``wave`` (the
        event's place among the project's events, the same for everyone; in a project
        without events, the repeat instance; with both, counted per person over events
        and instances), ``assessment_date``, ``rater``, the ratings, and REDCap's own columns
        as they were (``redcap_event_name``, ``redcap_repeat_instance`` ...). Calculated
        score fields are dropped (the library scores the ratings itself). Rows that are
        not assessments (another repeating instrument, or an event with no rating at all)
        are not read; how many is in ``attrs["read"]["skipped"]`` (rows in = read +
        skipped). The index holds each row's line in the file, as for
        :func:`~wellbeing_framework.read_ratings`.

    Raises
    ------
    DataFileError
        If the file cannot be read, or has no record field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> export = ("record_id,redcap_event_name,assessment_date,rater,rb1,rb2\\n"
    ...           "7,baseline_arm_1,2025-03-10,self,4,5\\n7,followup_arm_1,2025-06-10,self,5,5\\n")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = pathlib.Path(tmp) / "export.csv"
    ...     _ = file.write_text(export)
    ...     table = wf.interop.read_redcap(file, fw)
    >>> table[["person_id", "wave", "rb1", "rb2"]]
              person_id  wave  rb1  rb2
    sheet_row
    2                 7     1    4    5
    3                 7     2    5    5
    """
    from wellbeing_framework.tables import MISSING_TOKENS, READ_KEY, read_ratings

    tokens = (*MISSING_TOKENS, *MISSING_CODES) if missing is None else missing
    data = read_ratings(path, dayfirst=dayfirst, date_format=date_format, missing=tokens)
    name = os.fspath(path).replace("\\", "/").rsplit("/", 1)[-1]
    data = data.rename(columns=_own_columns(data, fw, record))
    repeated = sorted({str(c) for c in data.columns if list(data.columns).count(c) > 1})
    if repeated:
        msg = f"two headers each name {', '.join(repeated)} (a label beside a field name?)"
        raise DataFileError(msg, name)
    if "record_id" not in data.columns:
        msg = (
            f"no {record!r} column: not a REDCap records export of this instrument (give the "
            "project's record field with record=)"
        )
        raise DataFileError(msg, name)
    names = _names(fw)
    keys = [*fw.indicator_keys, *(c.key for c in fw.centre)]
    data = data.rename(columns={names[k]: k for k in keys if names[k] in data.columns})
    calculated = {_score_field(d.key) for d in fw.domains} | {_score_field("index")}
    data = data.drop(columns=[c for c in data.columns if c in calculated])
    rated = [k for k in keys if k in data.columns]
    _answers_from_labels(data, rated, fw)
    info = {**data.attrs.get(READ_KEY, {}), "file": name}
    return _assessments(data, fw, rated, events, info, (dayfirst, date_format))


def _own_columns(data: pd.DataFrame, fw: Framework, record: str) -> dict[str, str]:
    """A labelled export's headers, headers in another case, and the record field, as the
    raw export names them."""
    mapping = _labelled_headers(data, fw)
    known = {*_names(fw).values(), "assessment_date", "rater", _EVENT, _INSTRUMENT, _INSTANCE}
    known |= {_score_field(d.key) for d in fw.domains} | {_score_field("index")}
    for header in map(str, data.columns):
        if header not in mapping and header.casefold() in known and header not in known:
            mapping[header] = header.casefold()  # RECORD_ID, RB1: REDCap's names are lower case
        if header.casefold() == record.casefold():
            mapping[header] = "record_id"
    return {h: n for h, n in mapping.items() if h != n}


def _assessments(
    data: pd.DataFrame,
    fw: Framework,
    rated: list[str],
    events: Sequence[str] | None,
    info: dict[str, Any],
    rule: tuple[bool, str | None],
) -> pd.DataFrame:
    import pandas as pd

    from wellbeing_framework.tables import READ_KEY

    form = form_name(fw)
    skipped: dict[str, int] = {}
    if _INSTRUMENT in data.columns:
        instrument = data[_INSTRUMENT].astype(object)
        named = instrument.map(lambda v: isinstance(v, str) and bool(v.strip()))
        ours = instrument.map(lambda v: isinstance(v, str) and field_name(v) == form)
        rated_here = data[rated].notna().any(axis=1) if rated else ours
        other = named & ~ours & ~rated_here  # a row with this instrument's ratings is its
        if other.any():
            skipped["rows of another repeating instrument"] = int(other.sum())
        data = data[~other.to_numpy(dtype=bool)]
    empty = data[rated].isna().all(axis=1) if rated else data.index.to_series().map(bool)
    if empty.any():
        skipped["rows with no rating (an event or form without this instrument)"] = int(
            empty.sum()
        )
    data = data[~empty.to_numpy(dtype=bool)].rename(columns={"record_id": "person_id"})
    data["person_id"] = data["person_id"].map(_id_text).astype(object)
    if "assessment_date" in data.columns and not pd.api.types.is_datetime64_any_dtype(
        data["assessment_date"].dtype
    ):  # by the library's one date rule, when every date reads by it
        from wellbeing_framework.dates import parse_dates

        parsed = parse_dates(data["assessment_date"], dayfirst=rule[0], date_format=rule[1])
        if not parsed.problems.any():
            data["assessment_date"] = parsed.values
    wave, order = _waves(data, events, info.get("file", "the export"))
    data.insert(1, "wave", wave)
    info.pop("file", None)
    data.attrs[READ_KEY] = {**info, "skipped": skipped, "events": order}
    return data


def _id_text(value: Any) -> Any:
    """A record ID as text: 7 and 7.0 read as "7"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
