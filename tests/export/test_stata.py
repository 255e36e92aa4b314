"""Stata files: names, labels and values as pandas reads them back; the codebook; the writing."""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import FileError, MissingExtraError, OptionError
from sco_membership.export import panel, stata
from sco_membership.ledger import Ledger
from strategies import LedgerLog, ledger_logs
from toys import TOY, TOY_LOG

pd = pytest.importorskip("pandas")

LEDGER = scm.sco()
BRICS_RULES = scm.brics().rules
RULE_SETS = st.sampled_from([scm.SCO_RULES, TOY, BRICS_RULES])


def read(data: bytes) -> tuple[object, dict[str, object]]:
    """The frame (codes, not labels) and the metadata pandas reads from a file's bytes."""
    with pd.io.stata.StataReader(io.BytesIO(data), convert_categoricals=False) as reader:
        frame = reader.read()
        meta = {
            "data_label": reader.data_label,
            "time_stamp": reader.time_stamp,
            "variable_labels": reader.variable_labels(),
            "value_labels": reader.value_labels(),
        }
    return frame, meta


def expected(
    rows: Sequence[Mapping[str, object]], variables: Sequence[stata.Variable]
) -> list[dict[str, object]]:
    """What each cell should read back as: a term as its code, a day as a Timestamp, a missing
    number as NaN, a missing text as the empty string, a flag as 0 or 1."""
    found = []
    for row in rows:
        cells: dict[str, object] = {}
        for variable in variables:
            value = row[variable.column]
            if variable.kind == "text":
                cells[variable.name] = "" if value is None else value
            elif value is None:
                cells[variable.name] = math.nan
            elif variable.kind == "date":
                cells[variable.name] = pd.Timestamp(str(value))
            elif isinstance(value, str):  # a term: its code
                cells[variable.name] = {name: code for code, name in variable.values}[value]
            else:
                cells[variable.name] = int(value)  # type: ignore[call-overload]
        found.append(cells)
    return found


def cells(frame: object) -> list[dict[str, object]]:
    """The frame's rows, missing values as NaN (a date column's NaT too)."""
    rows = frame.to_dict("records")  # type: ignore[attr-defined]
    return [{k: math.nan if pd.isna(v) else v for k, v in row.items()} for row in rows]


def same(got: list[dict[str, object]], want: list[dict[str, object]]) -> None:
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert list(a) == list(b)
        for key in a:
            if isinstance(b[key], float) and math.isnan(b[key]):  # type: ignore[arg-type]
                assert isinstance(a[key], float), key
                assert math.isnan(a[key]), key
            else:
                assert a[key] == b[key], (key, a[key], b[key])


# --- the SCO panel and intervals, read back --------------------------------------------------


def test_the_panel_reads_back_with_its_names_labels_and_values() -> None:
    data = stata.panel_dta(LEDGER, rule="majority", start=2015, end=2018, label="SCO test data")
    frame, meta = read(data)
    variables = stata.panel_variables(scm.SCO_RULES, rule="majority")
    names = [variable.name for variable in variables]
    assert names == list(panel.panel_columns(scm.SCO_RULES))  # nothing renamed in a panel
    assert list(frame.columns) == names
    rows = panel.panel_rows(LEDGER, rule="majority", start=2015, end=2018)
    same(cells(frame), expected(rows, variables))
    assert meta["data_label"] == "SCO test data"
    assert LEDGER.horizon is not None
    assert meta["time_stamp"] == LEDGER.horizon.strftime("%d %b %Y 00:00")
    assert meta["variable_labels"] == {v.name: v.label for v in variables}
    code = panel.code_column(scm.SCO_RULES)
    assert meta["value_labels"] == {
        code: {-9: "missing data", -1: "not in existence", 0: "no membership"}
        | {1: "full membership", 2: "associate membership", 3: "observer"},
        "status": dict(enumerate(s.value for s in scm.SCO_RULES.statuses)),
        "held": dict(enumerate(s.value for s in scm.SCO_RULES.statuses)),
        "stage": dict(enumerate(s.value for s in scm.SCO_RULES.stages)),
    }
    india = frame[(frame["iso3"] == "IND") & (frame["year"] == 2017)].iloc[0]
    assert (india[code], india["status"], india["held"], india["days"]) == (1, 6, 6, 206)
    assert meta["variable_labels"]["status"] == (
        "Status held on most days of the year (year rule majority)"
    )


