"""The JSON Lines event log: one record per line, human-editable and diff-friendly.

Blank lines are allowed; anything else must be one JSON object per line (see
:mod:`sco_membership.io.records` for its fields). Every problem is reported with the file name and
line number as :class:`~sco_membership.exceptions.MalformedDataError`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..exceptions import MalformedDataError
from ..ledger import Ledger
from ..model import Amendment, Event
from ..profiles import chosen
from ..rules import RuleSet
from .records import read_record, to_records

__all__ = ["dump", "dumps", "load", "loads", "read_entries"]


def _parse_lines(text: str, name: str) -> Iterator[tuple[int, Any]]:
    # Only "\n" ends a line (JSON Lines); str.splitlines() would also split inside a value on
    # U+2028, U+2029 or U+0085, which json.dumps(ensure_ascii=False) leaves as they are.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise MalformedDataError(
                f"not valid JSON ({exc.msg} at column {exc.colno})", file=name, line=number
            ) from None
        except ValueError as exc:  # e.g. an integer too long to convert
            raise MalformedDataError(f"not valid JSON ({exc})", file=name, line=number) from None
        except RecursionError:
            raise MalformedDataError("JSON nested too deeply", file=name, line=number) from None


def read_entries(
    text: str, *, name: str = "<string>", rules: RuleSet | None = None
) -> tuple[list[Event], list[Amendment]]:
    """The events and the amendments (corrections, retractions) of a JSON Lines log, with the
    kinds ``rules`` knows."""
    rules = chosen(rules)
    events: list[Event] = []
    amendments: list[Amendment] = []
    for number, record in _parse_lines(text, name):
        for entry in read_record(record, file=name, line=number, rules=rules):
            if isinstance(entry, Event):
                events.append(entry)
            else:
                amendments.append(entry)
    return events, amendments


def loads(text: str, *, rules: RuleSet | None = None, name: str = "<string>") -> Ledger:
    """A validated ledger from JSON Lines text, corrections and retractions applied."""
    rules = chosen(rules)
    events, amendments = read_entries(text, name=name, rules=rules)
    return Ledger.from_events(events, rules=rules, amendments=amendments)


def load(path: str | os.PathLike[str], *, rules: RuleSet | None = None) -> Ledger:
    """A validated ledger from a JSON Lines file.

    Errors in the file name the file and the line; a missing file raises ``OSError``.
    """
    rules = chosen(rules)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return loads(text, rules=rules, name=os.fspath(path))


def dumps(source: Ledger | Iterable[Event]) -> str:
    """JSON Lines text for a ledger (its events as first recorded, then its amendments) or for
    some events: one decision per line, in date order; ``loads(dumps(ledger)) == ledger``."""
    records = source.to_records() if isinstance(source, Ledger) else to_records(source)
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def dump(source: Ledger | Iterable[Event], path: str | os.PathLike[str]) -> None:
    """Write :func:`dumps` to a file, replacing it only once the new text is complete."""
    text = dumps(source)
    temporary = f"{os.fspath(path)}.partial"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
