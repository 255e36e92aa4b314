"""The ``sco-membership`` command: ask the ledger from a shell.

Every command reads the embedded SCO log unless ``--events FILE`` names another JSON Lines
log (``-``: standard input), and prints text, or JSON with ``--json``.

The options that choose what is asked may be given before the command or after it:
``--organisation brics`` asks the embedded BRICS data set instead (its rules read an
``--events`` log, check a ``validate`` file and draw the ``diagram``); ``--rules FILE``
names a rule-set file (``.toml`` or ``.json``, see "Model your own organisation") for an
``--events`` log, ``validate`` and ``diagram``; ``--events``, ``--known-on`` and ``--json``
go with the commands that take them (a command refuses one it does not take).

``export --out FILE`` and ``chart --out FILE`` write the whole file or nothing, through a
temporary file of their own in the same folder; a symbolic link keeps pointing to the new
file, a FIFO or a device is written to, never replaced. ``export --out -`` (or no ``--out``)
writes to standard output, and ``validate -`` reads standard input.

The exit status says how the command ended; an error is one line on standard error, never
a traceback:

- 0: done;
- 1: ``validate`` found the log invalid;
- 2: a usage error, bad input, or an input/output error (a missing file, a full disk);
- 3: an internal error, a bug: the line says so, please report it;
- 141 (128 + SIGPIPE, what a shell reports for any command whose reader went away): the
  output's reader stopped early, as ``| head -1`` does; the command ends quietly;
- 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..answer import Answer
from ..dates import to_date
from ..exceptions import FileError, MembershipError
from ..io.files import read_text, write_bytes, write_text
from ..io.jsonl import dumps, loads
from ..io.records import amendment_records, to_records
from ..ledger import Ledger
from ..model import Claim, Source
from ..organisations import SCO_RULES, brics, sco
from ..rules import RuleSet

__all__ = ["main"]

# The exit statuses (see the module's docstring).
_OK, _INVALID, _BAD_INPUT, _INTERNAL = 0, 1, 2, 3
_INTERRUPTED = 130  # 128 + SIGINT
_BROKEN_PIPE = 141  # 128 + SIGPIPE


class _UsageError(Exception):
    """Options that do not go together: reported like bad input (status 2)."""


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
        "sources": [_source_data(source) for source in answer.sources],
        # Past the day the record is complete through, the answer may miss later events.
        "beyond_horizon": answer.beyond is not None,
        "horizon": None if answer.beyond is None else answer.beyond.isoformat(),
    }
    return data


def as_asked(ledger: Ledger, args: argparse.Namespace) -> Ledger:
    """The ledger as the record stood on --known-on (record time), then as its sources had
    reported it by --reported-on (publication time) or as one source tells it
    (--according-to)."""
    reported_on = getattr(args, "reported_on", None)
    according_to = getattr(args, "according_to", None)
    if reported_on is not None and according_to is not None:
        raise _UsageError(
            "--reported-on and --according-to are two views: give one of them (what one source"
            " said is dated by its own publication)"
        )
    view = ledger if args.known_on is None else ledger.as_known_on(args.known_on)
    if reported_on is not None:
        return view.as_reported_on(reported_on)
    if according_to is not None:
        return view.according_to(according_to)
    return view


def _source_data(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": None if source.published is None else source.published.iso,
    }


def _claim_data(claim: Claim) -> dict[str, Any]:
    return {
        "state": claim.state,
        "says": claim.says.value,
        "date": claim.date.iso,
        "verdict": claim.verdict.value,
        "reason": claim.reason,
        "event": claim.event,
        "quote": claim.quote,
        "source": _source_data(claim.source),
    }


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
    if args.reported_on is None and args.according_to is None:
        why = ledger.explain(args.state, on, known_on=args.known_on)
    else:
        why = as_asked(ledger, args).explain(args.state, on)
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
        "claims": [_claim_data(claim) for claim in why.claims],
        "fingerprint": why.fingerprint,
    }
    return str(why), data


def disputes(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    found = as_asked(ledger, args).disputes(args.state)
    data = [
        {
            "state": dispute.state,
            "chosen": None if dispute.event is None else to_records([dispute.event])[0],
            "accepted": [_claim_data(claim) for claim in dispute.accepted],
            "rejected": [_claim_data(claim) for claim in dispute.rejected],
        }
        for dispute in found
    ]
    text = "\n\n".join(map(str, found))
    return text or "no disputed event", data


def roster(ledger: Ledger, args: argparse.Namespace) -> tuple[str, Any]:
    roster = as_asked(ledger, args).roster(to_date(args.date))
    data = {
        "on": roster.on.isoformat(),
        "statuses": {status.value: sorted(codes) for status, codes in roster.items()},
        "uncertain": {
            code: sorted(status.value for status in statuses)
            for code, statuses in sorted(roster.uncertain.items())
        },
        "beyond_horizon": roster.beyond is not None,
        "horizon": None if roster.beyond is None else roster.beyond.isoformat(),
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
    if start > end:
        raise _UsageError(
            f"--from {args.start} is after --to {args.end}: give the earlier day first"
        )
    found = as_asked(ledger, args).changes(start, end)
    data = [
        {
            "date": change.event.date.iso,
            "state": change.state,
            "event": change.event.kind.value,
            "place": change.event.place,
            "from": _standing(change.before),
            "to": _standing(change.after),
            "sources": [_source_data(source) for source in change.event.sources],
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
  sco-membership status PAK 2016-06-01 --reported-on 2016-01-01
  sco-membership status PAK 2016-01-01 --according-to "The Nation"
  sco-membership disputes IRN
  sco-membership diff 2017-01-01 2018-01-01
  sco-membership changes --from 2015-01-01 --to 2017-12-31
  sco-membership validate my_log.jsonl
  sco-membership export --format panel-csv --rule dec31 --out sco-panel.csv
  sco-membership export --format panel-csv --system --coding cow --out sco-cow.csv
  sco-membership reconcile --cow state_year_format3.csv
  sco-membership chart --out sco.png
  sco-membership diagram --format mermaid
  sco-membership status IND 2010-01-01 --events my_log.jsonl
  sco-membership --organisation brics status IDN 2025-02-01
  sco-membership --rules my_org.toml --events my_org.jsonl status XYZ 2020-01-01
  sco-membership store copy events.db postgresql://me@db.example.org/sco
  sco-membership --version

Each command's --help shows its own examples: sco-membership export --help
"""


