"""The ``sco-membership`` command: ask the ledger from a shell.

Every command reads the embedded SCO log unless ``--events FILE`` names another JSON Lines
log, and prints text, or JSON with ``--json``. Bad input prints one line on stderr and exits
with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

from .answer import Answer
from .codec import load
from .dates import to_date
from .embedded import sco
from .exceptions import MembershipError
from .ledger import Ledger
from .records import amendment_records, to_records
from .rules import SCO

__all__ = ["main"]

_EXAMPLES = """\
examples:
  sco-membership status IND 2016-06-24
  sco-membership status "Iran" "4 July 2023" --json
  sco-membership roster 2016-04-07
  sco-membership timeline Belarus
  sco-membership explain Pakistan 2017-06-09
  sco-membership status PAK 2016-06-01 --known-on 2015-01-01
  sco-membership diagram --format mermaid
  sco-membership status IND 2010-01-01 --events my_log.jsonl
"""


def _answer_data(answer: Answer, on: dt.date | None = None) -> dict[str, Any]:
    event = answer.event
    data: dict[str, Any] = {"state": answer.state}
    if on is not None:
        data["on"] = on.isoformat()
    data |= {
        "status": answer.status.value,
        "stage": None if answer.stage is None else answer.stage.value,
        "held": answer.held.value,
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


def _view(ledger: Ledger, args: argparse.Namespace) -> Ledger:
    """The ledger as the record stood on --known-on, or as it stands."""
    return ledger if args.known_on is None else ledger.as_known_on(args.known_on)


def _status(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    on = to_date(args.date)
    view = _view(ledger, args)
    answer = view.status(args.state, on)
    lines = [f"{on.isoformat()} {answer}"]
    lines += [f"  source: {source}" for source in answer.sources]
    data = _answer_data(answer, on) | {"fingerprint": view.fingerprint()}
    return "\n".join(lines), data


def _explain(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
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


def _roster(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    roster = _view(ledger, args).roster(to_date(args.date))
    data = {
        "on": roster.on.isoformat(),
        "statuses": {status.value: sorted(codes) for status, codes in roster.items()},
        "uncertain": {
            code: sorted(status.value for status in statuses)
            for code, statuses in sorted(roster.uncertain.items())
        },
    }
    return str(roster), data


def _timeline(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    history = ledger.history(args.state)
    changes = history.changes
    if not changes:
        return f"{history.state}: no status ever recorded", []
    lines = [str(answer) for _, answer in changes]
    data = [_answer_data(answer) for _, answer in changes]
    return "\n".join(lines), data


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sco-membership",
        description="Which status a state held in the Shanghai Cooperation Organisation.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument("--events", metavar="FILE", help="a JSON Lines event log to ask instead")
    common.add_argument(
        "--known-on", metavar="DAY", help="answer as the record stood on that day (record time)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    state = ("state", "ISO 3166-1 code or English name")
    day = ("date", "a day: 2016-06-24 or '24 June 2016'")
    for name, run, what, arguments, example in (
        ("status", _status, "a state's status on a day", (state, day), "India 2016-06-24"),
        ("roster", _roster, "every state's status on a day", (day,), "2016-04-07"),
        ("timeline", _timeline, "every change of one state's status", (state,), "IND"),
        (
            "explain",
            _explain,
            "why a state's status on a day is what it is: events, sources, rule, amendments",
            (state, day),
            "IND 2016-06-24",
        ),
    ):
        command = commands.add_parser(
            name, parents=[common], help=what, epilog=f"example: sco-membership {name} {example}"
        )
        for argument, text in arguments:
            command.add_argument(argument, help=text)
        command.set_defaults(run=run)
    drawing = commands.add_parser(
        "diagram",
        help="the rule set's transition table, drawn",
        epilog="example: sco-membership diagram --format mermaid",
    )
    drawing.add_argument(
        "--format", choices=("mermaid", "dot", "markdown"), default="markdown", help="the notation"
    )
    drawing.set_defaults(run=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    args = _parser().parse_args(argv)
    if args.command == "diagram":
        from . import diagram

        print(getattr(diagram, args.format)(SCO), end="")
        return 0
    try:
        ledger = sco() if args.events is None else load(args.events)
        text, data = args.run(ledger, args)
    except (MembershipError, OSError) as exc:
        print(f"sco-membership: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
