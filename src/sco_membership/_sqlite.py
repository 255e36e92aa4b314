"""SQLite plumbing for the event store: the schema, locking, and sqlite3's result codes.

Kept apart from :mod:`sco_membership.store` so that the store reads as what it guarantees;
nothing here knows about events.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator

from .exceptions import ConcurrencyError

__all__ = [
    "APPLICATION_ID",
    "BUSY",
    "MAGIC",
    "SCHEMA",
    "SCHEMA_VERSION",
    "STAMP",
    "SYSTEM",
    "TABLES",
    "blank",
    "code",
    "conflict",
    "log_position",
    "patiently",
    "state_position",
    "transaction",
]

#: ``PRAGMA application_id`` of every store: the bytes ``SCOm``, so a file says what it is.
APPLICATION_ID = 0x53434F6D
#: ``PRAGMA user_version``: the schema this module writes, and the newest it reads.
SCHEMA_VERSION = 1

# PRAGMA takes no parameters: these two carry the constants above, written out.
STAMP = ("PRAGMA application_id = 1396920173", "PRAGMA user_version = 1")
SCHEMA = (
    # One row per record; ``position`` is its place in the whole log, from 1, with no gaps.
    """CREATE TABLE events (
        position INTEGER PRIMARY KEY CHECK (position >= 1),
        record TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT,  -- NULL for an amendment (a correction or a retraction): it has no date
        first_day TEXT,
        last_day TEXT
    )""",
    # One row per state a record names; ``position`` is its place in that state's stream.
    """CREATE TABLE streams (
        state TEXT NOT NULL,
        position INTEGER NOT NULL CHECK (position >= 1),
        event INTEGER NOT NULL REFERENCES events (position),
        PRIMARY KEY (state, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX streams_by_event ON streams (event)",
    "CREATE INDEX events_by_kind ON events (kind)",
    "CREATE INDEX events_by_day ON events (first_day, last_day)",
)
TABLES = frozenset({"events", "streams"})
MAGIC = b"SQLite format 3\x00"
# Primary result codes (the low byte of sqlite3.Error.sqlite_errorcode).
BUSY = frozenset({5, 6})  # SQLITEBUSY, SQLITE_LOCKED
# PERM, READONLY, IOERR, FULL, CANTOPEN, NOLFS, AUTH: the file system's problems, not the file's.
SYSTEM = frozenset({3, 8, 10, 13, 14, 22, 23})


def code(error: sqlite3.Error) -> int:
    """The primary result code of an sqlite3 error (0 if it has none)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


def patiently(
    step: Callable[[sqlite3.Connection], None], connection: sqlite3.Connection, timeout: float
) -> None:
    """Run ``step``, again while the file is busy, up to the timeout: sqlite does not wait
    by itself for the lock that a change of journal mode takes (two processes creating
    one store, or one opening it while another switches it to WAL)."""
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            return step(connection)
        except sqlite3.OperationalError as exc:
            if code(exc) not in BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, 0.05)


def blank(connection: sqlite3.Connection) -> bool:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    things = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return bool(application == 0 and version == 0 and things == 0)


def log_position(connection: sqlite3.Connection) -> int:
    found = connection.execute("SELECT max(position) FROM events").fetchone()[0]
    return int(found or 0)


def state_position(connection: sqlite3.Connection, state: str) -> int:
    found = connection.execute(
        "SELECT max(position) FROM streams WHERE state = ?", (state,)
    ).fetchone()[0]
    return int(found or 0)


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that holds the write lock from its start: all or nothing."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            # An error may have rolled back already; the first error is the one to report.
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


def conflict(
    connection: sqlite3.Connection | None,
    expected: int | dict[str, int] | None,
    busy: str,
    seen: int,
) -> ConcurrencyError:
    """The error for a lost race, with the position the log (or a state) is really at;
    ``seen`` is the log's position as last read, for when the file cannot be read now."""
    actual = seen
    if connection is not None:
        try:
            for state, place in (expected if isinstance(expected, dict) else {}).items():
                found = state_position(connection, state)
                if found != place or busy:
                    return ConcurrencyError(
                        expected=place, actual=found, scope=f"state {state}{busy}"
                    )
            actual = log_position(connection)
        except sqlite3.Error:  # pragma: no cover  (cannot even read: report what was seen)
            pass
    place = expected if isinstance(expected, int) else actual
    return ConcurrencyError(expected=place, actual=actual, scope="the log" + busy)
