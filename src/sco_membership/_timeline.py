"""The fold: one state's events put in order, checked against the rules, cut into intervals.

This is the load path, so it is written for speed: the transition table is compiled to integer
arrays (:class:`~sco_membership.rules.Compiled`), per-event work that needs no decision runs
through C built-ins (``map``, ``attrgetter``, ``sorted``), the loop itself does one table lookup
per event, and a history keeps few objects for the garbage collector to visit.
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
_KIND = operator.attrgetter("kind")
_ORGANISATION = operator.attrgetter("organisation")
# Shared by every history whose retained status or organisation never changes.
_FROM_START: tuple[int, ...] = (0,)
_NOTHING: tuple[None, ...] = (None,)


def arranged(events: Iterable[Event], rules: RuleSet) -> tuple[tuple[Event, ...], list[int]]:
    """Events by date window, same-window ones by the rule set's order of kinds, then id, with
    their first days; refusing two events with one key.

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
        return tuple(ordered), firsts
    if len(set(firsts)) == len(firsts):
        ordered.sort(key=_FIRST)
        return tuple(ordered), sorted(firsts)
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
    return tuple(ordered), list(map(_FIRST, ordered))


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
    """Put ``events`` in order, apply each (checked against the rules before it takes effect),
    and cut the timeline into intervals."""
    ordered, firsts = arranged(events, rules)
    table = rules.compiled
    keeps, standings_of = table.keeps, table.standings
    # Each event's row of the table, looked up at C speed; an unknown kind's row allows nothing.
    rows = list(map(table.moves.get, map(_KIND, ordered), itertools.repeat(table.nowhere)))
    here = table.initial
    standings = array.array("i", (here,))
    positions = array.array("i", (-1,))
    add_standing, add_position = standings.append, positions.append
    retained: Status | None = None
    retained_at: list[int] = [0]
    retains: list[Status | None] = [None]
    for position, row in enumerate(rows):
        there = row[here]
        if there < 0:
            if there == ILLEGAL:
                last = ordered[positions[-1]] if positions[-1] >= 0 else None
                raise _illegal(state, ordered[position], standings_of[here], last, rules)
            continue  # recorded, changes nothing
        if keeps[there] is not keeps[here]:  # entering or leaving a process that keeps status
            retained = None if keeps[here] else standings_of[here].status
            retained_at.append(len(positions))
            retains.append(retained)
        here = there
        add_standing(there)
        add_position(position)
    timeline = Timeline(ordered, standings, positions)
    if len(retained_at) > 1:
        timeline.retained_at, timeline.retained = retained_at, retains
    if any(map(_ORGANISATION, ordered)):
        # A founding names its organisation from its own step on (or, if it changed nothing,
        # from the next step): the count of steps at positions before it.
        named = [(p, e.organisation) for p, e in enumerate(ordered) if e.organisation]
        timeline.organisation_at = [0, *(bisect.bisect_left(positions, p) for p, _ in named)]
        timeline.organisations = [None, *(name for _, name in named)]
    _cut(timeline, firsts)
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


def _cut(timeline: Timeline, firsts: list[int]) -> None:
    """Cut the timeline where anything may change, and find each interval's step span.

    On day ``d`` an event dated ``[first, last]`` has surely happened when ``last <= d`` and
    may have happened when ``first <= d``. The events are in order, so on ``d`` the state is
    somewhere between the last step that surely happened and the last one that may have.
    """
    steps = len(timeline.positions)
    lasts = list(map(_LAST, timeline.events))
    exact = firsts == lasts
    if steps <= len(timeline.events):  # some events changed nothing: leave them out
        firsts = [firsts[p] for p in timeline.positions[1:]]
        lasts = firsts if exact else [lasts[p] for p in timeline.positions[1:]]
    if exact:  # every date is a day: one cut per day, the day's last step wins
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
