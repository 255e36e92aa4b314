"""The SQLite event store: the event log in one database file, safe for several writers at once.

The store holds the records of the JSON Lines log (:mod:`sco_membership.io.records`), one row per
record, each kept as the JSON text of the dict appended, in the order of the appends. An append
is one transaction (``BEGIN IMMEDIATE``) that checks the position the writer expects, validates
the batch against the ledger the store already holds (folding only the states it names) and
inserts it, or writes nothing. Positions are keys: ``events.position`` (the whole log) and
``streams (state, position)`` (one row per state a record names) are unique, so a writer that
lost a race fails with :class:`~sco_membership.exceptions.ConcurrencyError`, never with a
duplicate. The file is in WAL mode with ``synchronous=FULL``: a committed append survives a crash
of the process or of the machine, and a crash in the middle of one leaves nothing of it behind.

A file is checked before anything changes it: its header and size are read as bytes, then a
read-only connection checks the marks, the tables and ``PRAGMA quick_check``. Only then, and
only for a store of ours or a new one, is the file opened for writing and put in WAL mode; a
store that cannot be written stays open read-only.

Below the store class: the schema, the file checks, the locking, sqlite3's result codes, and each
batch's records read, checked and kept as the JSON text stored.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..exceptions import (
    ClosedStoreError,
    ConcurrencyError,
    FileError,
    LockTimeoutError,
    MalformedDataError,
)
from ..io.files import path_name
from ..ledger import Ledger
from ..model import Amendment, Claim, Event
from ..rules import RuleSet
from ._log import (
    Entry,
    LogStore,
    batch,
    checked_ledger,
    grown,
    parsed,
    read_events,
    rule_set,
    stream_rows,
    verified,
)
from ._log import position as _position
from ._log import seconds as _seconds
from ._log import wanted as _wanted

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "SQLiteStore"]


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
# The columns each table must have (the statements above may have been worded otherwise).
COLUMNS = {
    "events": frozenset({"position", "record", "kind", "date", "first_day", "last_day"}),
    "streams": frozenset({"state", "position", "event"}),
}
TABLES = frozenset(COLUMNS)
MAGIC = b"SQLite format 3\x00"
HEADER = 100  # bytes: the database header, at the start of the first page
# Primary result codes (the low byte of sqlite3.Error.sqlite_errorcode).
BUSY = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
READONLY, CANTOPEN = 8, 14
# PERM, READONLY, IOERR, FULL, CANTOPEN, NOLFS, AUTH: the file system's problems, not the file's.
SYSTEM = frozenset({3, READONLY, 10, 13, CANTOPEN, 22, 23})
# A check of the file found damage: the messages all start so.
UNREADABLE = "not a readable event store"


def _code(error: sqlite3.Error) -> int:
    """The primary result code of an sqlite3 error (0 if it has none)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


# Paths and files, looked at before sqlite3 touches them.


def _size(name: str) -> int | None:
    """The size of the regular file at ``name``, or ``None`` if there is none yet.

    Anything else there (a directory, a device such as ``/dev/null``, a FIFO) is refused
    before sqlite3 opens it: sqlite3 would make a journal beside it (``/dev/null-journal``).
    """
    try:
        mode = os.stat(name)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(name))
        if not os.path.isdir(folder):
            raise FileError(name, f"no such folder: {folder}") from None
        return None
    except OSError as exc:
        raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None
    if stat.S_ISDIR(mode.st_mode):
        raise FileError(name, "is a directory, not a file")
    if not stat.S_ISREG(mode.st_mode):
        raise FileError(
            name, "is not a regular file (a device, a FIFO or a socket): a store is a file"
        )
    return mode.st_size


def _beside(name: str, suffix: str) -> int:
    """The size of SQLite's file beside the store (``-wal``, ``-journal``): 0 if none."""
    try:
        return os.stat(name + suffix).st_size
    except OSError:
        return 0


