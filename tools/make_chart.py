"""Draw the embedded SCO data set into ``docs/img/sco-timeline.png`` and ``.svg``.

Run from anywhere after changing the data or the chart (needs the ``plot`` extra)::

    python tools/make_chart.py                 # rewrite docs/img/sco-timeline.{png,svg}
    python tools/make_chart.py --out-dir DIR   # write them elsewhere

The time axis ends on 31 December of the last event's year, never "today", and the SVG's
element ids are salted with a fixed string and carry no date, so the same log and the same
matplotlib give the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

import sco_membership as scm
from sco_membership.export import chart

REPO_ROOT = Path(__file__).resolve().parent.parent
IMAGES = REPO_ROOT / "docs" / "img"
NAME = "sco-timeline"
# The SVG is kept only below this size: a page should not load a heavy picture.
SVG_LIMIT = 1_000_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=IMAGES, help="where to write the files")
    args = parser.parse_args(argv)
    # A script owns the process: setting matplotlib's global options here is safe.
    matplotlib.rcParams["svg.hashsalt"] = "sco-membership"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    ledger = scm.sco()
    for suffix in (".png", ".svg"):
        path = chart.save(ledger, args.out_dir / f"{NAME}{suffix}")
        size = path.stat().st_size
        if suffix == ".svg" and size > SVG_LIMIT:
            path.unlink()
            print(f"left out {path.name}: {size:,} bytes is more than {SVG_LIMIT:,}")
            continue
        print(f"wrote {path} ({size:,} bytes)")


if __name__ == "__main__":
    main()
