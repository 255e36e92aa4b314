"""Generate ``src/sco_membership/data/countries.tsv`` from pycountry.

The library ships the ISO 3166-1 country table as package data so that it can resolve a
state given by alpha-3 code, alpha-2 code or English name/alias without depending on
pycountry at run time. This script is the only way that file should be produced.

pycountry is a build-time tool here, never a dependency of the package. Regenerate with::

    python3 -m venv /tmp/pyc && /tmp/pyc/bin/pip install pycountry
    /tmp/pyc/bin/python tools/make_countries.py            # rewrite the table
    /tmp/pyc/bin/python tools/make_countries.py --check    # exit 1 if it is stale

Output: UTF-8 (NFC), tab-separated, LF line ends, header ``alpha3 alpha2 name aliases``,
one row per ISO 3166-1 entry, sorted by alpha3. ``aliases`` is ``;``-separated.

Columns:

* ``name``: the common English short name. ``NAME_OVERRIDES`` if listed, else pycountry's
  ``common_name`` if it has one, else the ISO short name (pycountry's ``name``).
* ``aliases``: every other spelling that must resolve to the same state, in this order:
  the ISO short name, pycountry's ``common_name`` and ``official_name`` (a leading
  lower-case "the " dropped), then the hand-written ``EXTRA_ALIASES`` below. Names with
  accented letters also get their plain-ASCII spelling (Türkiye -> Turkiye), so a
  resolver that only case-folds still matches them. Entries equal to the name, or to an
  earlier alias, ignoring case, are dropped.

Checks (the script fails instead of writing a bad table): 249 rows; alpha-3 and alpha-2
unique; no field contains a tab, newline or ``;``; every pycountry name (including the
inverted ISO forms such as "Korea, Republic of") is kept; and no name or alias maps to
two states, nor equals another state's code, once compared by ``fold``: NFKD, combining
marks dropped, case-folded, punctuation and a leading "the" ignored.
"""

import argparse
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

from generated import write_or_check

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "src" / "sco_membership" / "data" / "countries.tsv"
HEADER = ("alpha3", "alpha2", "name", "aliases")
EXPECTED_ROWS = 249

# Display name where neither pycountry's ``common_name`` nor its ISO short name is the name
# people use. The replaced ISO name stays an alias.
NAME_OVERRIDES: dict[str, str] = {
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "MAF": "Saint Martin",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SXM": "Sint Maarten",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
}

# Other names that must resolve, beyond what pycountry has. Policy: common English short
# names, un-inverted forms of the ISO "X, Y of" names, well-known abbreviations, and
# former names still in everyday use (Burma, Swaziland, Macedonia, Turkey...). Never a
# name that could fairly mean two states ("Korea", "Virgin Islands"): the caller must say
# which. Repeating a pycountry name here is harmless (duplicates are dropped) and records
# that it must keep resolving if pycountry changes.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE", "Emirates"),
    "BES": ("Caribbean Netherlands",),
    "BHS": ("The Bahamas",),
    "BLR": ("Belorussia", "Byelorussia"),
    "BOL": ("Bolivia",),
    "BRN": ("Nation of Brunei",),
    "CCK": ("Cocos Islands", "Keeling Islands"),
    "CHN": ("PRC",),
    "CIV": ("Ivory Coast",),
    "COD": (
        "DR Congo",
        "DRC",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Democratic Republic of Congo",
        "Congo, Democratic Republic of the",
    ),
    "COG": (
        "Congo Republic",
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Republic of Congo",
        "Congo, Republic of the",
    ),
    "CPV": ("Cape Verde",),
    "CZE": ("Czechia", "Czech Republic"),
    "FSM": ("Federated States of Micronesia",),
    "GBR": ("UK", "U.K.", "Great Britain", "Britain"),
    "GMB": ("The Gambia",),
    "IND": ("Bharat",),
    "IRN": ("Iran", "Islamic Republic of Iran"),
    "KGZ": ("Kyrgyz Republic",),
    "KOR": ("Republic of Korea", "ROK"),
    "LAO": ("Laos", "Lao PDR", "Lao People's Democratic Republic"),
    "MAC": ("Macau",),
    "MDA": ("Moldova", "Republic of Moldova"),
    "MKD": (
        "Macedonia",
        "Republic of North Macedonia",
        "The former Yugoslav Republic of Macedonia",
        "FYROM",
    ),
    "MMR": ("Burma", "Republic of the Union of Myanmar"),
    "NLD": ("The Netherlands", "Holland"),
    "PCN": ("Pitcairn Islands",),
    "PRK": ("North Korea", "DPRK", "Democratic People's Republic of Korea"),
    "PSE": ("State of Palestine",),
    "RUS": ("Russia", "Russian Federation"),
    "SHN": ("Saint Helena",),
    "STP": ("São Tomé and Príncipe",),
    "SWZ": ("Swaziland", "Kingdom of Eswatini"),
    "SYR": ("Syria", "Syrian Arab Republic"),
    "TLS": ("East Timor",),
    "TUR": ("Turkey", "Türkiye", "Turkiye", "Republic of Turkey"),
    "TWN": ("Taiwan",),
    "TZA": ("Tanzania", "United Republic of Tanzania"),
    "UMI": ("U.S. Minor Outlying Islands",),
    "USA": ("USA", "US", "U.S.", "U.S.A.", "United States of America"),
    "VAT": ("Vatican", "Holy See", "Vatican City State"),
    "VEN": ("Venezuela", "Bolivarian Republic of Venezuela"),
    "VIR": ("US Virgin Islands", "United States Virgin Islands"),
    "VNM": ("Vietnam", "Viet Nam"),
}


