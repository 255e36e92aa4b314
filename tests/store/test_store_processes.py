"""The SQLite event store under several processes: concurrent writers, and a writer killed.

Each child is a fresh interpreter (``sys.executable -c``) running with warnings as errors; it
tells the parent where it is on its stdout, so the parent can start the writers together and
kill a writer at a chosen moment. Nothing is printed: the figures are in the assertion messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import children
from children import failure, line
from sco_membership.store import SQLiteStore

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="kills with SIGKILL"),
    pytest.mark.slow,
]

# An application changes no status, so a state may have any number of them: every writer can
# append to the same state, and only the positions decide who goes first.
WRITER = """
import datetime as dt, json, sys
from sco_membership.exceptions import ConcurrencyError
from sco_membership.store import SQLiteStore

path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()  # all start together, and the first ones create the store together
retries = 0
with SQLiteStore(path, timeout=30) as store:
    for number in range(count):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=1000 * writer + number)
        record = {"id": f"w{writer}-{number:03d}", "state": "MNG", "kind": "application",
                  "date": day.isoformat(), "note": "'); DROP TABLE events; --"}
        while True:
            # Half the writers expect a position of the log, half one of the state.
            if writer % 2:
                expected = {"MNG": store.position("MNG")}
            else:
                expected = store.position()
            try:
                store.append([record], expected=expected)
                break
            except ConcurrencyError:
                retries += 1
print(json.dumps({"retries": retries}), flush=True)
"""

# Appends one big batch and stops inside its transaction, every row inserted, until killed.
STUCK = """
import sys, time
from sco_membership.store import SQLiteStore
from test_store_processes import batch

path, size = sys.argv[1], int(sys.argv[2])
store = SQLiteStore(path)
store._connection.execute("PRAGMA cache_size = 20")  # spill rows to the WAL before commit

def stop():
    print("inside", flush=True)
    time.sleep(120)

store._before_commit = stop
store.append(batch(1, size), expected=store.position())
"""

# Appends big batches one after another until killed, at whatever point it is reached.
BUSY = """
import sys
from sco_membership.store import SQLiteStore
from test_store_processes import batch

path, size = sys.argv[1], int(sys.argv[2])
with SQLiteStore(path) as store:
    for number in range(1, 1000):
        store.append(batch(number, size), expected=store.position())
        if number == 1:
            print("committed", flush=True)
"""


# Reads a store that cannot be written, and tries to append to it.
READER = """
import json, sys
from sco_membership.exceptions import MembershipError
from sco_membership.store import SQLiteStore

with SQLiteStore(sys.argv[1]) as store:
    store.verify()
    seen = {"read_only": store.read_only, "records": store.records(),
            "position": store.position(), "since": store.changes_since(1),
            "states": sorted(store.ledger().histories)}
    try:
        store.append([{"state": "IND", "kind": "application", "date": "2009"}], expected=2)
    except MembershipError as error:
        seen["append"] = [type(error).__name__, str(error)]
