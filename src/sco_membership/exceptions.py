"""Every error the library raises, and nothing else.

A leaf module: at run time it imports nothing from the package, so any module may use it (the
library's types are imported for annotations only). Each error subclasses the stdlib type
callers already catch (``ValueError``, ``LookupError``...), keeps the facts of the failure as
attributes, holding the library's own values, and builds its one-sentence message from them.

Every error survives ``pickle`` and ``copy`` with all its attributes, so it can cross a process
pool: the root class rebuilds an error without calling its ``__init__`` again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import datetime as dt

    from .dates import PartialDate
    from .model import Amendment, Event, EventKind, Standing

__all__ = [
    "ChartError",
    "ClosedStoreError",
    "ConcurrencyError",
    "DateError",
    "DuplicateEventError",
    "FileError",
    "IllegalTransitionError",
    "LockTimeoutError",
    "MalformedDataError",
    "MembershipError",
    "MissingExtraError",
    "NothingKnownError",
    "OptionError",
    "RuleSetError",
    "TermError",
    "UnknownEventError",
    "UnknownSourceError",
    "UnknownStateError",
    "UnknownTermError",
    "VocabularyError",
]


_Error = TypeVar("_Error", bound="MembershipError")

# An int this long (in bits) has more digits than a message shows: it is given by its length.
_LONG_INT_BITS = 256


def _digits(value: int) -> str:
    """How many decimal digits ``value`` has, without ``str()`` (which refuses past 4,300)."""
    bits = abs(value).bit_length()
    estimate = int((bits - 1) * 0.30102999566398120) + 1  # log10(2): the low end of the range
    if bits < 100_000 and abs(value) >= 10**estimate:
        estimate += 1
    return f"{estimate:,}" if bits < 100_000 else f"about {estimate:,}"


def _shown(value: object, limit: int = 80) -> str:
    """``repr(value)`` for a message, never longer than about ``limit`` characters.

    Caller input can be anything: ``repr()`` of an int past 4,300 digits raises ValueError, of
    deep nesting RecursionError, of a 1 MB string makes a 1 MB message. A short ordinary value
    is shown exactly as ``repr()`` shows it.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _LONG_INT_BITS:
            return f"<an integer of {_digits(value)} digits>"
    elif isinstance(value, str | bytes | bytearray) and len(value) > limit:
        head = repr(value[:limit])  # only the head is rendered, then cut inside its quotes
        unit = "characters" if isinstance(value, str) else "bytes"
        return f"{head[:-1][:limit]}…{head[-1]} ({len(value):,} {unit})"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"<a {type(value).__name__} too large or too deep to show>"
    except Exception:  # a caller's object whose __repr__ fails: still one message
        return f"<a {type(value).__name__}>"
    return _clipped(text, limit)


def _clipped(text: str, limit: int = 160) -> str:
    """Text (a key, an amendment) cut to ``limit`` characters for a message."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _rebuild(cls: type[_Error], args: tuple[Any, ...]) -> _Error:
    """An error of ``cls`` with ``args``, made without the class's own ``__init__`` (whose
    signature is not its ``args``); pickle or copy then restores the attributes."""
    error = cls.__new__(cls, *args)
    # The stdlib base's own initialiser keeps what it derives from args (ImportError.msg).
    super(MembershipError, error).__init__(*args)
    return error


class MembershipError(Exception):
    """The root of every error raised by ``sco_membership``.

    It pickles (and copies) every subclass with all its attributes, whatever the subclass's
    ``__init__`` takes: ``BaseException`` would replay ``args`` into ``__init__``, which fails
    for keyword-only or several arguments.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # What the stdlib base keeps (args, then __dict__ and, for ImportError, name and
        # path), rebuilt by _rebuild instead of by calling the class.
        kept = super().__reduce__()
        state = kept[2:3] if isinstance(kept, tuple) else ()
        return (_rebuild, (type(self), self.args), *state)


