"""Valid logs of several states, as the records of a log file, with what a naive fold expects.

Dates come one after another; on each date a few records name disjoint sets of states, each
record drawn among the kinds allowed for the states it names, so every log is valid by
construction. Only a rule set's ``organisation_wide`` kinds are recorded as one decision naming
several states.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..dates import PartialDate, Precision
from ..io.records import FIELDS
from ..model import Event, EventKind, Source
from ..profiles import chosen, default_rules
from ..rules import RuleSet
from ._walks import CODES, StateLog, Step, follow, later_date, sources, texts

__all__ = ["EventLog", "event_logs"]


@attrs.frozen
class EventLog:
    """A valid log of several states: its records as a log file holds them, and for each state
    its events with the steps a naive fold expects (:class:`StateLog`)."""

    #: Records as ``Ledger.to_records`` writes them: canonical field order and record order.
    records: tuple[dict[str, Any], ...]
    state_logs: Mapping[str, StateLog]
    rules: RuleSet = attrs.field(factory=default_rules, repr=False)

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event of every state, state by state, each state's in time order."""
        return tuple(event for log in self.state_logs.values() for event in log.events)

    @property
    def states(self) -> tuple[str, ...]:
        """The states of the log (some may have no event)."""
        return tuple(self.state_logs)

    def at(self, state: str, day: dt.date) -> Step:
        """The naive answer for ``state`` on ``day`` (the initial step for a state not here)."""
        log = self.state_logs.get(state)
        return Step(self.rules.initial) if log is None else log.at(day)


_SHORT_TEXT = st.none() | texts(max_size=6)
_ID_TEXT = st.none() | texts(max_size=3)
_SOURCE_LISTS = st.lists(sources(), max_size=1)
_RECORDED = st.none() | st.dates()


def _details(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """The optional fields of record ``number``, as records hold them (an ``id`` is unique)."""
    details: dict[str, Any] = {}
    name = draw(_ID_TEXT)
    if name is not None:
        details["id"] = f"{name}#{number}"
    for key in ("place", "note", "organisation"):
        value = draw(_SHORT_TEXT)
        if value is not None:
            details[key] = value
    found = draw(_SOURCE_LISTS)
    if found:
        details["sources"] = [source_record(source) for source in found]
    recorded = draw(_RECORDED)
    if recorded is not None:
        details["recorded"] = recorded.isoformat()
    return details


def source_record(source: Source) -> dict[str, str]:
    """A source as a record holds it."""
    record = {"title": source.title}
    record |= {} if source.url is None else {"url": source.url}
    record |= {} if source.publisher is None else {"publisher": source.publisher}
    record |= {} if source.published is None else {"published": source.published.iso}
    return record


def _source(record: Mapping[str, str]) -> Source:
    published = record.get("published")
    return Source(
        record["title"],
        record.get("url"),
        record.get("publisher"),
        None if published is None else PartialDate.parse(published),
    )


def _event(state: str, kind: EventKind, date: PartialDate, details: Mapping[str, Any]) -> Event:
    recorded = details.get("recorded")
    return Event(
        state,
        kind,
        date,
        sources=tuple(_source(s) for s in details.get("sources", ())),
        place=details.get("place"),
        note=details.get("note"),
        recorded=None if recorded is None else dt.date.fromisoformat(recorded),
        organisation=details.get("organisation"),
        id=details.get("id"),
    )


def event_logs(
    rules: RuleSet | None = None,
    *,
    states: Sequence[str] = CODES,
    min_states: int = 1,
    max_states: int = 5,
    max_events: int = 16,
    precisions: Sequence[Precision] = tuple(Precision),
    max_gap: int = 800,
    with_details: bool = True,
) -> st.SearchStrategy[EventLog]:
    """Valid logs of several states under ``rules``, with what a naive fold expects.

    Between ``min_states`` and ``max_states`` codes are drawn from ``states``. Dates come one
    after another, each window after the previous one; on each date one or two records name
    disjoint sets of states. Only the rule set's ``organisation_wide`` kinds are ever recorded as
    one decision naming several states (``"states": [...]``), and such a decision's kind is
    allowed for every state it names. At most ``max_events`` events in all; ``with_details``
    gives records optional fields (id, place, note, sources, recorded, organisation).
    """
    rules = chosen(rules)
    if not 0 <= min_states <= max_states:
        raise InvalidArgument(
            f"need 0 <= min_states <= max_states, not {min_states}, {max_states}"
        )
    if min_states > len(set(states)):
        raise InvalidArgument(f"min_states={min_states} but only {len(set(states))} states")
    if max_events < 0 or max_gap < 1 or not precisions:
        raise InvalidArgument("need max_events >= 0, max_gap >= 1 and a precision")
    pool, precise = tuple(dict.fromkeys(states)), tuple(precisions)

    @st.composite
    def draw_log(draw: st.DrawFn) -> EventLog:
        codes = draw(
            st.lists(st.sampled_from(pool), min_size=min_states, max_size=max_states, unique=True)
        )
        return _event_log(draw, rules, codes, max_events, precise, max_gap, with_details)

    return draw_log()


def _event_log(
    draw: st.DrawFn,
    rules: RuleSet,
    codes: list[str],
    max_events: int,
    precisions: tuple[Precision, ...],
    max_gap: int,
    with_details: bool,
) -> EventLog:
    steps = {state: Step(rules.initial) for state in codes}
    events: dict[str, list[Event]] = {state: [] for state in codes}
    expected: dict[str, list[Step]] = {state: [] for state in codes}
    records: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    budget = draw(st.integers(0, max_events))
    date: PartialDate | None = None
    while budget > 0:
        date = later_date(draw, date, precisions=precisions, min_gap=1, max_gap=max_gap)
        free = list(codes)
        for _ in range(draw(st.integers(1, 2))):
            able = {
                k: [s for s in free if rules.allows(steps[s].standing, k)] for k in rules.kinds
            }
            kinds = [kind for kind in rules.kinds if able[kind]]
            if not kinds or budget == 0:
                break
            kind = draw(st.sampled_from(kinds))
            decision = kind in rules.organisation_wide and draw(st.booleans())
            if decision:
                choice = st.sampled_from(able[kind])
                named = draw(st.lists(choice, min_size=1, max_size=budget, unique=True))
            else:
                named = [draw(st.sampled_from(able[kind]))]
            details = _details(draw, len(records)) if with_details else {}
            record: dict[str, Any] = {"id": details["id"]} if "id" in details else {}
            record["states" if decision else "state"] = list(named) if decision else named[0]
            record |= {"kind": kind.value, "date": date.iso}
            record |= {key: details[key] for key in FIELDS if key in details and key != "id"}
            for state in named:
                event = _event(state, kind, date, details)
                if decision:
                    event = attrs.evolve(event, cohort=tuple(named))
                steps[state] = follow(rules, steps[state], event)
                events[state].append(event)
                expected[state].append(steps[state])
                free.remove(state)
            budget -= len(named)
            key = details.get("id", f"{kind.value}/{named[0]}/{date.iso}")
            records.append(((date.first, date.last, tuple(named), key), record))
        if free == codes:  # every state is final: nothing more can happen
            break
    records.sort(key=lambda pair: pair[0])
    logs = {
        state: StateLog(state, rules, tuple(events[state]), tuple(expected[state]))
        for state in codes
    }
    return EventLog(tuple(record for _, record in records), logs, rules)
