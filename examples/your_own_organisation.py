"""Model another organisation: load its rule set from a file, then its event log, and ask.

The Example Union is fictional; its rules are in ``example_union.toml`` and its history in
``example_union.jsonl``, next to this script (see docs/organisations.md).
"""

from __future__ import annotations

from pathlib import Path

import sco_membership as scm

HERE = Path(__file__).parent


def main() -> None:
    rules = scm.RuleSet.load(HERE / "example_union.toml")  # checked on load
    print(f"{rules.organisation}: statuses {', '.join(s.label for s in rules.statuses)}")
    ledger = scm.load(HERE / "example_union.jsonl", rules=rules)
    for day in ("2019-01-01", "2020-06-15", "2020-12-31", "2021-06-01"):
        print(day, ledger.status("Norway", day).describe())
    print("members on 2021-06-01:", ", ".join(sorted(ledger.members("2021-06-01"))))
    try:
        scm.Ledger.from_records(
            [{"state": "NOR", "kind": "accession", "date": "2020-01-01"}], rules=rules
        )
    except scm.MembershipError as error:
        print(f"refused: {error}")


if __name__ == "__main__":
    main()
