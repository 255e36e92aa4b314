"""Logs with claims: sources that back an event in their own words, or that the record rejects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from ..dates import PartialDate, Precision
from ..model import Event
from ..profiles import chosen
from ..rules import RuleSet
from ._ledgers import EventLog, event_logs, source_record
from ._walks import CODES, partial_dates, sources, texts

__all__ = ["ClaimedLog", "claimed_logs"]


@attrs.frozen
class ClaimedLog:
    """A valid log (:class:`~sco_membership.strategies.EventLog`) and claim records about it:
    accepted ones naming the event they back (at a date containing the event's), rejected
    ones with a reason, naming an event or none."""

    log: EventLog
    claims: tuple[dict[str, Any], ...]

    @property
    def records(self) -> tuple[dict[str, Any], ...]:
        """The log's records, then the claims."""
        return (*self.log.records, *self.claims)


def _coarser(date: PartialDate, precision: Precision) -> PartialDate:
    """``date`` or a window holding it: its month, or its year."""
    if precision is Precision.YEAR or date.month is None:
        return PartialDate(date.year)
    if precision is Precision.MONTH or date.day is None:
        return PartialDate(date.year, date.month)
    return date


@st.composite
def _claim(draw: st.DrawFn, rules: RuleSet, events: Sequence[Event]) -> dict[str, Any]:
    event = draw(st.none() | st.sampled_from(events)) if events else None
    accepted = event is not None and draw(st.booleans())
    record: dict[str, Any]
    if accepted and event is not None:
        precision = draw(st.sampled_from(tuple(Precision)))
        record = {"state": event.state, "kind": "claim", "says": event.kind.value}
        record |= {"date": _coarser(event.date, precision).iso, "verdict": "accepted"}
        record["event"] = event.key
    else:
        state = event.state if event is not None else draw(st.sampled_from(CODES))
        record = {"state": state, "kind": "claim", "says": draw(st.sampled_from(rules.kinds))}
        record |= {"date": draw(partial_dates()).iso, "verdict": "rejected"}
        record["reason"] = draw(texts(max_size=6))
        if event is not None:
            record["event"] = event.key
    quote = draw(st.none() | texts(max_size=6))
    if quote is not None:
        record["quote"] = quote
    source = draw(sources())
    if event is not None and source in event.sources:  # a source backs it or disputes it
        source = attrs.evolve(source, title=f"{source.title} (another page)")
    record["sources"] = [source_record(source)]
    recorded = draw(st.none() | st.dates())
    if recorded is not None:
        record["recorded"] = recorded.isoformat()
    return record


def claimed_logs(
    rules: RuleSet | None = None, *, max_claims: int = 6, **options: Any
) -> st.SearchStrategy[ClaimedLog]:
    """Valid logs under ``rules`` (``options`` go to
    :func:`~sco_membership.strategies.event_logs`) with up to ``max_claims`` claim records
    about them, no two alike."""
    rules = chosen(rules)

    @st.composite
    def draw_log(draw: st.DrawFn) -> ClaimedLog:
        log = draw(event_logs(rules, **options))
        found = draw(st.lists(_claim(rules, log.events), max_size=max_claims))
        unique = {json.dumps(record, sort_keys=True): record for record in found}
        return ClaimedLog(log, tuple(unique.values()))

    return draw_log()
