"""The ``sco-membership`` command: ask the ledger from a shell.

Every command reads the embedded SCO log unless ``--events FILE`` names another JSON Lines
log, and prints text, or JSON with ``--json``. Bad input prints one line on stderr and exits
with status 2.

Two options, given before or after the command, choose the organisation:
``--organisation brics`` asks the embedded BRICS data set instead (its rules read an
``--events`` log, check a ``validate`` file and draw the ``diagram``), and ``--rules FILE``
names a rule-set file (``.toml`` or ``.json``, see "Model your own organisation") for an
``--events`` log, ``validate`` and ``diagram``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..answer import Answer
from ..dates import to_date
from ..exceptions import MembershipError
from ..io.jsonl import dumps, load
from ..io.records import amendment_records, to_records
from ..ledger import Ledger
from ..organisations import SCO_RULES, brics, sco
from ..rules import RuleSet

__all__ = ["main"]


# The query commands: each answers from a ledger as (text, JSON data), the text to print and
# the same answer as plain data for --json.


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
    changes = history.timeline()
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


_EXAMPLES = """\
examples:
  sco-membership status IND 2016-06-24
  sco-membership status "Iran" "4 July 2023" --json
  sco-membership roster 2016-04-07
  sco-membership timeline Belarus
  sco-membership explain Pakistan 2017-06-09
  sco-membership status PAK 2016-06-01 --known-on 2015-01-01
  sco-membership diff 2017-01-01 2018-01-01
  sco-membership changes --from 2015-01-01 --to 2017-12-31
  sco-membership validate my_log.jsonl
  sco-membership export --format panel-csv --rule dec31 --out sco-panel.csv
  sco-membership chart --out sco.png
  sco-membership diagram --format mermaid
  sco-membership status IND 2010-01-01 --events my_log.jsonl
  sco-membership --organisation brics status IDN 2025-02-01
  sco-membership --rules my_org.toml status XYZ 2020-01-01 --events my_org.jsonl

