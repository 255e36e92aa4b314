"""The fold: one state's events put in order, checked against the rules, cut into intervals.

This is the load path, so it is written for speed: the transition table is compiled to integer
arrays (:class:`~sco_membership.rules.Compiled`), ordering and interval cutting run through C
built-ins (``sorted``, ``map``, ``attrgetter``) wherever they can, and a history keeps only a
few objects the garbage collector has to visit.
"""

from __future__ import annotations

import array
import bisect
import itertools
import operator
from collections.abc import Iterable, Sequence

import attrs

from .exceptions import DuplicateEventError, IllegalTransitionError
from .model import Event, Standing, Status
from .rules import ILLEGAL, RuleSet

__all__ = ["Timeline", "arranged", "fold"]


_WINDOW = operator.attrgetter("date.first", "date.last")
_FIRST = operator.attrgetter("date.first")
_LAST = operator.attrgetter("date.last")
_ID = operator.attrgetter("id")
# Shared by every history whose retained status or organisation never changes.
_FROM_START: tuple[int, ...] = (0,)
_NOTHING: tuple[None, ...] = (None,)


def arranged(events: Iterable[Event], rules: RuleSet) -> tuple[Event, ...]:
    """Events by date window, same-window ones by the rule set's order of kinds, then id;
    refusing two events with one key.

    Input already in order on distinct days (the usual case) is recognised in one C-speed pass;
    otherwise sorting by the first day, or by the window, settles it, and the rare ties are
    ordered afterwards, so the result never depends on the input's order. Two events without
    an id can only share a key inside such a tie.
    """
    ordered = list(events)
    ids = list(map(_ID, ordered))
    if ids.count(None) != len(ids):
        given = [key for key in ids if key is not None]
        if len(set(given)) != len(given):
            raise DuplicateEventError(next(key for key in given if given.count(key) > 1))
    firsts = list(map(_FIRST, ordered))
    if all(map(operator.lt, firsts, itertools.islice(firsts, 1, None))):
        return tuple(ordered)
    if len(set(firsts)) == len(firsts):
        ordered.sort(key=_FIRST)
        return tuple(ordered)
    ordered.sort(key=_WINDOW)
    windows = list(map(_WINDOW, ordered))
    rank = rules.compiled.rank
    start = 0
    for k in range(1, len(ordered) + 1):
        if k == len(ordered) or windows[k] != windows[start]:
            if k - start > 1:
                tie = sorted(ordered[start:k], key=lambda e: (rank.get(e.kind, -1), e.id or ""))
                for before, after in itertools.pairwise(tie):
                    if after.id is None and before.id is None and before.kind is after.kind:
                        raise DuplicateEventError(after.key)
                ordered[start:k] = tie
            start = k
    return tuple(ordered)


@attrs.define
class Timeline:
    """What the fold leaves for answering: the events in order and the intervals they make.

    A step is a status-changing event: ``standings[j]`` is the number of the standing after step
    ``j`` (in the rule set's compiled table) and ``positions[j]`` the event's position in
    ``events`` (-1 for the start: no event). What rarely changes is kept sparse:
    ``retained[i]`` holds from step ``retained_at[i]`` on, and likewise ``organisations``.
    Interval ``k`` starts on day ordinal ``bounds[k]``; on it, ``los[k]`` is the last step that
    surely happened and ``his[k]`` the last that may have (``lo == hi``: a certain answer).
    Integer columns are arrays and ranges, which the garbage collector never visits.
    """

    events: tuple[Event, ...]
    standings: Sequence[int]
    positions: Sequence[int]
    retained_at: Sequence[int] = _FROM_START
    retained: Sequence[Status | None] = _NOTHING
    organisation_at: Sequence[int] = _FROM_START
    organisations: Sequence[str | None] = _NOTHING
    bounds: Sequence[int] = ()
    los: Sequence[int] = ()
    his: Sequence[int] = ()

    def step(self, j: int) -> Event | None:
        """The event of step ``j`` (``None`` for the start), or ``None`` past the last step."""
        if j >= len(self.positions) or self.positions[j] < 0:
            return None
        return self.events[self.positions[j]]

    def retained_on(self, step: int) -> Status | None:
        """The status kept through a process, at a step."""
        return self.retained[bisect.bisect_right(self.retained_at, step) - 1]

    def organisation_on(self, step: int) -> str | None:
        """The organisation named by the last founding event, at a step."""
        return self.organisations[bisect.bisect_right(self.organisation_at, step) - 1]