#: The embedded data sets ``--organisation`` chooses from.
_ORGANISATIONS = {"sco": sco, "brics": brics}


def _rules(args: argparse.Namespace) -> RuleSet:
    """The rule set asked for: the ``--rules`` file, or the organisation's (the SCO's)."""
    if args.rules is not None:
        if args.organisation is not None:
            raise _UsageError("give --organisation or --rules, not both")
        return RuleSet.load(args.rules)
    if args.organisation in (None, "sco"):
        return SCO_RULES
    return _ORGANISATIONS[args.organisation]().rules


def _name(path: str) -> str:
    """How errors and reports name a file: standard input is ``<stdin>``."""
    return "<stdin>" if path == "-" else path


def _ledger(args: argparse.Namespace) -> Ledger:
    """The ledger asked for: the ``--events`` log read with :func:`_rules`, or an embedded one."""
    if args.events is not None:
        rules = _rules(args)
        return loads(read_text(args.events), rules=rules, name=_name(args.events))
    if args.rules is not None:
        raise _UsageError("--rules reads an event log: give --events FILE too")
    return _ORGANISATIONS[args.organisation or "sco"]()


def _validate(args: argparse.Namespace) -> int:
    from ..io.validate import check

    rules = _rules(args)
    report = check(read_text(args.file), rules=rules, name=_name(args.file), sourced=args.sourced)
    if args.json:
        data = {
            "file": report.name,
            "valid": report.valid,
            "records": report.records,
            "events": report.events,
            "claims": report.claims,
            "states": report.states,
            "problems": [
                {"line": p.line, "state": p.state, "message": p.message} for p in report.problems
            ],
            "warnings": [
                {"line": w.line, "state": w.state, "message": w.message} for w in report.warnings
            ],
        }
        _print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print(str(report))
    return _OK if report.valid else _INVALID


