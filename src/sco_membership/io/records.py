"""The event-log record: the plain-dict form of events, as the JSON Lines log stores them.

One record is one dict: ``{"state": "IND", "kind": "membership_granted", "date": "2017-06-09",
"sources": [{"title": ..., "url": ...}], ...}``. A record naming ``"states": [...]`` instead of
``"state"`` is one organisation-wide decision; it becomes one event per state, and
:func:`to_records` gathers them back into one record. Reading checks every field and reports
a bad one as :class:`~sco_membership.exceptions.MalformedDataError`, never a bare error.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..cow import by_abbreviation, in_system
from ..dates import PartialDate
from ..exceptions import DateError, MalformedDataError, UnknownStateError, _shown
from ..model import (
    CORRECTABLE,
    Amendment,
    AmendmentKind,
    Claim,
    Event,
    EventKind,
    Source,
    Verdict,
)
from ..profiles import chosen
from ..rules import RuleSet
from ..states import alpha3_codes

__all__ = [
    "AMENDMENT_FIELDS",
    "CLAIM_FIELDS",
    "FIELDS",
    "SOURCE_FIELDS",
    "claim_records",
    "claims_from_record",
    "events_from_record",
    "read_record",
    "read_records",
    "to_records",
]

#: Every key a record may have, in the order :func:`to_records` writes them.
FIELDS = (
    "id",
    "state",
    "states",
    "kind",
    "date",
    "place",
    "sources",
    "note",
    "recorded",
    "organisation",
)
#: Every key an amendment record (a correction or a retraction) may have, in order.
AMENDMENT_FIELDS = (
    "id",
    "state",
    "states",
    "kind",
    "amends",
    "set",
    "reason",
    "sources",
    "recorded",
)
#: Every key a claim record may have, in order.
CLAIM_FIELDS = (
    "id",
    "state",
    "states",
    "kind",
    "says",
    "date",
    "verdict",
    "reason",
    "event",
    "quote",
    "sources",
    "note",
    "recorded",
)
#: Every key a source may have, in order.
SOURCE_FIELDS = ("title", "url", "publisher", "published")
_SOURCE_KEYS = frozenset(SOURCE_FIELDS)
_AMENDMENTS = {kind.value: kind for kind in AmendmentKind}
_VERDICTS = {verdict.value: verdict for verdict in Verdict}
# A lone surrogate ("\ud800", which JSON's "\\ud800" escape makes) is a str but not text: UTF-8
# cannot encode it, so the store, fingerprints and exports would fail on it later.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The sources read so far, by their fields as given (text only), shared by every read of the
# process: a log cites few sources, many times. Cleared when full, so it stays bounded.
_SOURCES: dict[tuple[tuple[str, str], ...], Source] = {}
_SOURCES_KEPT = 4_096
# A source longer than this (all its text) is read each time rather than kept: the cache holds
# at most about 4 MB of text, whatever a log gives.
_SOURCE_TEXT_KEPT = 1_000
# Unknown field names shown in a message: a record may hold any number of them.
_SHOWN_FIELDS = 10


def _field_names(keys: Iterable[object]) -> str:
    """Unknown field names for a message: plain names as they are, anything else as
    :func:`repr` would show it, bounded; the first few, then how many more."""
    names = sorted(
        key if isinstance(key, str) and key.isprintable() and len(key) <= 40 else _shown(key)
        for key in keys
    )
    more = len(names) - _SHOWN_FIELDS
    return ", ".join(names[:_SHOWN_FIELDS]) + (f" and {more:,} more" if more > 0 else "")


def _source_key(item: object) -> tuple[tuple[str, str], ...] | None:
    """A source item's key in the cache of sources read: its fields, when every one is text
    (``None`` otherwise: such an item is read each time, and the reader names any fault)."""
    if type(item) is dict and all(type(part) is str for part in item.values()):
        return tuple(item.items())
    return None


def _surrogate(value: str) -> str | None:
    """The first lone surrogate in ``value``, escaped for a message, or ``None``."""
    if value.isascii():  # the common case, at C speed: no surrogate is ASCII
        return None
    found = _SURROGATE.search(value)
    return None if found is None else ascii(found.group())


class _Reader:
    """Reads one record's fields, naming the record's place in every error."""

    def __init__(
        self,
        record: Mapping[str, Any],
        file: str | None,
        line: int | None,
        number: int | None,
        rules: RuleSet | None = None,
    ) -> None:
        rules = chosen(rules)
        self.record = record
        self.rules = rules
        self.file = file
        self.line = line
        self.number = number

    def fail(self, reason: str) -> MalformedDataError:
        return MalformedDataError(reason, file=self.file, line=self.line, record=self.number)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.record.get(key)
        if value is None:
            if required:
                raise self.fail(f"the record has no {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be non-empty text, not {_shown(value)}")
        self.encodable(value, repr(key))
        return value

    def encodable(self, value: str, field: str) -> None:
        surrogate = _surrogate(value)
        if surrogate is not None:
            raise self.fail(
                f"{field} holds the lone surrogate {surrogate}, which is not text: UTF-8"
                " cannot encode it"
            )

    def state(self, value: object) -> str:
        iso = self.rules.members == "iso3166"
        if not isinstance(value, str):
            what = "an ISO 3166-1 alpha-3 code" if iso else "text"
            raise self.fail(f"a member must be {what}, not {_shown(value)}")
        try:
            code = self.rules.member(value)
        except UnknownStateError as exc:
            raise self.fail(str(exc)) from None
        if code != value:
            raise self.fail(
                f"write the state {_shown(value)} as its ISO 3166-1 alpha-3 code {code!r}"
            )
        return code

    def states(self) -> tuple[str, ...]:
        one, many = self.record.get("state"), self.record.get("states")
        if (one is None) == (many is None):
            raise self.fail("a record names either 'state' or 'states', exactly one of them")
        if one is not None:
            return (self.state(one),)
        if not isinstance(many, list) or not many:
            raise self.fail(f"'states' must be a non-empty list of codes, not {_shown(many)}")
        codes = tuple(self.state(value) for value in many)
        if len(set(codes)) != len(codes):
            raise self.fail(f"'states' names a state twice: {_shown(many)}")
        return codes

    def kind(self, key: str = "kind") -> EventKind:
        value = self.text(key, required=True)
        kind = self.rules.kind_named(value) if value is not None else None
        if kind is None:
            known = ", ".join(kind.value for kind in self.rules.kinds)
            word = "kind" if key == "kind" else f"kind in {key!r}"
            raise self.fail(
                f"unknown {word} {_shown(value)}; the {self.rules.name} kinds: {known}"
            )
        return kind

    def date(self, key: str, *, required: bool) -> PartialDate | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            return PartialDate.parse(value)
        except DateError as exc:
            raise self.fail(f"{key!r}: {exc}") from None

    def check_in_system(self, states: Iterable[str], date: PartialDate) -> None:
        """Refuse a COW state named on a date on which it was not in COW's state system."""
        years = range(date.first_day.year, date.last_day.year + 1)
        for state in states:
            found = by_abbreviation(state)
            if found is not None and not any(in_system(found.ccode, year) for year in years):
                raise self.fail(
                    f"{state} ({found.name}) was not in COW's state system in {date.iso}"
                )

    def event_date(self) -> PartialDate:
        value = self.date("date", required=True)
        if value is None:  # pragma: no cover  (required=True raised already)
            raise self.fail("the record has no 'date'")
        return value

    def recorded(self) -> dt.date | None:
        partial = self.date("recorded", required=False)
        if partial is None:
            return None
        if not partial.is_exact:
            raise self.fail(f"'recorded' must be a day, not {partial.iso!r}")
        return partial.first_day

    def changes(self) -> tuple[tuple[str, Any], ...]:
        value = self.record.get("set")
        if not isinstance(value, Mapping) or not value:
            raise self.fail(
                f"a correction's 'set' is a non-empty object of fields, not {_shown(value)}"
            )
        wrong = [key for key in value if key not in CORRECTABLE]
        if wrong:
            fields = ", ".join(CORRECTABLE)
            raise self.fail(f"a correction cannot set {_field_names(wrong)}; it may set {fields}")
        inner = _Reader(value, self.file, self.line, self.number, self.rules)
        read: dict[str, Callable[[], Any]] = {
            "date": inner.event_date,
            "kind": inner.kind,
            "place": lambda: inner.text("place", required=True),
            "note": lambda: inner.text("note", required=True),
            "sources": lambda: inner.sources(),
            "organisation": lambda: inner.text("organisation", required=True),
        }
        return tuple((key, read[key]()) for key in CORRECTABLE if key in value)

    def sources(self) -> tuple[Source, ...]:
        value = self.record.get("sources", [])
        if not isinstance(value, list):
            raise self.fail(f"'sources' must be a list, not {_shown(value)}")
        return tuple(map(self.source, value))

    def source(self, item: object) -> Source:
        # A log cites a few sources many times: one read of each is enough (the key holds
        # only text, so an item that reads well once reads the same again).
        key = _source_key(item)
        if key is not None:
            found = _SOURCES.get(key)
            if found is not None:
                return found
        made = self._source(item)
        if key is not None and sum(len(part) for _, part in key) <= _SOURCE_TEXT_KEPT:
            if len(_SOURCES) >= _SOURCES_KEPT:
                _SOURCES.clear()
            _SOURCES[key] = made
        return made

    def _source(self, item: object) -> Source:
        if not isinstance(item, Mapping) or not item.keys() <= _SOURCE_KEYS:
            shape = ", ".join(f"{key!r}: ..." for key in SOURCE_FIELDS)
            raise self.fail(f"a source is {{{shape}}}, not {_shown(item)}")
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.fail(f"a source needs a non-empty 'title': {_shown(item)}")
        for key, part in item.items():
            if part is not None and (not isinstance(part, str) or not part.strip()):
                raise self.fail(f"a source's {key!r} must be non-empty text: {_shown(item)}")
        given = [part for part in item.values() if part is not None]
        if _surrogate("".join(given)) is not None:  # one search for the common case
            for key in SOURCE_FIELDS:
                part = item.get(key)
                if part is not None:
                    self.encodable(part, f"a source's {key!r}")
        text = item.get("published")
        published = None
        if text is not None:
            try:
                published = PartialDate.parse(text)
            except DateError as exc:
                raise self.fail(f"a source's 'published': {exc}") from None
        return Source(title, item.get("url"), item.get("publisher"), published)


