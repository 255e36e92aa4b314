"""The SQLite event store: round trips, optimistic concurrency, validation, bad files, following.

Several processes writing at once, and a writer killed mid-append: ``test_store_processes.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import math
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sco_membership as scm
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
    UnknownStateError,
)
from sco_membership.io import jsonl as codec
from sco_membership.ledger import Ledger
from sco_membership.model import EventKind, Standing, Status
from sco_membership.rules import RuleSet, Transition
from sco_membership.store import sqlite as _sqlite
from sco_membership.store.sqlite import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore
from strategies import LedgerLog, junk_records, ledger_logs

DATA = Path(scm.__file__).parent / "organisations" / "data" / "sco.jsonl"
OBSERVERS = {"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05"}
STARTED = {"states": ["IND", "PAK"], "kind": "accession_started", "date": "2015-07-10"}
MONGOLIA = {"state": "MNG", "kind": "observer_granted", "date": "2004-06"}
SQL = "'); DROP TABLE events; --"


def place_corrected(amends: str) -> dict[str, Any]:
    """A correction record of Mongolia's event ``amends``: its place, recorded in 2020."""
    return {
        "state": "MNG",
        "kind": "correction",
        "amends": amends,
        "set": {"place": "Tashkent"},
        "reason": "the place was missing",
        "recorded": "2020-01-01",
    }


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "events.db"