def _export(ledger: Ledger, args: argparse.Namespace) -> str | bytes:
    panels = ("panel-csv", "panel-dta")
    if args.format not in panels and (args.start is not None or args.end is not None):
        raise _UsageError(f"--start and --end choose a panel's years: {args.format} has none")
    if args.format not in panels and (args.system or args.coding != "library"):
        raise _UsageError(f"--system and --coding shape a panel: {args.format} has none")
    if args.start is not None and args.end is not None and args.start > args.end:
        raise _UsageError(
            f"--start {args.start} is after --end {args.end}: give the earlier year first"
        )
    view = as_asked(ledger, args)
    if view.refusal is not None:  # an empty file would look like an answer
        raise view.refusal
    if args.format == "jsonl":
        return dumps(view)  # the log itself: its fingerprint names it
    from ..export import panel

    # A panel's shape, the same for its CSV and its Stata file.
    shape: dict[str, Any] = {
        "rule": args.rule,
        "start": args.start,
        "end": args.end,
        "coding": args.coding,
        "system": args.system,
    }
    made_from = _data_version(ledger, args)
    if args.format.endswith("-dta"):
        from ..export import stata

        # The data label is at most 80 characters, as Stata's is.
        label = made_from if len(made_from) <= 80 else made_from[:79] + "…"
        if args.format == "intervals-dta":
            return stata.intervals_dta(view, label=label)
        return stata.panel_dta(view, label=label, **shape)
    # Every row says which data made it: a CSV has no other place that survives any reader.
    version = {"data_version": made_from}
    if args.format == "intervals-csv":
        found = [row | version for row in panel.interval_rows(view)]
        return panel.to_csv(found, (*panel.INTERVAL_COLUMNS, "data_version"))
    rows = panel.panel_rows(view, **shape)
    columns = (*panel.panel_columns(view.rules), "data_version")
    return panel.to_csv([row | version for row in rows], columns)


def _reconcile(ledger: Ledger, args: argparse.Namespace) -> str:
    """``reconcile``: COW's column against the record, every difference with its reason."""
    from ..export.panel import cow_variable
    from ..export.reconcile import reconcile
    from ..io.cow import read_state_year

    table = read_state_year(args.cow)
    org = args.org or cow_variable(ledger.rules).lower()
    found = reconcile(as_asked(ledger, args), table, org, rule=args.rule)
    if args.format == "csv":
        return found.to_csv()
    if args.format == "json":
        return found.to_json() + "\n"
    return str(found) + "\n"


def _data_version(ledger: Ledger, args: argparse.Namespace) -> str:
    """Which data an export was made from: the embedded SCO data's release version, or a log's
    fingerprint (its first 12 hex digits), then the view asked for, if any."""
    if args.events is None and (args.organisation or "sco") == "sco":
        from ..organisations import sco_release

        found = f"SCO data {sco_release().version}"
    else:
        found = f"log sha256:{ledger.fingerprint()[:12]}"
    views = (
        ("as known on", args.known_on),
        ("as reported on", getattr(args, "reported_on", None)),
        ("according to", getattr(args, "according_to", None)),
    )
    return " ".join([found, *(f"{name} {value}" for name, value in views if value is not None)])


def _opened_store(where: str, rules: RuleSet, *, new: bool) -> Any:
    """The event store at ``where``: a PostgreSQL database for a ``postgresql://`` (or
    ``postgres://``) address, an SQLite file for anything else (which must exist unless the
    store is ``new``)."""
    if where.startswith(("postgresql://", "postgres://")):
        from ..store import PostgresStore

        return PostgresStore(where, rules=rules)
    from ..store import SQLiteStore

    if not new and not os.path.exists(where):
        raise FileError(where, "no such store")
    return SQLiteStore(where, rules=rules)


