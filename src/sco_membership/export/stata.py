"""Stata ``.dta`` files of a ledger's panel and intervals, labelled, and their codebook.

The ``[pandas]`` extra provides the writer (``pandas.DataFrame.to_stata``), imported on first
call only. A file holds the rows of :mod:`sco_membership.export.panel` (the same as the CSV and
the frames of :mod:`sco_membership.export.frames`), made for Stata 14 or later (format 118,
Unicode):

- every variable has a label in plain words (:func:`panel_variables`,
  :func:`interval_variables`); the file has a data label the caller gives (``label``: which data,
  which version);
- the code column (:func:`~sco_membership.export.panel.code_column`, ``SCO_scm``) keeps
  COW's codes, with value labels (``-9`` missing data ... ``3`` observer); a status, a stage or
  an event kind is a whole number with the term's name as its value label, the number being
  the term's place in the rule set's list from 0 (so statuses count up their ranking, lowest
  first: ``status >= 3`` is "observer or higher" for the SCO);
- days are Stata dates (``%td``); a date at the source's precision (``since``,
  ``event_date``: ``2004-06``) stays text, since a date would claim a day the source does not
  give; ``certain`` is 0 or 1;
- a missing number is Stata's ``.``, a missing text the empty string; a text longer than
  Stata's 2,045 bytes (or one holding a NUL character) is written as a ``strL``;
- a column whose name Stata reserves is renamed, never silently (:data:`RENAMED`: the
  intervals' ``end`` is ``end_day``);
- the file is written all or nothing (:func:`sco_membership.io.files.write_bytes`), and the
  same data give the same bytes: the file's time stamp is the ledger's horizon, never the
  clock, unless the caller gives one.

:func:`panel_codebook` and :func:`intervals_codebook` describe the variables in Markdown.
See ``docs/stata.md``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .._extras import require
from ..exceptions import OptionError
from ..io.files import write_bytes
from ..ledger import Ledger
from ..rules import RuleSet
from . import frames, panel

if TYPE_CHECKING:
    import pandas

__all__ = [
    "COW_VALUE_LABELS",
    "RENAMED",
    "Variable",
    "interval_variables",
    "intervals_codebook",
    "intervals_dta",
    "panel_codebook",
    "panel_dta",
    "panel_variables",
    "stata_name",
    "write_intervals_dta",
    "write_panel_dta",
]

#: Columns renamed in a ``.dta`` file, because Stata reserves their names: CSV name -> Stata name.
RENAMED: Mapping[str, str] = {"end": "end_day"}

#: The value labels of the code column: COW's IGO codebook (version 3), its words.
COW_VALUE_LABELS: tuple[tuple[int, str], ...] = (
    (panel.MISSING, "missing data"),
    (panel.NOT_IN_EXISTENCE, "not in existence"),
    (0, "no membership"),
    (1, "full membership"),
    (2, "associate membership"),
    (3, "observer"),
)

# Names Stata (and Mata) reserve, as pandas' writer knows them: pandas would rename a column
# so named ("end" -> "_end") with no more than a warning. Besides these, str1 ... str2045.
_RESERVED = frozenset(
    {
        *("aggregate", "array", "boolean", "break", "byte", "case", "catch", "class"),
        *("colvector", "complex", "const", "continue", "default", "delegate", "delete", "do"),
        *("double", "else", "eltypedef", "end", "enum", "explicit", "export", "external"),
        *("float", "for", "friend", "function", "global", "goto", "if", "inline", "int"),
        *("local", "long", "NULL", "pragma", "protected", "quad", "rowvector", "short"),
        *("typedef", "typename", "virtual", "_all", "_N", "_skip", "_b", "_pi", "in"),
        *("_pred", "strL", "_coef", "_rc", "using", "_cons", "_se", "with", "_n"),
    }
)
_STR_TYPE = re.compile(r"str\d+")
_NAME_LENGTH = 32  # characters of a Stata variable name
_LABEL_LENGTH = 80  # characters of a variable label or a data label
_STR_BYTES = 2045  # bytes of Stata's longest fixed-width string; longer is a strL
_STATA_DAY_0 = dt.date(1960, 1, 1)
_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)

_Kind = Literal["number", "code", "date", "text", "flag"]
_KIND_WORDS: Mapping[str, str] = {
    "number": "whole number",
    "code": "whole number, labelled",
    "date": "date (%td)",
    "text": "text",
    "flag": "0 or 1",
}


@attrs.frozen
class Variable:
    """One variable of a ``.dta`` file: its Stata ``name``, the ``column`` of the CSV and frame
    it holds, its ``label``, its ``kind`` (``number``, ``code``, ``date``, ``text``, ``flag``)
    and, for a code, its value labels (``values``: code and label, in order)."""

    name: str
    column: str
    label: str
    kind: _Kind
    values: tuple[tuple[int, str], ...] = ()


def stata_name(column: str) -> str:
    """The Stata name of a panel's or an interval table's ``column``.

    A name Stata reserves is renamed: the ones in :data:`RENAMED` as listed there, any other
    with an ``_IGO`` ending; a name that starts with a digit (the code column of a rule set
    named ``5G``) gets an ``IGO_`` start; a name is cut to Stata's 32 characters.

    >>> stata_name("end"), stata_name("SCO"), stata_name("in"), stata_name("5G")
    ('end_day', 'SCO', 'in_IGO', 'IGO_5G')
    """
    name = RENAMED.get(column, column)
    if name[:1].isdigit():
        name = "IGO_" + name
    if name in _RESERVED or _STR_TYPE.fullmatch(name):
        name += "_IGO"
    return name[:_NAME_LENGTH]


def _terms(names: Iterable[str]) -> tuple[tuple[int, str], ...]:
    return tuple(enumerate(names))


def _rule_words(rule: panel.YearRule) -> str:
    """Which status a year gets by ``rule``, in words: ``the status on 31 December``."""
    if rule.month is not None and rule.day is not None:
        return f"the status on {rule.day} {_MONTHS[rule.month - 1]}"
    if rule.name == "any":
        return "the highest status held on any day of the year"
    return "the status held on most days of the year"


def _code_label(rules: RuleSet, coding: str) -> str:
    """The code column's label: which organisation, and which coding."""
    if coding not in panel.CODINGS:
        raise OptionError("panel coding", coding, panel.CODINGS)
    label = f"Relation to the {rules.organisation}, COW IGO code ({coding} coding)"
    if len(label) > _LABEL_LENGTH:
        label = f"Relation to the organisation, COW IGO code ({coding} coding)"
    return label


