"""Member identifiers beyond ISO 3166: a rule set's scheme (ISO, COW abbreviations, free
identifiers checked by a pattern), and the records read fast whatever the scheme."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings

import sco_membership as scm
from sco_membership.exceptions import MalformedDataError, RuleSetError, UnknownStateError
from sco_membership.io.records import read_record, read_records
from sco_membership.model import Event
from sco_membership.rules import RuleSet
from strategies import LedgerLog, ledger_logs

FREE = attrs.evolve(scm.SCO_RULES, name="SCO (free)", members="free")
COW = attrs.evolve(scm.SCO_RULES, name="SCO (COW)", members="cow")


def test_free_identifiers_load_and_answer() -> None:
    records = [
        {"state": "Bek", "kind": "observer_granted", "date": "2005-07-05"},
        {"state": "org:7", "kind": "observer_granted", "date": "2010"},
    ]
    ledger = scm.Ledger.from_records(records, rules=FREE)
    assert ledger.status("Bek", "2006-01-01").status is scm.Status.OBSERVER
    # Any identifier the scheme accepts may be asked about: no events, no status.
    assert ledger.status("Zzz", "2006-01-01").status is scm.Status.NONE
    with pytest.raises(UnknownStateError, match="one matching"):
        ledger.status("no spaces allowed", "2006-01-01")
    with pytest.raises(MalformedDataError, match="record 1: 'a b' is no member identifier"):
        scm.Ledger.from_records([records[0] | {"state": "a b"}], rules=FREE)


def test_a_pattern_of_ones_own() -> None:
    rules = attrs.evolve(FREE, member_pattern=r"M\d{3}")
    assert rules.member("M001") == "M001"
    with pytest.raises(UnknownStateError):
        rules.member("M1")
    assert RuleSet.loads(rules.dumps()) == rules


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": "gleditsch"}, "members are identified by iso3166, cow, free"),
        ({"member_pattern": "x"}, "goes with members = 'free' only"),
        ({"members": "free", "member_pattern": "("}, "member_pattern '\\('"),
    ],
)
def test_a_bad_scheme_is_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(RuleSetError, match=message):
        attrs.evolve(scm.SCO_RULES, name="x", **changes)


def test_cow_abbreviations_with_their_years() -> None:
    bavaria = {"state": "BAV", "kind": "observer_granted", "date": "1850"}
    ledger = scm.Ledger.from_records([bavaria], rules=COW)
    assert ledger.status("BAV", "1860-01-01").status is scm.Status.OBSERVER
    # Bavaria left COW's state system in 1871.
    with pytest.raises(MalformedDataError, match="BAV \\(Bavaria\\) was not in COW's state"):
        scm.Ledger.from_records([bavaria | {"date": "1900"}], rules=COW)
    with pytest.raises(MalformedDataError, match="is no Correlates of War state abbreviation"):
        scm.Ledger.from_records([bavaria | {"state": "XYZ"}], rules=COW)
    # COW's MON is Mongolia; ISO's MNG is COW's Montenegro.
    assert COW.member("MON") == "MON"


def test_iso_members_read_as_before() -> None:
    with pytest.raises(MalformedDataError, match="write the state 'India' as its ISO"):
        scm.Ledger.from_records([{"state": "India", "kind": "application", "date": "2010"}])


@settings(max_examples=60, deadline=None)
@given(log=ledger_logs())
def test_the_fast_path_reads_as_the_full_reader(log: LedgerLog) -> None:
    fast, _, _ = read_records(enumerate(log.records, 1), rules=log.rules)
    slow = [e for r in log.records for e in read_record(r, rules=log.rules)]
    assert fast == slow
    assert all(isinstance(event, Event) for event in fast)


def test_a_doubtful_record_goes_to_the_full_reader_which_names_the_fault() -> None:
    records = [{"state": "IND", "kind": "observer_granted", "date": "2005-02-30"}]
    with pytest.raises(MalformedDataError, match="record 1: 'date'"):
        scm.Ledger.from_records(records)
    records = [{"state": "IND", "kind": "observer_granted", "date": "2005", "recorded": "2006"}]
    with pytest.raises(MalformedDataError, match="'recorded' must be a day"):
        scm.Ledger.from_records(records)
