"""One contract, two stores: every test here runs against SQLiteStore and PostgresStore.

The ``backend`` fixture (conftest.py) opens either store; PostgreSQL is a real server started by
the tests. What only one store has (SQLite's files, PostgreSQL's connections and its waiting
follower) is at the end. The process tests (8 writers at once, writers killed) are slow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import children
import sco_membership as scm
from children import failure, line
from conftest import Backend, Server
from sco_membership.exceptions import (
    ConcurrencyError,
    DuplicateEventError,
    FileError,
    IllegalTransitionError,
    LockTimeoutError,
    MalformedDataError,
    MembershipError,
    OptionError,
    UnknownEventError,
)
from sco_membership.io import jsonl as codec
from sco_membership.ledger import Ledger
from sco_membership.model import EventKind, Standing, Status
from sco_membership.rules import RuleSet, Transition
from strategies import LedgerLog, junk_records, ledger_logs

DATA = Path(scm.__file__).parent / "organisations" / "data" / "sco.jsonl"
OBSERVERS = {"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05"}
STARTED = {"states": ["IND", "PAK"], "kind": "accession_started", "date": "2015-07-10"}
MONGOLIA = {"state": "MNG", "kind": "observer_granted", "date": "2004-06"}
SQL = "'); DROP TABLE events; --"


@pytest.fixture
def store(backend: Backend) -> Iterator[Any]:
    with backend.open() as opened:
        yield opened


# Creating, reading, round trips.


def test_a_new_store_is_empty(store: Any) -> None:
    assert (store.position(), store.position("IND")) == (0, 0)
    assert store.records() == []
    assert store.ledger() == Ledger({})
    assert store.rules is scm.SCO_RULES
    store.verify()


def test_a_store_opens_again_with_everything_in_it(backend: Backend) -> None:
    with backend.open() as store:
        store.append([OBSERVERS], expected=0)
    with backend.open() as store:
        assert store.records() == [OBSERVERS]
        assert (store.position(), store.position("IND"), store.position("MNG")) == (1, 1, 0)


def test_closing_and_context_use(backend: Backend) -> None:
    store = backend.open()
    assert "open" in repr(store)
    with store:
        store.append([MONGOLIA], expected=0)
    assert "closed" in repr(store)
    store.close()  # a second close does nothing
    for call in (store.position, store.records, lambda: store.append([OBSERVERS], expected=1)):
        with pytest.raises(ValueError, match="is closed"):
            call()


def test_records_round_trip_in_both_directions(store: Any) -> None:
    records = [json.loads(line) for line in DATA.read_text("utf-8").splitlines()]
    store.append(records[:10], expected=0)
    store.append(records[10:], expected=10)
    assert store.records() == records
    assert store.ledger() == Ledger.from_records(records) == scm.sco()
    # JSON Lines -> store -> JSON Lines: the same text, byte for byte.
    assert "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in store.records()) == (
        DATA.read_text("utf-8")
    )
    assert store.ledger().fingerprint() == scm.sco().fingerprint()
    store.verify()


def test_a_store_made_from_a_ledger_exports_the_same_log(backend: Backend) -> None:
    with backend.from_ledger(scm.sco()) as store:
        assert store.records() == scm.sco().to_records()
        assert codec.dumps(store.ledger()) == codec.dumps(scm.sco())
    with pytest.raises(ConcurrencyError, match=r"at position \d+, not 0"):
        backend.from_ledger(scm.sco())
    with pytest.raises(OptionError, match="a Ledger"):
        backend.kind.from_ledger(backend.where, [MONGOLIA])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(log=ledger_logs(), data=st.data())
def test_any_valid_log_round_trips_through_a_store(
    backend: Backend, log: LedgerLog, data: st.DataObject
) -> None:
    records = list(log.records)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=3)))
    backend.reset()
    with backend.open() as store:
        for start, stop in zip([0, *cuts], [*cuts, len(records)], strict=True):
            assert store.append(records[start:stop], expected=start) == stop
        assert store.records() == records
        assert store.ledger() == Ledger.from_records(records)
        for state in log.states:
            named = [r for r in records if state in r.get("states", [r.get("state")])]
            assert store.position(state) == len(named)
    with backend.open() as store:  # and by a new reader
        assert store.records() == records
        store.verify()


def test_text_of_every_kind_is_stored_as_it_is(store: Any) -> None:
    record = {
        "id": SQL,
        "state": "IND",
        "kind": "observer_granted",
        "date": "2005-07-05",
        "place": SQL,
        "sources": [{"title": SQL, "url": f"https://example.org/?q={SQL}"}],
        "note": 'x"); DELETE FROM streams; -- $$ \\x00 \x00 \u2028 ☃ 𝄞',
        "organisation": "Robert'); DROP TABLE streams;--",
    }
    store.append([record], expected=0)
    store.append([{**MONGOLIA, "note": SQL}], expected=1)
    assert store.records() == [record, {**MONGOLIA, "note": SQL}]
    assert store.ledger().history("IND").events[0].place == SQL
    store.verify()


# Optimistic concurrency.


def test_a_stale_position_of_the_log_is_refused(backend: Backend) -> None:
    with backend.open() as first, backend.open() as second:
        seen = first.position()
        second.append([MONGOLIA], expected=second.position())
        with pytest.raises(ConcurrencyError) as caught:
            first.append([OBSERVERS], expected=seen)
        assert (caught.value.expected, caught.value.actual, caught.value.scope) == (
            0,
            1,
            "the log",
        )
        assert not isinstance(caught.value, LockTimeoutError)
        assert first.records() == [MONGOLIA]
        assert first.append([OBSERVERS], expected=first.position()) == 2


def test_a_stale_position_of_a_state_is_refused_and_other_states_do_not_matter(
    backend: Backend,
) -> None:
    with backend.open() as first, backend.open() as second:
        second.append([OBSERVERS], expected=0)
        seen = {"IND": first.position("IND")}
        second.append([MONGOLIA], expected=1)  # another state: no conflict for IND
        assert first.append([STARTED], expected=seen) == 3
        with pytest.raises(ConcurrencyError, match="state IND is at position 2, not 1"):
            second.append(
                [{"state": "IND", "kind": "obligations_signed", "date": "2016-06-24"}],
                expected={"India": 1},
            )
        with pytest.raises(ConcurrencyError, match="state PAK is at position 2, not 0"):
            second.append([STARTED], expected={"IND": 2, "PAK": 0})
        assert second.position() == 3


def test_a_lost_race_collides_with_a_unique_key_and_writes_nothing(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append([MONGOLIA], expected=0)
    # As if the position had been read before another writer appended: the check passes,
    # and the (position) key refuses the row.
    monkeypatch.setattr(store, "_caught_up", lambda connection: (0, Ledger({})))
    with pytest.raises(ConcurrencyError) as caught:
        store.append([OBSERVERS], expected=0)
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    monkeypatch.undo()
    assert store.records() == [MONGOLIA]


def test_a_lost_race_on_a_state_collides_with_its_stream_key(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append([OBSERVERS], expected=0)
    module = sys.modules[type(store).__module__]
    real = module._state_position
    lies = [0]  # the first read of IND's position is stale

    def stale(connection: Any, state: str) -> int:
        return lies.pop() if lies else real(connection, state)

    monkeypatch.setattr(module, "_state_position", stale)
    with pytest.raises(ConcurrencyError) as caught:
        store.append([STARTED], expected={"IND": 0})
    assert (caught.value.expected, caught.value.actual, caught.value.scope) == (0, 1, "state IND")
    monkeypatch.undo()
    assert store.records() == [OBSERVERS]


def test_a_writer_that_cannot_get_the_lock_in_time_says_so(backend: Backend) -> None:
    inside, done = threading.Event(), threading.Event()

    def hold() -> None:  # a writer that stops inside its transaction, holding the lock
        with backend.open() as holder:
            holder._before_commit = lambda: (inside.set(), done.wait(30))
            holder.append([MONGOLIA], expected=0)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert inside.wait(30)
        with backend.open(timeout=0.05) as waiter:
            assert waiter.position() == 0  # readers are never blocked
            with pytest.raises(LockTimeoutError) as caught:
                waiter.append([OBSERVERS], expected=0)
            assert str(caught.value).endswith(
                ": the store is locked by another writer; gave up after 0.05 s;"
                " nothing was written"
            )
            assert isinstance(caught.value, ConcurrencyError)  # a retry loop retries it
    finally:
        done.set()
        thread.join()
    with backend.open() as store:
        assert store.records() == [MONGOLIA]


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ("0", "must be a position"),
        (True, "must be a position"),
        (None, "must be a position"),
        (-1, r"0 or more\), not -1"),
        (2**63, r"past 2\*\*63 - 1"),
        ({}, "names no state"),
        ({"IND": 0, "India": 1}, "IND two positions, 0 and 1"),
    ],
)
def test_an_expected_position_must_be_a_position(store: Any, expected: Any, message: str) -> None:
    with pytest.raises(MalformedDataError, match=message):
        store.append([OBSERVERS], expected=expected)
    with pytest.raises(ConcurrencyError, match=f"at position 0, not {2**63 - 1}"):
        store.append([OBSERVERS], expected=2**63 - 1)
    assert store.records() == []


# Validation: all or nothing.


def test_an_illegal_event_or_a_malformed_record_writes_nothing(store: Any) -> None:
    store.append([OBSERVERS], expected=0)
    batches: list[tuple[Any, type[Exception]]] = [
        (
            [STARTED, {"state": "IND", "kind": "membership_granted", "date": "2016"}],
            IllegalTransitionError,
        ),
        ([MONGOLIA, {"state": "IRN", "kind": "observer", "date": "2022"}], MalformedDataError),
        ([MONGOLIA, OBSERVERS], DuplicateEventError),
        ([MONGOLIA, {**MONGOLIA, "note": "\ud800"}], MalformedDataError),
        (MONGOLIA, MalformedDataError),
        (5, MalformedDataError),
        ([None], MalformedDataError),
    ]
    for records, error in batches:
        with pytest.raises(error):
            store.append(records, expected=1)
    assert store.records() == [OBSERVERS]
    store.verify()


def test_another_rule_set_decides_what_is_allowed(backend: Backend) -> None:
    none, observer = Standing(Status.NONE), Standing(Status.OBSERVER)
    lax = RuleSet(
        "lax",
        "Org",
        [
            Transition(EventKind.OBSERVER_GRANTED, none, observer),
            Transition(EventKind.OBSERVER_GRANTED, observer, observer),
            Transition(EventKind.WITHDRAWAL, observer, none),
        ],
    )
    twice = {**OBSERVERS, "date": "2006"}
    with backend.open(rules=lax) as store:
        assert store.append([OBSERVERS, twice], expected=0) == 2
        assert store.ledger().rules is lax
        with pytest.raises(OptionError, match="under the store's rule set"):
            store.follow(Ledger({}), 0)
    with backend.open() as store, pytest.raises(IllegalTransitionError):
        store.ledger()  # the SCO's rules do not allow this log


def test_corrections_retractions_and_claims_are_stored_and_applied(backend: Backend) -> None:
    observer = {**MONGOLIA, "recorded": "2004-07-01"}
    correction = {
        "state": "MNG",
        "kind": "correction",
        "amends": "observer_granted/MNG/2004-06",
        "set": {"place": "Tashkent"},
        "reason": "the place was missing",
        "recorded": "2020-01-01",
    }
    claim = {
        "state": "MNG",
        "kind": "claim",
        "says": "observer_granted",
        "date": "2004-05",
        "verdict": "rejected",
        "reason": "too early",
        "event": "observer_granted/MNG/2004-06",
        "sources": [{"title": "A report", "publisher": "A paper", "published": "2004"}],
    }
    with backend.open() as store:
        store.append([observer], expected=0)
        store.append([correction, claim], expected=1)
        with pytest.raises(UnknownEventError):
            store.append([{**correction, "amends": "nothing"}], expected=3)
    with backend.open() as again:
        assert again.records() == [observer, correction, claim]
        ledger = again.ledger()
        again.verify()
    assert ledger == Ledger.from_records([observer, correction, claim])
    assert ledger.history("MNG").events[0].place == "Tashkent"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(batch=st.lists(junk_records(), max_size=3), position=st.integers() | st.none())
def test_only_library_errors_escape_and_a_refusal_writes_nothing(
    store: Any, batch: list[Any], position: Any
) -> None:
    before = store.records()
    try:
        store.append(batch, expected=len(before))
    except MembershipError:
        assert store.records() == before
    else:
        assert store.records() == [*before, *batch]
    with contextlib.suppress(MembershipError):
        store.changes_since(position)
    with contextlib.suppress(MembershipError):
        store.follow(Ledger({}), position)
    store.verify()


# Following the store.


def test_a_follower_reads_only_what_is_new(backend: Backend) -> None:
    with backend.open() as writer, backend.open() as reader:
        writer.append([MONGOLIA], expected=0)
        ledger, position = reader.follow(Ledger({}), 0)
        assert (ledger, position) == (Ledger.from_records([MONGOLIA]), 1)
        assert reader.follow(ledger, position) == (ledger, 1)
        writer.append([OBSERVERS, STARTED], expected=1)
        assert reader.changes_since(position) == ([OBSERVERS, STARTED], 3)
        assert reader.changes_since(3) == ([], 3)
        ledger, position = reader.follow(ledger, position)
        assert (ledger, position) == (reader.ledger(), 3)
        with pytest.raises(ConcurrencyError, match="at position 3, not 5"):
            reader.changes_since(5)


# Databases that are not stores, damaged stores.


def test_a_database_that_is_not_a_store_is_refused_untouched(backend: Backend) -> None:
    backend.execute("CREATE TABLE notes (body TEXT)")
    backend.execute("INSERT INTO notes VALUES ('mine')")
    before = backend.snapshot()
    with pytest.raises(MalformedDataError, match="not an sco-membership event store"):
        backend.open()
    assert backend.snapshot() == before
    assert backend.execute("SELECT body FROM notes") == [("mine",)]


def test_a_store_of_a_newer_schema_or_without_its_tables_is_refused(backend: Backend) -> None:
    backend.open().close()
    if backend.name == "sqlite":
        backend.execute("PRAGMA user_version = 2")
    else:
        backend.execute("UPDATE sco_membership.store SET schema_version = 2")
    with pytest.raises(MalformedDataError, match="schema version 2, newer than"):
        backend.open()
    if backend.name == "sqlite":
        backend.execute("PRAGMA user_version = 1")
    else:
        backend.execute("UPDATE sco_membership.store SET schema_version = 1")
    backend.execute("DROP TABLE {streams}")
    with pytest.raises(MalformedDataError, match=r"without its tables \(schema 1; missing"):
        backend.open()


def test_verify_finds_damage(backend: Backend) -> None:
    with backend.open() as store:
        store.append([MONGOLIA, OBSERVERS], expected=0)
        store.verify()
    backend.execute("DELETE FROM {streams} WHERE state = 'PAK'")
    with backend.open() as store, pytest.raises(MalformedDataError, match="record 2 and"):
        store.verify()
    backend.execute("UPDATE {streams} SET position = 5 WHERE state = 'IND'")
    with backend.open() as store, pytest.raises(MalformedDataError, match="stream of IND"):
        store.verify()
    backend.execute("UPDATE {events} SET record = '{{\"state\": ' WHERE position = 2")
    with backend.open() as store, pytest.raises(MalformedDataError, match="record 2: the stored"):
        store.records()


# Only one of the two.


@pytest.fixture
def postgres(server: Server) -> Backend:
    return Backend("postgres", server.database(), server)


def test_a_postgres_follower_wakes_on_an_append_without_polling(postgres: Backend) -> None:
    with postgres.open() as writer, postgres.open() as reader:
        ledger, position = reader.follow(Ledger({}), 0, wait=0.05)  # nothing: waits, gives up
        assert (ledger, position) == (Ledger({}), 0)
        appended = threading.Timer(0.2, lambda: writer.append([MONGOLIA], expected=0))
        began = time.monotonic()
        appended.start()
        ledger, position = reader.follow(ledger, 0, wait=30)
        waited = time.monotonic() - began
        appended.join()
        assert (ledger, position) == (Ledger.from_records([MONGOLIA]), 1), waited
        assert waited < 29  # woken by the append, not by the end of the wait
        writer.append([OBSERVERS], expected=1)  # already there: no wait at all
        assert reader.follow(ledger, 1, wait=30)[1] == 2
        with pytest.raises(OptionError, match="bad timeout -1"):
            reader.follow(ledger, 2, wait=-1)


def test_a_postgres_store_borrows_the_caller_s_connection(postgres: Backend) -> None:
    import psycopg

    from sco_membership.store import PostgresStore

    with psycopg.connect(postgres.where) as connection:
        with PostgresStore(connection) as store:
            assert store.append([MONGOLIA], expected=0) == 1
            assert store.follow(Ledger({}), 0, wait=0.01)[1] == 1
        assert not connection.closed  # the caller's, closed by the caller
        connection.execute("SELECT 1")  # the caller's own transaction is open
        with pytest.raises(OptionError, match="outside any transaction"):
            PostgresStore(connection)
        connection.rollback()
        with PostgresStore(connection) as store:
            assert store.records() == [MONGOLIA]
    assert postgres.execute("SELECT count(*) FROM {events}") == [(1,)]


def test_a_postgres_store_says_what_it_cannot_reach(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    from sco_membership.store import PostgresStore

    address = f"postgresql://nobody@/nothing?host={tmp_path}&connect_timeout=2"
    with pytest.raises(FileError, match="nothing") as caught:
        PostgresStore(address)
    assert isinstance(caught.value, OSError)
    for wrong in (None, 5, b"postgresql://"):
        with pytest.raises(OptionError, match="a connection string"):
            PostgresStore(wrong)
    with pytest.raises(OptionError, match="a valid one"):
        PostgresStore("no such=option=here")


def test_importing_the_stores_does_not_import_psycopg() -> None:
    code = (
        "import sys, sco_membership, sco_membership.store, sco_membership.store.postgres;"
        "assert 'psycopg' not in sys.modules, 'imported';"
        "from sco_membership.store import PostgresStore; print(PostgresStore.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "PostgresStore\n"), done.stderr
    from sco_membership import store

    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        store.Nothing  # noqa: B018


# Several processes at once, and writers killed (slow).


def batch(number: int, size: int) -> list[dict[str, str]]:
    """Batch ``number`` of ``size`` applications by Mongolia, on days of their own."""
    start = dt.date(1900, 1, 1).toordinal() + number * size
    return [
        {
            "id": f"b{number}-{k}",
            "state": "MNG",
            "kind": "application",
            "date": dt.date.fromordinal(start + k).isoformat(),
        }
        for k in range(size)
    ]


# The children's code begins with this: the same ``batch`` (its source), and a store opened.
OPEN = (
    "import datetime as dt, sys\n"
    + inspect.getsource(batch).replace("list[dict[str, str]]", "list")
    + """