def fold(text: str) -> str:
    """Comparison key: NFKD, combining marks dropped, case-folded, punctuation as spaces.

    A leading "the" is dropped too. This is at least as strict as the key the library's
    resolver uses, so a table with no collision here has none there either.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in stripped).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def ascii_spelling(text: str) -> str:
    """Return the name with accents removed (Côte d'Ivoire -> Cote d'Ivoire)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def clean(text: str) -> str:
    """Return ``text`` in NFC with white space collapsed and a leading "the " dropped."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    # iso-codes writes a few official names as "the State of ...".
    if text.startswith("the "):
        text = text[4:]
    return text


def build_rows(countries) -> list[tuple[str, str, str, list[str]]]:
    """Return ``(alpha3, alpha2, name, aliases)`` rows sorted by alpha3."""
    rows = []
    for country in countries:
        alpha3 = country.alpha_3
        iso_name = clean(country.name)
        common = clean(getattr(country, "common_name", "") or "")
        official = clean(getattr(country, "official_name", "") or "")
        name = NAME_OVERRIDES.get(alpha3) or common or iso_name

        candidates = [iso_name, common, official, *EXTRA_ALIASES.get(alpha3, ())]
        seen = {name.casefold()}
        aliases: list[str] = []
        for candidate in map(clean, candidates):
            for spelling in (candidate, ascii_spelling(candidate)):
                if spelling and spelling.casefold() not in seen:
                    seen.add(spelling.casefold())
                    aliases.append(spelling)
        if ascii_spelling(name) != name and ascii_spelling(name).casefold() not in seen:
            aliases.insert(0, ascii_spelling(name))
        rows.append((alpha3, country.alpha_2, name, aliases))
    rows.sort(key=lambda row: row[0])
    return rows


def validate(rows, countries) -> list[str]:
    """Return a message for every rule the table breaks (see the module docstring)."""
    errors: list[str] = []
    if len(rows) != EXPECTED_ROWS:
        errors.append(f"expected {EXPECTED_ROWS} rows, got {len(rows)}")

    codes: dict[str, str] = {}
    for alpha3, alpha2, _, _ in rows:
        for code in (alpha3, alpha2):
            if code in codes:
                errors.append(f"code {code} used by {codes[code]} and {alpha3}")
            codes[code] = alpha3
        if len(alpha3) != 3 or len(alpha2) != 2 or not (alpha3 + alpha2).isalpha():
            errors.append(f"malformed code {alpha3}/{alpha2}")

    known = {alpha3 for alpha3, _, _, _ in rows}
    for table in (NAME_OVERRIDES, EXTRA_ALIASES):
        for alpha3 in sorted(set(table) - known):
            errors.append(f"hand-written entry for unknown code {alpha3}")

    owner: dict[str, str] = {}
    for alpha3, _, name, aliases in rows:
        for field in (name, *aliases):
            if not field or any(ch in field for ch in "\t\n\r;"):
                errors.append(f"{alpha3}: bad name or alias {field!r}")
            key = fold(field)
            if owner.setdefault(key, alpha3) != alpha3:
                errors.append(f"{field!r} resolves to both {owner[key]} and {alpha3}")
            code_owner = codes.get(key.upper())
            if code_owner is not None and code_owner != alpha3:
                errors.append(f"{alpha3}: alias {field!r} is the code of {code_owner}")

    by_code = {alpha3: {name, *aliases} for alpha3, _, name, aliases in rows}
    for country in countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and clean(value) not in by_code[country.alpha_3]:
                errors.append(f"{country.alpha_3}: pycountry {attr} {value!r} is missing")
    return errors


def render(rows) -> str:
    """Return the TSV text, header first."""
    lines = ["\t".join(HEADER)]
    for alpha3, alpha2, name, aliases in rows:
        lines.append("\t".join((alpha3, alpha2, name, ";".join(aliases))))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="TSV to write")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is stale"
    )
    args = parser.parse_args(argv)

    try:
        import pycountry
    except ImportError:
        print("pycountry is needed: pip install pycountry (in a scratch venv)", file=sys.stderr)
        return 2
    countries = list(pycountry.countries)
    rows = build_rows(countries)
    errors = validate(rows, countries)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1

    return write_or_check(
        args.output,
        render(rows),
        check=args.check,
        command="tools/make_countries.py",
        summary=f"{len(rows)} rows from pycountry {version('pycountry')}",
    )


if __name__ == "__main__":
    sys.exit(main())
