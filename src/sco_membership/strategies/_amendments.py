"""Logs that are not simply valid: near misses (one illegal step) and amended logs.

A near miss is a valid log with one event inserted whose kind the rule set forbids where it
stands. An amended log is a valid log recorded over time, then corrected and retracted; every
amendment is drawn among those that keep the belief valid (computed, never filtered), so every
"as known on" view of it is a valid log too.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..dates import PartialDate
from ..model import Amendment, AmendmentKind, Event, EventKind, Standing
from ..profiles import chosen
from ..rules import RuleSet
from ._walks import EARLIEST, StateLog, fold, texts, valid, walk

__all__ = ["AmendedLog", "NearMiss", "amended_logs", "near_miss_logs"]


@attrs.frozen
class NearMiss:
    """A valid log with exactly one illegal event inserted: ``events[index]`` is ``illegal``.

    Loading it must fail on that event, at ``standing``, naming what :attr:`allowed` lists.
    """

    state: str
    rules: RuleSet = attrs.field(repr=False)
    events: tuple[Event, ...]
    illegal: Event
    index: int
    #: The standing the state is at when the illegal event comes.
    standing: Standing

    @property
    def allowed(self) -> tuple[EventKind, ...]:
        """The kinds that would have been allowed instead, in the rule set's order."""
        return self.rules.allowed(self.standing)


def _forbidden(rules: RuleSet, standing: Standing) -> list[EventKind]:
    return [kind for kind in rules.kinds if not rules.allows(standing, kind)]


def _way_to_a_forbidding_standing(rules: RuleSet) -> tuple[EventKind, ...] | None:
    """The shortest sequence of kinds from ``rules.initial`` to a standing where some kind is
    forbidden (breadth first), or ``None`` when the rule set forbids nothing anywhere."""
    ways: dict[Standing, tuple[EventKind, ...]] = {rules.initial: ()}
    queue = deque([rules.initial])
    while queue:
        here = queue.popleft()
        if _forbidden(rules, here):
            return ways[here]
        for kind in rules.allowed(here):
            there = rules.target(here, kind)
            if there is not None and there not in ways:
                ways[there] = (*ways[here], kind)
                queue.append(there)
    return None


def near_miss_logs(
    rules: RuleSet | None = None,
    *,
    state: str | st.SearchStrategy[str] = "IND",
    max_size: int = 10,
) -> st.SearchStrategy[NearMiss]:
    """Logs of one state that are valid but for exactly one illegal event (and which one).

    A valid log is walked with gaps of at least two days, then an event whose kind is not
    allowed where it is inserted goes on a free day. Dates are days.
    """
    rules = chosen(rules)
    if max_size < 0:
        raise InvalidArgument(f"max_size must be >= 0, not {max_size}")
    way = _way_to_a_forbidding_standing(rules)
    if way is None:
        raise InvalidArgument(f"the {rules.name} rule set allows every kind everywhere")
    codes = st.just(state) if isinstance(state, str) else state

    @st.composite
    def draw_near_miss(draw: st.DrawFn) -> NearMiss:
        code, size = draw(codes), draw(st.integers(0, max_size))
        log = walk(draw, rules, code, size, allow_same_date=False, min_gap=2)
        spots = [
            i for i in range(len(log.events) + 1) if _forbidden(rules, log.before(i).standing)
        ]
        if not spots:  # this walk never stood where something is forbidden: go to such a place
            log = walk(draw, rules, code, len(way), kinds=way, allow_same_date=False, min_gap=2)
            spots = [len(log.events)]
        index = draw(st.sampled_from(spots))
        standing = log.before(index).standing
        kind = draw(st.sampled_from(_forbidden(rules, standing)))
        # The walk leaves at least one free day between two events.
        if index:
            day = log.events[index - 1].date.last + 1
        elif log.events:
            day = log.events[0].date.first - 1
        else:
            day = draw(st.integers(EARLIEST, EARLIEST + 4000))
        illegal = Event(code, kind, PartialDate.of(dt.date.fromordinal(day)))
        events = (*log.events[:index], illegal, *log.events[index:])
        return NearMiss(code, rules, events, illegal, index, standing)

    return draw_near_miss()


