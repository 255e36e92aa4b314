"""The SCO's real history, shipped with the library and loaded once on first use."""

from __future__ import annotations

import functools
from pathlib import Path

from .codec import loads
from .ledger import Ledger
from .rules import SCO

__all__ = ["sco"]

_LOG = "data/sco.jsonl"


@functools.cache
def sco() -> Ledger:
    """The embedded SCO ledger, validated on first call and shared afterwards.

    >>> sorted(sco().members("2017-06-10"))
    ['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
    """
    text = (Path(__file__).parent / _LOG).read_text("utf-8")
    return loads(text, rules=SCO, name=f"sco_membership/{_LOG}")
