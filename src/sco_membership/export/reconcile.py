"""Where the COW IGO data and this library's record of an organisation differ, and why.

A researcher merging our panel with COW's state-year data must know why a cell differs. This
module compares, state-year by state-year, COW's code of an organisation (``sco`` in COW's
table) with the code our record gives it, and names the reason of each difference:

- ``convention``: COW codes by another convention, and our record coded COW's way agrees (COW
  counts the Shanghai Five years as the SCO's; the record's own panel starts at the SCO);
- ``gap in COW``: our record holds a status COW does not code for this organisation although
  COW's codebook has it (COW codes no SCO observer);
- ``year rule``: the year's status depends on the day of the year chosen, and another of the
  panel's year rules (:func:`~sco_membership.export.panel.parse_rule`) gives COW's code;
- ``unexplained``: none of these accounts for it: our record or COW's may be wrong; the
  record's sources (``explain``) are where to look.

It works for any organisation both sides cover: a ledger whose rule set has COW codes, and the
column of COW's table that holds it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator

import attrs

from ..io.cow import COW_CODES, CowStateYear
from ..ledger import Ledger
from .panel import NOT_IN_EXISTENCE, code_column, panel_rows

__all__ = ["REASONS", "Difference", "Reconciliation", "reconcile"]

#: The reasons a difference can have, in the order a report lists them.
REASONS = ("convention", "gap in COW", "year rule", "unexplained")
# The year rules tried when the chosen one disagrees with COW.
_OTHER_RULES = ("dec31", "any", "majority", "01-01", "07-01")


@attrs.frozen
class Difference:
    """One state-year where COW's code and ours differ, with the reason and its detail."""

    state: str
    ccode: int
    year: int
    cow: int
    ours: int
    reason: str
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.state} ({self.ccode}) {self.year}: COW {self.cow}, ours {self.ours}:"
            f" {self.reason}: {self.detail}"
        )


@attrs.frozen
class Reconciliation:
    """Every difference between COW's column ``org`` and our record, over the state-years COW
    has a row for (``compared``), with the COW-compatible coding's agreement (``agreed``: the
    state-years where our record coded COW's way gives COW's code)."""

    org: str
    rule: str
    compared: int
    agreed: int
    differences: tuple[Difference, ...]

    @property
    def by_reason(self) -> dict[str, int]:
        """How many differences each reason accounts for."""
        counts = Counter(difference.reason for difference in self.differences)
        return {reason: counts[reason] for reason in REASONS if counts[reason]}

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    def __len__(self) -> int:
        return len(self.differences)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {reason}" for reason, n in self.by_reason.items()) or "none"
        head = (
            f"{self.org}: {self.compared} state-years compared (rule {self.rule});"
            f" {len(self.differences)} differ ({counts}); coded COW's way, ours agree in"
            f" {self.agreed} of {self.compared}"
        )
        return "\n".join([head, *map(str, self.differences)])

    def to_csv(self) -> str:
        """One row per difference."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("state", "ccode", "year", "cow", "ours", "reason", "detail"))
        for d in self.differences:
            writer.writerow((d.state, d.ccode, d.year, d.cow, d.ours, d.reason, d.detail))
        return buffer.getvalue()

    def to_json(self) -> str:
        """The summary and every difference, as JSON."""
        data = {
            "org": self.org,
            "rule": self.rule,
            "compared": self.compared,
            "agreed": self.agreed,
            "by_reason": self.by_reason,
            "differences": [attrs.asdict(d) for d in self.differences],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)


def _codes(
    ledger: Ledger, years: tuple[int, int], *, rule: str, coding: str
) -> dict[tuple[int, int], dict[str, object]]:
    """The whole-system panel's rows by ``(ccode, year)``, each with its ``code``."""
    variable = code_column(ledger.rules)
    rows = panel_rows(ledger, rule=rule, start=years[0], end=years[1], coding=coding, system=True)
    return {
        (int(str(row["ccode"])), int(str(row["year"]))): {**row, "code": row[variable]}
        for row in rows
    }


