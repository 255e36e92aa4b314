from __future__ import annotations

import datetime as dt

import pytest

from sco_membership.dates import PartialDate
from sco_membership.exceptions import DuplicateEventError, IllegalTransitionError
from sco_membership.history import History
from sco_membership.model import Event, EventKind, Source, Stage, Standing, Status

KIND = EventKind


def event(kind: EventKind, date: str, state: str = "IND", **extra: object) -> Event:
    return Event(state, kind, PartialDate.parse(date), **extra)  # type: ignore[arg-type]


INDIA = [
    event(KIND.OBSERVER_GRANTED, "2005-07-05", sources=(Source("Astana", "https://a.example"),)),
    event(KIND.APPLICATION, "2014-09"),
    event(KIND.ACCESSION_STARTED, "2015-07-10"),
    event(KIND.OBLIGATIONS_SIGNED, "2016-06-24"),
    event(KIND.MEMBERSHIP_GRANTED, "2017-06-09"),
]


def test_a_status_takes_effect_on_its_day_and_not_the_day_before() -> None:
    history = History.from_events("IND", INDIA)
    assert history.at("2005-07-04").status is Status.NONE
    assert history.at("2005-07-05").status is Status.OBSERVER
    assert history.at("2017-06-08").status is Status.ACCEDING
    assert history.at("2017-06-09").status is Status.MEMBER
    assert history.at(dt.date(2030, 1, 1)).status is Status.MEMBER


def test_an_acceding_state_keeps_its_earlier_status_and_shows_its_stage() -> None:
    answer = History.from_events("IND", INDIA).at("2016-06-24")
    assert answer.status is Status.ACCEDING
    assert answer.stage is Stage.OBLIGATIONS_SIGNED
    assert answer.retained is Status.OBSERVER
    assert answer.held is Status.OBSERVER
    assert answer.since == PartialDate.parse("2016-06-24")
    assert answer.until == PartialDate.parse("2017-06-09")
    assert answer.describe() == "acceding (obligations signed; still observer)"
    admitted = History.from_events("IND", INDIA).at("2017-06-09")
    assert admitted.retained is None
    assert admitted.held is Status.MEMBER


def test_an_application_changes_no_answer_but_stays_in_the_history() -> None:
    history = History.from_events("IND", INDIA)
    assert history.at("2014-12-31").event == INDIA[0]
    assert history.at("2014-12-31").sources == INDIA[0].sources
    assert KIND.APPLICATION in history.kinds()
    assert len(history) == 5
    assert list(history) == INDIA


def test_events_in_any_order_make_the_same_history() -> None:
    assert History.from_events("IND", reversed(INDIA)) == History.from_events("IND", INDIA)


def test_an_illegal_event_names_state_date_status_event_and_what_was_allowed() -> None:
    with pytest.raises(IllegalTransitionError) as caught:
        History.from_events("PAK", [event(KIND.MEMBERSHIP_GRANTED, "2017-06-09", "PAK")])
    error = caught.value
    assert error.state == "PAK"
    assert error.date == PartialDate.parse("2017-06-09")
    assert error.current == Standing(Status.NONE)
    assert error.event == event(KIND.MEMBERSHIP_GRANTED, "2017-06-09", "PAK")
    assert error.after is None
    assert KIND.OBSERVER_GRANTED in error.allowed
    assert str(error).startswith(
        "PAK on 2017-06-09: 'membership_granted' is not allowed while none"
    )


def test_the_error_says_what_came_before() -> None:
    with pytest.raises(IllegalTransitionError, match=r"since observer_granted on 2005-07-05"):
        History.from_events("IND", [INDIA[0], event(KIND.OBLIGATIONS_SIGNED, "2016-06-24")])


def test_appending_returns_a_new_history_and_leaves_the_old_one() -> None:
    old = History.from_events("IND", INDIA[:3])
    new = old.append(INDIA[3])
    assert old.at("2016-07-01").stage is Stage.PROCEDURE_STARTED
    assert new.at("2016-07-01").stage is Stage.OBLIGATIONS_SIGNED
    with pytest.raises(IllegalTransitionError):
        old.append(event(KIND.MEMBERSHIP_GRANTED, "2015-08-01"))
    assert len(old) == 3


def test_two_events_with_one_identifier_are_refused() -> None:
    twice = [INDIA[0], event(KIND.APPLICATION, "2008"), event(KIND.APPLICATION, "2008")]
    with pytest.raises(DuplicateEventError, match="application/IND/2008"):
        History.from_events("IND", twice)
    distinct = [INDIA[0], event(KIND.APPLICATION, "2008", id="a"), event(KIND.APPLICATION, "2008")]
    assert len(History.from_events("IND", distinct)) == 3


