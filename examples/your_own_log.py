"""Build, validate and save your own event log; see what an illegal event looks like."""

from __future__ import annotations

import tempfile
from pathlib import Path

import sco_membership as scm

RECORDS = [
    {
        "state": "TKM",
        "kind": "dialogue_partner_decision",
        "date": "2030-06",
        "sources": [{"title": "A hypothetical summit"}],
    },
    {"state": "TKM", "kind": "dialogue_partner_memorandum", "date": "2031-03-02"},
]


def main() -> None:
    ledger = scm.Ledger.from_records(RECORDS)
    for day in ("2030-05-31", "2030-06-15", "2030-07-01", "2031-03-02"):
        print(day, ledger.status("Turkmenistan", day).describe())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        scm.dump(ledger, path)
        assert scm.load(path) == ledger
        print(f"saved and re-read {len(ledger.events)} events")
    try:
        scm.Ledger.from_records(
            [*RECORDS, {"state": "TKM", "kind": "membership_granted", "date": "2032"}]
        )
    except scm.MembershipError as error:
        print(f"refused: {error}")


if __name__ == "__main__":
    main()
