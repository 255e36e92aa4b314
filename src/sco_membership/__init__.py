"""Which status each state held in the Shanghai Cooperation Organisation, on any date.

>>> import sco_membership as scm
>>> scm.sco().status("IND", "2016-06-24").status
<Status.ACCEDING: 'acceding'>
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import exceptions
from .answer import Answer, Change, Roster
from .codec import dump, dumps, load, loads
from .dates import PartialDate, Precision
from .embedded import brics, sco
from .exceptions import MembershipError
from .history import History
from .ledger import Ledger
from .model import Event, EventKind, Source, Stage, Standing, Status, Term, Transition
from .rules import SCO, RuleSet
from .states import Country, country, resolve

if TYPE_CHECKING:
    from .store import SQLiteStore

__all__ = [
    "SCO",
    "Answer",
    "Change",
    "Country",
    "Event",
    "EventKind",
    "History",
    "Ledger",
    "MembershipError",
    "PartialDate",
    "Precision",
    "Roster",
    "RuleSet",
    "SQLiteStore",
    "Source",
    "Stage",
    "Standing",
    "Status",
    "Term",
    "Transition",
    "brics",
    "country",
    "dump",
    "dumps",
    "exceptions",
    "load",
    "loads",
    "resolve",
    "sco",
]


def __getattr__(name: str) -> object:
    # The store imports sqlite3: only on first use, so `import sco_membership` stays light.
    if name == "SQLiteStore":
        from .store import SQLiteStore

        return SQLiteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
