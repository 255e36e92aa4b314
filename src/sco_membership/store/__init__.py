"""Event stores: a ledger's log kept in a database, appended to by many writers at once.

:class:`SQLiteStore` (stdlib ``sqlite3``) is the embedded default; :class:`PostgresStore`
keeps the log in a PostgreSQL server that a team shares (the ``[postgres]`` extra). Both hold
the same contract. ``PostgresStore`` is imported on first use, so importing this package never
imports psycopg.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore

__all__ = ["PostgresStore", "SQLiteStore"]


def __getattr__(name: str) -> object:
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
