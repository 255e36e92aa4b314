"""Every COW organisation as a ledger, and igoR's questions, on the COW extract."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import MalformedDataError, OptionError
from sco_membership.io.cow import read_igo_list, read_state_year, state_year_from_rows
from sco_membership.organisations.cow import (
    COW_RULES,
    cow_ledger,
    igo_dyadic,
    igo_members,
    igo_search,
    igo_state_membership,
    recode,
    state_key,
)

DATA = Path(__file__).parents[1] / "data" / "cow"
TABLE = read_state_year(DATA / "state_year_extract.csv")
ASEAN = cow_ledger(TABLE, "asean")


def test_asean_loads_and_answers_with_honest_uncertainty() -> None:
    assert ASEAN.rules is COW_RULES
    indonesia = ASEAN.status("Indonesia", "1990-06-01")
    assert (indonesia.status, indonesia.since) == (scm.Status.MEMBER, scm.PartialDate(1967))
    founding = ASEAN.status("IDN", "1967-08-08")
    assert not founding.certain
    assert founding.possible == {scm.Status.NONE, scm.Status.MEMBER}
    # Viet Nam joined in 1995; Cambodia, the last of the ten, in 1999.
    assert ASEAN.status("VNM", "1996-01-01").status is scm.Status.MEMBER
    assert ASEAN.status("VNM", "1994-01-01").status is scm.Status.NONE
    assert ASEAN.status("KHM", "2000-01-01").status is scm.Status.MEMBER
    assert sorted(ASEAN.members("2014-06-30")) == [
        "BRN",
        "IDN",
        "KHM",
        "LAO",
        "MMR",
        "MYS",
        "PHL",
        "SGP",
        "THA",
        "VNM",
    ]
    # A COW number is a state wherever one is asked for.
    assert ASEAN.status(850, "1990-01-01").status is scm.Status.MEMBER


def test_the_ledger_agrees_with_cows_code_every_year() -> None:
    for ccode, year, code in TABLE.rows("asean"):
        if year < 1967 or code in (-1, -9):
            continue
        state = state_key(ccode)
        if state.startswith("COW") and state not in ASEAN.states:
            continue  # no ISO code and never a member: no event names it
        answer = ASEAN.status(state, f"{year}-12-31")
        assert COW_RULES.cow_code(answer.status) == code, (state, year)


def test_state_keys() -> None:
    assert state_key(850) == "IDN"
    assert state_key(260) == "DEU"  # the Federal Republic is ISO's DEU before 1990
    assert state_key(265) == "COW265"  # the GDR has no ISO code


def test_an_unknown_organisation_names_the_close_ones() -> None:
    with pytest.raises(MalformedDataError, match="did you mean asean"):
        cow_ledger(TABLE, "aseen")


def test_missing_years_and_rows_years_apart_answer_unknown() -> None:
    rows = [(850, 1955, "ins", 0), (850, 1960, "ins", 1), (850, 1961, "ins", -9)]
    rows += [(850, 1962, "ins", 1)]
    ledger = cow_ledger(state_year_from_rows(["ccode", "year", "state", "x"], rows), "x")
    # Rows five years apart (COW before 1965): the years between are not known.
    assert ledger.status("IDN", "1957-06-01").status.value == "unknown"
    assert ledger.status("IDN", "1961-06-01").possible >= {scm.Status("unknown")}
    assert ledger.status("IDN", "1963-06-01").status is scm.Status.MEMBER


def test_igo_search_finds_by_any_name() -> None:
    igos = read_igo_list(DATA / "igo_names_extract.csv")
    found = [igo.ioname for igo in igo_search(igos, "south ?east asian")]
    assert found == ["ASEAN", "SEAMEO"]  # ASEAN, and its Ministers of Education
    assert "SCO" in [igo.ioname for igo in igo_search(igos, "^Shanghai")]
    with pytest.raises(OptionError):
        igo_search(igos, "(")


@settings(max_examples=40)
@given(year=st.integers(1960, 2014), status=st.sampled_from(["full", "associate", "observer"]))
def test_igo_members_are_the_rows_with_that_code(year: int, status: str) -> None:
    code = {"full": 1, "associate": 2, "observer": 3}[status]
    found = {m.ccode for m in igo_members(TABLE, "asean", year, status=status)}
    expected = {c for c, y, got in TABLE.rows("asean") if y == year and got == code}
    assert found == expected


def test_the_sco_answers_from_the_record_not_from_cow() -> None:
    observers = igo_members(TABLE, "sco", 2005, status="observer")
    assert [m.state for m in observers] == ["IRN", "MNG", "IND", "PAK"]
    assert {m.source for m in observers} == {"record"}
    india = igo_state_membership(TABLE, "IND", 2010)
    assert [(m.org, m.code, m.label) for m in india] == [("sco", 3, "observer")]
    thailand = igo_state_membership(TABLE, 800, 1990)
    assert [(m.org, m.label, m.source) for m in thailand] == [("asean", "full membership", "COW")]


def test_igo_dyadic_codes_joint_full_membership() -> None:
    assert igo_dyadic(TABLE, "CHN", "RUS", 2001) == {"asean": 0, "sco": 1}
    assert igo_dyadic(TABLE, "IDN", "THA", 1970) == {"asean": 1, "sco": 0}
    # The GDR has no row after 1990: not a system member.
    assert igo_dyadic(TABLE, "COW265", "IDN", 1995)["asean"] == -1


def test_recode_is_cows_labels() -> None:
    assert [recode(code) for code in (0, 1, 2, 3, -9, -1)] == [
        "no membership",
        "full membership",
        "associate membership",
        "observer",
        "missing data",
        "IGO not in existence",
    ]
    with pytest.raises(OptionError):
        recode(7)