def _shared(rules: RuleSet) -> dict[str, tuple[str, _Kind, tuple[tuple[int, str], ...]]]:
    """The columns the panel and the intervals share: label, kind and values of each."""
    terms = frames.categories(rules)
    return {
        "ccode": ("COW state number (missing: a state outside COW's state system)", "number", ()),
        "stateabb": ("COW state abbreviation (not an ISO code)", "text", ()),
        "stage": (
            "Step of a process under way (missing: none)",
            "code",
            _terms(terms["stage"][0]),
        ),
        "held": (
            "Status held in law (an acceding state keeps its earlier status)",
            "code",
            _terms(terms["held"][0]),
        ),
        "organisation": ("Organisation as the record names it (empty: no relation)", "text", ()),
    }


def panel_variables(
    rules: RuleSet, *, rule: str | panel.YearRule = "dec31", coding: str = "library"
) -> tuple[Variable, ...]:
    """The variables of :func:`panel_dta` for ``rules``, the year ``rule`` and the ``coding``
    of the code column, in order: the columns of
    :func:`~sco_membership.export.panel.panel_columns`.

    >>> import sco_membership as scm
    >>> [v.name for v in panel_variables(scm.SCO_RULES)][:5]
    ['ccode', 'year', 'stateabb', 'SCO_scm', 'iso3']
    >>> panel_variables(scm.SCO_RULES, rule="07-01")[5].label
    'Status on 1 July (year rule 07-01)'
    """
    chosen = panel.parse_rule(rule)
    shared = _shared(rules)
    statuses = _terms(frames.categories(rules)["status"][0])
    words = _rule_words(chosen).removeprefix("the ")
    found: dict[str, tuple[str, _Kind, tuple[tuple[int, str], ...]]] = {
        **shared,
        "year": ("Calendar year", "number", ()),
        panel.code_column(rules): (_code_label(rules, coding), "code", COW_VALUE_LABELS),
        "iso3": ("ISO 3166-1 alpha-3 code of the state", "text", ()),
        "status": (f"{words[0].upper()}{words[1:]} (year rule {chosen.name})", "code", statuses),
        "certain": (
            "1 if the record settles the year's status, 0 if an imprecise date leaves it open",
            "flag",
            (),
        ),
        "since": (
            "Date of the event that began the status, at the source's precision (text)",
            "text",
            (),
        ),
        "days": ("Days of the year on which the state held the status", "number", ()),
    }
    return tuple(_variable(column, *found[column]) for column in panel.panel_columns(rules))


