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


@attrs.frozen(repr=False)
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

    def __repr__(self) -> str:
        """One line: the state, the day, the answer, and how much decides it."""
        from ._display import brief, plural

        answer = self.answer
        text = f"{answer.state} on {self.on.isoformat()}: {answer.describe()}"
        counts = [plural(len(self.events), "event")]
        if self.amendments:
            counts.append(plural(len(self.amendments), "amendment"))
        if self.claims:
            counts.append(plural(len(self.claims), "claim"))
        text += f"; {', '.join(counts)}"
        if self.known_on is not None:
            text += f"; as known on {self.known_on.isoformat()}"
        return brief("Explanation", text)

    def _repr_html_(self) -> str:
        """Tables for Jupyter: the answer and the rule, the deciding events with their
        sources as links, then the claims and amendments about them."""
        from ._display import Markup, claims_table, event, fields, sources, table

        answer = self.answer
        fingerprint = f"sha256:{self.fingerprint}" if self.fingerprint else None
        rule = "no event before this day; every state starts at none"
        if self.rule is not None:
            target = "unchanged" if self.rule.target is None else str(self.rule.target)
            rule = f"{self.rule.kind.label}: {self.rule.source} -> {target}"
        parts = [
            fields(
                [
                    ("state", answer.state),
                    ("on", self.on),
                    ("answer", answer.describe()),
                    ("as known on", self.known_on),
                    ("rule", rule),
                    ("log fingerprint", fingerprint),
                ],
                caption=f"{answer.state} on {self.on.isoformat()}: {answer.describe()}",
            )
        ]
        rows = (
            (
                "decides" if found is answer.event else "may have happened",
                event(found),
                found.recorded,
                sources(found.sources),
                found.note,
            )
            for found in self.events
        )
        head = ("role", "event", "recorded", "sources", "note")
        parts.append(table(rows, count=len(self.events), head=head, caption="events"))
        if self.claims:
            parts.append(claims_table(self.claims))
        if self.amendments:
            amended = (
                (a.recorded, a.kind.value, a.amends, a.reason, sources(a.sources))
                for a in self.amendments
            )
            head = ("recorded", "amendment", "of", "reason", "sources")
            count = len(self.amendments)
            parts.append(table(amended, count=count, head=head, caption="amendments"))
        if self.superseded:
            first = ((event(found),) for found in self.superseded)
            count = len(self.superseded)
            parts.append(table(first, count=count, head=("first recorded as",)))
        return Markup(f"<div>{''.join(parts)}</div>")


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
