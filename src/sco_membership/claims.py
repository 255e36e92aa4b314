"""Claims: what each source says, the record's verdict on it, and the views built from them.

An event's ``sources`` are its accepted claims: each says what the event says. A
:class:`~sco_membership.model.Claim` recorded apart is a source that says something else: a
rejected claim (a wrong date, a premature "full membership" headline) with the reason, or an
accepted one in the source's own words. This module checks claims against the log, finds the
events that sources dispute, and builds the event lists of two views: what the sources had
reported by a day (publication time), and what one source says.

The three time axes: the day a status held (valid time, an event's ``date``), the day a
source published a claim (publication time, a source's ``published``), and the day the record
learnt it (record time, ``recorded``). See docs/semantics.md.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .exceptions import MalformedDataError, UnknownSourceError, _shown
from .model import Claim, Event, Source, Standing, Transition, Verdict
from .rules import RuleSet

__all__ = [
    "Dispute",
    "backing",
    "check",
    "disputes",
    "lenient",
    "matching",
    "reported",
    "told_by",
]


def backing(event: Event) -> tuple[Claim, ...]:
    """An event's own sources as its accepted claims: each says what the event says."""
    return tuple(
        Claim(
            event.state,
            event.kind,
            event.date,
            source,
            Verdict.ACCEPTED,
            event=event.key,
            recorded=event.recorded,
            cohort=event.cohort,
        )
        for source in event.sources
    )


def check(claims: Sequence[Claim], events: Mapping[tuple[str, str], Event]) -> None:
    """Refuse claims the log cannot hold: one naming no event of its state, an accepted one
    that says another kind or a date that does not contain the event's, a rejected one whose
    source the event cites as its own, one given twice.

    ``events`` maps ``(state, key)`` to every event of the log (as it now stands, or as first
    recorded for a retracted one).
    """
    seen: set[Claim] = set()
    for claim in claims:
        if claim in seen:
            raise MalformedDataError(f"{claim.state}: the claim {_said(claim)} is given twice")
        seen.add(claim)
        if claim.event is None:
            continue
        event = events.get((claim.state, claim.event))
        if event is None:
            raise MalformedDataError(
                f"{claim.state}: the claim {_said(claim)} names the event"
                f" {_shown(claim.event)}, which the log does not hold"
            )
        if claim.verdict is not Verdict.ACCEPTED:
            if claim.source in event.sources:
                raise MalformedDataError(
                    f"{claim.state}: the source {_shown(claim.source.title)} both backs the"
                    f" event {claim.event!r} and is rejected against it: take it out of the"
                    " event's sources, or drop the claim"
                )
            continue
        if claim.says != event.kind:
            raise MalformedDataError(
                f"{claim.state}: the accepted claim {_said(claim)} says {claim.says.value!r},"
                f" but the event {claim.event!r} it backs is {event.kind.value!r}"
            )
        if not claim.date.first <= event.date.first <= event.date.last <= claim.date.last:
            raise MalformedDataError(
                f"{claim.state}: the accepted claim {_said(claim)} dates it {claim.date.iso},"
                f" which does not contain the date {event.date.iso} of the event it backs"
            )


def _said(claim: Claim) -> str:
    return _shown(f"{claim.says.value} {claim.date.iso} ({claim.source.title})")


def _published_by(source: Source, day: int) -> bool:
    """Whether ``source`` had certainly been published by ``day`` (its whole window before)."""
    return source.published is not None and source.published.last <= day


def reported(
    events: Mapping[str, Sequence[Event]], claims: Iterable[Claim], day: int
) -> list[Event]:
    """The events the sources had reported by ``day``: of each state's history (events in
    order), the events up to the last one that a source published by then backs, in its own
    sources or in an accepted claim.

    A report of an event reports the events before it that the rules require (a memorandum
    of obligations implies the procedure began): a prefix of a valid history is valid, and
    the view only grows with the day.
    """
    told: set[tuple[str, str]] = {
        (claim.state, claim.event)
        for claim in claims
        if claim.accepted and claim.event is not None and _published_by(claim.source, day)
    }
    found: list[Event] = []
    for state, history in events.items():
        last = -1
        for index, event in enumerate(history):
            if (state, event.key) in told or any(
                _published_by(source, day) for source in event.sources
            ):
                last = index
        found += history[: last + 1]
    return found


def matching(who: str | Source, sources: Iterable[Source]) -> frozenset[Source]:
    """The sources ``who`` names: a :class:`Source` itself, or text equal (ignoring case) to
    a source's publisher, title or address. None raises
    :class:`~sco_membership.exceptions.UnknownSourceError` naming the close ones."""
    every = set(sources)
    if isinstance(who, Source):
        found = {who} & every
    elif isinstance(who, str) and who.strip():
        wanted = who.strip().casefold()
        found = {
            source
            for source in every
            if any(
                part is not None and part.casefold() == wanted
                for part in (source.publisher, source.title, source.url)
            )
        }
    else:
        raise UnknownSourceError(who)
    if not found:
        import difflib  # lazy: only a wrong name needs suggestions

        names = sorted({s.publisher for s in every if s.publisher} | {s.title for s in every})
        query = who.title if isinstance(who, Source) else who
        close = difflib.get_close_matches(query, names, n=3, cutoff=0.5)
        raise UnknownSourceError(query, close)
    return frozenset(found)


