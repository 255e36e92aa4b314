"""A hypothesis state machine that drives a ledger against a naive model, for any rule set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ..dates import PartialDate
from ..exceptions import IllegalTransitionError
from ..ledger import Ledger
from ..model import Amendment, AmendmentKind, Event, EventKind, Status
from ..profiles import default_rules
from ..rules import RuleSet
from ._walks import Step, follow

__all__ = ["LedgerMachine"]

_DAY = dt.timedelta(days=1)


class LedgerMachine(RuleBasedStateMachine):
    """Appends random valid and invalid events, decisions, corrections and retractions to a
    ledger, and checks every answer against a naive model (a list of steps per state).

    Run it as a test with ``TestLedger = LedgerMachine.TestCase``. Subclass it to test your own
    rule set (set :attr:`rule_set`, and :attr:`states`) or your own code built on the library
    (override :meth:`make_ledger` and :meth:`append`), and add ``@rule``/``@invariant`` methods
    of your own: they run with the inherited ones. (The rule set is ``rule_set``, not ``rules``:
    hypothesis keeps its own list of rules under that name.)
    """

    #: The rule set under test.
    #: (The default: the SCO's, registered when the package is imported.)
    rule_set: ClassVar[RuleSet] = default_rules()
    #: The states the machine moves.
    states: ClassVar[Sequence[str]] = ("CHN", "IND", "IRN", "PAK")
    #: A state the machine never touches: it must answer the initial standing throughout.
    bystander: ClassVar[str] = "MNG"
    #: The day before the first event.
    start: ClassVar[dt.date] = dt.date(1996, 4, 25)
    #: The largest number of days between two appends.
    max_gap: ClassVar[int] = 400

    def __init__(self) -> None:
        super().__init__()
        self.ledger = self.make_ledger()
        #: Every event appended, as first recorded, and every amendment, in order.
        self.events: list[Event] = []
        self.amendments: list[Amendment] = []
        #: The naive model: each state's events (as amended) with the step after each.
        self.model: dict[str, list[tuple[Event, Step]]] = {state: [] for state in self.states}
        #: The latest day used: every append comes later.
        self.today = self.start
        self._expected: dict[dt.date, dict[str, Step]] = {}

    # Hooks: override them to drive your own code.

    def make_ledger(self) -> Ledger:
        """The empty ledger the machine starts from."""
        return Ledger.from_events((), rules=self.rule_set)

    def append(self, ledger: Ledger, entries: Sequence[Event | Amendment]) -> Ledger:
        """Append ``entries`` (all or nothing), returning the new ledger; raise
        :class:`~sco_membership.exceptions.IllegalTransitionError` for an illegal event."""
        return ledger.append(*entries)

    # The naive model.

    def expected(self, state: str, day: dt.date) -> Step:
        """The step the model expects for ``state`` on ``day``: a linear scan."""
        step = Step(self.rule_set.initial)
        for event, after in self.model.get(state, []):
            if event.date.first_day > day:
                break
            step = after
        return step

    def expected_on(self, day: dt.date) -> dict[str, Step]:
        """The step the model expects for each of :attr:`states` on ``day`` (kept until the
        model changes: every invariant asks)."""
        found = self._expected.get(day)
        if found is None:
            found = self._expected[day] = {s: self.expected(s, day) for s in self.states}
        return found

    def current(self, state: str) -> Step:
        """The step the model expects for ``state`` after every event so far."""
        found = self.model.get(state)
        return found[-1][1] if found else Step(self.rule_set.initial)

    def rebuilt(self) -> Ledger:
        """The ledger built in one go from everything appended so far."""
        return Ledger.from_events(self.events, rules=self.rule_set, amendments=self.amendments)

    def probes(self) -> list[dt.date]:
        """The days worth asking about: around every event, and before and after them all."""
        days = {self.start, self.today + _DAY}
        for entries in self.model.values():
            for event, _ in entries:
                days |= {event.date.first_day - _DAY, event.date.first_day}
        return sorted(days)

    def _next_day(self, data: st.DataObject) -> dt.date:
        self.today += dt.timedelta(days=data.draw(st.integers(1, self.max_gap), label="gap"))
        return self.today

    def _before_latest(self, state: str) -> Step:
        found = self.model[state]
        return found[-2][1] if len(found) > 1 else Step(self.rule_set.initial)

    def _wide(self) -> list[EventKind]:
        return [kind for kind in self.rule_set.kinds if kind in self.rule_set.organisation_wide]

    def _movable(self) -> list[str]:
        return [s for s in self.states if self.rule_set.allowed(self.current(s).standing)]

    def _who(self, kinds: Sequence[EventKind], *, allowed: bool) -> dict[EventKind, list[str]]:
        """For each of ``kinds``, the states it is (not) allowed for now, if any."""
        rules = self.rule_set
        found = {
            kind: [
                s for s in self.states if rules.allows(self.current(s).standing, kind) is allowed
            ]
            for kind in kinds
        }
        return {kind: states for kind, states in found.items() if states}

    def _amendable(self) -> list[str]:
        """The states whose latest event stands alone (the machine amends no decision)."""
        return [s for s in self.states if self.model[s] and not self.model[s][-1][0].cohort]

    def _corrections(self, *, allowed: bool) -> list[tuple[str, EventKind]]:
        """(state, kind): a latest event's kind may be corrected to ``kind`` (or not)."""
        found = []
        for state in self._amendable():
            latest, standing = self.model[state][-1][0], self._before_latest(state).standing
            for kind in self.rule_set.kinds:
                if kind is not latest.kind and self.rule_set.allows(standing, kind) is allowed:
                    found.append((state, kind))
        return found

    def _record(self, entries: Sequence[Event | Amendment]) -> None:
        self._expected.clear()
        for entry in entries:
            found = self.model[entry.state]
            if isinstance(entry, Event):
                self.events.append(entry)
                found.append((entry, follow(self.rule_set, self.current(entry.state), entry)))
                continue
            self.amendments.append(entry)
            amended = entry.apply(found.pop()[0])  # the machine amends a latest event only
            if amended is not None:
                found.append((amended, follow(self.rule_set, self.current(entry.state), amended)))

    def _amend(self, amendment: Amendment) -> None:
        before = self.ledger
        self.ledger = self.append(before, [amendment])
        self._record([amendment])
        # Record time: the day before the amendment, the record stood as it was.
        assert self.ledger.as_known_on(amendment.recorded - _DAY) == before

    def _refused(
        self, entries: Sequence[Event | Amendment], offenders: dict[str, tuple[Event, Step]]
    ) -> None:
        """Appending ``entries`` must fail on an offender (its event as it would stand, and the
        step it comes at), naming it, and change nothing."""
        before = self.ledger
        records = before.to_records()
        caught: IllegalTransitionError | None = None
        try:
            self.append(before, entries)
        except IllegalTransitionError as error:
            caught = error
        assert caught is not None, f"{[str(entry) for entry in entries]} was not refused"
        assert caught.state in offenders, (caught.state, sorted(offenders))
        offending, step = offenders[caught.state]
        assert caught.event == offending
        assert caught.date == offending.date
        assert caught.current == step.standing
        assert caught.allowed == tuple(self.rule_set.allowed(step.standing))
        assert self.ledger is before
        assert before.to_records() == records

    # Rules.

    @precondition(lambda self: self._movable())
    @rule(data=st.data())
    def append_allowed_event(self, data: st.DataObject) -> None:
        """An event allowed for its state, on a later day."""
        state = data.draw(st.sampled_from(self._movable()), label="state")
        kinds = self.rule_set.allowed(self.current(state).standing)
        kind = data.draw(st.sampled_from(kinds), label="kind")
        event = Event(state, kind, PartialDate.of(self._next_day(data)))
        before = self.ledger
        self.ledger = self.append(before, [event])
        assert before == self.rebuilt()  # the old ledger is untouched
        self._record([event])

    @precondition(lambda self: self._who(self.rule_set.kinds, allowed=False))
    @rule(data=st.data())
    def append_forbidden_event(self, data: st.DataObject) -> None:
        """An event its state may not take: refused, and nothing changes."""
        forbidden = self._who(self.rule_set.kinds, allowed=False)
        kind = data.draw(st.sampled_from(list(forbidden)), label="kind")
        state = data.draw(st.sampled_from(forbidden[kind]), label="state")
        event = Event(state, kind, PartialDate.of(self._next_day(data)))
        self._refused([event], {state: (event, self.current(state))})

    @precondition(lambda self: self._who(self._wide(), allowed=True))
    @rule(data=st.data())
    def append_decision(self, data: st.DataObject) -> None:
        """One organisation-wide decision naming several states, allowed for each of them."""
        able = self._who(self._wide(), allowed=True)
        kind = data.draw(st.sampled_from(list(able)), label="kind")
        named = st.lists(st.sampled_from(able[kind]), min_size=1, unique=True)
        cohort = tuple(data.draw(named, label="cohort"))
        date = PartialDate.of(self._next_day(data))
        events = [Event(state, kind, date, cohort=cohort) for state in cohort]
        self.ledger = self.append(self.ledger, events)
        self._record(events)

    @precondition(lambda self: self._who(self._wide(), allowed=False))
    @rule(data=st.data())
    def append_decision_forbidden_for_one(self, data: st.DataObject) -> None:
        """All or nothing: a decision that one of its states may not take changes no state."""
        forbidden = self._who(self._wide(), allowed=False)
        kind = data.draw(st.sampled_from(list(forbidden)), label="kind")
        offender = data.draw(st.sampled_from(forbidden[kind]), label="offender")
        others = data.draw(st.lists(st.sampled_from(self.states), unique=True), label="others")
        cohort = tuple(dict.fromkeys([*others, offender]))
        date = PartialDate.of(self._next_day(data))
        events = [Event(state, kind, date, cohort=cohort) for state in cohort]
        offenders = {
            e.state: (e, self.current(e.state)) for e in events if e.state in forbidden[kind]
        }
        self._refused(events, offenders)

    @precondition(lambda self: self._amendable())
    @rule(data=st.data())
    def retract_latest_event(self, data: st.DataObject) -> None:
        """A retraction of a state's latest event, recorded later."""
        state = data.draw(st.sampled_from(self._amendable()), label="state")
        latest = self.model[state][-1][0]
        recorded = self._next_day(data)
        self._amend(Amendment(state, AmendmentKind.RETRACTION, latest.key, recorded, "retracted"))

    @precondition(lambda self: self._corrections(allowed=True))
    @rule(data=st.data())
    def correct_latest_kind(self, data: st.DataObject) -> None:
        """A correction of a state's latest event to another kind allowed there."""
        state, kind = data.draw(st.sampled_from(self._corrections(allowed=True)), label="change")
        latest = self.model[state][-1][0]
        recorded = self._next_day(data)
        changes = (("kind", kind),)
        correction = AmendmentKind.CORRECTION
        self._amend(Amendment(state, correction, latest.key, recorded, "corrected", changes))

    @precondition(lambda self: self._corrections(allowed=False))
    @rule(data=st.data())
    def correct_latest_kind_illegally(self, data: st.DataObject) -> None:
        """A correction that would make a history illegal: refused, and nothing changes."""
        state, kind = data.draw(st.sampled_from(self._corrections(allowed=False)), label="change")
        latest = self.model[state][-1][0]
        recorded = self._next_day(data)
        changes = (("kind", kind),)
        correction = Amendment(
            state, AmendmentKind.CORRECTION, latest.key, recorded, "miscorrected", changes
        )
        amended = correction.apply(latest)
        assert amended is not None
        self._refused([correction], {state: (amended, self._before_latest(state))})

    @precondition(lambda self: self.events)
    @rule()
    def reload(self) -> None:
        """The ledger survives its records, and does not depend on the order of its log."""
        rules = self.rule_set
        assert Ledger.from_records(self.ledger.to_records(), rules=rules) == self.ledger
        again = Ledger.from_events(
            reversed(self.events), rules=rules, amendments=reversed(self.amendments)
        )
        assert again == self.ledger

    # Invariants.

    @invariant()
    def answers_agree_with_the_model(self) -> None:
        """Every state (and the bystander) answers as the model expects, around every event."""
        initial = Step(self.rule_set.initial)
        for day in self.probes():
            for state, step in [*self.expected_on(day).items(), (self.bystander, initial)]:
                answer = self.ledger.status(state, day)
                assert answer.certain
                assert (answer.status, answer.stage) == (step.standing.status, step.standing.stage)
                assert answer.retained is step.retained
                assert answer.event == step.since

    @invariant()
    def rosters_agree_with_the_model(self) -> None:
        """Who holds each status (in law, or as a process under way) agrees with the model."""
        unlisted = {Status.NONE, self.rule_set.initial.status}
        for day in self.probes():
            roster = self.ledger.roster(day)
            steps = self.expected_on(day)
            for status in self.rule_set.statuses:
                if status in unlisted:
                    continue
                holding = {
                    s for s, step in steps.items() if status in (step.held, step.standing.status)
                }
                assert roster.get(status, frozenset()) == holding, (day, status)
