from __future__ import annotations

import pytest

from sco_membership.exceptions import RuleSetError
from sco_membership.model import EventKind, Stage, Standing, Status
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet, Transition

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
