"""The open vocabulary: statuses, stages and event kinds are interned terms."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_membership.exceptions import MembershipError, TermError
from sco_membership.model import EventKind, Stage, Status, Term

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


@given(NAMES)
def test_a_term_is_made_once_and_survives_pickle_and_copy(name: str) -> None:
    term = Status(name)
    assert Status(name) is term
    assert pickle.loads(pickle.dumps(term)) is term
    assert copy.copy(term) is term
    assert copy.deepcopy([term])[0] is term
    assert term.value == name
    assert term.label == name.replace("_", " ")


@given(NAMES)
def test_each_vocabulary_is_its_own(name: str) -> None:
    status, kind = Status(name), EventKind(name)
    assert status is not kind  # type: ignore[comparison-overlap]
    assert status != kind
    assert isinstance(status, Term)
    assert isinstance(kind, Term)
    assert len({status, Status(name)}) == 1


@pytest.mark.parametrize("bad", ["", "Member", "full member", "1st", "_x", "a-b", 3, None])
def test_a_bad_name_is_a_library_error_naming_the_vocabulary(bad: object) -> None:
    with pytest.raises(TermError, match="event kind name") as caught:
        EventKind(bad)  # type: ignore[arg-type]
    assert isinstance(caught.value, MembershipError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == bad
    with pytest.raises(TermError, match="not a status name"):
        Status(bad)  # type: ignore[arg-type]


def test_terms_are_immutable() -> None:
    with pytest.raises(AttributeError):
        Status.MEMBER.value = "observer"  # type: ignore[misc]
    assert Status.MEMBER.value == "member"
