"""A rule set drawn from its own transition table: Mermaid, Graphviz DOT, or a Markdown table.

Generated from the rule set itself, so a diagram in the docs cannot drift from the rules.
Events that are recorded but change nothing (an application) appear in the table, not as arrows.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Standing
from ..rules import RuleSet

__all__ = ["dot", "markdown", "mermaid"]


def _name(standing: Standing) -> str:
    """An identifier for a standing: ``acceding__procedure_started``."""
    stage = "" if standing.stage is None else f"__{standing.stage.value}"
    return standing.status.value + stage


def _edges(rules: RuleSet) -> dict[tuple[Standing, Standing], list[str]]:
    """Arrows between standings, with the kinds that move along each, in table order."""
    edges: dict[tuple[Standing, Standing], list[str]] = defaultdict(list)
    for row in rules.transitions:
        if row.target is not None:
            edges[(row.source, row.target)].append(row.kind.value)
    return edges


def _standings(rules: RuleSet) -> list[Standing]:
    found = dict.fromkeys([rules.initial])
    for row in rules.transitions:
        found.setdefault(row.source)
        if row.target is not None:
            found.setdefault(row.target)
    return list(found)


def mermaid(rules: RuleSet) -> str:
    """A Mermaid ``stateDiagram-v2`` of the rule set.

    >>> from sco_membership import SCO_RULES
    >>> print(mermaid(SCO_RULES).splitlines()[0])
    stateDiagram-v2
    """
    lines = ["stateDiagram-v2", f"    [*] --> {_name(rules.initial)}"]
    lines += [f'    state "{standing}" as {_name(standing)}' for standing in _standings(rules)]
    lines += [
        f"    {_name(source)} --> {_name(target)} : {', '.join(kinds)}"
        for (source, target), kinds in _edges(rules).items()
    ]
    return "\n".join(lines) + "\n"


def dot(rules: RuleSet) -> str:
    """A Graphviz DOT digraph of the rule set."""
    lines = [f'digraph "{rules.name}" {{', "    rankdir=LR;", "    node [shape=box];"]
    lines += [f'    {_name(standing)} [label="{standing}"];' for standing in _standings(rules)]
    lines += [
        f'    {_name(source)} -> {_name(target)} [label="{", ".join(kinds)}"];'
        for (source, target), kinds in _edges(rules).items()
    ]
    return "\n".join([*lines, "}"]) + "\n"


def markdown(rules: RuleSet) -> str:
    """The transition table as Markdown: one row per (standing, event kind).

    >>> from sco_membership import SCO_RULES
    >>> print(markdown(SCO_RULES).splitlines()[2])
    | none | founding | member |
    """
    lines = ["| from | event | to |", "| --- | --- | --- |"]
    lines += [
        f"| {row.source} | {row.kind.value} | "
        f"{'unchanged (recorded only)' if row.target is None else row.target} |"
        for row in rules.transitions
    ]
    return "\n".join(lines) + "\n"
