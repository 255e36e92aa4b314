"""Every organisation of the Correlates of War (COW) IGO data as a ledger, and igoR's questions.

COW's state-year table (:mod:`sco_membership.io.cow`) codes, for each state and year, its
membership in 534 organisations: none, observer, associate or full member, or missing. This
module turns one organisation's codes into a ledger under a general rule set
(:data:`COW_RULES`): each change of code becomes an event dated to its year (year precision,
as COW's data are), so any day can be asked about and an answer inside a year of change says
that the day is not known ("full member since 1967, day not known"). A state COW codes ``-9``
(missing) holds the status ``unknown`` meanwhile.

It also answers, in Python, what the R package igoR answers (see docs/cow.md, which puts each
igoR call beside ours): :func:`igo_search`, :func:`igo_members`, :func:`igo_state_membership`,
:func:`igo_dyadic`, and :func:`recode`. Where this library's own sourced, day-precise record
covers an organisation (the SCO), the questions take their answers from it, not from COW's
codes; ``sco-membership reconcile`` reports where the two differ, and why.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..cow import ERAS, by_ccode, cow_state
from ..dates import PartialDate
from ..exceptions import OptionError
from ..io.cow import COW_CODES, CowIgo, CowStateYear
from ..ledger import Ledger
from ..model import Event, EventKind, Standing, Status, Transition
from ..rules import RuleSet
from ..states import resolve

__all__ = [
    "COW_RULES",
    "Membership",
    "cow_ledger",
    "igo_dyadic",
    "igo_members",
    "igo_search",
    "igo_state_membership",
    "recode",
    "state_key",
]

_NONE = Standing(Status.NONE)
_OBSERVER = Standing(Status.declare("observer"))
_ASSOCIATE = Standing(Status.declare("associate"))
_MEMBER = Standing(Status.MEMBER)
_UNKNOWN = Standing(Status.declare("unknown"))
_STANDINGS = (_NONE, _OBSERVER, _ASSOCIATE, _MEMBER, _UNKNOWN)
# Each of COW's codes, the standing it stands for, and the event kind of a change to it.
_CODED = {
    0: (_NONE, "cow_no_membership"),
    -1: (_NONE, "cow_no_membership"),
    3: (_OBSERVER, "cow_observer"),
    2: (_ASSOCIATE, "cow_associate"),
    1: (_MEMBER, "cow_full_membership"),
    -9: (_UNKNOWN, "cow_missing"),
}
_KINDS = {kind: EventKind.declare(kind) for _, kind in _CODED.values()}


def _rows() -> list[Transition]:
    rows = []
    for standing, kind in dict.fromkeys(_CODED.values()):
        rows += [
            Transition(_KINDS[kind], source, standing)
            for source in _STANDINGS
            if source != standing
        ]
    return rows


#: COW's categories as a rule set: a change of code may come from any other code.
COW_RULES = RuleSet(
    name="COW",
    organisation="an organisation of the COW IGO data",
    transitions=_rows(),
    statuses=[Status.NONE, _UNKNOWN.status, _OBSERVER.status, _ASSOCIATE.status, Status.MEMBER],
    kinds=[_KINDS[kind] for kind in dict.fromkeys(kind for _, kind in _CODED.values())],
    cow={_OBSERVER.status: 3, _ASSOCIATE.status: 2, Status.MEMBER: 1},
)


def state_key(ccode: int) -> str:
    """The code a COW state has in a ledger: the ISO 3166-1 alpha-3 code that stands for it
    (the Federal Republic, 260, is ``DEU``: see :data:`sco_membership.cow.ERAS`), or
    ``COW<number>`` for a state ISO has no code for (the GDR is ``COW265``).

    >>> state_key(750), state_key(260), state_key(255), state_key(265)
    ('IND', 'DEU', 'DEU', 'COW265')
    """
    found = by_ccode(ccode)
    if found is not None and found.alpha3 is not None:
        return found.alpha3
    for alpha3, eras in ERAS.items():
        if any(number == ccode for _, _, number in eras):
            return alpha3
    return f"COW{ccode}"


def _events(table: CowStateYear, org: str, name: str) -> list[Event]:
    by_state: dict[str, list[tuple[int, int]]] = {}
    for ccode, year, code in table.rows(org):
        by_state.setdefault(state_key(ccode), []).append((year, code))
    events = []

    def event(state: str, kind: str, year: int, note: str) -> None:
        events.append(Event(state, _KINDS[kind], PartialDate(year), note=note, organisation=name))

    for state, years in by_state.items():
        held, last_year = 0, None
        for year, code in sorted(years):
            now = 0 if code == -1 else code
            if now != held:
                if last_year is not None and year - last_year > 1:
                    # Rows years apart (COW lists five-yearly before 1965): the change fell
                    # somewhere in between, so the years between are not known.
                    event(
                        state,
                        "cow_missing",
                        last_year + 1,
                        f"no COW row {last_year + 1}-{year - 1}",
                    )
                event(
                    state,
                    _CODED[now][1],
                    year,
                    f"COW IGO v3 codes {COW_CODES[code]} ({code}) in {year}",
                )
                held = now
            last_year = year
        # A state that left the system (its rows end) stops being a member with it.
        if held != 0 and last_year is not None and last_year < table.last_year:
            event(
                state, "cow_no_membership", last_year + 1, f"no COW row for it after {last_year}"
            )
    return events


def cow_ledger(table: CowStateYear, org: str, *, name: str | None = None) -> Ledger:
    """One organisation of COW's state-year table as a ledger under :data:`COW_RULES`.

    Each change of a state's code is an event of its year (year precision); a state without
    an ISO 3166-1 code is keyed ``COW<number>`` (:func:`state_key`). ``name`` names the
    organisation in answers (by default the column's name, upper-case).

    >>> from sco_membership.io.cow import read_state_year
    >>> asean = cow_ledger(read_state_year("tests/data/cow/state_year_extract.csv"), "asean")
    >>> print(asean.status("IDN", "1990-01-01"))  # doctest: +ELLIPSIS
    IDN: member of the ASEAN, since 1967 (cow full membership)
    >>> asean.status("IDN", "1967-06-01").certain
    False
    """
    table.column(org)  # refuses an unknown organisation, naming the close ones
    label = name or org.strip().upper()
    return Ledger.from_events(_events(table, org.strip().lower(), label), rules=COW_RULES)


# --- igoR's questions ----------------------------------------------------------------------------


@attrs.frozen
class Membership:
    """One state's code in one organisation in one year, as COW codes it (``code``, with its
    meaning ``label``), and where the answer comes from (``"COW"`` or this library's record)."""

    org: str
    state: str
    ccode: int | None
    year: int
    code: int
    label: str
    source: str = "COW"


def recode(code: int) -> str:
    """COW's label of a state-year code, as igoR's ``igo_recode_stateyear`` gives it.

    >>> recode(1), recode(-9), recode(-1)
    ('full membership', 'missing data', 'IGO not in existence')
    """
    try:
        return COW_CODES[code]
    except (KeyError, TypeError):
        raise OptionError("COW code", code, tuple(map(str, COW_CODES))) from None


def igo_search(igos: Iterable[CowIgo], pattern: str) -> tuple[CowIgo, ...]:
    """The organisations whose short, full or long name matches ``pattern`` (a regular
    expression, case ignored), like igoR's ``igo_search``.

    >>> from sco_membership.io.cow import read_igo_list
    >>> igos = read_igo_list("tests/data/cow/igo_names_extract.csv")
    >>> [igo.ioname for igo in igo_search(igos, "shanghai")]
    ['SCO']
    """
    try:
        found = re.compile(pattern, re.IGNORECASE)
    except (re.error, TypeError) as exc:
        raise OptionError("search pattern", pattern, (), str(exc)) from None
    return tuple(
        igo
        for igo in igos
        if any(found.search(text) for text in (igo.ioname, igo.orgname, igo.longorgname))
    )


@functools.lru_cache(maxsize=1)
def _record() -> Mapping[str, Ledger]:
    """The organisations this library keeps a sourced record of, by COW column name."""
    from . import sco

    return {"sco": sco()}


def _sourced(org: str) -> Ledger | None:
    return _record().get(org.strip().lower())


def _code_in(ledger: Ledger, state: str, year: int) -> int:
    """The COW code of the status a state held in law on 31 December of ``year``."""
    answer = ledger.status(state, dt.date(year, 12, 31))
    return ledger.rules.cow_code(answer.held)


def _ccode(state: str, year: int) -> int | None:
    found = cow_state(state, year)
    return None if found is None else found.ccode


_CATEGORIES = {"full": 1, "associate": 2, "observer": 3}


def _wanted(status: Sequence[str] | str) -> set[int]:
    names = [status] if isinstance(status, str) else list(status)
    unknown = [name for name in names if name not in _CATEGORIES]
    if unknown:
        raise OptionError("membership category", unknown[0], tuple(_CATEGORIES))
    return {_CATEGORIES[name] for name in names}


def igo_members(
    table: CowStateYear,
    org: str,
    year: int,
    *,
    status: Sequence[str] | str = "full",
) -> tuple[Membership, ...]:
    """The states with ``status`` (``"full"``, ``"associate"``, ``"observer"``, or several) in
    ``org`` in ``year``, like igoR's ``igo_members`` (full members by default, as there). For
    an organisation this library keeps a sourced record of (the SCO) the answer is that
    record's, on 31 December of the year.

    >>> from sco_membership.io.cow import read_state_year
    >>> table = read_state_year("tests/data/cow/state_year_extract.csv")
    >>> [m.state for m in igo_members(table, "asean", 1967)]
    ['THA', 'MYS', 'SGP', 'PHL', 'IDN']
    >>> [m.state for m in igo_members(table, "sco", 2005, status="observer")]
    ['IRN', 'MNG', 'IND', 'PAK']
    """
    wanted = _wanted(status)
    org = org.strip().lower()
    record = _sourced(org)
    found = []
    if record is not None:
        for state in record.states:
            code = _code_in(record, state, year)
            if code in wanted:
                found.append(
                    Membership(org, state, _ccode(state, year), year, code, recode(code), "record")
                )
        return tuple(sorted(found, key=lambda m: (m.ccode is None, m.ccode or 0, m.state)))
    for ccode, row_year, code in table.rows(org):
        if row_year == year and code in wanted:
            found.append(Membership(org, state_key(ccode), ccode, year, code, recode(code)))
    return tuple(found)


def _as_ccode(state: str | int, year: int) -> tuple[str, int | None]:
    code = resolve(state) if not (isinstance(state, str) and state.startswith("COW")) else state
    if code.startswith("COW"):
        return code, int(code[3:])
    return code, _ccode(code, year)


def igo_state_membership(
    table: CowStateYear,
    state: str | int,
    year: int,
    *,
    status: Sequence[str] | str = ("full", "associate", "observer"),
) -> tuple[Membership, ...]:
    """The organisations ``state`` (code, name or COW number) belonged to in ``year`` with
    ``status`` (any category by default), like igoR's ``igo_state_membership``; the SCO's
    answer is this library's record.

    >>> from sco_membership.io.cow import read_state_year
    >>> table = read_state_year("tests/data/cow/state_year_extract.csv")
    >>> [(m.org, m.label, m.source) for m in igo_state_membership(table, "India", 2010)]
    [('sco', 'observer', 'record')]
    """
    wanted = _wanted(status)
    code, ccode = _as_ccode(state, year)
    found = []
    for org in table.orgs:
        record = _sourced(org)
        if record is not None:
            value = _code_in(record, code, year) if not code.startswith("COW") else 0
            source = "record"
        else:
            got = None if ccode is None else table.code(org, ccode, year)
            if got is None:
                continue
            value, source = got, "COW"
        if value in wanted:
            found.append(Membership(org, code, ccode, year, value, recode(value), source))
    return tuple(found)


def igo_dyadic(
    table: CowStateYear, first: str | int, second: str | int, year: int
) -> dict[str, int]:
    """For each organisation, whether two states were both full members in ``year``, as
    igoR's ``igo_dyadic`` codes it: 1 joint full membership, 0 none, -9 missing data for
    either, -1 either not a system member (no row).

    >>> from sco_membership.io.cow import read_state_year
    >>> table = read_state_year("tests/data/cow/state_year_extract.csv")
    >>> igo_dyadic(table, "CHN", "RUS", 2001), igo_dyadic(table, "IND", "PAK", 2014)
    ({'asean': 0, 'sco': 1}, {'asean': 0, 'sco': 0})
    """
    one, one_ccode = _as_ccode(first, year)
    two, two_ccode = _as_ccode(second, year)
    found = {}
    for org in table.orgs:
        record = _sourced(org)
        if record is not None:
            codes = [
                0 if code.startswith("COW") else _code_in(record, code, year)
                for code in (one, two)
            ]
        else:
            got = [
                None if ccode is None else table.code(org, ccode, year)
                for ccode in (one_ccode, two_ccode)
            ]
            if None in got:
                found[org] = -1
                continue
            codes = [code for code in got if code is not None]
        if -9 in codes:
            found[org] = -9
        else:
            found[org] = 1 if codes == [1, 1] else 0
    return found
