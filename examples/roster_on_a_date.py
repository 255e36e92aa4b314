"""Who held which SCO status on a given day.

python examples/roster_on_a_date.py 2016-04-07
python examples/roster_on_a_date.py "1 September 2025"
"""

from __future__ import annotations

import sys

import sco_membership as scm


def main(day: str) -> None:
    sco = scm.sco()
    roster = sco.roster(day)
    print(f"SCO roster on {roster.on:%d %B %Y}")
    for status, codes in roster.items():
        names = ", ".join(sorted(scm.country(code).name for code in codes))
        print(f"  {status.label} ({len(codes)}): {names}")
    for code, statuses in sorted(roster.uncertain.items()):
        options = " or ".join(sorted(status.label for status in statuses))
        print(f"  uncertain: {scm.country(code).name} ({options}; the source gives no day)")


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "2016-04-07")
    except scm.MembershipError as error:  # a day that cannot be read: one line, no traceback
        print(f"roster_on_a_date.py: error: {error}", file=sys.stderr)
        sys.exit(2)
