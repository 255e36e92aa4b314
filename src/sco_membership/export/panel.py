"""Country-year panels and interval tables of a ledger, laid out like the COW IGO data.

A panel row gives one state's status in one year, reduced to one value by an explicit rule
(:func:`parse_rule`); its first columns are those of the Correlates of War IGO state-year file
(``ccode``, ``year``, ``stateabb`` and the organisation's variable, coded as COW codes it),
then the library's finer columns. The vocabulary comes from the ledger's rule set: its status
ranking, its COW codes (:meth:`~sco_membership.rules.RuleSet.cow_code`) and its name, which
names the COW variable (:func:`cow_variable`). An interval row gives one stretch of a state's
history with the event that began it. Rows are plain dicts, so CSV (:func:`to_csv`), pandas or
anything else can take them. See ``docs/panel.md`` for the columns and the reasons behind the
COW mapping.

The year rules (:func:`parse_rule`) decide how one state's year becomes one status: the status
on one day of the year (``dec31``, ``MM-DD``), the highest held on any day (``any``, ranked by
the rule set's :attr:`~sco_membership.rules.RuleSet.statuses`) or the one held on most days
(``majority``); each also says whether the record settles the year, and which statuses an
imprecise date leaves open.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..answer import Answer
from ..cow import cow_state
from ..cow import system as cow_system
from ..exceptions import OptionError
from ..history import History
from ..ledger import Ledger
from ..model import Event, Status
from ..profiles import profile_of
from ..rules import RuleSet

__all__ = [
    "CODINGS",
    "INTERVAL_COLUMNS",
    "MISSING",
    "NOT_IN_EXISTENCE",
    "YearRule",
    "code_column",
    "cow_variable",
    "interval_rows",
    "panel_columns",
    "panel_rows",
    "parse_rule",
    "to_csv",
]


_DAY = re.compile(r"(\d{2})-(\d{2})")
_RULES = ("dec31", "any", "majority", "MM-DD (a day of the year)")
# A stop beyond every day: the last interval of a history never ends.
_FOREVER = dt.date.max.toordinal() + 1


@attrs.frozen
class YearRule:
    """How one year becomes one status: on a day (``month``/``day``), ``any`` or ``majority``.

    Build one with :func:`parse_rule`; ``str()`` gives the text that parses back to it.
    """

    name: str
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        return self.name


def parse_rule(text: str | YearRule) -> YearRule:
    """Read a rule: ``dec31``, ``any``, ``majority`` or a day ``MM-DD`` (not ``02-29``).

    >>> parse_rule("07-01")
    YearRule(name='07-01', month=7, day=1)
    >>> parse_rule("12-31") == parse_rule("dec31")
    True
    >>> parse_rule("02-29")
    Traceback (most recent call last):
    ...
    sco_membership.exceptions.OptionError: bad panel rule '02-29': 29 February is ...
    """
    if isinstance(text, YearRule):  # checked again: the constructor checks nothing
        text = text.name
    if not isinstance(text, str):
        raise OptionError("panel rule", text, _RULES)
    cleaned = text.strip().lower()
    if cleaned in ("dec31", "12-31"):
        return YearRule("dec31", 12, 31)
    if cleaned in ("any", "majority"):
        return YearRule(cleaned)
    match = _DAY.fullmatch(cleaned)
    if match is None:
        raise OptionError("panel rule", text, _RULES)
    month, day = int(match[1]), int(match[2])
    if (month, day) == (2, 29):
        raise OptionError(
            "panel rule", text, _RULES, "29 February is not in every year; choose 02-28 or 03-01"
        )
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise OptionError("panel rule", text, _RULES, f"{cleaned} is no day of the year")
    return YearRule(cleaned, month, day)


@attrs.frozen
class Year:
    """What a rule makes of one state's year, before it is written as a row."""

    answer: Answer  # the interval whose status the year gets (the last one, if several)
    certain: bool
    exists: bool
    candidates: frozenset[Status]  # every status the year could get, if the record is open
    days: int


