"""The COW state table: its file format, its uniqueness, and the codes of the SCO's states."""

from __future__ import annotations

from pathlib import Path

import pytest

import sco_membership as scm
from sco_membership.cow import CowState, cow_state, cow_states
from sco_membership.states import resolve

TSV = Path(scm.__file__).parent / "data" / "cow-states.tsv"

# Checked against the COW State System Membership List v2016 (states2016.csv, two copies) and
# countrycode 0.6.0: every state of the embedded data set, with its COW number and abbreviation.
SCO_STATES = {
    "AFG": (700, "AFG"),
    "ARE": (696, "UAE"),
    "ARM": (371, "ARM"),
    "AZE": (373, "AZE"),
    "BHR": (692, "BAH"),
    "BLR": (370, "BLR"),
    "CHN": (710, "CHN"),
    "EGY": (651, "EGY"),
    "IND": (750, "IND"),
    "IRN": (630, "IRN"),
    "KAZ": (705, "KZK"),
    "KGZ": (703, "KYR"),
    "KHM": (811, "CAM"),
    "KWT": (690, "KUW"),
    "LAO": (812, "LAO"),
    "LKA": (780, "SRI"),
    "MDV": (781, "MAD"),
    "MMR": (775, "MYA"),
    "MNG": (712, "MON"),
    "NPL": (790, "NEP"),
    "PAK": (770, "PAK"),
    "QAT": (694, "QAT"),
    "RUS": (365, "RUS"),
    "SAU": (670, "SAU"),
    "TJK": (702, "TAJ"),
    "TUR": (640, "TUR"),
    "UZB": (704, "UZB"),
    # Applicants that never held a status: the log records their applications.
    "BGD": (771, "BNG"),
    "ISR": (666, "ISR"),
    "SYR": (652, "SYR"),
}


@pytest.mark.parametrize(("alpha3", "expected"), sorted(SCO_STATES.items()))
def test_every_sco_state_has_its_verified_cow_code(alpha3: str, expected: tuple[int, str]) -> None:
    found = cow_state(alpha3)
    assert found is not None
    assert (found.ccode, found.stateabb, found.alpha3) == (*expected, alpha3)


def test_the_table_covers_every_state_of_the_embedded_data() -> None:
    assert set(scm.sco().states) <= set(SCO_STATES)


def test_cow_abbreviations_are_not_iso_codes() -> None:
    # The trap the table exists for: the same three letters name different states.
    assert cow_state("MNG") == CowState(712, "MON", "Mongolia", "MNG")
    assert cow_state("MNE") == CowState(341, "MNG", "Montenegro", "MNE")
    assert cow_state("SWZ") == CowState(572, "SWA", "Swaziland", "SWZ")
    assert cow_state("CHE") == CowState(225, "SWZ", "Switzerland", "CHE")


def test_states_without_an_iso_code_are_listed_but_not_found_by_one() -> None:
    by_number = {state.ccode: state for state in cow_states()}
    assert by_number[260] == CowState(260, "GFR", "German Federal Republic", None)
    assert by_number[347] == CowState(347, "KOS", "Kosovo", None)
    # The Papal States are not the Vatican City: no COW number for VAT.
    assert by_number[327].alpha3 is None
    assert cow_state("VAT") is None


def test_unknown_codes_give_none() -> None:
    assert cow_state("XXX") is None
    assert cow_state("") is None


def test_codes_are_unique_both_ways() -> None:
    states = cow_states()
    assert len(states) == 217
    assert len({s.ccode for s in states}) == len(states)
    assert len({s.stateabb for s in states}) == len(states)
    codes = [s.alpha3 for s in states if s.alpha3 is not None]
    assert len(set(codes)) == len(codes)
    assert [s.ccode for s in states] == sorted(s.ccode for s in states)


def test_every_alpha3_is_an_iso_code_of_the_country_table() -> None:
    for state in cow_states():
        if state.alpha3 is not None:
            assert resolve(state.alpha3) == state.alpha3


def test_the_file_format() -> None:
    raw = TSV.read_bytes()
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert lines[0].startswith("# COW State System Membership List v2016")
    assert "countrycode 0.6.0" in lines[0]
    assert lines[1] == "ccode\tstateabb\tstatenme\talpha3"
    for line in lines[2:]:
        ccode, stateabb, name, alpha3 = line.split("\t")
        assert ccode.isdigit()
        assert not ccode.startswith("0")
        assert len(stateabb) == 3
        assert stateabb.isalpha()
        assert stateabb.isupper()
        assert name == name.strip()
        assert name
        assert alpha3 == "" or (len(alpha3) == 3 and alpha3.isupper())
    assert len(lines) - 2 == len(cow_states())
