"""Generate ``src/sco_membership/data/cow-states.tsv``: the Correlates of War state list.

The Correlates of War (COW) project numbers every state of its state system (``ccode``) and
gives it a three-letter abbreviation (``stateabb``) that is *not* an ISO code (COW's ``MNG``
is Montenegro, ISO's ``MNG`` is Mongolia). A country-year panel that should merge with COW
data needs both, found from the ISO 3166-1 alpha-3 codes the library uses. This script is the
only way that file should be produced.

Sources:

* ``countrycode`` 0.6.0 (PyPI; the Python port of the R package by Vincent Arel-Bundock, GPL-3):
  its code list holds ``cown`` (ccode), ``cowc`` (stateabb), ``cow.name`` (statenme) and
  ``iso3c``. It is a build-time tool here, never a dependency of the package.
* The COW State System Membership List v2016 (``states2016.csv``, correlatesofwar.org), used to
  cross-check with ``--cow-csv``: every (ccode, stateabb, statenme) must agree. countrycode
  agrees on all 215 states it lists; it lacks two historical states, added below from that list
  (:data:`COW_ONLY`).

``country-converter`` (coco) 1.3.2 was considered: it ships Gleditsch-Ward numbers, not COW ones.

Regenerate with::

    python3 -m venv /tmp/cow && /tmp/cow/bin/pip install countrycode==0.6.0
    /tmp/cow/bin/python tools/make_cow_states.py [--cow-csv states2016.csv]   # rewrite
    /tmp/cow/bin/python tools/make_cow_states.py --check                      # exit 1 if stale

Output: UTF-8, tab-separated, LF line ends; one ``#`` comment line naming the sources, then the
header ``ccode stateabb statenme alpha3`` and one row per COW state (217), sorted by ccode.
``alpha3`` is empty where no ISO 3166-1 code stands for the COW state (historical states,
Kosovo). Checks (the script fails instead of writing a bad table): 217 rows; ccode, stateabb and
non-empty alpha3 unique; stateabb three capital letters; every alpha3 is in ``countries.tsv``.
"""

import argparse
import csv
import sys
from importlib.metadata import version
from pathlib import Path

from generated import write_or_check

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "src" / "sco_membership" / "data"
DEFAULT_OUTPUT = REPO_ROOT / "src" / "sco_membership" / "data" / "cow-states.tsv"
COUNTRIES = DATA / "countries.tsv"
HEADER = ("ccode", "stateabb", "statenme", "alpha3")
EXPECTED_ROWS = 217
COW_VERSION = "COW State System Membership List v2016"

# COW states that countrycode 0.6.0 does not list, as the COW v2016 list gives them. Neither
# has an ISO 3166-1 code: both ceased to exist before ISO 3166 (1974) or merged (1990).
COW_ONLY: dict[int, tuple[str, str]] = {
    260: ("GFR", "German Federal Republic"),
    730: ("KOR", "Korea"),
}

# countrycode's ISO crosswalk where this table departs from it, with the reason. A COW state
# gets an alpha-3 only if the ISO entity *is* that state; otherwise a panel row for the ISO
# state would carry a COW number COW never gave it.
ISO_OVERRIDES: dict[int, str | None] = {
    # The Papal States (COW 327, 1816-1860) are not the Vatican City State (1929-); COW does
    # not count the Vatican as a system member.
    327: None,
    # COW's Yugoslavia (345 "YUG", 1944-) is the state that became Serbia and Montenegro, then
    # Serbia: COW keeps 345 through 2016 for Serbia (Montenegro is 341 from 2006, Kosovo 347).
    # Without this, Serbia (ISO SRB) would get no COW number at all.
    345: "SRB",
}


def from_countrycode() -> dict[int, tuple[str, str, str]]:
    """``ccode -> (stateabb, statenme, alpha3 or "")`` from countrycode's code list."""
    from countrycode.countrycode import prepare_codelist

    codes = prepare_codelist()
    rows: dict[int, tuple[str, str, str]] = {}
    for ccode, abb, name, iso in zip(
        codes["cown"], codes["cowc"], codes["cow.name"], codes["iso3c"], strict=True
    ):
        if ccode is None:
            continue
        if ccode in rows:
            raise SystemExit(f"countrycode lists COW {ccode} twice")
        rows[int(ccode)] = (abb, name, iso or "")
    return rows