def opened(kind, where, **options):
    if kind == "sqlite":
        from sco_membership.store import SQLiteStore
        return SQLiteStore(where, **options)
    from sco_membership.store import PostgresStore
    return PostgresStore(where, **options)
"""
)

WRITER = (
    OPEN
    + """
import datetime as dt, json
from sco_membership.exceptions import ConcurrencyError

kind, where, writer, count, state = sys.argv[1:6]
writer, count = int(writer), int(count)
print("ready", flush=True)
sys.stdin.readline()  # all start together
retries = 0
with opened(kind, where, timeout=60) as store:
    for number in range(count):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=1000 * writer + number)
        record = {"id": f"w{writer}-{number:03d}", "state": state, "kind": "application",
                  "date": day.isoformat(), "note": "'); DROP TABLE events; --"}
        while True:
            # Half the writers expect a position of the log, half one of the state.
            expected = {state: store.position(state)} if writer % 2 else store.position()
            try:
                store.append([record], expected=expected)
                break
            except ConcurrencyError:
                retries += 1
print(json.dumps({"retries": retries}), flush=True)
"""
)

STUCK = (
    OPEN
    + """
import time
store = opened(sys.argv[1], sys.argv[2])
def stop():
    print("inside", flush=True)
    time.sleep(120)
store._before_commit = stop
store.append(batch(1, int(sys.argv[3])), expected=store.position())
"""
)

BUSY = (
    OPEN
    + """
