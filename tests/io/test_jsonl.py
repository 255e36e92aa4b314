from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import (
    DuplicateEventError,
    FileError,
    IllegalTransitionError,
    MalformedDataError,
)
from timing import doubling_ratio

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


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        scm.load(tmp_path / "absent.jsonl")
    assert isinstance(caught.value, OSError)
    assert caught.value.path == str(tmp_path / "absent.jsonl")


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


MNG = '{"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"}'


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005"}', "state"),
        ('{"state": "IND", "kind": "founding", "date": "2001", "date": "2005"}', "date"),
        (
            '{"state": "IND", "kind": "observer_granted", "date": "2005",'
            ' "sources": [{"title": "a", "title": "b"}]}',
            "title",
        ),
    ],
)
def test_a_key_given_twice_is_refused_naming_key_and_line(line: str, key: str) -> None:
    with pytest.raises(MalformedDataError, match=f"the key '{key}' is given twice") as caught:
        scm.loads(f"{MNG}\n\n{line}\n", name="dup.jsonl")
    assert caught.value.line == 3
    assert caught.value.file == "dup.jsonl"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"state": "MNG", "kind": "founding", "date": ' + "1" * 5_000 + "}", "4300 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"note": ' + "[" * 1_001 + "]" * 1_001 + "}", "nested too deeply"),
    ],
    ids=["huge-int", "deep-array", "deep-in-record"],
)
def test_a_huge_int_or_deep_nesting_is_one_line(line: str, reason: str) -> None:
    with pytest.raises(MalformedDataError, match=reason) as caught:
        scm.loads(f"{MNG}\n{line}\n")
    assert caught.value.line == 2
    assert "\n" not in str(caught.value)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (MNG.encode() + b"\n" + '{"note": "\u00e9t\u00e9"}'.encode("latin-1") + b"\n", 2),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 1),
        (b"\n\n\xff\xfe{}", 3),
    ],
    ids=["latin-1", "binary", "utf-16-bom"],
)
def test_a_file_that_is_not_utf8_is_malformed_data(tmp_path: Path, data: bytes, line: int) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    with pytest.raises(MalformedDataError, match="not UTF-8") as caught:
        scm.load(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)


def test_a_utf8_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + LOG.encode("utf-8"))
    assert scm.load(path) == scm.loads(LOG)


def test_load_reads_standard_input_and_dump_writes_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(LOG.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    ledger = scm.load("-")
    assert ledger == scm.loads(LOG)
    scm.dump(ledger, "-")
    assert capsysbinary.readouterr().out.decode("utf-8") == scm.dumps(ledger)


def test_dump_follows_a_symlink_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    ledger = scm.loads(LOG)
    scm.dump(ledger, link)
    assert link.is_symlink()
    assert scm.load(target) == ledger
    assert sorted(os.listdir(tmp_path)) == ["link.jsonl", "real.jsonl"]


def test_dump_writes_a_device_without_replacing_it() -> None:
    scm.dump(scm.loads(LOG), os.devnull)
    assert Path(os.devnull).is_char_device()


def test_a_directory_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="directory"):
        scm.load(tmp_path)
    with pytest.raises(FileError, match="directory"):
        scm.dump(scm.loads(LOG), tmp_path)


def _ids_log(n: int) -> str:
    days = [f"{2000 + k // 300:04d}-{1 + k // 25 % 12:02d}-{1 + k % 25:02d}" for k in range(n)]
    lines = [
        json.dumps({"id": f"e{k}", "state": "IND", "kind": "application", "date": day})
        for k, day in enumerate(days)
    ]
    lines.append(
        json.dumps({"id": f"e{n - 1}", "state": "IND", "kind": "application", "date": "2099"})
    )
    return "\n".join(lines)


def _refuse_duplicate(text: str) -> None:
    with pytest.raises(DuplicateEventError, match="e"):
        scm.loads(text)


def test_a_duplicated_last_id_is_found_in_time_linear_in_the_log() -> None:
    # 20,000 events took 5-6 s: list.count in a loop (History's arranged).
    logs = {n: _ids_log(n) for n in (5_000, 10_000)}
    assert doubling_ratio(lambda n: _refuse_duplicate(logs[n]), 5_000) < 3


_HOSTILE_LINES = st.sampled_from(
    [
        '{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005"}',
        '{"state": "IND", "kind": "observer_granted", "date": "\uff12\uff10\uff10\uff15"}',
        '{"state": "IND", "kind": "observer_granted", "date": "2005", "note": "\\ud800"}',
        '{"state": "IND", "kind": "observer_granted", "date": ' + "9" * 4_400 + "}",
        "[" * 2_000 + "]" * 2_000,
        "\ufeff" + MNG,
        '{"state": "' + "x" * 200_000 + '", "kind": "founding", "date": "2001"}',
        '{"state": "IND", "kind": "founding", "date": "' + "1" * 200_000 + '"}',
    ]
)


@given(lines=st.lists(_HOSTILE_LINES | st.text(max_size=30), max_size=4))
@example(lines=['{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005"}'])
def test_only_library_errors_escape_loads(lines: list[str]) -> None:
    try:
        scm.loads("\n".join([LOG, *lines]))
    except scm.MembershipError as error:
        message = str(error)
        assert "\n" not in message
        assert len(message) < 1_000


def test_a_line_reads_as_json_loads_reads_it_bytes_and_byte_order_mark_included() -> None:
    from sco_membership.io.jsonl import parse_line

    line = '{"state": "IND", "kind": "application", "date": "2010"}'
    assert parse_line(line) == json.loads(line)
    assert parse_line(line.encode()) == json.loads(line)
    with pytest.raises(MalformedDataError, match="Unexpected UTF-8 BOM"):
        scm.loads("\ufeff" + line)