@attrs.frozen
class Spans:
    """One state's intervals, once: their first days (for bisection) and the spans."""

    history: History
    starts: list[int]
    spans: list[tuple[int, int, Answer]]

    @classmethod
    def of(cls, history: History) -> Spans:
        """The intervals of ``history``, the last one running to a day past every date."""
        spans = [
            (first, _FOREVER if stop is None else stop, a) for first, stop, a in history.spans()
        ]
        return cls(history, [first for first, _, _ in spans], spans)

    def cut(self, low: int, high: int) -> list[tuple[int, int, Answer]]:
        """The intervals cut to the days ``low`` (first) to ``high`` (the day after the last)."""
        first = bisect.bisect_right(self.starts, low) - 1
        last = bisect.bisect_left(self.starts, high)
        return [(max(b, low), min(e, high), a) for b, e, a in self.spans[first:last]]


def decide(
    spans: Spans, rule: YearRule, year: int, founded: int | None, rank: Mapping[Status, int]
) -> Year:
    """What ``rule`` makes of ``year``; ``founded`` is the organisation's first day (``None``:
    never founded) and ``rank`` orders the statuses for ``any``."""
    low = dt.date(year, 1, 1).toordinal()
    high = low + (366 if calendar.isleap(year) else 365)
    pieces = spans.cut(low, high)
    days: dict[Status, int] = {}
    for begin, end, answer in pieces:
        days[answer.status] = days.get(answer.status, 0) + end - begin
    open_ = [answer for _, _, answer in pieces if not answer.certain]
    if rule.month is not None and rule.day is not None:
        day = dt.date(year, rule.month, rule.day).toordinal()
        answer = spans.history.at_ordinal(day)
        exists = founded is not None and day >= founded
        return Year(answer, answer.certain, exists, answer.possible, days[answer.status])
    if rule.name == "any":
        top = max(rank[answer.status] for _, _, answer in pieces)
        answer = [answer for _, _, answer in pieces if rank[answer.status] == top][-1]
        higher = {s for a in open_ for s in a.possible if rank[s] > top}
        exists = founded is not None and founded < high
    else:
        last = {answer.status: end for _, end, answer in pieces}
        winner = max(days, key=lambda status: (days[status], last[status]))
        answer = [answer for _, _, answer in pieces if answer.status is winner][-1]
        least = sum(
            end - begin
            for begin, end, a in pieces
            if a.status is winner and (a.certain or a.possible == {winner})
        )
        most: dict[Status, int] = {}
        for begin, end, a in pieces:
            for status in {a.status} if a.certain else a.possible:
                most[status] = most.get(status, 0) + end - begin
        higher = {s for s, n in most.items() if s is not winner and n >= least} if open_ else set()
        exists = founded is not None and 2 * (high - max(low, founded)) >= high - low
    certain = answer.certain and not higher
    return Year(answer, certain, exists, frozenset({answer.status, *higher}), days[answer.status])


#: COW's code for a year in which the organisation did not exist ("IGO not in existence").
NOT_IN_EXISTENCE = -1
#: COW's "missing data": here, the record cannot settle which code the year gets.
MISSING = -9

# The columns after the COW variable's; a rule set's name must not take one of them.
_OURS = ("iso3", "status", "stage", "held", "certain", "organisation", "since", "days")
_COW_COLUMNS = ("ccode", "year", "stateabb")


def cow_variable(rules: RuleSet) -> str:
    """The name of the panel's COW variable for ``rules``: its name in letters and digits.

    COW names each organisation's variable by its abbreviation (``SCO``), so the panel does
    too; a name left empty, or equal to another column's, gets an ``IGO`` ending instead.

    >>> import sco_membership as scm
    >>> cow_variable(scm.SCO_RULES), cow_variable(scm.brics().rules)
    ('SCO', 'BRICS')
    """
    name = "".join(c for c in rules.name if c.isascii() and c.isalnum())
    if name.lower() in {column.lower() for column in (*_COW_COLUMNS, *_OURS)}:
        name += "_IGO"
    return name or "IGO"


