from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sco_membership.dates import PartialDate
from sco_membership.exceptions import MalformedDataError
from sco_membership.io.records import claim_records, events_from_record, read_record, to_records
from sco_membership.model import Claim, EventKind, Source
from strategies import junk_records

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


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _one_line(error: MalformedDataError) -> None:
    assert "\n" not in str(error)
    assert len(str(error)) < 1_000


BASE: dict[str, Any] = {"state": "IND", "kind": "observer_granted", "date": "2005-07-05"}
RETRACTION: dict[str, Any] = {
    "state": "IND",
    "kind": "retraction",
    "amends": "observer_granted/IND/2005-07-05",
    "reason": "r",
    "recorded": "2026-01-01",
}


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({**BASE, "note": "a \ud800 note"}, "'note'"),
        ({**BASE, "place": "\udfff"}, "'place'"),
        ({**BASE, "id": "x\udc80"}, "'id'"),
        ({**BASE, "organisation": "SCO\ud800"}, "'organisation'"),
        ({**BASE, "sources": [{"title": "t\ud800"}]}, "a source's 'title'"),
        ({**BASE, "sources": [{"title": "t", "url": "http://\ud800"}]}, "a source's 'url'"),
        ({**RETRACTION, "reason": "\ud800"}, "'reason'"),
        ({**RETRACTION, "amends": "\ud800"}, "'amends'"),
        ({**RETRACTION, "id": "\ud800"}, "'id'"),
        (
            {**RETRACTION, "kind": "correction", "set": {"note": "\ud800"}},
            "'note'",
        ),
    ],
)
def test_a_lone_surrogate_is_refused_naming_the_field(record: dict[str, Any], field: str) -> None:
    with pytest.raises(MalformedDataError, match="lone surrogate") as caught:
        read_record(record, line=4)
    assert field in str(caught.value)
    assert "\\ud" in str(caught.value)  # shown escaped: the message itself is text
    str(caught.value).encode("utf-8")
    assert caught.value.line == 4


@pytest.mark.parametrize(
    "record",
    [
        {**BASE, "date": 10**5000},
        {**BASE, "note": -(10**5000)},
        {**BASE, "sources": [{"title": 10**5000}]},
        {**BASE, "states": [10**5000], "state": None},
        {**BASE, 10**5000: 1},
        {**BASE, "note": _nested(1_000)},
        {**BASE, "sources": _nested(5_000)},
        {**BASE, "sources": [{"title": "t", "url": _nested(1_000)}]},
        {**BASE, "date": "1" * 1_000_000},
        {**BASE, "note": {str(k): k for k in range(100_000)}},
        {**BASE, **{f"extra{k}": 1 for k in range(10_000)}},
        {**BASE, "\ud800\n": 1},
        {**RETRACTION, "kind": "correction", "set": {10**5000: 1, "x" * 10**6: 2}},
        {**BASE, "kind": "x" * 1_000_000},
    ],
)
def test_hostile_values_give_one_short_line(record: dict[Any, Any]) -> None:
    with pytest.raises(MalformedDataError) as caught:
        read_record(record)
    _one_line(caught.value)


def test_an_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(MalformedDataError, match="unknown kind 'joined'; the SCO kinds: founding"):
        events_from_record({**BASE, "kind": "joined"})


def test_many_unknown_fields_are_named_a_few_at_a_time() -> None:
    record = {**BASE, **{f"f{k:03d}": 1 for k in range(25)}}
    with pytest.raises(
        MalformedDataError, match=r"f000, f001,.* and 15 more; known: id"
    ) as caught:
        events_from_record(record)
    _one_line(caught.value)


_HOSTILE = (
    "\ud800",
    10**5000,
    _nested(1_200),
    "x" * 100_000,
    "\uff12\uff10\uff11\uff16",
    float("nan"),
    None,
)


@given(
    record=junk_records(),
    key=st.sampled_from(["note", "date", "state", "states", "id", "sources", "kind", "zzz"]),
    hostile=st.sampled_from(_HOSTILE),
)
@example(record=dict(BASE), key="note", hostile="\ud800")
@example(record=dict(BASE), key="date", hostile=10**5000)
def test_only_malformed_data_errors_escape_and_they_are_short(
    record: Any, key: str, hostile: object
) -> None:
    candidate = {**record, key: hostile} if isinstance(record, dict) else record
    try:
        read_record(candidate)
    except MalformedDataError as error:
        _one_line(error)