def interval_variables(rules: RuleSet) -> tuple[Variable, ...]:
    """The variables of :func:`intervals_dta` for ``rules``, in order: the columns of
    :data:`~sco_membership.export.panel.INTERVAL_COLUMNS` (``end`` renamed ``end_day``).

    >>> import sco_membership as scm
    >>> [(v.name, v.column) for v in interval_variables(scm.SCO_RULES)][3:5]
    [('start', 'start'), ('end_day', 'end')]
    """
    terms = frames.categories(rules)
    found: dict[str, tuple[str, _Kind, tuple[tuple[int, str], ...]]] = {
        **_shared(rules),
        "state": ("ISO 3166-1 alpha-3 code of the state", "text", ()),
        "start": ("First day of the interval", "date", ()),
        "end": ("Last day of the interval, included (missing: it still runs)", "date", ()),
        "until": ("Day after the interval, excluded: the next interval's first day", "date", ()),
        "status": ("Status over the interval", "code", _terms(terms["status"][0])),
        "certain": (
            "1 if the record proves the status, 0 inside an imprecise date's window",
            "flag",
            (),
        ),
        "possible": ("Statuses the state may have held, ;-separated (if not certain)", "text", ()),
        "event": ("_Kind of the event that began the interval", "code", _terms(terms["event"][0])),
        "event_date": ("Date of that event, at the source's precision (text)", "text", ()),
        "event_id": ("Key of that event in the event log", "text", ()),
        "place": ("Where that event happened", "text", ()),
        "recorded": ("Day that event entered the record", "date", ()),
        "sources": ("Sources of that event: title and URL of each, separated by |", "text", ()),
    }
    return tuple(_variable(column, *found[column]) for column in panel.INTERVAL_COLUMNS)


def _variable(
    column: str, label: str, kind: _Kind, values: tuple[tuple[int, str], ...]
) -> Variable:
    return Variable(stata_name(column), column, label, kind, values)


def _stata(
    frame: pandas.DataFrame,
    variables: Sequence[Variable],
    *,
    label: str | None,
    time_stamp: dt.datetime | None,
    horizon: dt.date | None,
) -> bytes:
    """``frame`` (a typed frame of :mod:`frames`) as the bytes of a ``.dta`` file."""
    pd = require("pandas", "pandas", "a Stata file")
    if label is not None and (not isinstance(label, str) or len(label) > _LABEL_LENGTH):
        shown = f"{len(label)} characters" if isinstance(label, str) else type(label).__name__
        raise OptionError(
            "Stata data label",
            label,
            (),
            f"a data label is text of at most 80 characters, not {shown}",
        )
    if time_stamp is None:
        # Never the clock: the same data give the same bytes. The header's stamp has room for
        # a year of four digits only.
        day = horizon if horizon is not None and horizon.year >= 1000 else _STATA_DAY_0
        time_stamp = dt.datetime.combine(day, dt.time())
    elif not isinstance(time_stamp, dt.datetime) or time_stamp.year < 1000:
        raise OptionError(
            "Stata time stamp", time_stamp, (), "a time stamp is a datetime in the years 1000-9999"
        )
    data: dict[str, Any] = {}
    dates: dict[str, Literal["td"]] = {}
    values: dict[str, dict[float, str]] = {}
    strls: list[str] = []
    for variable in variables:
        column = frame[variable.column]
        if variable.kind == "code" and isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.astype("Int16")
            column = codes.mask(codes < 0)
        elif variable.kind in ("code", "number", "flag"):
            column = column.astype("Int8" if variable.kind == "flag" else "Int64")
        elif variable.kind == "date":
            dates[variable.name] = "td"
        else:
            column = column.astype(object).where(column.notna(), "")
            # A fixed-width string ends at a NUL character; a strL keeps it, and any length.
            if any(len(text.encode()) > _STR_BYTES or "\x00" in text for text in column):
                strls.append(variable.name)
        if variable.values:
            values[variable.name] = dict(variable.values)
        data[variable.name] = column
    buffer = io.BytesIO()
    pd.DataFrame(data).to_stata(
        buffer,
        convert_dates=dates,
        write_index=False,
        time_stamp=time_stamp,
        data_label=label,
        variable_labels={variable.name: variable.label for variable in variables},
        version=118,
        convert_strl=strls,
        value_labels=values,
    )
    return buffer.getvalue()


