"""One state's validated history: its events, folded once into answerable intervals.

Building a :class:`History` sorts the events, checks each against the rule set and cuts the
timeline into intervals. A query is then a binary search over day ordinals: no re-fold, no
re-validation; the answers are made once, on the first query.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs

from ._timeline import fold
from .answer import Answer, options
from .dates import DateLike, to_ordinal
from .model import Event, EventKind, Standing
from .rules import SCO, RuleSet

__all__ = ["History"]

_bisect_right = bisect.bisect_right


@attrs.frozen(weakref_slot=False)
class History:
    """A state's events in order, validated, with an answer ready for every interval.

    Build one with :meth:`from_events` (the constructor sorts the events too); :meth:`append`
    returns a new history. Every interval's :class:`Answer` is made on the first query and kept,
    so a query allocates nothing. :meth:`at_ordinals` answers many days at once, and
    :meth:`lookup` hands out what the hot path reads, for callers who inline it.
    """

    state: str
    events: tuple[Event, ...]
    rules: RuleSet = SCO
    # Interval starts as day ordinals, then END (see _timeline.Timeline).
    _bounds: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    # ``_answers[bisect_right(_bounds, day)]`` is the answer on ``day``: entry ``k + 1`` holds
    # interval ``k``; entry 0 (before day 0) and the last (from END on) repeat the nearest
    # interval's. Every one is made on the first query (a history has a handful), so the hot
    # path needs no check; a history never asked about holds none.
    _answers: tuple[Answer, ...] = attrs.field(init=False, repr=False, eq=False)
    # The fold's packed columns (see _timeline.Timeline): what answers and rosters are made of.
    _steps: Sequence[int] = attrs.field(init=False, repr=False, eq=False)
    _cats: Sequence[int] = attrs.field(init=False, repr=False, eq=False)
    _spans: tuple[Sequence[int], Sequence[int]] | None = attrs.field(
        init=False, repr=False, eq=False
    )
    _named: tuple[Sequence[int], Sequence[str | None]] | None = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        timeline = fold(self.state, self.events, self.rules)
        setter = object.__setattr__
        setter(self, "events", timeline.events)
        setter(self, "_bounds", timeline.bounds)
        setter(self, "_answers", ())
        setter(self, "_steps", timeline.steps)
        setter(self, "_cats", timeline.cats)
        setter(self, "_spans", timeline.spans)
        setter(self, "_named", timeline.named)

    @classmethod
    def from_events(cls, state: str, events: Iterable[Event], *, rules: RuleSet = SCO) -> History:
        """Sort ``events`` (any order gives the same history) and validate them."""
        return cls(state, tuple(events), rules)

    def append(self, event: Event) -> History:
        """A new history with ``event`` added; ``self`` is unchanged."""
        return History.from_events(self.state, (*self.events, event), rules=self.rules)

    def at(self, on: DateLike) -> Answer:
        """The answer for one day (a ``datetime.date`` or text naming a day)."""
        day = on.toordinal() if isinstance(on, dt.date) else to_ordinal(on)
        return self.at_ordinal(day)

    def at_ordinal(self, day: int) -> Answer:
        """The answer for a day ordinal (``date.toordinal()``): the hot path.

        One binary search and one index; the answer is the same object every time.
        """
        try:
            return self._answers[_bisect_right(self._bounds, day)]
        except IndexError:  # no answer made yet
            return self._answered()[_bisect_right(self._bounds, day)]

    def at_ordinals(self, days: Iterable[int]) -> list[Answer]:
        """The answers for many day ordinals, in order: the bulk form of :meth:`at_ordinal`, one
        binary search and one index per day in a single loop, without a call per day.

        >>> import datetime as dt
        >>> from sco_membership import sco
        >>> days = [dt.date(year, 1, 1).toordinal() for year in (2000, 2010, 2020)]
        >>> [answer.status.value for answer in sco().history("IND").at_ordinals(days)]
        ['none', 'observer', 'member']
        """
        bounds, answers = self._bounds, self._answered()
        return [answers[_bisect_right(bounds, day)] for day in days]

    def lookup(self) -> tuple[tuple[int, ...], tuple[Answer, ...]]:
        """``(bounds, answers)``: ``answers[bisect_right(bounds, day)]`` is
        ``at_ordinal(day)``, for a caller who inlines the hot path in a loop of its own and
        saves the method call.

        ``bounds`` are the day ordinals on which the answer may change (the first is 0, the last
        is past any day); ``answers`` has one entry more, the first and last repeating their
        neighbours.

        >>> import bisect
        >>> from sco_membership import sco
        >>> india = sco().history("IND")
        >>> bounds, answers = india.lookup()
        >>> answers[bisect.bisect_right(bounds, 737000)] is india.at_ordinal(737000)
        True
        """
        return self._bounds, self._answered()

    def _answered(self) -> tuple[Answer, ...]:
        """``_answers``, every one made now if need be."""
        answers = self._answers
        if not answers:
            made = [self._make(k) for k in range(len(self._bounds) - 1)]
            answers = (made[0], *made, made[-1])
            object.__setattr__(self, "_answers", answers)
        return answers

    def _make(self, k: int) -> Answer:
        """The answer of interval ``k``, from the fold's columns."""
        steps, spans = self._steps, self._spans
        count = len(steps) // 3  # steps, the start included
        lo, hi = (k, k) if spans is None else (spans[0][k], spans[1][k])
        table = self.rules.compiled
        standing = table.standings[steps[lo]]
        choices: tuple[Standing, ...] = ()
        if lo != hi:
            choices = options(tuple(table.standings[steps[j]] for j in range(lo, hi + 1)))
        organisation = self.rules.organisation
        if self._named is not None:
            starts, names = self._named
            organisation = names[_bisect_right(starts, lo) - 1] or organisation
        active = steps[lo] != table.initial or lo != hi
        holder = steps[2 * count + lo]
        return Answer(
            state=self.state,
            status=standing.status,
            stage=standing.stage,
            retained=table.standings[holder - 1].status if holder else None,
            event=self._event(lo, count),
            options=choices,
            organisation=organisation if active else None,
            following=self._event(lo + 1, count),
        )

    def _event(self, step: int, count: int) -> Event | None:
        """The event of a step (``None`` for the start, or past the last step)."""
        if step >= count:
            return None
        position = self._steps[count + step]
        return self.events[position - 1] if position else None

    @property
    def intervals(self) -> tuple[Answer, ...]:
        """Every interval's answer, in time order; the first is the state before any event."""
        return self._answered()[1:-1]

    @property
    def changes(self) -> tuple[tuple[dt.date, Answer], ...]:
        """Each day from which the answer changes, with the new answer."""
        return tuple(
            (dt.date.fromordinal(day), answer)
            for day, answer in zip(self._bounds[1:-1], self.intervals[1:], strict=True)
        )

    def spans(self) -> Iterator[tuple[int, int | None, Answer]]:
        """Each interval as ``(first day, day after its last or None, answer)`` in ordinals."""
        stops: list[int | None] = [*self._bounds[1:-1], None]
        return zip(self._bounds[:-1], stops, self.intervals, strict=True)

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