print(json.dumps(seen), flush=True)
"""


def batch(number: int, size: int) -> list[dict[str, str]]:
    """Batch ``number`` of ``size`` applications by Mongolia, on days of their own."""
    start = dt.date(1990, 1, 1).toordinal() + number * size
    return [
        {
            "id": f"b{number}-{k}",
            "state": "MNG",
            "kind": "application",
            "date": dt.date.fromordinal(start + k).isoformat(),
        }
        for k in range(size)
    ]


# Children start in this folder, so that they can import this module.
running = functools.partial(children.running, cwd=Path(__file__).parent)


def integrity(path: Path) -> str:
    with SQLiteStore(path) as store:
        connection = store._live()
        return ";".join(row[0] for row in connection.execute("PRAGMA integrity_check"))


def test_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    path, writers, count = tmp_path / "events.db", 4, 50
    began = time.perf_counter()
    with contextlib.ExitStack() as stack:
        children = [stack.enter_context(running(WRITER, path, w, count)) for w in range(writers)]
        for one in children:
            assert line(one) == "ready\n", failure(one)
        for one in children:
            assert one.stdin is not None
            one.stdin.write("go\n")
            one.stdin.flush()
        outcomes = [one.communicate(timeout=120) for one in children]
        failed = [err for one, (_, err) in zip(children, outcomes, strict=True) if one.returncode]
    assert not failed, failed
    retries = sum(json.loads(out)["retries"] for out, _ in outcomes)
    seconds = time.perf_counter() - began

    with SQLiteStore(path) as store:
        store.verify()  # integrity, positions without gaps, streams, the rule set
        records = store.records()
        history = store.ledger().history("MNG")
        positions = store.position(), store.position("MNG")
    ids = [record["id"] for record in records]
    wanted = {f"w{writer}-{number:03d}" for writer in range(writers) for number in range(count)}
    lost, duplicated = len(wanted - set(ids)), len(ids) - len(set(ids))
    # How often the log passes from one writer's record to another's: they did run together.
    turns = sum(a.split("-")[0] != b.split("-")[0] for a, b in itertools.pairwise(ids))
    figures = (
        f"writers={writers}, events={len(ids)} of {len(wanted)}, lost={lost},"
        f" duplicated={duplicated}, retries={retries}, turns between writers={turns},"
        f" seconds={seconds:.1f}"
    )
    assert (lost, duplicated, len(ids)) == (0, 0, writers * count), figures
    assert positions == (writers * count, writers * count), figures
    assert len(history.events) == writers * count, figures
    for writer in range(writers):  # each writer's records in the order it appended them
        own = [name for name in ids if name.startswith(f"w{writer}-")]
        assert own == sorted(own), figures
    assert all(record["note"] == "'); DROP TABLE events; --" for record in records), figures


def test_a_writer_killed_inside_its_transaction_leaves_none_of_its_batch(tmp_path: Path) -> None:
    path, size = tmp_path / "events.db", 5000
    with SQLiteStore(path) as store:
        before = store.append(batch(0, 10), expected=0)
    began = time.perf_counter()
    with running(STUCK, path, size) as writer:
        assert line(writer) == "inside\n", failure(writer)
        wal = path.with_name(path.name + "-wal").stat().st_size  # uncommitted rows on disk
        check, records, seconds = killed_then_read(writer, path, began)
    found = len(records)
    written = found - before
    figures = (
        f"writers=1, batch={size}, killed with {wal} bytes in the WAL, committed before={before},"
        f" found={found}, of the batch={written}, partial={written not in (0, size)},"
        f" seconds={seconds:.1f}"
    )
    assert check == "ok", figures
    assert wal > 0, figures
    assert writer.returncode == -9, figures
    assert written == 0, figures  # the commit never came: none of it
    assert records == batch(0, 10), figures


def killed_then_read(
    writer: subprocess.Popen[str], path: Path, began: float
) -> tuple[str, list[dict[str, Any]], float]:
    """SIGKILL the writer, then reopen the store: its integrity check, its records, and the
    seconds since ``began``."""
    writer.kill()
    writer.wait()
    seconds = time.perf_counter() - began
    check = integrity(path)
    with SQLiteStore(path) as store:
        store.verify()
        records = store.records()
    return check, records, seconds


def test_a_writer_killed_at_any_moment_leaves_whole_batches(tmp_path: Path) -> None:
    path, size = tmp_path / "events.db", 2000
    began = time.perf_counter()
    with running(BUSY, path, size) as writer:
        assert line(writer) == "committed\n", failure(writer)
        time.sleep(1.0)  # more batches committed, one most likely under way
        check, records, seconds = killed_then_read(writer, path, began)
    whole, rest = divmod(len(records), size)
    expected = [record for number in range(1, whole + 1) for record in batch(number, size)]
    figures = (
        f"writers=1, batch={size}, events={len(records)}, whole batches={whole},"
        f" partial rows={rest}, seconds={seconds:.1f}"
    )
    assert check == "ok", figures
    assert writer.returncode == -9, figures
    assert rest == 0, figures
    assert records == expected, figures
    assert whole >= 1, figures


def read_only_view(folder: Path, how: str) -> list[str] | None:
    """The command that runs a child interpreter to which ``folder`` cannot be written, or
    ``None`` if this system cannot make one (it needs Linux user namespaces)."""
    unshare = shutil.which("unshare")
    if sys.platform != "linux" or unshare is None:
        return None
    if how == "mount":  # the folder bound read-only over itself, in a mount namespace
        script = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"'
        command = [unshare, "-rm", "sh", "-c", f'{script} && exec "$0" "$@"', sys.executable]
    else:  # an unprivileged user (not root, whoever runs the tests), the modes taking effect
        command = [unshare, "--map-user=1000", sys.executable]
    probe = subprocess.run([*command, "-c", "pass"], capture_output=True, check=False)
    return command if probe.returncode == 0 else None


@pytest.mark.parametrize("how", ["mount", "modes"])
def test_a_store_that_cannot_be_written_is_read_read_only(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "events.db"
    records: list[dict[str, Any]] = [
        {"state": "MNG", "kind": "observer_granted", "date": "2004-06"},
        {"states": ["IND", "PAK"], "kind": "observer_granted", "date": "2005-07-05"},
    ]
    with SQLiteStore(path) as store:
        store.append(records, expected=0)
    command = read_only_view(folder, how)
    if command is None:
        pytest.skip("no user namespaces here (unshare)")
    before, names = path.read_bytes(), sorted(found.name for found in folder.iterdir())
    folder.chmod(0o555)
    path.chmod(0o444)
    try:
        done = subprocess.run(
            [*command, "-W", "error", "-c", READER, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["read_only"] is True
    assert seen["records"] == records
    assert (seen["position"], seen["since"]) == (2, [records[1:], 2])
    assert seen["states"] == ["IND", "MNG", "PAK"]
    kind, message = seen["append"]
    assert kind == "FileError"
    assert message.startswith(f"{path}: the store is open read-only (")
    assert message.endswith("nothing was written")
    assert path.read_bytes() == before
    assert sorted(found.name for found in folder.iterdir()) == names
