"""``validate.check``: every problem of a log at once, each on its line, agreeing with loading."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import FileError, MalformedDataError, MembershipError
from sco_membership.io.records import to_records
from sco_membership.io.validate import Problem, check, check_file
from strategies import LedgerLog, NearMiss, junk_records, ledger_logs, near_misses
from timing import doubling_ratio

GOOD = '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05"}'


def _text(records: list[Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_the_embedded_log_is_valid() -> None:
    report = check(scm.dumps(scm.sco()))
    assert report.valid
    assert report.problems == ()
    assert report.states == len(scm.sco().states)
    assert report.events == len(scm.sco().events)
    assert str(report).startswith("<string>: valid: 127 records, 96 events, 60 claims, 30 states")


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
    with pytest.raises(FileError) as caught:
        check_file(tmp_path / "missing.jsonl")
    assert isinstance(caught.value, OSError)


def test_check_file_reads_any_file_as_loading_does(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode() + b"\n")
    assert check_file(path).valid  # a byte-order mark is skipped
    path.write_bytes(GOOD.encode() + b"\n" + '{"note": "\u00e9"}'.encode("latin-1"))
    with pytest.raises(MalformedDataError, match="not UTF-8") as caught:
        check_file(path)
    assert caught.value.line == 2


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


def _illegal_events(n: int) -> str:
    """n illegal events in one state: each a membership from the start, on its own day."""
    return _text(
        [
            {"state": "IND", "kind": "membership_granted", "date": f"{1001 + k // 365:04d}"}
            | {"id": f"m{k}"}
            for k in range(n)
        ]
    )


def _unknown_retractions(n: int) -> str:
    return _text(
        [
            {
                "state": "IND",
                "kind": "retraction",
                "amends": f"nothing-{k}",
                "recorded": "2026-01-01",
                "reason": "r",
            }
            for k in range(n)
        ]
    )


def _unknown_state(n: int) -> str:
    return _text([{"state": "Atlantis", "kind": "founding", "date": "2001"}] * n)


@pytest.mark.parametrize(
    ("make", "n"),
    [(_illegal_events, 2_000), (_unknown_retractions, 2_000), (_unknown_state, 2_000)],
    ids=["illegal-events", "unknown-retractions", "unknown-state"],
)
def test_every_problem_costs_the_same_however_many_there_are(
    make: Callable[[int], str], n: int
) -> None:
    # Each took seconds on a few thousand records: the history rebuilt after each illegal
    # event, belief after each bad amendment, difflib run again for each unknown name.
    logs = {size: make(size) for size in (n, 2 * n)}
    report = check(logs[n])
    assert len(report.problems) == n
    assert doubling_ratio(lambda size: check(logs[size]), n) < 3


def test_every_illegal_event_of_a_state_is_reported_with_its_own_line() -> None:
    report = check(_illegal_events(5))
    assert [problem.line for problem in report.problems] == [1, 2, 3, 4, 5]
    assert all("is not allowed while none" in problem.message for problem in report.problems)
    retractions = check(_unknown_retractions(3))
    assert [problem.line for problem in retractions.problems] == [1, 2, 3]
    assert "amends 'nothing-2', which is no event" in retractions.problems[2].message


def test_a_key_given_twice_is_a_problem_on_its_line() -> None:
    report = check(
        f'{GOOD}\n{{"state": "IND", "state": "PAK", "kind": "founding", "date": "2001"}}'
    )
    assert [(p.line, p.message) for p in report.problems] == [
        (2, "the key 'state' is given twice in one object")
    ]


_HOSTILE_LINES = [
    '{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005-07-05"}',
    '{"state": "IND", "kind": "observer_granted", "date": "\uff12\uff10\uff10\uff15-07-05"}',
    '{"state": "IND", "kind": "observer_granted", "date": "2005-07-05", "note": "\\ud800"}',
    '{"state": "IND", "kind": "observer_granted", "date": "2005",'
    ' "sources": [{"title": "\\udfff"}]}',
    '{"state": "IND", "kind": "observer_granted", "date": ' + "9" * 4_400 + "}",
    '{"state": "IND", "kind": "observer_granted", "date": "2005", "note": '
    + "[" * 1_100
    + "]" * 1_100
    + "}",
    "\ufeff" + GOOD,
    '{"state": "IND", "kind": "observer_granted", "date": "' + "1" * 100_000 + '"}',
    '{"kind": "retraction", "state": "IND", "amends": "\\ud800", "recorded": "2026-01-01",'
    ' "reason": "r"}',
]


@given(
    log=ledger_logs(max_states=3),
    extra=st.lists(st.sampled_from(_HOSTILE_LINES) | junk_records().map(json.dumps), max_size=3),
    at=st.integers(0, 100),
)
@example(log=None, extra=[_HOSTILE_LINES[0]], at=0)
@example(log=None, extra=[_HOSTILE_LINES[2]], at=0)
def test_a_log_called_valid_loads_round_trips_and_fingerprints(
    log: LedgerLog | None, extra: list[str], at: int
) -> None:
    lines = [json.dumps(record) for record in (log.records if log is not None else [])]
    for line in extra:
        lines.insert(at % (len(lines) + 1), line)
    text = "\n".join(lines)
    report = check(text)
    for problem in report.problems:
        assert "\n" not in problem.message
        assert len(problem.message) < 1_000
    if not report.valid:
        with pytest.raises(MembershipError):
            scm.loads(text)
        return
    ledger = scm.loads(text)
    again = scm.loads(scm.dumps(ledger))
    assert again == ledger
    assert again.fingerprint() == ledger.fingerprint()


# --- claims and sources -------------------------------------------------------------------------

OBSERVER = {
    "state": "PAK",
    "kind": "observer_granted",
    "date": "2005-07-05",
    "sources": [{"title": "Astana Declaration", "published": "2005-07-05"}],
}
CLAIM = {
    "state": "PAK",
    "kind": "claim",
    "says": "observer_granted",
    "date": "2005-06",
    "verdict": "rejected",
    "reason": "the ministers agreed in June; the Council decided in July",
    "event": "observer_granted/PAK/2005-07-05",
    "sources": [{"title": "An analysis"}],
}


def test_every_claim_the_log_cannot_hold_is_reported_on_its_line() -> None:
    orphan = CLAIM | {"event": "observer_granted/PAK/2005-07-06"}
    wrong_kind = CLAIM | {"verdict": "accepted", "date": "2005", "says": "application"}
    report = check(_text([OBSERVER, CLAIM, orphan, CLAIM, wrong_kind]))
    assert [(problem.line, problem.state) for problem in report.problems] == [
        (3, "PAK"),
        (4, "PAK"),
        (5, "PAK"),
    ]
    messages = [problem.message for problem in report.problems]
    assert "which the log does not hold" in messages[0]
    assert "is given twice" in messages[1]
    assert "says 'application', but the event" in messages[2]
    assert check(_text([OBSERVER, CLAIM])).claims == 1
    assert "1 claims" in str(check(_text([OBSERVER, CLAIM])))


def test_sourced_refuses_every_event_record_without_a_dated_source() -> None:
    undated = OBSERVER | {"state": "IND", "sources": [{"title": "A report"}]}
    bare = {"state": "IRN", "kind": "observer_granted", "date": "2005-07-05"}
    text = _text([OBSERVER, undated, bare, CLAIM])
    assert check(text).valid
    report = check(text, sourced=True)
    assert [str(problem) for problem in report.problems] == [
        "line 2: IND: the event 'observer_granted/IND/2005-07-05' cites no source with a"
        " publication date ('published')",
        "line 3: IRN: the event 'observer_granted/IRN/2005-07-05' cites no source",
    ]


def test_the_embedded_log_meets_the_sourced_standard() -> None:
    report = check(scm.dumps(scm.sco()), sourced=True)
    assert report.valid, str(report)
    assert report.claims == len(scm.sco().claims)
