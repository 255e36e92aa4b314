"""Which status each state held in the Shanghai Cooperation Organisation, on any date.

>>> import sco_membership as scm
>>> scm.sco().status("IND", "2016-06-24").status
<Status.ACCEDING: 'acceding'>
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import exceptions
from .answer import Answer, Change, Roster
from .dates import Duration, PartialDate, Precision
from .exceptions import MembershipError
from .history import History
from .io.jsonl import dump, dumps, load, loads
from .ledger import Ledger
from .model import Event, EventKind, Source, Stage, Standing, Status, Term, Transition
from .organisations import SCO_RULES, brics, sco
from .rules import RuleSet
from .states import Country, country, resolve

if TYPE_CHECKING:
    from .store.sqlite import SQLiteStore

__all__ = [
    "SCO_RULES",
    "Answer",
    "Change",
    "Country",
    "Duration",
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
    "__version__",
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
    # The store imports sqlite3, and the version importlib.metadata: only on first use, so
    # `import sco_membership` stays light.
    if name == "SQLiteStore":
        from .store.sqlite import SQLiteStore

        return SQLiteStore
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("sco-membership")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
