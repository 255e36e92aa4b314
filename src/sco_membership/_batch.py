"""The store's view of a batch: each record read, checked, and kept as the JSON text stored.

Kept apart from :mod:`sco_membership.store` so that the store reads as its transactions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from .exceptions import MalformedDataError
from .ledger import Ledger
from .model import Amendment, Event
from .records import read_record
from .rules import RuleSet

__all__ = ["Entry", "entry", "grown"]


@attrs.frozen
class Entry:
    """One record ready to insert: its JSON text and the events it stands for."""

    text: str
    events: tuple[Event, ...] | tuple[Amendment, ...]

    def columns(self) -> tuple[str, str | None, str | None, str | None]:
        """The indexed columns: kind, and the date's text and window (none for amendments)."""
        lead = self.events[0]
        if isinstance(lead, Amendment):
            return (lead.kind.value, None, None, None)
        date = lead.date
        return (lead.kind.value, date.iso, date.first_day.isoformat(), date.last_day.isoformat())


def _plain(value: object) -> object:
    if isinstance(value, Mapping):  # a source given as some other mapping than a dict
        return dict(value)
    raise TypeError(type(value).__name__)  # pragma: no cover  (a read record holds no other)


def entry(record: Any, number: int, rules: RuleSet) -> Entry:
    """Read one record (the library's errors if it cannot be) and keep its JSON text."""
    events = read_record(record, number=number, rules=rules)
    text = json.dumps(record, ensure_ascii=False, default=_plain)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedDataError(
            f"the record holds {exc.object[exc.start : exc.end]!r}, which is not text"
            " (a lone surrogate) and cannot be stored",
            record=number,
        ) from None
    return Entry(text, events)


def grown(ledger: Ledger, entries: list[Event | Amendment]) -> Ledger:
    """``ledger`` with events and amendments added and validated (a bulk load if it is
    empty)."""
    if not ledger.histories and not ledger.amendments:
        return Ledger.from_events(
            [entry for entry in entries if isinstance(entry, Event)],
            rules=ledger.rules,
            amendments=[entry for entry in entries if isinstance(entry, Amendment)],
        )
    return ledger.append(*entries)
