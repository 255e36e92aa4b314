"""The open vocabulary: statuses, stages and event kinds are interned terms, declared by rule
sets, equal to their names."""

from __future__ import annotations

import copy
import gc
import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_membership.exceptions import (
    MembershipError,
    RuleSetError,
    TermError,
    UnknownTermError,
    VocabularyError,
)
from sco_membership.model import EventKind, Stage, Standing, Status, Term, Transition
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


def test_the_sco_terms_are_class_attributes_with_plain_words() -> None:
    assert Status("observer") is Status.OBSERVER
    assert Status.DIALOGUE_PARTNER.label == "dialogue partner"
    assert Status.DIALOGUE_PARTNER.name == "DIALOGUE_PARTNER"
    assert (
        repr(EventKind.MEMBERSHIP_GRANTED)
        == "<EventKind.MEMBERSHIP_GRANTED: 'membership_granted'>"
    )
    assert str(Stage.PROCEDURE_STARTED) == "Stage.PROCEDURE_STARTED"
    assert f"{Status.MEMBER}" == "Status.MEMBER"
    assert Status.MEMBER.value == "member"
    assert type(Status.MEMBER.value) is str


def test_a_term_equals_its_name_and_hashes_like_it() -> None:
    assert Status.OBSERVER == "observer"
    assert hash(Status.OBSERVER) == hash("observer")
    roster = {Status.OBSERVER: {"IND"}}
    assert roster["observer"] == {"IND"}
    assert json.dumps([Status.OBSERVER]) == '["observer"]'


@given(NAMES)
def test_a_term_is_made_once_and_survives_pickle_and_copy(name: str) -> None:
    term = Status.declare(name)
    assert Status.declare(name) is term
    assert pickle.loads(pickle.dumps(term)) is term
    assert copy.copy(term) is term
    assert copy.deepcopy([term])[0] is term
    assert term.value == name
    assert term.label == name.replace("_", " ")


@given(NAMES)
def test_each_vocabulary_is_its_own(name: str) -> None:
    status, kind = Status.declare(name), EventKind.declare(name)
    # Equal strings, but never the same term: each vocabulary interns its own.
    assert status is not kind  # type: ignore[comparison-overlap]
    assert type(status) is Status
    assert type(kind) is EventKind
    assert isinstance(status, Term)
    assert isinstance(kind, Term)
    assert len({status, Status.declare(name)}) == 1


def test_a_stage_and_a_kind_of_one_name_stay_apart_in_the_rule_set() -> None:
    stage, kind = Stage.OBLIGATIONS_SIGNED, EventKind.OBLIGATIONS_SIGNED
    assert stage == kind
    assert stage is not kind  # type: ignore[comparison-overlap]
    assert SCO_RULES.stage_named("obligations_signed") is stage
    assert SCO_RULES.kind_named("obligations_signed") is kind
    started = Standing(Status.ACCEDING, Stage.PROCEDURE_STARTED)
    assert SCO_RULES.target(started, kind) == Standing(Status.ACCEDING, stage)


@pytest.mark.parametrize("bad", ["", "Member", "full member", "1st", "_x", "a-b", 3, None, [1]])
def test_a_bad_name_is_a_library_error_naming_the_vocabulary(bad: object) -> None:
    with pytest.raises(TermError, match="event kind name") as caught:
        EventKind.declare(bad)  # type: ignore[arg-type]
    assert isinstance(caught.value, MembershipError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == bad
    with pytest.raises(TermError, match="not a status name"):
        Status(bad)  # type: ignore[arg-type]


def test_an_undeclared_name_is_refused_with_the_close_matches() -> None:
    with pytest.raises(UnknownTermError, match="did you mean observer") as caught:
        Status("obsrever")
    error = caught.value
    assert isinstance(error, TermError)
    assert isinstance(error, LookupError)
    assert isinstance(error, ValueError)
    assert error.suggestions == ("observer",)
    assert "observer" in error.known
    with pytest.raises(AttributeError):
        _ = Status.OBSREVER


def test_a_vocabulary_class_does_not_list_terms_it_sends_to_a_rule_set() -> None:
    with pytest.raises(VocabularyError, match=r"rules\.statuses") as caught:
        list(Status)
    assert isinstance(caught.value, TypeError)
    with pytest.raises(VocabularyError, match=r"rules\.kinds"):
        iter(EventKind)
    assert SCO_RULES.stages[0] is Stage.DIALOGUE_PARTNER_DECIDED


def _trap(name: str) -> RuleSet:
    guest = Standing(Status.declare(f"{name}_guest"), Stage.declare(f"{name}_stage"))
    rows = [Transition(EventKind.declare(f"{name}_kind"), Standing(Status.NONE), guest)]
    return RuleSet(name, "Org", rows)  # the guest standing is a trap: refused


def test_a_refused_rule_set_declares_none_of_its_terms() -> None:
    with pytest.raises(RuleSetError, match="no way out"):
        _trap("refused_zz")
    gc.collect()
    for vocabulary, name in (
        (Status, "refused_zz_guest"),
        (Stage, "refused_zz_stage"),
        (EventKind, "refused_zz_kind"),
    ):
        with pytest.raises(UnknownTermError):
            vocabulary(name)
        assert name not in vocabulary._pending  # forgotten: nothing holds it any more


def test_a_valid_rule_set_declares_its_terms() -> None:
    fresh = Status.declare("freshly_declared")
    with pytest.raises(UnknownTermError):
        Status("freshly_declared")  # declared for a rule set, but none is built yet
    back = Standing(Status.NONE)
    RuleSet(
        "Fresh",
        "Org",
        [
            Transition(EventKind.declare("fresh_in"), back, Standing(fresh)),
            Transition(EventKind.declare("fresh_out"), Standing(fresh), back),
        ],
    )
    assert Status("freshly_declared") is fresh
    assert Status.FRESHLY_DECLARED is fresh
    assert EventKind.declare("fresh_in") is EventKind("fresh_in")


def test_terms_are_immutable() -> None:
    with pytest.raises(AttributeError):
        Status.MEMBER.value = "observer"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Status.MEMBER.label
    assert Status.MEMBER.value == "member"
