"""Rule sets: which event may move a state from which standing to which, as data.

A rule set is a transition table plus the few facts the fold needs (where every state starts,
which statuses keep the earlier status while they run). Its structure is checked when it is
built, so a broken table fails at definition, not on the thousandth event. The rule sets of
real organisations live with them (:mod:`sco_membership.organisations`); a user may build
another with :class:`RuleSet` or read one from a file (:meth:`RuleSet.load`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from .exceptions import OptionError, RuleSetError
from .model import EventKind, Source, Stage, Standing, Status, Transition

__all__ = ["COW_CODES", "RuleSet", "Transition"]

_T = TypeVar("_T")


def _rows_tuple(rows: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(rows)


def _pairs(
    codes: Mapping[Status, int] | Iterable[tuple[Status, int]],
) -> tuple[tuple[Status, int], ...]:
    items = codes.items() if isinstance(codes, Mapping) else codes
    return tuple(items)


def _table(
    transitions: tuple[Transition, ...],
) -> dict[tuple[Standing, EventKind], Standing | None]:
    return {(row.source, row.kind): row.target for row in transitions}


def _statuses(found: Iterable[Status]) -> tuple[Status, ...]:
    return tuple(found)


def _stages(found: Iterable[Stage]) -> tuple[Stage, ...]:
    return tuple(found)


def _kinds(found: Iterable[EventKind]) -> tuple[EventKind, ...]:
    return tuple(found)


def _kind_set(found: Iterable[EventKind]) -> frozenset[EventKind]:
    return frozenset(found)


def _sources(found: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(found)


def _in_order(found: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(found))


#: The codes of the Correlates of War IGO data: no membership, full, associate, observer.
COW_CODES = frozenset({0, 1, 2, 3})


@attrs.frozen(cache_hash=True)  # hashed on every query about a state with no events
class RuleSet:
    """A validated transition table for one organisation, and its vocabulary.

    ``statuses`` are ranked lowest first (a country-year panel's "any" rule keeps the highest);
    ``kinds`` are in the order in which same-day events of one state are applied, so loading
    never depends on input order. Left empty, each is taken from the transitions in the order of
    first use. ``retaining`` names statuses during which a state keeps the status it held
    before (an acceding state stays an observer until it is admitted). ``final`` names
    standings that may have no way out. ``organisation_wide`` names the kinds that one decision
    may apply to several states at once (one record naming ``states``). ``cow`` gives the
    Correlates of War IGO code of each status (0 when left out). ``sources`` say where the rules
    are read. Read one from a file with :meth:`load`.
    """

    name: str
    organisation: str
    transitions: tuple[Transition, ...] = attrs.field(converter=_rows_tuple)
    initial: Standing = attrs.field(factory=lambda: Standing(Status.NONE))
    retaining: frozenset[Status] = frozenset()
    final: frozenset[Standing] = frozenset()
    statuses: tuple[Status, ...] = attrs.field(default=(), converter=_statuses)
    stages: tuple[Stage, ...] = attrs.field(default=(), converter=_stages)
    kinds: tuple[EventKind, ...] = attrs.field(default=(), converter=_kinds)
    organisation_wide: frozenset[EventKind] = attrs.field(default=frozenset(), converter=_kind_set)
    cow: tuple[tuple[Status, int], ...] = attrs.field(default=(), converter=_pairs)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)
    _table: Mapping[tuple[Standing, EventKind], Standing | None] = attrs.field(
        init=False, repr=False, eq=False
    )
    _rank: Mapping[EventKind, int] = attrs.field(init=False, repr=False, eq=False)
    _by_name: Mapping[str, EventKind] = attrs.field(init=False, repr=False, eq=False)
    _cow: Mapping[Status, int] = attrs.field(init=False, repr=False, eq=False)
    _compiled: Compiled = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for row in self.transitions:
            if not isinstance(row, Transition):
                raise RuleSetError(self.name, f"{row!r} is not a Transition")
        standings = [self.initial, *self.final]
        for row in self.transitions:
            standings += [row.source] if row.target is None else [row.source, row.target]
        setter = object.__setattr__
        if not self.statuses:
            setter(self, "statuses", _in_order(standing.status for standing in standings))
        if not self.stages:
            stages = (standing.stage for standing in standings if standing.stage is not None)
            setter(self, "stages", _in_order(stages))
        if not self.kinds:
            setter(self, "kinds", _in_order(row.kind for row in self.transitions))
        self._check_names(standings)
        setter(self, "_table", _table(self.transitions))
        setter(self, "_rank", {kind: k for k, kind in enumerate(self.kinds)})
        setter(self, "_by_name", {kind.value: kind for kind in self.kinds})
        setter(self, "_cow", dict(self.cow))
        self._check()
        setter(self, "_compiled", Compiled.of(self))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RuleSet:
        """Read and check a rule-set file: ``.toml`` or ``.json`` (see "Model your own
        organisation" in the docs); errors name the file and the offending entry."""
        from .io.rulefile import read_file  # only a program that reads rule-set files pays for it

        return cls._built(read_file(path), os.fspath(path))

    @classmethod
    def loads(cls, text: str, *, format: str = "toml", name: str = "<string>") -> RuleSet:
        """Read and check a rule set from ``text`` in ``format`` (``"toml"`` or ``"json"``)."""
        from .io.rulefile import read_text

        return cls._built(read_text(text, format=format, file=name), name)

    @classmethod
    def _built(cls, parts: dict[str, Any], file: str) -> RuleSet:
        try:
            return cls(**parts)
        except RuleSetError as exc:  # name the file the structural problem is in
            raise RuleSetError(exc.rules, exc.problem, entry=exc.entry, file=file) from None

    def dumps(self, *, format: str = "toml") -> str:
        """This rule set as a rule-set file's text: ``loads(dumps())`` gives it back."""
        parts = {
            field.name: getattr(self, field.name) for field in attrs.fields(RuleSet) if field.init
        }
        from .io.rulefile import write_text

        return write_text(parts, format=format)

    def _check_names(self, standings: Iterable[Standing]) -> None:
        for label, names in (
            ("status", self.statuses),
            ("stage", self.stages),
            ("kind", self.kinds),
        ):
            twice = sorted({term.value for term in names if names.count(term) > 1})
            if twice:
                raise RuleSetError(self.name, f"{label} {twice[0]!r} is declared twice")
        statuses, stages = set(self.statuses), set(self.stages)
        used = [*standings, *(Standing(status) for status in self.retaining)]
        used += [Standing(status) for status, _ in self.cow]
        for standing in used:
            if standing.status not in statuses:
                raise RuleSetError(
                    self.name, f"{standing.status.value!r} is not a declared status"
                )
            if standing.stage is not None and standing.stage not in stages:
                raise RuleSetError(self.name, f"{standing.stage.value!r} is not a declared stage")
        kinds = set(self.kinds)
        for kind in [row.kind for row in self.transitions] + sorted(
            self.organisation_wide, key=lambda kind: kind.value
        ):
            if kind not in kinds:
                raise RuleSetError(self.name, f"{kind.value!r} is not a declared kind")
        for status, code in self.cow:
            if code not in COW_CODES:
                raise RuleSetError(
                    self.name,
                    f"the COW code of {status.value!r} is {code!r}; COW codes are 0, 1, 2 or 3",
                )

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
        with_rows = {row.kind for row in self.transitions}
        for kind in self.kinds:
            if kind not in with_rows:
                raise RuleSetError(self.name, f"kind {kind.value!r} has no transition")
        reachable = self.reachable()
        sources = {row.source for row in self.transitions}
        for row in self.transitions:
            if row.source not in reachable:
                raise RuleSetError(self.name, f"{row.source} is unreachable from {self.initial}")
        held = {standing.status for standing in reachable}
        for status in self.statuses:
            if status not in held:
                raise RuleSetError(
                    self.name, f"status {status.value!r} is unreachable from {self.initial}"
                )
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

    def status_named(self, name: str) -> Status:
        """The status this rule set calls ``name``; an :class:`OptionError` names the close
        matches when it declares none."""
        for status in self.statuses:
            if status.value == name:
                return status
        import difflib  # lazy: only a wrong name needs suggestions

        known = [status.value for status in self.statuses]
        close = difflib.get_close_matches(str(name), known, n=3)
        reason = f"did you mean {' or '.join(close)}?" if close else f"not a status of {self.name}"
        raise OptionError("status", name, known, reason)

    def kind_named(self, name: str) -> EventKind | None:
        """The kind this rule set calls ``name``, or ``None`` when it knows no such kind."""
        return self._by_name.get(name)

    def cow_code(self, status: Status) -> int:
        """The Correlates of War IGO code of ``status`` (0, no membership, when not given)."""
        return self._cow.get(status, 0)


#: The number of the initial standing in :attr:`Compiled.standings`: it is sorted first.
START = 0
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
        return cls(standings, frozen, keeps, dict(rules._rank), nowhere)
