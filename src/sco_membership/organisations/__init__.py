"""The organisations that ship with the library, each with its rule set, profile and data.

:func:`sco` is the SCO's real history (1996 to today), :func:`brics` the BRICS's, a second
organisation under rules of its own. Each ledger is read, validated and folded once, on first
use, and shared afterwards (between threads too: see "Threads" in docs/semantics.md).
"""

from __future__ import annotations

import functools
import os
import threading

from ..io.jsonl import loads
from ..ledger import Ledger
from ..profiles import Profile, register
from ..rules import RuleSet
from .sco import PROFILE, SCO_RULES

__all__ = ["SCO_RULES", "brics", "sco"]

# os.path, not pathlib: pathlib costs ~4 ms of start-up (it imports urllib.parse, ipaddress).
_DATA = os.path.join(os.path.dirname(__file__), "data")
# One load at a time: two threads asking first both get the one ledger (functools.cache alone
# would let both load, and hand out two).
_loading = threading.Lock()

register(PROFILE, default=True)


def _read(name: str) -> str:
    with open(os.path.join(_DATA, name), encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def _sco() -> Ledger:
    return loads(
        _read("sco.jsonl"), rules=SCO_RULES, name="sco_membership/organisations/data/sco.jsonl"
    )


def sco() -> Ledger:
    """The embedded SCO ledger, validated on first call and shared afterwards.

    >>> sorted(sco().members("2017-06-10"))
    ['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
    """
    with _loading:
        return _sco()


@functools.cache
def _brics() -> Ledger:
    rules = RuleSet.load(os.path.join(_DATA, "brics.toml"))
    # The BRICS's statuses keep the SCO's colours where they share one (member, partner).
    register(Profile(rules, colours=PROFILE.colours, summit=PROFILE.summit))
    name = "sco_membership/organisations/data/brics.jsonl"
    return loads(_read("brics.jsonl"), rules=rules, name=name)


def brics() -> Ledger:
    """The embedded BRICS ledger under its own rule set (``data/brics.toml``), loaded once.

    It shows the engine is not tied to the SCO: its statuses, stages and kinds are the BRICS's.

    >>> sorted(brics().members("2010-01-01"))
    ['BRA', 'CHN', 'IND', 'RUS']
    >>> brics().rules.name
    'BRICS'
    """
    with _loading:
        return _brics()