def test_read_with_labels_the_terms_are_the_csv_names() -> None:
    data = stata.panel_dta(LEDGER, start=2016, end=2017, states=["IND", "MNG"])
    frame = pd.read_stata(io.BytesIO(data))
    rows = panel.panel_rows(LEDGER, start=2016, end=2017, states=["IND", "MNG"])
    assert frame["status"].tolist() == [row["status"] for row in rows]
    assert frame["held"].tolist() == [row["held"] for row in rows]
    assert frame["stage"].astype(object).where(frame["stage"].notna(), None).tolist() == [
        row["stage"] for row in rows
    ]
    assert frame["status"].cat.ordered
    assert frame["SCO_scm"].tolist() == ["observer", "observer", "observer", "full membership"]


def test_the_intervals_rename_end_and_keep_days_as_dates() -> None:
    data = stata.intervals_dta(LEDGER, states=["IND", "MNG"], label="intervals")
    frame, meta = read(data)
    variables = stata.interval_variables(scm.SCO_RULES)
    names = [variable.name for variable in variables]
    assert names == [stata.RENAMED.get(c, c) for c in panel.INTERVAL_COLUMNS]
    assert list(frame.columns) == names
    assert "end" not in names
    assert "end_day" in names
    for column in ("start", "end_day", "until", "recorded"):
        assert str(frame[column].dtype).startswith("datetime64"), column
    rows = panel.interval_rows(LEDGER, states=["IND", "MNG"])
    same(cells(frame), expected(rows, variables))
    assert meta["variable_labels"]["end_day"].startswith("Last day of the interval, included")
    kinds = dict(enumerate(kind.value for kind in scm.SCO_RULES.kinds))
    assert meta["value_labels"]["event"] == kinds
    first = frame[frame["state"] == "IND"].iloc[0]
    assert (first["start"], first["end_day"], first["until"]) == (
        pd.Timestamp("2005-07-05"),
        pd.Timestamp("2015-07-09"),
        pd.Timestamp("2015-07-10"),
    )


def test_the_cow_coding_and_the_whole_state_system_pass_through() -> None:
    data = stata.panel_dta(LEDGER, start=2014, end=2014, coding="cow", system=True)
    frame, meta = read(data)
    rows = panel.panel_rows(LEDGER, start=2014, end=2014, coding="cow", system=True)
    variables = stata.panel_variables(scm.SCO_RULES, coding="cow")
    same(cells(frame), expected(rows, variables))
    label = meta["variable_labels"][panel.code_column(scm.SCO_RULES)]
    assert label == "Relation to the Shanghai Cooperation Organisation, COW IGO code (cow coding)"
    with pytest.raises(OptionError, match="unknown panel coding 'median'"):
        stata.panel_dta(LEDGER, coding="median")


def test_an_empty_ledger_gives_a_file_with_every_variable_and_no_row() -> None:
    empty = Ledger.from_records([])
    for data, variables in (
        (stata.panel_dta(empty), stata.panel_variables(empty.rules)),
        (stata.intervals_dta(empty), stata.interval_variables(empty.rules)),
    ):
        frame, meta = read(data)
        assert frame.shape == (0, len(variables))
        assert list(frame.columns) == [variable.name for variable in variables]
        assert meta["time_stamp"] == "01 Jan 1960 00:00"  # no horizon: Stata's day 0


# --- properties on generated ledgers ---------------------------------------------------------


def logs() -> st.SearchStrategy[LedgerLog]:
    return RULE_SETS.flatmap(lambda rules: ledger_logs(rules, max_gap=400))


