"""The BRICS data set: a second, real organisation, read through its own rule-set file.

The rule set (``data/brics.toml``) and the event log (``data/brics.jsonl``) ship with the
package. The dated claims below are the sources' own (each is in the log's ``sources``);
where sources disagree, the test asserts the choice the log's ``note`` explains (Saudi
Arabia invited but never a member; Indonesia a partner for five days in January 2025).
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership import EventKind, PartialDate, Stage, Standing, Status
from sco_membership.exceptions import IllegalTransitionError
from sco_membership.io.validate import check_file

DATA = Path(str(importlib.resources.files("sco_membership") / "organisations" / "data"))
RULES_FILE = DATA / "brics.toml"
LOG_FILE = DATA / "brics.jsonl"
RULES = scm.RuleSet.load(RULES_FILE)


BRICS = scm.brics()
RECORDS: list[dict[str, Any]] = [
    json.loads(line) for line in LOG_FILE.read_text("utf-8").splitlines() if line.strip()
]

PARTNER = Status("partner")
MEMBERSHIP_INVITED = Stage("membership_invited")
PARTNERSHIP_INVITED = Stage("partnership_invited")
BRIC = frozenset({"BRA", "CHN", "IND", "RUS"})
BRICS5 = BRIC | {"ZAF"}
NINE = BRICS5 | {"ARE", "EGY", "ETH", "IRN"}
FIRST_PARTNERS = frozenset({"BLR", "BOL", "CUB", "KAZ", "MYS", "THA", "UGA", "UZB"})


def standing(state: str, on: str) -> Standing:
    answer = BRICS.status(state, on)
    assert answer.certain, f"{state} on {on}: {answer.describe()}"
    return answer.standing


# --- The rule set -------------------------------------------------------------------------


def test_rule_set_file_declares_the_brics_vocabulary() -> None:
    assert RULES.name == "BRICS"
    assert RULES.statuses == (Status.NONE, PARTNER, Status.MEMBER)
    assert RULES.stages == (PARTNERSHIP_INVITED, MEMBERSHIP_INVITED)
    assert [kind.value for kind in RULES.kinds] == [
        "founding",
        "application",
        "partnership_invitation",
        "membership_invitation",
        "invitation_declined",
        "partnership_taken_up",
        "membership_taken_up",
        "admission",
        "withdrawal",
    ]
    assert RULES.sources
    assert all(source.url and source.url.startswith("https://") for source in RULES.sources)


@pytest.mark.parametrize("form", ["toml", "json"])
def test_rule_set_round_trips(form: str) -> None:
    assert scm.RuleSet.loads(RULES.dumps(format=form), format=form) == RULES


def test_every_status_is_reachable_and_every_standing_has_a_way_out() -> None:
    reachable = RULES.reachable()
    assert {s.status for s in reachable} == set(RULES.statuses)
    assert RULES.final == frozenset()
    for here in reachable:
        assert RULES.allowed(here), here


def test_cow_codes_are_by_analogy_member_one_partner_zero() -> None:
    assert RULES.cow_code(Status.MEMBER) == 1
    assert RULES.cow_code(PARTNER) == 0
    assert RULES.cow_code(Status.NONE) == 0


def test_an_open_invitation_is_its_own_standing_not_member_or_none() -> None:
    invited = RULES.target(Standing(Status.NONE), EventKind("membership_invitation"))
    assert invited == Standing(Status.NONE, MEMBERSHIP_INVITED)
    assert invited is not None
    assert RULES.target(invited, EventKind("membership_taken_up")) == Standing(Status.MEMBER)
    assert RULES.target(invited, EventKind("invitation_declined")) == Standing(Status.NONE)


def test_a_partner_invited_to_membership_stays_a_partner_meanwhile() -> None:
    invited = RULES.target(Standing(PARTNER), EventKind("membership_invitation"))
    assert invited == Standing(PARTNER, MEMBERSHIP_INVITED)
    assert invited is not None
    assert RULES.target(invited, EventKind("invitation_declined")) == Standing(PARTNER)


def test_membership_cannot_be_taken_up_without_an_invitation() -> None:
    record = {"state": "SAU", "kind": "membership_taken_up", "date": "2024-01-01"}
    with pytest.raises(IllegalTransitionError, match="SAU on 2024-01-01"):
        scm.Ledger.from_records([record], rules=RULES)


def test_an_application_is_recorded_and_changes_nothing() -> None:
    assert RULES.target(Standing(Status.NONE), EventKind("application")) is None
    assert standing("IRN", "2022-07-01") == Standing(Status.NONE)
    assert [e.kind.value for e in BRICS.history("DZA").events][:1] == ["application"]


# --- The data's quality -------------------------------------------------------------------


def test_every_record_has_sources_with_an_address() -> None:
    for record in RECORDS:
        assert record["sources"], record
        for source in record["sources"]:
            assert source["title"].strip()
            assert source["url"].startswith(("http://", "https://")), source


def test_the_log_is_valid_and_its_decisions_complete() -> None:
    report = check_file(DATA / "brics.jsonl", rules=RULES)
    assert report.valid, report
    assert report.warnings == ()
    assert RULES.organisation_wide == frozenset({EventKind.FOUNDING})


def test_dates_are_at_the_precision_the_sources_give() -> None:
    # Kazan: the summit ran 22-24 October 2024 and no source dates the list to a day.
    kazan = [r for r in RECORDS if r["kind"] == "partnership_invitation"]
    assert [r["date"] for r in kazan] == ["2024-10"]
    for record in RECORDS:
        PartialDate.parse(record["date"])


def test_disagreements_carry_a_note() -> None:
    noted = {(r.get("state"), r["kind"]) for r in RECORDS if r.get("note")}
    for key in [
        (None, "founding"),
        ("ZAF", "membership_taken_up"),
        ("ARG", "invitation_declined"),
        ("IDN", "admission"),
        ("VNM", "partnership_taken_up"),
    ]:
        assert key in noted


def test_the_shipped_ledger_is_the_files_read_by_path() -> None:
    assert BRICS.rules == RULES
    assert scm.load(LOG_FILE, rules=RULES) == BRICS


def test_ledger_round_trips_through_records() -> None:
    assert scm.Ledger.from_records(BRICS.to_records(), rules=RULES) == BRICS


def test_the_log_is_written_in_canonical_form() -> None:
    def key(record: dict[str, Any]) -> str:
        return json.dumps(record, sort_keys=True)

    assert sorted(BRICS.to_records(), key=key) == sorted(RECORDS, key=key)


# --- Dated claims -------------------------------------------------------------------------


def test_founded_by_the_four_bric_states_in_september_2006() -> None:
    # "The first ministerial meeting in the BRIC format was held ... in New York on
    # 20 September 2006" (the founding chosen; see the record's note for 2009).
    assert BRICS.members("2006-09-19") == frozenset()
    assert BRICS.members("2006-09-20") == BRIC
    # "The inaugural BRIC summit took place in Yekaterinburg, Russia on June 16, 2009."
    assert BRICS.members("2009-06-16") == BRIC
    assert BRICS.members("2010-01-01") == BRIC


def test_south_africa_invited_on_23_and_a_member_from_24_december_2010() -> None:
    assert standing("ZAF", "2010-12-22") == Standing(Status.NONE)
    assert standing("ZAF", "2010-12-23") == Standing(Status.NONE, MEMBERSHIP_INVITED)
    assert BRICS.members("2010-12-24") == BRICS5
    # Sanya, 14 April 2011: "the first to formally include South Africa".
    assert "ZAF" in BRICS.members("2011-04-14")


def test_six_invited_at_johannesburg_on_24_august_2023() -> None:
    invited = {"ARG", "EGY", "ETH", "IRN", "SAU", "ARE"}
    for state in invited:
        assert standing(state, "2023-08-24") == Standing(Status.NONE, MEMBERSHIP_INVITED)
    assert BRICS.members("2023-12-31") == BRICS5


def test_argentina_declined_and_is_not_a_member_on_2_january_2024() -> None:
    assert standing("ARG", "2023-12-21") == Standing(Status.NONE, MEMBERSHIP_INVITED)
    assert standing("ARG", "2023-12-22") == Standing(Status.NONE)
    assert "ARG" not in BRICS.members("2024-01-02")
    assert BRICS.status("ARG", "2024-01-02").event is not None


def test_four_of_the_six_became_members_on_1_january_2024() -> None:
    # "Egypt, Ethiopia, Iran, and the United Arab Emirates officially became full members on
    # January 1, 2024."
    assert BRICS.members("2024-01-01") == NINE


@pytest.mark.parametrize("on", ["2024-01-01", "2024-01-02", "2025-01-02", "2025-07-07"])
def test_saudi_arabia_is_invited_and_has_not_taken_membership_up(on: str) -> None:
    # "Saudi Arabia has not yet responded to the invitation to join BRICS. It is still under
    # consideration" (a Saudi official source), against the lists that count it a member.
    assert standing("SAU", on) == Standing(Status.NONE, MEMBERSHIP_INVITED)
    assert "SAU" not in BRICS.members(on)
    assert BRICS.status("SAU", on).describe() == "none (membership invited)"


def test_thirteen_invited_as_partners_at_kazan_in_october_2024() -> None:
    invited = FIRST_PARTNERS | {"DZA", "IDN", "NGA", "TUR", "VNM"}
    assert len(invited) == 13
    for state in invited:
        # The month is all the sources give: inside it the answer is honestly open.
        assert not BRICS.status(state, "2024-10-15").certain
        assert standing(state, "2024-11-01") == Standing(Status.NONE, PARTNERSHIP_INVITED)
    assert BRICS.with_status("partner", "2024-12-31") == frozenset()


def test_nine_partners_from_1_january_2025() -> None:
    # Russian MFA: "From January 1, 2025, Belarus, Bolivia, Cuba, Indonesia, Kazakhstan,
    # Malaysia, Thailand, Uganda, Uzbekistan will become BRICS partner states."
    assert BRICS.with_status("partner", "2025-01-02") == FIRST_PARTNERS | {"IDN"}
    assert BRICS.members("2025-01-02") == NINE


def test_indonesia_a_full_member_from_6_january_2025() -> None:
    assert standing("IDN", "2025-01-05") == Standing(PARTNER)
    assert standing("IDN", "2025-01-06") == Standing(Status.MEMBER)
    assert BRICS.members("2025-01-06") == NINE | {"IDN"}
    assert BRICS.with_status("partner", "2025-01-06") == FIRST_PARTNERS


def test_nigeria_the_ninth_partner_from_17_january_2025() -> None:
    # "Nigeria has become the ninth BRICS partner country, joining Belarus, Bolivia, Cuba,
    # Kazakhstan, Malaysia, Thailand, Uganda and Uzbekistan."
    assert standing("NGA", "2025-01-16") == Standing(Status.NONE, PARTNERSHIP_INVITED)
    assert BRICS.with_status("partner", "2025-01-17") == FIRST_PARTNERS | {"NGA"}


def test_vietnam_the_tenth_partner_from_13_june_2025() -> None:
    # "Vietnam joins nine other partner countries - Belarus, Bolivia, Kazakhstan, Cuba,
    # Malaysia, Nigeria, Thailand, Uganda, and Uzbekistan."
    assert "VNM" not in BRICS.with_status("partner", "2025-06-12")
    assert BRICS.with_status("partner", "2025-06-13") == FIRST_PARTNERS | {"NGA", "VNM"}


def test_algeria_and_turkey_invited_as_partners_with_no_answer_recorded() -> None:
    for state in ("DZA", "TUR"):
        assert standing(state, "2025-12-31") == Standing(Status.NONE, PARTNERSHIP_INVITED)


def test_the_latest_roster() -> None:
    roster = BRICS.roster("2025-12-31")
    assert roster[Status.MEMBER] == NINE | {"IDN"}
    assert roster[PARTNER] == FIRST_PARTNERS | {"NGA", "VNM"}
    assert not roster.uncertain


# --- Every date against a naive fold of the raw records -----------------------------------


def _naive(state: str, day: dt.date) -> Standing | None:
    """The standing a plain walk over the JSON records gives; ``None`` inside the window of an
    imprecise event that changes the standing, where no single answer is honest."""
    events = []
    for record in RECORDS:
        if record.get("state") == state or state in record.get("states", ()):
            date = PartialDate.parse(record["date"])
            kind = EventKind(record["kind"])
            events.append((date.first_day, RULES.rank(kind), date, kind))
    here = RULES.initial
    for first, _, date, kind in sorted(events, key=lambda e: (e[0], e[1])):
        if first > day:
            break
        target = RULES.target(here, kind)
        after = here if target is None else target
        if date.last_day > day and after != here:
            return None
        here = after
    return here


STATES = sorted({s for r in RECORDS for s in ([r["state"]] if "state" in r else r["states"])})


@given(
    state=st.sampled_from(STATES),
    day=st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 12, 31)),
)
def test_status_on_any_day_matches_a_naive_fold(state: str, day: dt.date) -> None:
    expected = _naive(state, day)
    answer = BRICS.status(state, day)
    if expected is None:
        assert not answer.certain
    else:
        assert answer.certain
        assert answer.standing == expected


def test_the_data_page_counts_what_the_log_holds() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "brics.md").read_text("utf-8")
    words = " ".join(page.split())
    assert (
        f"{len(RECORDS)} records ({len(BRICS.events)} events) about {len(STATES)} states" in words
    )
    for state in STATES:
        assert f"| {state} |" in page
