"""The PostgreSQL event store: one record shared by a team, with the contract of the SQLite one.

The store holds the same rows as :class:`~sco_membership.store.SQLiteStore`, in a schema of
its own (``sco_membership``): ``events`` (one row per record, its JSON text as appended) and
``streams`` (one row per state a record names), whose positions are unique keys, and a ``store``
table marking the schema as ours with its version. An append is one transaction: it takes the
store's write lock (a transaction-level advisory lock, released by the commit), reads the
positions, checks them against what the writer expects, validates the batch against the ledger
already stored, copies the rows in, and notifies the listeners (``NOTIFY``, sent on commit). A
writer that read a stale position collides with a key and gets ``ConcurrencyError``, never a
duplicate; a client killed inside its transaction leaves nothing, since the server rolls back
what was never committed.

psycopg 3 (the ``[postgres]`` extra) is imported when a store is opened, never before.
"""

from __future__ import annotations

import contextlib
import select
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._extras import require
from ..exceptions import (
    ClosedStoreError,
    ConcurrencyError,
    FileError,
    LockTimeoutError,
    MalformedDataError,
    OptionError,
)
from ..ledger import Ledger
from ..model import Amendment, Claim, Event
from ..rules import RuleSet
from ._log import (
    LogStore,
    batch,
    checked_ledger,
    grown,
    parsed,
    read_events,
    rule_set,
    seconds,
    stream_rows,
    verified,
    wanted,
)
from ._log import position as _position

if TYPE_CHECKING:
    import psycopg

__all__ = ["APPLICATION_ID", "CHANNEL", "SCHEMA", "SCHEMA_VERSION", "PostgresStore"]

#: The mark of every store (the bytes ``SCOm``, as SQLite's ``PRAGMA application_id``).
APPLICATION_ID = 0x53434F6D
#: The schema this module writes, and the newest it reads.
SCHEMA_VERSION = 1
#: The PostgreSQL schema (namespace) that holds a store's tables.
SCHEMA = "sco_membership"
#: The channel an append notifies (its payload: the log's new position).
CHANNEL = "sco_membership_appended"

# The advisory locks (two-int keys, per database): making the store, and appending to it.
MAKING, WRITING = 0, 1

TABLES = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE {SCHEMA}.store (
        application_id bigint NOT NULL,
        schema_version integer NOT NULL
    )""",
    # One row per record; ``position`` is its place in the whole log, from 1, with no gaps.
    f"""CREATE TABLE {SCHEMA}.events (
        position bigint PRIMARY KEY CHECK (position >= 1),
        record text NOT NULL,
        kind text NOT NULL,
        date text,  -- NULL for an amendment (a correction or a retraction): it has no date
        first_day date,
        last_day date
    )""",
    # One row per state a record names; ``position`` is its place in that state's stream.
    f"""CREATE TABLE {SCHEMA}.streams (
        state text NOT NULL,
        position bigint NOT NULL CHECK (position >= 1),
        event bigint NOT NULL REFERENCES {SCHEMA}.events (position),
        PRIMARY KEY (state, position)
    )""",
    f"CREATE INDEX streams_by_event ON {SCHEMA}.streams (event)",
    f"CREATE INDEX events_by_kind ON {SCHEMA}.events (kind)",
    f"CREATE INDEX events_by_day ON {SCHEMA}.events (first_day, last_day)",
)
# The columns each table must have (the statements above may have been worded otherwise).
COLUMNS = {
    "store": frozenset({"application_id", "schema_version"}),
    "events": frozenset({"position", "record", "kind", "date", "first_day", "last_day"}),
    "streams": frozenset({"state", "position", "event"}),
}
# What a database holds of its own: every relation outside PostgreSQL's own schemas.
OWN_RELATIONS = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
"""
UNREADABLE = "not a readable event store"


def _driver() -> None:
    """Import psycopg, or say which extra to install."""
    require("psycopg", "postgres", "the PostgreSQL event store")


def _address(info: Any) -> str:
    """How messages name the database: its address without the password."""
    host = info.host or ""
    if host.startswith("/"):  # a Unix socket's folder
        return f"postgresql://{info.user}@/{info.dbname}?host={host}"
    return f"postgresql://{info.user}@{host}:{info.port}/{info.dbname}"


