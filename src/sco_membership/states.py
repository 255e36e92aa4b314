"""Which state a code or a name means: ISO 3166-1 alpha-3 codes, alpha-2 codes, names, aliases.

The table ships as package data (``data/countries.tsv``, generated from pycountry by
``tools/make_countries.py``) and is read on first use, so importing the library stays light;
the index of names is built only when a name (not a code) is looked up.
"""

from __future__ import annotations

import functools
import os
import unicodedata

import attrs

from .cow import by_ccode
from .exceptions import UnknownStateError

__all__ = ["Country", "alpha3_codes", "country", "resolve"]


@attrs.frozen
class Country:
    """One ISO 3166-1 entry."""

    alpha3: str
    alpha2: str
    name: str
    aliases: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Case, accents, punctuation and spacing do not matter when a name is looked up."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in kept).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


class _Table:
    """Every country by code, and each name, alias and code (folded) to its code. A plain
    slotted class: one attrs class fewer to build at start-up."""

    __slots__ = ("by_code", "by_key")

    def __init__(self, by_code: dict[str, Country], by_key: dict[str, str]) -> None:
        self.by_code = by_code
        self.by_key = by_key


# os.path, not pathlib: pathlib costs ~4 ms of start-up (it imports urllib.parse, ipaddress).
_TSV = os.path.join(os.path.dirname(__file__), "data", "countries.tsv")


def _read_tsv() -> str:
    with open(_TSV, encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def _codes() -> frozenset[str]:
    """The alpha-3 codes alone: all that reading an event log needs, and cheap to build."""
    lines = _read_tsv().splitlines()[1:]
    return frozenset(line.split("\t", 1)[0] for line in lines if line.strip())


def alpha3_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code the library knows.

    >>> "IND" in alpha3_codes(), "XXX" in alpha3_codes()
    (True, False)
    """
    return _codes()


@functools.cache
def _table() -> _Table:
    text = _read_tsv()
    by_code: dict[str, Country] = {}
    by_key: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        alpha3, alpha2, name, aliases = [*line.split("\t"), ""][:4]
        entry = Country(alpha3, alpha2, name, tuple(a for a in aliases.split(";") if a))
        by_code[alpha3] = entry
        for key in (alpha3, alpha2, name, *entry.aliases):
            by_key.setdefault(_fold(key), alpha3)
    return _Table(by_code, by_key)


#: The longest name looked up: the longest ISO 3166-1 name is 52 characters. Longer text is
#: refused at once, without suggestions, so neither the cache nor difflib sees it.
MAX_NAME_LENGTH = 100


def resolve(query: str | int) -> str:
    """The alpha-3 code of a state given by code, by name, or by its Correlates of War number
    (an ``int``, or digits: ``750`` or ``"750"`` is India).

    >>> resolve("IND"), resolve("in"), resolve("Türkiye"), resolve("Turkey"), resolve("Iran")
    ('IND', 'IND', 'TUR', 'TUR', 'IRN')
    >>> resolve(750), resolve("710"), resolve(345)
    ('IND', 'CHN', 'SRB')
    >>> resolve(347)
    Traceback (most recent call last):
    ...
    sco_membership.exceptions.UnknownStateError: 347 is COW's number for Kosovo (KOS), which ...
    >>> resolve("Indai")
    Traceback (most recent call last):
    ...
    sco_membership.exceptions.UnknownStateError: 'Indai' is not ...; did you mean India...?
    """
    if isinstance(query, int) and not isinstance(query, bool):
        return _cow(query)
    if not isinstance(query, str):
        raise UnknownStateError(query)
    if query in _codes():
        return query
    name = query.strip()
    if name.isascii() and name.isdigit() and len(name) <= 4:
        return _cow(int(name), query)
    if len(name) > MAX_NAME_LENGTH:
        raise UnknownStateError(query)
    found = _lookup(name)
    if isinstance(found, str):
        return found
    raise UnknownStateError(query, found)


def _cow(number: int, query: object = None) -> str:
    """The alpha-3 code of the state COW numbers ``number`` (as COW numbers it today)."""
    found = by_ccode(number)
    shown = number if query is None else query
    if found is None:
        raise UnknownStateError(shown, reason="is no COW state number")
    if found.alpha3 is None:
        reason = (
            f"is COW's number for {found.name} ({found.stateabb}), which has no ISO 3166-1 code"
        )
        raise UnknownStateError(shown, reason=reason)
    return found.alpha3


@functools.lru_cache(maxsize=1024)
def _lookup(name: str) -> str | tuple[str, ...]:
    """The code of a name, or the close matches of an unknown one: a result, not an exception,
    so an unknown name is cached too and difflib runs once per distinct name."""
    table = _table()
    key = _fold(name)
    code = table.by_key.get(key)
    if code is not None:
        return code
    import difflib  # lazy: only an unknown name needs suggestions

    close = difflib.get_close_matches(key, table.by_key, n=3, cutoff=0.75)
    return tuple(dict.fromkeys(table.by_code[table.by_key[match]].name for match in close))


def country(code_or_name: str) -> Country:
    """The ISO 3166-1 entry of a state given by code or by name."""
    return _table().by_code[resolve(code_or_name)]
