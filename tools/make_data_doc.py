"""Generate ``docs/data.md`` from the embedded SCO event log, so the two cannot drift apart.

The page lists every state with its current status, each state's timeline with the sources of
every event, every note (the disagreements between sources and what was chosen), every claim
the record rejects with its reason, and every source (publisher, publication date) with the
events and claims that cite it. Everything is taken from
``src/sco_membership/organisations/data/sco.jsonl``; nothing is written by hand. Run from
anywhere::

    python tools/make_data_doc.py            # rewrite docs/data.md
    python tools/make_data_doc.py --check    # exit 1 if docs/data.md is stale

The output is deterministic: the same log always gives the same bytes (UTF-8, LF line ends).
The test suite (``tests/organisations/test_sco.py``) imports :func:`render` and compares it
with the file.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generated import write_or_check

import sco_membership as scm

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "src" / "sco_membership" / "organisations" / "data" / "sco.jsonl"
DOC = REPO_ROOT / "docs" / "data.md"

# The order of the overview: the status held now, most involved first.
_STATUS_ORDER = (
    scm.Status.MEMBER,
    scm.Status.SUSPENDED,
    scm.Status.ACCEDING,
    scm.Status.OBSERVER,
    scm.Status.PARTNER,
    scm.Status.DIALOGUE_PARTNER,
    scm.Status.NONE,
)


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell or link text."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[")
    return escaped.replace("]", "\\]").replace("\n", " ")


def _link(source: Mapping[str, str]) -> str:
    title = _cell(source["title"])
    url = source.get("url")
    linked = title if url is None else f"[{title}](<{url}>)"
    who = ", ".join(source[key] for key in ("publisher", "published") if source.get(key))
    return f"{linked} ({_cell(who)})" if who else linked


def _states(record: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(record["states"]) if "states" in record else (record["state"],)


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _who(record: Mapping[str, Any]) -> str:
    return ", ".join(_states(record))


def _name(code: str) -> str:
    return scm.country(code).name


def _overview(ledger: scm.Ledger) -> list[str]:
    rows = []
    for code in ledger.states:
        current = ledger.history(code).current
        rows.append((_STATUS_ORDER.index(current.held), _name(code), code, current))
    rows.sort(key=lambda row: (row[0], row[1]))
    counts = Counter(row[3].status.label for row in rows)
    summary = ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))
    held = sum(1 for code in ledger.states if ledger.history(code).timeline())
    lines = [
        "## Every state and its status now",
        "",
        f"{len(rows)} states appear in the log, {held} of them have held an SCO status (the"
        f" others only applied); after the last event in the log: {summary}.",
        "",
        "| state | name | status now | since | by |",
        "| --- | --- | --- | --- | --- |",
    ]
    for _, name, code, current in rows:
        since = current.since.iso if current.since is not None else ""
        event = current.event.kind.label if current.event is not None else ""
        lines.append(
            f"| [{code}](#{code.lower()}) | {_cell(name)} | {_cell(current.describe())} "
            f"| {since} | {event} |"
        )
    return lines


def _notes(records: list[dict[str, Any]]) -> dict[int, int]:
    """Record position -> note number, for the records that carry a note."""
    numbers: dict[int, int] = {}
    for position, record in enumerate(records):
        if record.get("note"):
            numbers[position] = len(numbers) + 1
    return numbers


def _timelines(
    ledger: scm.Ledger, records: list[dict[str, Any]], notes: Mapping[int, int]
) -> list[str]:
    lines = [
        "## Each state's timeline",
        "",
        "Every event in the log, in the order the rule set applies them, with its date at the",
        "precision its sources give (a day, a month or a year) and the status that follows once",
        "the event has surely happened. A note number points to the list of notes below.",
    ]
    for code in sorted(ledger.states, key=_name):
        history = ledger.history(code)
        lines += ["", f'### <a id="{code.lower()}"></a>{_cell(_name(code))} ({code})', ""]
        events = history.events
        for k, event in enumerate(events):
            position = next(
                k
                for k, record in enumerate(records)
                if record["kind"] == event.kind.value
                and record["date"] == event.date.iso
                and code in _states(record)
            )
            record = records[position]
            # Of several events on one date, only the last one's outcome can be shown.
            same_date = k + 1 < len(events) and events[k + 1].date == event.date
            after = "" if same_date else f": {_cell(history.at(event.date.last_day).describe())}"
            place = f", {record['place']}" if record.get("place") else ""
            shared = f" (one decision for {_who(record)})" if "states" in record else ""
            note = f" See note {notes[position]}." if position in notes else ""
            if "states" in record:  # listed once, in the section on shared decisions
                links = "see [decisions about several states](#several)"
            else:
                links = "; ".join(_link(source) for source in record.get("sources", []))
            lines.append(
                f"- **{event.date.iso}** {event.kind.label}{_cell(place)}{shared}{after}."
                f"{note} Sources: {links}."
            )
    return lines


def _shared(records: list[dict[str, Any]], notes: Mapping[int, int]) -> list[str]:
    lines = [
        '## <a id="several"></a>Decisions about several states',
        "",
        "A founding or a reorganisation is one decision that changes several states at once; the",
        "log holds it as one record, given here once with its sources.",
    ]
    for position, record in enumerate(records):
        if "states" not in record:
            continue
        organisation = f" ({record['organisation']})" if record.get("organisation") else ""
        place = f", {record['place']}" if record.get("place") else ""
        note = f" See note {notes[position]}." if position in notes else ""
        lines += [
            "",
            f"- **{record['date']}** {_label(record['kind'])}{_cell(organisation + place)}: "
            f"{_who(record)}.{note}",
        ]
        lines += [f"  - {_link(source)}" for source in record.get("sources", [])]
    return lines


def _sources(records: list[dict[str, Any]]) -> list[str]:
    citing: dict[tuple[str, str], list[str]] = {}
    shown: dict[tuple[str, str], Mapping[str, str]] = {}
    for record in records:
        for source in record.get("sources", []):
            key = (source["title"], source.get("url", ""))
            shown.setdefault(key, source)
            if record["kind"] == "claim":
                what = f"claim ({record['verdict']}): {_who(record)} {_label(record['says'])}"
            else:
                what = f"{_who(record)} {_label(record['kind'])}"
            citing.setdefault(key, []).append(f"{record['date']} {what}")
    lines = [
        "## Every source",
        "",
        f"{len(citing)} sources, each read in a stored copy of the page, with its publisher and",
        "its publication date where the page shows one; a title ending in",
        '"(title not shown in the stored copy)" describes a page whose headline the copy did not',
        "show. After each, the events it supports and the claims it makes.",
        "",
    ]
    for key, events in sorted(citing.items(), key=lambda item: item[0]):
        lines.append(f"- {_link(shown[key])}: {'; '.join(events)}.")
    return lines


def _claims(records: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Claims the record weighs",
        "",
        "Each source that says something other than the record: what it says, the verdict, and",
        "why. `sco-membership disputes` and `Ledger.disputes()` give the same, beside the event",
        "chosen (see [claims.md](claims.md)).",
        "",
    ]
    for record in records:
        if record["kind"] != "claim":
            continue
        (source,) = record["sources"]
        quote = f' "{_cell(record["quote"])}"' if record.get("quote") else ""
        reason = f" {_cell(record['reason'])}" if record.get("reason") else ""
        chosen = f" Chosen instead: `{record['event']}`." if record.get("event") else ""
        lines.append(
            f"- **{_who(record)}: {_label(record['says'])} {record['date']}**, says"
            f" {_link(source)}{quote}. {record['verdict'].capitalize()}:{reason}{chosen}"
        )
    return lines


def _disagreements(records: list[dict[str, Any]], notes: Mapping[int, int]) -> list[str]:
    lines = [
        "## Notes: disagreements between sources and what was chosen",
        "",
        "Each note is the `note` field of one record of the log: where sources disagree, which",
        "was chosen and why; where a date is known only to the month or the year, why.",
        "",
    ]
    for position, number in notes.items():
        record = records[position]
        lines.append(
            f"{number}. **{record['date']} {_who(record)} {_label(record['kind'])}.** "
            f"{_cell(record['note'])}"
        )
    return lines


def render(path: Path = DATA) -> str:
    """The text of ``docs/data.md`` for the event log at ``path``."""
    ledger = scm.load(path)
    every = ledger.to_records()
    records = [record for record in every if record["kind"] != "claim"]
    notes = _notes(records)
    recorded = sorted({record["recorded"] for record in records if "recorded" in record})
    parts: Iterable[list[str]] = (
        [
            "# The embedded SCO data set",
            "",
            "<!-- Generated by tools/make_data_doc.py from"
            " src/sco_membership/organisations/data/sco.jsonl;"
            " do not edit by hand: run `python tools/make_data_doc.py`. -->",
            "",
            "The log `src/sco_membership/organisations/data/sco.jsonl` holds"
            f" {len(every)} records: {len(records)} of events"
            f" ({len(ledger.events)} events: a decision about several states is one event per"
            f" state) about {len(ledger.states)} states, from the Shanghai Five of 1996 to the"
            f" 2025 reorganisation, and {len(every) - len(records)} of claims, sources whose word"
            " the record weighs. Record time (the `recorded` field): "
            + (", ".join(recorded) if recorded else "not given")
            + ". How the sources were searched and weighed is in"
            " [data-research.md](data-research.md); what each status means is in"
            " [semantics.md](semantics.md).",
        ],
        _overview(ledger),
        _shared(records, notes),
        _timelines(ledger, records, notes),
        _disagreements(records, notes),
        _claims(every),
        _sources(every),
    )
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/data.md is stale")
    args = parser.parse_args(argv)
    return write_or_check(DOC, render(), check=args.check, command="python tools/make_data_doc.py")


if __name__ == "__main__":
    sys.exit(main())