# The keys of a record the fast path reads: an event of one state, perhaps with its record
# time, and with the details most logs give (sources, place, note, id).
_PLAIN = frozenset({"state", "kind", "date", "recorded"})
_DETAILS = frozenset({"sources", "place", "note", "id"})
_FAST = _PLAIN | _DETAILS
_MISSING = object()


def _details(
    record: dict[str, Any], file: str | None, number: int, lines: bool, rules: RuleSet
) -> tuple[tuple[Source, ...], str | None, str | None, str | None] | None:
    """An event record's sources, place, note and id, or ``None`` when any is in doubt (the
    full reader then names the fault). A source read before comes from the cache; a new one is
    read as the full reader reads it."""
    texts = []
    for key in ("place", "note", "id"):
        value = record.get(key)
        if value is not None and (
            type(value) is not str or not value.strip() or _surrogate(value) is not None
        ):
            return None
        texts.append(value)
    given = record.get("sources", _MISSING)
    sources: tuple[Source, ...] = ()
    if given is not _MISSING:
        if type(given) is not list:
            return None
        found = []
        for item in given:
            cited = _source_key(item)  # a source cited before comes from the cache
            source = None if cited is None else _SOURCES.get(cited)
            if source is None:
                line, count = (number, None) if lines else (None, number)
                try:
                    source = _Reader(record, file, line, count, rules).source(item)
                except MalformedDataError:
                    return None
            found.append(source)
        sources = tuple(found)
    return sources, texts[0], texts[1], texts[2]