@settings(max_examples=40)
@given(log=logs(), rule=st.sampled_from(["dec31", "any", "majority", "07-01"]))
def test_a_generated_panel_reads_back_as_its_rows(log: LedgerLog, rule: str) -> None:
    ledger = Ledger.from_records(log.records, rules=log.rules)
    frame, meta = read(stata.panel_dta(ledger, rule=rule))
    variables = stata.panel_variables(ledger.rules, rule=rule)
    assert list(frame.columns) == [variable.name for variable in variables]
    same(cells(frame), expected(panel.panel_rows(ledger, rule=rule), variables))
    assert meta["variable_labels"] == {v.name: v.label for v in variables}


@settings(max_examples=40)
@given(log=logs())
def test_generated_intervals_read_back_as_their_rows(log: LedgerLog) -> None:
    ledger = Ledger.from_records(log.records, rules=log.rules)
    frame, _ = read(stata.intervals_dta(ledger))
    variables = stata.interval_variables(ledger.rules)
    assert list(frame.columns) == [variable.name for variable in variables]
    same(cells(frame), expected(panel.interval_rows(ledger), variables))


# --- names, labels, long texts ---------------------------------------------------------------


def test_no_name_is_one_stata_reserves() -> None:
    reserved = pd.io.stata.StataParser().RESERVED_WORDS
    words = {word for word in reserved if word.isidentifier()}
    for word in sorted(words | {"str80", "strL", "5G", "x" * 40, "end"}):
        name = stata.stata_name(word)
        assert name not in reserved
        assert name.isidentifier()
        assert len(name) <= 32
        assert not name[0].isdigit()
        # pandas keeps the name as given: it would rename it with a warning (here an error).
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            buffer = io.BytesIO()
            pd.DataFrame({name: [1]}).to_stata(buffer, write_index=False, version=118)
        assert list(pd.read_stata(io.BytesIO(buffer.getvalue())).columns) == [name]
    assert stata.stata_name("end") == "end_day"


@pytest.mark.parametrize(
    ("name", "column"),
    [("5G", "IGO_5G_scm"), ("Union " + "x" * 40, "Unionxxxxxxxxxxxxxxxxxxxxxxxxxxx")],
)
def test_a_rule_set_name_stata_cannot_take_is_renamed_in_the_file(name: str, column: str) -> None:
    rules = attrs.evolve(TOY, name=name)
    ledger = Ledger.from_records(TOY_LOG, rules=rules)
    frame, meta = read(stata.panel_dta(ledger))
    assert list(frame.columns)[3] == column
    assert column in meta["value_labels"]
    assert f"`{column}` | `{panel.code_column(rules)}` |" in stata.panel_codebook(rules)


def test_every_label_fits_stata() -> None:
    for rules in (scm.SCO_RULES, TOY, BRICS_RULES, attrs.evolve(TOY, organisation="O" * 90)):
        for rule in ("dec31", "any", "majority", "02-28"):
            for variable in stata.panel_variables(rules, rule=rule, coding="cow"):
                assert 0 < len(variable.label) <= 80, variable
        for variable in stata.interval_variables(rules):
            assert 0 < len(variable.label) <= 80, variable


def test_a_text_longer_than_stata_str_or_holding_a_nul_is_a_strl() -> None:
    title = "Декларация " * 300  # 22 bytes a word: far past 2,045 bytes
    record = {
        "state": "IND",
        "kind": "observer_granted",
        "date": "2005-07-05",
        "sources": [{"title": title, "url": "https://example.org/a"}],
        "place": "Astana\x00",  # a fixed-width Stata string would end at the NUL
    }
    ledger = Ledger.from_records([record])
    frame, _ = read(stata.intervals_dta(ledger))
    assert frame["sources"].tolist() == [f"{title} <https://example.org/a>"]
    assert len(frame["sources"].iloc[0].encode()) > 2045
    assert frame["place"].tolist() == ["Astana\x00"]


def test_the_data_label_is_checked_not_cut(tmp_path: Path) -> None:
    out = tmp_path / "panel.dta"
    with pytest.raises(OptionError, match="at most 80 characters, not 81 characters"):
        stata.write_panel_dta(LEDGER, out, label="x" * 81)
    with pytest.raises(OptionError, match="not int"):
        stata.panel_dta(LEDGER, label=7)  # type: ignore[arg-type]
    assert not out.exists()
    _, meta = read(stata.panel_dta(LEDGER, start=2001, end=2001, label="é" * 80))
    assert meta["data_label"] == "é" * 80