class DateError(MembershipError, ValueError):
    """A date that cannot be read, or one finer than its source allows."""

    def __init__(self, text: object, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot read {_shown(text)} as a date: {reason}")


class UnknownStateError(MembershipError, LookupError):
    """A state code or name that is not in ISO 3166-1 (or a COW number of no ISO state:
    ``reason`` says why)."""

    def __init__(
        self, query: object, suggestions: Sequence[str] = (), reason: str | None = None
    ) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.reason = reason
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        what = reason or "is not an ISO 3166-1 state code or name, nor a COW state number"
        super().__init__(f"{_shown(query)} {what}{hint}")


class IllegalTransitionError(MembershipError, ValueError):
    """An event that the rule set does not allow from the state's status at that date.

    ``event`` is the offending event and ``date`` its date; ``current`` is the standing the
    state was at, reached by the event ``after`` (``None``: the start), and ``allowed`` the
    kinds the rule set allows from there. ``amendment`` holds the amendments of the state's
    log that may have made the event illegal, or is ``None``.
    """

    def __init__(
        self,
        *,
        state: str,
        event: Event,
        current: Standing,
        allowed: Sequence[EventKind],
        after: Event | None = None,
        amendment: Sequence[Amendment] | None = None,
    ) -> None:
        self.state = state
        self.event = event
        self.date: PartialDate = event.date
        self.current = current
        self.allowed = tuple(allowed)
        self.after = after
        self.amendment = tuple(amendment) if amendment else None
        since = "" if after is None else f" (since {after.kind.value} on {after.date.iso})"
        could = ", ".join(kind.value for kind in self.allowed) if self.allowed else "nothing"
        amended = (
            f" once amended by {'; '.join(_clipped(str(a)) for a in self.amendment)}"
            if self.amendment
            else ""
        )
        super().__init__(
            f"{state} on {self.date.iso}: {event.kind.value!r} is not allowed while {current}"
            f"{since}{amended}; allowed from there: {could}"
        )


class UnknownEventError(MembershipError, LookupError):
    """An amendment that names no event of the log (or one already retracted).

    ``key`` is the key the ``amendment`` names, which no event of ``state`` holds.
    """

    def __init__(self, *, state: str, key: str, amendment: Amendment) -> None:
        self.state = state
        self.key = key
        self.amendment = amendment
        super().__init__(
            f"{state}: {_clipped(str(amendment))} amends {_shown(key)}, which is no event of"
            " the log"
        )


class DuplicateEventError(MembershipError, ValueError):
    """Two events with the same identifier: the log would be ambiguous."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"two events share the identifier {_shown(key)}; give one of them an explicit 'id'"
        )


class MalformedDataError(MembershipError, ValueError):
    """An event-log record that cannot be read, with where it came from."""

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: int | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.record = record
        where = ", ".join(
            part
            for part in (
                file,
                None if line is None else f"line {line}",
                None if record is None else f"record {record}",
            )
            if part is not None
        )
        super().__init__(f"{where}: {reason}" if where else reason)


class RuleSetError(MembershipError, ValueError):
    """A rule set whose structure is wrong (unknown or unreachable statuses, traps).

    ``entry`` names the offending entry of a rule-set file (``transitions[3].from[1]``) and
    ``file`` the file, when the rule set was read from one.
    """

    def __init__(
        self, rules: str, problem: str, *, entry: str | None = None, file: str | None = None
    ) -> None:
        self.rules = rules
        self.problem = problem
        self.entry = entry
        self.file = file
        where = f"rule set {_shown(rules)}" + ("" if file is None else f" ({file})")
        super().__init__(f"{where}{'' if entry is None else f', {entry}'}: {problem}")


class TermError(MembershipError, ValueError):
    """A status, stage or event-kind name that is not snake_case text."""

    def __init__(self, vocabulary: str, value: object) -> None:
        self.vocabulary = vocabulary
        self.value = value
        super().__init__(
            f"{_shown(value)} is not a {vocabulary} name: use lower-case letters, digits and"
            " underscores, starting with a letter"
        )


class ConcurrencyError(MembershipError, RuntimeError):
    """Another writer appended first: the position an append expected is no longer current.

    Re-read, re-check and retry: nothing of the failed append was written.
    """

    def __init__(self, *, expected: int, actual: int, scope: str = "the log") -> None:
        self.expected = expected
        self.actual = actual
        self.scope = scope
        super().__init__(
            f"{scope} is at position {actual}, not {expected} as expected: another writer"
            " appended first; nothing was written, re-read and retry"
        )


class ClosedStoreError(MembershipError, ValueError):
    """An event store used after :meth:`~sco_membership.store.SQLiteStore.close`."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"the event store {path} is closed")


class MissingExtraError(MembershipError, ImportError):
    """An optional feature whose extra (``pip install "sco-membership[EXTRA]"``) is missing."""

    def __init__(self, module: str, extra: str, feature: str) -> None:
        self.module = module
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs {module}, which is not installed: "
            f'pip install "sco-membership[{extra}]"'
        )