def _members(rules: RuleSet) -> Callable[[str], bool]:
    """Whether a text is a member's identifier as a record must write it, answered in the
    common case without a call into the rule set: a set lookup (ISO codes, COW
    abbreviations), or a pattern matched once per distinct identifier."""
    if rules.members == "iso3166":
        return alpha3_codes().__contains__
    if rules.members == "cow":  # each event's years are checked too: the full reader does it
        return lambda value: False
    seen: set[str] = set()

    def known(value: str) -> bool:
        if value in seen:
            return True
        try:
            ok = rules.member(value) == value and _surrogate(value) is None
        except UnknownStateError:
            return False
        if ok and len(seen) < 1 << 20:
            seen.add(value)
        return ok

    return known


def read_records(
    numbered: Iterable[tuple[int, Any]],
    *,
    rules: RuleSet | None = None,
    file: str | None = None,
    lines: bool = False,
) -> tuple[list[Event], list[Amendment], list[Claim]]:
    """The events, amendments and claims of many records, each given with its number (its
    line in ``file`` when ``lines``, else its place in a sequence, from 1, for errors).

    An event of one state (``state``, ``kind``, ``date``, perhaps ``recorded`` and the details
    ``sources``, ``place``, ``note``, ``id``, each well formed) is read on a fast path; any
    other record, or one the fast path doubts, is read by :func:`read_record`, which names
    what is wrong. The cyclic garbage collector is paused meanwhile: a bulk read makes many
    objects and frees none.
    """
    rules = chosen(rules)
    events: list[Event] = []
    amendments: list[Amendment] = []
    claims: list[Claim] = []
    kinds = {kind.value: kind for kind in rules.kinds}
    member = _members(rules)
    parse = PartialDate.parse
    plain, fast, made = _PLAIN, _FAST, Event
    paused = gc.isenabled()
    gc.disable()
    try:
        for number, record in numbered:
            if type(record) is dict and record.keys() <= fast:
                state, kind, text = record.get("state"), record.get("kind"), record.get("date")
                found = kinds.get(kind) if type(kind) is str else None
                if found is not None and type(state) is str and member(state):
                    try:
                        date = parse(text) if type(text) is str else None
                        noted = record.get("recorded")
                        day = None if noted is None else parse(noted)
                    except DateError:
                        date = None
                    if date is not None and (day is None or day.is_exact):
                        recorded = None if day is None else day.first_day
                        if record.keys() <= plain:
                            events.append(made(state, found, date, recorded=recorded))
                            continue
                        details = _details(record, file, number, lines, rules)
                        if details is not None:
                            sources, place, note, key = details
                            events.append(
                                made(state, found, date, sources, place, note, recorded, id=key)
                            )
                            continue
            where = {"line": number} if lines else {"number": number}
            for entry in read_record(record, file=file, rules=rules, **where):
                if isinstance(entry, Event):
                    events.append(entry)
                elif isinstance(entry, Amendment):
                    amendments.append(entry)
                else:
                    claims.append(entry)
    finally:
        if paused:
            gc.enable()
    return events, amendments, claims