Each command's --help shows its own examples: sco-membership export --help
"""


#: The embedded data sets ``--organisation`` chooses from.
_ORGANISATIONS = {"sco": sco, "brics": brics}


class _UsageError(Exception):
    """Options that do not go together: reported like bad input (status 2)."""


def _rules(args: argparse.Namespace) -> RuleSet:
    """The rule set asked for: the ``--rules`` file, or the organisation's (the SCO's)."""
    if args.rules is not None:
        if args.organisation is not None:
            raise _UsageError("give --organisation or --rules, not both")
        return RuleSet.load(args.rules)
    if args.organisation in (None, "sco"):
        return SCO_RULES
    return _ORGANISATIONS[args.organisation]().rules


def _ledger(args: argparse.Namespace) -> Ledger:
    """The ledger asked for: the ``--events`` log read with :func:`_rules`, or an embedded one."""
    if args.events is not None:
        return load(args.events, rules=_rules(args))
    if args.rules is not None:
        raise _UsageError("--rules reads an event log: give --events FILE too")
    return _ORGANISATIONS[args.organisation or "sco"]()


def _validate(args: argparse.Namespace) -> int:
    from ..io.validate import check_file

    report = check_file(args.file, rules=_rules(args))
    if args.json:
        print(
            json.dumps(
                {
                    "file": report.name,
                    "valid": report.valid,
                    "records": report.records,
                    "events": report.events,
                    "states": report.states,
                    "problems": [
                        {"line": p.line, "state": p.state, "message": p.message}
                        for p in report.problems
                    ],
                    "warnings": [
                        {"line": w.line, "state": w.state, "message": w.message}
                        for w in report.warnings
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(report)
    return 0 if report.valid else 1


def _export(ledger: Ledger, args: argparse.Namespace) -> str:
    view = as_asked(ledger, args)
    if args.format == "jsonl":
        return dumps(view)
    from ..export import panel

    if args.format == "intervals-csv":
        return panel.to_csv(panel.interval_rows(view), panel.INTERVAL_COLUMNS)
    rows = panel.panel_rows(view, rule=args.rule, start=args.start, end=args.end)
    return panel.to_csv(rows, panel.panel_columns(view.rules))


def _write(text: str, out: str | None) -> None:
    """Print ``text``, or write it to ``out`` (replacing the file only once it is complete)."""
    if out is None:
        sys.stdout.write(text)
        return
    temporary = f"{out}.partial"
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temporary, out)


def _chart(ledger: Ledger, args: argparse.Namespace) -> str:
    from ..export import chart

    options: dict[str, Any] = {}
    if args.state:
        options["states"] = [ledger.code(state) for state in args.state]
    if args.start is not None:
        options["start"] = to_date(args.start)
    if args.end is not None:
        options["end"] = to_date(args.end)
    path = chart.save(as_asked(ledger, args), args.out, **options)
    return f"wrote {path}"


def _choosers(*, inner: bool) -> argparse.ArgumentParser:
    """``--organisation`` and ``--rules``: on the main parser, and again after the command
    (``inner``), where no default is set so as not to overwrite one given before it."""
    options = argparse.ArgumentParser(add_help=False)
    default: Any = argparse.SUPPRESS if inner else None
    options.add_argument(
        "--organisation",
        choices=tuple(_ORGANISATIONS),
        help="the embedded data set to ask, and whose rules to use (when not given: sco)",
        default=default,
    )
    options.add_argument(
        "--rules",
        metavar="FILE",
        help="a rule-set file (.toml or .json) to read the --events log, validate or diagram with",
        default=default,
    )
    return options


_CHOOSERS = _choosers(inner=True)
_COMMON = argparse.ArgumentParser(add_help=False)
_COMMON.add_argument("--events", metavar="FILE", help="a JSON Lines event log to ask instead")
_COMMON.add_argument(
    "--known-on", metavar="DAY", help="answer as the record stood on that day (record time)"
)
_JSON = argparse.ArgumentParser(add_help=False)
_JSON.add_argument("--json", action="store_true", help="print JSON instead of text")

_STATE = ("state", "ISO 3166-1 code or English name")
_DAY = ("date", "a day: 2016-06-24 or '24 June 2016'")
# name, handler, help, positional arguments, examples
_QUERIES: tuple[tuple[str, Any, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    (
        "status",
        status,
        "a state's status on a day",
        (_STATE, _DAY),
        ("India 2016-06-24",),
    ),
    ("roster", roster, "every state's status on a day", (_DAY,), ("2016-04-07",)),
    ("timeline", timeline, "every change of one state's status", (_STATE,), ("IND",)),
    (
        "explain",
        explain,
        "why a state's status on a day is what it is: events, sources, rule, amendments",
        (_STATE, _DAY),
        ("Pakistan 2017-06-09", "PAK 2016-06-01 --known-on 2015-01-01"),
    ),
    (
        "diff",
        diff,
        "who changed status between two days",
        (("date1", "the first day"), ("date2", "the second day")),
        ("2017-01-01 2018-01-01",),
    ),
    (
        "changes",
        changes,
        "every status-changing event after --from up to and including --to",
        (),
        ("--from 2015-01-01 --to 2017-12-31", "--from 2025-01-01 --json"),
    ),
)


def _add(commands: Any, name: str, what: str, examples: Sequence[str], parents: list[Any]) -> Any:
    epilog = "\n".join(f"  sco-membership {name} {example}" for example in examples)
    return commands.add_parser(
        name,
        parents=parents,
        help=what,
        description=what[0].upper() + what[1:] + ".",
        epilog=f"examples:\n{epilog}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sco-membership",
        description="Which status a state held in the Shanghai Cooperation Organisation (or,"
        " with --organisation or --rules, in another organisation).",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_choosers(inner=False)],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, run, what, arguments, examples in _QUERIES:
        command = _add(commands, name, what, examples, [_JSON, _COMMON, _CHOOSERS])
        for argument, text in arguments:
            command.add_argument(argument, help=text)
        command.set_defaults(run=run)
    changes = commands.choices["changes"]
    changes.add_argument("--from", dest="start", metavar="DAY", help="after this day")
    changes.add_argument("--to", dest="end", metavar="DAY", help="up to and including this day")

    check = _add(
        commands,
        "validate",
        "check an event log: every problem with its line; exit 0 only when it is valid",
        ("my_log.jsonl", "my_log.jsonl --json", "my_org.jsonl --rules my_org.toml"),
        [_JSON, _CHOOSERS],
    )
    check.add_argument("file", help="the JSON Lines event log to check")

    export = _add(
        commands,
        "export",
        "the log, or every state's status, as a file: panel CSV, intervals CSV or JSON Lines",
        (
            "--format panel-csv --rule dec31 --out sco-panel.csv",
            "--format panel-csv --rule 07-01 --start 2001 --end 2024",
            "--format intervals-csv",
            "--format jsonl --known-on 2020-01-01",
            "--format panel-csv --organisation brics",
        ),
        [_COMMON, _CHOOSERS],
    )
    export.add_argument(
        "--format",
        choices=("panel-csv", "intervals-csv", "jsonl"),
        required=True,
        help="panel-csv: one row per state and year (COW layout); intervals-csv: one row per"
        " interval of each state's history; jsonl: the event log itself",
    )
    export.add_argument(
        "--rule",
        default="dec31",
        help="panel: how a year becomes one status: dec31, any, majority or MM-DD (a chosen day)",
    )
    export.add_argument("--start", type=int, metavar="YEAR", help="panel: the first year")
    export.add_argument("--end", type=int, metavar="YEAR", help="panel: the last year")
    export.add_argument("--out", metavar="FILE", help="write here instead of to stdout")

    drawing = _add(
        commands,
        "chart",
        "draw every state's status over time (PNG or SVG; needs the [plot] extra)",
        (
            "--out sco.png",
            "--out sco.svg --start 2001-01-01 --state IND --state PAK",
            "--out brics.png --organisation brics",
        ),
        [_COMMON, _CHOOSERS],
    )
    drawing.add_argument("--out", metavar="FILE", required=True, help="a .png or .svg file")
    drawing.add_argument("--start", metavar="DAY", help="the first day drawn")
    drawing.add_argument("--end", metavar="DAY", help="the last day drawn")
    drawing.add_argument(
        "--state", action="append", metavar="STATE", help="draw this state (repeatable)"
    )

    diagram = _add(
        commands,
        "diagram",
        "the rule set's transition table, drawn",
        ("--format mermaid", "--format dot", "--rules my_org.toml"),
        [_CHOOSERS],
    )
    diagram.add_argument(
        "--format", choices=("mermaid", "dot", "markdown"), default="markdown", help="the notation"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 an invalid log, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "diagram":
            from ..export import diagram

            print(getattr(diagram, args.format)(_rules(args)), end="")
            return 0
        if args.command == "validate":
            return _validate(args)
        ledger = _ledger(args)
        if args.command == "export":
            _write(_export(ledger, args), args.out)
            return 0
        if args.command == "chart":
            print(_chart(ledger, args))
            return 0
        text, data = args.run(ledger, args)
    except (MembershipError, OSError, _UsageError) as exc:
        print(f"sco-membership: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
