"""The public strategies (``sco_membership.strategies``), used as a user would: for the SCO, the
embedded BRICS rule set and a toy rule set built in Python, and the state machine subclassed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import sco_membership as scm
from sco_membership import strategies
from sco_membership.dates import PartialDate, Precision
from sco_membership.exceptions import IllegalTransitionError, MissingExtraError
from sco_membership.ledger import Ledger
from sco_membership.model import Amendment, Event, EventKind, Stage, Standing, Status, Transition
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet
from sco_membership.strategies import (
    AmendedLog,
    EventLog,
    LedgerMachine,
    NearMiss,
    StateLog,
    Step,
)

DAY = dt.timedelta(days=1)

# A toy organisation, declared in Python with its own vocabulary: partner countries, and
# candidates who keep their earlier status until admitted.
NONE, MEMBER = Standing(Status.declare("none")), Standing(Status.declare("member"))
PARTNER = Standing(Status.declare("partner_country"))
CANDIDATE = Standing(Status.declare("candidate"))
INVITED = Standing(Status.declare("candidate"), Stage.declare("invitation_accepted"))
TOY = RuleSet(
    name="TOY",
    organisation="A toy organisation",
    statuses=[NONE.status, PARTNER.status, CANDIDATE.status, MEMBER.status],
    transitions=[
        Transition(EventKind.declare("founding"), NONE, MEMBER),
        Transition(EventKind.declare("application"), NONE, None),
        Transition(EventKind.declare("application"), PARTNER, None),
        Transition(EventKind.declare("partner_invitation"), NONE, PARTNER),
        Transition(EventKind.declare("membership_invitation"), NONE, CANDIDATE),
        Transition(EventKind.declare("membership_invitation"), PARTNER, CANDIDATE),
        Transition(EventKind.declare("invitation_accepted"), CANDIDATE, INVITED),
        Transition(EventKind.declare("admission"), INVITED, MEMBER),
        Transition(EventKind.declare("invitation_declined"), CANDIDATE, NONE),
        Transition(EventKind.declare("withdrawal"), MEMBER, NONE),
        Transition(EventKind.declare("withdrawal"), PARTNER, NONE),
    ],
    retaining=frozenset({Status.declare("candidate")}),
    organisation_wide={EventKind.declare("founding"), EventKind.declare("membership_invitation")},
)
RULE_SETS = st.sampled_from([SCO_RULES, scm.brics().rules, TOY])
# Real codes: a ledger answers only for ISO 3166-1 states.
BRICS_STATES = ("BRA", "CHN", "IND", "RUS", "ZAF")


def agrees(answer: scm.Answer, expected: Step) -> None:
    assert answer.certain
    assert (answer.status, answer.stage) == (expected.standing.status, expected.standing.stage)
    assert answer.retained is expected.retained
    assert answer.event == expected.since


def around(log: StateLog) -> list[dt.date]:
    """The day before and the last day of every event's window: certain days, whatever the
    precision."""
    days: set[dt.date] = set()
    for event in log.events:
        days |= {event.date.first_day - DAY, event.date.last_day}
    return sorted(days)


def test_the_call_from_the_issue_works_for_any_rule_set() -> None:
    for rules in (SCO_RULES, TOY):
        assert isinstance(strategies.event_logs(rules), st.SearchStrategy)


# Valid logs, for any rule set: the library agrees with the naive fold that comes with them.


@given(data=st.data())
def test_a_state_log_is_what_a_history_makes_of_it(data: st.DataObject) -> None:
    rules = data.draw(RULE_SETS)
    log = data.draw(strategies.state_logs(rules, precisions=tuple(Precision)))
    history = scm.History.from_events(log.state, log.events, rules=rules)
    assert history.events == log.events
    for day in around(log):
        agrees(history.at(day), log.at(day))
    agrees(history.current, log.before(len(log.events)))


@given(data=st.data())
def test_an_event_log_loads_from_its_records_and_agrees_with_the_naive_fold(
    data: st.DataObject,
) -> None:
    rules = data.draw(RULE_SETS)
    log: EventLog = data.draw(strategies.event_logs(rules, precisions=(Precision.DAY,)))
    ledger = Ledger.from_records(log.records, rules=rules)
    assert ledger == Ledger.from_events(log.events, rules=rules)
    assert ledger.to_records() == list(log.records)
    for state, state_log in log.state_logs.items():
        for day in around(state_log):
            agrees(ledger.status(state, day), log.at(state, day))


@given(log=strategies.event_logs(TOY, max_events=30))
def test_only_organisation_wide_kinds_name_several_states(log: EventLog) -> None:
    for record in log.records:
        if "states" in record:
            assert TOY.kind_named(record["kind"]) in TOY.organisation_wide


@given(log=strategies.event_logs(TOY, states=BRICS_STATES, min_states=2, max_events=5))
def test_event_logs_keep_to_their_options(log: EventLog) -> None:
    assert set(log.states) <= set(BRICS_STATES)
    assert 2 <= len(log.states) <= 5
    assert len(log.events) <= 5


# Near misses: exactly one illegal step, and the library names it.


@given(data=st.data())
def test_a_near_miss_fails_on_its_illegal_event(data: st.DataObject) -> None:
    rules = data.draw(RULE_SETS)
    near: NearMiss = data.draw(strategies.near_miss_logs(rules))
    assert near.events[near.index] is near.illegal
    assert not rules.allows(near.standing, near.illegal.kind)
    legal = near.events[: near.index] + near.events[near.index + 1 :]
    scm.History.from_events(near.state, legal, rules=rules)  # without it, all is well
    with pytest.raises(IllegalTransitionError) as info:
        scm.History.from_events(near.state, near.events, rules=rules)
    error = info.value
    assert (error.state, error.date, error.event) == (near.state, near.illegal.date, near.illegal)
    assert error.current == near.standing
    assert error.allowed == near.allowed


def test_a_rule_set_that_forbids_nothing_has_no_near_miss() -> None:
    anything = RuleSet(
        name="ANY",
        organisation="Anything goes",
        transitions=[
            Transition(EventKind("founding"), NONE, MEMBER),
            Transition(EventKind("founding"), MEMBER, MEMBER),
        ],
    )
    with pytest.raises(InvalidArgument, match="ANY rule set allows every kind everywhere"):
        strategies.near_miss_logs(anything)


# Amended logs: corrections and retractions, and the belief as known on any day.


@given(data=st.data())
def test_an_amended_log_is_believed_as_the_naive_fold_says(data: st.DataObject) -> None:
    rules = data.draw(RULE_SETS)
    log: AmendedLog = data.draw(strategies.amended_logs(rules, max_amendments=4))
    ledger = Ledger.from_events(log.events, rules=rules, amendments=log.amendments)
    assert ledger.history(log.state).events == log.belief.events
    for day in around(log.belief):
        agrees(ledger.status(log.state, day), log.belief.at(day))
    assert Ledger.from_records(ledger.to_records(), rules=rules) == ledger
    record_days = [e.recorded for e in log.events] + [a.recorded for a in log.amendments]
    for known in {day + shift for day in record_days if day for shift in (-DAY, 0 * DAY)}:
        view = ledger.as_known_on(known)
        expected = log.known_on(known)
        assert view.history(log.state).events == expected.events
        for day in around(expected):
            agrees(view.status(log.state, day), expected.at(day))


@given(log=strategies.amended_logs(TOY, max_amendments=6))
def test_every_stage_of_an_amended_log_is_valid(log: AmendedLog) -> None:
    assert len(log.beliefs) == len(log.amendments) + 1
    assert log.beliefs[0].events == log.events
    days = [amendment.recorded for amendment in log.amendments]
    assert days == sorted(set(days))
    assert all(e.recorded is not None and e.recorded < days[0] for e in log.events if days)
    for belief in log.beliefs:
        scm.History.from_events(log.state, belief.events, rules=TOY)


# Values.


@given(
    date=strategies.partial_dates(
        precisions=(Precision.MONTH, Precision.YEAR),
        min_value=dt.date(2001, 6, 15),
        max_value=dt.date(2001, 6, 20),
    )
)
def test_a_partial_date_holds_a_day_between_the_bounds(date: PartialDate) -> None:
    assert date.precision in (Precision.MONTH, Precision.YEAR)
    assert date.first_day <= dt.date(2001, 6, 20)
    assert date.last_day >= dt.date(2001, 6, 15)


@given(data=st.data())
def test_any_single_event_is_taken_or_refused_as_the_rules_say(data: st.DataObject) -> None:
    rules = data.draw(RULE_SETS)
    event: Event = data.draw(strategies.events(rules))
    assert event.kind in rules.kinds
    empty = Ledger.from_events((), rules=rules)
    if rules.allows(rules.initial, event.kind):
        assert empty.append(event).history(event.state).events == (event,)
    else:
        with pytest.raises(IllegalTransitionError):
            empty.append(event)


@pytest.mark.parametrize(
    "make",
    [
        lambda: strategies.partial_dates(precisions=()),
        lambda: strategies.events(states=()),
        lambda: strategies.state_logs(min_size=3, max_size=2),
        lambda: strategies.state_logs(min_gap=0),
        lambda: strategies.event_logs(states=("IND",), min_states=2),
        lambda: strategies.event_logs(max_events=-1),
        lambda: strategies.near_miss_logs(max_size=-1),
        lambda: strategies.amended_logs(max_size=0),
    ],
)
def test_bad_options_are_refused_when_the_strategy_is_made(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        make()


# The state machine, subclassed as a user would.


class ToyMachine(LedgerMachine):
    """A user's own rule set: the public machine under it."""

    rule_set = TOY
    states = ("BRA", "CHN", "IND")
    bystander = "ZAF"


