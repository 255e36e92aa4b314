"""The query commands of the command line: each answers from a ledger as (text, JSON data).

Every handler takes the ledger and the parsed arguments and returns what to print: the text,
and the same answer as plain data for ``--json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from .answer import Answer
from .dates import to_date
from .ledger import Ledger
from .records import amendment_records, to_records

__all__ = ["as_asked", "changes", "diff", "explain", "roster", "status", "timeline"]


def _answer_data(answer: Answer, on: dt.date | None = None) -> dict[str, Any]:
    event = answer.event
    data: dict[str, Any] = {"state": answer.state}
    if on is not None:
        data["on"] = on.isoformat()
    data |= {
        **answer.values(),
        "certain": answer.certain,
        "possible": sorted(status.value for status in answer.possible),
        "organisation": answer.organisation,
        "since": None if answer.since is None else answer.since.iso,
        "until": None if answer.until is None else answer.until.iso,
        "event": None if event is None else event.kind.value,
        "place": None if event is None else event.place,
        "sources": [{"title": s.title, "url": s.url} for s in answer.sources],
    }
    return data


def as_asked(ledger: Ledger, args: argparse.Namespace) -> Ledger:
    """The ledger as the record stood on --known-on, or as it stands."""
    return ledger if args.known_on is None else ledger.as_known_on(args.known_on)


def status(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    on = to_date(args.date)
    view = as_asked(ledger, args)
    answer = view.status(args.state, on)
    lines = [f"{on.isoformat()} {answer}"]
    lines += [f"  source: {source}" for source in answer.sources]
    data = _answer_data(answer, on) | {"fingerprint": view.fingerprint()}
    return "\n".join(lines), data


def explain(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    on = to_date(args.date)
    why = ledger.explain(args.state, on, known_on=args.known_on)
    data = _answer_data(why.answer, on) | {
        "known_on": None if why.known_on is None else why.known_on.isoformat(),
        "rule": None
        if why.rule is None
        else {
            "kind": why.rule.kind.value,
            "from": str(why.rule.source),
            "to": None if why.rule.target is None else str(why.rule.target),
        },
        "events": [record for event in why.events for record in to_records([event])],
        "amendments": amendment_records(why.amendments),
        "fingerprint": why.fingerprint,
    }
    return str(why), data


def roster(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    roster = as_asked(ledger, args).roster(to_date(args.date))
    data = {
        "on": roster.on.isoformat(),
        "statuses": {status.value: sorted(codes) for status, codes in roster.items()},
        "uncertain": {
            code: sorted(status.value for status in statuses)
            for code, statuses in sorted(roster.uncertain.items())
        },
    }
    return str(roster), data


def timeline(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    history = as_asked(ledger, args).history(args.state)
    changes = history.changes
    if not changes:
        return f"{history.state}: no status ever recorded", []
    lines = [str(answer) for _, answer in changes]
    data = [_answer_data(answer) for _, answer in changes]
    return "\n".join(lines), data


def _standing(answer: Answer) -> dict[str, Any]:
    return {**answer.values(), "certain": answer.certain}


def diff(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    view = as_asked(ledger, args)
    first, second = to_date(args.date1), to_date(args.date2)
    lines, data = [], []
    for state in view.states:
        before, after = view.status(state, first), view.status(state, second)
        if _standing(before) != _standing(after):
            lines.append(f"{state}: {before.describe()} -> {after.describe()}")
            data.append({"state": state, "from": _standing(before), "to": _standing(after)})
    head = f"{first.isoformat()} -> {second.isoformat()}: {len(data)} state(s) changed"
    return "\n".join([head, *lines]), {
        "from": first.isoformat(),
        "to": second.isoformat(),
        "changed": data,
    }


def changes(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    start = dt.date.min if args.start is None else to_date(args.start)
    end = dt.date.max if args.end is None else to_date(args.end)
    found = as_asked(ledger, args).changes(start, end)
    data = [
        {
            "date": change.event.date.iso,
            "state": change.state,
            "event": change.event.kind.value,
            "place": change.event.place,
            "from": _standing(change.before),
            "to": _standing(change.after),
            "sources": [{"title": s.title, "url": s.url} for s in change.event.sources],
        }
        for change in found
    ]
    return "\n".join(map(str, found)) or "no change", data
