"""Record time: corrections, retractions, "as known on" views, fingerprints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_membership import Ledger, Status
from sco_membership.belief import Belief, believe, sift
from sco_membership.exceptions import (
    IllegalTransitionError,
    MalformedDataError,
    NothingKnownError,
    UnknownEventError,
)
from sco_membership.io.records import amendments_from_record
from sco_membership.model import Amendment, AmendmentKind, Event
from strategies import Walk, walks

PAK: list[dict[str, Any]] = [
    {"state": "PAK", "kind": "observer_granted", "date": "2005-07-05", "recorded": "2005-07-06"},
    {"state": "PAK", "kind": "accession_started", "date": "2015-07-10", "recorded": "2015-07-11"},
    {"state": "PAK", "kind": "obligations_signed", "date": "2016-06-24", "recorded": "2016-06-25"},
    # First recorded with the wrong day: the summit's second day was taken for the decision's.
    {"state": "PAK", "kind": "membership_granted", "date": "2017-06-10", "recorded": "2017-06-10"},
]
CORRECTION: dict[str, Any] = {
    "state": "PAK",
    "kind": "correction",
    "amends": "membership_granted/PAK/2017-06-10",
    "set": {"date": "2017-06-09"},
    "reason": "the Council decided on the first day of the Astana summit",
    "sources": [{"title": "India and Pakistan join SCO", "url": "http://tass.com/world/950697"}],
    "recorded": "2018-01-15",
}


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger.from_records([*PAK, CORRECTION])


def test_queries_use_the_current_belief(ledger: Ledger) -> None:
    assert ledger.status("PAK", "2017-06-09").status is Status.MEMBER
    assert ledger.status("PAK", "2017-06-09").since is not None
    assert ledger.history("PAK").events[-1].date.iso == "2017-06-09"


def test_known_on_shows_the_belief_of_that_day(ledger: Ledger) -> None:
    assert ledger.status("PAK", "2017-06-09", known_on="2017-12-31").status is Status.ACCEDING
    assert ledger.status("PAK", "2017-06-09", known_on="2018-01-15").status is Status.MEMBER
    assert ledger.status("PAK", "2016-06-01", known_on="2015-01-01").status is Status.OBSERVER
    with pytest.raises(NothingKnownError, match="nothing had been recorded by 2005-07-05"):
        ledger.status("PAK", "2016-06-01", known_on="2005-07-05")
    assert ledger.as_known_on("2015-01-01") is ledger.as_known_on(dt.date(2015, 1, 1))


def test_the_log_is_append_only_and_round_trips(ledger: Ledger) -> None:
    records = ledger.to_records()
    assert records[:4] == PAK
    assert records[4] == CORRECTION
    assert Ledger.from_records(records) == ledger
    assert [event.date.iso for event in ledger.superseded] == ["2017-06-10"]
    assert ledger.log[-1].date.iso == "2017-06-10"


def test_corrections_compose() -> None:
    second = {
        **CORRECTION,
        "set": {"place": "Astana"},
        "reason": "the place was missing",
        "recorded": "2019-01-01",
    }
    ledger = Ledger.from_records([*PAK, CORRECTION, second])
    last = ledger.history("PAK").events[-1]
    assert (last.date.iso, last.place) == ("2017-06-09", "Astana")
    assert last.key == "membership_granted/PAK/2017-06-10"  # the key of the event as recorded
    assert ledger.as_known_on("2018-06-01").history("PAK").events[-1].place is None


def test_a_retraction_removes_the_claim_from_the_recorded_day_on() -> None:
    retraction = {
        "state": "PAK",
        "kind": "retraction",
        "amends": "membership_granted/PAK/2017-06-10",
        "reason": "a premature report",
        "recorded": "2017-07-01",
    }
    ledger = Ledger.from_records([*PAK, retraction])
    assert ledger.status("PAK", "2018-01-01").status is Status.ACCEDING
    assert ledger.status("PAK", "2018-01-01", known_on="2017-06-20").status is Status.MEMBER
    assert Ledger.from_records(ledger.to_records()) == ledger


def test_an_amendment_of_no_event_is_refused() -> None:
    with pytest.raises(UnknownEventError, match="amends 'nothing/PAK/2000'") as caught:
        Ledger.from_records([*PAK, {**CORRECTION, "amends": "nothing/PAK/2000"}])
    assert isinstance(caught.value, LookupError)


def _amendment(record: dict[str, Any]) -> Amendment:
    (amendment,) = amendments_from_record(record)
    return amendment


def _retry(events: list[Event], amendments: list[Amendment]) -> tuple[Belief, list[Amendment]]:
    """What validation did before :func:`sift`: believe, take out the refused amendment, retry."""
    refused = []
    while True:
        try:
            return believe(events, amendments), refused
        except UnknownEventError as exc:
            refused.append(exc.amendment)
            amendments = [a for a in amendments if a is not exc.amendment]


def test_sift_sets_aside_every_amendment_of_no_event_in_one_pass() -> None:
    events = list(Ledger.from_records(PAK).events)
    bad = [
        _amendment({**CORRECTION, "amends": f"nothing/{k}", "recorded": f"20{10 + k}-01-01"})
        for k in range(5)
    ]
    retraction = {key: value for key, value in CORRECTION.items() if key != "set"}
    retracted = _amendment({**retraction, "kind": "retraction", "recorded": "2019-01-01"})
    # Corrected after its event was retracted: an amendment of no event either.
    late = _amendment({**CORRECTION, "recorded": "2020-01-01", "set": {"place": "x"}})
    amendments = [late, *bad, retracted, _amendment(CORRECTION)]
    belief, missing = sift(events, amendments)
    expected, refused = _retry(events, amendments)
    assert [error.amendment for error in missing] == refused
    assert set(refused) == {*bad, late}
    assert (belief.events, belief.amended, belief.superseded) == (
        expected.events,
        expected.amended,
        expected.superseded,
    )
    with pytest.raises(UnknownEventError) as caught:
        believe(events, amendments)
    assert caught.value.amendment is missing[0].amendment
    unchanged, none = sift(events, [])
    assert unchanged.events is events
    assert none == ()


def test_a_correction_that_makes_the_history_illegal_names_both() -> None:
    bad = {**CORRECTION, "set": {"kind": "observer_granted"}}
    with pytest.raises(IllegalTransitionError, match="once amended by 2018-01-15 PAK correction"):
        Ledger.from_records([*PAK, bad])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"set": {}}, "non-empty object"),
        ({"set": {"state": "IND"}}, "cannot set state"),
        ({"set": {"date": "June"}}, "gives no year"),
        ({"recorded": None}, "needs 'recorded'"),
        ({"reason": None}, "has no 'reason'"),
        ({"kind": "retraction"}, "has no 'set'"),
        ({"date": "2017-06-09"}, "unknown field"),
    ],
)
def test_malformed_amendments_are_refused(change: dict[str, Any], message: str) -> None:
    record = {key: value for key, value in {**CORRECTION, **change}.items() if value is not None}
    with pytest.raises(MalformedDataError, match=message):
        Ledger.from_records([*PAK, record])


def test_fingerprints_are_stable_and_follow_the_record(ledger: Ledger) -> None:
    again = Ledger.from_records(list(reversed([*PAK, CORRECTION])))
    assert ledger.fingerprint() == again.fingerprint()
    assert len(ledger.fingerprint()) == 64
    assert ledger.fingerprint(known_on="2017-12-31") != ledger.fingerprint()
    assert ledger.fingerprint(known_on="2030-01-01") == ledger.fingerprint()


def test_explain_gives_the_deciding_chain(ledger: Ledger) -> None:
    why = ledger.explain("PAK", "2017-06-09")
    assert why.answer.status is Status.MEMBER
    assert why.rule is not None
    assert why.rule.kind.value == "membership_granted"
    assert [a.kind for a in why.amendments] == [AmendmentKind.CORRECTION]
    assert [e.date.iso for e in why.superseded] == ["2017-06-10"]
    text = str(why)
    assert "rule: membership_granted: acceding (obligations signed) -> member" in text
    assert "amended: 2018-01-15 PAK correction" in text
    assert "first recorded as: 2017-06-10" in text
    assert why.fingerprint == ledger.fingerprint()
    earlier = ledger.explain("PAK", "2017-06-09", known_on="2017-12-31")
    assert earlier.known_on == dt.date(2017, 12, 31)
    assert earlier.answer.status is Status.ACCEDING
    assert "as the record stood on 2017-12-31" in str(earlier)
    assert "every state starts at none" in str(ledger.explain("USA", "2000-01-01"))


def test_append_takes_amendments() -> None:
    ledger = Ledger.from_records(PAK)
    amendment = Amendment(
        "PAK",
        AmendmentKind.RETRACTION,
        "membership_granted/PAK/2017-06-10",
        dt.date(2017, 7, 1),
        "premature",
    )
    newer = ledger.append(amendment)
    assert newer.status("PAK", "2018-01-01").status is Status.ACCEDING
    assert ledger.status("PAK", "2018-01-01").status is Status.MEMBER
    assert newer.append(*[]).amendments == (amendment,)


# Properties. A log whose record grows in valid-time order: every day's view is a valid log.


@st.composite
def recorded_walks(draw: st.DrawFn) -> Walk:
    walk = draw(walks(min_size=1, max_size=8))
    within = st.dates(max_value=dt.date(9000, 1, 1))
    days = sorted(draw(st.lists(within, min_size=len(walk.events), max_size=len(walk.events))))
    events = tuple(
        attrs.evolve(event, recorded=day) for event, day in zip(walk.events, days, strict=True)
    )
    return attrs.evolve(walk, events=events)


@given(walk=recorded_walks(), probe=st.dates())
def test_known_on_the_latest_record_time_is_the_current_answer(walk: Walk, probe: dt.date) -> None:
    ledger = Ledger.from_events(walk.events)
    latest = max(event.recorded for event in walk.events if event.recorded is not None)
    assert ledger.as_known_on(latest) == ledger
    assert ledger.status(walk.state, probe, known_on=latest) == ledger.status(walk.state, probe)


@given(walk=recorded_walks(), first=st.dates(), second=st.dates())
def test_knowledge_only_grows(walk: Walk, first: dt.date, second: dt.date) -> None:
    early, late = sorted((first, second))
    ledger = Ledger.from_events(walk.events)
    seen_early = set(ledger.as_known_on(early).events)
    seen_late = set(ledger.as_known_on(late).events)
    assert seen_early <= seen_late


@given(walk=recorded_walks(), data=st.data())
def test_a_retraction_recorded_later_does_not_change_earlier_views(
    walk: Walk, data: st.DataObject
) -> None:
    last: Event = walk.events[-1]
    assert last.recorded is not None
    when = last.recorded + dt.timedelta(days=data.draw(st.integers(1, 1000)))
    retraction = Amendment(walk.state, AmendmentKind.RETRACTION, last.key, when, "withdrawn")
    ledger = Ledger.from_events(walk.events)
    amended = ledger.append(retraction)
    assert amended.as_known_on(when - dt.timedelta(days=1)) == ledger
    assert last not in amended.events
    assert Ledger.from_records(amended.to_records()) == amended


def test_a_ledger_keeps_only_a_few_views() -> None:
    ledger = Ledger.from_records(PAK)
    first = ledger.as_known_on("2000-01-01")
    for day in range(1, 40):
        ledger.as_known_on(dt.date(2001, 1, 1) + dt.timedelta(days=day))
    assert ledger.as_known_on("2000-01-01") is not first  # evicted, made again
    assert ledger.as_known_on("2000-01-01") == first