def read_record(
    record: Mapping[str, Any],
    *,
    file: str | None = None,
    line: int | None = None,
    number: int | None = None,
    rules: RuleSet | None = None,
) -> tuple[Event, ...] | tuple[Amendment, ...] | tuple[Claim, ...]:
    """What one record stands for: events, amendments (corrections, retractions) or claims."""
    rules = chosen(rules)
    kind = record.get("kind") if isinstance(record, Mapping) else None
    if isinstance(kind, str) and kind in _AMENDMENTS:
        return amendments_from_record(record, file=file, line=line, number=number, rules=rules)
    if kind == "claim":
        return claims_from_record(record, file=file, line=line, number=number, rules=rules)
    return events_from_record(record, file=file, line=line, number=number, rules=rules)


def claims_from_record(
    record: Mapping[str, Any],
    *,
    file: str | None = None,
    line: int | None = None,
    number: int | None = None,
    rules: RuleSet | None = None,
) -> tuple[Claim, ...]:
    """The claims one claim record stands for: one source's statement, one claim per state.

    Whether the event a claim names exists, and agrees with an accepted claim, is the
    ledger's to check (:meth:`~sco_membership.ledger.Ledger.from_events`): it takes the whole
    log.
    """
    rules = chosen(rules)
    reader = _Reader(record, file, line, number, rules)
    unknown = [key for key in record if key not in CLAIM_FIELDS]
    if unknown:
        known = ", ".join(CLAIM_FIELDS)
        raise reader.fail(f"unknown field(s) {_field_names(unknown)} in a claim; known: {known}")
    states = reader.states()
    verdict = _VERDICTS.get(record.get("verdict"))  # type: ignore[arg-type]
    if verdict is None:
        raise reader.fail(
            f"a claim's 'verdict' is 'accepted' or 'rejected', not {_shown(record.get('verdict'))}"
        )
    reason, event = reader.text("reason"), reader.text("event")
    if verdict is Verdict.REJECTED and reason is None:
        raise reader.fail("a rejected claim needs a 'reason': why the record does not take it")
    if verdict is Verdict.ACCEPTED and event is None:
        raise reader.fail("an accepted claim needs 'event': the key of the event it backs")
    sources = reader.sources()
    if len(sources) != 1:
        raise reader.fail(
            f"a claim is one source's statement: 'sources' lists exactly one, not {len(sources)}"
        )
    first = Claim(
        states[0],
        reader.kind("says"),
        reader.event_date(),
        sources[0],
        verdict,
        event=event,
        reason=reason,
        quote=reader.text("quote"),
        note=reader.text("note"),
        recorded=reader.recorded(),
        cohort=states if "states" in record else (),
        id=reader.text("id"),
    )
    return (first, *(attrs.evolve(first, state=state) for state in states[1:]))


