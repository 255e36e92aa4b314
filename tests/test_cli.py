from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sco_membership.cli import main

LOG = (
    '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05",'
    ' "sources": [{"title": "Astana", "url": "https://example.org/astana"}]}\n'
    '{"state": "MNG", "kind": "observer_granted", "date": "2004"}\n'
)


@pytest.fixture
def log(tmp_path: Path) -> str:
    path = tmp_path / "events.jsonl"
    path.write_text(LOG, encoding="utf-8")
    return str(path)


def test_status_prints_the_answer_and_its_sources(
    log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "India", "2006-01-01", "--events", log]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2006-01-01 IND: observer of the Shanghai Cooperation Organisation")
    assert "source: Astana <https://example.org/astana>" in out


def test_status_json(log: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "MNG", "2004-05-01", "--json", "--events", log]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["state"] == "MNG"
    assert data["on"] == "2004-05-01"
    assert data["certain"] is False
    assert data["possible"] == ["none", "observer"]


def test_roster_text_and_json(log: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roster", "2006-01-01", "--events", log]) == 0
    assert "observer: IND, MNG, PAK" in capsys.readouterr().out
    assert main(["roster", "2004-05-01", "--json", "--events", log]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"on": "2004-05-01", "statuses": {}, "uncertain": {"MNG": ["none", "observer"]}}


def test_timeline(log: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "PAK", "--events", log]) == 0
    assert capsys.readouterr().out.startswith("PAK: observer")
    assert main(["timeline", "PAK", "--json", "--events", log]) == 0
    assert [entry["status"] for entry in json.loads(capsys.readouterr().out)] == ["observer"]
    assert main(["timeline", "USA", "--events", log]) == 0
    assert "no status ever recorded" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "Atlantis", "2010-01-01"], "'Atlantis' is not an ISO 3166-1"),
        (["status", "IND", "June 2010"], "a query is about one day"),
        (["roster", "someday"], "cannot read 'someday'"),
        (["status", "IND", "2010-01-01", "--events", "/nonexistent/log.jsonl"], "No such file"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_a_malformed_log_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(LOG + "{oops}\n", encoding="utf-8")
    assert main(["roster", "2010-01-01", "--events", str(path)]) == 2
    assert "bad.jsonl, line 3: not valid JSON" in capsys.readouterr().err


def test_python_dash_m_runs_the_command_on_the_embedded_data() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sco_membership", "status", "IND", "2016-06-24", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    assert (data["status"], data["stage"], data["held"]) == (
        "acceding",
        "obligations_signed",
        "observer",
    )


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "sco-membership status IND 2016-06-24" in capsys.readouterr().out


def test_explain_and_known_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dated.jsonl"
    record = {"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"}
    path.write_text(json.dumps(record | {"recorded": "2010-01-01"}) + "\n", encoding="utf-8")
    assert main(["explain", "MNG", "2005-01-01", "--events", str(path)]) == 0
    out = capsys.readouterr().out
    assert "rule: observer_granted: none -> observer" in out
    assert "recorded 2010-01-01" in out
    assert (
        main(
            [
                "status",
                "MNG",
                "2005-01-01",
                "--known-on",
                "2009-12-31",
                "--json",
                "--events",
                str(path),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "none"
    assert len(data["fingerprint"]) == 64
    assert main(["explain", "MNG", "2005-01-01", "--json", "--events", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == {"kind": "observer_granted", "from": "none", "to": "observer"}
    assert data["events"][0]["recorded"] == "2010-01-01"
    assert main(["roster", "2005-01-01", "--known-on", "2010-01-01", "--events", str(path)]) == 0
    assert "observer: MNG" in capsys.readouterr().out
