"""The two event stores side by side: appends per second with 1 and 8 writers, and the time
from an append to a follower seeing it.

    python benchmarks/stores.py            # the full run
    python benchmarks/stores.py --quick    # a few seconds: what CI runs
    python benchmarks/stores.py --postgres postgresql://me@host/db   # a server of your own
                                           # (an empty database: the run makes its store there)

Without ``--postgres`` a throwaway PostgreSQL server is started with ``pgserver`` (the test
extra) in a temporary folder. Each writer is a process of its own appending one record at a
time, retrying on ``ConcurrencyError``; the SQLite file is on the temporary folder's disk, in
WAL mode with ``synchronous=FULL``, and PostgreSQL runs with its default ``fsync=on``. The
SQLite follower asks ``follow()`` again every millisecond (SQLite cannot notify); the
PostgreSQL follower waits in ``follow(wait=...)``, woken by ``NOTIFY``. It prints figures and
never fails on a timing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sco_membership.ledger import Ledger
from sco_membership.store import SQLiteStore

WRITER = """
import datetime as dt, sys, time
from sco_membership.exceptions import ConcurrencyError
kind, where, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if kind == "sqlite":
    from sco_membership.store import SQLiteStore as Store
else:
    from sco_membership.store import PostgresStore as Store
with Store(where, timeout=60) as store:
    print("ready", flush=True)
    sys.stdin.readline()
    for number in range(count):
        day = dt.date(1000, 1, 1) + dt.timedelta(days=10000 * writer + number)
        record = {"state": "MNG", "kind": "application", "date": day.isoformat()}
        while True:
            try:
                store.append([record], expected=store.position())
                break
            except ConcurrencyError:
                pass
"""


def _open(kind: str, where: str) -> Any:
    if kind == "sqlite":
        return SQLiteStore(where)
    from sco_membership.store import PostgresStore

    return PostgresStore(where)


def appends_per_second(kind: str, where: str, writers: int, count: int) -> float:
    """``writers`` processes, ``count`` appends each: appends per second, all together."""
    with _open(kind, where):
        pass  # made before the writers start
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, kind, where, str(w), str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    for child in children:
        assert child.stdout is not None
        child.stdout.readline()
    began = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        child.wait()
        if child.returncode:
            raise SystemExit(f"a {kind} writer failed")
    return writers * count / (time.perf_counter() - began)


def follower_delay(kind: str, where: str, samples: int) -> float:
    """The median time, in ms, from an append's return to a follower holding the record."""
    seen: dict[int, float] = {}
    ready, stop = threading.Event(), threading.Event()

    def follow() -> None:
        with _open(kind, where) as store:
            ledger, position = store.follow(Ledger({}), 0)
            ready.set()
            while not stop.is_set():
                if kind == "sqlite":
                    ledger, now = store.follow(ledger, position)
                    if now == position:
                        time.sleep(0.001)
                else:
                    ledger, now = store.follow(ledger, position, wait=0.5)
                stamp = time.perf_counter()
                for place in range(position + 1, now + 1):
                    seen[place] = stamp
                position = now

    thread = threading.Thread(target=follow)
    thread.start()
    ready.wait()
    delays = []
    with _open(kind, where) as store:
        for number in range(samples):
            position = store.position()
            record = {"state": "KAZ", "kind": "application", "date": f"{1000 + number}"}
            store.append([record], expected=position)
            appended = time.perf_counter()
            deadline = appended + 10
            while position + 1 not in seen and time.perf_counter() < deadline:
                time.sleep(0.0001)
            delays.append(seen.get(position + 1, deadline) - appended)
            time.sleep(0.02)  # the follower asleep again before the next append
    stop.set()
    thread.join()
    return 1000 * statistics.median(delays)


@contextlib.contextmanager
def postgres(address: str | None) -> Iterator[Any]:
    """Addresses of new, empty databases: in the server at ``address``'s, or a throwaway one."""
    import psycopg

    if address is not None:
        made = iter(range(1, 100))

        def fresh_given() -> str:
            if next(made) > 1:  # the one database given: emptied between runs
                with psycopg.connect(address, autocommit=True) as connection:
                    connection.execute("DROP SCHEMA IF EXISTS sco_membership CASCADE")
            return address

        yield fresh_given
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    folder = Path(tempfile.mkdtemp(prefix="sco-pg-bench-"))
    server = pgserver.get_server(folder / "data", cleanup_mode="delete")
    numbers = iter(range(1, 100))

    def fresh() -> str:
        name = f"bench{next(numbers)}"
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return str(server.get_uri(name))

    try:
        yield fresh
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="a few seconds: fewer appends")
    parser.add_argument("--postgres", metavar="ADDRESS", help="an empty database to use")
    args = parser.parse_args(argv)
    count, samples = (20, 10) if args.quick else (200, 50)
    folder = Path(tempfile.mkdtemp(prefix="sco-bench-"))
    files = iter(range(1, 100))
    rows = []
    try:
        with postgres(args.postgres) as fresh:
            places = {
                "sqlite": lambda: str(folder / f"s{next(files)}.db"),
                "postgres": fresh,
            }
            for kind, place in places.items():
                one = appends_per_second(kind, place(), 1, count * 2)
                eight = appends_per_second(kind, place(), 8, count)
                delay = follower_delay(kind, place(), samples)
                rows.append((kind, one, eight, delay))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"event stores, {os.cpu_count()} CPUs ({'quick' if args.quick else 'full'} run)")
    print(f"{'store':<10} {'appends/s, 1 writer':>20} {'8 writers':>10} {'follower, ms':>13}")
    for kind, one, eight, delay in rows:
        print(f"{kind:<10} {one:>20.0f} {eight:>10.0f} {delay:>13.2f}")
    print("(follower: median time from an append's return to a follower holding the record;")
    print(" SQLite's follower asks every millisecond, PostgreSQL's is woken by NOTIFY)")


if __name__ == "__main__":
    main()
