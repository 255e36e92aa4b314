"""One state's validated history: its events, folded once into answerable intervals.

Building a :class:`History` sorts the events, checks each against the rule set and prepares one
:class:`Answer` per interval. A query is then a binary search over day ordinals: no re-fold, no
re-validation, no allocation.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator

import attrs

from .dates import DateLike, PartialDate, to_ordinal
from .exceptions import DuplicateEventError, IllegalTransitionError
from .model import Event, EventKind, Source, Stage, Standing, Status
from .rules import SCO, RuleSet

__all__ = ["Answer", "History"]


@attrs.frozen
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


def _sort_key(rules: RuleSet) -> Callable[[Event], tuple[int, int, int, str]]:
    def key(event: Event) -> tuple[int, int, int, str]:
        return (event.date.first, event.date.last, rules.rank(event.kind), event.key)

    return key


@attrs.frozen(slots=True)
class _Step:
    standing: Standing
    retained: Status | None
    organisation: str | None
    event: Event | None


def _fold(state: str, events: tuple[Event, ...], rules: RuleSet) -> list[_Step]:
    """Apply each event in order, checking it against the rules before it takes effect."""
    standing = rules.initial
    retained: Status | None = None
    organisation: str | None = None
    last: Event | None = None
    steps = [_Step(standing, None, None, None)]
    for event in events:
        try:
            target = rules.target(standing, event.kind)
        except KeyError:
            raise IllegalTransitionError(
                state=state,
                date=event.date.iso,
                current=str(standing),
                event=event.kind.value,
                allowed=[kind.value for kind in rules.allowed(standing)],
                after=None if last is None else f"{last.kind.value} on {last.date.iso}",
            ) from None
        if event.organisation is not None:
            organisation = event.organisation
        if target is None:  # recorded, changes nothing
            continue
        if target.status in rules.retaining:
            if standing.status not in rules.retaining:
                retained = standing.status if retained is None else retained
        else:
            retained = None
        standing = target
        last = event
        steps.append(_Step(standing, retained, organisation, event))
    return steps


def _answer(state: str, steps: list[_Step], lo: int, hi: int, rules: RuleSet) -> Answer:
    step = steps[lo]
    status = step.standing.status
    options = () if lo == hi else _options(tuple(steps[k].standing for k in range(lo, hi + 1)))
    active = status is not Status.NONE or step.standing.stage is not None or lo != hi
    return Answer(
        state=state,
        status=status,
        stage=step.standing.stage,
        retained=step.retained,
        event=step.event,
        options=options,
        organisation=(step.organisation or rules.organisation) if active else None,
        following=steps[lo + 1].event if lo + 1 < len(steps) else None,
    )


def _intervals(state: str, steps: list[_Step], rules: RuleSet) -> tuple[list[int], list[Answer]]:
    """Cut the timeline where anything may change and prepare one answer per piece.

    On day ``d`` an event dated ``[first, last]`` has surely happened when ``last <= d`` and
    may have happened when ``first <= d``. The events are in order, so on ``d`` the state is
    somewhere between the last step that surely happened and the last one that may have.
    """
    bounds = [0]
    answers = [_answer(state, steps, 0, 0, rules)]
    firsts = [step.event.date.first for step in steps[1:] if step.event is not None]
    lasts = [step.event.date.last for step in steps[1:] if step.event is not None]
    if firsts == lasts:  # every date is a day: one cut per day, the day's last step wins
        for k, day in enumerate(firsts, start=1):
            if k == len(firsts) or firsts[k] != day:
                bounds.append(day)
                answers.append(_answer(state, steps, k, k, rules))
        return bounds, answers
    by_last = sorted(range(len(lasts)), key=lasts.__getitem__)
    done = surely = 0
    span = (0, 0)
    for cut in sorted({*firsts, *lasts}):
        while done < len(by_last) and lasts[by_last[done]] <= cut:
            surely = max(surely, by_last[done] + 1)
            done += 1
        maybe = bisect.bisect_right(firsts, cut)
        if (surely, maybe) != span:
            span = (surely, maybe)
            bounds.append(cut)
            answers.append(_answer(state, steps, surely, maybe, rules))
    return bounds, answers


@attrs.frozen
class History:
    """A state's events in order, validated, with an answer prepared for every interval.

    Build one with :meth:`from_events`; :meth:`append` returns a new history.
    """

    state: str
    events: tuple[Event, ...]
    rules: RuleSet = SCO
    _bounds: list[int] = attrs.field(init=False, repr=False, eq=False)
    _answers: list[Answer] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for event in self.events:
            if event.key in seen:
                raise DuplicateEventError(event.key)
            seen.add(event.key)
        steps = _fold(self.state, self.events, self.rules)
        bounds, answers = _intervals(self.state, steps, self.rules)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_answers", answers)

    @classmethod
    def from_events(cls, state: str, events: Iterable[Event], *, rules: RuleSet = SCO) -> History:
        """Sort ``events`` (any order gives the same history) and validate them."""
        return cls(state, tuple(sorted(events, key=_sort_key(rules))), rules)

    def append(self, event: Event) -> History:
        """A new history with ``event`` added; ``self`` is unchanged."""
        return History.from_events(self.state, (*self.events, event), rules=self.rules)

    def at(self, on: DateLike) -> Answer:
        """The answer for one day (a ``datetime.date`` or text naming a day)."""
        day = on.toordinal() if isinstance(on, dt.date) else to_ordinal(on)
        return self._answers[bisect.bisect_right(self._bounds, day) - 1]

    def at_ordinal(self, day: int) -> Answer:
        """The answer for a day ordinal (``date.toordinal()``): the hot path."""
        return self._answers[bisect.bisect_right(self._bounds, day) - 1]

    @property
    def intervals(self) -> tuple[Answer, ...]:
        """Every interval's answer, in time order; the first is the state before any event."""
        return tuple(self._answers)

    @property
    def changes(self) -> tuple[tuple[dt.date, Answer], ...]:
        """Each day from which the answer changes, with the new answer."""
        return tuple(
            (dt.date.fromordinal(day), answer)
            for day, answer in zip(self._bounds[1:], self._answers[1:], strict=True)
        )

    def spans(self) -> Iterator[tuple[int, int | None, Answer]]:
        """Each interval as ``(first day, day after its last or None, answer)`` in ordinals."""
        stops: list[int | None] = [*self._bounds[1:], None]
        return zip(self._bounds, stops, self._answers, strict=True)

    @property
    def current(self) -> Answer:
        """The answer after the last event."""
        return self._answers[-1]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def kinds(self) -> tuple[EventKind, ...]:
        """The kinds of the events, in order."""
        return tuple(event.kind for event in self.events)
