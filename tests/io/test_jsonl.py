from __future__ import annotations

import json
from pathlib import Path

import pytest

import sco_membership as scm
from sco_membership.exceptions import IllegalTransitionError, MalformedDataError

LOG = (
    '{"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"}\n'
    "\n"
    '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05", '
    '"note": "Astana: \\u00e9t\\u00e9"}\n'
)


def test_load_and_dump_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(LOG, encoding="utf-8")
    ledger = scm.load(path)
    assert ledger.with_status("observer", "2005-07-05") == {"IND", "MNG", "PAK"}
    out = tmp_path / "out.jsonl"
    scm.dump(ledger, out)
    assert scm.load(out) == ledger
    assert scm.loads(scm.dumps(ledger)) == ledger
    assert "été" in out.read_text(encoding="utf-8")
    assert not (tmp_path / "out.jsonl.partial").exists()
    assert [
        json.loads(line) for line in scm.dumps(ledger.events).splitlines()
    ] == ledger.to_records()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"state": "MNG", "kind": "observer_granted", "date": "2004"\n', 1, "not valid JSON"),
        ("\n\n[1, 2]\n", 3, "a record is a JSON object"),
        (LOG + '{"state": "MNG", "kind": "nope", "date": "2004"}\n', 4, "unknown kind"),
        (LOG + '{"state": "MNG", "kind": "founding", "date": "June"}\n', 4, "gives no year"),
        (LOG + '{"state": "MNG", "kind": "founding"}\n', 4, "no 'date'"),
    ],
)
def test_malformed_logs_name_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MalformedDataError, match=message) as caught:
        scm.load(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert f"bad.jsonl, line {line}: " in str(caught.value)


def test_an_illegal_history_in_a_file_is_refused() -> None:
    with pytest.raises(IllegalTransitionError, match="MNG on 2004-06-17"):
        scm.loads('{"state": "MNG", "kind": "membership_granted", "date": "2004-06-17"}\n')


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        scm.load(tmp_path / "absent.jsonl")


def test_corrections_and_retractions_survive_a_round_trip(tmp_path: Path) -> None:
    amended = LOG + (
        '{"kind": "correction", "state": "MNG", "amends": "observer_granted/MNG/2004-06-17",'
        ' "set": {"date": "2004-06"}, "recorded": "2026-01-02", "reason": "day unsourced"}\n'
        '{"kind": "retraction", "state": "PAK", "amends": "observer_granted/PAK/2005-07-05",'
        ' "recorded": "2026-01-03", "reason": "test"}\n'
    )
    ledger = scm.loads(amended)
    assert str(ledger.status("MNG", "2004-07-01").since) == "2004-06"
    assert ledger.with_status("observer", "2005-07-05") == {"IND", "MNG"}
    assert ledger.as_known_on("2026-01-01").with_status("observer", "2005-07-05") == {
        "IND",
        "MNG",
        "PAK",
    }
    assert len(ledger.amendments) == 2
    path = tmp_path / "amended.jsonl"
    scm.dump(ledger, path)
    assert scm.load(path) == ledger
    assert scm.loads(scm.dumps(ledger)).fingerprint() == ledger.fingerprint()