def test_a_day_inside_an_imprecise_window_is_uncertain() -> None:
    history = History.from_events("MNG", [event(KIND.OBSERVER_GRANTED, "2004", "MNG")])
    assert history.at("2003-12-31").certain
    assert history.at("2003-12-31").status is Status.NONE
    inside = history.at("2004-06-01")
    assert not inside.certain
    assert inside.possible == {Status.NONE, Status.OBSERVER}
    assert inside.describe() == "uncertain: none or observer"
    assert "observer granted in 2004, day not known" in str(inside)
    assert history.at("2004-12-30").certain is False
    last = history.at("2004-12-31")
    assert last.certain
    assert last.status is Status.OBSERVER


def test_a_pending_dialogue_partnership_is_a_visible_stage() -> None:
    history = History.from_events(
        "TUR",
        [
            event(KIND.DIALOGUE_PARTNER_DECISION, "2012-06-07", "TUR"),
            event(KIND.DIALOGUE_PARTNER_MEMORANDUM, "2013-04-26", "TUR"),
        ],
    )
    pending = history.at("2013-01-01")
    assert pending.status is Status.NONE
    assert pending.stage is Stage.DIALOGUE_PARTNER_DECIDED
    assert pending.organisation == "Shanghai Cooperation Organisation"
    assert history.at("2013-04-26").status is Status.DIALOGUE_PARTNER
    assert history.at("2012-06-06").organisation is None


def test_uncertain_stage_windows_show_both_standings() -> None:
    history = History.from_events(
        "BLR",
        [
            event(KIND.DIALOGUE_PARTNER_DECISION, "2009-06", "BLR"),
            event(KIND.DIALOGUE_PARTNER_MEMORANDUM, "2010-04", "BLR"),
        ],
    )
    answer = history.at("2010-04-10")
    assert not answer.certain
    assert answer.describe() == "uncertain: none (dialogue partner decided) or dialogue partner"
    assert not history.at("2009-06-10").certain
    assert history.at("2009-06-10").possible == {Status.NONE}


def test_overlapping_imprecise_windows_span_every_possible_step() -> None:
    history = History.from_events(
        "IRN",
        [
            event(KIND.OBSERVER_GRANTED, "2005", "IRN"),
            event(KIND.ACCESSION_STARTED, "2005-09", "IRN"),
        ],
    )
    answer = history.at("2005-09-10")
    assert answer.possible == {Status.NONE, Status.OBSERVER, Status.ACCEDING}
    # Once the later event has surely happened, so has the earlier one: events are in order.
    assert history.at("2005-10-01").status is Status.ACCEDING
    assert history.at("2005-10-01").certain


def test_changes_and_spans_cover_the_whole_timeline() -> None:
    history = History.from_events("IND", INDIA)
    days = [day for day, _ in history.timeline()]
    assert days == [
        dt.date(2005, 7, 5),
        dt.date(2015, 7, 10),
        dt.date(2016, 6, 24),
        dt.date(2017, 6, 9),
    ]
    spans = list(history.spans())
    assert spans[0][0] == 0
    assert spans[-1][1] is None
    assert [stop for _, stop, _ in spans[:-1]] == [start for start, _, _ in spans[1:]]
    assert history.current.status is Status.MEMBER
    assert history.intervals[0].event is None


def test_organisation_follows_the_founding_events() -> None:
    five = event(KIND.FOUNDING, "1996-04-26", "CHN", organisation="Shanghai Five")
    sco = event(
        KIND.FOUNDING, "2001-06-15", "CHN", organisation="Shanghai Cooperation Organisation"
    )
    history = History.from_events("CHN", [sco, five])
    assert history.at("1998-01-01").organisation == "Shanghai Five"
    assert history.at("2001-06-15").organisation == "Shanghai Cooperation Organisation"
    assert str(history.at("1998-01-01")).startswith("CHN: member of the Shanghai Five")


def test_a_history_longer_than_a_byte_folds_as_a_short_one() -> None:
    # Past 255 events the one-loop fold leaves it to the general one, which packs wider.
    kinds = ["observer_granted", *["application"] * 299, "accession_started"]
    start = dt.date(1990, 1, 1).toordinal()
    events = [
        Event("IND", EventKind(kind), PartialDate.of(dt.date.fromordinal(start + k)))
        for k, kind in enumerate(kinds)
    ]
    history = History.from_events("IND", events)
    assert len(history) == 301
    assert history.at(dt.date(1989, 12, 31)).status is Status.NONE
    assert history.at(dt.date(1990, 6, 1)).status is Status.OBSERVER
    assert history.at(dt.date(1990, 6, 1)).following is events[-1]
    assert history.current.event is events[-1]
    assert history.current.retained is Status.OBSERVER


def test_every_answer_made_is_one_tuple_handed_out_again() -> None:
    history = History.from_events("IND", [event(EventKind.OBSERVER_GRANTED, "2005-07-05")])
    first = history.at(dt.date(2006, 1, 1))  # one answer made, the others not yet
    _, answers = history.lookup()
    assert history.lookup()[1] is answers
    assert isinstance(answers, tuple)
    assert answers[2] is first
