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
from .model import Amendment, Claim, Event

__all__ = ["Belief", "believe", "recorded_by", "sift"]

_Entry = TypeVar("_Entry", Event, Amendment, Claim)


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
    belief, missing = _apply(events, amendments, stop=True)
    if missing:
        raise missing[0]
    return belief


def sift(
    events: Sequence[Event], amendments: Iterable[Amendment]
) -> tuple[Belief, tuple[UnknownEventError, ...]]:
    """Apply what ``amendments`` can apply; each that names no event is set aside, as an error.

    What :func:`believe` would give once every amendment it refuses were taken out and it were
    run again, in one pass: validation reports every bad amendment of a log at once.
    """
    return _apply(events, amendments, stop=False)


def _apply(
    events: Sequence[Event], amendments: Iterable[Amendment], *, stop: bool
) -> tuple[Belief, tuple[UnknownEventError, ...]]:
    ordered = sorted(amendments, key=_order)
    if not ordered:
        return Belief(events), ()  # as given: a bulk load need not copy a million events
    current: dict[tuple[str, str], Event | None] = {}
    for event in events:
        slot = (event.state, event.key)
        if slot in current:
            raise DuplicateEventError(event.key)
        current[slot] = event
    originals: dict[tuple[str, str], Event] = {}
    amended: dict[tuple[str, str], list[Amendment]] = {}
    missing: list[UnknownEventError] = []
    for amendment in ordered:
        slot = (amendment.state, amendment.amends)
        target = current.get(slot)
        if target is None:  # an amendment of no event changes nothing: the rest still apply
            missing.append(UnknownEventError(state=slot[0], key=slot[1], amendment=amendment))
            if stop:
                break
            continue
        originals.setdefault(slot, target)
        amended.setdefault(slot, []).append(amendment)  # a list: n amendments cost n
        current[slot] = amendment.apply(target)
    kept = tuple(event for event in current.values() if event is not None)
    made = {slot: tuple(each) for slot, each in amended.items()}
    return Belief(kept, tuple(originals.values()), made), tuple(missing)


def recorded_by(entries: Iterable[_Entry], day: dt.date) -> list[_Entry]:
    """The entries recorded by ``day``; an entry with no record time counts as always known."""
    return [entry for entry in entries if entry.recorded is None or entry.recorded <= day]
