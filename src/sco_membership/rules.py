"""Rule sets: which event may move a state from which standing to which, as data.

A rule set is a transition table plus the few facts the fold needs (where every state starts,
which statuses keep the earlier status while they run). Its structure is checked when it is
built, so a broken table fails at definition, not on the thousandth event. The rule sets of
real organisations live with them (:mod:`sco_membership.organisations`); a user may build
another with :class:`RuleSet` or read one from a file (:meth:`RuleSet.load`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from .cow import by_abbreviation
from .exceptions import RuleSetError, TermError, UnknownStateError, UnknownTermError, _shown
from .model import (
    AmendmentKind,
    EventKind,
    Source,
    Stage,
    Standing,
    Status,
    Term,
    Transition,
    _adopt,
)
from .states import resolve

__all__ = [
    "COW_CODES",
    "MEMBER_SCHEMES",
    "RESERVED_KINDS",
    "RESERVED_USE",
    "RuleSet",
    "Transition",
]

#: How a rule set's members may be identified (:attr:`RuleSet.members`).
MEMBER_SCHEMES = ("iso3166", "cow", "free")
#: A free identifier's pattern when the rule set gives none: letters, digits and ``_.:-``.
FREE_MEMBERS = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"


_T = TypeVar("_T")
_Term = TypeVar("_Term", bound=Term)


def _rows_tuple(rows: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(rows)


# The vocabularies also take plain names, which validation declares: each converter only
# makes the container, and __attrs_post_init__ puts terms in it.
def _pairs(
    codes: Mapping[Status, int] | Mapping[str, int] | Iterable[tuple[Status | str, int]],
) -> tuple[tuple[Status, int], ...]:
    items = codes.items() if isinstance(codes, Mapping) else codes
    return tuple(items)


def _statuses(found: Iterable[Status | str]) -> tuple[Status, ...]:
    return tuple(found)  # type: ignore[arg-type]


def _stages(found: Iterable[Stage | str]) -> tuple[Stage, ...]:
    return tuple(found)  # type: ignore[arg-type]


def _kinds(found: Iterable[EventKind | str]) -> tuple[EventKind, ...]:
    return tuple(found)  # type: ignore[arg-type]


def _status_set(found: Iterable[Status | str]) -> frozenset[Status]:
    return frozenset(found)  # type: ignore[arg-type]


def _kind_set(found: Iterable[EventKind | str]) -> frozenset[EventKind]:
    return frozenset(found)  # type: ignore[arg-type]


def _sources(found: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(found)


def _in_order(found: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(found))


#: The codes of the Correlates of War IGO data: no membership, full, associate, observer.
COW_CODES = frozenset({0, 1, 2, 3})
#: Kind names a rule set may not declare: the record format uses them for amendments and
#: claims.
RESERVED_KINDS = frozenset({*(kind.value for kind in AmendmentKind), "claim"})
#: How a reserved kind is named in a message.
RESERVED_USE = "'correction' and 'retraction' for amendments and 'claim' for claims"


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

    The terms are made with :meth:`Status.declare <sco_membership.model.Term.declare>` (and
    ``Stage.declare``, ``EventKind.declare``); ``statuses``, ``stages``, ``kinds``,
    ``retaining``, ``organisation_wide`` and the statuses of ``cow`` also take plain names. A
    valid rule set declares its terms (``Status(name)`` finds them); a refused one declares
    none. The kinds ``correction`` and ``retraction`` are reserved for amendments, ``claim`` for
    claims.
    """

    name: str
    organisation: str
    transitions: tuple[Transition, ...] = attrs.field(converter=_rows_tuple)
    initial: Standing = attrs.field(factory=lambda: Standing(Status.NONE))
    retaining: frozenset[Status] = attrs.field(default=frozenset(), converter=_status_set)
    final: frozenset[Standing] = frozenset()
    statuses: tuple[Status, ...] = attrs.field(default=(), converter=_statuses)
    stages: tuple[Stage, ...] = attrs.field(default=(), converter=_stages)
    kinds: tuple[EventKind, ...] = attrs.field(default=(), converter=_kinds)
    organisation_wide: frozenset[EventKind] = attrs.field(default=frozenset(), converter=_kind_set)
    cow: tuple[tuple[Status, int], ...] = attrs.field(default=(), converter=_pairs)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)
    #: How the members are identified (see :meth:`member`): ``"iso3166"`` (ISO 3166-1 alpha-3
    #: codes, found by code, name or COW number), ``"cow"`` (Correlates of War abbreviations,
    #: ``BAV`` for Bavaria, each event dated while the state was in COW's state system) or
    #: ``"free"`` (any identifier that :attr:`member_pattern` matches in full).
    members: str = "iso3166"
    #: The pattern a free identifier must match in full (``members="free"`` only).
    member_pattern: str | None = None
    _table: Mapping[tuple[Standing, EventKind], Standing | None] = attrs.field(
        init=False, repr=False, eq=False
    )
    _rank: Mapping[EventKind, int] = attrs.field(init=False, repr=False, eq=False)
    _names: Mapping[type[Term], Mapping[str, Term]] = attrs.field(init=False, repr=False, eq=False)
    _cow: Mapping[Status, int] = attrs.field(init=False, repr=False, eq=False)
    _reachable: frozenset[Standing] = attrs.field(init=False, repr=False, eq=False)
    _exits: Mapping[Standing, tuple[EventKind, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _compiled: Compiled = attrs.field(init=False, repr=False, eq=False)
    _member_match: Callable[[str], object] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        setter = object.__setattr__
        self._check_members()
        standings = [self.initial, *self.final]
        for row in self.transitions:
            if not isinstance(row, Transition):
                raise RuleSetError(self.name, f"{_shown(row)} is not a Transition")
            standings += [row.source] if row.target is None else [row.source, row.target]
        for standing in standings:
            self._check_standing(standing)
        for row in self.transitions:
            self._check_term(EventKind, row.kind, "transitions")
        # Plain names given for the vocabularies are declared here, for this rule set only.
        setter(self, "statuses", self._named(Status, self.statuses, "statuses"))
        setter(self, "stages", self._named(Stage, self.stages, "stages"))
        setter(self, "kinds", self._named(EventKind, self.kinds, "kinds"))
        setter(self, "retaining", frozenset(self._named(Status, self.retaining, "retaining")))
        wide = self._named(EventKind, self.organisation_wide, "organisation_wide")
        setter(self, "organisation_wide", frozenset(wide))
        cow = self._named(Status, (status for status, _ in self.cow), "cow")
        setter(self, "cow", tuple(zip(cow, (code for _, code in self.cow), strict=True)))
        if not self.statuses:
            setter(self, "statuses", _in_order(standing.status for standing in standings))
        if not self.stages:
            stages = (standing.stage for standing in standings if standing.stage is not None)
            setter(self, "stages", _in_order(stages))
        if not self.kinds:
            setter(self, "kinds", _in_order(row.kind for row in self.transitions))
        self._check_names(standings)
        setter(self, "_rank", {kind: k for k, kind in enumerate(self.kinds)})
        setter(
            self,
            "_names",
            {
                Status: {term: term for term in self.statuses},
                Stage: {term: term for term in self.stages},
                EventKind: {term: term for term in self.kinds},
            },
        )
        setter(self, "_cow", dict(self.cow))
        self._check()
        setter(self, "_compiled", Compiled.of(self))
        _adopt((*self.statuses, *self.stages, *self.kinds))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RuleSet:
        """Read and check a rule-set file: ``.toml`` or ``.json`` (see "Model your own
        organisation" in the docs); errors name the file and the offending entry."""
        from .io.rulefile import parse_file  # only a program that reads rule-set files pays for it

        return cls._built(parse_file(path), os.fspath(path))

    @classmethod
    def loads(cls, text: str, *, format: str = "toml", name: str = "<string>") -> RuleSet:
        """Read and check a rule set from ``text`` in ``format`` (``"toml"`` or ``"json"``)."""
        from .io.rulefile import parse_text

        return cls._built(parse_text(text, format=format, file=name), name)

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
        from .io.rulefile import render_text

        return render_text(parts, format=format)

    def _check_term(self, vocabulary: type[Term], term: object, where: str) -> None:
        if not isinstance(term, vocabulary):
            word = vocabulary._word
            raise RuleSetError(
                self.name,
                f"{_shown(term)} in {where} is not a {word}: make it with"
                f" {vocabulary.__name__}.declare(name)",
            )

    def _check_standing(self, standing: object) -> None:
        if not isinstance(standing, Standing):
            raise RuleSetError(self.name, f"{_shown(standing)} is not a Standing")
        self._check_term(Status, standing.status, "a standing")
        if standing.stage is not None:
            self._check_term(Stage, standing.stage, "a standing")

    def _named(
        self, vocabulary: type[_Term], given: Iterable[object], where: str
    ) -> tuple[_Term, ...]:
        found: list[_Term] = []
        for term in given:
            if isinstance(term, vocabulary):
                found.append(term)
                continue
            if isinstance(term, Term) or not isinstance(term, str):
                self._check_term(vocabulary, term, where)
            try:
                found.append(vocabulary.declare(term))  # type: ignore[arg-type]
            except TermError as exc:
                raise RuleSetError(self.name, f"{where}: {exc}") from None
        return tuple(found)

    def _check_names(self, standings: Iterable[Standing]) -> None:
        for label, names in (
            ("status", self.statuses),
            ("stage", self.stages),
            ("kind", self.kinds),
        ):
            seen: set[Term] = set()
            twice: set[str] = set()
            for term in names:
                if term in seen:
                    twice.add(term.value)
                seen.add(term)
            if twice:
                raise RuleSetError(self.name, f"{label} {min(twice)!r} is declared twice")
        for kind in self.kinds:
            if kind.value in RESERVED_KINDS:
                raise RuleSetError(
                    self.name,
                    f"the kind {kind.value!r} is reserved: the record format uses"
                    f" {RESERVED_USE}; name the kind otherwise",
                )
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
            if isinstance(code, bool) or code not in COW_CODES:
                raise RuleSetError(
                    self.name,
                    f"the COW code of {status.value!r} is {_shown(code)};"
                    " COW codes are 0, 1, 2 or 3",
                )

    @property
    def compiled(self) -> Compiled:
        """The table as integer arrays, for the fold's inner loop."""
        return self._compiled

    def _check(self) -> None:
        """The table's structure, in one pass over the rows and one walk of the graph."""
        table: dict[tuple[Standing, EventKind], Standing | None] = {}
        following: dict[Standing, list[Standing]] = {}
        exits: dict[Standing, dict[EventKind, None]] = {}
        for row in self.transitions:
            key = (row.source, row.kind)
            previous = table.setdefault(key, row.target)
            if previous != row.target:
                raise RuleSetError(
                    self.name,
                    f"{row.kind.value!r} from {row.source} leads both to {previous} and"
                    f" to {row.target}",
                )
            exits.setdefault(row.source, {})[row.kind] = None
            if row.target is not None:
                following.setdefault(row.source, []).append(row.target)
        with_rows = {kind for (_, kind) in table}
        for kind in self.kinds:
            if kind not in with_rows:
                raise RuleSetError(self.name, f"kind {kind.value!r} has no transition")
        reachable = {self.initial}
        frontier = [self.initial]
        while frontier:
            for target in following.get(frontier.pop(), ()):
                if target not in reachable:
                    reachable.add(target)
                    frontier.append(target)
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
            if standing not in exits and standing not in self.final:
                raise RuleSetError(
                    self.name,
                    f"{standing} has no way out and is not declared final",
                )
        setter = object.__setattr__
        setter(self, "_table", table)
        setter(self, "_reachable", frozenset(reachable))
        rank = self.rank
        setter(self, "_exits", {s: tuple(sorted(k, key=rank)) for s, k in exits.items()})

    def reachable(self) -> frozenset[Standing]:
        """Every standing that some sequence of events reaches from ``initial``."""
        return self._reachable

    def target(self, standing: Standing, kind: EventKind) -> Standing | None:
        """Where ``kind`` leads from ``standing``; raises ``KeyError`` when not allowed."""
        return self._table[(standing, kind)]

    def allows(self, standing: Standing, kind: EventKind) -> bool:
        """Whether ``kind`` may happen to a state at ``standing``."""
        return (standing, kind) in self._table

    def allowed(self, standing: Standing) -> tuple[EventKind, ...]:
        """The kinds that may happen next, in the rule set's order."""
        return self._exits.get(standing, ())

    def rank(self, kind: EventKind) -> int:
        """The order in which same-day events of one state are applied."""
        return self._rank.get(kind, len(self._rank))

    def status_named(self, name: str) -> Status:
        """The status this rule set calls ``name`` (a name, or a status of the same name).

        A name it does not declare raises :class:`~sco_membership.exceptions.UnknownTermError`
        naming the close matches:

        >>> from sco_membership import SCO_RULES
        >>> SCO_RULES.status_named("observer")
        <Status.OBSERVER: 'observer'>
        >>> try:
        ...     SCO_RULES.status_named("obsrever")
        ... except LookupError as error:
        ...     print(type(error).__name__, error)
        UnknownTermError 'obsrever' is not a status of 'SCO'; did you mean observer?
        """
        return self._named_term(Status, name)

    def stage_named(self, name: str) -> Stage:
        """The stage this rule set calls ``name``; an unknown name is refused as by
        :meth:`status_named`."""
        return self._named_term(Stage, name)

    def kind_named(self, name: str) -> EventKind | None:
        """The kind this rule set calls ``name``, or ``None`` when it knows no such kind (a
        records reader reports that itself, naming the record)."""
        if not isinstance(name, str):
            return None
        return self._names[EventKind].get(name)  # type: ignore[return-value]

    def _named_term(self, vocabulary: type[_Term], name: str) -> _Term:
        names = self._names[vocabulary]
        found = names.get(name) if isinstance(name, str) else None
        if found is not None:
            return found  # type: ignore[return-value]
        import difflib  # lazy: only a wrong name needs suggestions

        known = [term.value for term in names.values()]
        close = difflib.get_close_matches(name, known, n=3) if isinstance(name, str) else []
        raise UnknownTermError(vocabulary._word, name, known, close, rules=self.name)

    def _check_members(self) -> None:
        if self.members not in MEMBER_SCHEMES:
            raise RuleSetError(
                self.name,
                f"members are identified by {', '.join(MEMBER_SCHEMES)}, not"
                f" {_shown(self.members)}",
            )
        if self.member_pattern is not None and self.members != "free":
            raise RuleSetError(self.name, "a member_pattern goes with members = 'free' only")
        pattern = self.member_pattern or FREE_MEMBERS
        try:
            found = re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise RuleSetError(self.name, f"member_pattern {_shown(pattern)}: {exc}") from None
        object.__setattr__(self, "_member_match", found.fullmatch)

    def member(self, value: object) -> str:
        """The identifier of the member ``value`` names, under :attr:`members`; an unknown
        one raises :class:`~sco_membership.exceptions.UnknownStateError`.

        >>> from sco_membership import SCO_RULES
        >>> SCO_RULES.member("India"), SCO_RULES.member(750)
        ('IND', 'IND')
        """
        if self.members == "iso3166":
            return resolve(value)  # type: ignore[arg-type]
        if not isinstance(value, str):
            raise UnknownStateError(value, reason=f"is no {self._member_words}")
        if self.members == "cow":
            if by_abbreviation(value) is None:
                raise UnknownStateError(value, reason=f"is no {self._member_words}")
            return value
        if self._member_match(value) is None:
            raise UnknownStateError(value, reason=f"is no {self._member_words}")
        return value

    @property
    def _member_words(self) -> str:
        if self.members == "cow":
            return "Correlates of War state abbreviation (COW's BAV, GDR, MON)"
        return f"member identifier of {self.name} (one matching {self.member_pattern!r})"

    def cow_code(self, status: Status) -> int:
        """The Correlates of War IGO code of ``status`` (0, no membership, when not given)."""
        return self._cow.get(status, 0)


#: The number of the initial standing in :attr:`Compiled.standings`: it is sorted first.
START = 0
#: In :attr:`Compiled.moves`: the event is not allowed from that standing.
ILLEGAL = -1
#: In :attr:`Compiled.moves`: the event is recorded and changes nothing.
UNCHANGED = -2


class Compiled:
    """A rule set's table as arrays over standing numbers: one dict lookup and one index per event.

    ``moves[kind][s]`` is the number of the standing ``kind`` leads to from standing ``s``, or
    :data:`ILLEGAL`, or :data:`UNCHANGED`. ``keeps[s]`` says whether standing ``s`` keeps the
    earlier status (its status is in ``retaining``); ``nowhere`` is the row of a kind the rule
    set does not know: illegal from everywhere. A plain slotted class, made once per rule set
    and never compared: one attrs class fewer to build at start-up.
    """

    __slots__ = ("keeps", "moves", "nowhere", "rank", "standings")

    standings: tuple[Standing, ...]
    moves: Mapping[EventKind, tuple[int, ...]]
    keeps: tuple[bool, ...]
    rank: Mapping[EventKind, int]
    nowhere: tuple[int, ...]

    def __init__(
        self,
        standings: tuple[Standing, ...],
        moves: Mapping[EventKind, tuple[int, ...]],
        keeps: tuple[bool, ...],
        rank: Mapping[EventKind, int],
        nowhere: tuple[int, ...] = (),
    ) -> None:
        setter = object.__setattr__
        setter(self, "standings", standings)
        setter(self, "moves", moves)
        setter(self, "keeps", keeps)
        setter(self, "rank", rank)
        setter(self, "nowhere", nowhere)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a compiled table is immutable: cannot set {name!r}")

    def __reduce__(self) -> tuple[type[Compiled], tuple[object, ...]]:
        # Every pickle protocol, 0 and 1 included (a slotted class has no state dict).
        return Compiled, (self.standings, self.moves, self.keeps, self.rank, self.nowhere)

    def __repr__(self) -> str:
        return f"<Compiled: {len(self.standings)} standings, {len(self.moves)} kinds>"

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
