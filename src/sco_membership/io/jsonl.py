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

from ..exceptions import MalformedDataError, _shown
from ..ledger import Ledger
from ..model import Amendment, Claim, Event
from ..profiles import chosen
from ..rules import RuleSet
from .files import read_text, write_text
from .records import read_records, to_records

__all__ = ["dump", "dumps", "load", "loads", "parse_line", "read_entries"]


class _DuplicateKeyError(Exception):
    """Raised inside the JSON decoder by :func:`_object`; never leaves this module."""

    def __init__(self, key: str) -> None:
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two equal keys, silently: {"state": "IND", "state":
    # "PAK"} would read as PAK. dict() is C-speed; only a mismatch of sizes looks further.
    made = dict(pairs)
    if len(made) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return made


# One decoder for every line: json.loads with a hook would make a new one per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def parse_line(line: str) -> Any:
    """The JSON value of one line of a log, refusing what ``json.loads`` lets through (a key
    given twice) or raises past its ``JSONDecodeError`` (an integer past 4,300 digits, deep
    nesting) as :class:`~sco_membership.exceptions.MalformedDataError`, with the reason only.

    Text that is not JSON raises ``json.JSONDecodeError``, for the caller to word: the caller
    adds the file and the line in any case.
    """
    try:
        if type(line) is str and not line.startswith("\ufeff"):
            return _DECODER.decode(line)
        # Bytes, or a byte-order mark to name: json.loads's own handling, as before.
        return json.loads(line, object_pairs_hook=_object)
    except json.JSONDecodeError:
        raise
    except _DuplicateKeyError as exc:
        raise MalformedDataError(
            f"the key {_shown(exc.key)} is given twice in one object"
        ) from None
    except ValueError as exc:  # e.g. an integer too long to convert: a one-line message
        reason = str(exc).split(";")[0]
        raise MalformedDataError(f"not valid JSON ({reason})") from None
    except RecursionError:
        raise MalformedDataError("not valid JSON (nested too deeply)") from None


def _parse_lines(text: str, name: str) -> Iterator[tuple[int, Any]]:
    # Only "\n" ends a line (JSON Lines); str.splitlines() would also split inside a value on
    # U+2028, U+2029 or U+0085, which json.dumps(ensure_ascii=False) leaves as they are.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, parse_line(line)
        except json.JSONDecodeError as exc:
            raise MalformedDataError(
                f"not valid JSON ({exc.msg} at column {exc.colno})", file=name, line=number
            ) from None
        except MalformedDataError as exc:
            raise MalformedDataError(exc.reason, file=name, line=number) from None


def read_entries(
    text: str, *, name: str = "<string>", rules: RuleSet | None = None
) -> tuple[list[Event], list[Amendment], list[Claim]]:
    """The events, the amendments (corrections, retractions) and the claims of a JSON Lines
    log, with the kinds ``rules`` knows."""
    rules = chosen(rules)
    return read_records(_parse_lines(text, name), rules=rules, file=name, lines=True)


def loads(text: str, *, rules: RuleSet | None = None, name: str = "<string>") -> Ledger:
    """A validated ledger from JSON Lines text, corrections and retractions applied."""
    rules = chosen(rules)
    events, amendments, claims = read_entries(text, name=name, rules=rules)
    return Ledger.from_events(events, rules=rules, amendments=amendments, claims=claims)


def load(path: str | os.PathLike[str], *, rules: RuleSet | None = None) -> Ledger:
    """A validated ledger from a JSON Lines file (``-``: standard input).

    Errors in the file name the file and the line; a file that cannot be read raises
    :class:`~sco_membership.exceptions.FileError`, bytes that are not UTF-8
    :class:`~sco_membership.exceptions.MalformedDataError`.
    """
    rules = chosen(rules)
    text = read_text(path)
    return loads(text, rules=rules, name=_name(path))


def _name(path: str | os.PathLike[str]) -> str:
    """The file's name in messages (read_text has checked that it is a path)."""
    name = os.fsdecode(path)
    return "<stdin>" if name == "-" else name


def dumps(source: Ledger | Iterable[Event]) -> str:
    """JSON Lines text for a ledger (its events as first recorded, then its amendments) or for
    some events: one decision per line, in date order; ``loads(dumps(ledger)) == ledger``."""
    records = source.to_records() if isinstance(source, Ledger) else to_records(source)
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def dump(source: Ledger | Iterable[Event], path: str | os.PathLike[str]) -> None:
    """Write :func:`dumps` to a file (``-``: standard output), all or nothing (see
    :func:`~sco_membership.io.files.write_text`)."""
    write_text(path, dumps(source))
