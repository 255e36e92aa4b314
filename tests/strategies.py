"""Hypothesis strategies for the test suite: the public ones, and the few only tests need.

The general strategies are public, in :mod:`sco_membership.strategies` (the suite uses them as
a user would); they are re-exported here under the names the suite has always used. Only the
junk a fuzz test feeds the readers (JSON values, broken records, date-like text) lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from sco_membership.dates import Precision
from sco_membership.io.records import FIELDS
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet
from sco_membership.strategies import (
    CODES,
    EventLog,
    NearMiss,
    StateLog,
    Step,
    event_logs,
    follow,
    near_miss_logs,
    partial_dates,
    sources,
    state_logs,
)

__all__ = [
    "BAD_DATES",
    "CODES",
    "LedgerLog",
    "NearMiss",
    "Step",
    "Walk",
    "date_texts",
    "follow",
    "json_values",
    "junk_records",
    "ledger_logs",
    "near_misses",
    "partial_dates",
    "sources",
    "walks",
]

#: The suite's names for the public log types and strategies.
Walk = StateLog
LedgerLog = EventLog
walks = state_logs
near_misses = near_miss_logs


def ledger_logs(
    rules: RuleSet = SCO_RULES,
    *,
    codes: Sequence[str] = CODES,
    min_states: int = 1,
    max_states: int = 5,
    max_dates: int = 8,
    precisions: Sequence[Precision] = tuple(Precision),
    max_gap: int = 800,
    with_extras: bool = True,
) -> st.SearchStrategy[EventLog]:
    """:func:`~sco_membership.strategies.event_logs` under the suite's older option names
    (``max_dates`` dates of up to two records each: about twice as many events)."""
    return event_logs(
        rules,
        states=codes,
        min_states=min_states,
        max_states=max_states,
        max_events=2 * max_dates,
        precisions=precisions,
        max_gap=max_gap,
        with_details=with_extras,
    )


#: Dates no record may carry: impossible days, no year, empty, or not text at all.
BAD_DATES: tuple[object, ...] = (
    "2017-02-30",
    "2017-13",
    "2017-00-01",
    "0000",
    "10000",
    "June",
    "9 June",
    "",
    "   ",
    "2017-06-09T10:30",
    "9 June 2017 10am",
    12,
    2017.5,
    True,
    [],
    {},
    ["2017"],
)


def json_values() -> st.SearchStrategy[Any]:
    """Any value JSON can hold, nested."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=8,
    )


def _plausible_values() -> st.SearchStrategy[Any]:
    """Values that are right for some field and wrong for most others."""
    return st.one_of(
        st.sampled_from(CODES),
        st.sampled_from(["India", "in", "ind", "XXX", "Türkiye"]),
        st.sampled_from([kind.value for kind in SCO_RULES.kinds]),
        partial_dates().map(lambda d: d.iso),
        st.sampled_from(BAD_DATES),
        st.lists(st.sampled_from(CODES), max_size=3),
        st.lists(st.fixed_dictionaries({"title": json_values()}, optional={"url": json_values()})),
        json_values(),
    )


@st.composite
def junk_records(draw: st.DrawFn) -> Any:
    """Anything a log might hold where a record belongs, mostly not a valid record.

    Arbitrary JSON values; dicts with random keys and values; and plausible records with one
    field given a wrong value (wrong type, bad date), dropped, or joined by an unknown key.
    """
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return draw(json_values())
    keys = st.sampled_from(FIELDS) | st.text(max_size=6)
    if choice == 1:
        return draw(st.dictionaries(keys, _plausible_values(), max_size=6))
    record: dict[str, Any] = {
        "state": draw(st.sampled_from(CODES)),
        "kind": draw(st.sampled_from([kind.value for kind in SCO_RULES.kinds])),
        "date": draw(partial_dates()).iso,
    }
    key = draw(keys)
    if draw(st.booleans()):
        record.pop(key, None)
    else:
        record[key] = draw(_plausible_values())
    return record


def date_texts() -> st.SearchStrategy[str]:
    """Text that looks like a date in English, or nearly: words, numbers and separators."""
    words = st.sampled_from(
        [
            "June",
            "jun",
            "September",
            "Sept",
            "of",
            "the",
            "9th",
            "T",
            "h",
            "am",
            "pm",
            "UTC",
            "EST",
            "ABC",
            "Z",
            "+05:30",
            "BC",
            "AD",
            "today",
        ]
    )
    numbers = st.integers(0, 100_000).map(str) | st.sampled_from(["2017", "06", "09", "13", "31"])
    separators = st.sampled_from(["", " ", "-", "/", ".", ",", ", ", ":"])
    parts = st.lists(st.tuples(words | numbers, separators), max_size=6)
    return parts.map(lambda pairs: "".join(part + sep for part, sep in pairs))