def code_column(rules: RuleSet) -> str:
    """The name of a panel's code column: COW's variable name (:func:`cow_variable`) with
    ``_scm`` (this library's), so that a merge with COW's own column keeps both.

    >>> import sco_membership as scm
    >>> code_column(scm.SCO_RULES)
    'SCO_scm'
    """
    return f"{cow_variable(rules)}_scm"


def panel_columns(rules: RuleSet) -> tuple[str, ...]:
    """A panel row's columns for ``rules``: COW's state-year columns, the code column
    (:func:`code_column`), then ours (see docs/panel.md)."""
    return (*_COW_COLUMNS, code_column(rules), *_OURS)


#: An interval row's columns (see docs/panel.md). ``until`` came later, so it comes last: a
#: reader that takes the earlier columns by position still finds them where they were.
INTERVAL_COLUMNS: tuple[str, ...] = (
    *("state", "ccode", "stateabb", "start", "end", "status", "stage", "held", "certain"),
    *("possible", "organisation", "event", "event_date", "event_id", "place", "recorded"),
    *("sources", "until"),
)


def _cow_code(year: Year, rules: RuleSet, coded: Mapping[Status, int] | None) -> int:
    if not year.exists:
        return NOT_IN_EXISTENCE

    def code(status: Status) -> int:
        return rules.cow_code(status) if coded is None else coded.get(status, 0)

    codes = {code(year.answer.held)}
    if not year.certain:
        # A status kept while a process runs adds nothing: it holds what was held before.
        codes |= {code(s) for s in year.candidates if s not in rules.retaining}
    return codes.pop() if len(codes) == 1 else MISSING


def _founded(ledger: Ledger, *, predecessor: bool = False) -> int | None:
    """The first day the rule set's organisation existed: the first interval that names it
    (or, with ``predecessor``, that names any organisation: the Shanghai Five for the SCO)."""
    name = ledger.rules.organisation
    days = [
        first
        for history in ledger.histories.values()
        for first, _, answer in history.spans()
        if answer.organisation == name or (predecessor and answer.organisation is not None)
    ]
    return min(days, default=None)


#: The codings of a panel's code column: the library's own, or COW's conventions for the
#: organisation (its profile's, :attr:`Profile.cow <sco_membership.profiles.Profile>`).
CODINGS = ("library", "cow")


def _coding(rules: RuleSet, coding: str) -> tuple[Mapping[Status, int] | None, bool]:
    """The codes a coding gives each status (``None``: the rule set's) and whether the
    predecessor's years count."""
    if coding not in CODINGS:
        raise OptionError("panel coding", coding, CODINGS)
    profile = profile_of(rules)
    if coding == "library" or profile is None:
        return None, False
    return profile.cow, profile.cow_predecessor


def _codes(ledger: Ledger, states: Iterable[str] | None) -> list[str]:
    if states is None:
        return list(ledger.states)
    if isinstance(states, str):
        states = (states,)
    return list(dict.fromkeys(ledger.code(state) for state in states))


def _order(code: str) -> tuple[bool, int, str]:
    found = cow_state(code)
    return (found is None, 0 if found is None else found.ccode, code)


def _year_of(value: int | None, fallback: int) -> int:
    year = fallback if value is None else value
    if not isinstance(year, int) or not 1 <= year <= 9999:
        raise OptionError("panel year", value, (), "a year is a whole number from 1 to 9999")
    return year


def _cow_fields(code: str, year: int | None = None) -> dict[str, object]:
    found = cow_state(code, year)
    if found is None:
        return {"ccode": None, "stateabb": None}
    return {"ccode": found.ccode, "stateabb": found.stateabb}


