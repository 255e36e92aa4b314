"""Honest edges of a ledger: its horizon, reversed ranges, appends that fold only what they
touch, and rosters whose cost does not grow with the square of a rule set's statuses."""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership import Ledger
from sco_membership.exceptions import MalformedDataError, OptionError
from sco_membership.strategies import AmendedLog, amended_logs
from timing import doubling_ratio

RECORDS = [
    {"state": "IND", "kind": "observer_granted", "date": "2005-07-05", "recorded": "2006-01-01"},
    {"state": "IND", "kind": "accession_started", "date": "2015-07-10", "recorded": "2016-01-01"},
]


def test_the_embedded_record_is_complete_through_its_last_record_day() -> None:
    sco = scm.sco()
    last = max(event.recorded for event in sco.events if event.recorded is not None)
    assert sco.horizon == last
    inside = sco.status("IND", last)
    assert inside.beyond is None
    assert "complete only through" not in str(inside)
    after = sco.status("IND", "9999-12-31")
    assert after.beyond == last
    assert str(after).endswith(f"(the record is complete only through {last.isoformat()})")
    assert after == inside  # the same answer, flagged: equality ignores the flag
    assert sco.status("IND", "9999-12-31") is not inside


def test_bulk_answers_and_rosters_beyond_the_horizon_say_so() -> None:
    ledger = Ledger.from_records(RECORDS)
    assert ledger.horizon == dt.date(2016, 1, 1)
    days = [dt.date(2010, 1, 1), dt.date(2016, 1, 1), dt.date(2016, 1, 2)]
    assert [a.beyond for a in ledger.statuses("IND", days)] == [None, None, dt.date(2016, 1, 1)]
    assert [a.beyond for a in ledger.statuses("IND", [d.isoformat() for d in days])] == [
        None,
        None,
        dt.date(2016, 1, 1),
    ]
    assert ledger.roster("2016-01-01").beyond is None
    roster = ledger.roster("2020-01-01")
    assert roster.beyond == dt.date(2016, 1, 1)
    assert str(roster).endswith("(the record is complete only through 2016-01-01)")


def test_a_horizon_can_be_given_and_none_is_known_without_record_times() -> None:
    plain = [{k: v for k, v in record.items() if k != "recorded"} for record in RECORDS]
    unknown = Ledger.from_records(plain)
    assert unknown.horizon is None
    assert unknown.status("IND", "9999-12-31").beyond is None
    given_day = Ledger.from_records(plain, horizon="2020-06-30")
    assert given_day.horizon == dt.date(2020, 6, 30)
    assert given_day.status("IND", "2020-07-01").beyond == dt.date(2020, 6, 30)
    assert given_day == unknown  # the horizon is how far the record was checked, not its log


def test_the_record_as_known_on_a_day_knows_nothing_after_that_day() -> None:
    ledger = Ledger.from_records(RECORDS)
    view = ledger.as_known_on("2010-01-01")
    assert view.horizon == dt.date(2010, 1, 1)
    assert view.status("IND", "2016-06-01").beyond == dt.date(2010, 1, 1)
    assert ledger.status("IND", "2016-06-01", known_on="2010-01-01").status.value == "observer"


def test_an_append_moves_the_horizon_to_its_latest_record_day() -> None:
    ledger = Ledger.from_records(RECORDS[:1])
    later = Ledger.from_records(RECORDS).history("IND").events[1:]
    grown = ledger.append(*later)
    assert (ledger.horizon, grown.horizon) == (dt.date(2006, 1, 1), dt.date(2016, 1, 1))


@pytest.mark.parametrize(
    "ask",
    [
        lambda led: led.changes("2018-01-01", "2017-01-01"),
        lambda led: led.duration("IND", "observer", since="2018-01-01", until="2017-01-01"),
    ],
)
def test_a_reversed_range_is_an_error(ask: Callable[[Ledger], object]) -> None:
    with pytest.raises(OptionError, match="after"):
        ask(scm.sco())


def test_an_append_refuses_what_is_not_an_entry() -> None:
    with pytest.raises(MalformedDataError, match="neither an Event, an Amendment nor a Claim"):
        scm.sco().append({"state": "IND"})  # type: ignore[arg-type]


@settings(max_examples=60)
@given(log=amended_logs(max_amendments=3), data=st.data())
def test_appending_amendments_one_by_one_gives_the_ledger_loaded_at_once(
    log: AmendedLog, data: st.DataObject
) -> None:
    whole = Ledger.from_events(log.events, amendments=log.amendments)
    split = data.draw(st.integers(0, len(log.events)), label="events loaded first")
    other = Ledger.from_records([{"state": "MNG", "kind": "observer_granted", "date": "2004"}])
    grown = Ledger.from_events([*log.events[:split], *other.events])
    for event in log.events[split:]:
        grown = grown.append(event)
    for amendment in log.amendments:
        grown = grown.append(amendment)
    expected = Ledger.from_events(
        [*log.events, *other.events], amendments=log.amendments, horizon=grown.horizon
    )
    assert grown == expected
    assert grown.history("MNG") is grown.history("MNG")  # untouched states are kept as built
    assert [a.status for a in grown.history(log.state).intervals] == [
        a.status for a in whole.history(log.state).intervals
    ]
    by_key = operator.attrgetter("state", "key")
    assert sorted(grown.log, key=by_key) == sorted(expected.log, key=by_key)


def _chain(statuses: int) -> Ledger:
    """A ledger of one state under a chain of ``statuses`` statuses, its history built."""
    names = [f"level_{k}" for k in range(statuses)]
    ladder = ["none", *names]
    up = [
        {"kind": f"up_{k}", "from": [low], "to": high}
        for k, (low, high) in enumerate(zip(ladder, names, strict=False))
    ]
    text = json.dumps(
        {
            "name": "Chain",
            "organisation": "A chain",
            "statuses": ladder,
            "stages": [],
            "kinds": [row["kind"] for row in up] + ["down"],
            "transitions": [*up, {"kind": "down", "from": names, "to": "none"}],
        }
    )
    rules = scm.RuleSet.loads(text, format="json")
    ledger = Ledger.from_records(
        [{"state": "IND", "kind": "up_0", "date": "2001-01-01"}], rules=rules
    )
    ledger.history("IND")
    return ledger


def test_a_roster_costs_no_more_than_the_rule_set_is_long() -> None:
    # Before, a roster made a list for every pair of standings: 4,000 statuses took 5-22 s.
    chains = {n: _chain(n) for n in (300, 600)}

    def first_roster(n: int) -> None:
        Ledger(chains[n].histories, chains[n].rules).roster("2002-06-01")  # nothing kept yet

    assert doubling_ratio(first_roster, 300) < 3
