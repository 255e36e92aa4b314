"""How the timeline chart draws one rule set's statuses and stages: colours, hatches, legend.

The SCO keeps the look it was designed with (see :mod:`sco_membership.chart`). Any other rule
set is drawn from the same Okabe-Ito palette: a status or stage the SCO also has keeps the SCO's
colour or hatch; the others get the colours left, in the order of the rule set's ``statuses``
(past them, lighter shades), and hatches of their own, in the order of its ``stages``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from .answer import Answer
from .model import Stage, Standing, Status
from .rules import RuleSet

__all__ = ["UNCERTAIN", "Look", "Palette", "lighter"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable under every common colour
# vision deficiency.
_COLOURS = {
    Status.MEMBER: "#0072B2",
    Status.OBSERVER: "#E69F00",
    Status.DIALOGUE_PARTNER: "#CC79A7",
    Status.PARTNER: "#009E73",
    Status.SUSPENDED: "#D55E00",
    Status.ACCEDING: "#0072B2",
    Status.NONE: "#FFFFFF",
}
_HATCHES = {
    Stage.DIALOGUE_PARTNER_DECIDED: "////",
    Stage.PROCEDURE_STARTED: "//",
    Stage.OBLIGATIONS_SIGNED: "xxx",
}
# The legend's order: up the ladder a state climbs, then the later categories.
_LADDER = (
    Status.NONE,
    Status.DIALOGUE_PARTNER,
    Status.OBSERVER,
    Status.ACCEDING,
    Status.MEMBER,
    Status.PARTNER,
    Status.SUSPENDED,
)
# For the statuses and stages the SCO does not have, in the rule set's order.
_OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
_MORE_HATCHES = ("\\\\", "++", "--", "||", "oo", "**", "\\", "+", "O")
UNCERTAIN = ("#D9D9D9", "#6E6E6E", "....")  # fill, hatch, pattern


@attrs.frozen
class Look:
    """How one kind of interval is drawn, and its legend entry."""

    rank: int
    label: str
    fill: str
    hatch: str | None = None
    ink: str | None = None  # the hatch's colour


def lighter(colour: str, amount: float = 0.55) -> str:
    """``colour`` (``#RRGGBB``) mixed with white by ``amount``: the same hue, paler."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * amount) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _spare(used: Iterable[str], first: Sequence[str], then: Sequence[str]) -> Iterator[str]:
    """The entries of ``first``, then of ``then``, that are not ``used`` yet, each once; past
    them all (dozens of statuses), ``then`` over again."""
    taken = set(used)
    for entry in itertools.chain(first, then):
        if entry not in taken:
            taken.add(entry)
            yield entry
    yield from itertools.cycle(then)


# Past the palette: lighter shades of it, then hatches laid over each other.
_MORE_COLOURS = tuple(lighter(c, 1 - 0.6**k) for k in range(1, 6) for c in _OKABE_ITO)
_ALL_HATCHES = (*_HATCHES.values(), *_MORE_HATCHES)
_MIXED_HATCHES = tuple(a + b for a, b in itertools.combinations(_ALL_HATCHES, 2))


@attrs.frozen
class Palette:
    """How one rule set's statuses and stages are drawn: colours, hatches, legend order."""

    organisation: str
    nothing: Status  # the status of a state with no standing: never drawn
    colours: Mapping[Status, str]
    hatches: Mapping[Stage, str]
    ladder: tuple[Status, ...]
    headings: Mapping[Standing, Status]  # the status each stage leads to
    sco: bool  # the SCO's vocabulary: the SCO's legend order and wording

    @classmethod
    def of(cls, rules: RuleSet) -> Palette:
        """The look of ``rules``: the SCO's where it has the SCO's vocabulary, then the rest."""
        nothing = rules.initial.status
        colours = {nothing: _COLOURS[Status.NONE]}
        colours |= {s: _COLOURS[s] for s in rules.statuses if s in _COLOURS and s not in colours}
        fresh = _spare(colours.values(), _OKABE_ITO, _MORE_COLOURS)
        colours |= {s: next(fresh) for s in rules.statuses if s not in colours}
        hatches = {stage: _HATCHES[stage] for stage in rules.stages if stage in _HATCHES}
        fresh = _spare(hatches.values(), _MORE_HATCHES, (*_HATCHES.values(), *_MIXED_HATCHES))
        hatches = {stage: hatches.get(stage) or next(fresh) for stage in rules.stages}
        sco = set(rules.statuses) == set(_LADDER) and set(rules.stages) == set(_HATCHES)
        rank = {status: k for k, status in enumerate(rules.statuses)}
        headings: dict[Standing, Status] = {}
        for standing in rules.reachable():
            if standing.stage is None:
                continue
            status = standing.status
            above = [
                row.target.status
                for row in rules.transitions
                if row.source == standing
                and row.target is not None
                and rank[row.target.status] > rank[status]
            ]
            # A retaining status is itself what the state seeks (acceding: membership).
            keep = status in rules.retaining or not above
            headings[standing] = status if keep else min(above, key=rank.__getitem__)
        ladder = _LADDER if sco else rules.statuses
        return cls(rules.organisation, nothing, colours, hatches, ladder, headings, sco)

    def look(self, answer: Answer) -> Look | None:
        """The look of an interval, or ``None`` when there is nothing to draw (no status)."""
        if not answer.certain:
            fill, ink, hatch = UNCERTAIN
            return Look(90, "uncertain: date known only to the month or year", fill, hatch, ink)
        status, stage, colours = answer.status, answer.stage, self.colours
        if stage is not None:
            heading = self.headings.get(answer.standing, status)
            kept = answer.retained or (status if heading is not status else self.nothing)
            label = stage.label if heading is self.nothing else f"{heading.label}: {stage.label}"
            if self.sco and stage is Stage.DIALOGUE_PARTNER_DECIDED:
                label = "dialogue partner: decided, memorandum not yet signed"
            if kept is not self.nothing:
                label += f" (still {kept.label})"
            rank = 10 * self.ladder.index(heading) - 4 + list(self.hatches).index(stage)
            return Look(rank, label, colours[kept], self.hatches[stage], colours[heading])
        if status is self.nothing:
            return None
        if answer.organisation is not None and answer.organisation != self.organisation:
            label = f"{status.label} of the {answer.organisation}"
            return Look(10 * self.ladder.index(status) - 5, label, lighter(colours[status]))
        return Look(10 * self.ladder.index(status), status.label, colours[status])