def _copy(args: argparse.Namespace) -> str:
    """``store copy``: every record of one store appended, in its order, to an empty one; the
    two ledgers' fingerprints must then be equal."""
    rules = _rules(args)
    with _opened_store(args.source, rules, new=False) as source:
        records = source.records()
        fingerprint = source.ledger().fingerprint()
    with _opened_store(args.target, rules, new=True) as target:
        held = target.position()
        if held:
            raise _UsageError(
                f"the target already holds {held} records: copy into a new store only"
            )
        target.append(records, expected=0)
        copied = target.ledger().fingerprint()
    if copied != fingerprint:  # pragma: no cover  (the append validated every record)
        raise _UsageError(f"the copy's fingerprint {copied[:12]} is not {fingerprint[:12]}")
    return f"copied {len(records)} records; fingerprint sha256:{fingerprint[:12]} on both sides"


def _write(text: str | bytes, out: str | None) -> None:
    """Write ``text`` (or a binary file's bytes) to ``out`` all or nothing
    (:func:`~sco_membership.io.files.write_text`), or to standard output when ``out`` is
    ``None`` or ``-``."""
    if isinstance(text, bytes):
        if out is None or out == "-":
            _to_stdout(lambda: write_bytes("-", text))
        else:
            write_bytes(out, text)
    elif out is None or out == "-":
        _to_stdout(lambda: write_text("-", text))
    else:
        write_text(out, text)


def _chart(ledger: Ledger, args: argparse.Namespace) -> str:
    from ..export import chart

    options: dict[str, Any] = {}
    if args.state:
        options["states"] = [ledger.code(state) for state in args.state]
    if args.start is not None:
        options["start"] = to_date(args.start)
    if args.end is not None:
        options["end"] = to_date(args.end)
    view = as_asked(ledger, args)
    if view.refusal is not None:
        raise view.refusal
    path = chart.save(view, args.out, description=_data_version(ledger, args), **options)
    return f"wrote {path}"


# --- standard output and standard error --------------------------------------------------------


def _silence_stdout() -> None:
    """Point standard output at the null device, so that what is left in its buffer goes
    nowhere and the interpreter's last flush, at exit, has nothing to report."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def _to_stdout(write: Callable[[], object]) -> None:
    """Run ``write`` (which writes to standard output) and flush, so that a failure shows here.

    A reader that went away (``BrokenPipeError``) goes up to :func:`main`; any other failure
    (a full disk, text the output's encoding cannot hold) becomes a ``FileError`` that names
    standard output.
    """
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except FileError as exc:
        if exc.path != "-":
            raise
        _silence_stdout()  # io.files names standard output "-": here it gets its name
        reason = os.strerror(exc.code) if exc.code else exc.reason
        raise FileError("standard output", reason, errno=exc.code) from None
    except MembershipError:
        raise
    except UnicodeEncodeError as exc:
        _silence_stdout()
        raise FileError(
            "standard output",
            f"its encoding, {exc.encoding}, cannot hold {exc.object[exc.start]!r}:"
            " set PYTHONIOENCODING=utf-8",
        ) from None
    except OSError as exc:
        _silence_stdout()
        raise FileError("standard output", exc.strerror or str(exc), errno=exc.errno) from None


def _print(text: str, *, end: str = "\n") -> None:
    """Print ``text`` on standard output, now (see :func:`_to_stdout`)."""
    _to_stdout(lambda: sys.stdout.write(text + end))


def _complain(message: str) -> None:
    """One line on standard error; if standard error itself fails, nothing more can be said."""
    line = " ".join(message.split()) or "error"
    with contextlib.suppress(OSError, ValueError):
        print(f"sco-membership: {line}", file=sys.stderr, flush=True)


def _described(exc: BaseException) -> str:
    """An error in one line: a library error's own message; an operating-system error's words
    with the file it names."""
    if isinstance(exc, OSError) and not isinstance(exc, MembershipError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _version() -> str:
    """The ``--version`` line: the library's version and the embedded SCO data's release (its
    version, the day it is complete through, its licence and the start of its fingerprint)."""
    from .. import __version__
    from ..organisations import sco_release

    return f"sco-membership {__version__} ({sco_release()})"


class _VersionAction(argparse.Action):
    """``--version``: the line is made only when asked (it loads the embedded data)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **options: Any) -> None:
        options.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **options)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        _print(_version())
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """A parser whose help is printed like any output: argparse's own printing ignores a
    failed write, so that ``--help`` into a closed pipe or a full disk would end with 0."""

    def print_help(self, file: Any = None) -> None:
        if file is None or file is sys.stdout:
            _print(self.format_help(), end="")
        else:
            super().print_help(file)