class OptionError(MembershipError, ValueError):
    """An option value a function does not know: a view, a year rule, a file format."""

    def __init__(
        self, option: str, value: object, known: Sequence[str], reason: str | None = None
    ) -> None:
        self.option = option
        self.value = value
        self.known = tuple(known)
        self.reason = reason
        shown = _shown(value)
        why = f"bad {option} {shown}: {reason}" if reason else f"unknown {option} {shown}"
        super().__init__(f"{why}; known: {', '.join(self.known)}" if self.known else why)


class ChartError(MembershipError, ValueError):
    """A chart that cannot be drawn or saved as asked."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class FileError(MembershipError, OSError):
    """A file that cannot be read or written as asked: the message names the user's path.

    ``path`` is the path as the caller gave it; ``reason`` says what went wrong (the operating
    system's words, or the library's: "is a directory", "is not a regular file").
    """

    def __init__(self, path: str, reason: str, *, errno: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.code = errno
        super().__init__(f"{path}: {reason}")


class UnknownTermError(TermError, LookupError):
    """A well-formed status, stage or event-kind name that is not declared: by any rule set
    (``Status("obsrever")``) or by the rule set asked (``rules``, its name).

    ``known`` lists the declared names and ``suggestions`` the close ones among them. A
    ``TermError``, so ``except TermError`` catches a bad name of either sort.
    """

    def __init__(
        self,
        vocabulary: str,
        value: object,
        known: Sequence[str] = (),
        suggestions: Sequence[str] = (),
        *,
        rules: str | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.value = value
        self.known = tuple(known)
        self.suggestions = tuple(suggestions)
        self.rules = rules
        what = (
            f"a declared {vocabulary}" if rules is None else f"a {vocabulary} of {_shown(rules)}"
        )
        if self.suggestions:
            hint = f"did you mean {' or '.join(self.suggestions)}?"
        elif self.known:
            shown = ", ".join(self.known[:12]) + (", ..." if len(self.known) > 12 else "")
            hint = f"declared: {shown}"
        else:
            hint = "none is declared"
        # TermError's own __init__ takes other arguments: set the message as the root does.
        Exception.__init__(self, f"{_shown(value)} is not {what}; {hint}")


class VocabularyError(MembershipError, TypeError):
    """A vocabulary class asked to list its terms (``list(Status)``): the terms belong to
    rule sets, so ask one (``rules.statuses``, ``rules.stages``, ``rules.kinds``)."""

    def __init__(self, vocabulary: str, attribute: str) -> None:
        self.vocabulary = vocabulary
        self.attribute = attribute
        super().__init__(
            f"the {vocabulary} terms belong to rule sets, not to the class: ask a rule set"
            f" for its own (rules.{attribute})"
        )


class LockTimeoutError(ConcurrencyError):
    """A writer that could not get the event store's write lock within its timeout.

    Another writer held the lock all that time; nobody is known to have appended, so there are
    no positions to compare (unlike its base, it has no ``expected`` or ``actual``). Nothing
    was written: retry later, or open the store with a longer ``timeout``.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        # ConcurrencyError's own __init__ words a lost race: set the message as the root does.
        Exception.__init__(
            self,
            f"{path}: the store is locked by another writer; gave up after {timeout:g} s;"
            " nothing was written",
        )


class NothingKnownError(MembershipError, LookupError):
    """A question put to a view of the record that holds nothing yet: as the record stood on
    a day before anything was recorded (``axis`` "recorded"), or as its sources had reported
    by a day before any of them was published (``axis`` "published").

    Answering would say "none", certainly, about a record that did not speak yet. ``day`` is
    the view's day; ``earliest`` the first day on that axis the record has, if any.
    """

    def __init__(self, *, axis: str, day: dt.date, earliest: dt.date | None) -> None:
        self.axis = axis
        self.day = day
        self.earliest = earliest
        if axis == "published":
            what = f"none of the record's sources had been published by {day.isoformat()}"
            first = "the first was published" if earliest else "no source has a publication date"
        else:
            what = f"nothing had been recorded by {day.isoformat()}"
            first = "the first entry was recorded" if earliest else "no entry has a record time"
        when = f"{first} on {earliest.isoformat()}" if earliest else first
        super().__init__(f"{what} ({when}): this view holds no answer")

    def again(self) -> NothingKnownError:
        """The same error, new: a view raises it on every question, each with its own
        traceback."""
        return NothingKnownError(axis=self.axis, day=self.day, earliest=self.earliest)


class UnknownSourceError(MembershipError, LookupError):
    """A source asked for (by publisher, title or address) that no claim of the record cites.

    ``suggestions`` are the close publishers and titles.
    """

    def __init__(self, query: object, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' or '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__(
            f"no claim of the record cites {_shown(query)} (as publisher, title or address){hint}"
        )
