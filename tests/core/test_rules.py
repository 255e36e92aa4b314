"""Rule sets: the table, its checks on definition, and the names it declares."""

from __future__ import annotations

import json

import pytest

from sco_membership.exceptions import RuleSetError, UnknownTermError
from sco_membership.model import EventKind, Stage, Standing, Status
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet, Transition
from timing import doubling_ratio

NONE = Standing(Status.NONE)
OBSERVER = Standing(Status.OBSERVER)
MEMBER = Standing(Status.MEMBER)


def test_sco_table_walks_the_accession_stages_in_order() -> None:
    started = SCO_RULES.target(OBSERVER, EventKind.ACCESSION_STARTED)
    assert started == Standing(Status.ACCEDING, Stage.PROCEDURE_STARTED)
    assert started is not None
    signed = SCO_RULES.target(started, EventKind.OBLIGATIONS_SIGNED)
    assert signed == Standing(Status.ACCEDING, Stage.OBLIGATIONS_SIGNED)
    assert signed is not None
    assert SCO_RULES.target(signed, EventKind.MEMBERSHIP_GRANTED) == MEMBER


def test_membership_cannot_skip_the_memorandum_of_obligations() -> None:
    started = Standing(Status.ACCEDING, Stage.PROCEDURE_STARTED)
    assert not SCO_RULES.allows(started, EventKind.MEMBERSHIP_GRANTED)
    assert not SCO_RULES.allows(OBSERVER, EventKind.MEMBERSHIP_GRANTED)
    with pytest.raises(KeyError):
        SCO_RULES.target(OBSERVER, EventKind.MEMBERSHIP_GRANTED)


def test_dialogue_partner_status_waits_for_the_memorandum() -> None:
    decided = SCO_RULES.target(NONE, EventKind.DIALOGUE_PARTNER_DECISION)
    assert decided == Standing(Status.NONE, Stage.DIALOGUE_PARTNER_DECIDED)
    assert decided is not None
    assert SCO_RULES.target(decided, EventKind.DIALOGUE_PARTNER_MEMORANDUM) == Standing(
        Status.DIALOGUE_PARTNER
    )


def test_an_application_is_recorded_but_changes_nothing() -> None:
    assert SCO_RULES.allows(OBSERVER, EventKind.APPLICATION)
    assert SCO_RULES.target(OBSERVER, EventKind.APPLICATION) is None
    assert not SCO_RULES.allows(MEMBER, EventKind.APPLICATION)


def test_every_standing_is_reachable_and_allowed_lists_kinds_in_table_order() -> None:
    statuses = {standing.status for standing in SCO_RULES.reachable()}
    assert statuses == set(SCO_RULES.statuses)
    assert SCO_RULES.allowed(NONE)[0] is EventKind.FOUNDING
    assert SCO_RULES.allowed(MEMBER) == (
        EventKind.FOUNDING,
        EventKind.SUSPENSION,
        EventKind.WITHDRAWAL,
        EventKind.EXPULSION,
    )
    assert SCO_RULES.kinds[0] is EventKind.FOUNDING
    assert SCO_RULES.rank(EventKind.FOUNDING) < SCO_RULES.rank(EventKind.MEMBERSHIP_GRANTED)


def test_a_conflicting_row_is_refused_when_the_rule_set_is_defined() -> None:
    with pytest.raises(RuleSetError, match="leads both to"):
        RuleSet(
            "broken",
            "Org",
            [
                Transition(EventKind.OBSERVER_GRANTED, NONE, OBSERVER),
                Transition(EventKind.OBSERVER_GRANTED, NONE, MEMBER),
                Transition(EventKind.WITHDRAWAL, OBSERVER, NONE),
                Transition(EventKind.WITHDRAWAL, MEMBER, NONE),
            ],
        )


def test_an_unreachable_row_is_refused() -> None:
    with pytest.raises(RuleSetError, match="unreachable"):
        RuleSet(
            "unreachable",
            "Org",
            [
                Transition(EventKind.OBSERVER_GRANTED, NONE, OBSERVER),
                Transition(EventKind.WITHDRAWAL, OBSERVER, NONE),
                Transition(EventKind.WITHDRAWAL, MEMBER, NONE),
            ],
        )