# --- the codebook ----------------------------------------------------------------------------


def test_the_codebook_lists_every_variable_with_its_label_and_values() -> None:
    text = stata.intervals_codebook(scm.SCO_RULES)
    lines = text.splitlines()
    assert lines[0] == "# Codebook: SCO intervals"
    table = [line for line in lines if line.startswith("| `")]
    variables = stata.interval_variables(scm.SCO_RULES)
    assert [line.split("`")[1] for line in table] == [v.name for v in variables]
    assert "| `end_day` | `end` | date (%td) | Last day of the interval, included" in text
    assert "separated by \\| |" in text  # a bar in a label does not split the cell
    status = next(line for line in table if line.startswith("| `status`"))
    assert status.endswith(
        "| 0 `none`; 1 `dialogue_partner`; 2 `partner`; 3 `observer`; "
        "4 `acceding`; 5 `suspended`; 6 `member` |"
    )
    book = stata.panel_codebook(scm.SCO_RULES, rule="01-01")
    assert book.splitlines()[0] == "# Codebook: SCO country-year panel, year rule 01-01"
    assert "the year's status is the status on 1 January." in book
    assert "-9 `missing data`; -1 `not in existence`; 0 `no membership`" in book
    with pytest.raises(OptionError):
        stata.panel_codebook(scm.SCO_RULES, rule="02-29")


# --- writing ---------------------------------------------------------------------------------


def test_a_file_is_written_whole_and_the_same_data_give_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "sco.dta"
    stata.write_panel_dta(LEDGER, out, start=2001, end=2025, label="SCO data")
    first = out.read_bytes()
    assert first == stata.panel_dta(LEDGER, start=2001, end=2025, label="SCO data")
    stata.write_panel_dta(LEDGER, out, start=2001, end=2025, label="SCO data")
    assert out.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["sco.dta"]  # no temporary file left
    stamped = stata.panel_dta(
        LEDGER, start=2001, end=2001, time_stamp=dt.datetime(2027, 3, 4, 5, 6)
    )
    assert read(stamped)[1]["time_stamp"] == "04 Mar 2027 05:06"
    for bad in (dt.date(2027, 3, 4), dt.datetime(999, 1, 1)):
        with pytest.raises(OptionError, match="a datetime in the years 1000-9999"):
            stata.panel_dta(LEDGER, time_stamp=bad)  # type: ignore[arg-type]
    # A horizon before the year 1000 (no real record) leaves the stamp at Stata's day 0.
    old = Ledger.from_records(
        [{"state": "CHN", "kind": "founding", "date": "2001-06-15", "recorded": "0999-01-01"}]
    )
    assert read(stata.panel_dta(old))[1]["time_stamp"] == "01 Jan 1960 00:00"
    stata.write_intervals_dta(LEDGER, tmp_path / "intervals.dta", states=["IND"])
    frame, _ = read((tmp_path / "intervals.dta").read_bytes())
    assert frame["state"].tolist() == ["IND"] * 4


def test_a_bad_option_or_path_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "sco.dta"
    out.write_bytes(b"old")
    with pytest.raises(OptionError, match="unknown panel rule 'median'"):
        stata.write_panel_dta(LEDGER, out, rule="median")
    with pytest.raises(OptionError, match="is after"):
        stata.write_panel_dta(LEDGER, out, start=2024, end=2001)
    assert out.read_bytes() == b"old"
    with pytest.raises(FileError, match="is a directory"):
        stata.write_panel_dta(LEDGER, tmp_path)


def test_without_pandas_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    out = tmp_path / "sco.dta"
    with pytest.raises(MissingExtraError, match=r'pip install "sco-membership\[pandas\]"'):
        stata.write_panel_dta(LEDGER, out)
    with pytest.raises(MissingExtraError):
        stata.intervals_dta(LEDGER)
    assert not out.exists()
    assert stata.panel_codebook(scm.SCO_RULES)  # the codebook needs no pandas