@pytest.fixture
def store(path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(path) as opened:
        yield opened


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A plain sqlite3 connection to look inside (or tamper with) a store's file."""
    return closing(sqlite3.connect(path, isolation_level=None))


def jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


# Creating and opening.


def test_a_new_store_is_empty_marked_and_in_wal_mode(store: SQLiteStore, path: Path) -> None:
    assert store.position() == 0
    assert store.position("IND") == 0
    assert store.records() == []
    assert store.ledger() == Ledger({})
    assert store.path == str(path)
    assert store.rules is scm.SCO_RULES
    with raw(path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"events", "streams"} <= tables


def test_a_store_opens_again_with_everything_in_it(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.append([OBSERVERS], expected=0)
    with SQLiteStore(path) as store:
        assert store.records() == [OBSERVERS]
        assert (store.position(), store.position("IND"), store.position("MNG")) == (1, 1, 0)


def test_an_empty_file_becomes_a_store(path: Path) -> None:
    path.write_bytes(b"")
    with SQLiteStore(path) as store:
        assert store.append([MONGOLIA], expected=0) == 1


def test_a_store_may_live_in_memory() -> None:
    with SQLiteStore(":memory:") as store:
        assert store.append([OBSERVERS, MONGOLIA], expected=0) == 2
        assert store.ledger() == Ledger.from_records([OBSERVERS, MONGOLIA])


def test_closing_and_context_use(path: Path) -> None:
    store = SQLiteStore(path)
    assert "open" in repr(store)
    with store:
        store.append([MONGOLIA], expected=0)
    assert "closed" in repr(store)
    store.close()  # a second close does nothing
    with pytest.raises(ValueError, match="is closed"):
        store.position()


# Round trips.


def test_records_round_trip_in_both_directions(path: Path) -> None:
    records = [json.loads(line) for line in DATA.read_text("utf-8").splitlines()]
    with SQLiteStore(path) as store:
        store.append(records[:10], expected=0)
        store.append(records[10:], expected=10)
        assert store.records() == records
        assert store.ledger() == Ledger.from_records(records) == scm.sco()
        # JSON Lines -> store -> JSON Lines: the same text, byte for byte.
        assert jsonl(store.records()) == DATA.read_text("utf-8")
        assert codec.dumps(store.ledger()) == codec.dumps(scm.sco())


def test_a_store_made_from_a_ledger_exports_the_same_log(path: Path) -> None:
    with SQLiteStore.from_ledger(path, scm.sco()) as store:
        assert store.records() == scm.sco().to_records()
        assert store.position() == len(scm.sco().to_records())
        text = codec.dumps(store.ledger())
    assert text == codec.dumps(scm.sco())
    assert codec.loads(text) == scm.sco()


def test_a_store_is_made_from_a_ledger_only_when_empty(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.append([MONGOLIA], expected=0)
    with pytest.raises(ConcurrencyError, match="at position 1, not 0"):
        SQLiteStore.from_ledger(path, scm.sco())


@given(log=ledger_logs(), data=st.data())
def test_any_valid_log_round_trips_through_a_store(log: LedgerLog, data: st.DataObject) -> None:
    records = list(log.records)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=3)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.db"
        with SQLiteStore(path) as store:
            for start, stop in zip([0, *cuts], [*cuts, len(records)], strict=True):
                assert store.append(records[start:stop], expected=start) == stop
            assert store.records() == records
            assert store.ledger() == Ledger.from_records(records)
            for state in log.states:
                named = [r for r in records if state in r.get("states", [r.get("state")])]
                assert store.position(state) == len(named)
        with SQLiteStore(path) as store:  # and from the file, by a new reader
            assert store.records() == records
            assert jsonl(store.records()) == codec.dumps(Ledger.from_records(records))
            store.verify()


# Optimistic concurrency.


def test_a_stale_position_of_the_log_is_refused(path: Path) -> None:
    with SQLiteStore(path) as first, SQLiteStore(path) as second:
        seen = first.position()
        second.append([MONGOLIA], expected=second.position())
        with pytest.raises(ConcurrencyError) as caught:
            first.append([OBSERVERS], expected=seen)
        assert (caught.value.expected, caught.value.actual, caught.value.scope) == (
            0,
            1,
            "the log",
        )
        assert first.records() == [MONGOLIA]
        assert first.append([OBSERVERS], expected=first.position()) == 2


def test_a_stale_position_of_a_state_is_refused_and_other_states_do_not_matter(
    path: Path,
) -> None:
    with SQLiteStore(path) as first, SQLiteStore(path) as second:
        second.append([OBSERVERS], expected=0)
        seen = {"IND": first.position("IND")}
        second.append([MONGOLIA], expected=1)  # another state: no conflict for IND
        assert first.append([STARTED], expected=seen) == 3
        with pytest.raises(ConcurrencyError, match="state IND is at position 2, not 1"):
            second.append(
                [{"state": "IND", "kind": "obligations_signed", "date": "2016-06-24"}],
                expected={"India": 1},  # names resolve like everywhere else
            )
        assert second.position() == 3


def test_every_state_an_append_names_must_be_where_expected(store: SQLiteStore) -> None:
    store.append([OBSERVERS, MONGOLIA], expected=0)
    with pytest.raises(ConcurrencyError, match="state PAK is at position 1, not 0"):
        store.append([STARTED], expected={"IND": 1, "PAK": 0})
    assert store.append([STARTED], expected={"IND": 1, "PAK": 1, "MNG": 1}) == 3


def test_a_lost_race_collides_with_a_unique_key_and_writes_nothing(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
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
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append([OBSERVERS], expected=0)
    real = _sqlite._state_position
    lies = [0]  # the first read of IND's position is stale

    def stale(connection: sqlite3.Connection, state: str) -> int:
        return lies.pop() if lies else real(connection, state)

    monkeypatch.setattr(_sqlite, "_state_position", stale)
    with pytest.raises(ConcurrencyError) as caught:
        store.append([STARTED], expected={"IND": 0})
    assert (caught.value.expected, caught.value.actual, caught.value.scope) == (0, 1, "state IND")
    monkeypatch.undo()
    assert store.records() == [OBSERVERS]


def test_a_writer_that_cannot_get_the_lock_in_time_says_so(path: Path) -> None:
    with SQLiteStore(path) as holder, SQLiteStore(path, timeout=0.05) as waiter:
        connection = holder._live()
        connection.execute("BEGIN IMMEDIATE")
        try:
            assert waiter.position() == 0  # readers are never blocked in WAL mode
            for expected in [0, {"IND": 0}]:
                with pytest.raises(LockTimeoutError) as caught:
                    waiter.append([OBSERVERS], expected=expected)
                # Nobody appended: not the lost race's "at position 0, not 0 as expected".
                assert str(caught.value) == (
                    f"{path}: the store is locked by another writer; gave up after 0.05 s;"
                    " nothing was written"
                )
                assert (caught.value.path, caught.value.timeout) == (str(path), 0.05)
                assert isinstance(caught.value, ConcurrencyError)  # a retry loop retries it
                assert not isinstance(caught.value, sqlite3.Error)
        finally:
            connection.execute("ROLLBACK")
        assert waiter.position() == 0
        assert waiter.append([MONGOLIA], expected=0) == 1


def test_a_lost_race_is_not_a_lock_timeout(path: Path) -> None:
    with SQLiteStore(path) as first, SQLiteStore(path, timeout=0.05) as second:
        first.append([MONGOLIA], expected=0)
        with pytest.raises(ConcurrencyError, match="another writer appended first") as caught:
            second.append([OBSERVERS], expected=0)
        assert not isinstance(caught.value, LockTimeoutError)


@pytest.mark.parametrize(
    "expected",
    [
        "0",
        0.0,
        True,
        False,
        None,
        b"0",
        [0],
        -1,
        2**63,
        2**5000,
        {"IND": "0"},
        {"IND": True},
        {"IND": -1},
        {"IND": 2**63},
        {"IND": None},
    ],
)
def test_an_expected_position_must_be_a_position(store: SQLiteStore, expected: Any) -> None:
    with pytest.raises(MalformedDataError, match="must be a position"):
        store.append([MONGOLIA], expected=expected)
    assert store.position() == 0


def test_an_empty_mapping_of_expected_positions_is_refused(store: SQLiteStore) -> None:
    # It would check nothing at all: a writer that means "no check" must say which position.
    with pytest.raises(MalformedDataError, match=r"expected=\{\} names no state") as caught:
        store.append([MONGOLIA], expected={})
    assert "expected=store.position()" in str(caught.value)
    assert store.position() == 0


def test_one_state_given_two_positions_is_refused(store: SQLiteStore) -> None:
    with pytest.raises(MalformedDataError, match="IND two positions, 0 and 1"):
        store.append([OBSERVERS], expected={"IND": 0, "India": 1})
    assert store.append([OBSERVERS], expected={"IND": 0, "India": 0}) == 1


def test_a_position_past_sqlite_s_integers_is_refused(store: SQLiteStore) -> None:
    store.append([MONGOLIA], expected=0)
    for position in [2**63, 2**64, 2**5000]:
        with pytest.raises(MalformedDataError, match=r"past 2\*\*63 - 1"):
            store.changes_since(position)
        with pytest.raises(MalformedDataError, match=r"past 2\*\*63 - 1"):
            store.follow(Ledger({}), position)
    # The largest one SQLite holds is only a position this log has not reached.
    with pytest.raises(ConcurrencyError, match=f"at position 1, not {2**63 - 1}"):
        store.changes_since(2**63 - 1)
    with pytest.raises(ConcurrencyError, match=f"at position 1, not {2**63 - 1}"):
        store.append([OBSERVERS], expected=2**63 - 1)
    assert store.records() == [MONGOLIA]


def test_an_expected_state_must_be_a_state(store: SQLiteStore) -> None:
    with pytest.raises(UnknownStateError):
        store.append([MONGOLIA], expected={SQL: 0})
    with pytest.raises(UnknownStateError):
        store.position(SQL)


# Validation: all or nothing.


def test_an_illegal_event_is_refused_and_nothing_is_written(store: SQLiteStore) -> None:
    store.append([OBSERVERS], expected=0)
    illegal = {"state": "IND", "kind": "membership_granted", "date": "2006"}
    with pytest.raises(IllegalTransitionError, match="IND on 2006"):
        store.append([illegal], expected=1)
    assert store.records() == [OBSERVERS]
    assert store.position("IND") == 1


def test_a_batch_is_written_whole_or_not_at_all(store: SQLiteStore) -> None:
    illegal = {"state": "PAK", "kind": "membership_granted", "date": "2016"}
    with pytest.raises(IllegalTransitionError, match="PAK on 2016"):
        store.append([MONGOLIA, OBSERVERS, STARTED, illegal], expected=0)
    with pytest.raises(DuplicateEventError):
        store.append([MONGOLIA, MONGOLIA], expected=0)
    with pytest.raises(MalformedDataError, match=r"^record 3: unknown kind"):
        store.append([MONGOLIA, OBSERVERS, {**STARTED, "kind": "x"}], expected=0)
    assert store.records() == []
    assert (store.position(), store.position("MNG"), store.position("IND")) == (0, 0, 0)
    assert store.append([MONGOLIA, OBSERVERS, STARTED], expected=0) == 3
    assert store.append([], expected=3) == 3


def test_an_event_already_stored_is_a_duplicate(store: SQLiteStore) -> None:
    store.append([MONGOLIA], expected=0)
    with pytest.raises(DuplicateEventError):
        store.append([MONGOLIA], expected=1)
    assert store.position() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": 7}, "alpha-3 code, not 7"),
        ({"state": None}, "either 'state' or 'states'"),
        ({"states": "IND"}, "exactly one"),
        ({"kind": 7}, "non-empty text"),
        ({"kind": SQL}, "unknown kind"),
        ({"date": 2004}, "non-empty text"),
        ({"date": SQL}, "'date'"),
        ({"place": 5}, "non-empty text"),
        ({"note": []}, "non-empty text"),
        ({"organisation": {}}, "non-empty text"),
        ({"id": 3}, "non-empty text"),
        ({"sources": "a book"}, "must be a list"),
        ({"sources": [{"title": 1}]}, "non-empty 'title'"),
        ({"recorded": "2026"}, "must be a day"),
        ({SQL: "x"}, "unknown field"),
        ({"note": "\ud800"}, "lone surrogate"),
    ],
)
def test_a_malformed_record_is_refused_and_nothing_is_written(
    store: SQLiteStore, change: dict[str, Any], message: str
) -> None:
    store.append([OBSERVERS], expected=0)
    with pytest.raises(MalformedDataError, match=message) as caught:
        store.append([MONGOLIA, {**MONGOLIA, **change}], expected=1)
    assert caught.value.record == 2
    assert store.records() == [OBSERVERS]


@pytest.mark.parametrize("records", [MONGOLIA, 5, "MNG", [[MONGOLIA]], [None]])
def test_records_must_be_a_list_of_records(store: SQLiteStore, records: Any) -> None:
    with pytest.raises(MalformedDataError):
        store.append(records, expected=0)
    assert store.position() == 0


def junk() -> st.SearchStrategy[Any]:
    """Anything a caller might pass where a path, a position, a state, a ledger or an option
    belongs: wrong types, out-of-range numbers, text with NUL, records."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.integers(63, 5000).map(lambda bits: 2**bits),  # past SQLite's integers
        st.sampled_from([2**63 - 1, -(2**63)]),
        st.floats(),
        st.binary(max_size=6),
        st.text(max_size=6),
        st.text(max_size=4).map(lambda text: text + "\x00"),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(-2, 3), max_size=2),
        junk_records(),
    )


def junk_paths() -> st.SearchStrategy[Any]:
    """Paths that name no file sqlite3 may open: never text that could make a file."""
    return junk().filter(lambda path: not isinstance(path, str) or "\x00" in path or not path)


@given(
    batch=st.lists(junk_records(), max_size=3),
    expected=st.one_of(
        st.just(1),
        junk(),
        st.dictionaries(
            st.sampled_from(["MNG", "IND", "India"]) | st.none() | st.integers() | st.binary(),
            junk(),
            max_size=2,
        ),
    ),
    position=junk(),
    state=junk(),
    ledger=junk(),
    path=junk_paths(),
    options=st.dictionaries(st.sampled_from(["rules", "timeout"]), junk(), max_size=2),
)
@example(
    batch=[MONGOLIA],
    expected={},
    position=2**63,
    state=b"IND",
    ledger=None,
    path="a\x00b",
    options={"timeout": 2**5000},
)
def test_only_library_errors_escape_and_a_refusal_writes_nothing(
    batch: list[Any],
    expected: Any,
    position: Any,
    state: Any,
    ledger: Any,
    path: Any,
    options: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "e.db") as store:
        store.append([MONGOLIA], expected=0)
        try:
            store.append(batch, expected=expected)
        except MembershipError:
            assert store.records() == [MONGOLIA]
        else:
            assert store.records() == [MONGOLIA, *batch]
        calls = [
            lambda: store.position(state),
            lambda: store.changes_since(position),
            lambda: store.follow(ledger, position),
            lambda: store.follow(Ledger({}), position),
            lambda: SQLiteStore.from_ledger(Path(folder) / "new.db", ledger),
            lambda: SQLiteStore(path),
            lambda: SQLiteStore(Path(folder) / "other.db", **options),
        ]
        for call in calls:
            try:
                opened = call()
            except MembershipError:
                continue
            if isinstance(opened, SQLiteStore):
                opened.close()
        # Nothing made but the stores the calls were asked for (and their WAL files).
        made = {name.split("-")[0] for name in os.listdir(folder)}
        assert made <= {"e.db", "new.db", "other.db"}
        store.verify()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": -1}, "bad timeout -1: a number of seconds"),
        ({"timeout": "10"}, "bad timeout '10'"),
        ({"timeout": True}, "bad timeout True"),
        ({"timeout": math.inf}, "bad timeout inf"),
        ({"timeout": math.nan}, "bad timeout nan"),
        ({"timeout": 2**5000}, "bad timeout <an integer of 1,506 digits>"),
        ({"rules": "SCO"}, "bad rules 'SCO': a RuleSet"),
    ],
)
def test_options_are_checked_before_the_file_is_touched(
    path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        SQLiteStore(path, **options)
    assert not path.exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (None, "a path is text, not NoneType"),
        (b"events.db", "a path is text, not bytes"),
        (7, "a path is text, not int"),
        ("", "an empty path names no file"),
        ("events\x00.db", "cannot hold a NUL character"),
        ("\ud800.db", "cannot be encoded"),
    ],
)
def test_a_path_must_name_a_file(path: Any, message: str) -> None:
    with pytest.raises(FileError, match=message):
        SQLiteStore(path)


def test_follow_takes_a_ledger_under_the_store_s_rules(store: SQLiteStore) -> None:
    with pytest.raises(OptionError, match="bad ledger None: a Ledger"):
        store.follow(None, 0)  # type: ignore[arg-type]
    granted = Transition(
        EventKind.OBSERVER_GRANTED, Standing(Status.NONE), Standing(Status.OBSERVER)
    )
    left = Transition(EventKind.WITHDRAWAL, Standing(Status.OBSERVER), Standing(Status.NONE))
    other = Ledger({}, RuleSet("other", "Org", [granted, left]))
    with pytest.raises(OptionError, match="under the store's rule set"):
        store.follow(other, 0)
    with pytest.raises(OptionError, match="a Ledger"):
        SQLiteStore.from_ledger(store.path, [MONGOLIA])  # type: ignore[arg-type]


def test_sql_in_every_text_field_is_stored_as_text(store: SQLiteStore, path: Path) -> None:
    record = {
        "id": SQL,
        "state": "IND",
        "kind": "observer_granted",
        "date": "2005-07-05",
        "place": SQL,
        "sources": [{"title": SQL, "url": f"https://example.org/?q={SQL}"}],
        "note": 'x"); DELETE FROM streams; --',
        "organisation": "Robert'); DROP TABLE streams;--",
    }
    store.append([record], expected=0)
    store.append([{**MONGOLIA, "note": SQL}], expected=1)
    assert store.records() == [record, {**MONGOLIA, "note": SQL}]
    assert store.ledger().history("IND").events[0].place == SQL
    store.verify()
    with raw(path) as connection:
        assert connection.execute("SELECT count(*) FROM streams").fetchone()[0] == 2


def test_another_rule_set_decides_what_is_allowed(path: Path) -> None:
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
    with SQLiteStore(path, rules=lax) as store:
        assert store.append([OBSERVERS, twice], expected=0) == 2
        assert store.ledger().rules is lax
    with SQLiteStore(path) as store, pytest.raises(IllegalTransitionError):
        store.ledger()  # the SCO's rules do not allow this log


# Files that are not stores, or are damaged.


def beside(path: Path) -> list[str]:
    return sorted(found.name for found in path.parent.iterdir())


def unchanged_after_refusal(path: Path, match: str, *, alone: bool = True) -> MalformedDataError:
    """Open ``path``, refused with ``match``: the file's bytes are as they were and, if
    ``alone``, no journal or WAL was made beside it (sqlite3 never opened it for writing)."""
    before, names = path.read_bytes(), beside(path)
    with pytest.raises(MalformedDataError, match=match) as caught, SQLiteStore(path) as store:
        store.append([MONGOLIA], expected=0)
    assert caught.value.file == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert path.read_bytes() == before
    if alone:
        assert beside(path) == names
    return caught.value


def header(*, application: int = APPLICATION_ID, page: int = 4096) -> bytes:
    """A database header (100 bytes) with an application id and a page size."""
    head = bytearray(b"SQLite format 3\x00" + bytes(84))
    head[16:18] = page.to_bytes(2, "big")
    head[68:72] = application.to_bytes(4, "big")
    return bytes(head)


def test_a_file_that_is_not_a_database_is_refused(path: Path) -> None:
    path.write_text('{"state": "MNG", "kind": "observer_granted", "date": "2004-06"}\n')
    unchanged_after_refusal(path, "not an SQLite database file")
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    unchanged_after_refusal(path, "not an sco-membership event store")
    path.write_bytes(header()[:60])
    unchanged_after_refusal(path, "header is cut short: 60 bytes of 100")
    path.write_bytes(header(page=1000) + bytes(900))
    unchanged_after_refusal(path, "page size of 1000")
    path.write_bytes(header() + bytes(range(256)) * 16)
    unchanged_after_refusal(path, "not a readable event store", alone=False)


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_programs_database_is_refused_untouched(path: Path, journal: str) -> None:
    with raw(path) as connection:
        connection.execute(f"PRAGMA journal_mode = {journal}")
        connection.execute("CREATE TABLE events (position INTEGER PRIMARY KEY, record TEXT)")
        connection.execute("INSERT INTO events VALUES (1, 'x')")
    unchanged_after_refusal(path, r"not an sco-membership event store \(application id 0\)")
    with raw(path) as connection:  # not switched to WAL (nor out of it)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == journal


@pytest.mark.parametrize(
    "make",
    [
        ["PRAGMA user_version = 3"],
        ["PRAGMA application_id = 42"],
        ["PRAGMA page_size = 1024", "VACUUM"],
        ["CREATE TABLE t (x)", "DROP TABLE t"],
    ],
)
def test_another_programs_empty_database_is_not_adopted(path: Path, make: list[str]) -> None:
    # An SQLite database with no table is still another program's: only a missing or an
    # empty (0-byte) file becomes a new store.
    with raw(path) as connection:
        for statement in make:
            connection.execute(statement)
    assert path.stat().st_size > 0
    error = unchanged_after_refusal(path, "not an sco-membership event store")
    assert "application id" in str(error)
    with raw(path) as connection:
        assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_a_store_cut_short_or_added_to_by_one_byte_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    SQLiteStore.from_ledger(whole, scm.sco()).close()
    data = whole.read_bytes()
    for name, damaged in [("short", data[:-1]), ("long", data + b"\x00")]:
        path = tmp_path / f"{name}.db"
        path.write_bytes(damaged)
        unchanged_after_refusal(path, "not a whole number of 4096-byte pages: it was cut short")


def test_a_damaged_page_is_found_when_the_store_is_opened(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    SQLiteStore.from_ledger(whole, scm.sco()).close()
    data = bytearray(whole.read_bytes())
    data[3 * 4096 + 8 : 3 * 4096 + 24] = b"\xff" * 16  # a cell offset of a table's page
    path = tmp_path / "damaged.db"
    path.write_bytes(data)
    # Read-only, sqlite3 may make the WAL's files beside it: the store's own bytes stay.
    unchanged_after_refusal(path, r"not a readable event store \(damaged: ", alone=False)


def test_what_is_not_a_regular_file_is_refused_before_sqlite_sees_it(tmp_path: Path) -> None:
    journal = Path("/dev/null-journal")  # the journal sqlite3 would make beside /dev/null
    was = journal.stat() if journal.exists() else None
    if Path("/dev/null").exists():
        with pytest.raises(FileError, match="is not a regular file") as caught:
            SQLiteStore("/dev/null")
        assert caught.value.path == "/dev/null"
        assert (journal.stat() if journal.exists() else None) == was
    with pytest.raises(FileError, match="is a directory") as caught:
        SQLiteStore(tmp_path)
    assert caught.value.path == str(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        with pytest.raises(FileError, match="is not a regular file"):
            SQLiteStore(fifo)
        assert beside(fifo) == ["fifo"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="file modes (root may write any file: see test_store_processes.py)",
)
def test_a_store_that_cannot_be_written_is_opened_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "events.db"
    with SQLiteStore(path) as store:
        store.append([MONGOLIA, OBSERVERS], expected=0)
    before = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with SQLiteStore(path) as store:
            assert store.read_only
            assert "read-only" in repr(store)
            assert store.records() == [MONGOLIA, OBSERVERS]
            assert store.ledger() == Ledger.from_records([MONGOLIA, OBSERVERS])
            assert store.changes_since(1) == ([OBSERVERS], 2)
            assert store.position("IND") == 1
            store.verify()
            with pytest.raises(FileError, match=r"open read-only .*nothing was written") as caught:
                store.append([STARTED], expected=2)
            assert caught.value.path == str(path)
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_a_store_from_a_newer_version_is_refused(path: Path) -> None:
    SQLiteStore(path).close()
    with raw(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    unchanged_after_refusal(path, f"schema version {SCHEMA_VERSION + 1}, newer than")


def test_a_store_without_its_tables_is_refused(path: Path) -> None:
    SQLiteStore(path).close()
    with raw(path) as connection:
        connection.execute("DROP TABLE streams")
    unchanged_after_refusal(
        path, r"without its tables \(schema 1; missing: streams\)", alone=False
    )


def test_a_truncated_store_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    SQLiteStore.from_ledger(whole, scm.sco()).close()
    data = whole.read_bytes()
    page = 4096
    assert len(data) > 4 * page
    # Every cut that loses at least a page; the last page cut short is read as zeros by sqlite.
    for cut in [1, 50, 99, 100, 101, *range(page, len(data) - page + 1, 1024)]:
        path = tmp_path / f"cut{cut}.db"
        path.write_bytes(data[:cut])
        unchanged_after_refusal(path, "not a readable event store")


def test_a_damaged_row_is_reported_with_its_position(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.append([MONGOLIA, OBSERVERS], expected=0)
    with raw(path) as connection:
        connection.execute("UPDATE events SET record = '{\"state\": ' WHERE position = 2")
    with SQLiteStore(path) as store:
        with pytest.raises(MalformedDataError, match="record 2: the stored record is not"):
            store.records()
        with pytest.raises(MalformedDataError, match="record 2"):
            store.append([STARTED], expected=2)
    with raw(path) as connection:
        connection.execute(
            "UPDATE events SET record = ? WHERE position = 2", (json.dumps({"state": "IND"}),)
        )
    with SQLiteStore(path) as store, pytest.raises(MalformedDataError, match="record 2: the"):
        store.ledger()


def test_check_finds_streams_that_disagree_with_the_records(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.append([MONGOLIA, OBSERVERS], expected=0)
        store.verify()
    with raw(path) as connection:
        connection.execute("DELETE FROM streams WHERE state = 'PAK'")
    with SQLiteStore(path) as store, pytest.raises(MalformedDataError, match="record 2 and"):
        store.verify()
    with raw(path) as connection:
        connection.execute("UPDATE streams SET position = 5 WHERE state = 'IND'")
    with SQLiteStore(path) as store, pytest.raises(MalformedDataError, match="stream of IND"):
        store.verify()


def test_a_gap_in_the_positions_is_reported(path: Path) -> None:
    with SQLiteStore(path) as store:
        store.append([MONGOLIA], expected=0)
    with raw(path) as connection:
        connection.execute("UPDATE events SET position = 3")
    with SQLiteStore(path) as store, pytest.raises(MalformedDataError, match="record 1 is"):
        store.records()


def test_a_missing_directory_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "events.db"
    with pytest.raises(FileError, match="no such folder") as caught:
        SQLiteStore(path)
    assert caught.value.path == str(path)
    assert isinstance(caught.value, OSError)
    assert not (tmp_path / "absent").exists()


# Following the store.


def test_a_follower_reads_only_what_is_new(path: Path) -> None:
    with SQLiteStore(path) as writer, SQLiteStore(path) as reader:
        writer.append([MONGOLIA], expected=0)
        ledger, position = reader.follow(Ledger({}), 0)
        assert (ledger, position) == (Ledger.from_records([MONGOLIA]), 1)
        assert reader.follow(ledger, position) == (ledger, 1)  # nothing new: the same ledger
        writer.append([OBSERVERS, STARTED], expected=1)
        assert reader.changes_since(position) == ([OBSERVERS, STARTED], 3)
        assert reader.changes_since(3) == ([], 3)
        ledger, position = reader.follow(ledger, position)
        assert (ledger, position) == (reader.ledger(), 3)
        assert ledger.status("IND", "2016-01-01").status is Status.ACCEDING


def test_a_reader_s_ledger_keeps_up_with_other_writers(path: Path) -> None:
    with SQLiteStore(path) as writer, SQLiteStore(path) as reader:
        assert reader.ledger() == Ledger({})
        writer.append([MONGOLIA], expected=0)
        assert reader.ledger() == Ledger.from_records([MONGOLIA])
        writer.append([OBSERVERS], expected=1)
        assert reader.ledger() == Ledger.from_records([MONGOLIA, OBSERVERS])


def test_a_position_the_log_has_not_reached_is_refused(store: SQLiteStore) -> None:
    store.append([MONGOLIA], expected=0)
    with pytest.raises(ConcurrencyError, match="at position 1, not 5"):
        store.changes_since(5)
    with pytest.raises(MalformedDataError, match=r"must be a position \(0 or more\), not -1"):
        store.follow(Ledger({}), -1)
    with pytest.raises(MalformedDataError, match=r"must be a position \(0 or more\), not -1"):
        store.changes_since(-1)
    with pytest.raises(MalformedDataError, match="must be a position"):
        store.changes_since("1")  # type: ignore[arg-type]
    with pytest.raises(MalformedDataError, match="must be a position"):
        store.changes_since(True)


def test_the_stamp_pragmas_carry_the_constants() -> None:
    stamp = (
        f"PRAGMA application_id = {APPLICATION_ID}",
        f"PRAGMA user_version = {SCHEMA_VERSION}",
    )
    assert stamp == _sqlite.STAMP


def test_corrections_and_retractions_are_stored_and_applied(path: Path) -> None:
    observer = {
        "state": "MNG",
        "kind": "observer_granted",
        "date": "2004-06",
        "recorded": "2004-07-01",
    }
    correction = place_corrected("observer_granted/MNG/2004-06")
    with SQLiteStore(path) as store:
        store.append([observer], expected=0)
        store.append([correction], expected=1)
        assert store.records() == [observer, correction]
        ledger = store.ledger()
    assert ledger.history("MNG").events[0].place == "Tashkent"
    assert ledger == Ledger.from_records([observer, correction])
    with SQLiteStore(path) as again:
        assert again.ledger() == ledger
        again.verify()
        with pytest.raises(UnknownEventError):
            again.append([{**correction, "amends": "nothing"}], expected=2)
        assert again.position() == 2


def test_the_store_is_exported_lazily() -> None:
    import sco_membership as scm
    from sco_membership import store

    assert scm.SQLiteStore is store.SQLiteStore
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        scm.Nothing  # type: ignore[attr-defined]  # noqa: B018


# The cost of an append.


def filled(path: Path, size: int) -> SQLiteStore:
    """A store of ``size`` events in ten states, and one correction."""
    states = ["MNG", "IND", "PAK", "IRN", "BLR", "AFG", "TUR", "EGY", "QAT", "SAU"]
    first = dt.date(1800, 1, 1).toordinal()
    records = [
        {
            "id": f"{states[k % 10]}-{k}",
            "state": states[k % 10],
            "kind": "application",
            "date": dt.date.fromordinal(first + k // 10).isoformat(),
        }
        for k in range(size)
    ]
    correction = place_corrected("MNG-0")
    store = SQLiteStore(path)
    store.append([*records, correction], expected=0)
    return store


@pytest.mark.slow
def test_an_append_after_a_correction_costs_the_same_with_twice_the_events(
    tmp_path: Path,
) -> None:
    # The batch is validated against the ledger the store holds, folding only the states it
    # names: an append must not cost more as the log grows. Ratios of times, never a limit in
    # seconds: each doubling below 3 (noise allowed), and three doublings too (where
    # re-folding the whole log costs 8 times as much). The stores take turns, so that a busy
    # moment of the machine slows them alike, and each keeps its best time.
    sizes = [2500, 5000, 10000, 20000]
    with contextlib.ExitStack() as stack:
        stores = [stack.enter_context(filled(tmp_path / f"{n}.db", n)) for n in sizes]
        times: list[list[float]] = [[] for _ in sizes]
        for k in range(15):
            record = {"state": "KAZ", "kind": "application", "date": f"{1900 + k}"}
            for store, taken in zip(stores, times, strict=True):
                expected = store.position()
                began = time.perf_counter()
                store.append([record], expected=expected)
                taken.append(time.perf_counter() - began)
    seconds = [min(taken) for taken in times]
    ratios = [later / earlier for earlier, later in itertools.pairwise(seconds)]
    figures = ", ".join(
        f"{size}: {1000 * taken:.2f} ms" for size, taken in zip(sizes, seconds, strict=True)
    )
    assert all(ratio < 3 for ratio in ratios), figures
    assert seconds[-1] / seconds[0] < 3, figures


def test_claims_are_stored_and_a_claim_of_no_event_writes_nothing(store: SQLiteStore) -> None:
    event = {"state": "PAK", "kind": "observer_granted", "date": "2005-07-05"}
    claim = {
        "state": "PAK",
        "kind": "claim",
        "says": "observer_granted",
        "date": "2005-06",
        "verdict": "rejected",
        "reason": "the ministers agreed in June; the Council decided in July",
        "event": "observer_granted/PAK/2005-07-05",
        "sources": [{"title": "An analysis", "publisher": "A blog", "published": "2006"}],
    }
    assert store.append([event, claim], expected=0) == 2
    assert store.ledger().claims == Ledger.from_records([event, claim]).claims
    assert store.records() == [event, claim]
    orphan = claim | {"event": "observer_granted/PAK/2005-07-06"}
    with pytest.raises(MalformedDataError, match="which the log does not hold"):
        store.append([orphan], expected=2)
    assert store.position() == 2