def _header_problem(head: bytes, size: int, *, settled: bool) -> str | None:
    """What is wrong with a store's file, judged from its header and size; ``None``: nothing.

    ``settled``: no write-ahead log or journal beside it holds pages, so the file's size is
    what its header says.
    """
    if not head.startswith(MAGIC):
        return f"{UNREADABLE} (not an SQLite database file)"
    if len(head) < HEADER:
        return f"{UNREADABLE} (its SQLite header is cut short: {len(head)} bytes of {HEADER})"
    application = int.from_bytes(head[68:72], "big", signed=True)
    if application != APPLICATION_ID:
        return f"not an sco-membership event store (application id {application})"
    version = int.from_bytes(head[60:64], "big", signed=True)
    if version > SCHEMA_VERSION:
        return (
            f"the store has schema version {version}, newer than this library's"
            f" {SCHEMA_VERSION}: upgrade sco-membership to read it"
        )
    given = int.from_bytes(head[16:18], "big")
    page = 65536 if given == 1 else given
    if page < 512 or page & (page - 1):
        return f"{UNREADABLE} (its header gives a page size of {given})"
    if settled:
        if size % page:
            return (
                f"{UNREADABLE} (the file is {size} bytes, not a whole number of {page}-byte"
                " pages: it was cut short or added to)"
            )
        pages = int.from_bytes(head[28:32], "big")
        # The page count is valid when the "version valid for" number is the change counter.
        if head[92:96] == head[24:28] and pages * page != size:
            return (
                f"{UNREADABLE} (its header counts {pages} pages of {page} bytes, the file"
                f" holds {size // page}: it was cut short or added to)"
            )
    return None


def _unwritable(name: str) -> str | None:
    """Why the file at ``name`` (and its folder, for the write-ahead log) cannot be written;
    ``None``: it can."""
    folder = os.path.dirname(os.path.abspath(name))
    if os.access(name, os.W_OK) and os.access(folder, os.W_OK | os.X_OK):
        return None
    with contextlib.suppress(OSError, AttributeError):  # no statvfs on Windows
        if os.statvfs(name).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    if not os.access(name, os.W_OK):
        return "there is no permission to write the file"
    return "there is no permission to write in its folder (for the write-ahead log)"


def _uri(name: str, mode: str) -> str:
    """An ``file:`` URI for sqlite3, whatever characters the path holds."""
    return f"file:{urllib.parse.quote(os.fsencode(os.path.abspath(name)))}?mode={mode}"


# The database.


def _patiently(
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
            if _code(exc) not in BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, 0.05)


def _blank(connection: sqlite3.Connection) -> bool:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    things = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return bool(application == 0 and version == 0 and things == 0)


def _schema_count(connection: sqlite3.Connection) -> None:
    """Read the schema: the first read, which opens the file (and its WAL) for real."""
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _log_position(connection: sqlite3.Connection) -> int:
    found = connection.execute("SELECT max(position) FROM events").fetchone()[0]
    return int(found or 0)


def _state_position(connection: sqlite3.Connection, state: str) -> int:
    found = connection.execute(
        "SELECT max(position) FROM streams WHERE state = ?", (state,)
    ).fetchone()[0]
    return int(found or 0)


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
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


def _conflict(
    connection: sqlite3.Connection | None, expected: int | dict[str, int] | None, seen: int
) -> ConcurrencyError:
    """The error for a lost race, with the position the log (or a state) is really at;
    ``seen`` is the log's position as last read, for when the file cannot be read now."""
    actual = seen
    if connection is not None:
        try:
            for state, place in (expected if isinstance(expected, dict) else {}).items():
                found = _state_position(connection, state)
                if found != place:
                    return ConcurrencyError(expected=place, actual=found, scope=f"state {state}")
            actual = _log_position(connection)
        except sqlite3.Error:  # pragma: no cover  (cannot even read: report what was seen)
            pass
    place = expected if isinstance(expected, int) else actual
    return ConcurrencyError(expected=place, actual=actual)