def test_a_trap_that_is_not_final_is_refused_and_allowed_when_declared() -> None:
    rows = [Transition(EventKind.OBSERVER_GRANTED, NONE, OBSERVER)]
    with pytest.raises(RuleSetError, match="no way out") as caught:
        RuleSet("trap", "Org", rows)
    assert isinstance(caught.value, ValueError)
    rules = RuleSet("trap", "Org", rows, final=frozenset({OBSERVER}))
    assert rules.reachable() == {NONE, OBSERVER}


def test_rows_must_be_transitions() -> None:
    with pytest.raises(RuleSetError, match="is not a Transition"):
        RuleSet("odd", "Org", [(EventKind.FOUNDING, NONE, MEMBER)])  # type: ignore[list-item]


@pytest.mark.parametrize("reserved", ["correction", "retraction", "claim"])
def test_a_kind_named_like_an_amendment_is_refused(reserved: str) -> None:
    rows = [
        Transition(EventKind.OBSERVER_GRANTED, NONE, OBSERVER),
        Transition(EventKind.declare(reserved), OBSERVER, NONE),
    ]
    with pytest.raises(RuleSetError, match=f"'{reserved}' is reserved: the record format"):
        RuleSet("amending", "Org", rows)


def test_plain_names_are_declared_and_a_non_term_row_is_refused() -> None:
    rows = [
        Transition(EventKind.OBSERVER_GRANTED, NONE, OBSERVER),
        Transition(EventKind.WITHDRAWAL, OBSERVER, NONE),
    ]
    rules = RuleSet(
        "named",
        "Org",
        rows,
        statuses=["none", "observer"],  # type: ignore[list-item]
        retaining=frozenset({"observer"}),  # type: ignore[arg-type]
        cow={"observer": 3},  # type: ignore[dict-item]
    )
    assert rules.statuses == (Status.NONE, Status.OBSERVER)
    assert rules.statuses[1] is Status.OBSERVER
    assert rules.cow_code(Status.OBSERVER) == 3
    assert rules.retaining == {Status.OBSERVER}
    odd = Transition("observer_granted", NONE, OBSERVER)  # type: ignore[arg-type]
    with pytest.raises(RuleSetError, match=r"EventKind\.declare"):
        RuleSet("odd", "Org", [odd, rows[1]])
    with pytest.raises(RuleSetError, match="is not a status"):
        RuleSet("odd", "Org", rows, statuses=[Stage.PROCEDURE_STARTED])  # type: ignore[list-item]


def test_names_the_rule_set_does_not_declare_are_refused_with_close_matches() -> None:
    assert SCO_RULES.status_named("acceding") is Status.ACCEDING
    assert SCO_RULES.status_named(Status.OBSERVER) is Status.OBSERVER
    assert SCO_RULES.stage_named("procedure_started") is Stage.PROCEDURE_STARTED
    with pytest.raises(UnknownTermError, match="did you mean acceding") as caught:
        SCO_RULES.status_named("acceeding")
    assert caught.value.rules == "SCO"
    assert isinstance(caught.value, LookupError)
    with pytest.raises(UnknownTermError, match="not a stage of 'SCO'"):
        SCO_RULES.stage_named("invited")
    with pytest.raises(UnknownTermError):
        SCO_RULES.status_named(["observer"])  # type: ignore[arg-type]
    assert SCO_RULES.kind_named("founding") is EventKind.FOUNDING
    assert SCO_RULES.kind_named("foundation") is None


def _ladder(n: int) -> str:
    """A rule-set file of ``n`` statuses in a ladder: up one rung at a time, down to none."""
    names = [f"rung_{k}" for k in range(n)]
    lines = [
        'name = "Ladder"',
        'organisation = "Ladder"',
        f"statuses = {json.dumps(['none', *names])}",
        'kinds = ["up", "down"]',
    ]
    for low, high in zip(["none", *names], names, strict=False):
        lines += ["[[transitions]]", 'kind = "up"', f'from = ["{low}"]', f'to = "{high}"']
    lines += ["[[transitions]]", 'kind = "down"', f"from = {json.dumps(names)}", 'to = "none"']
    return "\n".join(lines) + "\n"


def test_loading_takes_time_linear_in_the_number_of_statuses() -> None:
    # It took 71 s for a 793 KB file: reachability was statuses x transitions, and the reader
    # rebuilt a dict of names for every reference. A ratio, never a wall-clock limit.
    texts = {n: _ladder(n) for n in (1_000, 2_000)}
    assert len(RuleSet.loads(texts[1_000]).statuses) == 1_001
    assert doubling_ratio(lambda n: RuleSet.loads(texts[n]), 1_000, rounds=3) < 3
