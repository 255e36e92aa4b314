"""The fast paths give the answers the plain ones give: bulk and inlined queries, kept rosters,
and the packed form of a history."""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_membership.ledger as _rosters
from sco_membership import Ledger, PartialDate, Status
from sco_membership.belief import Belief, believe
from sco_membership.dates import DateLike, Precision
from sco_membership.history import History
from sco_membership.ledger import Histories
from sco_membership.model import Event, EventKind
from sco_membership.organisations import SCO_RULES, brics, sco
from strategies import LedgerLog, ledger_logs

KIND = EventKind
#: Any day a query may name: ``dt.date.min`` to ``dt.date.max``, as ordinals.
FIRST, LAST = dt.date.min.toordinal(), dt.date.max.toordinal()


def naive_roster(
    led: Ledger, day: int
) -> tuple[dict[Status, frozenset[str]], dict[str, frozenset[Status]]]:
    """The roster as ``Ledger.roster`` documents it, from each state's answer: nothing kept."""
    groups: defaultdict[Status, set[str]] = defaultdict(set)
    uncertain: dict[str, frozenset[Status]] = {}
    for code in led.states:
        answer = led.history(code).at_ordinal(day)
        if len(answer.possible) > 1:
            uncertain[code] = answer.possible
            continue
        if answer.held is not Status.NONE:
            groups[answer.held].add(code)
        if answer.status is not answer.held:
            groups[answer.status].add(code)
    ordered = {s: frozenset(groups[s]) for s in led.rules.statuses if groups.get(s)}
    return ordered, uncertain


def days_around_changes(events: tuple[Event, ...]) -> list[int]:
    """Every day before, at and after each event's window, and the ends of time."""
    days = {FIRST, LAST}
    for event in events:
        for edge in (event.date.first, event.date.last):
            days.update({edge - 1, edge, edge + 1})
    return sorted(day for day in days if FIRST <= day <= LAST)


@given(log=ledger_logs(max_states=4), data=st.data())
def test_a_kept_roster_equals_the_one_made_afresh_on_every_day(
    log: LedgerLog, data: st.DataObject
) -> None:
    led = Ledger.from_events(log.events)
    days = days_around_changes(log.events)
    asked = data.draw(st.permutations(days))  # any order: a kept roster serves later days
    for day in [*asked, *asked]:  # the second time round, every roster is a kept one
        roster = led.roster(dt.date.fromordinal(day))
        groups, uncertain = naive_roster(led, day)
        assert roster.on == dt.date.fromordinal(day)
        assert dict(roster) == groups, day
        assert roster.uncertain == uncertain, day
        fresh = Ledger.from_events(log.events).roster(dt.date.fromordinal(day))
        assert roster == fresh


@given(log=ledger_logs(max_states=3), data=st.data())
def test_rosters_stay_right_when_few_are_kept(log: LedgerLog, data: st.DataObject) -> None:
    days = days_around_changes(log.events)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_rosters, "ROSTER_BUDGET", data.draw(st.integers(0, 3)))
        led = Ledger.from_events(log.events)
        for day in data.draw(st.lists(st.sampled_from(days), max_size=30)):
            roster = led.roster(dt.date.fromordinal(day))
            assert (dict(roster), roster.uncertain) == naive_roster(led, day)


def test_a_roster_answers_for_its_own_day_and_changing_it_changes_no_kept_one() -> None:
    led = sco()
    first = led.roster("2016-04-07")
    first.groups[Status.MEMBER] = frozenset({"XXX"})  # type: ignore[index]
    first.uncertain["XXX"] = frozenset()  # type: ignore[index]
    again = led.roster("2016-04-08")  # same stretch: the kept roster, for another day
    assert again.on == dt.date(2016, 4, 8)
    assert "XXX" not in again[Status.MEMBER]
    assert "XXX" not in again.uncertain
    assert sorted(again[Status.MEMBER]) == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


def test_threads_sharing_a_ledger_get_the_same_rosters() -> None:
    led = Ledger.from_events(sco().events)
    days = [dt.date(year, 6, 1) for year in range(1995, 2027)]
    found: list[list[object]] = []

    def ask() -> None:
        found.append([led.roster(day) for day in days])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [Ledger.from_events(sco().events).roster(day) for day in days]
    assert found == [expected] * 4


def test_an_empty_ledger_has_an_empty_roster_every_day() -> None:
    led = Ledger.from_events([])
    assert dict(led.roster("2020-01-01")) == {}
    assert dict(led.roster("1900-01-01")) == {}


