from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sco_membership import Ledger, Stage, Status
from sco_membership.dates import Duration, PartialDate
from sco_membership.exceptions import (
    IllegalTransitionError,
    MalformedDataError,
    UnknownStateError,
)
from sco_membership.model import Event, EventKind

FIVE = ["CHN", "KAZ", "KGZ", "RUS", "TJK"]
RECORDS: list[dict[str, Any]] = [
    {"states": FIVE, "kind": "founding", "date": "1996-04-26", "organisation": "Shanghai Five"},
    {
        "states": [*FIVE, "UZB"],
        "kind": "founding",
        "date": "2001-06-15",
        "organisation": "Shanghai Cooperation Organisation",
    },
    {"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"},
    {"states": ["IND", "IRN", "PAK"], "kind": "observer_granted", "date": "2005-07-05"},
    {"states": ["IND", "PAK"], "kind": "accession_started", "date": "2015-07-10"},
    {"states": ["IND", "PAK"], "kind": "obligations_signed", "date": "2016-06-24"},
    {"states": ["IND", "PAK"], "kind": "membership_granted", "date": "2017-06-09"},
    {"state": "TUR", "kind": "dialogue_partner_decision", "date": "2012-06"},
    {"state": "TUR", "kind": "dialogue_partner_memorandum", "date": "2013-04-26"},
]


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger.from_records(RECORDS)


def test_status_by_code_or_name_and_by_any_date_form(ledger: Ledger) -> None:
    by_code = ledger.status("IND", "2016-06-24")
    assert by_code.status is Status.ACCEDING
    assert by_code.stage is Stage.OBLIGATIONS_SIGNED
    assert ledger.status("India", "24 June 2016") == by_code
    assert ledger.status("in", dt.date(2016, 6, 24)) == by_code


def test_a_state_without_events_answers_none_certainly(ledger: Ledger) -> None:
    answer = ledger.status("USA", "2010-01-01")
    assert answer.status is Status.NONE
    assert answer.certain
    assert answer.state == "USA"
    assert ledger.history("United States").events == ()


def test_an_unknown_state_is_the_librarys_error_with_a_suggestion(ledger: Ledger) -> None:
    with pytest.raises(UnknownStateError, match="did you mean India") as caught:
        ledger.status("Indai", "2010-01-01")
    assert isinstance(caught.value, LookupError)


def test_members_observers_and_roster(ledger: Ledger) -> None:
    assert ledger.members("2017-06-10") == {*FIVE, "UZB", "IND", "PAK"}
    assert ledger.members("2017-06-08") == {*FIVE, "UZB"}
    # Acceding India and Pakistan were still observers: listed under both.
    assert ledger.with_status("observer", "2016-04-07") == {"IND", "IRN", "MNG", "PAK"}
    assert ledger.with_status("acceding", "2016-04-07") == {"IND", "PAK"}
    roster = ledger.roster("2016-04-07")
    assert roster.on == dt.date(2016, 4, 7)
    assert roster[Status.MEMBER] == {*FIVE, "UZB"}
    assert roster[Status.DIALOGUE_PARTNER] == {"TUR"}
    assert Status.NONE not in roster
    assert list(roster) == [
        Status.DIALOGUE_PARTNER,
        Status.OBSERVER,
        Status.ACCEDING,
        Status.MEMBER,
    ]
    assert len(roster) == 4
    assert "acceding: IND, PAK" in str(roster)
    assert ledger.with_status("dialogue_partner", "2013-04-25") == frozenset()
    assert ledger.with_status("partner", "2020-01-01") == frozenset()


def test_roster_puts_uncertain_states_aside(ledger: Ledger) -> None:
    grant = Event("BLR", EventKind.OBSERVER_GRANTED, PartialDate.parse("2015-07"))
    roster = ledger.append(grant).roster("2015-07-05")
    assert roster.uncertain == {"BLR": frozenset({Status.NONE, Status.OBSERVER})}
    assert "uncertain: BLR (none or observer)" in str(roster)
    # Turkey's dialogue-partner decision is known to the month: its stage is open that day,
    # its status (none) is not, so it is neither listed nor uncertain.
    assert not ledger.status("TUR", "2012-06-15").certain
    assert ledger.roster("2012-06-15").uncertain == {}


