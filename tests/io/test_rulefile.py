"""Rule-set files: read, checked on load with errors naming the entry, written back exactly."""

from __future__ import annotations

import contextlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sco_membership as scm
from sco_membership.exceptions import MembershipError, RuleSetError
from sco_membership.model import EventKind, Stage, Standing, Status, Transition
from sco_membership.organisations import SCO_RULES
from sco_membership.rules import RuleSet

TOY = """\
name = "Toy"
organisation = "Toy Organisation"
statuses = ["none", "guest", "member"]
stages = ["invited"]
kinds = ["invitation", "joining", "leaving"]
final = ["member"]

[cow]
member = 1

[[transitions]]
kind = "invitation"
from = ["none"]
to = "guest"

[[transitions]]
kind = "invitation"
from = ["guest"]
to = "guest/invited"

[[transitions]]
kind = "joining"
from = ["guest/invited"]
to = "member"

[[transitions]]
kind = "leaving"
from = ["guest", "guest/invited"]
to = "none"
"""


def _toy(**changes: Any) -> str:
    document = tomllib.loads(TOY)
    document.update(changes)
    return json.dumps({key: value for key, value in document.items() if value is not None})


def test_a_toml_file_loads_into_a_checked_rule_set(tmp_path: Path) -> None:
    path = tmp_path / "toy.toml"
    path.write_text(TOY, encoding="utf-8")
    rules = scm.RuleSet.load(path)
    invited = Standing(Status("guest"), Stage("invited"))
    assert rules.statuses == (Status.NONE, Status("guest"), Status.MEMBER)
    assert rules.target(Standing(Status.NONE), EventKind("invitation")) == Standing(
        Status("guest")
    )
    assert rules.target(Standing(Status("guest")), EventKind("invitation")) == invited
    assert rules.target(invited, EventKind("joining")) == Standing(Status.MEMBER)
    assert rules.allowed(Standing(Status("guest"))) == (
        EventKind("invitation"),
        EventKind("leaving"),
    )
    assert rules.cow_code(Status.MEMBER) == 1
    assert rules.cow_code(Status("guest")) == 0
    assert rules.final == frozenset({Standing(Status.MEMBER)})


def test_a_users_organisation_answers_through_its_own_rules(tmp_path: Path) -> None:
    rules = RuleSet.loads(TOY)
    ledger = scm.Ledger.from_records(
        [
            {"state": "NOR", "kind": "invitation", "date": "2020-05"},
            {"state": "NOR", "kind": "invitation", "date": "2020-09-01"},
            {"state": "NOR", "kind": "joining", "date": "2021-01-01"},
        ],
        rules=rules,
    )
    assert ledger.status("NOR", "2020-12-31").stage is Stage("invited")
    assert ledger.status("NOR", "2021-01-01").status is Status.MEMBER
    assert ledger.status("Norway", "2020-05-15").possible == frozenset(
        {Status.NONE, Status("guest")}
    )
    with pytest.raises(scm.exceptions.MalformedDataError, match="the Toy kinds: invitation"):
        scm.Ledger.from_records(
            [{"state": "NOR", "kind": "observer_granted", "date": "2020"}], rules=rules
        )


@pytest.mark.parametrize("form", ["toml", "json"])
def test_the_sco_rule_set_round_trips(form: str) -> None:
    text = SCO_RULES.dumps(format=form)
    assert RuleSet.loads(text, format=form) == SCO_RULES
    assert RuleSet.loads(text, format=form).dumps(format=form) == text