def _answer_fields(answer: Answer) -> dict[str, object]:
    return {**answer.values(), "organisation": answer.organisation}


def _event_fields(event: Event | None) -> dict[str, object]:
    if event is None:
        return dict.fromkeys(("event", "event_date", "event_id", "place", "recorded", "sources"))
    return {
        "event": event.kind.value,
        "event_date": event.date.iso,
        "event_id": event.key,
        "place": event.place,
        "recorded": None if event.recorded is None else event.recorded.isoformat(),
        "sources": " | ".join(map(str, event.sources)) or None,
    }


def panel_rows(
    ledger: Ledger,
    *,
    rule: str | YearRule = "dec31",
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str] | None = None,
    coding: str = "library",
    system: bool = False,
) -> list[dict[str, object]]:
    """One row per state and year (the columns are :func:`panel_columns` of the ledger's rule
    set), sorted by COW number, then code, then year; states without a COW number come last.

    ``start`` and ``end`` (years, both included) default to the years of the ledger's first
    and last event; a start after the end raises ``OptionError``. ``states`` (codes or names)
    default to every state with an event.

    ``coding`` is ``"library"`` (the rule set's COW codes, the organisation from its own
    founding) or ``"cow"``: as the COW IGO data code the organisation (its profile's
    conventions: for the SCO, the Shanghai Five's years count and observers are coded 0).
    ``system=True`` gives the whole COW state system instead of ``states``: one row for each
    state COW has in each year (:func:`sco_membership.cow.system`), numbered as COW numbers it
    that year, a state without events coded as holding no status, and no row for a state
    outside the system that year: the panel merges with COW's state-year data on ``ccode`` and
    ``year`` leaving none unmatched.

    >>> import sco_membership as scm
    >>> row = panel_rows(scm.sco(), rule="dec31", start=2017, end=2017, states=["IND"])[0]
    >>> row["ccode"], row["stateabb"], row["SCO_scm"], row["status"], row["held"]
    (750, 'IND', 1, 'member', 'member')
    >>> [r["SCO_scm"] for r in panel_rows(scm.sco(), start=1998, end=2006, states=["IND"])]
    [-1, -1, -1, 0, 0, 0, 0, 3, 3]
    >>> [r["SCO_scm"] for r in panel_rows(scm.sco(), start=1998, end=2006, states=["IND"],
    ...                                   coding="cow")]
    [0, 0, 0, 0, 0, 0, 0, 0, 0]
    >>> len(panel_rows(scm.sco(), start=2014, end=2014, system=True))
    195
    """
    chosen = parse_rule(rule)
    coded, predecessor = _coding(ledger.rules, coding)
    windows = [(event.date.first, event.date.last) for event in ledger.events]
    if windows:
        first_year = dt.date.fromordinal(min(w[0] for w in windows)).year
        last_year = dt.date.fromordinal(max(w[1] for w in windows)).year
    elif start is None or end is None:
        return []
    else:
        first_year = last_year = 1
    low, high = _year_of(start, first_year), _year_of(end, last_year)
    if low > high:
        given = (
            f"start {low}" + (" (the first event's year)" if start is None else ""),
            f"end {high}" + (" (the last event's year)" if end is None else ""),
        )
        raise OptionError("panel year range", (start, end), (), f"{given[0]} is after {given[1]}")
    founded = _founded(ledger, predecessor=predecessor)
    rules = ledger.rules
    rank = {status: k for k, status in enumerate(rules.statuses)}
    columns = panel_columns(rules)
    rows: list[dict[str, object]] = []
    spans: dict[str, Spans] = {}

    def row(code: str | None, history: History, year: int, cow: dict[str, object]) -> None:
        key = code or history.state
        if key not in spans:
            spans[key] = Spans.of(history)
        decided = decide(spans[key], chosen, year, founded, rank)
        found: dict[str, object] = {
            **cow,
            "year": year,
            columns[3]: _cow_code(decided, rules, coded),
            "iso3": code,
            **_answer_fields(decided.answer),
            "certain": decided.certain,
            "since": None if decided.answer.since is None else decided.answer.since.iso,
            "days": decided.days,
        }
        rows.append({column: found[column] for column in columns})

    if not system:
        for code in sorted(_codes(ledger, states), key=_order):
            history = ledger.history(code)
            for year in range(low, high + 1):
                row(code, history, year, _cow_fields(code, year))
        return rows
    if states is not None:
        raise OptionError("panel states", states, (), "system=True gives every state of COW's")
    # Which of the ledger's states COW numbers ccode in a year (Germany is 260 until 1989).
    ours = {
        (found.ccode, year): code
        for code in ledger.states
        for year in range(low, high + 1)
        if (found := cow_state(code, year)) is not None
    }
    for year in range(low, high + 1):
        for member in cow_system(year):
            iso = ours.get((member.ccode, year), member.alpha3)
            if iso is None:  # no ISO code (the GDR): no event can name it
                history = History(f"COW{member.ccode}", (), rules)
            else:
                history = ledger.history(iso)
            row(iso, history, year, {"ccode": member.ccode, "stateabb": member.stateabb})
    rows.sort(key=lambda found: (int(str(found["ccode"])), int(str(found["year"]))))
    return rows


