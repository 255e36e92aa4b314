from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sco_membership.exceptions import MalformedDataError
from sco_membership.io.records import events_from_record, to_records
from sco_membership.model import EventKind, Source

FULL: dict[str, Any] = {
    "id": "ind-observer",
    "state": "IND",
    "kind": "observer_granted",
    "date": "2005-07-05",
    "place": "Astana summit",
    "sources": [{"title": "A report", "url": "https://example.org/a"}, {"title": "A book"}],
    "note": "A note.",
    "recorded": "2026-11-27",
}


def test_every_field_is_read() -> None:
    (event,) = events_from_record(FULL)
    assert event.state == "IND"
    assert event.kind is EventKind.OBSERVER_GRANTED
    assert event.date.iso == "2005-07-05"
    assert event.sources == (Source("A report", "https://example.org/a"), Source("A book"))
    assert event.recorded == dt.date(2026, 11, 27)
    assert event.key == "ind-observer"
    assert to_records([event]) == [FULL]


def test_an_organisation_wide_record_becomes_one_event_per_state_and_back() -> None:
    record = {"states": ["PAK", "IND"], "kind": "membership_granted", "date": "2017-06-09"}
    events = events_from_record(record)
    assert [e.state for e in events] == ["PAK", "IND"]
    assert all(e.cohort == ("PAK", "IND") for e in events)
    assert to_records(reversed(events)) == [record]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"kind": "founding", "date": "2001"}, "either 'state' or 'states'"),
        ({"state": "IND", "states": ["IND"], "kind": "founding", "date": "2001"}, "exactly one"),
        ({"states": [], "kind": "founding", "date": "2001"}, "non-empty list"),
        ({"states": ["IND", "IND"], "kind": "founding", "date": "2001"}, "names a state twice"),
        ({"state": "XXX", "kind": "founding", "date": "2001"}, "not an ISO 3166-1"),
        ({"state": "India", "kind": "founding", "date": "2001"}, "alpha-3 code 'IND'"),
        ({"state": 7, "kind": "founding", "date": "2001"}, "alpha-3 code, not 7"),
        ({"state": "IND", "kind": "joined", "date": "2001"}, "unknown kind 'joined'"),
        ({"state": "IND", "date": "2001"}, "has no 'kind'"),
        ({"state": "IND", "kind": "founding"}, "has no 'date'"),
        ({"state": "IND", "kind": "founding", "date": "2001-02-30"}, "no day 30"),
        ({"state": "IND", "kind": "founding", "date": 2001}, "non-empty text"),
        (
            {"state": "IND", "kind": "founding", "date": "2001", "recorded": "2026"},
            "must be a day",
        ),
        ({"state": "IND", "kind": "founding", "date": "2001", "sources": "x"}, "must be a list"),
        (
            {"state": "IND", "kind": "founding", "date": "2001", "sources": [{}]},
            "needs a non-empty",
        ),
        (
            {
                "state": "IND",
                "kind": "founding",
                "date": "2001",
                "sources": [{"title": "t", "x": 1}],
            },
            "a source is",
        ),
        (
            {
                "state": "IND",
                "kind": "founding",
                "date": "2001",
                "sources": [{"title": "t", "url": 3}],
            },
            "'url'",
        ),
        ({"state": "IND", "kind": "founding", "date": "2001", "colour": "red"}, "unknown field"),
        ({"state": "IND", "kind": "founding", "date": "2001", "note": "  "}, "non-empty text"),
    ],
)
def test_a_bad_record_is_the_librarys_error_with_its_place(
    record: dict[str, Any], message: str
) -> None:
    with pytest.raises(MalformedDataError, match=message) as caught:
        events_from_record(record, file="log.jsonl", line=7)
    assert caught.value.file == "log.jsonl"
    assert caught.value.line == 7
    assert str(caught.value).startswith("log.jsonl, line 7: ")


def test_a_record_must_be_a_mapping() -> None:
    with pytest.raises(MalformedDataError, match="not list"):
        events_from_record([1, 2], line=3)  # type: ignore[arg-type]
