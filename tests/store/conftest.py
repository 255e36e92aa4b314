"""The stores under test: a throwaway PostgreSQL server, and one fixture for both stores.

The server is a real one (``pgserver`` ships PostgreSQL as a wheel), started once per test
session in a temporary folder and deleted at the end. Run as root, pgserver runs the server as
a system user of its own (``pgserver``, made with ``useradd`` if missing), since PostgreSQL
refuses to run as root. Each test gets a database of its own.

``backend`` is parametrised over ``sqlite`` and ``postgres``: a test written against it runs
once against each store, through :class:`Backend` (how to open a store, where, and how to look
inside or tamper with its tables).
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sqlite3
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sco_membership.store import SQLiteStore

_numbers = itertools.count(1)


class Server:
    """A running PostgreSQL server: its address, and new databases in it."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def uri(self, database: str = "postgres") -> str:
        return str(self.handle.get_uri(database))

    def database(self) -> str:
        """The address of a new, empty database."""
        import psycopg

        name = f"t{next(_numbers)}"
        with psycopg.connect(self.uri(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.uri(name)


@contextlib.contextmanager
def postgres_server() -> Iterator[Server]:
    """Start a throwaway server in a temporary folder; stop it and delete the folder after."""
    pytest.importorskip("psycopg", reason="the [postgres] extra is not installed")
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is not set (it falls back to /tmp).
        warnings.simplefilter("ignore")
        pgserver = pytest.importorskip("pgserver", reason="pgserver is not installed")
    folder = Path(tempfile.mkdtemp(prefix="sco-pg-"))
    handle = pgserver.get_server(folder / "data", cleanup_mode="delete")
    try:
        yield Server(handle)
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with postgres_server() as running:
        yield running


class Backend:
    """One kind of store, at one place: a file of its own, or a database of its own."""

    def __init__(self, name: str, where: str, server: Server | None = None) -> None:
        self.name = name
        self.where = where
        self.server = server

    @property
    def kind(self) -> type[Any]:
        if self.name == "sqlite":
            return SQLiteStore
        from sco_membership.store import PostgresStore

        return PostgresStore

    def open(self, **options: Any) -> Any:
        return self.kind(self.where, **options)

    def from_ledger(self, ledger: Any, **options: Any) -> Any:
        return self.kind.from_ledger(self.where, ledger, **options)

    def fresh(self) -> Backend:
        """The same kind of store at a new, empty place."""
        if self.name == "sqlite":
            return Backend("sqlite", str(Path(self.where).parent / f"fresh{next(_numbers)}.db"))
        assert self.server is not None
        return Backend("postgres", self.server.database(), self.server)

    def reset(self) -> None:
        """Empty the place again (a new store may be made there)."""
        if self.name == "sqlite":
            Path(self.where).unlink(missing_ok=True)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(self.where + suffix).unlink(missing_ok=True)
        else:
            self.execute("DROP SCHEMA IF EXISTS sco_membership CASCADE")

    def execute(self, statement: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run SQL on the database directly (to look inside or tamper with it). ``{events}``,
        ``{streams}`` name the store's tables; ``?`` is a parameter."""
        if self.name == "sqlite":
            text = statement.format(events="events", streams="streams")
            with contextlib.closing(sqlite3.connect(self.where, isolation_level=None)) as con:
                return con.execute(text, parameters).fetchall()
        import psycopg

        text = statement.format(events="sco_membership.events", streams="sco_membership.streams")
        with psycopg.connect(self.where, autocommit=True) as connection:
            cursor = connection.execute(text.replace("?", "%s"), parameters or None)
            return cursor.fetchall() if cursor.description else []

    def snapshot(self) -> object:
        """Everything in the database, to compare before and after a refusal."""
        if self.name == "sqlite":
            return Path(self.where).read_bytes()
        return self.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2"
        )


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", str(tmp_path / "events.db"))
    server: Server = request.getfixturevalue("server")
    return Backend("postgres", server.database(), server)