def test_changes_between_two_dates(ledger: Ledger) -> None:
    changes = ledger.changes("2016-01-01", "2017-12-31")
    assert [(c.state, c.event.kind) for c in changes] == [
        ("IND", EventKind.OBLIGATIONS_SIGNED),
        ("PAK", EventKind.OBLIGATIONS_SIGNED),
        ("IND", EventKind.MEMBERSHIP_GRANTED),
        ("PAK", EventKind.MEMBERSHIP_GRANTED),
    ]
    assert changes[-1].before.status is Status.ACCEDING
    assert changes[-1].after.status is Status.MEMBER
    assert str(changes[-1]).startswith("2017-06-09 PAK: acceding")
    assert ledger.changes("2017-06-09", "2017-12-31") == ()


def test_duration_adds_up_time_in_a_status(ledger: Ledger) -> None:
    assert ledger.duration("IND", Status.OBSERVER, until="2017-06-09") == Duration(
        years=11, months=11, days=4, days_in_all=4357
    )
    assert ledger.duration("IND", "member", until="2018-06-09") == Duration(1, 0, 0, 365)
    assert ledger.duration(
        "IND", Status.MEMBER, since="2018-01-01", until="2018-06-09"
    ) == Duration(months=5, days=8, days_in_all=159)
    assert ledger.duration("USA", Status.MEMBER, until="2020-01-01") == Duration()


def test_records_round_trip(ledger: Ledger) -> None:
    records = ledger.to_records()
    assert Ledger.from_records(records) == ledger
    assert records[0] == RECORDS[0]
    assert sorted(map(str, records)) == sorted(map(str, RECORDS))


def test_loading_is_all_or_nothing_and_names_the_bad_event() -> None:
    bad = [*RECORDS, {"state": "MNG", "kind": "obligations_signed", "date": "2020-01-01"}]
    with pytest.raises(IllegalTransitionError, match="MNG on 2020-01-01"):
        Ledger.from_records(bad)


def test_append_validates_and_returns_a_new_ledger(ledger: Ledger) -> None:
    granted = Event("IRN", EventKind.ACCESSION_STARTED, PartialDate.parse("2021-09-17"))
    newer = ledger.append(granted)
    assert newer.status("IRN", "2022-01-01").status is Status.ACCEDING
    assert ledger.status("IRN", "2022-01-01").status is Status.OBSERVER
    assert newer != ledger
    assert hash(ledger) == hash(Ledger.from_records(RECORDS))
    with pytest.raises(IllegalTransitionError):
        ledger.append(Event("USA", EventKind.MEMBERSHIP_GRANTED, PartialDate.parse("2022-01-01")))
    assert ledger.states == (
        "CHN",
        "IND",
        "IRN",
        "KAZ",
        "KGZ",
        "MNG",
        "PAK",
        "RUS",
        "TJK",
        "TUR",
        "UZB",
    )
    assert (ledger == object()) is False


def test_a_bad_record_is_named_by_its_number() -> None:
    with pytest.raises(MalformedDataError, match=r"^record 2: unknown kind 'x'") as caught:
        Ledger.from_records([RECORDS[2], {"state": "MNG", "kind": "x", "date": "2004"}])
    assert caught.value.record == 2
    assert caught.value.line is None


def test_a_users_own_rule_set_replaces_the_scos() -> None:
    from sco_membership import EventKind, RuleSet, Standing, Transition

    none, observer, member = (Standing(s) for s in (Status.NONE, Status.OBSERVER, Status.MEMBER))
    club = RuleSet(
        "club",
        "A Club",
        [
            Transition(EventKind.OBSERVER_GRANTED, none, observer),
            Transition(EventKind.MEMBERSHIP_GRANTED, observer, member),
            Transition(EventKind.WITHDRAWAL, member, none),
            Transition(EventKind.WITHDRAWAL, observer, none),
        ],
    )
    records = [
        {"state": "NOR", "kind": "observer_granted", "date": "2001-01-01"},
        {"state": "NOR", "kind": "membership_granted", "date": "2002-01-01"},
    ]
    ledger = Ledger.from_records(records, rules=club)
    answer = ledger.status("Norway", "2003-01-01")
    assert answer.status is Status.MEMBER
    assert answer.organisation == "A Club"
    # Under the SCO's rules the same log is illegal: membership needs the accession stages.
    with pytest.raises(
        IllegalTransitionError,
        match="allowed from there: founding, application, accession_started",
    ):
        Ledger.from_records(records)
    with pytest.raises(IllegalTransitionError, match="allowed from there: observer_granted"):
        Ledger.from_records(records[1:], rules=club)
