"""Why an answer is what it is: the deciding events, their sources, the rule, the amendments.

:func:`explain` gathers, as data, everything that decides one state's status on one day, so a
reader can check it: the event that began the status (and, inside an imprecise date's window,
the events that may or may not have happened yet), the transition-table row applied, any
corrections or retractions of those events, the record times, and the fingerprint of the log.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .answer import Answer
from .history import History
from .model import Amendment, Claim, Event
from .rules import Transition

__all__ = ["Explanation", "explain"]


@attrs.frozen
class Explanation:
    """The chain that decides one answer; ``str()`` prints it for a reader."""

    answer: Answer
    on: dt.date
    rule: Transition | None
    events: tuple[Event, ...]
    amendments: tuple[Amendment, ...] = ()
    superseded: tuple[Event, ...] = ()
    fingerprint: str = ""
    known_on: dt.date | None = None
    #: The claims recorded apart about these events: the competing (rejected) ones, and
    #: accepted ones in a source's own words.
    claims: tuple[Claim, ...] = ()

    def __str__(self) -> str:
        answer = self.answer
        lines = [f"{answer.state} on {self.on.isoformat()}: {answer.describe()}"]
        if self.known_on is not None:
            lines.append(f"  as the record stood on {self.known_on.isoformat()}")
        if self.rule is None:
            lines.append("  rule: no event before this day; every state starts at none")
        else:
            target = "unchanged" if self.rule.target is None else str(self.rule.target)
            lines.append(f"  rule: {self.rule.kind.value}: {self.rule.source} -> {target}")
        for event in self.events:
            role = "decides" if event is answer.event else "may have happened"
            recorded = "" if event.recorded is None else f", recorded {event.recorded.isoformat()}"
            place = f" at {event.place}" if event.place else ""
            lines.append(f"  {role}: {event.date.iso} {event.kind.label}{place}{recorded}")
            lines += [f"    source: {source}" for source in event.sources]
            if event.note:
                lines.append(f"    note: {event.note}")
            for claim in self.claims:
                if claim.event == event.key:
                    lines += _competing(claim)
        for event in self.superseded:
            lines.append(f"  first recorded as: {event.date.iso} {event.kind.label}")
        for amendment in self.amendments:
            lines.append(f"  amended: {amendment} ({amendment.reason})")
            lines += [f"    source: {source}" for source in amendment.sources]
        if self.fingerprint:
            lines.append(f"  log fingerprint: sha256:{self.fingerprint}")
        return "\n".join(lines)


def _competing(claim: Claim) -> list[str]:
    """A claim about a deciding event, as :meth:`Explanation.__str__` shows it."""
    said = f"{claim.says.label} {claim.date.iso}"
    lines = [f"    {claim.verdict.value} claim: {said}: {claim.source}"]
    if claim.quote:
        lines.append(f"      says: {claim.quote}")
    if claim.reason:
        lines.append(f"      why: {claim.reason}")
    return lines


def explain(
    history: History,
    on: dt.date,
    *,
    amendments: tuple[Amendment, ...] = (),
    superseded: tuple[Event, ...] = (),
    fingerprint: str = "",
    claims: tuple[Claim, ...] = (),
) -> Explanation:
    """The explanation of ``history``'s answer on ``on``; amendments and superseded events of
    other states or other events are left out."""
    answer = history.at_ordinal(on.toordinal())
    deciding = answer.event
    rule = None
    events: list[Event] = []
    if deciding is not None:
        before = history.at_ordinal(deciding.date.first - 1)
        rule = Transition(deciding.kind, before.standing, answer.standing)
        events.append(deciding)
    if not answer.certain and answer.following is not None:
        # Inside an imprecise window: the events that may already have happened compete.
        day = on.toordinal()
        events += [
            event
            for event in history.events
            if event.date.first <= day < event.date.last and event is not deciding
        ]
    keys = {(event.state, event.key) for event in events}
    return Explanation(
        answer=answer,
        on=on,
        rule=rule,
        events=tuple(events),
        amendments=tuple(a for a in amendments if (a.state, a.amends) in keys),
        superseded=tuple(e for e in superseded if (e.state, e.key) in keys),
        fingerprint=fingerprint,
        claims=tuple(c for c in claims if (c.state, c.event) in keys),
    )
