"""The vocabulary: statuses, accession stages, event kinds, sources and events.

Everything here is an immutable value. What may follow what is not decided here but by a
rule set (:mod:`sco_membership.rules`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import threading
import weakref
from collections.abc import Iterable
from typing import Any, ClassVar, NoReturn, Self, TypeVar

import attrs

from .dates import PartialDate
from .exceptions import TermError, UnknownTermError, VocabularyError

__all__ = [
    "Amendment",
    "AmendmentKind",
    "Claim",
    "Event",
    "EventKind",
    "Source",
    "Stage",
    "Standing",
    "Status",
    "Term",
    "Transition",
    "Verdict",
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

    def __iter__(cls) -> NoReturn:
        # Listing every term any rule set of the process declared would mix organisations in
        # an order no one chose: the vocabulary to list is a rule set's.
        raise VocabularyError(cls.__dict__.get("_word", "term"), cls.__dict__.get("_plural", "?"))


class Term(str, metaclass=_Vocabulary):
    """A name in an organisation's vocabulary: open, so a rule set can declare its own.

    A term is a ``str`` subclass equal to its name, with the name's hash: ``Status.MEMBER ==
    "member"``, so ``roster["observer"]`` and ``answer.status == "acceding"`` work, and the
    fold's dict lookups stay in C. Terms are interned: there is at most one term of a
    vocabulary with a given name, so ``Status("member") is Status.MEMBER``.

    Nothing makes a term but a declaration for a rule set. ``Status("observer")`` only finds
    the status a valid rule set (or the engine) declared, and refuses any other name with an
    :class:`~sco_membership.exceptions.UnknownTermError` naming the close matches.
    :meth:`declare` makes the terms of a rule set being built in Python; they become declared
    (found by ``Status(name)`` and ``Status.NAME``) when a rule set using them is valid, and a
    refused rule set's are kept only while something still holds them. Which terms an
    organisation uses is its rule set's business (:attr:`~sco_membership.rules.RuleSet.statuses`
    and the like), not the class's: ``list(Status)`` raises
    :class:`~sco_membership.exceptions.VocabularyError`.

    The vocabularies are separate types, but two terms of different vocabularies with the same
    name (the SCO's stage and kind ``obligations_signed``) are equal strings: keep the terms of
    one vocabulary per dict, as the library does. Declaring is safe under threads: two threads
    declaring one term get the same object.
    """

    # No __slots__: a str subclass cannot have non-empty ones; the instance dict holds the
    # three fields, and __weakref__ lets undeclared terms be interned weakly.
    _known: ClassVar[dict[str, Any]] = {}
    _pending: ClassVar[weakref.WeakValueDictionary[str, Any]] = weakref.WeakValueDictionary()
    _word: ClassVar[str] = "term"
    _plural: ClassVar[str] = "statuses, stages or kinds"
    value: str
    name: str
    label: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._known = {}
        cls._pending = weakref.WeakValueDictionary()

    def __new__(cls, value: str) -> Self:
        known: Self | None = cls._known.get(value) if isinstance(value, str) else None
        if known is not None:
            return known
        cls._check(value)
        import difflib  # lazy: only a wrong name needs suggestions

        names = list(cls._known)
        close = difflib.get_close_matches(value, names, n=3)
        raise UnknownTermError(cls._word, value, names, close)

    @classmethod
    def declare(cls, value: str) -> Self:
        """The term ``value`` of this vocabulary, made if need be, for a rule set to use.

        A term declared here but used by no valid rule set is no declared term yet:
        ``Status(value)`` does not find it, and it is forgotten once nothing holds it.
        A name that is not snake_case raises :class:`~sco_membership.exceptions.TermError`.
        """
        known: Self | None = cls._known.get(value) if isinstance(value, str) else None
        if known is not None:
            return known
        cls._check(value)
        name = str.__str__(value)  # the plain name, even from a term of another vocabulary
        with _LOCK:
            found: Self | None = cls._known.get(name) or cls._pending.get(name)
            if found is None:
                found = cls._pending[name] = cls._made(name)
        return found

    @classmethod
    def _check(cls, value: object) -> None:
        if not isinstance(value, str) or _TERM.fullmatch(value) is None:
            raise TermError(cls._word, value)

    @classmethod
    def _made(cls, name: str) -> Self:
        term = str.__new__(cls, name)
        fields = term.__dict__
        fields["value"] = name
        fields["name"] = name.upper()
        fields["label"] = name.replace("_", " ")
        return term

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, tuple[type[Self], str]]:
        return (_unpickled, (type(self), self.value))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: object) -> Self:
        return self

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {self.value!r}>"

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __format__(self, spec: str) -> str:
        # As before terms were strings: an f-string shows str(term), not the bare name.
        return format(str(self), spec)


_TERM = re.compile(r"[a-z][a-z0-9_]*")
#: Taken to make a term or to declare a rule set's terms: reading needs no lock.
_LOCK = threading.Lock()


def _unpickled(vocabulary: type[_Term], name: str) -> _Term:
    """The term a pickle names. A term this process has not met was declared where it was
    pickled, so it is declared here too: a rule set's terms travel with it."""
    with _LOCK:
        found: _Term | None = vocabulary._known.get(name) or vocabulary._pending.get(name)
        if found is None:
            found = vocabulary._known[name] = vocabulary._made(name)
        return found


def _adopt(terms: Iterable[Term]) -> None:
    """Declare the terms of a valid rule set: ``Status(name)`` finds them from now on."""
    with _LOCK:
        for term in terms:
            vocabulary = type(term)
            vocabulary._known.setdefault(term.value, term)
            vocabulary._pending.pop(term.value, None)


_Term = TypeVar("_Term", bound=Term)


class Status(Term):
    """A state's standing towards the organisation on one day: ``Status.OBSERVER``.

    The engine itself declares two: :attr:`NONE`, where a state starts unless its rule set
    says otherwise, and :attr:`MEMBER`, which :meth:`~sco_membership.ledger.Ledger.members`
    asks for. Every other status is declared by a rule set.
    """

    _word = "status"
    _plural = "statuses"
    NONE: ClassVar[Status]
    MEMBER: ClassVar[Status]


Status.NONE = Status._known["none"] = Status._made("none")
Status.MEMBER = Status._known["member"] = Status._made("member")


class Stage(Term):
    """A step inside a process that has begun but not yet changed the status it leads to."""

    _word = "stage"
    _plural = "stages"


class EventKind(Term):
    """What happened: each kind is one row group of a rule set's transition table."""

    _word = "event kind"
    _plural = "kinds"


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
    """Where a fact was read: the document's title and address, who published it, and when.

    ``published`` is the document's publication day at the precision the document shows (a
    partial date): the publication-time axis, which
    :meth:`~sco_membership.ledger.Ledger.as_reported_on` reads.
    """

    title: str
    url: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None

    def __str__(self) -> str:
        who = ", ".join(
            part
            for part in (self.publisher, None if self.published is None else self.published.iso)
            if part is not None
        )
        text = self.title if not who else f"{self.title} ({who})"
        return text if self.url is None else f"{text} <{self.url}>"


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

    # Hashed by identity, as in C: an amendment's kind is looked up on every amended event.
    __hash__ = object.__hash__

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


class Verdict(enum.Enum):
    """Whether the record takes a claim: what a source says is not always what happened."""

    # Hashed by identity, as in C.
    __hash__ = object.__hash__

    #: The record takes the claim: it backs an event.
    ACCEPTED = "accepted"
    #: The record does not take the claim, for the reason given with it.
    REJECTED = "rejected"


@attrs.frozen
class Claim:
    """One source's statement about one state: that an event of kind ``says`` happened on
    ``date`` (at the source's own precision), and the record's verdict on it.

    An event's own ``sources`` are its accepted claims, saying what the event says; a ``Claim``
    is recorded apart when a source says something else: a rejected claim, with its
    ``reason``, or an accepted one in the source's own words (a coarser date). ``event`` is the
    :attr:`Event.key` of the event the claim backs (accepted) or competes with (rejected; none
    when no event does). ``cohort`` lists every state of a claim about several at once;
    ``recorded`` is the day the record learnt of it (record time).
    """

    state: str
    says: EventKind
    date: PartialDate
    source: Source
    verdict: Verdict
    event: str | None = None
    reason: str | None = None
    quote: str | None = None
    note: str | None = None
    recorded: dt.date | None = None
    cohort: tuple[str, ...] = ()
    id: str | None = None

    @property
    def accepted(self) -> bool:
        """Whether the record takes this claim."""
        return self.verdict is Verdict.ACCEPTED

    def __str__(self) -> str:
        verdict = (
            self.verdict.value if self.reason is None else f"{self.verdict.value}: {self.reason}"
        )
        return (
            f"{self.source.publisher or self.source.title} says {self.state}"
            f" {self.says.label} {self.date.iso} ({verdict})"
        )