def panel_dta(
    ledger: Ledger,
    *,
    rule: str | panel.YearRule = "dec31",
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str] | None = None,
    coding: str = "library",
    system: bool = False,
    label: str | None = None,
    time_stamp: dt.datetime | None = None,
) -> bytes:
    """The country-year panel of ``ledger`` as the bytes of a Stata ``.dta`` file.

    ``rule``, ``start``, ``end``, ``states``, ``coding`` and ``system`` are those of
    :func:`~sco_membership.export.panel.panel_rows`. ``label`` is the file's data label (at
    most 80 characters: which data, which version); ``time_stamp`` its time stamp (a datetime
    in the years 1000 to 9999), by default the ledger's horizon (the day its record is complete
    through) at midnight, or 1 January 1960 (Stata's day 0) when it has none. Raises
    ``OptionError`` for a bad option and :class:`~sco_membership.exceptions.MissingExtraError`
    without pandas.
    """
    chosen = panel.parse_rule(rule)
    variables = panel_variables(ledger.rules, rule=chosen, coding=coding)
    frame = frames.panel_frame(
        ledger,
        rule=chosen.name,
        start=start,
        end=end,
        states=states,
        coding=coding,
        system=system,
    )
    return _stata(frame, variables, label=label, time_stamp=time_stamp, horizon=ledger.horizon)


def intervals_dta(
    ledger: Ledger,
    *,
    states: Iterable[str] | None = None,
    label: str | None = None,
    time_stamp: dt.datetime | None = None,
) -> bytes:
    """The intervals of ``ledger`` (:func:`~sco_membership.export.panel.interval_rows`) as the
    bytes of a Stata ``.dta`` file; ``label`` and ``time_stamp`` as for :func:`panel_dta`."""
    frame = frames.intervals_frame(ledger, states=states)
    variables = interval_variables(ledger.rules)
    return _stata(frame, variables, label=label, time_stamp=time_stamp, horizon=ledger.horizon)


def write_panel_dta(
    ledger: Ledger,
    path: str | os.PathLike[str],
    *,
    rule: str | panel.YearRule = "dec31",
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str] | None = None,
    coding: str = "library",
    system: bool = False,
    label: str | None = None,
    time_stamp: dt.datetime | None = None,
) -> None:
    """Write :func:`panel_dta` to ``path`` (``-``: standard output), all or nothing.

    The file is made in memory first, so a bad option or a missing pandas leaves ``path``
    untouched; then it is written like every file of the library
    (:func:`sco_membership.io.files.write_bytes`), an error raising ``FileError``.
    """
    data = panel_dta(
        ledger,
        rule=rule,
        start=start,
        end=end,
        states=states,
        coding=coding,
        system=system,
        label=label,
        time_stamp=time_stamp,
    )
    write_bytes(path, data)


def write_intervals_dta(
    ledger: Ledger,
    path: str | os.PathLike[str],
    *,
    states: Iterable[str] | None = None,
    label: str | None = None,
    time_stamp: dt.datetime | None = None,
) -> None:
    """Write :func:`intervals_dta` to ``path``, all or nothing, like :func:`write_panel_dta`."""
    write_bytes(path, intervals_dta(ledger, states=states, label=label, time_stamp=time_stamp))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _codebook(title: str, about: str, variables: Sequence[Variable]) -> str:
    lines = [
        f"# {title}",
        "",
        about,
        "A missing number is Stata's `.`, a missing text the empty string.",
        "",
        "| variable | CSV column | type | label | values |",
        "|---|---|---|---|---|",
    ]
    for variable in variables:
        values = "; ".join(f"{code} `{name}`" for code, name in variable.values)
        column = "" if variable.column == variable.name else f"`{variable.column}`"
        lines.append(
            f"| `{variable.name}` | {column} | {_KIND_WORDS[variable.kind]} "
            f"| {_cell(variable.label)} | {_cell(values)} |"
        )
    return "\n".join(lines) + "\n"


def panel_codebook(
    rules: RuleSet, *, rule: str | panel.YearRule = "dec31", coding: str = "library"
) -> str:
    """The codebook of :func:`panel_dta` for ``rules``, ``rule`` and ``coding``, in Markdown:
    each variable with its CSV column where it was renamed, its type, its label and its values.

    >>> import sco_membership as scm
    >>> print(panel_codebook(scm.SCO_RULES).splitlines()[0])
    # Codebook: SCO country-year panel, year rule dec31
    """
    chosen = panel.parse_rule(rule)
    return _codebook(
        f"Codebook: {rules.name} country-year panel, year rule {chosen.name}",
        f"One row per state and year; the year's status is {_rule_words(chosen)}.",
        panel_variables(rules, rule=chosen, coding=coding),
    )


def intervals_codebook(rules: RuleSet) -> str:
    """The codebook of :func:`intervals_dta` for ``rules``, in Markdown, like
    :func:`panel_codebook`."""
    return _codebook(
        f"Codebook: {rules.name} intervals",
        "One row per interval of a state's history, from its first event on.",
        interval_variables(rules),
    )
