from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sco_membership as scm
from parsers import subcommands
from sco_membership.cli import main
from sco_membership.organisations import sco_release
from toys import TOY_JSONL, TOY_TOML

LOG = (
    '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05",'
    ' "sources": [{"title": "Astana", "url": "https://example.org/astana"}]}\n'
    '{"state": "MNG", "kind": "observer_granted", "date": "2004"}\n'
)


#: The states of the embedded data: 27 that held a status, and 3 that only applied.
STATES = 30


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    """A log whose event about Mongolia (observer, 17 June 2004) was recorded on 1 January
    2010, after one about Pakistan (observer, 5 July 2005) recorded on 1 January 2006."""
    path = tmp_path / "dated.jsonl"
    records = [
        {
            "state": "PAK",
            "kind": "observer_granted",
            "date": "2005-07-05",
            "recorded": "2006-01-01",
        },
        {
            "state": "MNG",
            "kind": "observer_granted",
            "date": "2004-06-17",
            "recorded": "2010-01-01",
        },
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


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
    assert data == {
        "on": "2004-05-01",
        "statuses": {},
        "uncertain": {"MNG": ["none", "observer"]},
        "beyond_horizon": False,
        "horizon": None,
    }


def test_answers_beyond_the_records_horizon_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    horizon = scm.sco().horizon
    assert horizon is not None
    assert main(["status", "IND", "9999-12-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["beyond_horizon"], data["horizon"]) == (True, horizon.isoformat())
    assert main(["status", "IND", "9999-12-31"]) == 0
    assert f"complete only through {horizon.isoformat()}" in capsys.readouterr().out
    assert main(["roster", "9999-12-31", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["beyond_horizon"] is True
    assert main(["status", "IND", horizon.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["beyond_horizon"] is False


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


def test_explain_and_known_on(dated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = dated
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


def test_a_view_that_holds_nothing_yet_says_so(
    dated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["status", "MNG", "2005-01-01", "--events", str(dated), "--known-on", "2005-12-31"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "sco-membership: error: nothing had been recorded by 2005-12-31 (the first entry was"
        " recorded on 2006-01-01): this view holds no answer\n"
    )


COMMANDS = tuple(subcommands())


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert f"examples:\n  sco-membership {command} " in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert f"sco-membership {command} " in capsys.readouterr().out


def test_diff_lists_who_changed_between_two_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "2017-01-01", "2018-01-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2017-01-01 -> 2018-01-01: 2 state(s) changed"
    assert {line.split(":")[0] for line in out[1:]} == {"IND", "PAK"}
    assert "IND: acceding (obligations signed; still observer) -> member" in out
    assert main(["diff", "2017-01-01", "2018-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [entry["state"] for entry in data["changed"]] == ["IND", "PAK"]
    assert data["changed"][0]["from"]["held"] == "observer"
    assert data["changed"][0]["to"]["status"] == "member"


def test_diff_uses_the_record_as_known_on_a_day(
    dated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = dated
    argv = ["diff", "2004-01-01", "2005-01-01", "--events", str(path)]
    assert main([*argv, "--known-on", "2009-12-31"]) == 0
    assert "0 state(s) changed" in capsys.readouterr().out
    assert main(argv) == 0
    assert "1 state(s) changed" in capsys.readouterr().out


def test_changes_between_two_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--from", "2017-01-01", "--to", "2017-12-31"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "2017-06-09 IND: acceding (obligations signed; still observer) -> member",
        "2017-06-09 PAK: acceding (obligations signed; still observer) -> member",
    ]
    assert main(["changes", "--from", "2017-01-01", "--to", "2017-12-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["date"], c["state"], c["event"]) for c in data] == [
        ("2017-06-09", "IND", "membership_granted"),
        ("2017-06-09", "PAK", "membership_granted"),
    ]
    assert all(change["sources"] for change in data)
    assert main(["changes", "--from", "1990-01-01", "--to", "1995-01-01"]) == 0
    assert capsys.readouterr().out == "no change\n"
    assert main(["changes"]) == 0
    everything = capsys.readouterr().out.splitlines()
    assert everything[0].startswith("1996-04-26 CHN: none -> member")
    assert len(everything) > 50


def test_validate_exits_0_only_for_a_valid_log(
    log: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", log]) == 0
    assert capsys.readouterr().out.endswith("valid: 2 records, 3 events, 3 states\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        LOG + "{oops}\n" + '{"state": "IND", "kind": "membership_granted", "date": "2004"}\n',
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"{bad}:line 3: not valid JSON (Expecting property name enclosed in double quotes)"
    )
    assert out[1].startswith(f"{bad}:line 4: IND on 2004:")
    assert out[2] == f"{bad}: 2 problem(s)"
    assert main(["validate", str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    assert [(p["line"], p["state"]) for p in data["problems"]] == [(3, None), (4, "IND")]
    assert main(["validate", str(tmp_path / "missing.jsonl")]) == 2
    assert "No such file" in capsys.readouterr().err


def test_validate_reports_warnings_but_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.jsonl"
    records = [
        {"state": "IND", "kind": "observer_granted", "date": "2005-07-05"},
        {"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"},
        {"states": ["MNG"], "kind": "recategorisation", "date": "2025-09-01"},
    ]
    wide.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["validate", str(wide)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{wide}:line 3: IND: the organisation-wide 'recategorisation'")
    assert out[0].endswith("(warning)")
    assert main(["validate", str(wide), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True
    assert [(w["line"], w["state"]) for w in data["warnings"]] == [(3, "IND")]


def test_export_panel_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["export", "--format", "panel-csv", "--rule", "07-01", "--start", "2017"]
    assert main([*argv, "--end", "2017"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ccode,year,stateabb,SCO_scm,iso3,status")
    assert len(lines) == 1 + STATES
    assert any(line.startswith("750,2017,IND,1,IND,member,") for line in lines)
    out = tmp_path / "panel.csv"
    assert main(["export", "--format", "panel-csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 1 + STATES * 30
    assert not (tmp_path / "panel.csv.partial").exists()


def test_export_intervals_and_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "intervals-csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("state,ccode,stateabb,start,end,status")
    # One row per interval in which a state held a status (an application changes none).
    assert len(lines) == 1 + 84
    out = tmp_path / "log.jsonl"
    assert main(["export", "--format", "jsonl", "--out", str(out)]) == 0
    assert scm.load(out) == scm.sco()
    # A view that holds nothing is refused, not written as an empty file.
    assert main(["export", "--format", "jsonl", "--known-on", "2000-01-01"]) == 2
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "panel-csv", "--rule", "median"], "unknown panel rule 'median'"),
        (["export", "--format", "panel-csv", "--rule", "02-29"], "29 February"),
        (["export", "--format", "panel-csv", "--start", "0"], "bad panel year"),
        (["chart", "--out", "sco.gif"], "chart file suffix"),
        (["chart", "--out", "x.png", "--state", "Atlantis"], "'Atlantis' is not an ISO 3166-1"),
    ],
)
def test_export_and_chart_refuse_bad_options(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_chart_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "sco.png"
    argv = ["chart", "--out", str(out), "--state", "IND", "--state", "Pakistan"]
    assert main([*argv, "--start", "2005-01-01", "--end", "2018-12-31"]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_timeline_uses_the_record_as_known_on_a_day(
    dated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = dated
    argv = ["timeline", "MNG", "--events", str(path)]
    assert main([*argv, "--known-on", "2009-12-31"]) == 0
    assert capsys.readouterr().out == "MNG: no status ever recorded\n"
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("MNG: observer")


# --- other organisations: --organisation and --rules -----------------------------------------


@pytest.fixture
def toy(tmp_path: Path) -> tuple[str, str]:
    """A rule-set file of our own and a log under it."""
    rules, events = tmp_path / "toy.toml", tmp_path / "toy.jsonl"
    rules.write_text(TOY_TOML, encoding="utf-8")
    events.write_text(TOY_JSONL, encoding="utf-8")
    return str(rules), str(events)


@pytest.mark.parametrize(
    "argv",
    [
        ["--organisation", "brics", "status", "IDN", "2025-02-01"],
        ["status", "IDN", "2025-02-01", "--organisation", "brics"],
    ],
)
def test_the_brics_data_set_answers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["state"], data["status"], data["organisation"]) == ("IDN", "member", "BRICS")
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("2025-02-01 IDN: member of the BRICS")


def test_the_brics_roster_export_and_diagram(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--organisation", "brics", "roster", "2010-01-01", "--json"]) == 0
    roster = json.loads(capsys.readouterr().out)
    assert roster["statuses"]["member"] == ["BRA", "CHN", "IND", "RUS"]
    argv = ["--organisation", "brics", "export", "--format", "panel-csv", "--rule", "01-01"]
    assert main([*argv, "--start", "2010", "--end", "2010"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("ccode,year,stateabb,BRICS_scm,iso3,status,")
    rows = list(csv.DictReader(io.StringIO(text)))
    members = sorted(row["iso3"] for row in rows if row["BRICS_scm"] == "1")
    assert members == roster["statuses"]["member"]
    assert main(["--organisation", "brics", "diagram", "--format", "mermaid"]) == 0
    assert "membership_invited" in capsys.readouterr().out
    assert main(["--organisation", "sco", "status", "IND", "2016-06-24"]) == 0
    assert "acceding" in capsys.readouterr().out


def test_a_rule_set_file_reads_an_event_log(
    toy: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    rules, events = toy
    assert main(["--rules", rules, "status", "ITA", "2003-01-01", "--events", events]) == 0
    assert capsys.readouterr().out.startswith("2003-01-01 ITA: associate of the Toy Union")
    # After the command too; Spain's association is dated to the month only.
    argv = ["status", "ESP", "2004-06-15", "--events", events, "--rules", rules, "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["certain"], data["possible"]) == (False, ["associate", "none"])
    assert main(["--rules", rules, "export", "--format", "panel-csv", "--events", events]) == 0
    assert capsys.readouterr().out.startswith("ccode,year,stateabb,ToyUniontest_scm,iso3,")
    assert main(["--rules", rules, "validate", events]) == 0
    assert capsys.readouterr().out.endswith("valid: 7 records, 8 events, 5 states\n")
    assert main(["--rules", rules, "diagram", "--format", "dot"]) == 0
    assert "associate" in capsys.readouterr().out
    # The SCO's rules know none of these kinds.
    assert main(["validate", events]) == 1
    assert "'association'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rules", "{dir}/missing.toml", "diagram"], "cannot read the file"),
        (["--rules", "{dir}/bad.toml", "validate", "{dir}/toy.jsonl"], "not valid TOML"),
        (["--rules", "{dir}/bad.json", "diagram"], "unknown status 'membr'"),
        (["--rules", "{dir}/toy.toml", "roster", "2010-01-01"], "give --events FILE too"),
        (
            ["--rules", "{dir}/toy.toml", "--organisation", "brics", "diagram"],
            "give --organisation or --rules, not both",
        ),
        (
            [
                "--organisation",
                "brics",
                "status",
                "IND",
                "2010-01-01",
                "--rules",
                "{dir}/toy.toml",
                "--events",
                "{dir}/toy.jsonl",
            ],
            "not both",
        ),
    ],
)
def test_a_bad_rule_set_is_one_line_on_stderr_and_status_2(
    toy: tuple[str, str],
    tmp_path: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "bad.toml").write_text("[oops\n", encoding="utf-8")
    bad = '{"name": "Bad", "organisation": "Bad", "statuses": ["none", "member"], "kinds": '
    bad += '["founding"], '
    bad += '"transitions": [{"kind": "founding", "from": ["none"], "to": "membr"}]}'
    (tmp_path / "bad.json").write_text(bad, encoding="utf-8")
    assert main([part.format(dir=tmp_path) for part in argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("sco-membership: error: ")
    assert message in captured.err


def test_an_unknown_organisation_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--organisation", "asean", "roster", "2010-01-01"])
    assert caught.value.code == 2
    assert "invalid choice: 'asean'" in capsys.readouterr().err


# --- exit statuses: no traceback, ever (real processes) --------------------------------------

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full here")
needs_examples = pytest.mark.skipif(not EXAMPLES.exists(), reason="examples are not shipped")
COMMAND = [sys.executable, "-m", "sco_membership"]


def run(
    *argv: str, cwd: Path | None = None, stdin: str | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m sco_membership argv`` in a process of its own."""
    options.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [*COMMAND, *argv],
        cwd=cwd,
        input=stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        **options,
    )


# Each writes more than a pipe holds, or enough to be cut short by `head -1`.
PIPED = [
    ["changes", "--json"],
    ["timeline", "IND", "--json"],
    ["roster", "2016-04-07", "--json"],
    ["explain", "PAK", "2017-06-09"],
    ["export", "--format", "jsonl"],
    ["--help"],
    ["--version"],
]


@pytest.mark.parametrize("argv", PIPED, ids=" ".join)
def test_a_pipe_closed_before_the_output_ends_it_quietly_with_141(argv: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before a byte is written: every write fails
    try:
        done = run(*argv, stdout=writer)
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.parametrize("argv", PIPED[:5], ids=" ".join)
def test_a_reader_that_stops_after_one_line_gets_no_traceback(argv: list[str]) -> None:
    for _ in range(3):  # whether the reader is gone before the last write is a race
        with subprocess.Popen(
            [*COMMAND, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process:
            assert process.stdout is not None
            assert process.stderr is not None
            assert process.stdout.readline()
            process.stdout.close()
            errors = process.stderr.read()
            status = process.wait(timeout=120)
        assert (status, errors) in {(0, b""), (141, b"")}


@pytest.mark.skipif(shutil.which("head") is None, reason="no head here")
def test_head_dash_1_in_a_shell() -> None:
    line = " ".join(map(shlex.quote, [*COMMAND, "changes", "--json"]))
    done = subprocess.run(
        ["sh", "-c", f"{line} | head -1"], capture_output=True, text=True, check=True
    )
    assert (done.stdout, done.stderr) == ("[\n", "")


@needs_dev_full
@pytest.mark.parametrize(
    "argv",
    [["roster", "2016-04-07"], ["export", "--format", "jsonl"], ["--version"], ["--help"]],
    ids=" ".join,
)
def test_a_full_disk_on_standard_output_is_one_line_and_status_2(argv: list[str]) -> None:
    with DEV_FULL.open("w") as full:
        done = run(*argv, stdout=full)
    assert done.returncode == 2
    assert done.stderr == "sco-membership: error: standard output: No space left on device\n"


@needs_dev_full
def test_a_full_disk_behind_out_is_one_line_and_the_device_stays() -> None:
    done = run("export", "--format", "jsonl", "--out", str(DEV_FULL))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "sco-membership: error: /dev/full: No space left on device\n"
    assert stat.S_ISCHR(DEV_FULL.stat().st_mode)  # written to, never replaced (even as root)


def test_text_the_output_encoding_cannot_hold_is_one_line_and_status_2() -> None:
    done = run("status", "MNG", "2005-01-01", env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "sco-membership: error: standard output: its encoding, ascii, cannot hold"
        " '\\u041c': set PYTHONIOENCODING=utf-8\n"
    )


BROKEN = """\
import sys
from sco_membership.ledger import Ledger

def broken(*args, **kwargs):
    raise ZeroDivisionError("division by zero")

Ledger.roster = broken
from sco_membership.cli import main
sys.exit(main(["roster", "2016-04-07"]))
"""


def test_an_unexpected_exception_is_one_line_and_status_3() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BROKEN], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == (
        "sco-membership: internal error: ZeroDivisionError: division by zero; please report it\n"
    )


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (RuntimeError("a bug\nover two lines"), 3, "internal error: RuntimeError: a bug over two"),
        (KeyError(), 3, "internal error: KeyError; please report it"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (FileNotFoundError(2, "No such file or directory", "x.jsonl"), 2, "error: x.jsonl: No"),
    ],
)
def test_every_ending_is_a_status_and_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
    status: int,
    message: str,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(scm.Ledger, "roster", broken)
    assert main(["roster", "2016-04-07"]) == status
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"sco-membership: {message}")


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["status", "IND", "2016-06-24"], 0),
        (["validate", "{log}"], 0),
        (["validate", "{bad}"], 1),
        (["status", "IND"], 2),  # argparse: a missing argument
        (["--organisation", "asean", "roster", "2010-01-01"], 2),
        (["status", "Atlantis", "2010-01-01"], 2),
        (["validate", "{missing}"], 2),
        (["roster", "2010-01-01", "--events", "{missing}"], 2),
    ],
)
def test_exit_statuses_of_a_real_process(
    argv: list[str], status: int, log: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"state": "IND", "kind": "membership_granted", "date": "2004"}\n', "utf-8")
    names = {"log": log, "bad": str(bad), "missing": str(tmp_path / "missing.jsonl")}
    done = run(*(part.format(**names) for part in argv))
    assert done.returncode == status
    assert "Traceback" not in done.stderr
    if status == 2:
        assert done.stdout == ""
        assert done.stderr.startswith(("sco-membership: error: ", "usage: sco-membership"))
    if "{missing}" in argv:
        assert (
            done.stderr
            == f"sco-membership: error: {names['missing']}: No such file or directory\n"
        )


# --- options before and after the command ----------------------------------------------------


@pytest.mark.parametrize(
    ("options", "command"),
    [
        (["--organisation", "brics"], ["roster", "2010-01-01"]),
        (["--events", "{log}"], ["roster", "2006-01-01"]),
        (["--events", "{dated}", "--known-on", "2009-12-31"], ["status", "MNG", "2005-01-01"]),
        (["--known-on", "2009-12-31"], ["timeline", "MNG", "--events", "{dated}"]),
        (["--json"], ["roster", "2004-05-01", "--events", "{log}"]),
        (["--json"], ["diff", "2017-01-01", "2018-01-01"]),
        (["--json"], ["validate", "{log}"]),
        (["--rules", "{rules}", "--events", "{events}"], ["status", "NOR", "2021-06-01"]),
        (["--rules", "{rules}"], ["status", "NOR", "2021-06-01", "--events", "{events}"]),
        (["--events", "{events}"], ["status", "NOR", "2021-06-01", "--rules", "{rules}"]),
        (["--rules", "{rules}"], ["validate", "{events}"]),
        (["--rules", "{rules}"], ["diagram", "--format", "dot"]),
        (["--events", "{log}", "--known-on", "2000-01-01"], ["export", "--format", "jsonl"]),
        (["--organisation", "brics"], ["changes", "--from", "2023-01-01", "--json"]),
    ],
)
def test_global_options_work_before_and_after_the_command(
    options: list[str],
    command: list[str],
    log: str,
    dated: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = {
        "log": log,
        "dated": str(dated),
        "rules": str(EXAMPLES / "example_union.toml"),
        "events": str(EXAMPLES / "example_union.jsonl"),
    }
    options = [part.format(**names) for part in options]
    command = [part.format(**names) for part in command]
    assert main([*options, *command]) == 0
    before = capsys.readouterr()
    assert main([*command, *options]) == 0
    after = capsys.readouterr()
    assert (before.out, before.err) == (after.out, "")
    if "--json" in options:
        json.loads(before.out)


def test_an_option_given_twice_takes_the_one_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--organisation", "brics", "status", "IND", "2016-06-24", "--organisation", "sco"]
    assert main(argv) == 0
    assert "Shanghai Cooperation Organisation" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--events", "x.jsonl", "diagram"], "diagram does not take --events"),
        (["--json", "export", "--format", "jsonl"], "export does not take --json"),
        (["--json", "chart", "--out", "x.png"], "chart does not take --json"),
        (["--known-on", "2010-01-01", "validate", "x.jsonl"], "validate does not take --known-on"),
        (["--events", "x.jsonl", "validate", "x.jsonl"], "validate does not take --events"),
    ],
)
def test_an_option_before_a_command_that_does_not_take_it_is_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == f"sco-membership: error: {message}\n"


def shell_lines(page: Path, start: str) -> list[list[str]]:
    """The command lines of ``page`` that begin with ``start``, as argument lists."""
    text = page.read_text(encoding="utf-8")
    found = re.findall(rf"^\s*`?({re.escape(start)}[^`\n]*)`?\.?$", text, flags=re.MULTILINE)
    return [shlex.split(line)[1:] for line in found]


@needs_examples
@pytest.mark.parametrize(
    ("page", "folder"),
    [(ROOT / "README.md", ROOT), (ROOT / "docs" / "organisations.md", EXAMPLES)],
)
def test_the_rule_set_line_of_the_docs_works_as_written(page: Path, folder: Path) -> None:
    lines = shell_lines(page, "sco-membership --rules ")
    assert lines, f"{page.name} shows no `sco-membership --rules` line"
    for argv in lines:
        done = run(*argv, cwd=folder)
        assert (done.returncode, done.stderr) == (0, ""), argv
        assert done.stdout.startswith("2021-06-01 NOR: member of the Example Union")


# --- --version --------------------------------------------------------------------------------


def test_version_names_the_library_and_the_embedded_data() -> None:
    done = run("--version")
    assert (done.returncode, done.stderr) == (0, "")
    ledger = scm.sco()
    assert ledger.horizon is not None
    assert done.stdout == (
        f"sco-membership {scm.__version__} (SCO membership data"
        f" {ledger.horizon.strftime('%Y.%m.%d')}, complete through {ledger.horizon.isoformat()},"
        f" CC-BY-4.0, sha256:{ledger.fingerprint()[:12]})\n"
    )


def test_the_library_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    assert scm.__version__ == version("sco-membership")
    assert "__version__" in scm.__all__


def test_the_version_is_looked_up_only_when_asked() -> None:
    code = "import sys, sco_membership; print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_without_an_installed_distribution_the_version_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert scm.__version__ == "unknown"


# --- reversed ranges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["export", "--format", "panel-csv", "--start", "2024", "--end", "2001"],
            "--start 2024 is after --end 2001: give the earlier year first",
        ),
        (
            ["changes", "--from", "2018-01-01", "--to", "2017-01-01"],
            "--from 2018-01-01 is after --to 2017-01-01: give the earlier day first",
        ),
        (
            ["changes", "--from", "1 March 2018", "--to", "2018-02-28", "--json"],
            "--from 1 March 2018 is after --to 2018-02-28",
        ),
        (
            ["export", "--format", "panel-csv", "--start", "2030"],
            "start 2030 is after end 2025 (the last event's year)",
        ),
        (
            ["export", "--format", "jsonl", "--start", "2001"],
            "--start and --end choose a panel's years: jsonl has none",
        ),
        (
            ["chart", "--out", "x.png", "--start", "2024-01-01", "--end", "2001-01-01"],
            "end (2001-01-01) must come after its start (2024-01-01)",
        ),
    ],
)
def test_a_reversed_range_is_a_usage_error_naming_both_values(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if argv[0] == "chart":
        pytest.importorskip("matplotlib")
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_a_range_of_one_day_or_year_is_not_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--from", "2017-06-09", "--to", "2017-06-09"]) == 0
    assert capsys.readouterr().out == "no change\n"  # after --from: the day itself is out
    assert main(["export", "--format", "panel-csv", "--start", "2017", "--end", "2017"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + STATES


# --- files: --out and standard input ----------------------------------------------------------


def test_out_dash_writes_to_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "jsonl"]) == 0
    expected = capsys.readouterr().out
    assert main(["export", "--format", "jsonl", "--out", "-"]) == 0
    assert capsys.readouterr().out == expected == scm.dumps(scm.sco())
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_out_replaces_what_a_symbolic_link_points_to_and_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link.symlink_to(target)
    assert main(["export", "--format", "jsonl", "--out", str(link)]) == 0
    assert link.is_symlink()
    assert scm.load(target) == scm.sco()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "real.jsonl"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_out_writes_into_a_fifo_and_leaves_it_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "panel.csv"
    os.mkfifo(fifo)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        read = pool.submit(fifo.read_text, encoding="utf-8")
        assert main(["export", "--format", "intervals-csv", "--out", str(fifo)]) == 0
        assert read.result(timeout=60).startswith("state,ccode,stateabb,start,end,status")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("outdir", "outdir: is a directory, not a file"),
        ("", "'': an empty path names no file"),
        ("missing/x.csv", "missing/x.csv: No such file or directory"),
    ],
)
def test_out_errors_name_the_path_given_and_leave_nothing_behind(
    out: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outdir").mkdir()
    assert main(["export", "--format", "panel-csv", "--out", out]) == 2
    assert capsys.readouterr().err == f"sco-membership: error: {message}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["outdir"]
    assert list((tmp_path / "outdir").iterdir()) == []


@pytest.mark.slow
def test_processes_writing_one_path_at_once_all_succeed(tmp_path: Path) -> None:
    out = tmp_path / "panel.csv"
    argv = [*COMMAND, "export", "--format", "panel-csv", "--out", str(out)]
    for _ in range(3):
        processes = [
            subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
        for process in processes:
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        assert results == [(0, "")] * 3
        assert out.read_text(encoding="utf-8").count("\n") == 1 + STATES * 30
        assert list(tmp_path.iterdir()) == [out]


def test_chart_errors_name_the_path_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    (tmp_path / "folder.png").mkdir()
    argv = ["--state", "IND", "--start", "2015-01-01", "--end", "2018-12-31"]
    assert main(["chart", "--out", str(tmp_path / "folder.png"), *argv]) == 2
    assert capsys.readouterr().err.endswith("folder.png: is a directory, not a file\n")
    missing = tmp_path / "missing" / "x.svg"
    assert main(["chart", "--out", str(missing), *argv]) == 2
    assert (
        capsys.readouterr().err == f"sco-membership: error: {missing}: No such file or directory\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["folder.png"]


def test_validate_dash_reads_standard_input(tmp_path: Path) -> None:
    done = run("validate", "-", stdin=LOG)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "<stdin>: valid: 2 records, 3 events, 3 states\n"
    done = run("validate", "-", "--json", stdin=LOG + "{oops}\n")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert (data["file"], data["valid"], data["problems"][0]["line"]) == ("<stdin>", False, 3)


def test_events_dash_reads_standard_input() -> None:
    done = run("--events", "-", "roster", "2006-01-01", stdin=LOG)
    assert (done.returncode, done.stderr) == (0, "")
    assert "observer: IND, MNG, PAK" in done.stdout
    done = run("--events", "-", "roster", "2006-01-01", stdin="{oops}\n")
    assert done.returncode == 2
    assert done.stderr.startswith("sco-membership: error: <stdin>, line 1: not valid JSON")


# --- claims: --reported-on, --according-to, disputes --------------------------------------------


def test_reported_on_answers_from_what_had_been_published(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["status", "PAK", "2016-06-01", "--reported-on", "2016-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["stage"]) == ("acceding", "procedure_started")
    assert data["beyond_horizon"] is True
    assert data["horizon"] == "2016-01-01"
    assert main(["status", "PAK", "1999-01-01", "--reported-on", "1990-01-01"]) == 2
    assert "none of the record's sources had been published by 1990-01-01" in (
        capsys.readouterr().err
    )


def test_according_to_answers_from_one_source_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "PAK", "2016-01-01", "--according-to", "The Nation"]) == 0
    assert capsys.readouterr().out.startswith("2016-01-01 PAK: member")
    assert main(["status", "PAK", "2016-01-01"]) == 0
    assert "acceding" in capsys.readouterr().out
    assert main(["status", "PAK", "2016-01-01", "--according-to", "Nobody at all"]) == 2
    assert "no claim of the record cites 'Nobody at all'" in capsys.readouterr().err


def test_two_views_at_once_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["status", "PAK", "2016-01-01", "--according-to", "TASS", "--reported-on", "2016"]
    assert main(argv) == 2
    assert "give one of them" in capsys.readouterr().err


def test_disputes_lists_each_side_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disputes", "IRN"]) == 0
    out = capsys.readouterr().out
    assert "IRN: chosen 2022-09-15 obligations signed" in out
    assert "why: " in out
    assert main(["disputes", "IRN", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    chosen = {entry["chosen"]["date"] for entry in data if entry["chosen"]}
    assert "2022-09-15" in chosen
    assert all(claim["verdict"] == "rejected" for entry in data for claim in entry["rejected"])
    assert main(["disputes", "CHN"]) == 0
    assert "CHN: chosen 2001-06-15 founding" in capsys.readouterr().out
    assert main(["disputes", "KAZ", "--known-on", "2026-12-01"]) == 0
    assert capsys.readouterr().out == "no disputed event\n"


def test_explain_json_carries_the_competing_claims(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "PAK", "2016-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(
        claim["source"]["publisher"] == "The Nation" and claim["verdict"] == "rejected"
        for claim in data["claims"]
    )


def test_an_export_of_a_view_that_holds_nothing_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "old.jsonl"
    argv = ["export", "--format", "jsonl", "--known-on", "2020-01-01", "--out", str(out)]
    assert main(argv) == 2
    assert "nothing had been recorded by 2020-01-01" in capsys.readouterr().err
    assert not out.exists()
    assert main(["export", "--format", "jsonl", "--reported-on", "2002-01-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    assert all(json.loads(line)["date"] <= "2002" for line in lines)


def test_every_csv_export_and_chart_names_the_data_it_was_made_from(
    tmp_path: Path, log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    release = f"SCO data {sco_release().version}"
    assert main(["export", "--format", "panel-csv", "--start", "2017", "--end", "2017"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["data_version"] for row in rows} == {release}
    argv = ["export", "--format", "intervals-csv", "--reported-on", "2016-01-01"]
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["data_version"] for row in rows} == {f"{release} as reported on 2016-01-01"}
    assert main(["export", "--format", "intervals-csv", "--events", log]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    fingerprint = scm.load(log).fingerprint()[:12]
    assert {row["data_version"] for row in rows} == {f"log sha256:{fingerprint}"}
    svg = tmp_path / "sco.svg"
    assert main(["chart", "--out", str(svg), "--according-to", "TASS"]) == 0
    assert f"{release} according to TASS" in svg.read_text(encoding="utf-8")


# --- the COW IGO data: reconcile, panels of the whole state system -------------------------------

COW_EXTRACT = Path(__file__).parents[1] / "data" / "cow" / "state_year_extract.csv"


def test_reconcile_reports_every_difference_with_its_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["reconcile", "--cow", str(COW_EXTRACT)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "sco: 3649 state-years compared (rule dec31); 986 differ (942 convention, 44 gap in"
        " COW); coded COW's way, ours agree in 3649 of 3649"
    )
    assert len(lines) == 1 + 986
    assert main(["reconcile", "--cow", str(COW_EXTRACT), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_reason"] == {"convention": 942, "gap in COW": 44}
    assert main(["reconcile", "--cow", str(COW_EXTRACT), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["reason"] for row in rows} == {"convention", "gap in COW"}
    assert main(["reconcile", "--cow", str(COW_EXTRACT), "--org", "un"]) == 2
    assert "the COW table has no organisation 'un'" in capsys.readouterr().err


def test_a_panel_of_the_whole_state_system_coded_as_cow_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["export", "--format", "panel-csv", "--start", "2005", "--end", "2005"]
    assert main([*argv, "--system", "--coding", "cow"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 192  # COW's state system in 2005
    india = next(row for row in rows if row["iso3"] == "IND")
    assert (india["SCO_scm"], india["status"]) == ("0", "observer")  # COW codes no observer
    assert main([*argv, "--system"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert next(row for row in rows if row["iso3"] == "IND")["SCO_scm"] == "3"
    assert main(["export", "--format", "intervals-csv", "--system"]) == 2
    assert "--system and --coding shape a panel" in capsys.readouterr().err


def test_an_export_for_stata_has_its_labels_and_names_its_data(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "sco.dta"
    argv = ["export", "--format", "panel-dta", "--start", "2005", "--end", "2005", "--out"]
    assert main([*argv, str(out), "--system", "--coding", "cow"]) == 0
    with pandas.io.stata.StataReader(out) as reader:
        frame = reader.read(convert_categoricals=False)
        assert reader.data_label == f"SCO data {sco_release().version}"
        assert reader.variable_labels()["SCO_scm"].endswith("(cow coding)")
    assert len(frame) == 192
    intervals = tmp_path / "intervals.dta"
    assert main(["export", "--format", "intervals-dta", "--out", str(intervals)]) == 0
    assert "end_day" in pandas.read_stata(intervals).columns