def told_by(claims: Iterable[Claim], sources: frozenset[Source]) -> list[Event]:
    """What ``sources`` say, as events: each of their claims (accepted or not) as the event
    it says happened, at the date it gives, with its source. The same event said twice is
    kept once."""
    found: dict[tuple[str, str, str], Event] = {}
    for claim in claims:
        if claim.source in sources:
            event = Event(
                claim.state,
                claim.says,
                claim.date,
                sources=(claim.source,),
                note=claim.quote,
                recorded=claim.recorded,
            )
            found.setdefault((claim.state, claim.says.value, claim.date.iso), event)
    return list(found.values())


@functools.lru_cache(maxsize=16)
def lenient(rules: RuleSet) -> RuleSet:
    """``rules`` with every kind allowed from every standing, where the kind leads to one
    standing only: one source's claims alone seldom make a legal history (a headline saying
    "full member" skips the procedure), so its word is folded without the rules' order."""
    standings: set[Standing] = {rules.initial}
    rows: defaultdict[object, list[Transition]] = defaultdict(list)
    for row in rules.transitions:
        rows[row.kind].append(row)
        standings.add(row.source)
        if row.target is not None:
            standings.add(row.target)
    extra = []
    for found in rows.values():
        targets = {row.target for row in found}
        if len(targets) != 1:
            continue  # where the kind leads depends on where it starts: keep the rules' word
        (target,) = targets
        sources = {row.source for row in found}
        extra += [
            Transition(found[0].kind, standing, target)
            for standing in sorted(standings - sources, key=str)
        ]
    name = f"{rules.name} (one source's word)"
    return attrs.evolve(rules, name=name, transitions=[*rules.transitions, *extra])


@attrs.frozen(repr=False)
class Dispute:
    """Where sources disagree about one event: the event the record chose (none when no
    event stands: every claim was rejected), the claims it takes and those it rejects, each
    with its reason."""

    state: str
    event: Event | None
    accepted: tuple[Claim, ...]
    rejected: tuple[Claim, ...]

    def __str__(self) -> str:
        if self.event is None:
            claim = self.rejected[0]
            lines = [f"{self.state}: no event (every claim of {claim.says.label} rejected)"]
        else:
            event = self.event
            lines = [f"{self.state}: chosen {event.date.iso} {event.kind.label} ({event.key})"]
        lines += [f"  backed by: {claim.source}" for claim in self.accepted]
        for claim in self.rejected:
            lines.append(f"  rejected: {claim.says.label} {claim.date.iso}: {claim.source}")
            if claim.quote:
                lines.append(f"    says: {claim.quote}")
            lines.append(f"    why: {claim.reason}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        """One line: the state, the event chosen (or the claim no event answers), and how
        many claims take each side."""
        from ._display import brief

        if self.event is None:
            claim = self.rejected[0]
            chosen = f"no event (every claim of {claim.says.label} {claim.date.iso} rejected)"
        else:
            chosen = f"chosen {self.event.date.iso} {self.event.kind.label}"
        sides = f"{len(self.accepted):,} accepted, {len(self.rejected):,} rejected"
        return brief("Dispute", f"{self.state}: {chosen}; {sides}")

    def _repr_html_(self) -> str:
        """A table for Jupyter: the event chosen, then every claim on both sides, with its
        source as a link, its words and the record's reason."""
        from ._display import claims_table

        if self.event is None:
            caption = f"{self.state}: no event (every claim rejected)"
        else:
            event = self.event
            caption = f"{self.state}: chosen {event.date.iso} {event.kind.label} ({event.key})"
        return claims_table((*self.accepted, *self.rejected), caption=caption)


def disputes(
    events: Mapping[tuple[str, str], Event], claims: Iterable[Claim], state: str | None = None
) -> tuple[Dispute, ...]:
    """Every event that a rejected claim disputes, and every rejected claim that no event
    answers (grouped by what it says), for one state or all, in date order."""
    against: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
    apart: defaultdict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    extra: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if state is not None and claim.state != state:
            continue
        if claim.accepted:
            extra[claim.state, claim.event or ""].append(claim)
        elif claim.event is None:
            apart[claim.state, claim.says.value, claim.date.iso].append(claim)
        else:
            against[claim.state, claim.event].append(claim)
    found = [
        Dispute(code, event, (*backing(event), *extra[code, key]), tuple(rejected))
        for (code, key), rejected in against.items()
        for event in (events[code, key],)
    ]
    found += [Dispute(key[0], None, (), tuple(rejected)) for key, rejected in apart.items()]

    def when(dispute: Dispute) -> tuple[int, str]:
        date = dispute.rejected[0].date if dispute.event is None else dispute.event.date
        return (date.first, dispute.state)

    return tuple(sorted(found, key=when))
