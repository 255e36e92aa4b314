"""Bulk loads validate every state at once and build each history on first use."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_membership import Ledger, PartialDate
from sco_membership.exceptions import DuplicateEventError
from sco_membership.history import History
from sco_membership.ledger import Histories, quick_check
from sco_membership.model import Event, EventKind
from sco_membership.organisations import SCO_RULES
from strategies import LedgerLog, ledger_logs


def event(kind: EventKind, date: str, **extra: object) -> Event:
    return Event("IND", kind, PartialDate.parse(date), **extra)  # type: ignore[arg-type]


SIMPLE = [
    event(EventKind.OBSERVER_GRANTED, "2005-07-05"),
    event(EventKind.APPLICATION, "2014-09-12"),
    event(EventKind.ACCESSION_STARTED, "2015-07-10"),
]


def test_quick_check_vouches_only_for_the_simple_valid_case() -> None:
    assert quick_check(SIMPLE, SCO_RULES)
    assert quick_check([], SCO_RULES)
    assert not quick_check(list(reversed(SIMPLE)), SCO_RULES)  # out of order
    assert not quick_check([*SIMPLE[:2], event(EventKind.OBSERVER_GRANTED, "2016")], SCO_RULES)
    assert not quick_check([SIMPLE[0], event(EventKind.APPLICATION, "2005-07-05")], SCO_RULES)
    # Distinct ids leave the case simple; an id given twice is for the full build to name.
    assert quick_check([event(EventKind.OBSERVER_GRANTED, "2005-07-05", id="x")], SCO_RULES)
    twice = [
        event(EventKind.OBSERVER_GRANTED, "2005-07-05", id="x"),
        event(EventKind.APPLICATION, "2014-09-12", id="x"),
    ]
    assert not quick_check(twice, SCO_RULES)
    assert not quick_check([event(EventKind.MEMBERSHIP_GRANTED, "2005-07-05")], SCO_RULES)


def test_a_loaded_ledger_builds_a_history_only_when_asked() -> None:
    ledger = Ledger.from_events(SIMPLE)
    histories = ledger.histories
    assert isinstance(histories, Histories)
    assert histories.built == {}
    assert "IND" in histories
    assert len(histories) == 1
    assert repr(histories) == "Histories(1 states, 0 built)"
    answer = ledger.status("IND", "2016-01-01")
    assert answer.describe() == "acceding (procedure started; still observer)"
    assert set(histories.built) == {"IND"}
    assert histories["IND"] is histories.built["IND"]
    assert histories["IND"] == History.from_events("IND", SIMPLE)


@given(log=ledger_logs())
def test_lazy_and_eager_ledgers_agree(log: LedgerLog) -> None:
    lazy = Ledger.from_events(log.events)
    eager = Ledger({s: History.from_events(s, e) for s, e in lazy.histories.events.items()})
    assert lazy == eager
    assert list(lazy.histories) == sorted(lazy.histories)


@given(log=ledger_logs(), seed=st.randoms(use_true_random=False))
def test_shuffled_input_is_vouched_for_as_sorted_input_is(
    log: LedgerLog, seed: random.Random
) -> None:
    # Records come in any order: sorting each state's events first lets the quick check vouch
    # for them, so the load builds no more histories than it would from sorted input.
    shuffled = list(log.events)
    seed.shuffle(shuffled)
    in_order = Ledger.from_events(log.events)
    any_order = Ledger.from_events(shuffled)
    assert set(any_order.histories.built) <= set(in_order.histories.built)
    assert any_order == in_order


def test_an_id_given_twice_is_refused_by_name_after_a_lazy_load() -> None:
    twice = [
        event(EventKind.OBSERVER_GRANTED, "2005-07-05", id="x"),
        event(EventKind.APPLICATION, "2014-09-12", id="x"),
    ]
    with pytest.raises(DuplicateEventError, match="'x'"):
        Ledger.from_events(twice)
    ids = [event(EventKind.OBSERVER_GRANTED, "2005-07-05", id="a"), SIMPLE[1]]
    assert Ledger.from_events(ids).histories.built == {}


def test_a_shuffled_simple_log_builds_no_history_at_load() -> None:
    ledger = Ledger.from_events([SIMPLE[2], SIMPLE[0], SIMPLE[1]])
    assert ledger.histories.built == {}
    assert ledger.history("IND").events == tuple(SIMPLE)


def test_an_id_given_twice_is_named_as_the_input_gave_it_first() -> None:
    log = [
        event(EventKind.APPLICATION, "2010-01-01", id="b"),
        event(EventKind.OBSERVER_GRANTED, "2005-01-01", id="a"),
        event(EventKind.APPLICATION, "2012-01-01", id="b"),
        event(EventKind.APPLICATION, "2006-01-01", id="a"),
    ]
    with pytest.raises(DuplicateEventError, match="'b'"):
        Ledger.from_events(log)