with opened(sys.argv[1], sys.argv[2]) as store:
    for number in range(1, 1000):
        store.append(batch(number, int(sys.argv[3])), expected=store.position())
        if number == 1:
            print("committed", flush=True)
"""
)

STATES = ["MNG", "IND", "PAK", "IRN", "BLR", "AFG", "TUR", "EGY"]


# Children start in this folder, so that they can import this module.
running = functools.partial(children.running, cwd=Path(__file__).parent)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL")
@pytest.mark.parametrize("states", ["same", "different"])
def test_eight_writers_lose_and_duplicate_nothing(backend: Backend, states: str) -> None:
    writers, count = 8, 25
    backend.open().close()  # made before the writers start
    chosen = {w: "MNG" if states == "same" else STATES[w] for w in range(writers)}
    began = time.perf_counter()
    with contextlib.ExitStack() as stack:
        children = [
            stack.enter_context(running(WRITER, backend.name, backend.where, w, count, chosen[w]))
            for w in range(writers)
        ]
        for one in children:
            assert line(one) == "ready\n", failure(one)
        for one in children:
            assert one.stdin is not None
            one.stdin.write("go\n")
            one.stdin.flush()
        outcomes = [one.communicate(timeout=300) for one in children]
        failed = [err for one, (_, err) in zip(children, outcomes, strict=True) if one.returncode]
    assert not failed, failed
    retries = sum(json.loads(out)["retries"] for out, _ in outcomes)
    seconds = time.perf_counter() - began
    with backend.open() as store:
        store.verify()
        records = store.records()
        per_state = {state: store.position(state) for state in set(chosen.values())}
    ids = [record["id"] for record in records]
    wanted = {f"w{w}-{n:03d}" for w in range(writers) for n in range(count)}
    lost, duplicated = len(wanted - set(ids)), len(ids) - len(set(ids))
    turns = sum(a.split("-")[0] != b.split("-")[0] for a, b in itertools.pairwise(ids))
    figures = (
        f"{backend.name}: writers={writers}, states={states}, events={len(ids)}, lost={lost},"
        f" duplicated={duplicated}, retries={retries}, turns={turns}, seconds={seconds:.1f}"
    )
    assert (lost, duplicated, len(ids)) == (0, 0, writers * count), figures
    assert sum(per_state.values()) == writers * count, figures
    for writer in range(writers):  # each writer's records in the order it appended them
        own = [name for name in ids if name.startswith(f"w{writer}-")]
        assert own == sorted(own), figures
    assert all(record["note"] == "'); DROP TABLE events; --" for record in records), figures


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL")
def test_a_writer_killed_inside_a_large_transaction_leaves_none_of_it(backend: Backend) -> None:
    with backend.open() as store:
        store.append(batch(0, 10), expected=0)
    with running(STUCK, backend.name, backend.where, 5000) as writer:
        assert line(writer) == "inside\n", failure(writer)
        writer.kill()
        writer.wait()
    assert writer.returncode == -9
    with backend.open() as store:
        if backend.name == "postgres":  # the server ends the killed client's session
            deadline = time.monotonic() + 30
            while (
                backend.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in%'"
                )
                != [(0,)]
                and time.monotonic() < deadline
            ):
                time.sleep(0.05)
        store.verify()
        assert store.records() == batch(0, 10)
        assert store.append(batch(2, 10), expected=10) == 20  # the lock went with it


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL")
def test_a_writer_killed_at_any_moment_leaves_whole_batches(backend: Backend) -> None:
    size = 2000
    with running(BUSY, backend.name, backend.where, size) as writer:
        assert line(writer) == "committed\n", failure(writer)
        time.sleep(1.0)  # more batches committed, one most likely under way
        writer.kill()
        writer.wait()
    with backend.open() as store:
        store.verify()
        records = store.records()
    whole, rest = divmod(len(records), size)
    assert rest == 0, (whole, rest)
    assert whole >= 1
    assert records == [record for n in range(1, whole + 1) for record in batch(n, size)]


def test_a_store_keeps_members_of_any_scheme(backend: Backend) -> None:
    # A rule set whose members are free identifiers: the store names states as its rules do.
    free = attrs.evolve(scm.SCO_RULES, name="SCO (free members)", members="free")
    record = {"state": "org:7", "kind": "observer_granted", "date": "2005-07-05"}
    with backend.open(rules=free) as store:
        assert store.append([record], expected={"org:7": 0}) == 1
        assert store.position("org:7") == 1
        assert store.ledger().status("org:7", "2006-01-01").status is scm.Status.OBSERVER
        with pytest.raises(scm.exceptions.UnknownStateError):
            store.position("not an id")