# --- the parser ---------------------------------------------------------------------------------

#: The options that choose what is asked, by destination: their flags and arguments. The main
#: parser takes each of them before the command; each command takes again, after it, those in
#: ``_TAKES``.
_CHOOSING: dict[str, tuple[str, dict[str, Any]]] = {
    "json": ("--json", {"action": "store_true", "help": "print JSON instead of text"}),
    "events": (
        "--events",
        {"metavar": "FILE", "help": "a JSON Lines event log to ask instead (-: standard input)"},
    ),
    "known_on": (
        "--known-on",
        {"metavar": "DAY", "help": "answer as the record stood on that day (record time)"},
    ),
    "reported_on": (
        "--reported-on",
        {
            "metavar": "DAY",
            "help": "answer from what the record's sources had published by that day"
            " (publication time)",
        },
    ),
    "according_to": (
        "--according-to",
        {
            "metavar": "SOURCE",
            "help": "answer from one source's claims alone: its publisher, title or address",
        },
    ),
    "organisation": (
        "--organisation",
        {
            "choices": tuple(_ORGANISATIONS),
            "help": "the embedded data set to ask, and whose rules to use (when not given: sco)",
        },
    ),
    "rules": (
        "--rules",
        {
            "metavar": "FILE",
            "help": "a rule-set file (.toml or .json) to read the --events log, validate or"
            " diagram with",
        },
    ),
}
_VIEWING = ("known_on", "reported_on", "according_to")
_QUERYING = ("json", "events", *_VIEWING, "organisation", "rules")
_TAKES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("status", "roster", "timeline", "explain", "diff", "changes"), _QUERYING),
    "disputes": ("json", "events", "known_on", "organisation", "rules"),
    "validate": ("json", "organisation", "rules"),
    "export": ("events", *_VIEWING, "organisation", "rules"),
    "reconcile": ("events", "known_on", "organisation", "rules"),
    "chart": ("events", *_VIEWING, "organisation", "rules"),
    "diagram": ("organisation", "rules"),
    "store": ("organisation", "rules"),
}


def _choosing(names: Sequence[str], *, inner: bool) -> argparse.ArgumentParser:
    """A parent parser with the options ``names`` of :data:`_CHOOSING`. On the main parser
    they default to "not given"; after the command (``inner``) they have no default at all,
    so as not to overwrite one given before the command."""
    options = argparse.ArgumentParser(add_help=False)
    for name in names:
        flag, settings = _CHOOSING[name]
        default: Any = None
        if inner:
            default = argparse.SUPPRESS
        elif settings.get("action") == "store_true":
            default = False
        options.add_argument(flag, dest=name, default=default, **settings)
    return options