def amendments_from_record(
    record: Mapping[str, Any],
    *,
    file: str | None = None,
    line: int | None = None,
    number: int | None = None,
    rules: RuleSet | None = None,
) -> tuple[Amendment, ...]:
    """The amendments one correction or retraction record stands for (one per state)."""
    rules = chosen(rules)
    reader = _Reader(record, file, line, number, rules)
    unknown = [key for key in record if key not in AMENDMENT_FIELDS]
    if unknown:
        known = ", ".join(AMENDMENT_FIELDS)
        raise reader.fail(
            f"unknown field(s) {_field_names(unknown)} in an amendment; known: {known}"
        )
    kind = _AMENDMENTS[record["kind"]]
    recorded = reader.recorded()
    if recorded is None:
        raise reader.fail("an amendment needs 'recorded': the day the record was amended")
    changes = reader.changes() if kind is AmendmentKind.CORRECTION else ()
    if kind is AmendmentKind.RETRACTION and "set" in record:
        raise reader.fail("a retraction withdraws an event: it has no 'set'")
    states = reader.states()
    first = Amendment(
        states[0],
        kind,
        reader.text("amends", required=True) or "",
        recorded,
        reader.text("reason", required=True) or "",
        changes=changes,
        sources=reader.sources(),
        cohort=states if "states" in record else (),
        id=reader.text("id"),
    )
    return (first, *(attrs.evolve(first, state=state) for state in states[1:]))


def events_from_record(
    record: Mapping[str, Any],
    *,
    file: str | None = None,
    line: int | None = None,
    number: int | None = None,
    rules: RuleSet | None = None,
) -> tuple[Event, ...]:
    """The events one record stands for: one, or one per state of a decision.

    ``file`` and ``line`` (in a file) or ``number`` (in a sequence) say where the record is, for
    error messages.
    """
    rules = chosen(rules)
    reader = _Reader(record, file, line, number, rules)
    if not isinstance(record, Mapping):
        raise reader.fail(f"a record is a JSON object, not {type(record).__name__}")
    unknown = [key for key in record if key not in FIELDS]
    if unknown:
        raise reader.fail(f"unknown field(s) {_field_names(unknown)}; known: {', '.join(FIELDS)}")
    states = reader.states()
    cohort = states if "states" in record else ()
    kind = reader.kind()
    date = reader.event_date()
    if rules.members == "cow":
        reader.check_in_system(states, date)
    first = Event(
        states[0],
        kind,
        date,
        sources=reader.sources(),
        place=reader.text("place"),
        note=reader.text("note"),
        recorded=reader.recorded(),
        organisation=reader.text("organisation"),
        cohort=cohort,
        id=reader.text("id"),
    )
    return (first, *(attrs.evolve(first, state=state) for state in states[1:]))


def _head(entry: Event | Amendment, states: tuple[str, ...]) -> dict[str, Any]:
    """The fields every record starts with: its id, its state or states, its kind."""
    record: dict[str, Any] = {} if entry.id is None else {"id": entry.id}
    if entry.cohort:
        record["states"] = list(states)
    else:
        record["state"] = entry.state
    record["kind"] = entry.kind.value
    return record


def _record(event: Event, states: tuple[str, ...]) -> dict[str, Any]:
    record = _head(event, states)
    record["date"] = event.date.iso
    if event.place is not None:
        record["place"] = event.place
    if event.sources:
        record["sources"] = _sources(event.sources)
    if event.note is not None:
        record["note"] = event.note
    if event.recorded is not None:
        record["recorded"] = event.recorded.isoformat()
    if event.organisation is not None:
        record["organisation"] = event.organisation
    return record


