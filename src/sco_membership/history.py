"""One state's validated history: its events, folded once into answerable intervals.

Building a :class:`History` sorts the events, checks each against the rule set and cuts the
timeline into intervals. A query is then a binary search over day ordinals: no re-fold, no
re-validation; each interval's answer is made once, on first use.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs

from ._timeline import Timeline, fold
from .answer import Answer, options
from .dates import DateLike, to_ordinal
from .model import Event, EventKind, Standing
from .rules import SCO, RuleSet

__all__ = ["History"]

# The answers of a history not yet asked about: indexing it raises IndexError.
_NOT_YET: list[Answer | None] = []


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
    _timeline: Timeline = attrs.field(init=False, repr=False, eq=False)
    # The hot path's two arrays, kept on the history itself: one attribute load each.
    _bounds: Sequence[int] = attrs.field(init=False, repr=False, eq=False)
    # Made on the first query: a history never asked about costs no list (and no GC work).
    _answers: list[Answer | None] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        timeline = fold(self.state, self.events, self.rules)
        object.__setattr__(self, "events", timeline.events)
        object.__setattr__(self, "_timeline", timeline)
        object.__setattr__(self, "_bounds", timeline.bounds)
        object.__setattr__(self, "_answers", _NOT_YET)

    @classmethod
    def from_events(cls, state: str, events: Iterable[Event], *, rules: RuleSet = SCO) -> History:
        """Sort ``events`` (any order gives the same history) and validate them."""
        return cls(state, tuple(events), rules)

    def append(self, event: Event) -> History:
        """A new history with ``event`` added; ``self`` is unchanged."""
        return History.from_events(self.state, (*self.events, event), rules=self.rules)

    def _answer(self, k: int) -> Answer:
        timeline = self._timeline
        lo, hi = timeline.los[k], timeline.his[k]
        table = self.rules.compiled
        standing = table.standings[timeline.standings[lo]]
        choices: tuple[Standing, ...] = ()
        if lo != hi:
            choices = options(
                tuple(table.standings[timeline.standings[j]] for j in range(lo, hi + 1))
            )
        active = standing != table.standings[table.initial] or lo != hi
        organisation = timeline.organisation_on(lo) or self.rules.organisation
        answer = Answer(
            state=self.state,
            status=standing.status,
            stage=standing.stage,
            retained=timeline.retained_on(lo),
            event=timeline.step(lo),
            options=choices,
            organisation=organisation if active else None,
            following=timeline.step(lo + 1),
        )
        if self._answers is _NOT_YET:
            object.__setattr__(self, "_answers", [None] * len(self._bounds))
        self._answers[k] = answer
        return answer

    def at(self, on: DateLike) -> Answer:
        """The answer for one day (a ``datetime.date`` or text naming a day)."""
        day = on.toordinal() if isinstance(on, dt.date) else to_ordinal(on)
        return self.at_ordinal(day)

    def at_ordinal(self, day: int) -> Answer:
        """The answer for a day ordinal (``date.toordinal()``): the hot path."""
        k = bisect.bisect_right(self._bounds, day) - 1
        try:
            return self._answers[k] or self._answer(k)
        except IndexError:  # no answer made yet
            return self._answer(k)

    @property
    def intervals(self) -> tuple[Answer, ...]:
        """Every interval's answer, in time order; the first is the state before any event."""
        return tuple(map(self._made, range(len(self._bounds))))

    def _made(self, k: int) -> Answer:
        try:
            return self._answers[k] or self._answer(k)
        except IndexError:  # no answer made yet
            return self._answer(k)

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
