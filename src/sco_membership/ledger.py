"""The ledger: every state's history under one rule set, and the questions asked across them.

A :class:`Ledger` maps each state that has events to its validated :class:`History`. Any ISO
3166-1 state may be asked about; one with no events answers "none", certainly. States are given
by alpha-3 code or by name.

Loading many states is fast because a bulk load validates every event but builds no intervals
until a state is asked about: :func:`quick_check` vouches for the common case (events on
distinct days, every date a day, no id given twice) in one tight loop, a state it cannot vouch for
is built at once (raising the precise error), and :class:`Histories` builds the rest on first
access. A roster changes only on the days some answer changes, so each one made is kept for its
stretch of days (:class:`Rosters`); making one reads no answer (:func:`roster_on`).

Thread contract: a ledger is immutable to its callers and may be shared between threads (the
embedded ones are). What it makes on demand (histories, answers, rosters, "as known on" views)
is made under a lock or published by one atomic assignment, so every thread gets the same
objects and nothing a thread iterates grows under it.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import functools
import gc
import json
import operator
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .answer import Answer, Change, Roster
from .belief import believe, recorded_by
from .claims import Dispute, backing, check, disputes, lenient, matching, reported, told_by
from .dates import DateLike, Duration, to_date, to_ordinal
from .exceptions import (
    DateError,
    IllegalTransitionError,
    MalformedDataError,
    NothingKnownError,
    OptionError,
)
from .history import History, uncertain
from .model import Amendment, Claim, Event, Source, Status
from .profiles import chosen, default_rules
from .rules import ILLEGAL, START, RuleSet

if TYPE_CHECKING:
    from .explain import Explanation

__all__ = ["Ledger"]


#: How many state codes the rosters a ledger keeps may hold in all (some 30 MB at most): every
#: roster of a real organisation's ledger, or about ten of a ledger of 100,000 states.
ROSTER_BUDGET = 1 << 20
# Later than any day: no stretch of days ends after it.
_END = dt.date.max.toordinal() + 1
# Amendments apply in record-time order.
_RECORD_ORDER = operator.attrgetter("recorded", "key")
_RECORDED = operator.attrgetter("recorded")
_FIRST = operator.attrgetter("date.first")


def _horizon(
    events: Iterable[Event], amendments: Iterable[Amendment], claims: Iterable[Claim] = ()
) -> dt.date | None:
    """The latest record time of the entries: what a record is known complete through."""
    days = [day for day in map(_RECORDED, events) if day is not None]
    days += [amendment.recorded for amendment in amendments]
    days += [day for day in map(_RECORDED, claims) if day is not None]
    return max(days, default=None)


_bisect_right = bisect.bisect_right


def _file(
    groups: defaultdict[Status, list[str]], codes: list[str], held: Status, status: Status
) -> None:
    """File ``codes`` under the status held in law and, while a process runs, under its own."""
    if held is not Status.NONE:
        groups[held] += codes
    if status is not held:
        groups[status] += codes


def roster_on(histories: Mapping[str, History], day: int, rules: RuleSet) -> Roster:
    """Every state filed under the status it held in law on ``day`` (an acceding one under its
    process's status too); states whose status is uncertain apart, with the statuses they may
    hold (a state whose stage alone is uncertain is filed under its status).

    The loop does one binary search, one index and one ``append`` per state, as a bare floor
    would: each history keeps, per interval, the roster category that says where the state
    goes (:attr:`History.categories`), so no answer is made or read, except for uncertain
    states. Categories are then turned into statuses once each.
    """
    width = len(rules.compiled.standings) + 1
    # Categories found, not every possible one: a rule set of S standings has S * S of them.
    filed: defaultdict[int, list[str]] = defaultdict(list)
    bisect_right = _bisect_right  # a local: the loop runs once per state
    for code, history in histories.items():
        filed[history.categories[bisect_right(history.bounds, day)]].append(code)
    unsure_codes = filed.pop(uncertain(width), [])
    standings = rules.compiled.standings
    groups: defaultdict[Status, list[str]] = defaultdict(list)
    for cat, codes in sorted(filed.items()):
        number, holder = divmod(cat, width)
        status = standings[number].status
        _file(groups, codes, standings[holder - 1].status if holder else status, status)
    unsure = {}
    for code in unsure_codes:
        answer = histories[code].at_ordinal(day)
        if len(answer.possible) > 1:
            unsure[code] = answer.possible
        else:  # only the stage is open (invited or not yet): the status is certain
            _file(groups, [code], answer.held, answer.status)
    ordered = {s: frozenset(groups[s]) for s in rules.statuses if groups.get(s)}
    return Roster(dt.date.fromordinal(day), ordered, unsure)


class Rosters:
    """The rosters a ledger has made, each kept for its stretch of days.

    ``days`` is the sorted union of every history's bounds: the days on which some answer may
    change (made with the second roster asked for, from histories that are all built by then:
    building it costs more than one roster, so a ledger asked for one roster never pays it).
    Stretch ``i`` runs from ``days[i - 1]`` up to ``days[i]``, and ``bisect_right(days, day)``
    finds the stretch of a day: its roster, if kept, is ``kept[i]``. The oldest rosters are
    dropped once the kept ones hold more than :data:`ROSTER_BUDGET` codes in all. Finding needs
    no lock; keeping takes one, so that threads sharing a ledger keep the parts in step.
    """

    __slots__ = ("_asked", "_days", "_kept", "_lock", "_order", "_size")

    def __init__(self) -> None:
        self._days: list[int] = []
        self._kept: list[Roster | None] = []
        self._order: collections.deque[tuple[int, int]] = collections.deque()
        self._size = 0
        self._asked = False
        self._lock = threading.Lock()

    def get(self, day: int) -> Roster | None:
        """The roster kept for the stretch holding ``day``, if any."""
        try:
            return self._kept[_bisect_right(self._days, day)]
        except IndexError:  # nothing kept yet
            return None

    def keep(self, day: int, roster: Roster, histories: Iterable[History]) -> None:
        """Keep ``roster`` for the stretch holding ``day``; ``histories`` are every state's."""
        size = len(roster.uncertain) + sum(map(len, roster.groups.values()))
        with self._lock:
            if not self._asked:
                self._asked = True
                return
            if not self._kept:
                days = {0, _END}.union(*(history.bounds for history in histories))
                self._days = sorted(days)
                self._kept = [None] * (len(self._days) + 1)
            index = _bisect_right(self._days, day)
            if self._kept[index] is not None:
                return
            while self._order and self._size + size > ROSTER_BUDGET:
                oldest, held = self._order.popleft()
                self._kept[oldest] = None
                self._size -= held
            self._kept[index] = roster
            self._order.append((index, size))
            self._size += size


def quick_check(events: Sequence[Event], rules: RuleSet) -> bool:
    """True when ``events`` are valid under ``rules`` and in the simple form: in order on
    distinct days, every date a day, no id given twice. False means "build it in full to
    know"."""
    table = rules.compiled
    moves, nowhere = table.moves, table.nowhere
    here = START
    last = 0
    ids: set[str] = set()
    for event in events:
        date = event.date
        first = date.first
        if first <= last or date.last != first:
            return False
        if event.id is not None:
            if event.id in ids:
                return False
            ids.add(event.id)
        last = first
        there = moves.get(event.kind, nowhere)[here]
        if there >= 0:
            here = there
        elif there == ILLEGAL:
            return False
    return True


class Histories(Mapping[str, History]):
    """State code -> validated :class:`History`, each built on first access and kept.

    ``built`` is shared with the ledger, whose hot path looks there first. A history is built
    under a lock, once: threads sharing a ledger get the same object, and nobody iterating
    ``built`` sees it grow after every state is built.
    """

    __slots__ = ("_built", "_events", "_lock", "_rules")

    def __init__(
        self,
        events: Mapping[str, Sequence[Event]],
        rules: RuleSet,
        built: dict[str, History],
    ) -> None:
        self._events = dict(sorted(events.items()))
        for state, found in built.items():  # each holds its events in order: keep only those
            if state in self._events:
                self._events[state] = found.events
        self._rules = rules
        self._built = built
        self._lock = threading.Lock()

    @classmethod
    def of(cls, histories: Mapping[str, History], rules: RuleSet) -> Histories:
        """Histories already built."""
        if isinstance(histories, Histories):
            return histories
        built = dict(histories)
        return cls({state: found.events for state, found in built.items()}, rules, built)

    @property
    def events(self) -> Mapping[str, Sequence[Event]]:
        """Each state's events (in order once its history is built)."""
        return self._events

    @property
    def built(self) -> dict[str, History]:
        """The histories built so far (shared, not a copy)."""
        return self._built

    def __getitem__(self, state: str) -> History:
        found = self._built.get(state)
        if found is None:
            with self._lock:
                found = self._built.get(state)  # another thread may have built it meanwhile
                if found is None:
                    events = self._events[state]  # KeyError: a state with no events
                    found = History.from_events(state, events, rules=self._rules)
                    self._built[state] = found
                    # The history holds the same events in order: the list as loaded can go.
                    self._events[state] = found.events
        return found

    def __contains__(self, state: object) -> bool:
        return state in self._events

    def __iter__(self) -> Iterator[str]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __repr__(self) -> str:
        return f"Histories({len(self)} states, {len(self._built)} built)"


def built_history(
    state: str,
    events: list[Event],
    rules: RuleSet,
    amended: Mapping[tuple[str, str], tuple[Amendment, ...]],
) -> History:
    """A state's history, built now; an illegal event that an amendment made says so."""
    try:
        return History.from_events(state, events, rules=rules)
    except IllegalTransitionError as error:
        if not amended:
            raise
        culprits = [a for (code, _), found in amended.items() if code == state for a in found]
        if not culprits:
            raise
        raise IllegalTransitionError(
            state=error.state,
            event=error.event,
            current=error.current,
            allowed=error.allowed,
            after=error.after,
            amendment=culprits,
        ) from None


_DATE = dt.date
# Refuses anything but a date (or a datetime) with TypeError, which statuses() catches.
_toordinal: Callable[[DateLike], int] = dt.date.toordinal  # type: ignore[assignment]
# How many "as known on" views a ledger keeps; one lock for every ledger's views (a view is
# kept rarely, and the lock is held only to file it).
_VIEWS = 32
_VIEWS_LOCK = threading.Lock()


def _day(on: DateLike) -> int:
    return on.toordinal() if isinstance(on, dt.date) else to_ordinal(on)


def _claims(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(claims)


def _by_key(events: Iterable[Event], superseded: Iterable[Event]) -> dict[tuple[str, str], Event]:
    """Every event of a log by ``(state, key)``: as it now stands, or as first recorded when
    an amendment withdrew it."""
    found = {(event.state, event.key): event for event in superseded}
    found.update(((event.state, event.key), event) for event in events)
    return found


@functools.lru_cache(maxsize=512)
def _no_history(state: str, rules: RuleSet) -> History:
    return History(state, (), rules)


@attrs.frozen(repr=False)
class Ledger:
    """Every state's validated history under one rule set.

    Build one with :meth:`from_records`, :meth:`from_events`, or :func:`sco_membership.load`.
    """

    histories: Mapping[str, History]
    rules: RuleSet = attrs.field(factory=default_rules)
    #: Corrections and retractions, in record-time order; ``histories`` has them applied.
    amendments: tuple[Amendment, ...] = ()
    #: The events as first recorded that an amendment changed or withdrew.
    superseded: tuple[Event, ...] = ()
    #: The last day the record is known complete through (by default the latest record time
    #: of its entries): an answer about a later day says so (:attr:`Answer.beyond`). ``None``:
    #: no horizon is known, and no answer is flagged.
    horizon: dt.date | None = attrs.field(default=None, eq=False)
    #: The claims recorded apart from the events' own sources (which are the events' accepted
    #: claims): every rejected claim, and accepted ones in a source's own words.
    claims: tuple[Claim, ...] = attrs.field(default=(), converter=_claims)
    # Why this view answers nothing: a view of the record before anything was recorded, or
    # reported; None for any other ledger. Checked off the hot path (a first question).
    _nothing: NothingKnownError | None = attrs.field(init=False, repr=False, eq=False)
    # The histories built so far: the Histories' own dict, shared (rosters read it).
    _by_code: dict[str, History] = attrs.field(init=False, repr=False, eq=False)
    # Views "as known on" a day, by day ordinal, made once each.
    _views: dict[tuple[str, int], Ledger] = attrs.field(init=False, repr=False, eq=False)
    # Rosters already made, each with the days on which it holds.
    _rosters: Rosters = attrs.field(init=False, repr=False, eq=False)
    # Each state's (bounds, answers), kept by code on its first question: the hot path's data.
    _lookups: dict[str, tuple[tuple[int, ...], Sequence[Answer | None]]] = attrs.field(
        init=False, repr=False, eq=False
    )
    # The horizon's day ordinal (past every day when there is none): one comparison a query.
    _last_day: int = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        histories = Histories.of(self.histories, self.rules)
        object.__setattr__(self, "histories", histories)
        object.__setattr__(self, "_by_code", histories.built)
        object.__setattr__(self, "_views", {})
        object.__setattr__(self, "_rosters", Rosters())
        object.__setattr__(self, "_lookups", {})
        object.__setattr__(self, "_nothing", None)
        if self.horizon is not None and not isinstance(self.horizon, dt.date):
            raise DateError(self.horizon, "a horizon is a datetime.date")
        last = _END if self.horizon is None else self.horizon.toordinal()
        object.__setattr__(self, "_last_day", last)

    def _identity(self) -> tuple[object, ...]:
        by_key = operator.attrgetter("state", "key")
        return (
            self.rules,
            dict(self.histories),
            sorted(self.amendments, key=by_key),
            sorted(self.superseded, key=by_key),
            sorted(self.claims, key=repr),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash((self.rules, tuple(self.histories.items()), len(self.amendments)))

    def __repr__(self) -> str:
        """One line: the rule set, how many states, events, amendments and claims, the horizon.

        Counting builds no history, so a large ledger loaded lazily stays unbuilt.

        >>> Ledger.from_records([{"state": "PAK", "kind": "observer_granted", "date": "2005"}])
        <Ledger SCO: 1 state, 1 event>
        """
        from ._display import brief, plural

        # The Histories itself: its events count without a history built.
        events = Histories.of(self.histories, self.rules).events
        counts = [plural(len(events), "state"), plural(sum(map(len, events.values())), "event")]
        if self.amendments:
            counts.append(plural(len(self.amendments), "amendment"))
        if self.claims:
            counts.append(plural(len(self.claims), "claim"))
        text = f"{self.rules.name}: {', '.join(counts)}"
        if self.horizon is not None:
            text += f", horizon {self.horizon.isoformat()}"
        if self._nothing is not None:
            axis = "reported" if self._nothing.axis == "published" else "recorded"
            text += f"; nothing {axis} by {self._nothing.day.isoformat()}"
        return brief("Ledger", text)

    def _repr_html_(self) -> str:
        """Tables for Jupyter: the organisation, the counts and the horizon, then the states
        with the status each holds after its last event (a large ledger shows the first rows
        and how many more there are; only the histories shown are built)."""
        from ._display import Markup, fields, table

        events = Histories.of(self.histories, self.rules).events
        refusal = self.refusal
        summary = fields(
            [
                ("organisation", self.rules.organisation),
                ("rule set", self.rules.name),
                ("states", f"{len(events):,}"),
                ("events", f"{sum(map(len, events.values())):,}"),
                ("amendments", f"{len(self.amendments):,}"),
                ("claims", f"{len(self.claims):,}"),
                ("horizon", self.horizon),
                ("answers nothing", None if refusal is None else str(refusal)),
            ],
            caption=f"Ledger: {self.rules.organisation}",
        )

        def row(code: str) -> tuple[object, ...]:
            current = self.histories[code].current
            return (code, current.describe(), current.since, f"{len(events[code]):,}")

        head = ("state", "current status", "since", "events")
        rows = (row(code) for code in events)  # lazy: the table makes only the rows it shows
        states = table(rows, count=len(events), head=head)
        return Markup(f"<div>{summary}{states}</div>")

    @classmethod
    def from_events(
        cls,
        events: Iterable[Event],
        *,
        rules: RuleSet | None = None,
        amendments: Iterable[Amendment] = (),
        horizon: DateLike | None = None,
        claims: Iterable[Claim] = (),
    ) -> Ledger:
        """Validate ``events`` (any order), as ``amendments`` leave them, into one history per
        state; all or nothing. ``horizon`` is the last day the record is complete through (by
        default the latest record time of the entries, if any has one). ``claims`` are the
        claims recorded apart from the events' sources; each must name an event of the log
        (see :class:`~sco_membership.model.Claim`)."""
        rules = chosen(rules)
        if not isinstance(events, Sequence):
            events = list(events)
        amendments = tuple(amendments)
        claims = tuple(claims)
        last = _horizon(events, amendments, claims) if horizon is None else to_date(horizon)
        by_state: dict[str, list[Event]] = defaultdict(list)
        # Bulk loads allocate many objects and free none: the cyclic collector only slows them.
        paused = gc.isenabled()
        gc.disable()
        try:
            belief = believe(events, amendments)
            for event in belief.events:
                by_state[event.state].append(event)
            # Every state is validated now; only those the quick check cannot vouch for are
            # built now (raising the precise error if any), the rest on first use. The check
            # reads each state's events by first day (a stable sort, so that shuffled input,
            # records read in any order, is vouched for as sorted input is); a state it
            # cannot vouch for is built from its events as given, so an error names what the
            # input gave first.
            built: dict[str, History] = {}
            for state, found in by_state.items():
                if quick_check(found, rules):  # in order already: the usual case, no sort
                    continue
                by_day = sorted(found, key=_FIRST)
                if quick_check(by_day, rules):
                    by_state[state] = by_day
                else:
                    built[state] = built_history(state, found, rules, belief.amended)
            histories = Histories(by_state, rules, built)
        finally:
            if paused:
                gc.enable()
        ordered = tuple(sorted(amendments, key=_RECORD_ORDER))
        if claims:
            check(claims, _by_key(belief.events, belief.superseded))
        return cls(histories, rules, ordered, belief.superseded, last, claims)

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        rules: RuleSet | None = None,
        file: str | None = None,
        horizon: DateLike | None = None,
    ) -> Ledger:
        """A ledger from event-log records (dicts); errors name the record's number (from 1).

        The record format is :mod:`sco_membership.io.records`'s: this constructor delegates to it.
        """
        from .io.records import read_records

        rules = chosen(rules)
        numbered = enumerate(records, start=1)
        events, amendments, claims = read_records(numbered, rules=rules, file=file)
        return cls.from_events(
            events, rules=rules, amendments=amendments, horizon=horizon, claims=claims
        )

    def to_records(self) -> list[dict[str, Any]]:
        """The log as records, one per decision, events, then amendments, then claims:
        ``from_records(to_records()) == self``."""
        from .io.records import amendment_records, claim_records, to_records

        return (
            to_records(self.log) + amendment_records(self.amendments) + claim_records(self.claims)
        )

    @property
    def log(self) -> tuple[Event, ...]:
        """Every event as first recorded (amended ones as they were before any amendment)."""
        if not self.amendments:
            return self.events
        amended = {(event.state, event.key) for event in self.superseded}
        current = (e for e in self.events if (e.state, e.key) not in amended)
        return (*current, *self.superseded)

    def as_known_on(self, day: DateLike) -> Ledger:
        """The ledger as the record stood on ``day``: what was recorded later is invisible.

        Events without a record time count as always known.
        """
        return self._view("recorded", _day(day), self._known_on)

    def _view(self, axis: str, ordinal: int, make: Callable[[dt.date], Ledger]) -> Ledger:
        """The view of ``axis`` on a day, made once (outside the lock; the first view kept
        is everyone's) and kept among the most recent few: each is a ledger."""
        view = self._views.get((axis, ordinal))
        if view is None:
            made = make(dt.date.fromordinal(ordinal))
            with _VIEWS_LOCK:
                view = self._views.get((axis, ordinal))
                if view is None:
                    while len(self._views) >= _VIEWS:
                        del self._views[next(iter(self._views))]
                    view = self._views[axis, ordinal] = made
        return view

    def _known_on(self, on: dt.date) -> Ledger:
        # The record as it stood on a day knows nothing after that day.
        last = on if self.horizon is None else min(on, self.horizon)
        made = Ledger.from_events(
            recorded_by(self.log, on),
            rules=self.rules,
            amendments=recorded_by(self.amendments, on),
            horizon=last,
            claims=recorded_by(self.claims, on),
        )
        if not made.histories and not made.amendments and self.histories:
            days = [event.recorded for event in self.log if event.recorded]
            days += [amendment.recorded for amendment in self.amendments]
            earliest = min(days, default=None)
            made._refuse(NothingKnownError(axis="recorded", day=on, earliest=earliest))
        return made

    def as_reported_on(self, day: DateLike) -> Ledger:
        """The record as its sources had reported it by ``day`` (publication time): each
        state's events up to the last one that a source published by then backs (a report of a
        later step reports the steps the rules require before it).

        A source counts once its whole publication window lies before ``day``; one with no
        publication date never counts. The events keep their dates and their sources; claims
        and amendments are left out (the view is the record's own judgment, limited to what
        had been published). Answers about days after ``day`` are flagged
        (:attr:`Answer.beyond <sco_membership.answer.Answer.beyond>`). A view in which no
        source had been published answers no question: it raises
        :class:`~sco_membership.exceptions.NothingKnownError`.

        >>> from sco_membership import sco
        >>> sco().as_reported_on("2016-01-01").status("PAK", "2016-01-01").describe()
        'acceding (procedure started; still observer)'
        """
        return self._view("published", _day(day), self._reported_on)

    def _reported_on(self, on: dt.date) -> Ledger:
        histories = self.histories
        if len(self._by_code) != len(histories):
            for code in histories:
                histories[code]  # builds it: its events in order
        # Every history is built now: the dict no longer grows under this loop.
        events = {code: history.events for code, history in self._by_code.items()}
        view = Ledger.from_events(
            reported(events, self.claims, on.toordinal()),
            rules=self.rules,
            horizon=on if self.horizon is None else min(on, self.horizon),
        )
        if not view.histories and self.histories:
            dates = [
                source.published.last
                for claim in self.every_claim()
                for source in (claim.source,)
                if source.published is not None
            ]
            earliest = dt.date.fromordinal(min(dates)) if dates else None
            view._refuse(NothingKnownError(axis="published", day=on, earliest=earliest))
        return view

    def according_to(self, who: str | Source) -> Ledger:
        """What one source says, alone: a ledger of its claims (accepted or not), each as the
        event it says happened, at the date it gives.

        ``who`` is a :class:`~sco_membership.model.Source`, or text equal (ignoring case) to a
        source's publisher, title or address: ``"TASS"`` gathers every TASS page the record
        cites. One source's claims seldom make a history the rules allow (a headline
        announcing "full membership" skips the procedure), so they are folded under the rules
        made lenient: a kind that always leads to one standing leads there from anywhere. The
        horizon is the day the latest of those sources was published, if all are dated.

        >>> from sco_membership import sco
        >>> sco().according_to("The Nation").status("PAK", "2016-01-01").status.value
        'member'
        """
        every = self.every_claim()
        sources = matching(who, (claim.source for claim in every))
        published = [source.published for source in sources]
        horizon = None
        if all(date is not None for date in published):
            horizon = max(date.last_day for date in published if date is not None)
        return Ledger.from_events(
            told_by(every, sources), rules=lenient(self.rules), horizon=horizon
        )

    def every_claim(self, state: str | None = None) -> tuple[Claim, ...]:
        """Every claim of the record (of one state): each event's sources, as the claims that
        back it, then the claims recorded apart (:attr:`claims`)."""
        code = None if state is None else self.code(state)
        events = self.events if code is None else self.history(code).events
        found = [claim for event in events for claim in backing(event)]
        found += [claim for claim in self.claims if code is None or claim.state == code]
        return tuple(found)

    def disputes(self, state: str | None = None) -> tuple[Dispute, ...]:
        """Where sources disagree (about one state, or any): each event a rejected claim
        disputes, with the claims that back it and those rejected with their reasons, and
        each rejected claim that no event answers. In date order.

        >>> from sco_membership import sco
        >>> print(sco().disputes("IRN")[0])  # doctest: +ELLIPSIS
        IRN: chosen ...
        """
        code = None if state is None else self.code(state)
        return disputes(_by_key(self.events, self.superseded), self.claims, code)

    @property
    def refusal(self) -> NothingKnownError | None:
        """Why this view answers no question (a view of the record before anything was
        recorded, or reported), or ``None``: raise it where a view's contents are used
        without a question (an export)."""
        return None if self._nothing is None else self._nothing.again()

    def _refuse(self, error: NothingKnownError) -> None:
        """Make this view (which holds nothing) raise ``error`` on every question."""
        object.__setattr__(self, "_nothing", error)

    def fingerprint(self, *, known_on: DateLike | None = None) -> str:
        """A stable content hash of the log (as known on a day): cite it with an answer.

        The SHA-256 of the canonical JSON Lines text of :meth:`to_records`.

        >>> len(Ledger.from_records([]).fingerprint())
        64
        """
        if known_on is not None:
            return self.as_known_on(known_on).fingerprint()
        import hashlib  # lazy: OpenSSL start-up is paid only by who hashes

        text = "".join(
            json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
            for record in self.to_records()
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event of every state, state by state, each state's in time order."""
        return tuple(event for history in self.histories.values() for event in history.events)

    @property
    def states(self) -> tuple[str, ...]:
        """The codes of the states that have any event, sorted."""
        return tuple(self.histories)

    def code(self, state: str | int) -> str:
        """The member's identifier under the rule set's scheme
        (:meth:`~sco_membership.rules.RuleSet.member`): for ISO 3166 members, the alpha-3
        code of a code, a name or a COW number; raises ``UnknownStateError``."""
        if isinstance(state, str) and state in self.histories:
            return state
        return self.rules.member(state)

    def history(self, state: str) -> History:
        """The validated history of one state (empty for a state with no events)."""
        code = self.code(state)
        if code in self.histories:
            return self.histories[code]
        return _no_history(code, self.rules)

    def status(self, state: str, on: DateLike, *, known_on: DateLike | None = None) -> Answer:
        """The answer for one state on one day.

        >>> from sco_membership import sco
        >>> sco().status("India", "2016-06-24").describe()
        'acceding (obligations signed; still observer)'

        ``known_on`` answers as the record stood on that day (see :meth:`as_known_on`).
        """
        if known_on is not None:
            return self.as_known_on(known_on).status(state, on)
        try:
            bounds, answers = self._lookups[state]
        except (KeyError, TypeError):  # a first question, a name, no events, not a state
            return self._answer(state, on)
        # History.at_ordinal, inlined: this is the call every query makes.
        day = on.toordinal() if type(on) is _DATE else _day(on)
        if day > self._last_day:  # past what the record is known complete through
            return self._answer(state, on)
        # An answer not made yet is None: _answer has the history make that one.
        return answers[_bisect_right(bounds, day)] or self._answer(state, on)

    def _answer(self, state: str, on: DateLike) -> Answer:
        """The answer :meth:`status` could not read from what it keeps: made now if need be,
        marked when past the horizon. It keeps the state's lookup by code for the next
        question (one atomic assignment; a name is resolved each time, so no query text is
        kept)."""
        if self._nothing is not None:
            raise self._nothing.again()
        history = self.history(state)
        day = _day(on)
        found = history.at_ordinal(day)  # made now if need be
        # A state with events is built by now (so in _by_code, a plain dict); keep its lookup.
        if history.state in self._by_code and history.state not in self._lookups:
            self._lookups[history.state] = history.bounds, history._answers_so_far()
        if day > self._last_day:
            return attrs.evolve(found, beyond=self.horizon)
        return found

    def statuses(
        self, state: str, days: Iterable[DateLike], *, known_on: DateLike | None = None
    ) -> list[Answer]:
        """The answers for one state on many days, in order: the bulk form of :meth:`status`,
        without a call per day (when the days are ``datetime.date`` objects).

        >>> from sco_membership import sco
        >>> [a.status.value for a in sco().statuses("IND", ["2005-07-04", "2017-06-09"])]
        ['none', 'member']
        """
        if known_on is not None:
            return self.as_known_on(known_on).statuses(state, days)
        if self._nothing is not None:
            raise self._nothing.again()
        bounds, answers = self.history(state).lookup()
        days = days if isinstance(days, Sequence) else list(days)
        try:  # History.at_ordinals, inlined, with each date's ordinal taken in the same loop
            ordinals = list(map(_toordinal, days))
        except TypeError:  # some days are text (or not days at all: _day says so)
            ordinals = list(map(_day, days))
        found = [answers[_bisect_right(bounds, day)] for day in ordinals]
        if ordinals and max(ordinals) > self._last_day:
            last, horizon = self._last_day, self.horizon
            found = [
                answer if day <= last else attrs.evolve(answer, beyond=horizon)
                for day, answer in zip(ordinals, found, strict=True)
            ]
        return found

    def explain(
        self, state: str, on: DateLike, *, known_on: DateLike | None = None
    ) -> Explanation:
        """The chain that decides ``status(state, on)``, as data; ``str()`` prints it.

        >>> from sco_membership import sco
        >>> print(sco().explain("IND", "2016-06-24"))  # doctest: +ELLIPSIS
        IND on 2016-06-24: acceding (obligations signed; still observer)
          rule: obligations_signed: acceding (procedure started) -> acceding (obligations signed)
          decides: 2016-06-24 obligations signed at Tashkent ..., recorded 2026-11-27
            source: ...
        """
        if known_on is not None:
            view = self.as_known_on(known_on)
            return attrs.evolve(view.explain(state, on), known_on=to_date(known_on))
        from .explain import explain  # lazy: not needed to answer, so not paid at import

        if self._nothing is not None:
            raise self._nothing.again()
        return explain(
            self.history(state),
            dt.date.fromordinal(_day(on)),
            amendments=self.amendments,
            superseded=self.superseded,
            fingerprint=self.fingerprint(),
            claims=self.claims,
        )

    def roster(self, on: DateLike) -> Roster:
        """Who held which status on one day.

        A roster changes only on the days some answer changes, so each one made is kept for
        the whole stretch of days between two such days: asking again about any day of that
        stretch costs a binary search, not a pass over every state.
        """
        day = _day(on)
        found = self._rosters.get(day)
        if found is None:
            if self._nothing is not None:
                raise self._nothing.again()
            histories = self.histories
            if len(self._by_code) != len(histories):
                for code in histories:
                    histories[code]  # builds it
            # Every history is built now, so the dict no longer grows: no thread can add to it
            # while this one iterates (histories are built under the Histories' lock).
            found = roster_on(self._by_code, day, self.rules)
            self._rosters.keep(day, found, self._by_code.values())
        # Copies of the two dicts: the kept roster must not change with what a caller does.
        beyond = self.horizon if day > self._last_day else None
        return Roster(dt.date.fromordinal(day), dict(found.groups), dict(found.uncertain), beyond)

    def with_status(self, status: Status | str, on: DateLike) -> frozenset[str]:
        """The states certainly holding ``status`` on one day (acceding ones under both).

        ``status`` is a term or its name, which the rule set must declare:

        >>> from sco_membership import sco
        >>> sorted(sco().with_status("observer", "2016-04-07"))
        ['AFG', 'BLR', 'IND', 'IRN', 'MNG', 'PAK']
        """
        return self.roster(on).get(self.rules.status_named(status), frozenset())

    def members(self, on: DateLike) -> frozenset[str]:
        """The full members on one day: the holders of the ``member`` status, if the rule set
        declares one."""
        if Status.MEMBER not in self.rules.statuses:
            return frozenset()
        return self.with_status(Status.MEMBER, on)

    def changes(self, start: DateLike, end: DateLike) -> tuple[Change, ...]:
        """Every status-changing event after ``start`` up to and including ``end``."""
        low, high = _day(start), _day(end)
        if low > high:
            raise OptionError(
                "range", f"{to_date(start)} to {to_date(end)}", (), "the start is after the end"
            )
        found = []
        for history in self.histories.values():
            for event in history.events:
                if event.date.last > low and event.date.first <= high:
                    before = history.at_ordinal(event.date.first - 1)
                    after = history.at_ordinal(event.date.last)
                    if before != after:
                        found.append(Change(event, before, after))
        found.sort(key=lambda change: (change.event.date.first, change.state))
        return tuple(found)

    def duration(
        self, state: str, status: Status | str, *, until: DateLike, since: DateLike | None = None
    ) -> Duration:
        """How long ``state`` certainly held ``status`` (in law) between two days.

        Pieces of time are added up; an acceding observer counts as an observer.

        >>> from sco_membership import sco, Status
        >>> sco().duration("IND", Status.OBSERVER, until="2017-06-09")
        Duration(years=11, months=11, days=4, days_in_all=4357)
        """
        status = self.rules.status_named(status)
        low = 1 if since is None else _day(since)
        high = _day(until)
        if low > high:
            raise OptionError(
                "range",
                f"{to_date(since or until)} to {to_date(until)}",
                (),
                "since is after until",
            )
        runs: list[list[int]] = []  # adjacent pieces joined, so months and days add up right
        for first, stop, answer in self.history(state).spans():
            begin, end = max(first, low), high if stop is None else min(stop, high)
            held = answer.status is status or answer.held is status
            if answer.certain and held and end > begin:
                if runs and runs[-1][1] == begin:
                    runs[-1][1] = end
                else:
                    runs.append([begin, end])
        total = Duration()
        for begin, end in runs:
            total += Duration.between(dt.date.fromordinal(begin), dt.date.fromordinal(end))
        return total

    def append(self, *entries: Event | Amendment | Claim) -> Ledger:
        """A new ledger with events, amendments or claims added and validated; ``self`` is
        unchanged."""
        events = [entry for entry in entries if isinstance(entry, Event)]
        amendments = [entry for entry in entries if isinstance(entry, Amendment)]
        claims = [entry for entry in entries if isinstance(entry, Claim)]
        if len(events) + len(amendments) + len(claims) != len(entries):
            odd = next(e for e in entries if not isinstance(e, Event | Amendment | Claim))
            raise MalformedDataError(
                f"{type(odd).__name__} is neither an Event, an Amendment nor a Claim"
            )
        grown = self._appended(events, amendments) if events or amendments else self
        if not claims and not self.claims:
            return grown
        # Claims name events: checked against the whole log once it has grown.
        every = (*self.claims, *claims)
        check(every, _by_key(grown.events, grown.superseded))
        horizon = grown.horizon
        found = _horizon((), (), claims)
        if found is not None and (horizon is None or found > horizon):
            horizon = found
        return Ledger(
            grown.histories, self.rules, grown.amendments, grown.superseded, horizon, every
        )

    def _appended(self, events: list[Event], amendments: list[Amendment]) -> Ledger:
        """A new ledger with ``events`` and ``amendments`` added and validated (no claims)."""
        horizon = self.horizon
        found = _horizon(events, amendments)
        if found is not None and (horizon is None or found > horizon):
            horizon = found
        current = Histories.of(self.histories, self.rules)
        pending, built = dict(current.events), dict(current.built)
        if not amendments and not self.amendments:
            for state in dict.fromkeys(event.state for event in events):
                extra = [event for event in events if event.state == state]
                grown = History.from_events(
                    state, (*pending.get(state, ()), *extra), rules=self.rules
                )
                pending[state], built[state] = grown.events, grown
            return Ledger(Histories(pending, self.rules, built), self.rules, horizon=horizon)
        # Amendments apply per state: only the states the entries touch are believed and
        # folded again, each from its events as first recorded.
        every = (*self.amendments, *amendments)
        touched = dict.fromkeys([*(e.state for e in events), *(a.state for a in amendments)])
        superseded = [event for event in self.superseded if event.state not in touched]
        for state in touched:
            replaced = [event for event in self.superseded if event.state == state]
            gone = {event.key for event in replaced}
            first = [e for e in pending.get(state, ()) if e.key not in gone]
            first += replaced + [event for event in events if event.state == state]
            belief = believe(first, [a for a in every if a.state == state])
            superseded += belief.superseded
            pending.pop(state, None)
            built.pop(state, None)
            if belief.events:
                grown = built_history(state, list(belief.events), self.rules, belief.amended)
                pending[state], built[state] = grown.events, grown
        ordered = tuple(sorted(every, key=_RECORD_ORDER))
        histories = Histories(pending, self.rules, built)
        return Ledger(histories, self.rules, ordered, tuple(superseded), horizon)
