"""A ledger driven by random valid and invalid events, checked against a naive model."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sco_membership.dates import PartialDate
from sco_membership.exceptions import IllegalTransitionError
from sco_membership.ledger import Ledger
from sco_membership.model import Event, EventKind, Status
from sco_membership.rules import SCO
from strategies import Step, follow

#: The states the machine moves, and one it never touches (it must answer "none" throughout).
STATES = ("CHN", "IND", "IRN", "PAK")
UNTOUCHED = "MNG"
START = dt.date(1996, 4, 26)
gaps = st.integers(min_value=1, max_value=400)


@attrs.frozen
class Change:
    """From ``day`` on, the model expects ``step``."""

    day: dt.date
    step: Step


class LedgerMachine(RuleBasedStateMachine):
    """Appends events one decision at a time; every date is later than all earlier ones."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger.from_events(())
        self.events: list[Event] = []
        self.model: dict[str, list[Change]] = {state: [] for state in STATES}
        self.latest = START

    # The naive model: a list of changes per state, searched linearly.

    def expected(self, state: str, day: dt.date) -> Step:
        step = Step(SCO.initial)
        for change in self.model.get(state, []):
            if change.day <= day:
                step = change.step
        return step

    def current(self, state: str) -> Step:
        return self.expected(state, dt.date.max)

    def probes(self) -> list[dt.date]:
        days = {START - dt.timedelta(days=1), self.latest + dt.timedelta(days=1)}
        for changes in self.model.values():
            for change in changes:
                days |= {change.day - dt.timedelta(days=1), change.day}
        return sorted(days)

    def next_day(self, gap: int) -> dt.date:
        return self.latest + dt.timedelta(days=gap)

    def record(self, events: list[Event]) -> None:
        for event in events:
            before = self.current(event.state)
            after = follow(SCO, before, event)
            if after is not before:
                self.model[event.state].append(Change(event.date.first_day, after))
        self.events.extend(events)
        self.latest = events[0].date.last_day

    def refused(self, events: list[Event], offenders: set[str]) -> None:
        """Appending ``events`` must fail on an offender and change nothing."""
        before = self.ledger
        records = before.to_records()
        with pytest.raises(IllegalTransitionError) as info:
            before.append(*events)
        error = info.value
        assert error.state in offenders
        offending = next(event for event in events if event.state == error.state)
        standing = self.current(error.state).standing
        assert error.date == offending.date.iso
        assert error.event == offending.kind.value
        assert error.allowed == tuple(kind.value for kind in SCO.allowed(standing))
        assert self.ledger is before
        assert before.to_records() == records
        assert before == Ledger.from_events(self.events)

    # Rules.

    @rule(state=st.sampled_from(STATES), gap=gaps, data=st.data())
    def append_allowed_event(self, state: str, gap: int, data: st.DataObject) -> None:
        kind = data.draw(st.sampled_from(SCO.allowed(self.current(state).standing)))
        event = Event(state, kind, PartialDate.of(self.next_day(gap)))
        before = self.ledger
        self.ledger = before.append(event)
        assert before == Ledger.from_events(self.events)  # the old ledger is untouched
        self.record([event])

    @rule(state=st.sampled_from(STATES), gap=gaps, data=st.data())
    def append_forbidden_event(self, state: str, gap: int, data: st.DataObject) -> None:
        standing = self.current(state).standing
        kind = data.draw(st.sampled_from([k for k in EventKind if not SCO.allows(standing, k)]))
        self.refused([Event(state, kind, PartialDate.of(self.next_day(gap)))], {state})

    @rule(gap=gaps, data=st.data())
    def append_decision(self, gap: int, data: st.DataObject) -> None:
        able = {
            kind: [s for s in STATES if SCO.allows(self.current(s).standing, kind)]
            for kind in SCO.kinds
        }
        kind = data.draw(st.sampled_from([kind for kind in SCO.kinds if able[kind]]))
        cohort = tuple(data.draw(st.lists(st.sampled_from(able[kind]), min_size=1, unique=True)))
        date = PartialDate.of(self.next_day(gap))
        events = [Event(state, kind, date, cohort=cohort) for state in cohort]
        self.ledger = self.ledger.append(*events)
        self.record(events)

    @rule(gap=gaps, data=st.data())
    def append_decision_forbidden_for_one(self, gap: int, data: st.DataObject) -> None:
        """All or nothing: a decision that one of its states may not take changes no state."""
        forbidden = {
            kind: [s for s in STATES if not SCO.allows(self.current(s).standing, kind)]
            for kind in EventKind
        }
        kind = data.draw(st.sampled_from([kind for kind in EventKind if forbidden[kind]]))
        offender = data.draw(st.sampled_from(forbidden[kind]))
        others = data.draw(st.lists(st.sampled_from(STATES), unique=True))
        cohort = tuple(dict.fromkeys([*others, offender]))
        date = PartialDate.of(self.next_day(gap))
        events = [Event(state, kind, date, cohort=cohort) for state in cohort]
        self.refused(events, set(forbidden[kind]) & set(cohort))

    @precondition(lambda self: self.events)
    @rule()
    def reload(self) -> None:
        assert Ledger.from_records(self.ledger.to_records()) == self.ledger
        assert Ledger.from_events(reversed(self.events)) == self.ledger

    # Invariants.

    @invariant()
    def answers_agree_with_the_model(self) -> None:
        for day in self.probes():
            for state in (*STATES, UNTOUCHED):
                answer = self.ledger.status(state, day)
                step = self.expected(state, day)
                assert answer.certain
                assert (answer.status, answer.stage) == (step.standing.status, step.standing.stage)
                assert answer.retained is step.retained
                assert answer.event == step.since

    @invariant()
    def members_agree_with_the_model(self) -> None:
        for day in self.probes():
            members = {s for s in STATES if self.expected(s, day).held is Status.MEMBER}
            assert self.ledger.members(day) == members


TestLedger = LedgerMachine.TestCase
