"""Rule sets: which event may move a state from which standing to which, as data.

A rule set is a transition table plus the few facts the fold needs (where every state starts,
which statuses keep the earlier status while they run). Its structure is checked when it is
built, so a broken table fails at definition, not on the thousandth event. ``SCO`` is the
Shanghai Cooperation Organisation's table; a user may build another with :class:`RuleSet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from .exceptions import RuleSetError
from .model import EventKind, Stage, Standing, Status

__all__ = ["SCO", "RuleSet", "Transition"]


@attrs.frozen
class Transition:
    """One row of a transition table.

    ``target`` is ``None`` for an event that is recorded but changes nothing (an application).
    """

    kind: EventKind
    source: Standing
    target: Standing | None


def _rows_tuple(rows: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(rows)


def _table(
    transitions: tuple[Transition, ...],
) -> dict[tuple[Standing, EventKind], Standing | None]:
    return {(row.source, row.kind): row.target for row in transitions}


@attrs.frozen
class RuleSet:
    """A validated transition table for one organisation.

    ``retaining`` names statuses during which a state keeps the status it held before
    (an acceding state stays an observer until it is admitted). ``final`` names standings that
    may have no way out. Kinds are ranked in the order of their first row: events of one state on
    the same day are applied in that order, so loading never depends on input order.
    """

    name: str
    organisation: str
    transitions: tuple[Transition, ...] = attrs.field(converter=_rows_tuple)
    initial: Standing = attrs.field(factory=lambda: Standing(Status.NONE))
    retaining: frozenset[Status] = frozenset()
    final: frozenset[Standing] = frozenset()
    _table: Mapping[tuple[Standing, EventKind], Standing | None] = attrs.field(
        init=False, repr=False, eq=False
    )
    _rank: Mapping[EventKind, int] = attrs.field(init=False, repr=False, eq=False)
    _compiled: Compiled = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for row in self.transitions:
            if not isinstance(row, Transition):
                raise RuleSetError(self.name, f"{row!r} is not a Transition")
        table = _table(self.transitions)
        rank: dict[EventKind, int] = {}
        for row in self.transitions:
            rank.setdefault(row.kind, len(rank))
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_rank", rank)
        self._check()
        object.__setattr__(self, "_compiled", Compiled.of(self))

    @property
    def compiled(self) -> Compiled:
        """The table as integer arrays, for the fold's inner loop."""
        return self._compiled

    def _check(self) -> None:
        seen: dict[tuple[Standing, EventKind], Standing | None] = {}
        for row in self.transitions:
            previous = seen.setdefault((row.source, row.kind), row.target)
            if previous != row.target:
                raise RuleSetError(
                    self.name,
                    f"{row.kind.value!r} from {row.source} leads both to {previous} and"
                    f" to {row.target}",
                )
        reachable = self.reachable()
        sources = {row.source for row in self.transitions}
        for row in self.transitions:
            if row.source not in reachable:
                raise RuleSetError(self.name, f"{row.source} is unreachable from {self.initial}")
        for standing in sorted(reachable, key=str):
            if standing not in sources and standing not in self.final:
                raise RuleSetError(
                    self.name,
                    f"{standing} has no way out and is not declared final",
                )

    def reachable(self) -> frozenset[Standing]:
        """Every standing that some sequence of events reaches from ``initial``."""
        found = {self.initial}
        frontier = [self.initial]
        while frontier:
            here = frontier.pop()
            for row in self.transitions:
                if row.source == here and row.target is not None and row.target not in found:
                    found.add(row.target)
                    frontier.append(row.target)
        return frozenset(found)

    def target(self, standing: Standing, kind: EventKind) -> Standing | None:
        """Where ``kind`` leads from ``standing``; raises ``KeyError`` when not allowed."""
        return self._table[(standing, kind)]

    def allows(self, standing: Standing, kind: EventKind) -> bool:
        """Whether ``kind`` may happen to a state at ``standing``."""
        return (standing, kind) in self._table

    def allowed(self, standing: Standing) -> tuple[EventKind, ...]:
        """The kinds that may happen next, in the rule set's order."""
        kinds = {kind for (source, kind) in self._table if source == standing}
        return tuple(sorted(kinds, key=self.rank))

    def rank(self, kind: EventKind) -> int:
        """The order in which same-day events of one state are applied."""
        return self._rank.get(kind, len(self._rank))

    @property
    def kinds(self) -> tuple[EventKind, ...]:
        """The event kinds this rule set knows, in order."""
        return tuple(self._rank)