@given(log=ledger_logs(max_states=3), data=st.data())
def test_bulk_and_inlined_queries_give_the_answers_of_the_plain_ones(
    log: LedgerLog, data: st.DataObject
) -> None:
    led = Ledger.from_events(log.events)
    days = days_around_changes(log.events)
    state = data.draw(st.sampled_from([*log.states, "IND"]))  # maybe a state with no events
    history = led.history(state)
    expected = [history.at_ordinal(day) for day in days]
    assert history.at_ordinals(days) == expected
    on = [dt.date.fromordinal(day) for day in days]
    assert led.statuses(state, on) == expected
    assert led.statuses(state, iter(on)) == expected  # any iterable
    assert led.statuses(state, [day.isoformat() for day in on]) == expected  # text too
    assert [led.status(state, day) for day in on] == expected
    bounds, answers = history.lookup()
    assert [answers[bisect.bisect_right(bounds, day)] for day in days] == expected
    assert all(a is b for a, b in zip(history.at_ordinals(days), expected, strict=True))


def test_statuses_as_known_on_a_day_and_with_bad_days() -> None:
    led = sco()
    days: list[DateLike] = ["2016-06-24", dt.date(2017, 6, 9)]
    assert led.statuses("India", days, known_on="2030-01-01") == [
        led.status("IND", day, known_on="2030-01-01") for day in days
    ]
    with pytest.raises(ValueError, match="2017-06"):
        led.statuses("IND", ["2017-06"])  # a month is not a day


def test_a_query_outside_any_date_still_has_an_answer() -> None:
    history = sco().history("IND")
    first, last = history.intervals[0], history.intervals[-1]
    assert history.at_ordinal(-5) is first  # before day 1: before any event
    assert history.at_ordinal(0) is first
    assert history.at_ordinal(10**9) is last  # past any day: after the last event
    assert history.at_ordinals([-5, 10**9]) == [first, last]


def test_a_long_history_is_packed_in_wider_columns_and_answers_the_same() -> None:
    # 300 applications then the grant: positions past 255 do not fit in a byte.
    start = dt.date(1990, 1, 1).toordinal()
    events = [
        Event("TUR", KIND.APPLICATION, PartialDate.of(dt.date.fromordinal(start + k)))
        for k in range(300)
    ]
    grant = PartialDate.of(dt.date.fromordinal(start + 400))
    events = [Event("TUR", KIND.DIALOGUE_PARTNER_DECISION, PartialDate(1989)), *events]
    events.append(Event("TUR", KIND.DIALOGUE_PARTNER_MEMORANDUM, grant))
    history = History.from_events("TUR", events)
    assert history.at_ordinal(start + 399).status is Status.NONE
    assert history.at_ordinal(start + 400).status is Status.DIALOGUE_PARTNER
    assert history.at_ordinal(start + 400).event == events[-1]
    assert history.at_ordinal(start + 100).event == events[0]
    led = Ledger.from_events(events)
    assert led.roster(grant.first_day)[Status.DIALOGUE_PARTNER] == {"TUR"}
    # Decided or not yet, Turkey is none that day: its stage is open, its status is not.
    assert led.roster("1989-06-01").uncertain == {}
    assert "TUR" not in set().union(*led.roster("1989-06-01").values())


@given(log=ledger_logs(max_states=3, precisions=(Precision.DAY,)))
def test_a_built_history_replaces_the_events_as_loaded(log: LedgerLog) -> None:
    histories = Ledger.from_events(log.events).histories
    assert isinstance(histories, Histories)
    for state in histories:
        history = histories[state]
        assert histories.events[state] is history.events  # one tuple, the list let go
    assert Ledger(histories) == Ledger.from_events(log.events)


def test_a_second_rule_set_files_its_own_statuses() -> None:
    led = brics()
    for day in ("2010-01-01", "2011-06-01", "2024-01-01", "2025-06-01"):
        roster = led.roster(day)
        assert (dict(roster), roster.uncertain) == naive_roster(led, PartialDate.parse(day).first)


def test_belief_without_amendments_keeps_the_events_as_given() -> None:
    events = list(sco().events[:3])
    belief = believe(events, [])
    assert belief.events is events
    assert belief.superseded == ()
    assert belief.amended == {}
    assert repr(belief) == "Belief(3 events, 0 superseded, 0 amended)"
    assert repr(Belief((), (), None)) == "Belief(0 events, 0 superseded, 0 amended)"


def test_the_sco_rule_set_is_the_default() -> None:
    assert Ledger.from_events([]).rules is SCO_RULES
