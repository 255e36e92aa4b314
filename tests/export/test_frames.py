"""pandas frames: typed views of the events, the intervals and the panel (the [pandas] extra)."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings

import sco_membership as scm
from sco_membership.exceptions import MissingExtraError, OptionError
from sco_membership.export import frames, panel
from strategies import LedgerLog, ledger_logs

pd = pytest.importorskip("pandas")


def test_the_events_frame_has_one_typed_row_per_event() -> None:
    ledger = scm.sco()
    frame = frames.events_frame(ledger)
    assert list(frame.columns) == list(frames.EVENT_COLUMNS)
    assert len(frame) == len(ledger.events)
    assert str(frame["first_day"].dtype) == "datetime64[s]"
    assert frame["first_day"].is_monotonic_increasing
    saudi = frame[(frame["state"] == "SAU") & (frame["kind"] == "dialogue_partner_memorandum")]
    (row,) = saudi.itertuples()
    assert (row.date, row.precision) == ("2022-09", "month")
    assert (row.first_day, row.last_day) == (
        pd.Timestamp("2022-09-01"),
        pd.Timestamp("2022-09-30"),
    )
    assert row.source_titles
    founding = frame[frame["key"] == "sco-founding"].iloc[0]
    assert founding["cohort"] == "CHN KAZ KGZ RUS TJK UZB"


@settings(max_examples=30)
@given(log=ledger_logs())
def test_the_events_frame_holds_each_event_as_recorded(log: LedgerLog) -> None:
    ledger = scm.Ledger.from_records(log.records)
    frame = frames.to_frame(ledger, "events")
    assert len(frame) == len(log.events)
    expected = sorted(
        (event.state, event.kind.value, event.date.iso, event.date.first_day)
        for event in log.events
    )
    found = sorted(
        (row.state, row.kind, row.date, row.first_day.date()) for row in frame.itertuples()
    )
    assert found == expected


def test_an_unknown_view_is_refused() -> None:
    with pytest.raises(OptionError, match="unknown view 'rows'; known: intervals, events, panel"):
        frames.to_frame(scm.sco(), "rows")  # type: ignore[arg-type]


def test_without_pandas_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r'pip install "sco-membership\[pandas\]"') as info:
        frames.events_frame(scm.sco())
    assert info.value.extra == "pandas"
    assert isinstance(info.value, ImportError)


def test_the_intervals_frame_is_the_intervals_csv_typed() -> None:
    ledger = scm.sco()
    rows = panel.interval_rows(ledger)
    frame = frames.to_frame(ledger)
    assert list(frame.columns) == list(panel.INTERVAL_COLUMNS)
    assert len(frame) == len(rows)
    assert str(frame["start"].dtype) == "datetime64[s]"
    assert str(frame["ccode"].dtype) == "Int64"
    for row, got in zip(rows, frame.to_dict("records"), strict=True):
        assert got["start"] == pd.Timestamp(str(row["start"]))
        assert (row["end"] is None) == pd.isna(got["end"])
        assert (got["state"], got["status"], got["certain"]) == (
            row["state"],
            row["status"],
            row["certain"],
        )


def test_the_panel_frame_is_the_panel_csv_typed() -> None:
    ledger = scm.sco()
    frame = frames.to_frame(ledger, "panel", rule="majority", start=2017, end=2017)
    assert list(frame.columns) == list(panel.panel_columns(scm.SCO_RULES))
    assert len(frame) == len(ledger.states)
    india = frame[frame["iso3"] == "IND"].iloc[0]
    assert (india["SCO"], india["status"], india["days"]) == (1, "member", 206)
    palestine = frames.panel_frame(ledger, start=2020, end=2020, states=["PSE"])
    assert pd.isna(palestine["ccode"].iloc[0])
    assert str(palestine["ccode"].dtype) == "Int64"
    assert palestine["SCO"].iloc[0] == 0


def test_a_brics_panel_frame_has_the_brics_variable_typed() -> None:
    ledger = scm.brics()
    frame = frames.panel_frame(ledger, rule="01-01", start=2010, end=2010)
    assert list(frame.columns) == list(panel.panel_columns(ledger.rules))
    assert "SCO" not in frame.columns
    assert str(frame["BRICS"].dtype) == "Int64"
    members = sorted(frame.loc[frame["BRICS"] == 1, "iso3"])
    assert members == ["BRA", "CHN", "IND", "RUS"]
    rows = panel.panel_rows(ledger, rule="01-01", start=2010, end=2010)
    assert frame["BRICS"].tolist() == [row["BRICS"] for row in rows]
