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
    "MalformedDataError",
    "MembershipError",
    "MissingExtraError",
    "OptionError",
    "RuleSetError",
    "TermError",
    "UnknownEventError",
    "UnknownStateError",
]


_Error = TypeVar("_Error", bound="MembershipError")


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
        super().__init__(f"cannot read {text!r} as a date: {reason}")


class UnknownStateError(MembershipError, LookupError):
    """A state code or name that is not in ISO 3166-1."""

    def __init__(self, query: object, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{query!r} is not an ISO 3166-1 state code or name{hint}")


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
            f" once amended by {'; '.join(map(str, self.amendment))}" if self.amendment else ""
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
        super().__init__(f"{state}: {amendment} amends {key!r}, which is no event of the log")


class DuplicateEventError(MembershipError, ValueError):
    """Two events with the same identifier: the log would be ambiguous."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"two events share the identifier {key!r}; give one of them an explicit 'id'"
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
        where = f"rule set {rules!r}" + ("" if file is None else f" ({file})")
        super().__init__(f"{where}{'' if entry is None else f', {entry}'}: {problem}")


class TermError(MembershipError, ValueError):
    """A status, stage or event-kind name that is not snake_case text."""

    def __init__(self, vocabulary: str, value: object) -> None:
        self.vocabulary = vocabulary
        self.value = value
        super().__init__(
            f"{value!r} is not a {vocabulary} name: use lower-case letters, digits and"
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
        why = f"bad {option} {value!r}: {reason}" if reason else f"unknown {option} {value!r}"
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
