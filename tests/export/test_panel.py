"""Country-year panels and interval tables: the rules, the COW coding, the CSV form."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import MembershipError, OptionError, UnknownStateError
from sco_membership.export.panel import (
    INTERVAL_COLUMNS,
    MISSING,
    YearRule,
    code_column,
    cow_variable,
    interval_rows,
    panel_columns,
    panel_rows,
    parse_rule,
    to_csv,
)
from sco_membership.ledger import Ledger
from sco_membership.model import Status
from strategies import LedgerLog, ledger_logs
from toys import TOY, TOY_LOG

LEDGER = scm.sco()
PANEL_COLUMNS = panel_columns(scm.SCO_RULES)
BRICS_RULES = scm.RuleSet.load(Path(scm.__file__).parent / "organisations" / "data" / "brics.toml")

TOY_LEDGER = Ledger.from_records(TOY_LOG, rules=TOY)


def one(state: str, year: int, rule: str) -> dict[str, object]:
    (row,) = panel_rows(LEDGER, rule=rule, start=year, end=year, states=[state])
    return row


def brief(row: dict[str, object]) -> tuple[object, ...]:
    return (row["SCO_scm"], row["status"], row["stage"], row["held"], row["certain"])


# --- the rules on the real data ------------------------------------------------------------


@pytest.mark.parametrize("state", ["IND", "PAK"])
def test_india_and_pakistan_2017_under_each_rule(state: str) -> None:
    # Membership granted on 9 June 2017, the 160th day: member on the 206 days left.
    assert brief(one(state, 2017, "dec31")) == (1, "member", None, "member", True)
    assert one(state, 2017, "dec31")["days"] == 206
    assert brief(one(state, 2017, "majority")) == (1, "member", None, "member", True)
    assert brief(one(state, 2017, "any")) == (1, "member", None, "member", True)
    acceding = (3, "acceding", "obligations_signed", "observer", True)
    assert brief(one(state, 2017, "01-01")) == acceding
    assert brief(one(state, 2017, "06-08")) == acceding
    assert brief(one(state, 2017, "06-09"))[:2] == (1, "member")


def test_iran_2023_majority_is_the_accession_not_the_membership() -> None:
    # Member from 4 July 2023: acceding (still observer) 184 days, member 181.
    row = one("IRN", 2023, "majority")
    assert brief(row) == (3, "acceding", "obligations_signed", "observer", True)
    assert row["days"] == 184
    assert brief(one("IRN", 2023, "dec31"))[:2] == (1, "member")
    assert one("IRN", 2023, "dec31")["days"] == 181


def test_belarus_2015_dialogue_partner_then_observer() -> None:
    # Observer from 10 July 2015; dialogue partner before, which COW cannot express (0).
    assert brief(one("BLR", 2015, "dec31")) == (3, "observer", None, "observer", True)
    assert brief(one("BLR", 2015, "any")) == (3, "observer", None, "observer", True)
    partner = (0, "dialogue_partner", None, "dialogue_partner", True)
    assert brief(one("BLR", 2015, "01-01")) == partner
    assert brief(one("BLR", 2015, "majority")) == partner
    assert one("BLR", 2015, "majority")["days"] == 190


def test_years_before_the_sco_are_not_in_existence() -> None:
    rows = panel_rows(LEDGER, start=1996, end=2000)
    assert {row["SCO_scm"] for row in rows} == {-1}
    china = one("CHN", 1998, "dec31")
    assert (china["status"], china["organisation"], china["SCO_scm"]) == (
        "member",
        "Shanghai Five",
        -1,
    )
    assert one("IND", 1998, "dec31")["organisation"] is None
    # 15 June 2001: the SCO exists on 31 December and on most days of 2001, not on 1 January.
    assert one("UZB", 2001, "dec31")["SCO_scm"] == 1
    assert one("IND", 2001, "dec31")["SCO_scm"] == 0
    assert one("IND", 2001, "majority")["SCO_scm"] == 0
    assert one("CHN", 2001, "01-01")["SCO_scm"] == -1
    assert one("CHN", 2001, "dec31")["organisation"] == "Shanghai Cooperation Organisation"


def test_a_month_precise_event_leaves_the_day_open() -> None:
    # Mongolia became an observer in June 2004: a day inside June is open, the last is not.
    row = one("MNG", 2004, "06-15")
    assert (row["certain"], row["status"], row["SCO_scm"]) == (False, "none", -9)
    assert brief(one("MNG", 2004, "06-30")) == (3, "observer", None, "observer", True)
    # Observer on 185 days, none on at most 181: the majority is settled.
    assert brief(one("MNG", 2004, "majority")) == (3, "observer", None, "observer", True)
    # Open, but both possibilities are 0 in COW's terms: the code is settled.
    row = one("ARE", 2023, "05-15")
    assert (row["certain"], row["SCO_scm"]) == (False, 0)


def test_a_year_precise_event_leaves_the_majority_open() -> None:
    # Sri Lanka's memorandum is dated only "2010": dialogue partner surely only on 31 December.
    assert brief(one("LKA", 2010, "dec31")) == (
        0,
        "dialogue_partner",
        None,
        "dialogue_partner",
        True,
    )
    assert one("LKA", 2010, "dec31")["since"] == "2010"
    row = one("LKA", 2010, "majority")
    assert (row["status"], row["stage"], row["certain"], row["SCO_scm"]) == (
        "none",
        "dialogue_partner_decided",
        False,
        0,
    )


def test_the_2025_partner_status_is_no_membership_for_cow() -> None:
    assert brief(one("MNG", 2025, "dec31")) == (0, "partner", None, "partner", True)
    assert brief(one("MNG", 2025, "any")) == (3, "observer", None, "observer", True)
    assert one("TUR", 2025, "dec31")["status"] == "partner"


def test_default_years_states_and_order() -> None:
    rows = panel_rows(LEDGER)
    years = sorted({row["year"] for row in rows})
    assert (years[0], years[-1]) == (1996, 2025)
    assert len(rows) == len(LEDGER.states) * 30
    assert Counter((row["iso3"], row["year"]) for row in rows).most_common(1)[0][1] == 1
    keys = [(row["ccode"], row["year"]) for row in rows]
    assert keys == sorted(keys)
    assert rows[0]["iso3"] == "RUS"
    assert rows[0]["ccode"] == 365
    assert list(rows[0]) == list(PANEL_COLUMNS)


def test_states_by_name_and_states_without_a_cow_number() -> None:
    rows = panel_rows(LEDGER, start=2020, end=2020, states=["Palestine", "India", "IND"])
    assert [row["iso3"] for row in rows] == ["IND", "PSE"]
    palestine = rows[1]
    assert (palestine["ccode"], palestine["stateabb"], palestine["SCO_scm"]) == (None, None, 0)
    assert panel_rows(LEDGER, start=2020, end=2020, states="IND")[0]["iso3"] == "IND"
    with pytest.raises(UnknownStateError):
        panel_rows(LEDGER, states=["Atlantis"])


def test_known_on_is_the_callers_ledger() -> None:
    before = LEDGER.as_known_on("2000-01-01")
    assert panel_rows(before, start=2017, end=2017, states=["IND"])[0]["status"] == "none"


def test_empty_ledgers() -> None:
    empty = Ledger.from_events([])
    assert panel_rows(empty) == []
    assert panel_rows(empty, start=2020, end=2020, states=["IND"])[0]["SCO_scm"] == -1
    assert interval_rows(empty) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (2024, 2001, "bad panel year range (2024, 2001): start 2024 is after end 2001"),
        (2020, 2019, "start 2020 is after end 2019"),
        (2030, None, "start 2030 is after end 2025 (the last event's year)"),
        (None, 1990, "start 1996 (the first event's year) is after end 1990"),
    ],
)
def test_a_reversed_range_is_refused_naming_both_years(
    start: int | None, end: int | None, message: str
) -> None:
    with pytest.raises(OptionError) as caught:
        panel_rows(LEDGER, start=start, end=end)
    assert message in str(caught.value)
    assert (caught.value.option, caught.value.value) == ("panel year range", (start, end))


def test_a_range_of_one_year_is_not_reversed() -> None:
    assert {row["year"] for row in panel_rows(LEDGER, start=2017, end=2017)} == {2017}


# --- other rule sets -------------------------------------------------------------------------


def test_the_sco_panel_codes_by_the_sco_rule_set() -> None:
    assert scm.SCO_RULES.cow_code(Status.OBSERVER) == 3
    assert scm.SCO_RULES.cow_code(Status.ACCEDING) == 0
    assert cow_variable(scm.SCO_RULES) == "SCO"
    # Named apart from COW's own variable, so a merge with COW's data keeps both columns.
    assert code_column(scm.SCO_RULES) == PANEL_COLUMNS[3] == "SCO_scm"


def test_the_brics_panel_names_its_variable_after_the_rule_set() -> None:
    brics = scm.brics()
    rows = panel_rows(brics, rule="01-01", start=2010, end=2010)
    columns = panel_columns(brics.rules)
    assert columns[3] == "BRICS_scm"
    assert "SCO_scm" not in columns
    assert all(list(row) == list(columns) for row in rows)
    members = sorted(str(row["iso3"]) for row in rows if row["BRICS_scm"] == 1)
    assert members == ["BRA", "CHN", "IND", "RUS"]
    assert sorted(str(row["iso3"]) for row in rows if row["status"] == "member") == members
    assert {row["organisation"] for row in rows if row["BRICS_scm"] == 1} == {"BRICS"}
    (south_africa,) = [row for row in rows if row["iso3"] == "ZAF"]
    assert (south_africa["BRICS_scm"], south_africa["status"]) == (0, "none")
    text = to_csv(rows, columns)
    assert text.startswith("ccode,year,stateabb,BRICS_scm,iso3,status,stage,held,certain,")


def toy(state: str, year: int, rule: str) -> tuple[object, ...]:
    (row,) = panel_rows(TOY_LEDGER, rule=rule, start=year, end=year, states=[state])
    return (row["ToyUniontest_scm"], row["status"], row["held"], row["certain"])


def test_a_retaining_status_codes_the_status_held_meanwhile_in_any_rule_set() -> None:
    assert panel_columns(TOY)[3] == "ToyUniontest_scm"
    # A candidate stays an associate: COW's 2, not the candidate's own 0.
    assert toy("ITA", 2003, "dec31") == (2, "candidate", "associate", True)
    assert toy("ITA", 2005, "06-30") == (2, "candidate", "associate", True)
    # Member from 1 July 2005: 184 days against 181 as a candidate.
    assert toy("ITA", 2005, "majority") == (1, "member", "member", True)
    assert toy("ITA", 2005, "any") == (1, "member", "member", True)
    assert toy("ITA", 2001, "01-01") == (0, "none", "none", True)
    # An open month: associate or not, 2 or 0, so COW's "missing".
    assert toy("ESP", 2004, "06-15") == (MISSING, "none", "none", False)
    # Open between associate and candidate: a candidate holds "associate" too, so it is 2.
    assert toy("PRT", 2006, "05-15") == (2, "associate", "associate", False)


def test_years_before_a_toy_founding_are_not_in_existence() -> None:
    assert toy("FRA", 1999, "dec31")[0] == -1
    assert toy("FRA", 2000, "01-01")[0] == -1
    assert toy("FRA", 2000, "majority") == (1, "member", "member", True)
    assert toy("ITA", 2000, "dec31") == (0, "none", "none", True)


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("SCO", "SCO"),
        ("Toy Union (test)", "ToyUniontest"),
        ("EU-27", "EU27"),
        ("Mercosur/Mercosul", "MercosurMercosul"),
        ("ÉCOWAS", "COWAS"),
        ("--", "IGO"),
        ("Year", "Year_IGO"),
        ("status", "status_IGO"),
    ],
)
def test_the_cow_variable_is_the_name_in_letters_and_digits(name: str, variable: str) -> None:
    rules = attrs.evolve(TOY, name=name)
    assert cow_variable(rules) == variable
    columns = panel_columns(rules)
    assert columns[3] == f"{variable}_scm"
    assert len(set(columns)) == len(columns)


# --- rule parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dec31", YearRule("dec31", 12, 31)),
        (" 12-31 ", YearRule("dec31", 12, 31)),
        ("ANY", YearRule("any")),
        ("majority", YearRule("majority")),
        ("07-01", YearRule("07-01", 7, 1)),
        ("02-28", YearRule("02-28", 2, 28)),
    ],
)
def test_rules_parse(text: str, expected: YearRule) -> None:
    assert parse_rule(text) == expected
    assert parse_rule(str(expected)) == expected
    assert parse_rule(expected) == expected


def test_a_hand_made_rule_is_checked_too() -> None:
    with pytest.raises(OptionError):
        panel_rows(LEDGER, rule=YearRule("median"))


@pytest.mark.parametrize(
    "text", ["", "foo", "dec 31", "02-29", "13-01", "04-31", "00-10", "7-1", 5]
)
def test_bad_rules_are_refused(text: object) -> None:
    with pytest.raises(OptionError) as caught:
        parse_rule(text)  # type: ignore[arg-type]
    assert isinstance(caught.value, MembershipError | ValueError)
    with pytest.raises(OptionError):
        panel_rows(LEDGER, rule=text)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end"), [(0, 2000), (2000, 10000), (2000.5, 2001)])
def test_bad_years_are_refused(start: object, end: object) -> None:
    with pytest.raises(OptionError):
        panel_rows(LEDGER, start=start, end=end)  # type: ignore[arg-type]


# --- intervals ------------------------------------------------------------------------------


def test_india_intervals() -> None:
    rows = interval_rows(LEDGER, states=["IND"])
    assert [(r["start"], r["end"], r["status"], r["stage"], r["held"]) for r in rows] == [
        ("2005-07-05", "2015-07-09", "observer", None, "observer"),
        ("2015-07-10", "2016-06-23", "acceding", "procedure_started", "observer"),
        ("2016-06-24", "2017-06-08", "acceding", "obligations_signed", "observer"),
        ("2017-06-09", None, "member", None, "member"),
    ]
    last = rows[-1]
    assert (last["ccode"], last["stateabb"], last["event"], last["event_date"]) == (
        750,
        "IND",
        "membership_granted",
        "2017-06-09",
    )
    assert isinstance(last["sources"], str)
    assert "<http" in last["sources"]
    assert list(last) == list(INTERVAL_COLUMNS)


def test_an_open_interval_names_the_imprecise_event() -> None:
    first, second = interval_rows(LEDGER, states=["MNG"])[:2]
    assert (first["start"], first["end"], first["certain"], first["possible"]) == (
        "2004-06-01",
        "2004-06-29",
        False,
        "none;observer",
    )
    assert (first["event"], first["event_date"]) == ("observer_granted", "2004-06")
    assert (second["start"], second["certain"], second["possible"]) == ("2004-06-30", True, None)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_text() -> None:
    text = to_csv(panel_rows(LEDGER, start=2017, end=2017, states=["IND"]), PANEL_COLUMNS)
    assert text == (
        "ccode,year,stateabb,SCO_scm,iso3,status,stage,held,certain,organisation,since,days\n"
        "750,2017,IND,1,IND,member,,member,true,Shanghai Cooperation Organisation,2017-06-09,206\n"
    )
    assert to_csv([], ("a", "b")) == "a,b\n"
    assert to_csv([{"a": 'x,"y"\nz'}], ("a", "b")) == 'a,b\n"x,""y""\nz",\n'
    # A lone carriage return must be quoted too, or a reader splits the record there.
    text = to_csv([{"a": "x\ry", "b": 1}, {"a": "z"}], ("a", "b"))
    assert list(csv.DictReader(io.StringIO(text))) == [
        {"a": "x\ry", "b": "1"},
        {"a": "z", "b": ""},
    ]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_csv_round_trips_the_real_intervals() -> None:
    rows = interval_rows(LEDGER)
    back = list(csv.DictReader(io.StringIO(to_csv(rows, INTERVAL_COLUMNS))))
    assert back == [{k: _as_text(v) for k, v in row.items()} for row in rows]


# --- properties on generated ledgers --------------------------------------------------------

RULES = st.sampled_from(["dec31", "any", "majority", "01-01", "07-01", "02-28", "12-01"])
RULE_SETS = st.sampled_from([scm.SCO_RULES, TOY, BRICS_RULES])


def logs(*, with_extras: bool = True) -> st.SearchStrategy[LedgerLog]:
    """Valid logs under the SCO's, the BRICS's or a toy rule set."""
    return RULE_SETS.flatmap(
        lambda rules: ledger_logs(rules, with_extras=with_extras, max_gap=400)
    )


def _ledger(log: LedgerLog) -> Ledger:
    return Ledger.from_records(log.records, rules=log.rules)


@given(log=logs(with_extras=False), rule=RULES)
def test_every_state_year_once_and_one_day_rules_agree_with_status(
    log: LedgerLog, rule: str
) -> None:
    ledger = _ledger(log)
    variable = code_column(ledger.rules)
    rows = panel_rows(ledger, rule=rule)
    seen = Counter((row["iso3"], row["year"]) for row in rows)
    assert set(seen.values()) <= {1}
    if rows:
        years = {row["year"] for row in rows}
        assert len(seen) == len(ledger.states) * (max(years) - min(years) + 1)
    parsed = parse_rule(rule)
    for row in rows:
        assert list(row) == list(panel_columns(ledger.rules))
        assert row[variable] in {-9, -1, 0, 1, 2, 3}
        if parsed.month is not None and parsed.day is not None:
            year = row["year"]
            assert isinstance(year, int)
            answer = ledger.status(str(row["iso3"]), dt.date(year, parsed.month, parsed.day))
            assert row["status"] == answer.status.value
            assert row["held"] == answer.held.value
            assert row["stage"] == (None if answer.stage is None else answer.stage.value)
            assert row["certain"] == answer.certain
        if row["certain"] and row[variable] != -1:
            assert row[variable] == ledger.rules.cow_code(Status(row["held"]))


@given(log=logs(with_extras=False), data=st.data())
def test_any_and_majority_against_a_day_by_day_count(log: LedgerLog, data: st.DataObject) -> None:
    ledger = _ledger(log)
    dec31 = panel_rows(ledger, rule="dec31")
    if not dec31:
        return
    row = data.draw(st.sampled_from(dec31))
    state, year = str(row["iso3"]), row["year"]
    assert isinstance(year, int)
    (anyrow,) = panel_rows(ledger, rule="any", start=year, end=year, states=[state])
    (majority,) = panel_rows(ledger, rule="majority", start=year, end=year, states=[state])
    day, counts = dt.date(year, 1, 1), Counter[str]()
    while day.year == year:
        counts[ledger.status(state, day).status.value] += 1
        day += dt.timedelta(days=1)
    rank = {status.value: k for k, status in enumerate(ledger.rules.statuses)}
    assert rank[str(anyrow["status"])] >= rank[str(row["status"])]
    assert rank[str(anyrow["status"])] == max(rank[status] for status in counts)
    assert majority["days"] == counts[str(majority["status"])] == max(counts.values())
    assert row["days"] == counts[str(row["status"])]


@given(log=logs())
def test_intervals_partition_time_and_csv_round_trips(log: LedgerLog) -> None:
    ledger = _ledger(log)
    rows = interval_rows(ledger)
    for state in ledger.states:
        mine = [row for row in rows if row["state"] == state]
        history = ledger.history(state)
        assert len(mine) == len(history.intervals) - 1
        if not mine:
            continue
        assert mine[0]["start"] == dt.date.fromordinal(list(history.spans())[1][0]).isoformat()
        assert mine[-1]["end"] is None
        for before, after in itertools.pairwise(mine):
            assert isinstance(before["end"], str)
            assert isinstance(after["start"], str)
            end = dt.date.fromisoformat(before["end"])
            assert dt.date.fromisoformat(after["start"]) == end + dt.timedelta(days=1)
            assert ledger.status(state, end).status.value == before["status"]
    panel = panel_rows(ledger, rule="majority")
    for table, columns in ((rows, INTERVAL_COLUMNS), (panel, panel_columns(ledger.rules))):
        back = list(csv.DictReader(io.StringIO(to_csv(table, columns))))
        assert back == [{k: _as_text(v) for k, v in row.items()} for row in table]
