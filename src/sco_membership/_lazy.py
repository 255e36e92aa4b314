"""Loading many states fast: a quick check of each state's events, histories built on demand.

A bulk load must validate every event, but needs no intervals until a state is asked about.
:func:`quick_check` validates the common case (events already in order, one per day, every date
a day, no explicit ids) in one tight loop; a state it cannot vouch for is built in full at once
(:func:`built_history`), which either succeeds or raises the precise error. :class:`Histories`
then builds each remaining state's :class:`~sco_membership.history.History` on first access,
once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from .exceptions import IllegalTransitionError
from .history import History
from .model import Amendment, Event
from .rules import ILLEGAL, RuleSet

__all__ = ["Histories", "built_history", "quick_check"]


def quick_check(events: Sequence[Event], rules: RuleSet) -> bool:
    """True when ``events`` are valid under ``rules`` and in the simple form: in order on
    distinct days, every date a day, no explicit ids. False means "build it in full to know"."""
    table = rules.compiled
    moves, nowhere = table.moves, table.nowhere
    here = table.initial
    last = 0
    for event in events:
        date = event.date
        first = date.first
        if first <= last or date.last != first or event.id is not None:
            return False
        last = first
        there = moves.get(event.kind, nowhere)[here]
        if there >= 0:
            here = there
        elif there == ILLEGAL:
            return False
    return True


class Histories(Mapping[str, History]):
    """State code -> validated :class:`History`, each built on first access and kept.

    ``built`` is shared with the ledger, whose hot path looks there first.
    """

    __slots__ = ("_built", "_events", "_rules")

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
            events = self._events[state]  # KeyError: a state with no events
            found = self._built[state] = History.from_events(state, events, rules=self._rules)
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
            date=error.date,
            current=error.current,
            event=error.event,
            allowed=error.allowed,
            after=error.after,
            amendment="; ".join(map(str, culprits)),
        ) from None