def build_rows(listed: dict[int, tuple[str, str, str]]) -> list[tuple[int, str, str, str]]:
    """Return ``(ccode, stateabb, statenme, alpha3)`` rows sorted by ccode."""
    merged = dict(listed)
    for ccode, (abb, name) in COW_ONLY.items():
        merged.setdefault(ccode, (abb, name, ""))
    rows = []
    for ccode, (abb, name, iso) in sorted(merged.items()):
        if ccode in ISO_OVERRIDES:
            iso = ISO_OVERRIDES[ccode] or ""
        rows.append((ccode, abb, name, iso))
    return rows


def read_cow_csv(path: Path) -> dict[int, tuple[str, str]]:
    """``ccode -> (stateabb, statenme)`` from a COW state list CSV (any letter case in the
    header; a state with several spells of system membership appears once)."""
    found: dict[int, tuple[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            row = {
                key.strip().lower(): (value or "").strip() for key, value in record.items() if key
            }
            if not row.get("ccode"):
                continue
            ccode = int(row["ccode"])
            entry = (row["stateabb"], row["statenme"])
            if found.setdefault(ccode, entry) != entry:
                raise SystemExit(f"{path}: COW {ccode} has two names: {found[ccode]}, {entry}")
    return found


def validate(rows: list[tuple[int, str, str, str]], cow: dict[int, tuple[str, str]] | None):
    """Return a message for every rule the table breaks (see the module docstring)."""
    errors: list[str] = []
    if len(rows) != EXPECTED_ROWS:
        errors.append(f"expected {EXPECTED_ROWS} rows, got {len(rows)}")
    iso_codes = {
        line.split("\t", 1)[0]
        for line in COUNTRIES.read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    }
    for column, label in ((0, "ccode"), (1, "stateabb"), (3, "alpha3")):
        seen: set[object] = set()
        for row in rows:
            value = row[column]
            if value in seen and value != "":
                errors.append(f"{label} {value} appears twice")
            seen.add(value)
    for ccode, abb, name, iso in rows:
        if len(abb) != 3 or not abb.isalpha() or not abb.isupper():
            errors.append(f"COW {ccode}: malformed stateabb {abb!r}")
        if iso and iso not in iso_codes:
            errors.append(f"COW {ccode}: {iso} is not in countries.tsv")
        if not name or any(ch in name for ch in "\t\n\r"):
            errors.append(f"COW {ccode}: bad name {name!r}")
    if cow is not None:
        ours = {ccode: (abb, name) for ccode, abb, name, _ in rows}
        for ccode in sorted(set(ours) | set(cow)):
            if ours.get(ccode) != cow.get(ccode):
                errors.append(f"COW {ccode}: table {ours.get(ccode)} != COW list {cow.get(ccode)}")
    return errors


def render(rows: list[tuple[int, str, str, str]]) -> str:
    """Return the TSV text: the comment line, the header, then the rows."""
    comment = (
        f"# {COW_VERSION}; ISO 3166-1 crosswalk from countrycode {version('countrycode')};"
        " generated by tools/make_cow_states.py, do not edit"
    )
    lines = [comment, "\t".join(HEADER)]
    lines += ["\t".join((str(ccode), abb, name, iso)) for ccode, abb, name, iso in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="TSV to write")
    parser.add_argument("--cow-csv", type=Path, help="a COW state list CSV to cross-check with")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is stale"
    )
    args = parser.parse_args(argv)

    try:
        listed = from_countrycode()
    except ImportError:
        print(
            "countrycode is needed: pip install countrycode==0.6.0 (scratch venv)", file=sys.stderr
        )
        return 2
    rows = build_rows(listed)
    errors = validate(rows, None if args.cow_csv is None else read_cow_csv(args.cow_csv))
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1

    return write_or_check(
        args.output,
        render(rows),
        check=args.check,
        command="tools/make_cow_states.py",
        summary=f"{len(rows)} rows from countrycode {version('countrycode')}",
    )


if __name__ == "__main__":
    sys.exit(main())
