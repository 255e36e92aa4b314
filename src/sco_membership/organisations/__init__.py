"""The organisations that ship with the library, each with its rule set, profile and data.

:func:`sco` is the SCO's real history (1996 to today), :func:`brics` the BRICS's, a second
organisation under rules of its own. Each ledger is read, validated and folded once, on first
use, and shared afterwards (between threads too: see "Threads" in docs/semantics.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import threading

import attrs

from ..io.jsonl import loads
from ..ledger import Ledger
from ..profiles import Profile, register
from ..rules import RuleSet
from .sco import PROFILE, SCO_RULES

__all__ = ["SCO_RULES", "DataRelease", "brics", "sco", "sco_release"]

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


@attrs.frozen
class DataRelease:
    """One release of an embedded data set: what to cite beside an answer.

    ``version`` names the release (a date, ``YYYY.MM.DD``); ``complete_through`` is the last
    day the record was checked against its sources, after which an answer may miss events
    (it is the ledger's :attr:`~sco_membership.ledger.Ledger.horizon`); ``fingerprint`` is the
    SHA-256 of the released log (:meth:`~sco_membership.ledger.Ledger.fingerprint`), so a
    changed log without a new release is caught; ``licence`` is the data's, apart from the
    code's (MIT).
    """

    name: str
    version: str
    complete_through: dt.date
    licence: str
    fingerprint: str

    def __str__(self) -> str:
        return (
            f"{self.name} {self.version}, complete through {self.complete_through.isoformat()},"
            f" {self.licence}, sha256:{self.fingerprint[:12]}"
        )


def sco_release() -> DataRelease:
    """The release of the embedded SCO data set (``data/sco.release.json``).

    >>> print(sco_release().licence)
    CC-BY-4.0
    """
    found = json.loads(_read("sco.release.json"))
    found["complete_through"] = dt.date.fromisoformat(found["complete_through"])
    return DataRelease(**found)


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
