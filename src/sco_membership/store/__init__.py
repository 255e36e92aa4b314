"""Event stores: a ledger's log kept in a database, appended to by many writers at once.

:class:`SQLiteStore` (stdlib ``sqlite3``) is the embedded default.
"""

from .sqlite import SQLiteStore

__all__ = ["SQLiteStore"]
