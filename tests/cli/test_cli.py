from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sco_membership as scm
from sco_membership.cli import main
from toys import TOY_JSONL, TOY_TOML

LOG = (
    '{"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05",'
    ' "sources": [{"title": "Astana", "url": "https://example.org/astana"}]}\n'
    '{"state": "MNG", "kind": "observer_granted", "date": "2004"}\n'
)


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    """A log whose one event (Mongolia observer, 17 June 2004) was recorded on 1 January 2010."""
    path = tmp_path / "dated.jsonl"
    record = {"state": "MNG", "kind": "observer_granted", "date": "2004-06-17"}
    path.write_text(json.dumps(record | {"recorded": "2010-01-01"}) + "\n", encoding="utf-8")
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


COMMANDS = (
    "status",
    "roster",
    "timeline",
    "explain",
    "diff",
    "changes",
    "validate",
    "export",
    "chart",
    "diagram",
)


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
    assert lines[0].startswith("ccode,year,stateabb,SCO,iso3,status")
    assert len(lines) == 1 + 27
    assert any(line.startswith("750,2017,IND,1,IND,member,") for line in lines)
    out = tmp_path / "panel.csv"
    assert main(["export", "--format", "panel-csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 1 + 27 * 30
    assert not (tmp_path / "panel.csv.partial").exists()


def test_export_intervals_and_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "intervals-csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("state,ccode,stateabb,start,end,status")
    assert len(lines) == 1 + len(scm.sco().events)
    out = tmp_path / "log.jsonl"
    assert main(["export", "--format", "jsonl", "--out", str(out)]) == 0
    assert scm.load(out) == scm.sco()
    assert main(["export", "--format", "jsonl", "--known-on", "2000-01-01"]) == 0
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
    assert text.startswith("ccode,year,stateabb,BRICS,iso3,status,")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (
        sorted(row["iso3"] for row in rows if row["BRICS"] == "1") == roster["statuses"]["member"]
    )
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
    assert capsys.readouterr().out.startswith("ccode,year,stateabb,ToyUniontest,iso3,")
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