def test_a_source_carries_its_publisher_and_publication_date() -> None:
    record = FULL | {
        "sources": [
            {"title": "A", "url": "u", "publisher": "TASS", "published": "2017-06"},
            {"title": "B", "published": "9 June 2017"},
        ]
    }
    (event,) = events_from_record(record)
    assert event.sources[0] == Source("A", "u", "TASS", PartialDate(2017, 6))
    assert event.sources[1].published == PartialDate(2017, 6, 9)
    assert str(event.sources[0]) == "A (TASS, 2017-06) <u>"
    assert to_records([event])[0]["sources"][1] == {"title": "B", "published": "2017-06-09"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"title": "A", "published": "someday"}, "a source's 'published'"),
        ({"title": "A", "publisher": ""}, "a source's 'publisher' must be non-empty text"),
        ({"title": "A", "author": "B"}, "a source is"),
    ],
)
def test_a_bad_source_field_is_refused(source: dict[str, Any], message: str) -> None:
    with pytest.raises(MalformedDataError, match=message):
        events_from_record(FULL | {"sources": [source]})


def test_a_claim_record_stands_for_one_claim_per_state() -> None:
    record = {
        "states": ["AZE", "ARM"],
        "kind": "claim",
        "says": "observer_granted",
        "date": "2015-07",
        "verdict": "rejected",
        "reason": "they became dialogue partners",
        "sources": [{"title": "A seed item", "published": "2015-04-29"}],
    }
    claims = read_record(record)
    assert [claim.state for claim in claims] == ["AZE", "ARM"]
    assert all(isinstance(claim, Claim) and claim.cohort == ("AZE", "ARM") for claim in claims)
    assert claim_records(claims) == [record]


def test_a_source_cited_twice_is_read_once_and_a_bad_one_is_still_refused() -> None:
    cited = {"title": "A report", "url": "https://example.org/a", "published": "2017-06"}
    (first,) = events_from_record(FULL | {"sources": [cited]})
    (second,) = events_from_record(FULL | {"id": "again", "sources": [dict(cited)]})
    assert second.sources[0] is first.sources[0]
    assert first.sources[0] == Source(
        "A report", "https://example.org/a", None, PartialDate(2017, 6)
    )
    # Only sources that read well are kept: a bad one fails every time it is given.
    bad = {"title": "A report", "published": "someday"}
    for _ in range(2):
        with pytest.raises(MalformedDataError, match="a source's 'published'"):
            events_from_record(FULL | {"sources": [bad]})


def test_an_iso_day_is_one_object_however_it_is_read() -> None:
    read = PartialDate.parse("2003-02-28")
    assert read is PartialDate.parse("2003-02-28")
    assert read is PartialDate.of(dt.date(2003, 2, 28))
    assert read is PartialDate.parse("28 February 2003")


def test_a_sourced_event_reads_on_the_fast_path_as_the_full_reader_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sco_membership.io import records

    expected = list(read_record(FULL))

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the record went to the full reader")

    monkeypatch.setattr(records, "read_record", refused)
    fast, _, _ = records.read_records([(1, dict(FULL))])
    assert fast == expected
    assert fast[0].sources[0].url == "https://example.org/a"
    assert (fast[0].place, fast[0].note) == ("Astana summit", "A note.")
    assert fast[0].id == "ind-observer"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"place": "  "}, "'place' must be non-empty text"),
        ({"note": 7}, "'note' must be non-empty text"),
        ({"id": "a\ud800b"}, "'id' holds the lone surrogate"),
        ({"sources": None}, "'sources' must be a list"),
        ({"sources": [{"title": "A", "published": "someday"}]}, "a source's 'published'"),
        ({"sources": ["A book"]}, "a source is"),
    ],
)
def test_a_doubtful_detail_sends_the_record_to_the_full_reader(
    change: dict[str, Any], message: str
) -> None:
    from sco_membership.io.records import read_records

    with pytest.raises(MalformedDataError, match=f"line 3: {message}"):
        read_records([(3, FULL | change)], file="log.jsonl", lines=True)


def test_a_very_long_source_is_read_each_time_rather_than_kept() -> None:
    # The cache of sources is bounded in count and in text: a source of any length stays out.
    cited = {"title": "A" * 5_000, "url": "https://example.org/long"}
    (first,) = events_from_record(FULL | {"sources": [cited]})
    (second,) = events_from_record(FULL | {"sources": [dict(cited)]})
    assert second.sources[0] == first.sources[0]
    assert second.sources[0] is not first.sources[0]
