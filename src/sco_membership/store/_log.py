"""What every event store does the same way, whatever its database: a batch of records read and
checked, the expected positions read from the arguments, the stream rows a batch adds, the
stored rows read back, and a whole log verified.

The stores (:mod:`.sqlite`, :mod:`.postgres`) keep only their database's part: connections,
transactions, the schema and the errors of their driver.
"""

from __future__ import annotations

import abc
import json
import math
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import attrs

from ..exceptions import ConcurrencyError, MalformedDataError, OptionError, _shown
from ..io.records import read_record
from ..ledger import Ledger
from ..model import Amendment, Claim, Event
from ..profiles import chosen
from ..rules import RuleSet

__all__ = [
    "LARGEST",
    "Entry",
    "LogStore",
    "batch",
    "checked_ledger",
    "entry",
    "grown",
    "parsed",
    "position",
    "read_events",
    "rule_set",
    "seconds",
    "stream_rows",
    "verified",
    "wanted",
]

# The largest integer SQLite keeps (a signed 64-bit one, PostgreSQL's bigint too): no position
# can be past it.
LARGEST = 2**63 - 1


@attrs.frozen
class Entry:
    """One record ready to insert: its JSON text and the events it stands for."""

    text: str
    events: tuple[Event, ...] | tuple[Amendment, ...] | tuple[Claim, ...]

    def columns(self) -> tuple[str, str | None, str | None, str | None]:
        """The indexed columns: kind, and the date's text and window (none for amendments; a
        claim's kind is "claim", its date the one it gives)."""
        lead = self.events[0]
        if isinstance(lead, Amendment):
            return (lead.kind.value, None, None, None)
        if isinstance(lead, Claim):
            date = lead.date
            return ("claim", date.iso, date.first_day.isoformat(), date.last_day.isoformat())
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


