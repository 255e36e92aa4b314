"""One state's validated history: its events, folded once into answerable intervals.

Building a :class:`History` sorts the events, checks each against the rule set and cuts the
timeline into intervals. A query is then a binary search over day ordinals: no re-fold, no
re-validation; each interval's answer is made once, on first use.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
from collections.abc import Iterable, Iterator

import attrs

from .dates import DateLike, PartialDate, to_ordinal
from .exceptions import DuplicateEventError, IllegalTransitionError
from .model import Event, EventKind, Source, Stage, Standing, Status
from .rules import ILLEGAL, SCO, RuleSet

__all__ = ["Answer", "History"]


@attrs.frozen(weakref_slot=False)
class Answer:
    """What one state's status was over one interval, and on whose authority.

    ``status`` is the last status the record proves was reached. When the interval lies inside
    an imprecise event's window (a source gives only "June 2017"), ``certain`` is false and
    ``options`` holds every standing the state may have been at (see :attr:`possible`).
    ``retained`` is the status a state keeps while a process runs (an acceding state stays an
    observer). ``following`` is the next event that changes the answer, if any.
    """

    state: str
    status: Status
    stage: Stage | None = None
    retained: Status | None = None
    event: Event | None = None
    options: tuple[Standing, ...] = ()
    organisation: str | None = None
    following: Event | None = None

    @property
    def certain(self) -> bool:
        """Whether the record proves the status (no imprecise date leaves it open)."""
        return len(self.options) <= 1

    @property
    def possible(self) -> frozenset[Status]:
        """Every status the state may have held: just ``status`` when certain."""
        return frozenset(option.status for option in self.options) or frozenset({self.status})

    @property
    def since(self) -> PartialDate | None:
        """The date of the event that began this status (``None``: never any event)."""
        return None if self.event is None else self.event.date

    @property
    def until(self) -> PartialDate | None:
        """The date of the next event that changes the answer (``None``: none yet)."""
        return None if self.following is None else self.following.date

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the event that began this status."""
        return () if self.event is None else self.event.sources

    @property
    def held(self) -> Status:
        """The status held in law: the retained one while a process runs."""
        return self.status if self.retained is None else self.retained

    @property
    def standing(self) -> Standing:
        """The status with its stage."""
        return Standing(self.status, self.stage)

    def describe(self) -> str:
        """The status in words: ``acceding (obligations signed; still observer)``."""
        if not self.certain:
            return "uncertain: " + " or ".join(str(option) for option in self.options)
        details = [self.stage.label] if self.stage is not None else []
        if self.retained is not None:
            details.append(f"still {self.retained.label}")
        return self.status.label + (f" ({'; '.join(details)})" if details else "")

    def __str__(self) -> str:
        text = f"{self.state}: {self.describe()}"
        if self.organisation is not None and self.status is not Status.NONE:
            text += f" of the {self.organisation}"
        if not self.certain and self.following is not None:
            following = self.following
            return text + f" ({following.kind.label} in {following.date.iso}, day not known)"
        if self.event is not None:
            place = f", {self.event.place}" if self.event.place else ""
            text += f", since {self.event.date.iso} ({self.event.kind.label}{place})"
        if self.until is not None:
            text += f", until {self.until.iso}"
        return text


@functools.lru_cache(maxsize=1024)
def _options(standings: tuple[Standing, ...]) -> tuple[Standing, ...]:
    # Many intervals share the same options: one tuple per distinct value saves memory.
    return standings


_WINDOW = operator.attrgetter("date.first", "date.last")
_FIRST = operator.attrgetter("date.first")
_LAST = operator.attrgetter("date.last")
_ID = operator.attrgetter("id")


def _arranged(events: Iterable[Event], rules: RuleSet) -> tuple[Event, ...]:
    """Events by date window, same-window ones by the rule set's order of kinds, then id;
    refusing two events with one key.

    Sorting by the window alone runs at C speed (and in linear time on input that is already
    in order); the rare ties are settled afterwards, so the result never depends on the input's
    order. Two events without an id can only share a key inside such a tie.
    """
    ordered = sorted(events, key=_WINDOW)
    ids = list(map(_ID, ordered))
    if ids.count(None) != len(ids):
        given = [key for key in ids if key is not None]
        if len(set(given)) != len(given):
            raise DuplicateEventError(next(key for key in given if given.count(key) > 1))
    windows = list(map(_WINDOW, ordered))
    if len(set(windows)) == len(windows):
        return tuple(ordered)
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
class _Index:
    """What the fold leaves for answering: the standing after each status-changing event (a
    step), that event, and the step span of each interval.

    What rarely changes is kept sparse: ``retained[j]`` holds from step ``retained_at[j]`` on,
    and likewise ``organisations``. On an interval, ``los`` is the last step that surely
    happened and ``his`` the last that may have; ``lo == hi`` is a certain answer.
    """

    standings: list[int]
    steps: list[Event | None]
    retained_at: list[int]
    retained: list[Status | None]
    organisation_at: list[int]
    organisations: list[str | None]
    los: list[int] = attrs.field(factory=list)
    his: list[int] = attrs.field(factory=list)


