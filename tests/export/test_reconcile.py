"""COW's SCO variable against the record: the COW-compatible coding reproduces COW, a panel of
the whole state system merges with COW's data, and every difference has its reason.

The COW data are the extract in ``tests/data/cow`` (see its README for the citation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.cow import system
from sco_membership.export.panel import code_column, panel_rows
from sco_membership.export.reconcile import REASONS, reconcile
from sco_membership.io.cow import CowStateYear, read_state_year, state_year_from_rows
from strategies import LedgerLog, ledger_logs

EXTRACT = Path(__file__).parents[1] / "data" / "cow" / "state_year_extract.csv"
# The 27 states that ever held an SCO status.
HELD = sorted(code for code in scm.sco().states if scm.sco().history(code).timeline())


@pytest.fixture(scope="module")
def table() -> CowStateYear:
    return read_state_year(EXTRACT)


def cow_sco(table: CowStateYear) -> dict[tuple[int, int], int]:
    return {(c, y): code for c, y, code in table.rows("sco") if 1996 <= y <= 2014}


def test_the_cow_coding_reproduces_cows_sco_variable_in_513_of_513(table: CowStateYear) -> None:
    assert len(HELD) == 27
    rows = panel_rows(scm.sco(), start=1996, end=2014, states=HELD, coding="cow")
    ours = {(row["ccode"], row["year"]): row[code_column(scm.SCO_RULES)] for row in rows}
    theirs = cow_sco(table)
    assert len(ours) == 513
    assert sum(ours[key] == theirs[key] for key in ours) == 513


def test_the_library_coding_differs_in_179_of_those_513_for_known_reasons(
    table: CowStateYear,
) -> None:
    rows = panel_rows(scm.sco(), start=1996, end=2014, states=HELD)
    theirs = cow_sco(table)
    column = code_column(scm.SCO_RULES)
    differ = [row for row in rows if row[column] != theirs[row["ccode"], row["year"]]]
    assert len(differ) == 179
    before_2001 = [row for row in differ if int(str(row["year"])) <= 2000]
    observers = [row for row in differ if row["held"] == "observer"]
    assert (len(before_2001), len(observers)) == (135, 44)


def test_a_panel_of_the_whole_system_merges_with_cows_data_leaving_none_unmatched(
    table: CowStateYear,
) -> None:
    rows = panel_rows(scm.sco(), start=1996, end=2014, system=True)
    ours = {(row["ccode"], row["year"]) for row in rows}
    assert len(ours) == len(rows)  # one row per state-year
    assert ours == set(cow_sco(table))
    # Numbered as COW numbers each state that year: Serbia is 345 ("YUG").
    serbia = [row for row in rows if row["iso3"] == "SRB"]
    assert {(row["ccode"], row["stateabb"]) for row in serbia} == {(345, "YUG")}


def test_every_difference_has_its_reason(table: CowStateYear) -> None:
    found = reconcile(scm.sco(), table, "sco")
    assert found.agreed == found.compared
    assert found.by_reason == {"convention": 942, "gap in COW": 44}
    assert all(difference.reason in REASONS and difference.detail for difference in found)
    china = next(d for d in found if d.state == "CHN" and d.year == 1996)
    assert (china.cow, china.ours, china.reason) == (1, -1, "convention")
    assert "Shanghai Five" in china.detail
    india = next(d for d in found if d.state == "IND" and d.year == 2005)
    assert (india.cow, india.ours, india.reason) == (0, 3, "gap in COW")
    data = json.loads(found.to_json())
    assert data["by_reason"] == found.by_reason
    assert len(data["differences"]) == len(found)
    assert found.to_csv().count("\n") == 1 + len(found)


def test_a_wrong_record_is_unexplained_and_a_day_of_the_year_is_a_year_rule(
    table: CowStateYear,
) -> None:
    records = scm.sco().to_records()
    # Uzbekistan "joined" on 1 July 2002 instead of at the founding: 2001 then differs.
    wrong = [record for record in records if record.get("kind") != "claim"]
    for record in wrong:
        if record.get("id") == "sco-founding":
            record["states"] = [s for s in record["states"] if s != "UZB"]
    wrong.append({"state": "UZB", "kind": "founding", "date": "2002-07-01", "organisation": "SCO"})
    ledger = scm.Ledger.from_records(wrong)
    found = {(d.state, d.year): d for d in reconcile(ledger, table, "sco")}
    assert found["UZB", 2001].reason == "unexplained"
    # The rule "any" or 1 January would not give 2002 as a member year either: 2002 is coded
    # by 31 December, as COW codes it; under rule 01-01 it differs by the year rule.
    by_day = {(d.state, d.year): d for d in reconcile(ledger, table, "sco", rule="01-01")}
    assert by_day["UZB", 2002].reason == "year rule"


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(log=ledger_logs(), first=st.integers(1995, 2025))
def test_a_whole_system_panel_has_each_cow_state_year_once(log: LedgerLog, first: int) -> None:
    ledger = scm.Ledger.from_records(log.records)
    rows = panel_rows(ledger, start=first, end=first + 1, system=True, coding="cow")
    keys = [(row["ccode"], row["year"]) for row in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(s.ccode, y) for y in (first, first + 1) for s in system(y)}
    assert {row[code_column(ledger.rules)] for row in rows} <= {-9, -1, 0, 1, 2, 3}


@settings(max_examples=25, deadline=None)
@given(log=ledger_logs(), first=st.integers(1995, 2025))
def test_a_table_coded_as_the_library_codes_reconciles_without_difference(
    log: LedgerLog, first: int
) -> None:
    ledger = scm.Ledger.from_records(log.records)
    column = code_column(ledger.rules)
    rows = panel_rows(ledger, start=first, end=first + 2, system=True)
    table = state_year_from_rows(
        ["ccode", "year", "state", "org"],
        [(row["ccode"], row["year"], str(row["iso3"]), row[column]) for row in rows],
    )
    found = reconcile(ledger, table, "org")
    assert found.differences == ()
