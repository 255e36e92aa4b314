"""The vocabulary: statuses, accession stages, event kinds, sources and events.

Everything here is an immutable value. What may follow what is not decided here but by a
rule set (:mod:`sco_membership.rules`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, ClassVar, Self

import attrs

from .dates import PartialDate
from .exceptions import TermError

__all__ = [
    "Amendment",
    "AmendmentKind",
    "Event",
    "EventKind",
    "Source",
    "Stage",
    "Standing",
    "Status",
    "Term",
    "Transition",
]


class _Vocabulary(type):
    """Finds a declared term by its upper-case name: ``Status.OBSERVER`` once a rule set (here,
    the SCO's) has declared ``observer``. A lookup of terms that exist, nothing more: the
    vocabulary belongs to the rule sets, not to the class."""

    # Typed Any: a metaclass method cannot name its class's own type for mypy.
    def __getattr__(cls, name: str) -> Any:
        known: dict[str, Term] = cls.__dict__.get("_known", {})
        if name.isupper():
            term = known.get(name.lower())
            if term is not None:
                return term
        raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")


class Term(metaclass=_Vocabulary):
    """A name in an organisation's vocabulary: open, so a rule set can declare its own.

    Terms are interned: ``Status("member") is Status.MEMBER``, so they compare by identity and
    hash cheaply on the fold's hot path. Which terms an organisation uses is its rule set's
    business (:attr:`~sco_membership.rules.RuleSet.statuses` and the like), not the class's: a
    term a rule set declared is found by its upper-case name (``Stage.PROCEDURE_STARTED``).
    Interning is safe under threads: two threads creating one term get the same object.
    """

    __slots__ = ("label", "name", "value")
    _known: ClassVar[dict[str, Any]] = {}
    value: str
    name: str
    label: str

    def __init_subclass__(cls) -> None:
        cls._known = {}

    def __new__(cls, value: str) -> Self:
        known: Self | None = cls._known.get(value)
        if known is not None:
            return known
        if not isinstance(value, str) or _TERM.fullmatch(value) is None:
            raise TermError(cls._vocabulary(), value)
        term = object.__new__(cls)
        setter = object.__setattr__
        setter(term, "value", value)
        setter(term, "name", value.upper())
        setter(term, "label", value.replace("_", " "))
        # setdefault is one atomic step: a thread that loses the race takes the winner's term.
        interned: Self = cls._known.setdefault(value, term)
        return interned

    @classmethod
    def _vocabulary(cls) -> str:
        return "event kind" if cls.__name__ == "EventKind" else cls.__name__.lower()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[type[Self], tuple[str]]:
        return (type(self), (self.value,))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {self.value!r}>"

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


_TERM = re.compile(r"[a-z][a-z0-9_]*")


class Status(Term):
    """A state's standing towards the organisation on one day: ``Status("observer")``.

    The engine itself knows two: :attr:`NONE`, where a state starts unless its rule set says
    otherwise, and :attr:`MEMBER`, which :meth:`~sco_membership.ledger.Ledger.members` asks
    for. Every other status is declared by a rule set.
    """

    __slots__ = ()
    NONE: ClassVar[Status]
    MEMBER: ClassVar[Status]


Status.NONE = Status("none")
Status.MEMBER = Status("member")


class Stage(Term):
    """A step inside a process that has begun but not yet changed the status it leads to."""

    __slots__ = ()


class EventKind(Term):
    """What happened: each kind is one row group of a rule set's transition table."""

    __slots__ = ()


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


@attrs.frozen
class Transition:
    """One row of a transition table.

    ``target`` is ``None`` for an event that is recorded but changes nothing (an application).
    """

    kind: EventKind
    source: Standing
    target: Standing | None
