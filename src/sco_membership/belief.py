"""What the record says: events with their corrections and retractions applied.

The log is append-only: an amendment never rewrites the event it amends, it is applied on top.
Applying them in record-time order gives the current belief; keeping only what was recorded by
a day gives the belief of that day (see :meth:`Ledger.as_known_on`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from .exceptions import DuplicateEventError, UnknownEventError
from .model import Amendment, Event

__all__ = ["Belief", "believe", "recorded_by"]

_Entry = TypeVar("_Entry", Event, Amendment)


class Belief:
    """The events as amended, and what the amendments replaced.

    ``superseded`` holds the events as first recorded that an amendment changed or withdrew;
    ``amended`` maps ``(state, key)`` of each amended event to its amendments, in order.

    A plain slotted class, not an attrs one: it only carries a result from :func:`believe` to
    its caller, and one attrs class fewer keeps ``import sco_membership`` quicker.
    """

    __slots__ = ("amended", "events", "superseded")

    def __init__(
        self,
        events: Sequence[Event],
        superseded: tuple[Event, ...] = (),
        amended: dict[tuple[str, str], tuple[Amendment, ...]] | None = None,
    ) -> None:
        self.events = events
        self.superseded = superseded
        self.amended = {} if amended is None else amended

    def __repr__(self) -> str:
        return (
            f"Belief({len(self.events)} events, {len(self.superseded)} superseded,"
            f" {len(self.amended)} amended)"
        )


def _order(amendment: Amendment) -> tuple[dt.date, str]:
    return (amendment.recorded, amendment.key)


def believe(events: Sequence[Event], amendments: Iterable[Amendment]) -> Belief:
    """Apply ``amendments`` (in record-time order) to ``events``."""
    ordered = sorted(amendments, key=_order)
    if not ordered:
        return Belief(events)  # as given: a bulk load need not copy a million events
    current: dict[tuple[str, str], Event | None] = {}
    for event in events:
        slot = (event.state, event.key)
        if slot in current:
            raise DuplicateEventError(event.key)
        current[slot] = event
    originals: dict[tuple[str, str], Event] = {}
    amended: dict[tuple[str, str], tuple[Amendment, ...]] = {}
    for amendment in ordered:
        slot = (amendment.state, amendment.amends)
        target = current.get(slot)
        if target is None:
            raise UnknownEventError(state=slot[0], key=slot[1], amendment=amendment)
        originals.setdefault(slot, target)
        amended[slot] = (*amended.get(slot, ()), amendment)
        current[slot] = amendment.apply(target)
    kept = tuple(event for event in current.values() if event is not None)
    return Belief(kept, tuple(originals.values()), amended)


def recorded_by(entries: Iterable[_Entry], day: dt.date) -> list[_Entry]:
    """The entries recorded by ``day``; an entry with no record time counts as always known."""
    return [entry for entry in entries if entry.recorded is None or entry.recorded <= day]