def batch(records: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[Entry]:
    """The records of an append, each read and checked: a list of records, never one record."""
    if isinstance(records, Mapping):
        raise MalformedDataError("append takes a list of records, not one record")
    try:
        given = list(records)
    except TypeError:
        raise MalformedDataError(
            f"append takes a list of records, not {type(records).__name__}"
        ) from None
    return [entry(record, number, rules) for number, record in enumerate(given, start=1)]


def grown(ledger: Ledger, entries: list[Event | Amendment | Claim]) -> Ledger:
    """``ledger`` with events, amendments and claims added and validated (a bulk load if it
    is empty)."""
    if not ledger.histories and not ledger.amendments and not ledger.claims:
        return Ledger.from_events(
            [entry for entry in entries if isinstance(entry, Event)],
            rules=ledger.rules,
            amendments=[entry for entry in entries if isinstance(entry, Amendment)],
            claims=[entry for entry in entries if isinstance(entry, Claim)],
        )
    return ledger.append(*entries)


def position(value: object, name: str) -> int:
    """A position given as an argument: an int from 0 to the largest 64-bit integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedDataError(f"{name} must be a position (an int), not {_shown(value)}")
    if value < 0:
        raise MalformedDataError(f"{name} must be a position (0 or more), not {value}")
    if value > LARGEST:
        raise MalformedDataError(
            f"{name} must be a position, and no store reaches one past 2**63 - 1 (SQLite's"
            " largest integer)"
        )
    return value


def seconds(timeout: object) -> float:
    """A timeout given as an argument: a number of seconds, 0 or more."""
    found = math.nan
    if isinstance(timeout, float) or (
        isinstance(timeout, int) and not isinstance(timeout, bool) and timeout <= LARGEST
    ):
        found = float(timeout)
    if not 0 <= found < math.inf:
        raise OptionError("timeout", timeout, (), "a number of seconds, 0 or more")
    return found


def wanted(expected: object, rules: RuleSet) -> int | dict[str, int]:
    """``expected`` of an append: the log's position, or a state's for each state named."""
    if not isinstance(expected, Mapping):
        return position(expected, "expected")
    if not expected:
        raise MalformedDataError(
            "expected={} names no state, so it would check no position: give"
            " expected=store.position() (the whole log), or the position of each state"
            " the batch depends on, such as {'IND': store.position('IND')}"
        )
    found: dict[str, int] = {}
    for state, value in expected.items():
        code = rules.member(state)
        place = position(value, f"expected[{_shown(state)}]")
        if found.setdefault(code, place) != place:
            raise MalformedDataError(
                f"expected gives {code} two positions, {found[code]} and {place}"
            )
    return found


def stream_rows(
    entries: list[Entry],
    expected: int | dict[str, int],
    log: int,
    state_position: Callable[[str], int],
) -> list[tuple[int, str, int]]:
    """Check the expected positions (the log is at ``log``; ``state_position`` reads a state's)
    and give the (record number, state, position) rows the batch adds to the streams."""
    if isinstance(expected, int):
        if expected != log:
            raise ConcurrencyError(expected=expected, actual=log)
        expected = {}
    for state, place in expected.items():
        actual = state_position(state)
        if actual != place:
            raise ConcurrencyError(expected=place, actual=actual, scope=f"state {state}")
    # Rows go where the writer expects them: a stale expectation collides with a key.
    reached = dict(expected)
    rows = []
    for number, one in enumerate(entries, start=1):
        for event in one.events:
            if event.state not in reached:
                reached[event.state] = state_position(event.state)
            reached[event.state] += 1
            rows.append((number, event.state, reached[event.state]))
    return rows


def parsed(
    found: Iterable[tuple[int, str]], after: int, malformed: Callable[[str], Exception], name: str
) -> list[tuple[int, dict[str, Any]]]:
    """The stored rows (position, JSON text) after ``after``, read back as dicts; a gap in the
    positions or a row that is not a JSON object is an error (``malformed`` makes it)."""
    rows = []
    for number, (place, text) in enumerate(found, start=after + 1):
        if place != number:
            raise malformed(f"record {number} is missing (the next is {place})")
        try:
            record = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            record = None
        if not isinstance(record, dict):
            raise MalformedDataError(
                "the stored record is not a JSON object", file=name, record=place
            )
        rows.append((place, record))
    return rows


def read_events(
    rows: list[tuple[int, dict[str, Any]]], rules: RuleSet, name: str
) -> list[Event | Amendment | Claim]:
    """The events, amendments and claims of stored rows, each read again."""
    return [
        one
        for place, record in rows
        for one in read_record(record, file=name, number=place, rules=rules)
    ]


def verified(
    rows: list[tuple[int, dict[str, Any]]],
    streams: Iterable[tuple[str, int, int]],
    rules: RuleSet,
    name: str,
    malformed: Callable[[str], Exception],
) -> None:
    """Verify a whole stored log: each stream's positions without gaps, each record's states
    against its stream rows, and the log against the rule set."""
    counts: dict[str, int] = {}
    named: dict[int, list[str]] = {}
    for state, place, event in streams:
        counts[state] = counts.get(state, 0) + 1
        if place != counts[state]:
            raise malformed(f"the stream of {state} has no position {counts[state]}")
        named.setdefault(event, []).append(state)
    events = read_events(rows, rules, name)  # every record read, so each names its states
    for place, record in rows:
        one = record.get("state")
        states = [one] if one is not None else record["states"]
        if sorted(named.pop(place, [])) != sorted(states):
            raise malformed(f"record {place} and the streams disagree on its states")
    if named:
        raise malformed(f"a stream names record {min(named)}, which does not exist")
    grown(Ledger({}, rules), events)  # the whole log passes the rule set


def checked_ledger(ledger: object, rules: RuleSet) -> Ledger:
    """The ledger given to ``follow``: a ledger under the store's rule set."""
    if not isinstance(ledger, Ledger):
        raise OptionError("ledger", ledger, (), "a Ledger")
    if ledger.rules != rules:
        raise OptionError(
            "rule set of the ledger",
            ledger.rules.name,
            (),
            f"follow takes a ledger under the store's rule set {rules.name!r}",
        )
    return ledger


class LogStore(abc.ABC):
    """What every store offers the same way, whatever its database: made from a ledger, its
    rule set, its records as appended, and a ``with`` block that closes it. A store opens its
    database in its own constructor and keeps the rest."""

    _rules: RuleSet

    @abc.abstractmethod
    def __init__(self, where: Any, *, rules: RuleSet | None = None, timeout: float = 10.0) -> None:
        """Open the store at ``where``, validating appends against ``rules``."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close what the store opened; closing twice does nothing."""

    @abc.abstractmethod
    def append(
        self, records: Iterable[Mapping[str, Any]], *, expected: int | Mapping[str, int]
    ) -> int:
        """Append ``records`` if the log is where the writer expects it; the new position."""

    @abc.abstractmethod
    def changes_since(self, position: int) -> tuple[list[dict[str, Any]], int]:
        """The records appended after ``position``, and the position after them."""

    @classmethod
    def from_ledger(cls, where: Any, ledger: Ledger, *, timeout: float = 10.0) -> Self:
        """A new store at ``where`` holding ``ledger``'s records (in
        :meth:`Ledger.to_records` order), under its rule set; the place must hold no store
        yet, or an empty one."""
        if not isinstance(ledger, Ledger):
            raise OptionError("ledger", ledger, (), "a Ledger")
        store = cls(where, rules=ledger.rules, timeout=timeout)
        try:
            store.append(ledger.to_records(), expected=0)
        except BaseException:
            store.close()
            raise
        return store

    @property
    def rules(self) -> RuleSet:
        """The rule set appends are validated against."""
        return self._rules

    def records(self) -> list[dict[str, Any]]:
        """Every record, in the order appended, each equal to the dict appended."""
        records, _ = self.changes_since(0)
        return records

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def rule_set(rules: object) -> RuleSet:
    """A store's rule set: ``rules``, or the default one for ``None``."""
    if rules is not None and not isinstance(rules, RuleSet):
        raise OptionError("rules", rules, (), "a RuleSet (or None for the SCO's)")
    return chosen(rules)