def reconcile(
    ledger: Ledger, table: CowStateYear, org: str, *, rule: str = "dec31"
) -> Reconciliation:
    """Compare COW's column ``org`` of ``table`` with ``ledger`` (coded with the year ``rule``)
    in every state-year COW has a row for, from the first year either side codes the
    organisation as existing: our side is the whole-system panel
    (:func:`~sco_membership.export.panel.panel_rows` with ``system=True``).

    >>> import sco_membership as scm
    >>> from sco_membership.io.cow import read_state_year
    >>> table = read_state_year("tests/data/cow/state_year_extract.csv")
    >>> found = reconcile(scm.sco(), table, "sco")
    >>> found.by_reason, found.agreed == found.compared
    ({'convention': 942, 'gap in COW': 44}, True)
    """
    codes = {(c, y): code for c, y, code in table.rows(org)}
    existing = [y for (_, y), code in codes.items() if code != NOT_IN_EXISTENCE]
    ours_first = min(
        (event.date.first_day.year for event in ledger.events if event.organisation),
        default=None,
    )
    first = min([*existing, *([ours_first] if ours_first is not None else [])], default=None)
    if first is None or first > table.last_year:
        return Reconciliation(org, rule, 0, 0, ())
    years = (first, table.last_year)
    library = _codes(ledger, years, rule=rule, coding="library")
    compatible = _codes(ledger, years, rule=rule, coding="cow")
    alternatives = {
        other: _codes(ledger, years, rule=other, coding="library")
        for other in _OTHER_RULES
        if other != rule
    }
    differences = []
    compared = agreed = 0
    for (ccode, year), cow in sorted(codes.items()):
        if year < first:
            continue
        compared += 1
        ours_row = library.get((ccode, year))
        if ours_row is None:  # COW has a row our panel lacks: both follow COW's system
            differences.append(
                Difference(f"COW{ccode}", ccode, year, cow, 0, "unexplained", "no panel row")
            )
            continue
        ours = int(str(ours_row["code"]))
        if int(str(compatible[ccode, year]["code"])) == cow:
            agreed += 1
        if ours == cow:
            continue
        state = str(ours_row["iso3"] or f"COW{ccode}")
        others = [
            other
            for other, alternative in alternatives.items()
            if int(str(alternative[ccode, year]["code"])) == cow
        ]
        if int(str(compatible[ccode, year]["code"])) == cow:
            reason, detail = _convention(ours, cow, ours_row, ledger)
        elif others:
            reason, detail = "year rule", f"rule {others[0]} gives COW's code"
        else:
            reason = "unexplained"
            detail = (
                f"ours {COW_CODES.get(ours, ours)}, COW {COW_CODES[cow]}: check the record's"
                " sources (explain) and COW's"
            )
        differences.append(Difference(state, ccode, year, cow, ours, reason, detail))
    return Reconciliation(org, rule, compared, agreed, tuple(differences))


def _convention(ours: int, cow: int, row: dict[str, object], ledger: Ledger) -> tuple[str, str]:
    if ours == NOT_IN_EXISTENCE:
        name = ledger.rules.organisation
        before = sorted(
            {e.organisation for e in ledger.events if e.organisation and e.organisation != name}
        )
        predecessor = " and ".join(before) or "its predecessor"
        held = f" (a member of the {row['organisation']})" if row.get("organisation") else ""
        return (
            "convention",
            f"COW counts the years of the {predecessor} as the organisation's{held}; the"
            f" library codes -1 (not in existence) before the {name} was founded",
        )
    status = row.get("held") or row.get("status")
    return (
        "gap in COW",
        f"our record holds {status} (code {ours}); COW codes no {status} of this organisation"
        f" (its codebook has the category), and {cow} ({COW_CODES[cow]}) instead",
    )
