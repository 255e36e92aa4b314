"""pandas frames: typed views of the events, the intervals and the panel (the [pandas] extra)."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings

import sco_membership as scm
from sco_membership.dates import Precision
from sco_membership.exceptions import MissingExtraError, OptionError
from sco_membership.export import frames, panel
from strategies import LedgerLog, ledger_logs
from toys import TOY, TOY_LOG

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
    assert (india["SCO_scm"], india["status"], india["days"]) == (1, "member", 206)
    palestine = frames.panel_frame(ledger, start=2020, end=2020, states=["PSE"])
    assert pd.isna(palestine["ccode"].iloc[0])
    assert str(palestine["ccode"].dtype) == "Int64"
    assert palestine["SCO_scm"].iloc[0] == 0


def test_a_brics_panel_frame_has_the_brics_variable_typed() -> None:
    ledger = scm.brics()
    frame = frames.panel_frame(ledger, rule="01-01", start=2010, end=2010)
    assert list(frame.columns) == list(panel.panel_columns(ledger.rules))
    assert "SCO_scm" not in frame.columns
    assert str(frame["BRICS_scm"].dtype) == "Int64"
    members = sorted(frame.loc[frame["BRICS_scm"] == 1, "iso3"])
    assert members == ["BRA", "CHN", "IND", "RUS"]
    rows = panel.panel_rows(ledger, rule="01-01", start=2010, end=2010)
    assert frame["BRICS_scm"].tolist() == [row["BRICS_scm"] for row in rows]


# --- categoricals and interval ends ----------------------------------------------------------


def test_terms_are_categoricals_in_the_rule_sets_order() -> None:
    ledger = scm.sco()
    statuses = [status.value for status in scm.SCO_RULES.statuses]
    kinds = [kind.value for kind in scm.SCO_RULES.kinds]
    stages = [stage.value for stage in scm.SCO_RULES.stages]
    intervals = frames.intervals_frame(ledger)
    for frame in (intervals, frames.panel_frame(ledger, start=2016, end=2017)):
        for column in ("status", "held"):
            assert list(frame[column].cat.categories) == statuses
            assert frame[column].cat.ordered
        assert list(frame["stage"].cat.categories) == stages
        assert not frame["stage"].cat.ordered
    assert list(intervals["event"].cat.categories) == kinds
    events = frames.events_frame(ledger)
    assert list(events["kind"].cat.categories) == kinds
    assert not events["kind"].cat.ordered
    # The values are those of the CSV rows; missing ones (no stage) are NaN, never a category.
    rows = panel.interval_rows(ledger)
    assert intervals["stage"].isna().tolist() == [row["stage"] is None for row in rows]
    assert intervals["event"].tolist() == [row["event"] for row in rows]


def test_ordered_statuses_compare_by_rank() -> None:
    frame = frames.panel_frame(scm.sco(), start=2017, end=2017)
    at_least = sorted(frame.loc[frame["status"] >= "observer", "iso3"])
    rank = {status.value: k for k, status in enumerate(scm.SCO_RULES.statuses)}
    expected = sorted(
        row["iso3"]
        for row in panel.panel_rows(scm.sco(), start=2017, end=2017)
        if rank[str(row["status"])] >= rank["observer"]
    )
    assert at_least == expected
    assert {"IND", "PAK", "MNG", "IRN"} <= set(at_least)
    assert frame["status"].max() == "member"


def test_a_toy_rule_sets_terms_are_its_own() -> None:
    ledger = scm.Ledger.from_records(TOY_LOG, rules=TOY)
    frame = frames.panel_frame(ledger)
    assert list(frame["status"].cat.categories) == ["none", "associate", "candidate", "member"]
    assert list(frame["stage"].cat.categories) == []
    assert frame["stage"].isna().all()


def test_an_interval_ends_on_its_last_day_and_until_is_the_day_after() -> None:
    frame = frames.intervals_frame(scm.sco(), states=["IND"])
    assert str(frame["until"].dtype) == "datetime64[s]"
    days = [
        [None if pd.isna(day) else day.date().isoformat() for day in row]
        for row in frame[["start", "end", "until"]].itertuples(index=False)
    ]
    assert days == [
        ["2005-07-05", "2015-07-09", "2015-07-10"],
        ["2015-07-10", "2016-06-23", "2016-06-24"],
        ["2016-06-24", "2017-06-08", "2017-06-09"],
        ["2017-06-09", None, None],
    ]


@settings(max_examples=40)
@given(log=ledger_logs())
def test_until_is_the_next_start_and_the_answers_until(log: LedgerLog) -> None:
    ledger = scm.Ledger.from_records(log.records)
    frame = frames.intervals_frame(ledger)
    assert list(frame.columns) == list(panel.INTERVAL_COLUMNS)
    day = pd.Timedelta(days=1)
    for state, mine in frame.groupby("state", sort=False):
        assert pd.isna(mine["until"].iloc[-1])
        assert pd.isna(mine["end"].iloc[-1])
        assert (mine["until"].iloc[:-1] == mine["end"].iloc[:-1] + day).all()
        assert (mine["until"].iloc[:-1].values == mine["start"].iloc[1:].values).all()
        for start, until in zip(mine["start"], mine["until"], strict=True):
            answer = ledger.status(str(state), start.date())
            if answer.until is not None and answer.until.precision is Precision.DAY:
                assert until.date() == answer.until.first_day
            # A day in [start, until) has the interval's answer; until itself has the next.
            if not pd.isna(until):
                assert ledger.status(str(state), (until - day).date()) == answer
                assert ledger.status(str(state), until.date()) != answer