def interval_rows(
    ledger: Ledger, *, states: Iterable[str] | None = None
) -> list[dict[str, object]]:
    """One row per interval of each state's history (:data:`INTERVAL_COLUMNS`), from the first
    event on, sorted like :func:`panel_rows`, then by start.

    ``start`` and ``end`` are the interval's first and last day, both included; ``until`` is
    the day after ``end`` (excluded: the next interval's ``start``), the same day as
    :attr:`Answer.until <sco_membership.answer.Answer.until>` when the next event's date is a
    day. The interval still running has neither.

    >>> import sco_membership as scm
    >>> [(r["start"], r["end"], r["status"]) for r in interval_rows(scm.sco(), states=["PAK"])]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2005-07-05', '2015-07-09', 'observer'), ('2015-07-10', '2016-06-23', 'acceding'),
     ('2016-06-24', '2017-06-08', 'acceding'), ('2017-06-09', None, 'member')]
    """
    rows: list[dict[str, object]] = []
    for code in sorted(_codes(ledger, states), key=_order):
        cow = _cow_fields(code)
        # The first interval is the state before any event: no start, and nothing to cite.
        for first, stop, answer in list(ledger.history(code).spans())[1:]:
            possible = sorted(status.value for status in answer.possible)
            row = {
                "state": code,
                **cow,
                "start": dt.date.fromordinal(first).isoformat(),
                "end": None if stop is None else dt.date.fromordinal(stop - 1).isoformat(),
                "until": None if stop is None else dt.date.fromordinal(stop).isoformat(),
                **_answer_fields(answer),
                "certain": answer.certain,
                "possible": None if answer.certain else ";".join(possible),
                # An open interval lies inside an imprecise event's window: it opens it.
                **_event_fields(answer.event if answer.certain else answer.following),
            }
            rows.append({column: row[column] for column in INTERVAL_COLUMNS})
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """CSV text with a header row and ``\\n`` line ends; ``None`` is empty, booleans are
    ``true``/``false``, a column a row lacks is empty.

    >>> rows = [{"year": 2017, "certain": True, "stage": None}]
    >>> print(to_csv(rows, ("year", "stage", "certain")))
    year,stage,certain
    2017,,true
    <BLANKLINE>
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # With "\n" line ends, the csv module would leave a lone "\r" unquoted: readers split there.
    quoting = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        fields = [_text(row.get(column)) for column in columns]
        (quoting if any("\r" in field for field in fields) else writer).writerow(fields)
    return buffer.getvalue()