def test_a_file_round_trips_through_disk(tmp_path: Path) -> None:
    for suffix in ("toml", "json"):
        path = tmp_path / f"sco.{suffix}"
        path.write_text(SCO_RULES.dumps(format=suffix), encoding="utf-8")
        assert RuleSet.load(path) == SCO_RULES


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """A valid rule set by construction: status k is reached by kind k from an earlier status;
    further rows reuse kinds from standings where they are still free."""
    word = st.from_regex(r"[a-z]{1,6}", fullmatch=True)
    names = draw(st.lists(word, min_size=1, max_size=5, unique=True))
    statuses = [Status.NONE, *(Status.declare(f"s_{name}") for name in names)]
    kinds = [EventKind.declare(f"k_{name}") for name in names]
    rows: dict[tuple[Standing, EventKind], Standing | None] = {}
    for k, kind in enumerate(kinds, start=1):
        rows[(Standing(statuses[draw(st.integers(0, k - 1))]), kind)] = Standing(statuses[k])
    for _ in range(draw(st.integers(0, 4))):
        source = Standing(draw(st.sampled_from(statuses)))
        kind = draw(st.sampled_from(kinds))
        target = draw(st.none() | st.sampled_from(statuses).map(Standing))
        rows.setdefault((source, kind), target)
    exits = {source for (source, _) in rows}
    return RuleSet(
        name=draw(st.sampled_from(["Org", "Union \u00e9", 'Quote "q"'])),
        organisation="An organisation",
        transitions=[Transition(kind, source, target) for (source, kind), target in rows.items()],
        statuses=statuses,
        kinds=kinds,
        final=frozenset({Standing(status) for status in statuses} - exits),
        retaining=frozenset(draw(st.sets(st.sampled_from(statuses), max_size=2))),
        organisation_wide=frozenset(draw(st.sets(st.sampled_from(kinds), max_size=2))),
        cow={statuses[-1]: draw(st.sampled_from([0, 1, 2, 3]))},
    )


@given(rule_sets(), st.sampled_from(["toml", "json"]))
def test_any_rule_set_round_trips(rules: RuleSet, form: str) -> None:
    assert RuleSet.loads(rules.dumps(format=form), format=form) == rules


@pytest.mark.parametrize(
    ("changes", "entry", "message"),
    [
        (
            {"transitions": [{"kind": "joining", "from": ["membr"], "to": "member"}]},
            "transitions[0].from[0]",
            "unknown status 'membr'; declared: none, guest, member",
        ),
        (
            {"transitions": [{"kind": "join", "from": ["none"], "to": "member"}]},
            "transitions[0].kind",
            "unknown kind 'join'",
        ),
        (
            {"transitions": [{"kind": "joining", "from": ["none"], "to": "member/late"}]},
            "transitions[0].to",
            "unknown stage 'late'",
        ),
        (
            {"transitions": [{"kind": "joining", "form": ["none"], "to": "member"}]},
            "transitions[0]",
            "unknown key(s) form",
        ),
        (
            {"statuses": ["none", "guest", "none"]},
            "statuses[2]",
            "'none' is declared twice (first at statuses[0])",
        ),
        ({"statuses": ["none", "Guest"]}, "statuses[1]", "'Guest' is not a status name"),
        ({"kinds": []}, "kinds", "needs a non-empty list"),
        ({"cow": {"member": 4}}, "cow.member", "COW codes are 0, 1, 2 or 3, not 4"),
        ({"cow": {"partner": 1}}, "cow.partner", "unknown status 'partner'"),
        ({"retaining": ["acceding"]}, "retaining[0]", "unknown status 'acceding'"),
        ({"organisation_wide": ["founding"]}, "organisation_wide[0]", "unknown kind 'founding'"),
        ({"name": ""}, "name", "needs non-empty text"),
        (
            {"sources": [{"url": "https://example.org"}]},
            "sources[0]",
            "a source needs a non-empty title",
        ),
    ],
)
def test_a_bad_entry_is_named(changes: dict[str, Any], entry: str, message: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        RuleSet.loads(_toy(**changes), format="json", name="toy.json")
    assert caught.value.entry == entry
    assert caught.value.file == "toy.json"
    assert message in str(caught.value)
    assert str(caught.value).startswith("rule set ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"statuses": ["none", "guest", "member", "observer"]},
            "status 'observer' is unreachable from none",
        ),
        ({"final": []}, "member has no way out and is not declared final"),
        (
            {"kinds": ["invitation", "joining", "leaving", "sleeping"]},
            "kind 'sleeping' has no transition",
        ),
    ],
)
def test_a_structural_problem_names_the_status_and_the_file(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuleSetError, match=r"toy\.json") as caught:
        RuleSet.loads(_toy(**changes), format="json", name="toy.json")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "form", "message"),
    [
        ("name = ", "toml", "not valid TOML"),
        ("[1, 2]", "json", "a rule set is a table"),
        ("{}", "yaml", "unknown format 'yaml'"),
        ('{"name": "X", "colour": 1}', "json", r"unknown key\(s\) colour"),
    ],
)
def test_unreadable_text_is_a_rule_set_error(text: str, form: str, message: str) -> None:
    with pytest.raises(RuleSetError, match=message):
        RuleSet.loads(text, format=form)


