"""Properties that must hold for every valid log, every format and every input."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sco_membership.answer import Answer
from sco_membership.dates import PartialDate, Precision
from sco_membership.exceptions import (
    DateError,
    IllegalTransitionError,
    MalformedDataError,
    MembershipError,
)
from sco_membership.history import History
from sco_membership.io import jsonl as codec
from sco_membership.ledger import Ledger
from sco_membership.model import Status
from sco_membership.strategies import (
    CODES,
    EventLog,
    NearMiss,
    StateLog,
    Step,
    event_logs,
    near_miss_logs,
    partial_dates,
    state_logs,
)
from strategies import date_texts, json_values, junk_records

DAY = dt.timedelta(days=1)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The other states of a ledger that holds a near miss (``near_miss_logs`` uses IND).
OTHERS = tuple(code for code in CODES if code != "IND")


def agrees(answer: Answer, expected: Step) -> None:
    assert answer.certain
    assert answer.status is expected.standing.status
    assert answer.stage is expected.standing.stage
    assert answer.retained is expected.retained
    assert answer.event == expected.since


def probe_days(walk: StateLog) -> list[dt.date]:
    """The day before, on and after every event's window."""
    days = set()
    for event in walk.events:
        days |= {event.date.first_day - DAY, event.date.first_day, event.date.last_day + DAY}
    return sorted(days)


# 1. Agreement with a naive reference at every date.


@given(walk=state_logs(), data=st.data())
def test_a_history_agrees_with_a_naive_fold_on_every_day(
    walk: StateLog, data: st.DataObject
) -> None:
    history = History.from_events(walk.state, walk.events)
    assert history.events == walk.events
    assert history.intervals[0].status is Status.NONE
    start = walk.events[0].date.first_day if walk.events else dt.date(2000, 1, 1)
    end = walk.events[-1].date.last_day if walk.events else start
    anywhere = st.dates(min_value=start - 400 * DAY, max_value=end + 400 * DAY)
    for day in probe_days(walk) + data.draw(st.lists(anywhere, max_size=10)):
        agrees(history.at(day), walk.at(day))
        assert history.at(day).following == walk.following(day)
        assert history.at(day) == history.at(day.isoformat())
    agrees(history.current, walk.before(len(walk.events)))


@given(log=event_logs(precisions=(Precision.DAY,), with_details=False))
def test_a_ledger_agrees_with_naive_folds_on_every_day(log: EventLog) -> None:
    ledger = Ledger.from_events(log.events)
    assert ledger.states == tuple(sorted(s for s, walk in log.state_logs.items() if walk.events))
    days = sorted({day for walk in log.state_logs.values() for day in probe_days(walk)})
    for day in days:
        expected = {state: walk.at(day) for state, walk in log.state_logs.items()}
        for state, step in expected.items():
            agrees(ledger.status(state, day), step)
        members = {state for state, step in expected.items() if step.held is Status.MEMBER}
        assert ledger.members(day) == members
        acceding = {s for s, step in expected.items() if step.standing.status is Status.ACCEDING}
        assert ledger.with_status("acceding", day) == acceding


# 2. Imprecise dates: uncertain inside a window, certain outside every window.


@given(walk=state_logs(precisions=tuple(Precision), allow_same_date=False), data=st.data())
def test_an_imprecise_date_leaves_the_days_of_its_window_open(
    walk: StateLog, data: st.DataObject
) -> None:
    history = History.from_events(walk.state, walk.events)
    count = len(walk.events)
    for index, event in enumerate(walk.events):
        before, after = walk.before(index), walk.expected[index]
        window = event.date
        # No other window overlaps this one: before it and from its last day on, all is known.
        agrees(history.at(window.first_day - DAY), before)
        agrees(history.at(window.last_day), after)
        following = walk.events[index + 1].date.first_day if index + 1 < count else None
        later = st.dates(
            min_value=window.last_day,
            max_value=window.last_day + 400 * DAY if following is None else following - DAY,
        )
        agrees(history.at(data.draw(later)), after)
        if window.is_exact or after.since is not event:  # a day, or an event that moves nothing
            continue
        inside = st.dates(min_value=window.first_day, max_value=window.last_day - DAY)
        for day in {window.first_day, window.last_day - DAY, data.draw(inside)}:
            answer = history.at(day)
            assert answer.certain is False
            assert answer.options == (before.standing, after.standing)
            assert answer.possible >= {before.standing.status, after.standing.status}
            assert answer.status is before.standing.status  # the last one proved


# 3. Order independence of loading.


@given(walk=state_logs(precisions=tuple(Precision)), data=st.data())
def test_a_history_does_not_depend_on_the_order_of_its_events(
    walk: StateLog, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(walk.events))
    assert History.from_events(walk.state, shuffled) == History.from_events(
        walk.state, walk.events
    )


