"""The Shanghai Cooperation Organisation: its vocabulary, its rule set, its look.

Everything the engine needs to know of the SCO lives here: the statuses, accession stages and
event kinds its regulations define (declared by :data:`SCO_RULES`, and so reachable as
``Status.OBSERVER``, ``Stage.PROCEDURE_STARTED``, ``EventKind.FOUNDING`` and the like), its
transition table, and the profile its chart is drawn with. The data set is ``data/sco.jsonl``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import EventKind, Stage, Standing, Status, Transition
from ..profiles import Profile
from ..rules import RuleSet

__all__ = ["PROFILE", "SCO_RULES"]


def _rows(kind: str, sources: Iterable[Standing], target: Standing | None) -> list[Transition]:
    return [Transition(EventKind.declare(kind), source, target) for source in sources]


# The Council decided to grant dialogue-partner status; the memorandum is not signed yet.
_DECIDING = Stage.declare("dialogue_partner_decided")
# The accession process: the Council decided to start the procedure, then the state signed
# the memorandum of obligations.
_PROCEDURE = Stage.declare("procedure_started")
_OBLIGATIONS = Stage.declare("obligations_signed")

_NONE = Standing(Status.NONE)
_DECIDED = Standing(Status.NONE, _DECIDING)
_DIALOGUE = Standing(Status.declare("dialogue_partner"))
_OBSERVER = Standing(Status.declare("observer"))
# The 2025 category that merged observers and dialogue partners ("SCO partner").
_PARTNER = Standing(Status.declare("partner"))
# Acceding: the state keeps its earlier status meanwhile (``retaining``).
_STARTED = Standing(Status.declare("acceding"), _PROCEDURE)
_SIGNED = Standing(Status.declare("acceding"), _OBLIGATIONS)
_MEMBER = Standing(Status.MEMBER)
_SUSPENDED = Standing(Status.declare("suspended"))

#: The Shanghai Cooperation Organisation (and its precursor, the Shanghai Five).
SCO_RULES = RuleSet(
    name="SCO",
    organisation="Shanghai Cooperation Organisation",
    transitions=[
        *_rows("founding", (_NONE, _OBSERVER, _MEMBER), _MEMBER),
        *_rows("application", (_NONE, _DECIDED, _DIALOGUE, _OBSERVER, _PARTNER), None),
        *_rows("dialogue_partner_decision", (_NONE,), _DECIDED),
        *_rows("dialogue_partner_memorandum", (_DECIDED,), _DIALOGUE),
        *_rows("observer_granted", (_NONE, _DECIDED, _DIALOGUE), _OBSERVER),
        *_rows("accession_started", (_DIALOGUE, _OBSERVER, _PARTNER), _STARTED),
        *_rows("obligations_signed", (_STARTED,), _SIGNED),
        *_rows("membership_granted", (_SIGNED,), _MEMBER),
        *_rows("partner_granted", (_NONE, _DECIDED), _PARTNER),
        *_rows("recategorisation", (_DIALOGUE, _OBSERVER), _PARTNER),
        *_rows("suspension", (_MEMBER,), _SUSPENDED),
        *_rows("reinstatement", (_SUSPENDED,), _MEMBER),
        *_rows(
            "withdrawal",
            (_DIALOGUE, _OBSERVER, _PARTNER, _STARTED, _SIGNED, _MEMBER, _SUSPENDED),
            _NONE,
        ),
        *_rows("expulsion", (_MEMBER, _SUSPENDED), _NONE),
    ],
    retaining=frozenset({_STARTED.status}),
    statuses=[
        Status.NONE,
        _DIALOGUE.status,
        _PARTNER.status,
        _OBSERVER.status,
        _STARTED.status,
        _SUSPENDED.status,
        Status.MEMBER,
    ],
    organisation_wide={EventKind.declare("founding"), EventKind.declare("recategorisation")},
    # Acceding codes 0 here, but a panel codes the status held meanwhile (an observer's 3).
    cow={_OBSERVER.status: 3, _SUSPENDED.status: 1, Status.MEMBER: 1},
)

#: How the SCO is drawn. Okabe & Ito (2008), "Color Universal Design": distinguishable under
#: every common colour vision deficiency. An acceding state's hatch is drawn in the colour of
#: membership over the colour of the status it keeps meanwhile.
PROFILE = Profile(
    SCO_RULES,
    colours={
        Status.MEMBER: "#0072B2",
        _OBSERVER.status: "#E69F00",
        _DIALOGUE.status: "#CC79A7",
        _PARTNER.status: "#009E73",
        _SUSPENDED.status: "#D55E00",
        _STARTED.status: "#0072B2",
        Status.NONE: "#FFFFFF",
    },
    hatches={
        _DECIDING: "////",
        _PROCEDURE: "//",
        _OBLIGATIONS: "xxx",
    },
    # Up the ladder a state climbs, then the later categories.
    legend=(
        Status.NONE,
        _DIALOGUE.status,
        _OBSERVER.status,
        _STARTED.status,
        Status.MEMBER,
        _PARTNER.status,
        _SUSPENDED.status,
    ),
    labels={_DECIDED: "dialogue partner: decided, memorandum not yet signed"},
    # A place "at a summit": the record names the meeting of the heads of state (the Shanghai
    # Five's meetings, then the SCO's Council of Heads of State).
    summit=r"(?i)heads of state",
    # The COW IGO data (v3) code the SCO's full members 1 and never code an observer (though
    # they code observers of 25 other organisations in the same years), and count the Shanghai
    # Five (1996-2001) as its first years ("Shanghai Cooperation Organisation/Shanghai Pact/
    # Shanghai Five", COW's long name): see docs/panel.md, "Where COW codes differently".
    cow={Status.MEMBER: 1, _SUSPENDED.status: 1},
    cow_predecessor=True,
)