def _address_given(given: Mapping[str, Any]) -> str:
    """How messages name a database given by a connection string, before it is reached."""
    user, host, name = given.get("user", ""), given.get("host", ""), given.get("dbname", "")
    shown = f"{user}@" if user else ""
    if str(host).startswith("/"):
        return f"postgresql://{shown}/{name}?host={host}"
    port = f":{given['port']}" if given.get("port") else ""
    return f"postgresql://{shown}{host}{port}/{name}"


def _log_position(connection: psycopg.Connection[Any]) -> int:
    found = connection.execute(f"SELECT max(position) FROM {SCHEMA}.events").fetchone()
    return int(found[0] or 0) if found else 0


def _state_position(connection: psycopg.Connection[Any], state: str) -> int:
    found = connection.execute(
        f"SELECT max(position) FROM {SCHEMA}.streams WHERE state = %s", (state,)
    ).fetchone()
    return int(found[0] or 0) if found else 0


class PostgresStore(LogStore):
    """An event log in a PostgreSQL database, shared by every client that reaches the server.

    ``PostgresStore(connection)`` opens the store in the database ``connection`` names: a
    connection string (``"postgresql://user@host/db"``, or ``"dbname=db host=..."``), or a
    psycopg connection or connection pool that the caller owns (the store borrows it and never
    closes it; a connection must not be inside a transaction of the caller's when the store
    uses it). A database with no tables of its own becomes a new store; one that holds other
    tables, a store of a newer schema or a damaged one raises
    :class:`~sco_membership.exceptions.MalformedDataError` and is left as it was. A server that
    cannot be reached raises :class:`~sco_membership.exceptions.FileError` naming the address.

    The contract is :class:`~sco_membership.store.SQLiteStore`'s: ``append`` with an expected
    position, all or nothing; ``records``, ``ledger``, ``changes_since``, ``follow``,
    ``verify``, ``from_ledger``. ``follow(..., wait=seconds)`` waits for new records through
    ``LISTEN``/``NOTIFY``. Give each thread its own store (or its own pool connection).
    ``timeout`` is how many seconds a writer waits for another one to finish before giving up
    with :class:`~sco_membership.exceptions.LockTimeoutError`.
    """

    def __init__(
        self, connection: str | Any, *, rules: RuleSet | None = None, timeout: float = 10.0
    ) -> None:
        _driver()
        import psycopg

        self._rules = rule_set(rules)
        self._timeout = seconds(timeout)
        self._conninfo: str | None = None
        self._location = "postgresql://"
        self._given: psycopg.Connection[Any] | None = None
        self._pool: Any = None
        if isinstance(connection, str):
            try:
                psycopg.conninfo.conninfo_to_dict(connection)
            except psycopg.Error as exc:
                raise OptionError(
                    "connection", "<a connection string>", (), f"a valid one ({exc})"
                ) from None
            self._conninfo = connection
            self._location = _address_given(psycopg.conninfo.conninfo_to_dict(connection))
        elif isinstance(connection, psycopg.Connection):
            self._given = connection
        elif all(hasattr(connection, name) for name in ("getconn", "putconn", "connection")):
            self._pool = connection
        else:
            raise OptionError(
                "connection",
                connection,
                (),
                "a connection string, or a psycopg connection or pool",
            )
        if self._conninfo is None:
            self._location = "postgresql://"
        self._own: psycopg.Connection[Any] | None = None
        self._listener: psycopg.Connection[Any] | None = None
        self._heard: list[str] = []
        self._closed = False
        # The log as read so far: its position and its ledger (see SQLiteStore).
        self._seen: tuple[int, Ledger] = (0, Ledger({}, self._rules))
        # Test hook, called inside an append's transaction just before it commits.
        self._before_commit: Callable[[], object] | None = None
        try:
            with self._translated():
                if self._conninfo is not None:
                    self._own = psycopg.connect(self._conninfo, autocommit=True)
                with self._transaction() as opened:
                    self._location = _address(opened.info)
                    self._prepare(opened)
        except BaseException:
            self.close()
            raise

    @property
    def location(self) -> str:
        """The database's address, without its password."""
        return self._location

    def __repr__(self) -> str:
        return f"<PostgresStore {self._location!r} ({'closed' if self._closed else 'open'})>"

    def close(self) -> None:
        """Close the connections the store opened (never the caller's); closing twice does
        nothing."""
        self._closed = True
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                if listener is self._given or self._pool is not None:
                    listener.execute(f"UNLISTEN {CHANNEL}")
                    listener.remove_notify_handler(self._hear)
            if self._pool is not None:
                self._pool.putconn(listener)
            elif listener is not self._given:
                listener.close()
        own, self._own = self._own, None
        if own is not None:
            own.close()

    # Reading.

    def position(self, state: str | None = None) -> int:
        """How many records the log holds: all of them, or those naming ``state``."""
        code = None if state is None else self._rules.member(state)
        with self._translated(), self._transaction() as connection:
            if code is None:
                return _log_position(connection)
            return _state_position(connection, code)

    def changes_since(self, position: int) -> tuple[list[dict[str, Any]], int]:
        """The records appended after ``position``, and the position after them.

        A position the log has not reached raises
        :class:`~sco_membership.exceptions.ConcurrencyError`: it belongs to another log.
        """
        start = _position(position, "position")
        with self._translated(), self._transaction() as connection:
            rows = self._rows(connection, start)
        return [record for _, record in rows], rows[-1][0] if rows else start

    def follow(self, ledger: Ledger, position: int, *, wait: float = 0.0) -> tuple[Ledger, int]:
        """``ledger`` (the log up to ``position``) brought up to date: the new ledger and its
        position. Only the records appended since are read and validated.

        ``wait``: when nothing is new, how many seconds to wait for another writer's append
        before giving ``ledger`` back as it is. The store listens (``LISTEN``) for the
        notification every append sends on commit, so a follower wakes at once, without
        polling.
        """
        ledger = checked_ledger(ledger, self._rules)
        start = _position(position, "position")
        limit = seconds(wait)
        with self._translated():
            if limit:
                self._wait_past(start, limit)
            with self._transaction() as connection:
                rows = self._rows(connection, start)
        if not rows:
            return ledger, start
        return grown(ledger, read_events(rows, self._rules, self._location)), rows[-1][0]

    def ledger(self) -> Ledger:
        """A validated ledger of every record in the store."""
        with self._translated(), self._transaction() as connection:
            return self._caught_up(connection)[1]

    def verify(self) -> None:
        """Verify the whole store: its schema, positions without gaps or duplicates, each
        record's states against its stream rows, and the log against the rule set. Raises
        ``MalformedDataError`` (or the rule set's error) on a problem."""
        with self._translated(), self._transaction(snapshot=True) as connection:
            self._check(connection)
            rows = self._rows(connection, 0)
            streams = connection.execute(
                f"SELECT state, position, event FROM {SCHEMA}.streams ORDER BY state, position"
            ).fetchall()
        verified(rows, streams, self._rules, self._location, self._malformed)

    # Writing.

    def append(
        self, records: Iterable[Mapping[str, Any]], *, expected: int | Mapping[str, int]
    ) -> int:
        """Append a batch of records (dicts in the event-log format) if the log is still where
        ``expected`` says; returns the new position of the whole log.

        As :meth:`SQLiteStore.append <sco_membership.store.SQLiteStore.append>`: ``expected``
        is the log's position or a mapping of states to theirs; the batch is validated before
        anything is written and is written whole or not at all. Raises ``ConcurrencyError`` if
        another writer moved the log (``LockTimeoutError`` if another one held the lock past
        the timeout), ``MalformedDataError`` for a record that cannot be read, and the rule
        set's errors for an event it does not allow.
        """
        self._live()
        want = wanted(expected, self._rules)
        entries = batch(records, self._rules)
        events: list[Event | Amendment | Claim] = [
            event for entry in entries for event in entry.events
        ]
        with self._translated(expected=want), self._transaction() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (APPLICATION_ID, WRITING))
            log, ledger = self._caught_up(connection)
            streams = stream_rows(
                entries, want, log, lambda state: _state_position(connection, state)
            )
            # The rule set's verdict, before any write (see SQLiteStore.append).
            after = grown(ledger, events)
            base = want if isinstance(want, int) else log
            with connection.cursor() as cursor:
                columns = "position, record, kind, date, first_day, last_day"
                with cursor.copy(f"COPY {SCHEMA}.events ({columns}) FROM STDIN") as copy:
                    for number, entry in enumerate(entries, start=1):
                        copy.write_row((base + number, entry.text, *entry.columns()))
                with cursor.copy(
                    f"COPY {SCHEMA}.streams (state, position, event) FROM STDIN"
                ) as copy:
                    for number, state, place in streams:
                        copy.write_row((state, place, base + number))
            connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(log + len(entries))))
            if self._before_commit is not None:
                self._before_commit()
        self._seen = (log + len(entries), after)
        return log + len(entries)

    # Connections and transactions.

    def _live(self) -> None:
        if self._closed:
            raise ClosedStoreError(self._location)

    @contextlib.contextmanager
    def _transaction(self, *, snapshot: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """A connection inside a transaction of the store's own: committed at the end, rolled
        back on an error. ``snapshot``: one snapshot for every read (repeatable read)."""
        self._live()
        with contextlib.ExitStack() as stack:
            if self._pool is not None:
                connection = stack.enter_context(self._pool.connection())
            else:
                connection = self._own if self._own is not None else self._given
                assert connection is not None
            if connection.info.transaction_status != 0:  # psycopg.pq.TransactionStatus.IDLE
                raise OptionError(
                    "connection",
                    "<inside a transaction>",
                    (),
                    "a connection outside any transaction: the store commits its own",
                )
            with connection.transaction():
                if snapshot:
                    connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                # 0 would mean "wait for ever": the shortest wait PostgreSQL has instead.
                wait = max(1, round(self._timeout * 1000))
                connection.execute(f"SET LOCAL lock_timeout = {wait}")
                yield connection

    def _listening(self) -> psycopg.Connection[Any]:
        """The connection that listens for appends (made once): the store's own second one,
        the caller's connection, or one held from the caller's pool until :meth:`close`."""
        import psycopg

        if self._listener is None:
            if self._pool is not None:
                listener = self._pool.getconn()
            elif self._given is not None:
                listener = self._given
            else:
                assert self._conninfo is not None
                listener = psycopg.connect(self._conninfo, autocommit=True)
            listener.add_notify_handler(self._hear)
            with listener.transaction():
                listener.execute(f"LISTEN {CHANNEL}")
            self._listener = listener
        return self._listener

    def _hear(self, notification: Any) -> None:
        self._heard.append(notification.payload)

    def _wait_past(self, start: int, limit: float) -> None:
        """Wait until the log is past ``start``, or ``limit`` seconds have passed: asleep on the
        listening connection's socket until a notification (or anything) arrives."""
        listener = self._listening()
        deadline = time.monotonic() + limit
        while True:
            self._heard.clear()
            with listener.transaction():  # a query: it also takes in what has arrived
                if _log_position(listener) > start:
                    return
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self._heard:  # heard during the query, after its snapshot: read again
                continue
            select.select([listener.fileno()], [], [], left)

    # Opening: look before anything is written.

    def _prepare(self, connection: psycopg.Connection[Any]) -> None:
        """Check the store, or make it in a database that holds nothing of its own."""
        connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (APPLICATION_ID, MAKING))
        schema = connection.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (SCHEMA,)
        ).fetchone()
        tables = self._tables(connection)
        if schema is None or not tables:
            if schema is None:
                found = connection.execute(OWN_RELATIONS).fetchone()
                count = int(found[0]) if found else 0
                if count:
                    raise self._malformed(
                        f"not an sco-membership event store (the database holds {count}"
                        f" tables, views or sequences of its own, and no schema {SCHEMA})"
                    )
            for statement in TABLES:
                connection.execute(statement)
            connection.execute(
                f"INSERT INTO {SCHEMA}.store (application_id, schema_version) VALUES (%s, %s)",
                (APPLICATION_ID, SCHEMA_VERSION),
            )
        self._check(connection)

    def _tables(self, connection: psycopg.Connection[Any]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table, column in connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = %s",
            (SCHEMA,),
        ):
            found.setdefault(table, set()).add(column)
        return found

    def _check(self, connection: psycopg.Connection[Any]) -> None:
        """Check the marks and the tables. Reads only."""
        tables = self._tables(connection)
        marks = []
        if "store" in tables and tables["store"] >= COLUMNS["store"]:
            marks = connection.execute(
                f"SELECT application_id, schema_version FROM {SCHEMA}.store"
            ).fetchall()
        if len(marks) != 1 or marks[0][0] != APPLICATION_ID:
            raise self._malformed(
                f"not an sco-membership event store (its schema {SCHEMA} holds no mark of one)"
            )
        version = int(marks[0][1])
        if version > SCHEMA_VERSION:
            raise self._malformed(
                f"the store has schema version {version}, newer than this library's"
                f" {SCHEMA_VERSION}: upgrade sco-membership to read it"
            )
        missing = []
        for table in sorted(COLUMNS):
            if table not in tables:
                missing.append(table)
            elif not tables[table] >= COLUMNS[table]:
                lacking = ", ".join(sorted(COLUMNS[table] - tables[table]))
                missing.append(f"{table} ({lacking})")
        if missing:
            raise self._malformed(
                f"an event store without its tables (schema {version}; missing:"
                f" {', '.join(missing)})"
            )

    # Reading rows.

    def _rows(
        self, connection: psycopg.Connection[Any], after: int
    ) -> list[tuple[int, dict[str, Any]]]:
        """The records after position ``after``, read in one statement (one snapshot)."""
        found = connection.execute(
            f"SELECT position, record FROM {SCHEMA}.events WHERE position > %s ORDER BY position",
            (after,),
        ).fetchall()
        if not found and after > _log_position(connection):
            raise ConcurrencyError(expected=after, actual=_log_position(connection))
        return parsed(found, after, self._malformed, self._location)

    def _caught_up(self, connection: psycopg.Connection[Any]) -> tuple[int, Ledger]:
        """The log's position and ledger, folding in the records not seen yet."""
        log, ledger = self._seen
        rows = self._rows(connection, log)
        if rows:
            ledger = grown(ledger, read_events(rows, self._rules, self._location))
            self._seen = log, ledger = rows[-1][0], ledger
        return log, ledger

    def _conflict(self, expected: int | dict[str, int] | None) -> ConcurrencyError:
        """The error for a lost race, with the position the log (or a state) is really at."""
        actual = self._seen[0]
        with contextlib.suppress(Exception), self._transaction() as connection:
            for state, place in (expected if isinstance(expected, dict) else {}).items():
                found = _state_position(connection, state)
                if found != place:
                    return ConcurrencyError(expected=place, actual=found, scope=f"state {state}")
            actual = _log_position(connection)
        place = expected if isinstance(expected, int) else actual
        return ConcurrencyError(expected=place, actual=actual)

    @contextlib.contextmanager
    def _translated(self, *, expected: int | dict[str, int] | None = None) -> Iterator[None]:
        """Turn psycopg's errors into the library's."""
        import psycopg
        from psycopg import errors

        try:
            yield
        except (errors.UniqueViolation, errors.ForeignKeyViolation) as exc:
            # A unique position was taken: another writer got there first.
            raise self._conflict(expected) from exc
        except errors.LockNotAvailable as exc:  # the lock was never had
            raise LockTimeoutError(self._location, self._timeout) from exc
        except errors.InsufficientPrivilege as exc:
            raise FileError(
                self._location, f"no permission ({_first_line(exc)}); nothing was written"
            ) from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            # The server cannot be reached, went away, or the caller closed the connection.
            raise FileError(self._location, _first_line(exc)) from exc
        except psycopg.DatabaseError as exc:
            raise self._malformed(f"{UNREADABLE} ({_first_line(exc)})") from exc

    def _malformed(self, reason: str) -> MalformedDataError:
        return MalformedDataError(reason, file=self._location)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