@given(log=event_logs(), data=st.data())
def test_a_ledger_does_not_depend_on_the_order_of_its_events_or_records(
    log: EventLog, data: st.DataObject
) -> None:
    ledger = Ledger.from_events(log.events)
    assert Ledger.from_events(data.draw(st.permutations(log.events))) == ledger
    assert Ledger.from_records(data.draw(st.permutations(log.records))) == ledger


# 4. Round trips of every format.


@given(log=event_logs())
def test_a_ledger_survives_its_records(log: EventLog) -> None:
    ledger = Ledger.from_events(log.events)
    assert Ledger.from_records(ledger.to_records()) == ledger
    assert Ledger.from_records(log.records) == ledger


@given(log=event_logs())
def test_canonical_records_are_written_back_as_they_were(log: EventLog) -> None:
    records = Ledger.from_records(log.records).to_records()
    assert records == list(log.records)
    assert [list(record) for record in records] == [list(record) for record in log.records]


# Regression: dumps writes U+2028, U+2029 and U+0085 raw inside JSON strings, and loads once cut
# the text with str.splitlines(), which ends lines there too: a note holding one made the log
# unreadable.
@example(
    log=EventLog(
        records=(
            {
                "state": "IND",
                "kind": "observer_granted",
                "date": "2005-07-05",
                "note": "a\u2028b\u2029c\x85d",
            },
        ),
        state_logs={},
    )
)
@given(log=event_logs())
def test_a_ledger_survives_its_json_lines(log: EventLog) -> None:
    ledger = Ledger.from_records(log.records)
    text = codec.dumps(ledger)
    assert codec.loads(text) == ledger
    assert codec.dumps(codec.loads(text)) == text
    assert [json.loads(line) for line in text.split("\n") if line] == list(log.records)


@given(date=partial_dates())
def test_a_partial_date_survives_its_iso_text(date: PartialDate) -> None:
    assert PartialDate.parse(date.iso) == date
    assert PartialDate.parse(date.iso).precision is date.precision
    assert (date.first_day, date.last_day) == (
        PartialDate.parse(date.iso).first_day,
        PartialDate.parse(date.iso).last_day,
    )


# 5. Invalid logs fail loudly, naming the offending event.


def assert_names(error: IllegalTransitionError, near: NearMiss) -> None:
    assert isinstance(error, ValueError)
    assert isinstance(error, MembershipError)
    assert error.state == near.state
    assert error.date == near.illegal.date
    assert error.event == near.illegal
    assert error.current == near.standing
    assert error.allowed == near.rules.allowed(near.standing)
    assert set(error.allowed) == {
        kind for kind in near.rules.kinds if near.rules.allows(near.standing, kind)
    }


@given(near=near_miss_logs())
def test_a_near_miss_raises_naming_the_illegal_event(near: NearMiss) -> None:
    with pytest.raises(IllegalTransitionError) as info:
        History.from_events(near.state, near.events)
    assert_names(info.value, near)


@given(near=near_miss_logs(), log=event_logs(states=OTHERS, with_details=False), data=st.data())
def test_a_near_miss_in_one_state_fails_the_whole_ledger(
    near: NearMiss, log: EventLog, data: st.DataObject
) -> None:
    events = data.draw(st.permutations((*log.events, *near.events)))
    with pytest.raises(IllegalTransitionError) as info:
        Ledger.from_events(events)
    assert_names(info.value, near)


# 6. Only the library's own errors escape, whatever the input.


def escaping(function: Callable[[], object]) -> Exception | None:
    """The error ``function`` raises, if any; it must be one of the library's."""
    try:
        function()
    except Exception as error:
        caught: Exception | None = error
    else:
        caught = None
    assert caught is None or isinstance(caught, MembershipError), repr(caught)
    return caught


@example(records=[{"state": "IND", "kind": "founding", "date": "2017-02-30"}])
@example(records=[{"state": "IND", "kind": "founding", "date": 12}])
@example(records=[{"states": ["IND", "IND"], "kind": "founding", "date": "2017"}])
@example(records=[{"state": "IND", "kind": "founding", "date": "2017", "sources": [{}]}])
@given(records=st.lists(junk_records(), max_size=4))
def test_junk_records_raise_only_library_errors(records: list[Any]) -> None:
    escaping(lambda: Ledger.from_records(records))


def lines() -> st.SearchStrategy[str]:
    """Lines of a log: any text, or JSON of junk records (so the reader sees them too)."""
    return st.text() | junk_records().map(json.dumps) | json_values().map(json.dumps)


# Regression: json.loads raises a bare ValueError, not JSONDecodeError, for an integer of more
# than 4300 digits (CPython's int-conversion limit); it once escaped codec.loads.
@example(text="1" * 5000)
@example(text='{"state": "IND", "kind": "founding", "date": "2017"}\n[' * 2)
@example(text="[" * 100_000)
@given(text=st.lists(lines(), max_size=4).map("\n".join))
def test_junk_text_raises_only_library_errors_with_a_line(text: str) -> None:
    error = escaping(lambda: codec.loads(text))
    if isinstance(error, MalformedDataError):
        assert isinstance(error.line, int)
        assert error.line >= 1


