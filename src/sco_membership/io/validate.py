"""Every problem of an event log at once, each with its line: what ``validate`` reports.

Loading stops at the first problem, which is right for a program and tedious for a person
fixing a file by hand. :func:`check` reads the whole log, sets each faulty record aside with
the reason, and goes on: unreadable lines, duplicate identifiers, amendments of no event, and
every transition the rule set refuses. Within one state, an illegal event is set aside and the
rest of the history is checked without it, so one bad record is reported once.

A valid log may still be incomplete: a decision of an organisation-wide kind (the SCO's 2025
recategorisation) applies to every state holding one of its source standings that day, so a
record of one that leaves such a state out is reported as a warning (loading does not check it).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict

import attrs

from ..belief import sift
from ..claims import check as check_claims
from ..dates import PartialDate
from ..exceptions import (
    DuplicateEventError,
    IllegalTransitionError,
    MalformedDataError,
    MembershipError,
    _shown,
)
from ..history import arranged
from ..ledger import Ledger
from ..model import Amendment, Claim, Event, EventKind, Standing
from ..profiles import chosen
from ..rules import ILLEGAL, START, RuleSet
from .files import read_text
from .jsonl import parse_line
from .records import read_record

__all__ = ["Problem", "Report", "check", "check_file"]


@attrs.frozen
class Problem:
    """One thing wrong with a log: the line of the record at fault (``None``: no one line)."""

    line: int | None
    message: str
    state: str | None = None

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@attrs.frozen
class Report:
    """What :func:`check` found: the problems in line order, and what the log holds.

    ``warnings`` do not make a log invalid: they say it may be incomplete (an organisation-wide
    decision that leaves out a state it applies to).
    """

    name: str
    problems: tuple[Problem, ...]
    records: int
    events: int
    states: int
    warnings: tuple[Problem, ...] = ()
    claims: int = 0

    @property
    def valid(self) -> bool:
        """Whether the log loads: no problem at all."""
        return not self.problems

    def __str__(self) -> str:
        warned = [f"{self.name}:{warning} (warning)" for warning in self.warnings]
        if self.valid:
            claims = f" {self.claims} claims," if self.claims else ""
            summary = (
                f"{self.name}: valid: {self.records} records, {self.events} events,{claims}"
                f" {self.states} states"
            )
            return "\n".join([*warned, summary])
        lines = [f"{self.name}:{problem}" for problem in self.problems]
        return "\n".join([*lines, *warned, f"{self.name}: {len(self.problems)} problem(s)"])


@attrs.define
class _Reading:
    """The entries read so far, each with its line, and the problems found."""

    name: str
    rules: RuleSet
    events: list[tuple[Event, int]] = attrs.field(factory=list)
    amendments: list[tuple[Amendment, int]] = attrs.field(factory=list)
    claims: list[tuple[Claim, int]] = attrs.field(factory=list)
    problems: list[Problem] = attrs.field(factory=list)
    records: int = 0

    def read(self, text: str) -> None:
        # Only "\n" ends a line, as in the codec.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            self.records += 1
            try:
                record = parse_line(line)
            except json.JSONDecodeError as exc:
                self.problems.append(Problem(number, f"not valid JSON ({exc.msg})"))
                continue
            except MalformedDataError as exc:
                self.problems.append(Problem(number, exc.reason))
                continue
            try:
                entries = read_record(record, line=number, rules=self.rules)
            except MalformedDataError as exc:
                self.problems.append(Problem(number, exc.reason))
                continue
            for entry in entries:
                if isinstance(entry, Event):
                    self.events.append((entry, number))
                elif isinstance(entry, Amendment):
                    self.amendments.append((entry, number))
                else:
                    self.claims.append((entry, number))

    def unique_events(self) -> dict[tuple[str, str], int]:
        """Drop every event whose key an earlier line already used; the line of each key."""
        lines: dict[tuple[str, str], int] = {}
        kept = []
        for event, number in self.events:
            slot = (event.state, event.key)
            if slot in lines:
                self.problems.append(
                    Problem(
                        number,
                        f"{event.state}: the identifier {_shown(event.key)} is already used on"
                        f" line {lines[slot]}",
                        event.state,
                    )
                )
                continue
            lines[slot] = number
            kept.append((event, number))
        self.events = kept
        return lines

    def believed(self) -> list[Event]:
        """The events as the amendments leave them, each amendment of no event set aside,
        and each claim the log cannot hold (see :func:`~sco_membership.claims.check`)."""
        events = [event for event, _ in self.events]
        belief, missing = sift(events, [amendment for amendment, _ in self.amendments])
        # Each error holds the amendment itself (one object per record and state).
        line = {id(amendment): number for amendment, number in self.amendments}
        for exc in missing:
            self.problems.append(Problem(line[id(exc.amendment)], str(exc), exc.state))
        by_key = {(event.state, event.key): event for event in belief.superseded}
        by_key.update(((event.state, event.key), event) for event in belief.events)
        kept: list[tuple[Claim, int]] = []
        seen: set[Claim] = set()
        for claim, number in self.claims:
            try:  # one at a time, so each problem has its line; a repeat is caught here
                check_claims([claim], by_key)
                if claim in seen:
                    check_claims([claim, claim], by_key)
            except MalformedDataError as exc:
                self.problems.append(Problem(number, exc.reason, claim.state))
            else:
                seen.add(claim)
                kept.append((claim, number))
        self.claims = kept
        return list(belief.events)

    def unsourced(self) -> None:
        """A problem for each event record that cites no source with a publication date, in
        its own sources or in an accepted claim: what a data set meant to be cited must not
        hold. (A claim always has its one source; one whose page shows no date is kept, and
        never counts as reported by a day.)"""
        dated = {
            (claim.state, claim.event)
            for claim, _ in self.claims
            if claim.accepted and claim.source.published is not None
        }
        found: dict[int, tuple[str, str, bool]] = {}
        for event, number in self.events:
            if (event.state, event.key) in dated:
                continue
            if not any(source.published for source in event.sources):
                found.setdefault(number, (event.state, event.key, bool(event.sources)))
        for number, (state, key, cited) in found.items():
            reason = (
                "cites no source with a publication date ('published')"
                if cited
                else "cites no source"
            )
            self.problems.append(
                Problem(number, f"{state}: the event {_shown(key)} {reason}", state)
            )


def _check_history(
    state: str, events: list[Event], rules: RuleSet, lines: dict[tuple[str, str], int]
) -> list[Problem]:
    """The problems of one state's events: each illegal one is set aside and the rest checked
    without it, in one pass.

    It finds what building the history, setting the culprit aside and building it again would
    (the history's fold, step by step), without the rebuilds: n bad events cost one pass.
    """
    found: list[Problem] = []
    kept: dict[tuple[bool, str], Event] = {}
    for event in events:  # a key used twice: the later event is the culprit, as when loading
        slot = (event.id is None, event.key)
        if slot in kept:
            reason = f"{state}: {DuplicateEventError(event.key)}"
            found.append(Problem(lines.get((state, event.key)), reason, state))
        else:
            kept[slot] = event
    ordered, _ = arranged(kept.values(), rules)
    table = rules.compiled
    here, last = START, None
    for event in ordered:
        there = table.moves.get(event.kind, table.nowhere)[here]
        if there == ILLEGAL:
            standing = table.standings[here]
            error = IllegalTransitionError(
                state=state,
                event=event,
                current=standing,
                allowed=rules.allowed(standing),
                after=last,
            )
            found.append(Problem(lines.get((state, event.key)), str(error), state))
        elif there >= 0:
            here, last = there, event
    return found


def check(
    text: str, *, rules: RuleSet | None = None, name: str = "<string>", sourced: bool = False
) -> Report:
    """Every problem of a JSON Lines log given as text (see the module's docstring).

    ``sourced`` also refuses every event record that cites no source with a publication
    date (in its sources, or in an accepted claim): the standard of a data set others cite
    (the embedded one meets it).

    >>> report = check('{"state": "IND", "kind": "membership_granted", "date": "2017-06-09"}')
    >>> report.valid
    False
    >>> print(report.problems[0])
    line 1: IND on 2017-06-09: 'membership_granted' is not allowed while none; ...
    """
    rules = chosen(rules)
    reading = _Reading(name, rules)
    reading.read(text)
    if sourced:
        reading.unsourced()
    lines = reading.unique_events()
    by_state: dict[str, list[Event]] = defaultdict(list)
    for event in reading.believed():
        by_state[event.state].append(event)
    for state, events in by_state.items():
        reading.problems.extend(_check_history(state, events, rules, lines))
    warnings: list[Problem] = []
    if not reading.problems:
        ledger = _confirm(reading, rules)
        if ledger is not None:
            warnings = _unnamed(ledger, lines)
    problems = sorted(reading.problems, key=_line_order)
    return Report(
        name,
        tuple(problems),
        reading.records,
        len(reading.events),
        len(by_state),
        tuple(sorted(warnings, key=_line_order)),
        len(reading.claims),
    )


def _confirm(reading: _Reading, rules: RuleSet) -> Ledger | None:
    """Load the log as :func:`~sco_membership.io.jsonl.loads` would: a last check that cannot
    disagree with loading (a problem found only here has no line)."""
    try:
        return Ledger.from_events(
            [event for event, _ in reading.events],
            rules=rules,
            amendments=[amendment for amendment, _ in reading.amendments],
            claims=[claim for claim, _ in reading.claims],
        )
    except MembershipError as exc:
        reading.problems.append(Problem(None, str(exc)))
        return None


def _unnamed(ledger: Ledger, lines: dict[tuple[str, str], int]) -> list[Problem]:
    """A warning for each state an organisation-wide decision applies to but does not name."""
    rules = ledger.rules
    wide = rules.organisation_wide
    decisions: dict[tuple[EventKind, PartialDate, tuple[str, ...]], Event] = {}
    for history in ledger.histories.values():
        for event in history.events:
            if event.kind in wide and event.date.is_exact:
                named = event.cohort or (event.state,)
                decisions.setdefault((event.kind, event.date, named), event)
    found = []
    for (kind, _, named), event in decisions.items():
        sources = {row.source for row in rules.transitions if row.kind is kind} - {rules.initial}
        day = event.date.first_day.toordinal() - 1
        for state, history in sorted(ledger.histories.items()):
            answer = history.at_ordinal(day)
            if state in named or not answer.certain:
                continue
            if Standing(answer.status, answer.stage) in sources:
                found.append(
                    Problem(
                        lines.get((event.state, event.key)),
                        f"{state}: the organisation-wide {kind.value!r} of {event.date.iso}"
                        f" does not name it, though it was {answer.status.label} the day before",
                        state,
                    )
                )
    return found


def _line_order(problem: Problem) -> tuple[int, str]:
    return (-1 if problem.line is None else problem.line, problem.message)


def check_file(
    path: str | os.PathLike[str], *, rules: RuleSet | None = None, sourced: bool = False
) -> Report:
    """:func:`check` of a file (``-``: standard input); a file that cannot be read raises
    :class:`~sco_membership.exceptions.FileError`, one that is not UTF-8
    :class:`~sco_membership.exceptions.MalformedDataError` (naming the line)."""
    rules = chosen(rules)
    text = read_text(path)
    name = os.fsdecode(path)
    return check(text, rules=rules, name="<stdin>" if name == "-" else name, sourced=sourced)