class ThroughJSONMachine(LedgerMachine):
    """A user's own code built on the library: every append goes through the JSON log."""

    rule_set = TOY
    states = ("BRA", "IND")
    bystander = "ZAF"

    def append(self, ledger: Ledger, entries: Sequence[Event | Amendment]) -> Ledger:
        grown = super().append(ledger, entries)
        return scm.loads(scm.dumps(grown), rules=self.rule_set)


TestToyMachine = ToyMachine.TestCase
TestToyMachine.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
TestThroughJSON = ThroughJSONMachine.TestCase
TestThroughJSON.settings = settings(max_examples=10, stateful_step_count=20, deadline=None)


# The extra: hypothesis only where it is needed.


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_package_does_not_import_hypothesis() -> None:
    code = (
        "import sys, sco_membership as scm;"
        "scm.sco().status('IND', '2017-06-09');"
        "print('hypothesis' in sys.modules)"
    )
    assert _run(code) == "False"


def test_the_strategies_without_hypothesis_name_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "from sco_membership.exceptions import MissingExtraError\n"
        "try:\n"
        "    from sco_membership import strategies\n"
        "except MissingExtraError as error:\n"
        "    print(error.extra, '|', error)\n"
    )
    extra, message = _run(code).split(" | ")
    assert extra == "hypothesis"
    assert 'pip install "sco-membership[hypothesis]"' in message
    assert issubclass(MissingExtraError, ImportError)