@attrs.frozen
class AmendedLog:
    """One state's log recorded over time, then amended, with the belief expected at each stage.

    ``events`` are as first recorded, each with its ``recorded`` day, in time order (a later
    event is never recorded earlier); ``amendments`` come after them all, on distinct days, in
    record-time order. ``beliefs[k]`` is the log once the first ``k`` amendments are applied
    (``beliefs[0]``: as first recorded), with the steps a naive fold expects.
    """

    state: str
    rules: RuleSet = attrs.field(repr=False)
    events: tuple[Event, ...]
    amendments: tuple[Amendment, ...]
    beliefs: tuple[StateLog, ...]

    @property
    def belief(self) -> StateLog:
        """The current belief: every amendment applied."""
        return self.beliefs[-1]

    def known_on(self, day: dt.date) -> StateLog:
        """The belief as the record stood on ``day``: what was recorded later is unseen."""
        count = sum(1 for amendment in self.amendments if amendment.recorded <= day)
        if count:
            return self.beliefs[count]
        seen = sum(1 for event in self.events if event.recorded is None or event.recorded <= day)
        first = self.beliefs[0]
        return StateLog(self.state, self.rules, first.events[:seen], first.expected[:seen])


def _alone(events: Sequence[Event], index: int) -> bool:
    """Whether no neighbour shares event ``index``'s window (so amending it keeps the order)."""
    date = events[index].date
    return all(
        not 0 <= other < len(events) or events[other].date != date
        for other in (index - 1, index + 1)
    )


def _amendment_choices(rules: RuleSet, events: Sequence[Event]) -> list[tuple[Any, ...]]:
    """Every amendment of ``events`` that leaves a valid log, as (kind, index, changes...)."""
    choices: list[tuple[Any, ...]] = [("note", index) for index in range(len(events))]
    for index in range(len(events)):
        if valid(rules, [*events[:index], *events[index + 1 :]]):
            choices.append(("retraction", index))
    for index, event in enumerate(events):
        if not _alone(events, index):
            continue
        for kind in rules.kinds:
            changed = [*events[:index], attrs.evolve(event, kind=kind), *events[index + 1 :]]
            if kind is not event.kind and valid(rules, changed):
                choices.append(("kind", index, kind))
        low = events[index - 1].date.last + 1 if index else event.date.first - 400
        high = (
            events[index + 1].date.first - 1 if index + 1 < len(events) else event.date.last + 400
        )
        choices.append(("date", index, low, high))
    return choices


def _amend(draw: st.DrawFn, rules: RuleSet, events: list[Event], recorded: dt.date) -> Amendment:
    choice = draw(st.sampled_from(_amendment_choices(rules, events)))
    event = events[choice[1]]
    reason = draw(texts(max_size=6))
    changes: dict[str, Any] = {}
    if choice[0] == "retraction":
        return Amendment(event.state, AmendmentKind.RETRACTION, event.key, recorded, reason)
    if choice[0] == "note":
        changes["note"] = draw(texts(max_size=6))
    elif choice[0] == "kind":
        changes["kind"] = choice[2]
    else:
        day = dt.date.fromordinal(draw(st.integers(choice[2], choice[3])))
        changes["date"] = PartialDate.of(day)
    correction = AmendmentKind.CORRECTION
    return Amendment(event.state, correction, event.key, recorded, reason, tuple(changes.items()))


def amended_logs(
    rules: RuleSet | None = None,
    *,
    state: str | st.SearchStrategy[str] = "IND",
    max_size: int = 8,
    max_amendments: int = 3,
) -> st.SearchStrategy[AmendedLog]:
    """Valid logs of one state with corrections and retractions recorded later, and the belief
    a naive fold expects before and after each amendment.

    An amendment is drawn among those that keep the log valid: a retraction of an event whose
    removal leaves a valid log, or a correction of a note, of a kind (to another kind allowed
    there) or of a date (to a day between the neighbouring events).
    """
    rules = chosen(rules)
    if max_size < 1 or max_amendments < 0:
        raise InvalidArgument("need max_size >= 1 and max_amendments >= 0")
    codes = st.just(state) if isinstance(state, str) else state

    @st.composite
    def draw_amended(draw: st.DrawFn) -> AmendedLog:
        code = draw(codes)
        first = walk(draw, rules, code, draw(st.integers(1, max_size)))
        clock = EARLIEST
        events = []
        for event in first.events:  # recorded in time order, on or after the event's last day
            clock = max(clock, event.date.last) + draw(st.integers(0, 60))
            events.append(attrs.evolve(event, recorded=dt.date.fromordinal(clock)))
        beliefs = [StateLog(code, rules, tuple(events), fold(rules, events))]
        amendments: list[Amendment] = []
        current = list(events)
        for _ in range(draw(st.integers(0, max_amendments))):
            if not current:
                break
            clock += draw(st.integers(1, 400))
            amendment = _amend(draw, rules, current, dt.date.fromordinal(clock))
            position = next(k for k, e in enumerate(current) if e.key == amendment.amends)
            amended = amendment.apply(current[position])
            current[position : position + 1] = [] if amended is None else [amended]
            amendments.append(amendment)
            beliefs.append(StateLog(code, rules, tuple(current), fold(rules, current)))
        return AmendedLog(code, rules, tuple(events), tuple(amendments), tuple(beliefs))

    return draw_amended()