def fold(state: str, events: Iterable[Event], rules: RuleSet) -> Timeline:
    """Put ``events`` in order, apply each, checking it against the rules before it takes
    effect, and cut the timeline into intervals."""
    ordered = arranged(events, rules)
    table = rules.compiled
    moves, keeps, standings_of = table.moves, table.keeps, table.standings
    here = table.initial
    retained: Status | None = None
    standings = array.array("i", (here,))
    positions = array.array("i", (-1,))
    retained_at, retains = [0], [retained]
    organisation_at: list[int] = [0]
    organisations: list[str | None] = [None]
    for position, event in enumerate(ordered):
        row = moves.get(event.kind)
        there = ILLEGAL if row is None else row[here]
        if event.organisation is not None:
            organisation_at.append(len(positions))
            organisations.append(event.organisation)
        if there < 0:
            if there == ILLEGAL:
                last = ordered[positions[-1]] if positions[-1] >= 0 else None
                raise _illegal(state, event, standings_of[here], last, rules)
            continue  # recorded, changes nothing
        if not keeps[there]:
            if retained is not None:
                retained = None
                retained_at.append(len(positions))
                retains.append(None)
        elif not keeps[here]:
            retained = standings_of[here].status
            retained_at.append(len(positions))
            retains.append(retained)
        here = there
        standings.append(there)
        positions.append(position)
    timeline = Timeline(ordered, standings, positions)
    if len(retained_at) > 1:
        timeline.retained_at, timeline.retained = retained_at, retains
    if len(organisation_at) > 1:
        timeline.organisation_at, timeline.organisations = organisation_at, organisations
    _cut(timeline)
    return timeline


def _illegal(
    state: str, event: Event, standing: Standing, last: Event | None, rules: RuleSet
) -> IllegalTransitionError:
    return IllegalTransitionError(
        state=state,
        date=event.date.iso,
        current=str(standing),
        event=event.kind.value,
        allowed=[kind.value for kind in rules.allowed(standing)],
        after=None if last is None else f"{last.kind.value} on {last.date.iso}",
    )


def _cut(timeline: Timeline) -> None:
    """Cut the timeline where anything may change, and find each interval's step span.

    On day ``d`` an event dated ``[first, last]`` has surely happened when ``last <= d`` and
    may have happened when ``first <= d``. The events are in order, so on ``d`` the state is
    somewhere between the last step that surely happened and the last one that may have.
    """
    stepped = timeline.events
    if len(timeline.positions) <= len(stepped):  # some events changed nothing: leave them out
        stepped = tuple(stepped[k] for k in timeline.positions[1:])
    firsts: list[int] = list(map(_FIRST, stepped))
    lasts: list[int] = list(map(_LAST, stepped))
    steps = len(timeline.positions)
    if firsts == lasts:  # every date is a day: one cut per day, the day's last step wins
        if len(set(firsts)) == len(firsts):
            timeline.bounds = (0, *firsts)
            timeline.los = timeline.his = range(steps)
            return
        days = [0, *firsts, -1]
        los = [k for k in range(steps) if days[k] != days[k + 1]]
        timeline.bounds = tuple(days[k] for k in los)
        timeline.los = timeline.his = los
        return
    bounds, los, his = [0], [0], [0]
    by_last = sorted(range(len(lasts)), key=lasts.__getitem__)
    done = surely = 0
    for cut in sorted({*firsts, *lasts}):
        while done < len(by_last) and lasts[by_last[done]] <= cut:
            surely = max(surely, by_last[done] + 1)
            done += 1
        maybe = bisect.bisect_right(firsts, cut)
        if (surely, maybe) != (los[-1], his[-1]):
            bounds.append(cut)
            los.append(surely)
            his.append(maybe)
    timeline.bounds, timeline.los, timeline.his = tuple(bounds), los, his