def test_a_file_must_be_toml_or_json_and_readable(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match=r"\.toml or \.json"):
        RuleSet.load(tmp_path / "rules.yaml")
    with pytest.raises(RuleSetError, match="cannot read the file") as caught:
        RuleSet.load(tmp_path / "missing.toml")
    assert isinstance(caught.value, MembershipError)


@pytest.mark.parametrize(
    ("changes", "entry", "message"),
    [
        ({"statuses": ["none", ["guest"], "member"]}, "statuses[1]", "a status name is text"),
        ({"kinds": [{"a": 1}]}, "kinds[0]", "a event kind name is text"),
        ({"stages": [3]}, "stages[0]", "a stage name is text, not 3"),
        (
            {"transitions": [{"kind": ["joining"], "from": ["none"], "to": "member"}]},
            "transitions[0].kind",
            "unknown kind ['joining']",
        ),
        (
            {"transitions": [{"kind": "joining", "from": [["none"]], "to": "member"}]},
            "transitions[0].from[0]",
            "a standing is 'status' or 'status/stage'",
        ),
        ({"retaining": [{"x": 1}]}, "retaining[0]", "unknown status {'x': 1}"),
        ({"cow": {"member": 1.0}}, "cow.member", "COW codes are 0, 1, 2 or 3, not 1.0"),
        ({"kinds": ["invitation", "correction"]}, "kinds[1]", "'correction' is reserved"),
        ({"kinds": ["retraction"]}, "kinds[0]", "'retraction' is reserved"),
    ],
)
def test_a_name_that_is_no_text_is_refused_naming_the_entry(
    changes: dict[str, Any], entry: str, message: str
) -> None:
    with pytest.raises(RuleSetError) as caught:
        RuleSet.loads(_toy(**changes), format="json", name="toy.json")
    assert caught.value.entry == entry
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("a = " + "[" * 500 + "]" * 500, "toml"),
        ("a = " + "{b = " * 500 + "1" + "}" * 500, "toml"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "json"),
        (_toy(statuses=json.loads("[" * 900 + "]" * 900)), "json"),
    ],
)
def test_deep_nesting_is_a_rule_set_error(text: str, form: str) -> None:
    with pytest.raises(RuleSetError, match=r"nested too deeply|needs|not"):
        RuleSet.loads(text, format=form)


def test_a_refused_file_declares_none_of_its_terms() -> None:
    text = TOY.replace("guest", "zz_guest_refused").replace('final = ["member"]', "")
    with pytest.raises(RuleSetError, match="no way out"):
        RuleSet.loads(text)
    with pytest.raises(scm.exceptions.UnknownTermError):
        Status("zz_guest_refused")


# --- only library errors escape, whatever the text ----------------------------------------

_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["none", "guest", "member", "invited", "joining", "guest/invited", ""])
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(key)} = {_toml_value(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    if value is None:
        return '""'
    return json.dumps(value)


@st.composite
def hostile_rule_sets(draw: st.DrawFn) -> tuple[str, str]:
    """A rule-set text: the toy's document with a few entries replaced by hostile values, in
    TOML or JSON, sometimes cut short."""
    document: dict[str, Any] = tomllib.loads(TOY)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*document, "initial", "stages", "retaining", "extra"]))
        document[key] = draw(_VALUES)
    rows = document.get("transitions")
    if isinstance(rows, list) and rows and draw(st.booleans()):
        row = rows[draw(st.integers(0, len(rows) - 1))]
        if isinstance(row, dict):
            row[draw(st.sampled_from(["kind", "from", "to"]))] = draw(_VALUES)
    form = draw(st.sampled_from(["toml", "json"]))
    if form == "json":
        text = json.dumps(document)
    else:
        text = "\n".join(f"{json.dumps(key)} = {_toml_value(v)}" for key, v in document.items())
    cut = draw(st.integers(0, len(text)))
    return (text[:cut] if draw(st.booleans()) else text), form


@given(hostile_rule_sets())
@example(("a = " + "[" * 2_000 + "]" * 2_000, "toml"))
@example(('{"statuses": ' + "[" * 2_000 + "]" * 2_000 + "}", "json"))
@example(('{"name": "x", "organisation": "y", "statuses": [["a"]], "kinds": ["k"]}', "json"))
def test_any_text_raises_only_library_errors(case: tuple[str, str]) -> None:
    text, form = case
    with contextlib.suppress(MembershipError):  # anything else fails the test
        RuleSet.loads(text, format=form)