# 7. Reading dates: a DateError, or a date that reads back as itself.


# Regression: dateutil's UnknownTimezoneWarning once escaped PartialDate.parse for text with a
# time and a zone name ("20170609T1000 ABC", "9 June 2017 10h BRST").
@example(text="20170609T1000 ABC")
@example(text="9 June 2017 10h BRST")
@example(text="June")
@example(text="")
@given(text=st.text() | date_texts())
def test_any_text_reads_as_a_date_that_reads_back_or_raises_a_date_error(text: str) -> None:
    try:
        date = PartialDate.parse(text)
    except DateError:
        return
    assert PartialDate.parse(date.iso) == date


# Regression: numeric year-first text other than strict ISO was read year-day-month, because
# dateutil was asked for dayfirst: "2017-6-9", "2017/06/09", "2017.06.09" and "20170609" all
# gave PartialDate('2017-09-06'). A year-first date is never year-day-month.
@example(date=PartialDate(2017, 6, 9), template="{y}-{m}-{d}")
@example(date=PartialDate(2017, 6, 9), template="{y}{m:02d}{d:02d}")
@given(
    date=partial_dates(precisions=(Precision.DAY,), min_value=dt.date(1000, 1, 1)),
    template=st.sampled_from(
        ["{y}-{m}-{d}", "{y}/{m:02d}/{d:02d}", "{y}.{m}.{d}", "{y}{m:02d}{d:02d}"]
    ),
)
def test_year_first_numeric_text_is_never_read_year_day_month(
    date: PartialDate, template: str
) -> None:
    assert date.month is not None
    assert date.day is not None
    text = template.format(y=date.year, m=date.month, d=date.day)
    try:
        read = PartialDate.parse(text)
    except DateError:
        return
    assert read == date, f"{text!r} read as {read.iso}"


# Regression: a time of day was refused only when it was not midnight (the parsed time was
# compared with the default's 00:00), so "9 June 2017 0h" read as PartialDate('2017-06-09').
@example(date=PartialDate(2017, 6, 9), hour=0, minute=0, template="{date} {h}h")
@given(
    date=partial_dates(precisions=(Precision.DAY,), min_value=dt.date(1000, 1, 1)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    template=st.sampled_from(
        ["{date} {h}h", "{date} T{h:02d}", "{date} {h:02d}h{m:02d}", "{date} {h}:{m:02d}"]
    ),
)
def test_text_with_a_time_of_day_is_refused(
    date: PartialDate, hour: int, minute: int, template: str
) -> None:
    english = f"{date.day} {MONTHS[date.first_day.month - 1]} {date.year}"
    text = template.format(date=english, h=hour, m=minute)
    with pytest.raises(DateError, match="time of day"):
        PartialDate.parse(text)


# 1b. Answers made one at a time are those made all at once, and each is made once.


@given(
    walk=state_logs(precisions=(Precision.DAY, Precision.MONTH, Precision.YEAR), max_size=20),
    data=st.data(),
)
def test_answers_made_on_demand_are_those_made_at_once_and_kept(
    walk: StateLog, data: st.DataObject
) -> None:
    at_once = History.from_events(walk.state, walk.events)
    every = at_once.intervals
    lazily = History.from_events(walk.state, walk.events)
    days = data.draw(st.lists(st.sampled_from([0, *lazily.bounds[:-1], 10**6]), max_size=8))
    asked = [lazily.at_ordinal(day) for day in days]
    made = lazily._answers_so_far()
    # Only the intervals asked about hold an answer; each is the one a later question gets.
    assert sum(answer is not None for answer in made[1:-1]) == len(set(map(id, asked)))
    for day, answer in zip(days, asked, strict=True):
        assert answer == at_once.at_ordinal(day)
        assert lazily.at_ordinal(day) is answer
    assert lazily.intervals == every
    assert all(any(answer is kept for kept in lazily.intervals) for answer in asked)
    assert None not in lazily._answers_so_far()


@given(walk=state_logs(max_size=30, allow_same_date=False), data=st.data())
def test_the_one_loop_fold_is_the_general_fold(walk: StateLog, data: st.DataObject) -> None:
    from sco_membership.history import _general, _plain

    events = walk.events
    if data.draw(st.booleans(), label="shuffled"):  # out of order: the loop leaves it
        events = tuple(data.draw(st.permutations(events)))
    plain = _plain(events, walk.rules)
    general = _general(walk.state, events, walk.rules)
    in_order = all(a.date.first < b.date.first for a, b in itertools.pairwise(events))
    assert (plain is not None) is in_order
    if plain is not None:
        assert plain.events == general.events
        assert plain.bounds == general.bounds
        assert list(plain.steps) == list(general.steps)
        assert list(plain.cats) == list(general.cats)
        assert plain.spans is general.spans is None
        assert plain.named is general.named is None