#: In :attr:`Compiled.moves`: the event is not allowed from that standing.
ILLEGAL = -1
#: In :attr:`Compiled.moves`: the event is recorded and changes nothing.
UNCHANGED = -2


@attrs.frozen
class Compiled:
    """A rule set's table as arrays over standing numbers: one dict lookup and one index per event.

    ``moves[kind][s]`` is the number of the standing ``kind`` leads to from standing ``s``, or
    :data:`ILLEGAL`, or :data:`UNCHANGED`. ``keeps[s]`` says whether standing ``s`` keeps the
    earlier status (its status is in ``retaining``).
    """

    standings: tuple[Standing, ...]
    initial: int
    moves: Mapping[EventKind, tuple[int, ...]]
    keeps: tuple[bool, ...]
    rank: Mapping[EventKind, int]
    #: The row of a kind the rule set does not know: illegal from everywhere.
    nowhere: tuple[int, ...] = ()

    @classmethod
    def of(cls, rules: RuleSet) -> Compiled:
        standings = tuple(sorted(rules.reachable(), key=lambda s: (s != rules.initial, str(s))))
        number = {standing: k for k, standing in enumerate(standings)}
        moves: dict[EventKind, list[int]] = {}
        for row in rules.transitions:
            if row.source not in number:  # pragma: no cover  (_check refused it already)
                continue
            targets = moves.setdefault(row.kind, [ILLEGAL] * len(standings))
            targets[number[row.source]] = UNCHANGED if row.target is None else number[row.target]
        keeps = tuple(standing.status in rules.retaining for standing in standings)
        frozen = {kind: tuple(targets) for kind, targets in moves.items()}
        nowhere = (ILLEGAL,) * len(standings)
        return cls(standings, 0, frozen, keeps, dict(rules._rank), nowhere)


def _rows(
    kind: EventKind, sources: Iterable[Standing], target: Standing | None
) -> list[Transition]:
    return [Transition(kind, source, target) for source in sources]


_NONE = Standing(Status.NONE)
_DECIDED = Standing(Status.NONE, Stage.DIALOGUE_PARTNER_DECIDED)
_DIALOGUE = Standing(Status.DIALOGUE_PARTNER)
_OBSERVER = Standing(Status.OBSERVER)
_PARTNER = Standing(Status.PARTNER)
_STARTED = Standing(Status.ACCEDING, Stage.PROCEDURE_STARTED)
_SIGNED = Standing(Status.ACCEDING, Stage.OBLIGATIONS_SIGNED)
_MEMBER = Standing(Status.MEMBER)
_SUSPENDED = Standing(Status.SUSPENDED)

#: The Shanghai Cooperation Organisation (and its precursor, the Shanghai Five).
SCO = RuleSet(
    name="SCO",
    organisation="Shanghai Cooperation Organisation",
    transitions=[
        *_rows(EventKind.FOUNDING, (_NONE, _OBSERVER, _MEMBER), _MEMBER),
        *_rows(EventKind.APPLICATION, (_NONE, _DECIDED, _DIALOGUE, _OBSERVER, _PARTNER), None),
        *_rows(EventKind.DIALOGUE_PARTNER_DECISION, (_NONE,), _DECIDED),
        *_rows(EventKind.DIALOGUE_PARTNER_MEMORANDUM, (_DECIDED,), _DIALOGUE),
        *_rows(EventKind.OBSERVER_GRANTED, (_NONE, _DECIDED, _DIALOGUE), _OBSERVER),
        *_rows(EventKind.ACCESSION_STARTED, (_DIALOGUE, _OBSERVER, _PARTNER), _STARTED),
        *_rows(EventKind.OBLIGATIONS_SIGNED, (_STARTED,), _SIGNED),
        *_rows(EventKind.MEMBERSHIP_GRANTED, (_SIGNED,), _MEMBER),
        *_rows(EventKind.PARTNER_GRANTED, (_NONE, _DECIDED), _PARTNER),
        *_rows(EventKind.RECATEGORISATION, (_DIALOGUE, _OBSERVER), _PARTNER),
        *_rows(EventKind.SUSPENSION, (_MEMBER,), _SUSPENDED),
        *_rows(EventKind.REINSTATEMENT, (_SUSPENDED,), _MEMBER),
        *_rows(
            EventKind.WITHDRAWAL,
            (_DIALOGUE, _OBSERVER, _PARTNER, _STARTED, _SIGNED, _MEMBER, _SUSPENDED),
            _NONE,
        ),
        *_rows(EventKind.EXPULSION, (_MEMBER, _SUSPENDED), _NONE),
    ],
    retaining=frozenset({Status.ACCEDING}),
)
