"""``validate.check``: every problem of a log at once, each on its line, agreeing with loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import MembershipError
from sco_membership.io.records import to_records
from sco_membership.io.validate import Problem, check, check_file
from strategies import LedgerLog, NearMiss, junk_records, ledger_logs, near_misses

GOOD = '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05"}'


def _text(records: list[Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_the_embedded_log_is_valid() -> None:
    report = check(scm.dumps(scm.sco()))
    assert report.valid
    assert report.problems == ()
    assert report.states == len(scm.sco().states)
    assert report.events == len(scm.sco().events)
    assert str(report).startswith("<string>: valid: 60 records, 84 events, 27 states")


def test_every_problem_is_reported_with_its_line() -> None:
    lines = [
        GOOD,  # 1: fine
        '{"state": "IND", "kind": "observer_granted"',  # 2: bad JSON
        "",  # blank: skipped, still counted as a line
        '{"state": "IND", "kind": "nope", "date": "2010"}',  # 4: unknown kind
        '{"state": "PAK", "kind": "membership_granted", "date": "2006-01-01"}',  # 5: illegal
        '{"state": "IND", "kind": "observer_granted", "date": "2005-07-05"}',  # 6: duplicate
        '{"kind": "retraction", "state": "IRN", "amends": "x", "recorded": "2026-01-01",'
        ' "reason": "r"}',  # 7: amends nothing
        '{"state": "IND", "kind": "accession_started", "date": "2015-07-10"}',  # 8: fine
        '{"state": "XXX", "kind": "observer_granted", "date": "2005"}',  # 9: unknown state
    ]
    report = check("\n".join(lines), name="log.jsonl")
    assert not report.valid
    assert [problem.line for problem in report.problems] == [2, 4, 5, 6, 7, 9]
    messages = {problem.line: problem.message for problem in report.problems}
    assert "not valid JSON" in messages[2]
    assert "unknown kind" in messages[4]
    assert "'membership_granted' is not allowed while observer" in messages[5]
    assert "already used on line 1" in messages[6]
    assert "amends 'x', which is no event" in messages[7]
    assert "XXX" in messages[9]
    assert report.records == 8
    text = str(report)
    assert text.splitlines()[0].startswith("log.jsonl:line 2: not valid JSON")
    assert text.endswith("log.jsonl: 6 problem(s)")


def test_one_illegal_event_is_reported_once_and_the_rest_still_checked() -> None:
    lines = [
        '{"state": "IND", "kind": "membership_granted", "date": "2001-01-01"}',  # illegal
        '{"state": "IND", "kind": "observer_granted", "date": "2005-07-05"}',  # fine without it
        '{"state": "IND", "kind": "observer_granted", "date": "2006-07-05"}',  # illegal again
    ]
    report = check("\n".join(lines))
    assert [(problem.line, problem.state) for problem in report.problems] == [
        (1, "IND"),
        (3, "IND"),
    ]


def test_a_correction_that_makes_a_history_illegal_points_at_the_event() -> None:
    lines = [
        GOOD,
        '{"state": "IND", "kind": "accession_started", "date": "2015-07-10"}',
        '{"kind": "correction", "state": "IND", "amends": "accession_started/IND/2015-07-10",'
        ' "set": {"date": "2001"}, "recorded": "2026-01-01", "reason": "r"}',
    ]
    report = check("\n".join(lines))
    assert [problem.line for problem in report.problems] == [2]


def test_check_file_names_the_file_and_refuses_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(GOOD + "\n", encoding="utf-8")
    report = check_file(path)
    assert report.valid
    assert report.name == str(path)
    with pytest.raises(FileNotFoundError):
        check_file(tmp_path / "missing.jsonl")


def test_a_problem_prints_its_line() -> None:
    assert str(Problem(3, "bad")) == "line 3: bad"
    assert str(Problem(None, "bad")) == "bad"


@given(log=ledger_logs())
def test_a_generated_valid_log_has_no_problem(log: LedgerLog) -> None:
    report = check(_text(list(log.records)))
    assert report.valid, report.problems
    assert report.events == len(log.events)


@given(near=near_misses())
def test_a_near_miss_is_found_on_the_line_of_the_illegal_event(near: NearMiss) -> None:
    records = to_records(near.events)
    report = check(_text(records))
    line = next(
        number
        for number, record in enumerate(records, start=1)
        if record["kind"] == near.illegal.kind.value and record["date"] == near.illegal.date.iso
    )
    assert line in {problem.line for problem in report.problems}
    with pytest.raises(MembershipError):
        scm.loads(_text(records))


@given(records=st.lists(junk_records(), max_size=4), log=ledger_logs(max_states=2))
def test_valid_exactly_when_the_log_loads(records: list[Any], log: LedgerLog) -> None:
    text = _text([*log.records, *records])
    report = check(text)
    try:
        scm.loads(text)
    except MembershipError as error:
        assert not report.valid
        line = getattr(error, "line", None)
        if line is not None:
            assert line in {problem.line for problem in report.problems}
    else:
        assert report.valid, report.problems


def test_an_organisation_wide_decision_must_name_every_state_it_applies_to() -> None:
    log = "\n".join(
        json.dumps(record)
        for record in [
            {"states": ["CHN", "RUS"], "kind": "founding", "date": "2001-06-15"},
            {"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"},
            {"state": "IND", "kind": "observer_granted", "date": "2005-07-05"},
            {"state": "IRN", "kind": "observer_granted", "date": "2025"},  # uncertain: left alone
            {"states": ["MNG"], "kind": "recategorisation", "date": "2025-09-01"},
        ]
    )
    report = check(log, name="wide.jsonl")
    assert report.valid
    assert [(w.line, w.state) for w in report.warnings] == [(5, "IND")]
    assert "'recategorisation' of 2025-09-01 does not name it" in report.warnings[0].message
    assert "was observer the day before" in report.warnings[0].message
    assert str(report).splitlines()[0].endswith("(warning)")


def test_the_embedded_decisions_name_every_state_they_apply_to() -> None:
    from sco_membership.organisations import _DATA

    report = check_file(Path(_DATA) / "sco.jsonl")
    assert report.valid
    assert report.warnings == ()