def _refuse_misplaced(args: argparse.Namespace) -> None:
    """An option given before a command that does not take it is an error, not ignored."""
    for name, (flag, _) in _CHOOSING.items():
        if name not in _TAKES[args.command] and getattr(args, name) not in (None, False):
            raise _UsageError(f"{args.command} does not take {flag}")


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
        ("Pakistan 2017-06-09", "IRN 2022-09-16", "PAK 2016-06-01 --reported-on 2016-01-01"),
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
    (
        "disputes",
        disputes,
        "where sources disagree: each disputed event, the claims for and against, and why",
        (),
        ("PAK", "IRN --json", "--json"),
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
    parser = _Parser(
        prog="sco-membership",
        description="Which status a state held in the Shanghai Cooperation Organisation (or,"
        " with --organisation or --rules, in another organisation).",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_choosing(("organisation", "rules", "events", *_VIEWING, "json"), inner=False)],
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the library's version and the embedded SCO data's, and exit",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, what: str, examples: Sequence[str]) -> argparse.ArgumentParser:
        parents = [_choosing(_TAKES[name], inner=True)]
        command: argparse.ArgumentParser = _add(commands, name, what, examples, parents)
        return command

    for name, run, what, arguments, examples in _QUERIES:
        command = add(name, what, examples)
        for argument, text in arguments:
            command.add_argument(argument, help=text)
        command.set_defaults(run=run)
    commands.choices["disputes"].add_argument(
        "state", nargs="?", help="ISO 3166-1 code or English name (when not given: every state)"
    )
    changes = commands.choices["changes"]
    changes.add_argument("--from", dest="start", metavar="DAY", help="after this day")
    changes.add_argument("--to", dest="end", metavar="DAY", help="up to and including this day")

    check = add(
        "validate",
        "check an event log: every problem with its line; exit 0 only when it is valid",
        (
            "my_log.jsonl",
            "my_log.jsonl --json",
            "my_org.jsonl --rules my_org.toml",
            "- < my_log.jsonl",
            "my_data.jsonl --sourced",
        ),
    )
    check.add_argument("file", help="the JSON Lines event log to check (-: standard input)")
    check.add_argument(
        "--sourced",
        action="store_true",
        help="also refuse every event record that cites no source with a publication date"
        " (the standard of a data set others cite)",
    )

    export = add(
        "export",
        "the log, or every state's status, as a file: panel CSV, intervals CSV or JSON Lines",
        (
            "--format panel-csv --rule dec31 --out sco-panel.csv",
            "--format panel-csv --rule 07-01 --start 2001 --end 2024",
            "--format intervals-csv",
            "--format jsonl --reported-on 2020-01-01",
            "--format panel-csv --organisation brics",
        ),
    )
    export.add_argument(
        "--format",
        choices=("panel-csv", "intervals-csv", "panel-dta", "intervals-dta", "jsonl"),
        required=True,
        help="panel-csv: one row per state and year (COW layout); intervals-csv: one row per"
        " interval of each state's history; panel-dta, intervals-dta: the same as Stata files"
        " with variable and value labels (extra [pandas]; needs --out); jsonl: the event log",
    )
    export.add_argument(
        "--rule",
        default="dec31",
        help="panel: how a year becomes one status: dec31, any, majority or MM-DD (a chosen day)",
    )
    export.add_argument(
        "--coding",
        choices=("library", "cow"),
        default="library",
        help="panel: the code column's coding: the library's own, or as the COW IGO data code"
        " the organisation (for the SCO: the Shanghai Five's years count, observers are 0)",
    )
    export.add_argument(
        "--system",
        action="store_true",
        help="panel: a row for every state of COW's state system in each year (non-members"
        " coded as such), none for a state outside it: merges with COW's data on ccode, year",
    )
    export.add_argument("--start", type=int, metavar="YEAR", help="panel: the first year")
    export.add_argument("--end", type=int, metavar="YEAR", help="panel: the last year")
    export.add_argument(
        "--out",
        metavar="FILE",
        help="write the file here, all or nothing (when not given, or -: to standard output)",
    )

    compare = add(
        "reconcile",
        "every state-year where the COW IGO data and the record differ, each with its reason",
        (
            "--cow state_year_format3.csv",
            "--cow state_year_format3.dta --format csv",
            "--cow igo.csv --org asean --events asean.jsonl --rules asean.toml",
        ),
    )
    compare.add_argument(
        "--cow",
        metavar="FILE",
        required=True,
        help="COW's state-year table: .csv or .csv.gz, .dta (extra [pandas]), .rda (extra [rda])",
    )
    compare.add_argument(
        "--org", help="COW's column to compare (when not given: the rule set's, e.g. sco)"
    )
    compare.add_argument(
        "--rule",
        default="dec31",
        help="how a year becomes one status: dec31, any, majority or MM-DD (a chosen day)",
    )
    compare.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="the output"
    )

    drawing = add(
        "chart",
        "draw every state's status over time (PNG or SVG; needs the [plot] extra)",
        (
            "--out sco.png",
            "--out sco.svg --start 2001-01-01 --state IND --state PAK",
            "--out brics.png --organisation brics",
        ),
    )
    drawing.add_argument("--out", metavar="FILE", required=True, help="a .png or .svg file")
    drawing.add_argument("--start", metavar="DAY", help="the first day drawn")
    drawing.add_argument("--end", metavar="DAY", help="the last day drawn")
    drawing.add_argument(
        "--state", action="append", metavar="STATE", help="draw this state (repeatable)"
    )

    diagram = add(
        "diagram",
        "the rule set's transition table, drawn",
        ("--format mermaid", "--format dot", "--rules my_org.toml"),
    )
    diagram.add_argument(
        "--format", choices=("mermaid", "dot", "markdown"), default="markdown", help="the notation"
    )

    parsers: Any = commands  # typed for the main parser's class; the store's is a plain one
    stores = parsers.add_parser(
        "store",
        parents=[_choosing(_TAKES["store"], inner=True)],
        help="work with event stores: SQLite files and PostgreSQL databases",
        description="Work with event stores, SQLite files and PostgreSQL databases"
        " (`postgresql://` addresses; the [postgres] extra): the `ACTION` to take.",
        epilog="examples:\n  sco-membership store copy events.db postgresql://me@db.example.org/sco",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = stores.add_subparsers(dest="action", required=True, metavar="ACTION")
    copy = actions.add_parser(
        "copy",
        parents=[_choosing(_TAKES["store"], inner=True)],
        help="copy every record of one store into a new one, and compare their fingerprints",
        description="Copy every record of one store, in its order, into a new (empty) one,"
        " then check that both hold the same log: equal fingerprints.",
        epilog="examples:\n"
        + "\n".join(
            f"  sco-membership store copy {example}"
            for example in (
                "events.db postgresql://me@db.example.org/sco",
                "postgresql://me@db.example.org/sco backup.db",
                "brics.db brics-copy.db --organisation brics",
            )
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    copy.add_argument(
        "source", help="the store to copy: an SQLite file or a postgresql:// address"
    )
    copy.add_argument(
        "target",
        help="the new store: an SQLite file (missing or empty) or a postgresql:// address"
        " (a database with no tables of its own, or an empty store)",
    )
    return parser


def _run(argv: Sequence[str] | None) -> int:
    """Parse ``argv`` and run its command; a library, usage or input/output error is told in
    one line and gives status 2."""
    args = _parser().parse_args(argv)
    try:
        _refuse_misplaced(args)
        if args.command == "diagram":
            from ..export import diagram

            _print(getattr(diagram, args.format)(_rules(args)), end="")
            return _OK
        if args.command == "validate":
            return _validate(args)
        if args.command == "store":
            _print(_copy(args))
            return _OK
        ledger = _ledger(args)
        if args.command == "export":
            _write(_export(ledger, args), args.out)
            return _OK
        if args.command == "reconcile":
            _print(_reconcile(ledger, args), end="")
            return _OK
        if args.command == "chart":
            _print(_chart(ledger, args))
            return _OK
        text, data = args.run(ledger, args)
        _print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text)
    except BrokenPipeError:
        raise
    except (MembershipError, OSError, _UsageError) as exc:
        _complain(f"error: {_described(exc)}")
        return _BAD_INPUT
    return _OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status (see the module's docstring).

    ``--help``, ``--version`` and argparse's usage errors raise ``SystemExit`` (0 or 2), as
    argparse does; every other ending is a status returned, never a traceback.
    """
    try:
        try:
            return _run(argv)
        except SystemExit:
            _to_stdout(lambda: None)  # what --help or --version printed is out, or fails here
            raise
    except BrokenPipeError:
        # The reader went away (| head -1): stop quietly, as any command in a pipe does.
        _silence_stdout()
        return _BROKEN_PIPE
    except MembershipError as exc:  # standard output failed after --help or --version
        _complain(f"error: {exc}")
        return _BAD_INPUT
    except KeyboardInterrupt:
        _silence_stdout()
        _complain("interrupted")
        return _INTERRUPTED
    except Exception as exc:  # a bug: one line, and a status of its own
        what = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        _complain(f"internal error: {what}; please report it")
        return _INTERNAL