class SQLiteStore(LogStore):
    """An event log in an SQLite file: appends are transactions checked against the rule set.

    ``SQLiteStore(path)`` opens the store in ``path``, creating it if there is no file there
    (or an empty one). Any other file is checked before anything changes it: one that is not
    a store, or a damaged one, raises :class:`~sco_membership.exceptions.MalformedDataError`
    and is left as it was; a path that is not a regular file raises
    :class:`~sco_membership.exceptions.FileError`. A store that cannot be written (no
    permission, a read-only file system) is opened read-only: it can be read, and an append
    raises ``FileError``.

    Give each thread or process its own ``SQLiteStore``; close it with :meth:`close` or use it
    in a ``with`` block. ``rules`` is the rule set every append is validated against;
    ``timeout`` is how many seconds a writer waits for another one to finish before giving up
    with :class:`~sco_membership.exceptions.LockTimeoutError`.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, rules: RuleSet | None = None, timeout: float = 10.0
    ) -> None:
        name = path_name(path)
        rules = rule_set(rules)
        self._path = name
        self._rules = rules
        self._timeout = _seconds(timeout)
        self._connection: sqlite3.Connection | None = None
        # Why the store cannot be written, if it cannot: it is then open read-only.
        self._read_only: str | None = None
        # The log as read so far: its position and its ledger, so reads and appends only
        # fold the records they have not seen yet.
        self._seen: tuple[int, Ledger] = (0, Ledger({}, rules))
        # Test hook, called inside an append's transaction just before it commits.
        self._before_commit: Callable[[], object] | None = None
        with self._translated():
            self._connection = self._opened()

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (its file cannot be written)."""
        return self._read_only is not None

    def __repr__(self) -> str:
        state = "closed" if self._connection is None else "open"
        if self._connection is not None and self._read_only is not None:
            state = "open read-only"
        return f"<SQLiteStore {self._path!r} ({state})>"

    def close(self) -> None:
        """Close the database connection; closing twice does nothing."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # Reading.

    def position(self, state: str | None = None) -> int:
        """How many records the log holds: all of them, or those naming ``state``."""
        with self._translated():
            connection = self._live()
            if state is None:
                return _log_position(connection)
            return _state_position(connection, self._rules.member(state))

    def changes_since(self, position: int) -> tuple[list[dict[str, Any]], int]:
        """The records appended after ``position``, and the position after them.

        A position the log has not reached raises
        :class:`~sco_membership.exceptions.ConcurrencyError`: it belongs to another log.
        """
        start = _position(position, "position")
        with self._translated():
            rows = self._rows(self._live(), start)
        return [record for _, record in rows], rows[-1][0] if rows else start

    def follow(self, ledger: Ledger, position: int) -> tuple[Ledger, int]:
        """``ledger`` (the log up to ``position``) brought up to date: the new ledger and its
        position. Only the records appended since are read and validated."""
        ledger = checked_ledger(ledger, self._rules)
        start = _position(position, "position")
        with self._translated():
            rows = self._rows(self._live(), start)
        if not rows:
            return ledger, start
        return grown(ledger, self._events(rows)), rows[-1][0]

    def ledger(self) -> Ledger:
        """A validated ledger of every record in the store."""
        with self._translated():
            return self._caught_up(self._live())[1]

    def verify(self) -> None:
        """Verify the whole file: the database's integrity, positions without gaps or
        duplicates, each record's states against its stream rows, and the log against the
        rule set. Raises ``MalformedDataError`` (or the rule set's error) on a problem."""
        with self._translated():
            connection = self._live()
            connection.execute("BEGIN")  # one snapshot for every read below
            try:
                damage = [row[0] for row in connection.execute("PRAGMA integrity_check")]
                rows = self._rows(connection, 0)
                streams = connection.execute(
                    "SELECT state, position, event FROM streams ORDER BY state, position"
                ).fetchall()
            finally:
                connection.execute("COMMIT")
        if damage != ["ok"]:
            raise self._malformed(f"the database is damaged: {'; '.join(damage[:3])}")
        verified(rows, streams, self._rules, self._path, self._malformed)

    # Writing.

    def append(
        self, records: Iterable[Mapping[str, Any]], *, expected: int | Mapping[str, int]
    ) -> int:
        """Append a batch of records (dicts in the event-log format) if the log is still where
        ``expected`` says; returns the new position of the whole log.

        ``expected`` is the position of the whole log (``store.position()``), or a mapping of
        states to the position of each (``{"IND": store.position("IND")}``): an append that
        depends on a few states need not fail because another state moved. The batch is
        validated against the ledger of the records already stored (only the states it names
        are folded again) before anything is written, and is written whole or not at all.
        Raises ``ConcurrencyError`` if another writer moved the log (``LockTimeoutError`` if
        another one held the lock past the timeout), ``MalformedDataError`` for a record that
        cannot be read, the rule set's errors for an event it does not allow, and
        ``FileError`` if the store is read-only.
        """
        connection = self._live()
        if self._read_only is not None:
            raise FileError(
                self._path, f"the store is open read-only ({self._read_only}); nothing was written"
            )
        wanted = _wanted(expected, self._rules)
        entries = batch(records, self._rules)
        events: list[Event | Amendment | Claim] = [
            event for entry in entries for event in entry.events
        ]
        with self._translated(expected=wanted), _transaction(connection):
            position, ledger = self._caught_up(connection)
            streams = self._streams(connection, entries, wanted, position)
            # The rule set's verdict, before any write: the ledger already held, grown by the
            # batch, so only the states the batch names are folded again.
            after = grown(ledger, events)
            base = wanted if isinstance(wanted, int) else position
            connection.executemany(
                "INSERT INTO events (position, record, kind, date, first_day, last_day)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (base + number, entry.text, *entry.columns())
                    for number, entry in enumerate(entries, start=1)
                ],
            )
            connection.executemany(
                "INSERT INTO streams (state, position, event) VALUES (?, ?, ?)",
                [(state, place, base + number) for number, state, place in streams],
            )
            if self._before_commit is not None:
                self._before_commit()
        self._seen = (position + len(entries), after)
        return position + len(entries)

    # Helpers.

    def _streams(
        self,
        connection: sqlite3.Connection,
        entries: list[Entry],
        wanted: int | dict[str, int],
        position: int,
    ) -> list[tuple[int, str, int]]:
        """Check the expected positions; the (record number, state, position) rows to add."""
        return stream_rows(
            entries, wanted, position, lambda state: _state_position(connection, state)
        )

    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ClosedStoreError(self._path)
        return self._connection

    # Opening: look before anything is written.

    def _opened(self) -> sqlite3.Connection:
        """The connection to the store, the file checked first: a new store is made only
        where there was no file or an empty one; an existing file is checked read-only
        before it is opened for writing (and put in WAL mode)."""
        name = self._path
        if name == ":memory:":
            return self._writer(
                sqlite3.connect(name, timeout=self._timeout, isolation_level=None), checked=False
            )
        size = _size(name)
        checked = False
        if size:
            self._look_at_header(name)
            reader = self._reader(name)
            if reader is not None:
                try:
                    _patiently(self._check, reader, self._timeout)
                except BaseException:
                    reader.close()
                    raise
                checked = True
                self._read_only = _unwritable(name)
                if self._read_only is not None:
                    return reader
                reader.close()
        mode = "rw" if size else "rwc"
        return self._writer(self._connect(name, mode), checked=checked)

    def _connect(self, name: str, mode: str) -> sqlite3.Connection:
        return sqlite3.connect(
            _uri(name, mode), timeout=self._timeout, isolation_level=None, uri=True
        )

    def _look_at_header(self, name: str) -> None:
        """Check the file's header and size, read as bytes: whose database it is, and whether
        it was cut short. While a journal is beside it, another process may be making the
        store in it: wait for that (up to the timeout) before judging."""
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                with open(name, "rb") as handle:
                    head = handle.read(HEADER)
                size = os.stat(name).st_size
            except OSError as exc:
                raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None
            journal = _beside(name, "-journal")
            settled = not journal and not _beside(name, "-wal")
            problem = _header_problem(head, size, settled=settled)
            if problem is None:
                return
            if not journal or time.monotonic() > deadline:
                raise self._malformed(problem)
            time.sleep(0.01)

    def _reader(self, name: str) -> sqlite3.Connection | None:
        """A read-only connection to the store's file; ``None`` if only a writer can read it
        (a journal left by a crash must be rolled back first, which only a writer does)."""
        connection = self._connect(name, "ro")
        try:
            _patiently(_schema_count, connection, self._timeout)
        except sqlite3.OperationalError as exc:
            connection.close()
            if _code(exc) == READONLY and _beside(name, "-journal"):
                return None
            if _code(exc) not in (CANTOPEN, READONLY) or _beside(name, "-wal"):
                raise
            # A read-only folder or file system: SQLite cannot make the WAL's index beside
            # the file; with no WAL there, the file is the whole store as committed.
            connection = self._connect(name, "ro&immutable=1")
        return connection

    def _writer(self, connection: sqlite3.Connection, *, checked: bool) -> sqlite3.Connection:
        """The connection, once the store is made in it (if the file was new) and checked
        (``checked``: the file was checked read-only already), in WAL mode."""
        try:
            _patiently(lambda it: self._prepare(it, checked=checked), connection, self._timeout)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection, *, checked: bool) -> None:
        if _blank(connection):
            with _transaction(connection):
                if _blank(connection):  # another process may have made it meanwhile
                    for statement in (*SCHEMA, *STAMP):
                        connection.execute(statement)
        self._check(connection, thorough=not checked)
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk (the WAL synced) before append returns.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")

    def _check(self, connection: sqlite3.Connection, *, thorough: bool = True) -> None:
        """Check the marks and the tables; ``thorough``: SQLite's quick check of every page,
        too. Reads only."""
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        if application != APPLICATION_ID:
            raise self._malformed(
                f"not an sco-membership event store (application id {application})"
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise self._malformed(
                f"the store has schema version {version}, newer than this library's"
                f" {SCHEMA_VERSION}: upgrade sco-membership to read it"
            )
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        missing = sorted(TABLES - tables) if version >= 1 else sorted(TABLES)
        for table in sorted(TABLES & tables):
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            if not columns >= COLUMNS[table]:
                missing.append(f"{table} ({', '.join(sorted(COLUMNS[table] - columns))})")
        if missing:
            raise self._malformed(
                f"an event store without its tables (schema {version}; missing:"
                f" {', '.join(missing)})"
            )
        if thorough:
            damage = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if damage != ["ok"]:
                raise self._malformed(f"{UNREADABLE} (damaged: {'; '.join(damage[:3])})")

    # Reading rows.

    def _rows(
        self, connection: sqlite3.Connection, after: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """The records after position ``after``, read in one statement (one snapshot)."""
        found = connection.execute(
            "SELECT position, record FROM events WHERE position > ? ORDER BY position", (after,)
        ).fetchall()
        if not found and after > _log_position(connection):
            raise ConcurrencyError(expected=after, actual=_log_position(connection))
        return parsed(found, after, self._malformed, self._path)

    def _events(self, rows: list[tuple[int, dict[str, Any]]]) -> list[Event | Amendment | Claim]:
        return read_events(rows, self._rules, self._path)

    def _caught_up(self, connection: sqlite3.Connection) -> tuple[int, Ledger]:
        """The log's position and ledger, folding in the records not seen yet."""
        position, ledger = self._seen
        rows = self._rows(connection, position)
        if rows:
            ledger = grown(ledger, self._events(rows))
            self._seen = position, ledger = rows[-1][0], ledger
        return position, ledger

    @contextlib.contextmanager
    def _translated(self, *, expected: int | dict[str, int] | None = None) -> Iterator[None]:
        """Turn the sqlite3 errors that bad files and busy writers cause into the library's."""
        try:
            yield
        except sqlite3.ProgrammingError:
            raise  # a bug in the calling code, such as sharing a store between threads
        except sqlite3.IntegrityError as exc:
            # A unique position was taken: another writer got there first.
            raise _conflict(self._connection, expected, self._seen[0]) from exc
        except sqlite3.DatabaseError as exc:
            code = _code(exc)
            if code in BUSY:  # the lock was never had: nobody is known to have appended
                raise LockTimeoutError(self._path, self._timeout) from exc
            if code in SYSTEM:
                raise FileError(self._path, str(exc)) from exc
            raise self._malformed(f"{UNREADABLE} ({exc})") from exc

    def _malformed(self, reason: str) -> MalformedDataError:
        return MalformedDataError(reason, file=self._path)
