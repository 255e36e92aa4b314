"""One state's validated history: its events, folded once into answerable intervals.

Building a :class:`History` sorts the events, checks each against the rule set and cuts the
timeline into intervals. A query is then a binary search over day ordinals: no re-fold, no
re-validation; each interval's answer is made once, when first asked for.

The fold (:func:`fold`) is the load path and a state's first question, so it is written for
speed: the transition table is compiled to integer arrays
(:class:`~sco_membership.rules.Compiled`), and the common case (events in order on distinct
days) is one loop with one table lookup per event; the general case runs per-event work that
needs no decision through C built-ins (``map``, ``attrgetter``, ``sorted``). What it leaves is
kept small, because a ledger keeps one per state: its integer columns are packed into one
``bytes`` object (an ``array`` past 255), which the garbage collector never visits, and
whatever has its usual value is left out (``None``).
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
import itertools
import operator
import threading
from collections.abc import Iterable, Iterator, Sequence

import attrs

from .answer import Answer, options
from .dates import DateLike, to_ordinal
from .exceptions import DuplicateEventError, IllegalTransitionError
from .model import Event, EventKind, Standing
from .profiles import chosen, default_rules
from .rules import ILLEGAL, START, RuleSet

__all__ = ["History"]


#: The last bound of every timeline: later than any day, so each interval has an end.
END = dt.date.max.toordinal() + 1

_WINDOW = operator.attrgetter("date.first", "date.last")
_FIRST = operator.attrgetter("date.first")
_LAST = operator.attrgetter("date.last")
_ID = operator.attrgetter("id")
_KIND = operator.attrgetter("kind")
_ORGANISATION = operator.attrgetter("organisation")


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
            # The first id (in input order) used twice; sets, not list.count: one pass.
            seen: set[str] = set()
            twice: set[str] = set()
            for key in given:
                (twice if key in seen else seen).add(key)
            raise DuplicateEventError(next(key for key in given if key in twice))
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


def packed(values: list[int]) -> Sequence[int]:
    """Small non-negative integers as ``bytes`` (one byte each), or as an ``array`` of C ints
    when one does not fit in a byte."""
    try:
        return bytes(values)
    except ValueError:  # a history with more than 255 events, or a very large rule set
        return array.array("i", values)


class Timeline:
    """What the fold leaves for answering: the events in order and the intervals they make.

    A step is a status-changing event; step 0 is the start. ``steps`` packs three columns of
    one entry per step: the number of the standing after the step (in the rule set's compiled
    table), then the step's event as its position in ``events`` plus one (0: no event), then
    the standing whose status is kept through a process, plus one (0: none).

    Interval ``k`` runs from day ordinal ``bounds[k]`` to ``bounds[k + 1]``; the last bound is
    :data:`END`. On interval ``k``, ``los[k]`` is the last step that surely happened and
    ``his[k]`` the last that may have (``lo == hi``: a certain answer); ``spans`` holds the two
    columns, or is ``None`` when interval ``k`` is simply step ``k``. ``named`` holds, when any
    founding names its organisation, the steps from which each name holds and the names.

    ``cats`` says in one number where a roster files the state on each interval, indexed like
    the answers, by ``bisect_right(bounds, day)`` (entry 0 repeats interval 0): the standing's
    number times ``width`` plus the kept standing's column entry, or :func:`uncertain` of the
    width when the interval's answer is uncertain. A roster of every state then needs no
    answer made and no Python code per state but one ``append``.

    A plain slotted class: the fold makes one per history, and one attrs class fewer is
    imported.
    """

    __slots__ = ("bounds", "cats", "events", "named", "spans", "steps")

    def __init__(
        self,
        events: tuple[Event, ...],
        bounds: tuple[int, ...],
        steps: Sequence[int],
        cats: Sequence[int],
        spans: tuple[Sequence[int], Sequence[int]] | None = None,
        named: tuple[Sequence[int], Sequence[str | None]] | None = None,
    ) -> None:
        self.events = events
        self.bounds = bounds
        self.steps = steps
        self.cats = cats
        self.spans = spans
        self.named = named


def uncertain(width: int) -> int:
    """The roster category of an uncertain interval, for a rule set whose compiled table has
    ``width - 1`` standings: past every certain one."""
    return width * (width - 1)


def fold(state: str, events: Iterable[Event], rules: RuleSet) -> Timeline:
    """Put ``events`` in order, apply each (checked against the rules before it takes effect),
    and cut the timeline into intervals."""
    events = events if isinstance(events, tuple) else tuple(events)
    return _plain(events, rules) or _general(state, events, rules)


def _plain(events: tuple[Event, ...], rules: RuleSet) -> Timeline | None:
    """The fold of the common case in one loop: events already in order on distinct days, every
    date a day, no id given twice, no organisation named, every one legal. ``None`` when any
    of that fails: the general fold then sorts, cuts or names the fault.

    A history has a handful of events, so the fixed cost of the general fold's C-speed passes
    outweighs their speed: this loop is what makes a state's first answer cheap.
    """
    table = rules.compiled
    moves, nowhere, keeps = table.moves, table.nowhere, table.keeps
    width = len(table.standings) + 1
    here = START
    last = holder = 0
    # The packed columns are built as bytearrays: a value past 255 (a long history, a large
    # rule set) raises ValueError, and the general fold packs it wider.
    bounds, standings, positions, kept = [0], bytearray((START,)), bytearray(1), bytearray(1)
    cats = bytearray((START * width, START * width))
    add_bound, add_standing, add_position = bounds.append, standings.append, positions.append
    add_kept, add_cat = kept.append, cats.append
    ids: set[str] = set()
    try:
        for position, event in enumerate(events, 1):
            date = event.date
            first = date.first
            if first <= last or date.last != first or event.organisation:
                return None
            if event.id is not None:
                if event.id in ids:
                    return None
                ids.add(event.id)
            last = first
            there = moves.get(event.kind, nowhere)[here]
            if there < 0:
                if there == ILLEGAL:
                    return None
                continue  # recorded, changes nothing
            if keeps[there] is not keeps[here]:
                holder = 0 if keeps[here] else here + 1
            here = there
            add_bound(first)
            add_standing(there)
            add_position(position)
            add_kept(holder)
            add_cat(there * width + holder)
    except ValueError:
        return None
    bounds.append(END)
    return Timeline(events, tuple(bounds), bytes(standings + positions + kept), bytes(cats))


def _general(state: str, events: tuple[Event, ...], rules: RuleSet) -> Timeline:
    """The fold of any events: sorted, ties settled, imprecise dates cut into windows."""
    ordered, firsts = arranged(events, rules)
    table = rules.compiled
    keeps = table.keeps
    # Each event's row of the table, looked up at C speed; an unknown kind's row allows nothing.
    rows = list(map(table.moves.get, map(_KIND, ordered), itertools.repeat(table.nowhere)))
    here = START
    standings = [here]
    positions = [0]
    kept = [0]
    add_standing, add_position, add_kept = standings.append, positions.append, kept.append
    holder = 0  # the standing (plus one) whose status is kept while a process runs
    for position, row in enumerate(rows, 1):
        there = row[here]
        if there < 0:
            if there == ILLEGAL:
                last = ordered[positions[-1] - 1] if positions[-1] else None
                raise _illegal(state, ordered[position - 1], table.standings[here], last, rules)
            continue  # recorded, changes nothing
        if keeps[there] is not keeps[here]:  # entering or leaving a process that keeps status
            holder = 0 if keeps[here] else here + 1
        here = there
        add_standing(there)
        add_position(position)
        add_kept(holder)
    named = None
    if any(map(_ORGANISATION, ordered)):
        # A founding names its organisation from its own step on (or, if it changed nothing,
        # from the next step): the count of steps at positions before it.
        found = [(p, e.organisation) for p, e in enumerate(ordered, 1) if e.organisation]
        named = (
            (0, *(bisect.bisect_left(positions, p) for p, _ in found)),
            (None, *(name for _, name in found)),
        )
    bounds, spans = _cut(ordered, firsts, positions)
    width = len(table.standings) + 1
    # Each step's roster category, C-speed: standing * width + kept standing (plus one).
    cats = list(map(operator.add, map(operator.mul, standings, itertools.repeat(width)), kept))
    if spans is not None:
        unsure = uncertain(width)
        cats = [cats[lo] if lo == hi else unsure for lo, hi in zip(*spans, strict=True)]
    cats.insert(0, cats[0])
    return Timeline(
        ordered, bounds, packed(standings + positions + kept), packed(cats), spans, named
    )


def _illegal(
    state: str, event: Event, standing: Standing, last: Event | None, rules: RuleSet
) -> IllegalTransitionError:
    return IllegalTransitionError(
        state=state, event=event, current=standing, allowed=rules.allowed(standing), after=last
    )


def _cut(
    events: tuple[Event, ...], firsts: list[int], positions: list[int]
) -> tuple[tuple[int, ...], tuple[Sequence[int], Sequence[int]] | None]:
    """Cut the timeline where anything may change: the bounds, and each interval's step span
    (``None``: interval ``k`` is step ``k``).

    On day ``d`` an event dated ``[first, last]`` has surely happened when ``last <= d`` and
    may have happened when ``first <= d``. The events are in order, so on ``d`` the state is
    somewhere between the last step that surely happened and the last one that may have.
    """
    steps = len(positions)
    lasts = list(map(_LAST, events))
    exact = firsts == lasts
    if steps <= len(events):  # some events changed nothing: leave them out
        firsts = [firsts[p - 1] for p in positions[1:]]
        lasts = firsts if exact else [lasts[p - 1] for p in positions[1:]]
    if exact:  # every date is a day: one cut per day, the day's last step wins
        if len(set(firsts)) == len(firsts):
            return (0, *firsts, END), None
        days = [0, *firsts, -1]
        los = packed([k for k in range(steps) if days[k] != days[k + 1]])
        return (*(days[k] for k in los), END), (los, los)
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
    return (*bounds, END), (packed(los), packed(his))


_bisect_right = bisect.bisect_right
# Each answer is made once, under this lock (held only while making one, or the rest).
_MAKING = threading.Lock()


@attrs.frozen(weakref_slot=False, repr=False)
class History:
    """A state's events in order, validated, with an answer for every interval.

    Build one with :meth:`from_events` (the constructor sorts the events too); :meth:`append`
    returns a new history. Each interval's :class:`Answer` is made when first asked for and
    kept, so a first question makes one answer, and a later one allocates nothing.
    :meth:`at_ordinals` answers many days at once, and :meth:`lookup` hands out what the hot
    path reads, for callers who inline it.
    """

    state: str
    events: tuple[Event, ...]
    rules: RuleSet = attrs.field(factory=default_rules)
    #: The day ordinals on which the answer may change: 0, each interval's first day, then a
    #: day past any date (interval ``k`` runs from ``bounds[k]`` up to ``bounds[k + 1]``).
    bounds: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)
    # ``_answers[bisect_right(bounds, day)]`` is the answer on ``day``: entry ``k + 1`` holds
    # interval ``k``; entry 0 (before day 0) and the last (from END on) repeat the nearest
    # interval's. Each is made when first asked for and kept (``None`` until then), so a first
    # question makes one answer, not one per interval. A history never asked about holds
    # ``()``; one with some answers made, a list; one with every answer made, a tuple.
    _answers: list[Answer | None] | tuple[Answer, ...] = attrs.field(
        init=False, repr=False, eq=False
    )
    # The fold's packed columns (see Timeline): what answers and rosters are made of.
    _steps: Sequence[int] = attrs.field(init=False, repr=False, eq=False)
    #: ``categories[bisect_right(bounds, day)]`` says under which status a roster files the
    #: state on ``day`` (see :func:`uncertain`): a caller filing many states at once reads it
    #: and makes no answer.
    categories: Sequence[int] = attrs.field(init=False, repr=False, eq=False)
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
        setter(self, "bounds", timeline.bounds)
        setter(self, "_answers", ())
        setter(self, "_steps", timeline.steps)
        setter(self, "categories", timeline.cats)
        setter(self, "_spans", timeline.spans)
        setter(self, "_named", timeline.named)

    @classmethod
    def from_events(
        cls, state: str, events: Iterable[Event], *, rules: RuleSet | None = None
    ) -> History:
        """Sort ``events`` (any order gives the same history) and validate them."""
        rules = chosen(rules)
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
            return self._answers[_bisect_right(self.bounds, day)] or self._answer(day)
        except IndexError:  # no answer made yet
            return self._answer(day)

    def at_ordinals(self, days: Iterable[int]) -> list[Answer]:
        """The answers for many day ordinals, in order: the bulk form of :meth:`at_ordinal`, one
        binary search and one index per day in a single loop, without a call per day.

        >>> import datetime as dt
        >>> from sco_membership import sco
        >>> days = [dt.date(year, 1, 1).toordinal() for year in (2000, 2010, 2020)]
        >>> [answer.status.value for answer in sco().history("IND").at_ordinals(days)]
        ['none', 'observer', 'member']
        """
        bounds, answers = self.bounds, self._answered()
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
        return self.bounds, self._answered()

    def _answered(self) -> tuple[Answer, ...]:
        """Every entry of ``_answers``, each made now if need be: the same tuple every time
        once all are made."""
        answers = self._answers
        if type(answers) is tuple and answers:
            return answers
        with _MAKING:  # under a lock: every thread gets the same answer objects
            answers = self._slots()
            if type(answers) is list:
                if answers.count(None) == len(answers):  # none made yet: all in one pass
                    made = self._made()
                    answers[:] = [made[0], *made, made[-1]]
                else:
                    for k in range(len(answers) - 2):
                        if answers[k + 1] is None:
                            self._keep(answers, k, self._make(k))
                answers = tuple(answers)  # type: ignore[arg-type]  # no None is left
                object.__setattr__(self, "_answers", answers)
            return answers  # type: ignore[return-value]  # a tuple of answers by now

    def _answer(self, day: int) -> Answer:
        """The answer on ``day``, made now and kept if need be: one answer, not every
        interval's."""
        index = _bisect_right(self.bounds, day)
        with _MAKING:  # under a lock: every thread gets the same answer object
            answers = self._slots()
            found = answers[index]
            if found is None:  # so a list: a tuple holds every answer
                # Entry 0 is interval 0's, the last entry the last interval's.
                k = min(max(index - 1, 0), len(answers) - 3)
                found = self._make(k)
                self._keep(answers, k, found)  # type: ignore[arg-type]
            return found

    def _answers_so_far(self) -> Sequence[Answer | None]:
        """``_answers`` as the ledger keeps it: indexed like :meth:`lookup`'s, ``None`` where an
        answer is not made yet (:meth:`at_ordinal` makes it), filling in as answers are made.
        The history's own sequence, for the ledger's hot path: never handed to a caller."""
        answers = self._answers
        if answers:
            return answers
        with _MAKING:
            return self._slots()

    def _slots(self) -> list[Answer | None] | tuple[Answer, ...]:
        """``_answers``, made (a list, every entry ``None``) on the first question; called under
        the lock."""
        answers = self._answers
        if not answers:
            answers = [None] * (len(self.bounds) + 1)
            object.__setattr__(self, "_answers", answers)
        return answers

    @staticmethod
    def _keep(answers: list[Answer | None], k: int, answer: Answer) -> None:
        """File interval ``k``'s answer at its entry, and at entry 0 or the last when they
        repeat it."""
        answers[k + 1] = answer
        if k == 0:
            answers[0] = answer
        if k == len(answers) - 3:
            answers[-1] = answer

    def _made(self) -> list[Answer]:
        """Every interval's answer, in time order."""
        make = self._make
        return [make(k) for k in range(len(self.bounds) - 1)]

    def _make(self, k: int) -> Answer:
        """The answer of interval ``k``, from the fold's columns.

        A history whose dates are all days and whose events name no organisation of their own
        (the common case: no spans, no names) has interval ``k`` at step ``k``, so its columns
        are read directly; this is the cost of a state's first answer.
        """
        steps = self._steps
        count = len(steps) // 3  # steps, the start included
        table = self.rules.compiled
        if self._spans is None and self._named is None:
            code = steps[k]
            standing = table.standings[code]
            holder = steps[2 * count + k]
            here = steps[count + k]
            after = steps[count + k + 1] if k + 1 < count else 0
            return Answer(
                self.state,
                standing.status,
                standing.stage,
                table.standings[holder - 1].status if holder else None,
                self.events[here - 1] if here else None,
                (),
                self.rules.organisation if code != START else None,
                self.events[after - 1] if after else None,
            )
        lo, hi = (k, k) if self._spans is None else (self._spans[0][k], self._spans[1][k])
        standing = table.standings[steps[lo]]
        choices: tuple[Standing, ...] = ()
        if lo != hi:
            choices = options(tuple(table.standings[steps[j]] for j in range(lo, hi + 1)))
        organisation = self.rules.organisation
        if self._named is not None:
            starts, names = self._named
            organisation = names[_bisect_right(starts, lo) - 1] or organisation
        active = steps[lo] != START or lo != hi
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

    def timeline(self) -> tuple[tuple[dt.date, Answer], ...]:
        """Each day from which the answer changes, with the new answer, in time order."""
        return tuple(
            (dt.date.fromordinal(day), answer)
            for day, answer in zip(self.bounds[1:-1], self.intervals[1:], strict=True)
        )

    def spans(self) -> Iterator[tuple[int, int | None, Answer]]:
        """Each interval as ``(first day, day after its last or None, answer)`` in ordinals."""
        stops: list[int | None] = [*self.bounds[1:-1], None]
        return zip(self.bounds[:-1], stops, self.intervals, strict=True)

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

    def __repr__(self) -> str:
        """One line: the state, how many events, and the status after the last one.

        >>> from sco_membership import sco
        >>> sco().history("IND")
        <History IND: 5 events; current: member, since 2017-06-09>
        """
        from ._display import brief, plural

        current = self.current
        text = f"{self.state}: {plural(len(self.events), 'event')}; current: {current.describe()}"
        if current.since is not None:
            text += f", since {current.since.iso}"
        return brief("History", text)

    def _repr_html_(self) -> str:
        """A table for Jupyter: the timeline, one row per interval, with its status, first day,
        the day it ends, the event that began it and that event's sources as links."""
        from ._display import event, sources, table

        def row(first: int, stop: int | None, answer: Answer) -> tuple[object, ...]:
            return (
                dt.date.fromordinal(first) if first else None,
                None if stop is None else dt.date.fromordinal(stop),
                answer.describe(),
                None if answer.event is None else event(answer.event),
                sources(answer.sources),
            )

        caption = f"{self.state}: {len(self.events):,} events ({self.rules.name})"
        head = ("from", "until", "status", "event", "sources")
        rows = (row(*span) for span in self.spans())
        return table(rows, count=len(self.bounds) - 1, head=head, caption=caption)
