from __future__ import annotations

import re

import pytest

from sco_membership.cli import main
from sco_membership.export.diagram import dot, markdown, mermaid
from sco_membership.model import EventKind, Standing, Status
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet, Transition


def test_every_row_of_the_table_is_in_the_markdown() -> None:
    lines = markdown(SCO_RULES).splitlines()
    assert lines[:2] == ["| from | event | to |", "| --- | --- | --- |"]
    assert len(lines) == 2 + len(SCO_RULES.transitions)
    assert "| observer | application | unchanged (recorded only) |" in lines
    assert "| acceding (obligations signed) | membership_granted | member |" in lines


def test_every_arrow_of_the_table_is_in_the_diagrams() -> None:
    arrows = {(r.source, r.target) for r in SCO_RULES.transitions if r.target is not None}
    drawn = re.findall(r"^    (\w+) --> (\w+) :", mermaid(SCO_RULES), flags=re.MULTILINE)
    assert len(drawn) == len(arrows)
    assert ("member", "none") in drawn
    assert "member --> none : withdrawal, expulsion" in mermaid(SCO_RULES)
    text = dot(SCO_RULES)
    assert text.startswith('digraph "SCO" {')
    assert text.rstrip().endswith("}")
    assert len(re.findall(r" -> ", text)) == len(arrows)
    assert 'acceding__obligations_signed [label="acceding (obligations signed)"];' in text


def test_a_users_rule_set_is_drawn_too() -> None:
    none, member = Standing(Status.NONE), Standing(Status.MEMBER)
    club = RuleSet(
        "club",
        "A Club",
        [
            Transition(EventKind.MEMBERSHIP_GRANTED, none, member),
            Transition(EventKind.WITHDRAWAL, member, none),
        ],
    )
    assert mermaid(club).splitlines()[-1] == "    member --> none : withdrawal"
    assert dot(club).startswith('digraph "club" {')


@pytest.mark.parametrize("notation", ["mermaid", "dot", "markdown"])
def test_the_command_prints_each_notation(
    notation: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagram", "--format", notation]) == 0
    expected = {"mermaid": mermaid, "dot": dot, "markdown": markdown}[notation](SCO_RULES)
    assert capsys.readouterr().out == expected
