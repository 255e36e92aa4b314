"""Draw every state's SCO status over time as a chart (needs the ``plot`` extra).

pip install "sco-membership[plot]"

python examples/timeline_chart.py sco.png      # or sco.svg
python examples/timeline_chart.py              # writes into a new temporary directory

The second form is what CI runs: with no argument nothing is written into the working tree.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import sco_membership as scm
from sco_membership.export import chart


def main(out: Path) -> None:
    ledger = scm.sco()
    path = chart.save(ledger, out)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    # The same chart, only for the states that joined as full members after the founding.
    since = chart.save(
        ledger,
        out.with_name(f"{out.stem}-enlargement{out.suffix}"),
        states=["India", "Pakistan", "Iran", "Belarus"],
        start="2005-01-01",
        title="From observer to member: the SCO's enlargement",
    )
    print(f"wrote {since} ({since.stat().st_size:,} bytes)")


if __name__ == "__main__":
    try:
        if len(sys.argv) > 1:
            main(Path(sys.argv[1]))
        else:
            main(Path(tempfile.mkdtemp(prefix="sco-chart-")) / "sco-timeline.png")
    except scm.MembershipError as error:  # a bad file name, a missing folder, no matplotlib
        print(f"timeline_chart.py: error: {error}", file=sys.stderr)
        sys.exit(2)
