"""A country-year panel of SCO membership, ready to merge with Correlates of War data.

python examples/country_year_panel.py                 # rule dec31, printed as a summary
python examples/country_year_panel.py majority        # another year rule: any, majority, MM-DD

Prints how many states held each COW code in each year since the SCO's founding, and how the
chosen rule changes the code of states whose status changed in mid-year.
"""

from __future__ import annotations

import sys
from collections import Counter

import sco_membership as scm
from sco_membership.export.panel import panel_rows


def main(rule: str) -> None:
    ledger = scm.sco()
    rows = panel_rows(ledger, rule=rule, start=2001)
    print(f"COW code of the SCO per year (rule {rule}): members (1), observers (3), others (0)")
    by_year: dict[int, Counter[int]] = {}
    for row in rows:
        by_year.setdefault(int(str(row["year"])), Counter())[int(str(row["SCO_scm"]))] += 1
    for year, codes in sorted(by_year.items()):
        print(f"{year}  1: {codes[1]:2}  3: {codes[3]:2}  0: {codes[0]:2}")
    dec31 = {(r["iso3"], r["year"]): r["SCO_scm"] for r in panel_rows(ledger, start=2001)}
    differ = [row for row in rows if dec31[(row["iso3"], row["year"])] != row["SCO_scm"]]
    print(f"state-years whose code differs from rule dec31: {len(differ)}")
    for row in differ:
        code = row["SCO_scm"]
        print(f"  {row['iso3']} {row['year']}: {code} ({row['status']}, {row['days']} days)")


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "dec31")
    except scm.MembershipError as error:  # a rule that is not one: one line, no traceback
        print(f"country_year_panel.py: error: {error}", file=sys.stderr)
        sys.exit(2)