def _sources(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [_source(source) for source in sources]


def _source(source: Source) -> dict[str, str]:
    found = {"title": source.title}
    if source.url is not None:
        found["url"] = source.url
    if source.publisher is not None:
        found["publisher"] = source.publisher
    if source.published is not None:
        found["published"] = source.published.iso
    return found


def _claim_record(claim: Claim, states: tuple[str, ...]) -> dict[str, Any]:
    record: dict[str, Any] = {} if claim.id is None else {"id": claim.id}
    if claim.cohort:
        record["states"] = list(states)
    else:
        record["state"] = claim.state
    record["kind"] = "claim"
    record["says"] = claim.says.value
    record["date"] = claim.date.iso
    record["verdict"] = claim.verdict.value
    for key in ("reason", "event", "quote"):
        if getattr(claim, key) is not None:
            record[key] = getattr(claim, key)
    record["sources"] = [_source(claim.source)]
    if claim.note is not None:
        record["note"] = claim.note
    if claim.recorded is not None:
        record["recorded"] = claim.recorded.isoformat()
    return record


def claim_records(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    """Records for ``claims``, one per statement (a claim about several states is one), in
    the order given."""
    grouped: dict[Claim, list[str]] = {}
    for claim in claims:
        lead = attrs.evolve(claim, state=claim.cohort[0]) if claim.cohort else claim
        grouped.setdefault(lead, []).append(claim.state)
    return [
        _claim_record(lead, tuple(sorted(set(present), key=lead.cohort.index)))
        if lead.cohort
        else _claim_record(lead, (lead.state,))
        for lead, present in grouped.items()
    ]


def _amendment_record(amendment: Amendment, states: tuple[str, ...]) -> dict[str, Any]:
    record = _head(amendment, states)
    record["amends"] = amendment.amends
    if amendment.changes:
        record["set"] = {key: _plain(value) for key, value in amendment.changes}
    record["reason"] = amendment.reason
    if amendment.sources:
        record["sources"] = _sources(amendment.sources)
    record["recorded"] = amendment.recorded.isoformat()
    return record


def _plain(value: Any) -> Any:
    """A corrected field's value as the log writes it."""
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, EventKind):
        return value.value
    if isinstance(value, tuple):
        return _sources(value)
    return value


def amendment_records(amendments: Iterable[Amendment]) -> list[dict[str, Any]]:
    """Records for ``amendments``, one per amending decision, in record-time order."""
    grouped: dict[Amendment, list[str]] = {}
    for amendment in amendments:
        lead = (
            attrs.evolve(amendment, state=amendment.cohort[0]) if amendment.cohort else amendment
        )
        grouped.setdefault(lead, []).append(amendment.state)
    ordered = sorted(grouped.items(), key=lambda pair: (pair[0].recorded, pair[0].key))
    return [
        _amendment_record(lead, tuple(sorted(set(present), key=lead.cohort.index)))
        if lead.cohort
        else _amendment_record(lead, (lead.state,))
        for lead, present in ordered
    ]


def to_records(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Records for ``events``, one per decision, in date order.

    >>> from sco_membership.model import Event, EventKind
    >>> e = Event("IND", EventKind.OBSERVER_GRANTED, PartialDate.parse("2005-07-05"))
    >>> to_records([e])
    [{'state': 'IND', 'kind': 'observer_granted', 'date': '2005-07-05'}]
    """
    singles: list[tuple[Event, tuple[str, ...]]] = []
    decisions: dict[Event, list[str]] = {}
    for event in events:
        if event.cohort:
            # One decision's events differ only in their state: the rest identifies it.
            decision = attrs.evolve(event, state=event.cohort[0])
            decisions.setdefault(decision, []).append(event.state)
        else:
            singles.append((event, (event.state,)))
    for decision, present in decisions.items():
        order = {state: k for k, state in enumerate(decision.cohort)}
        singles.append((decision, tuple(sorted(set(present), key=order.__getitem__))))
    singles.sort(key=lambda pair: (pair[0].date.first, pair[0].date.last, pair[1], pair[0].key))
    return [_record(event, states) for event, states in singles]
