"""The shipped data sets: the SCO's real history and, as a second organisation, the BRICS.

Each is read, validated and folded once, on first use, and shared afterwards.
"""

from __future__ import annotations

import functools
import os

from .codec import loads
from .ledger import Ledger
from .rules import SCO, RuleSet

__all__ = ["brics", "sco"]

# os.path, not pathlib: pathlib costs ~4 ms of start-up (it imports urllib.parse, ipaddress).
_DATA = os.path.join(os.path.dirname(__file__), "data")


def _read(name: str) -> str:
    with open(os.path.join(_DATA, name), encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def sco() -> Ledger:
    """The embedded SCO ledger, validated on first call and shared afterwards.

    >>> sorted(sco().members("2017-06-10"))
    ['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
    """
    text = _read("sco.jsonl")
    return loads(text, rules=SCO, name="sco_membership/data/sco.jsonl")


@functools.cache
def brics() -> Ledger:
    """The embedded BRICS ledger under its own rule set (``data/brics.toml``), loaded once.

    It shows the engine is not tied to the SCO: its statuses, stages and kinds are the BRICS's.

    >>> sorted(brics().members("2010-01-01"))
    ['BRA', 'CHN', 'IND', 'RUS']
    >>> brics().rules.name
    'BRICS'
    """
    rules = RuleSet.load(os.path.join(_DATA, "brics.toml"))
    text = _read("brics.jsonl")
    return loads(text, rules=rules, name="sco_membership/data/brics.jsonl")