def _fold(state: str, events: tuple[Event, ...], rules: RuleSet) -> _Index:
    """Apply each event in order, checking it against the rules before it takes effect."""
    table = rules.compiled
    moves, keeps, standings_of = table.moves, table.keeps, table.standings
    here = table.initial
    retained: Status | None = None
    index = _Index([here], [None], [0], [None], [0], [None])
    standings, steps = index.standings, index.steps
    for event in events:
        row = moves.get(event.kind)
        there = ILLEGAL if row is None else row[here]
        if event.organisation is not None:
            index.organisation_at.append(len(steps))
            index.organisations.append(event.organisation)
        if there < 0:
            if there == ILLEGAL:
                raise _illegal(state, event, standings_of[here], steps[-1], rules)
            continue  # recorded, changes nothing
        if not keeps[there]:
            if retained is not None:
                retained = None
                index.retained_at.append(len(steps))
                index.retained.append(None)
        elif not keeps[here]:
            retained = standings_of[here].status
            index.retained_at.append(len(steps))
            index.retained.append(retained)
        here = there
        standings.append(there)
        steps.append(event)
    return index


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


def _intervals(index: _Index) -> list[int]:
    """Cut the timeline where anything may change; fill the index's step spans; return the
    intervals' first days.

    On day ``d`` an event dated ``[first, last]`` has surely happened when ``last <= d`` and
    may have happened when ``first <= d``. The events are in order, so on ``d`` the state is
    somewhere between the last step that surely happened and the last one that may have.
    """
    dated = index.steps[1:]
    firsts: list[int] = list(map(_FIRST, dated))
    lasts: list[int] = list(map(_LAST, dated))
    if firsts == lasts:  # every date is a day: one cut per day, the day's last step wins
        if len(set(firsts)) == len(firsts):
            index.los = index.his = list(range(len(index.steps)))
            return [0, *firsts]
        days = [0, *firsts, -1]
        index.los = index.his = [k for k in range(len(index.steps)) if days[k] != days[k + 1]]
        return [days[k] for k in index.los]
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
    index.los, index.his = los, his
    return bounds


@attrs.frozen
class History:
    """A state's events in order, validated, with an answer ready for every interval.

    Build one with :meth:`from_events` (the constructor sorts the events too); :meth:`append`
    returns a new history. Each interval's :class:`Answer` is made on first use and kept, so a
    repeated query allocates nothing.
    """

    state: str
    events: tuple[Event, ...]
    rules: RuleSet = SCO
    _index: _Index = attrs.field(init=False, repr=False, eq=False)
    _bounds: list[int] = attrs.field(init=False, repr=False, eq=False)
    _answers: list[Answer | None] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        events = _arranged(self.events, self.rules)
        index = _fold(self.state, events, self.rules)
        bounds = _intervals(index)
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_answers", [None] * len(bounds))

    @classmethod
    def from_events(cls, state: str, events: Iterable[Event], *, rules: RuleSet = SCO) -> History:
        """Sort ``events`` (any order gives the same history) and validate them."""
        return cls(state, tuple(events), rules)

    def append(self, event: Event) -> History:
        """A new history with ``event`` added; ``self`` is unchanged."""
        return History.from_events(self.state, (*self.events, event), rules=self.rules)

    def _answer(self, k: int) -> Answer:
        index, lo, hi = self._index, self._index.los[k], self._index.his[k]
        table = self.rules.compiled
        standing = table.standings[index.standings[lo]]
        retained = index.retained[bisect.bisect_right(index.retained_at, lo) - 1]
        organisation = index.organisations[bisect.bisect_right(index.organisation_at, lo) - 1]
        options: tuple[Standing, ...] = ()
        if lo != hi:
            options = _options(
                tuple(table.standings[index.standings[j]] for j in range(lo, hi + 1))
            )
        active = standing != table.standings[table.initial] or lo != hi
        answer = Answer(
            state=self.state,
            status=standing.status,
            stage=standing.stage,
            retained=retained,
            event=index.steps[lo],
            options=options,
            organisation=(organisation or self.rules.organisation) if active else None,
            following=index.steps[lo + 1] if lo + 1 < len(index.steps) else None,
        )
        self._answers[k] = answer
        return answer

    def at(self, on: DateLike) -> Answer:
        """The answer for one day (a ``datetime.date`` or text naming a day)."""
        day = on.toordinal() if isinstance(on, dt.date) else to_ordinal(on)
        return self.at_ordinal(day)

    def at_ordinal(self, day: int) -> Answer:
        """The answer for a day ordinal (``date.toordinal()``): the hot path."""
        k = bisect.bisect_right(self._bounds, day) - 1
        return self._answers[k] or self._answer(k)

    @property
    def intervals(self) -> tuple[Answer, ...]:
        """Every interval's answer, in time order; the first is the state before any event."""
        return tuple(self._answers[k] or self._answer(k) for k in range(len(self._bounds)))

    @property
    def changes(self) -> tuple[tuple[dt.date, Answer], ...]:
        """Each day from which the answer changes, with the new answer."""
        return tuple(
            (dt.date.fromordinal(day), answer)
            for day, answer in zip(self._bounds[1:], self.intervals[1:], strict=True)
        )

    def spans(self) -> Iterator[tuple[int, int | None, Answer]]:
        """Each interval as ``(first day, day after its last or None, answer)`` in ordinals."""
        stops: list[int | None] = [*self._bounds[1:], None]
        return zip(self._bounds, stops, self.intervals, strict=True)

    @property
    def current(self) -> Answer:
        """The answer after the last event."""
        return self.at_ordinal(dt.date.max.toordinal())

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def kinds(self) -> tuple[EventKind, ...]:
        """The kinds of the events, in order."""
        return tuple(event.kind for event in self.events)
