"""The vocabulary: statuses, accession stages, event kinds, sources and events.

Everything here is an immutable value. What may follow what is not decided here but by a
rule set (:mod:`sco_membership.rules`).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from .dates import PartialDate

__all__ = [
    "Amendment",
    "AmendmentKind",
    "Event",
    "EventKind",
    "Source",
    "Stage",
    "Standing",
    "Status",
]


class Status(enum.Enum):
    """A state's standing towards the organisation on one day."""

    # Members are singletons compared by identity: an identity hash keeps it consistent and
    # avoids Enum's Python-level __hash__ on the fold's hot path.
    __hash__ = object.__hash__

    NONE = "none"
    DIALOGUE_PARTNER = "dialogue_partner"
    OBSERVER = "observer"
    #: The 2025 category that merged observers and dialogue partners ("SCO partner").
    PARTNER = "partner"
    #: In the accession process; the state keeps its earlier status meanwhile.
    ACCEDING = "acceding"
    MEMBER = "member"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        """The status in plain words: ``dialogue partner``."""
        return self.value.replace("_", " ")


class Stage(enum.Enum):
    """A step inside a process that has begun but not yet changed the status it leads to."""

    __hash__ = object.__hash__  # see Status

    #: The Council decided to grant dialogue-partner status; the memorandum is not signed yet.
    DIALOGUE_PARTNER_DECIDED = "dialogue_partner_decided"
    #: The Council decided to start the accession procedure.
    PROCEDURE_STARTED = "procedure_started"
    #: The acceding state signed the memorandum of obligations.
    OBLIGATIONS_SIGNED = "obligations_signed"

    @property
    def label(self) -> str:
        """The stage in plain words: ``obligations signed``."""
        return self.value.replace("_", " ")


class EventKind(enum.Enum):
    """What happened: each kind is one row group of the rule set's transition table."""

    __hash__ = object.__hash__  # see Status

    FOUNDING = "founding"
    APPLICATION = "application"
    DIALOGUE_PARTNER_DECISION = "dialogue_partner_decision"
    DIALOGUE_PARTNER_MEMORANDUM = "dialogue_partner_memorandum"
    OBSERVER_GRANTED = "observer_granted"
    ACCESSION_STARTED = "accession_started"
    OBLIGATIONS_SIGNED = "obligations_signed"
    MEMBERSHIP_GRANTED = "membership_granted"
    PARTNER_GRANTED = "partner_granted"
    RECATEGORISATION = "recategorisation"
    SUSPENSION = "suspension"
    REINSTATEMENT = "reinstatement"
    WITHDRAWAL = "withdrawal"
    EXPULSION = "expulsion"

    @property
    def label(self) -> str:
        """The kind in plain words: ``membership granted``."""
        return self.value.replace("_", " ")


@attrs.frozen(cache_hash=True)
class Standing:
    """A status together with the stage of a process under way, if any."""

    status: Status
    stage: Stage | None = None

    def __str__(self) -> str:
        return (
            self.status.label
            if self.stage is None
            else f"{self.status.label} ({self.stage.label})"
        )


@attrs.frozen
class Source:
    """Where a fact was read: the document's title and its address."""

    title: str
    url: str | None = None

    def __str__(self) -> str:
        return self.title if self.url is None else f"{self.title} <{self.url}>"


@attrs.frozen(weakref_slot=False)
class Event:
    """One dated fact about one state, with the sources that give it.

    ``cohort`` lists every state of an organisation-wide decision (one decision that changes
    several states at once); each of those states gets its own ``Event`` sharing the cohort.
    ``recorded`` is the day the fact entered the record (record time), kept for "as known on"
    queries. ``id`` is optional: without one, :attr:`key` derives it from kind, state and date.
    """

    state: str
    kind: EventKind
    date: PartialDate
    sources: tuple[Source, ...] = ()
    place: str | None = None
    note: str | None = None
    recorded: dt.date | None = None
    organisation: str | None = None
    cohort: tuple[str, ...] = ()
    id: str | None = None

    @property
    def key(self) -> str:
        """The identifier that is unique in a log: ``id``, or ``kind/state/date``."""
        return (
            self.id if self.id is not None else f"{self.kind.value}/{self.state}/{self.date.iso}"
        )

    def __str__(self) -> str:
        place = f", {self.place}" if self.place else ""
        return f"{self.date.iso} {self.state} {self.kind.label}{place}"


class AmendmentKind(enum.Enum):
    """How a later record amends an earlier event."""

    __hash__ = object.__hash__  # see Status

    #: The event happened, but a field was wrong (its date, its kind, its place...).
    CORRECTION = "correction"
    #: The event never happened: the claim is withdrawn.
    RETRACTION = "retraction"


#: The event fields a correction may change.
CORRECTABLE = ("date", "kind", "place", "note", "sources", "organisation")


@attrs.frozen
class Amendment:
    """A correction or retraction of an earlier event, recorded later: the log is append-only.

    ``amends`` is the :attr:`Event.key` of the event as first recorded (a corrected event keeps
    that key, so corrections compose). ``changes`` holds, for a correction, the new value of
    each corrected field (see :data:`CORRECTABLE`). ``sources`` are the sources of the
    amendment itself; ``recorded`` is required: an amendment is a fact about the record.
    """

    state: str
    kind: AmendmentKind
    amends: str
    recorded: dt.date
    reason: str
    changes: tuple[tuple[str, Any], ...] = ()
    sources: tuple[Source, ...] = ()
    cohort: tuple[str, ...] = ()
    id: str | None = None

    @property
    def key(self) -> str:
        """The identifier that is unique in a log: ``id``, or ``kind/state/amends/recorded``."""
        if self.id is not None:
            return self.id
        return f"{self.kind.value}/{self.state}/{self.amends}/{self.recorded.isoformat()}"

    def apply(self, event: Event) -> Event | None:
        """The event as this amendment leaves it: changed, or ``None`` when retracted."""
        if self.kind is AmendmentKind.RETRACTION:
            return None
        return attrs.evolve(event, id=event.key, **dict(self.changes))

    def __str__(self) -> str:
        return f"{self.recorded.isoformat()} {self.state} {self.kind.value} of {self.amends}"
