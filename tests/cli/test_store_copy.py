"""``sco-membership store copy``: a record moved between SQLite files and PostgreSQL databases,
either way, ending with equal fingerprints (a real PostgreSQL server, started here)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sco_membership as scm
from sco_membership.cli import main
from sco_membership.store import SQLiteStore

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    pytest.importorskip("psycopg", reason="the [postgres] extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, without XDG_RUNTIME_DIR
        pgserver = pytest.importorskip("pgserver", reason="pgserver is not installed")
    folder = Path(tempfile.mkdtemp(prefix="sco-pg-cli-"))
    handle = pgserver.get_server(folder / "data", cleanup_mode="delete")
    try:
        yield handle
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def database(server: Any) -> str:
    import psycopg

    name = f"copy{next(_numbers)}"
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return str(server.get_uri(name))


def test_the_embedded_record_goes_to_postgres_and_back(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, back = tmp_path / "sco.db", tmp_path / "back.db"
    SQLiteStore.from_ledger(first, scm.sco()).close()
    address = database(server)
    fingerprint = scm.sco().fingerprint()
    count = len(scm.sco().to_records())

    assert main(["store", "copy", str(first), address]) == 0
    assert capsys.readouterr().out == (
        f"copied {count} records; fingerprint sha256:{fingerprint[:12]} on both sides\n"
    )
    assert main(["store", "copy", address, str(back)]) == 0
    assert f"sha256:{fingerprint[:12]} on both sides" in capsys.readouterr().out

    from sco_membership.store import PostgresStore

    with PostgresStore(address) as middle, SQLiteStore(back) as last:
        assert middle.records() == last.records() == scm.sco().to_records()
        assert middle.ledger().fingerprint() == last.ledger().fingerprint() == fingerprint


def test_sqlite_to_sqlite_under_another_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "brics.db", tmp_path / "copy.db"
    SQLiteStore.from_ledger(source, scm.brics()).close()
    assert main(["store", "copy", str(source), str(target), "--organisation", "brics"]) == 0
    assert f"sha256:{scm.brics().fingerprint()[:12]}" in capsys.readouterr().out
    with SQLiteStore(target, rules=scm.brics().rules) as copied:
        assert copied.ledger() == scm.brics()


def test_a_copy_goes_only_into_an_empty_store_and_needs_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "sco.db", tmp_path / "full.db"
    SQLiteStore.from_ledger(source, scm.sco()).close()
    SQLiteStore.from_ledger(target, scm.sco()).close()
    before = target.read_bytes()
    assert main(["store", "copy", str(source), str(target)]) == 2
    assert "the target already holds" in capsys.readouterr().err
    assert target.read_bytes() == before
    missing = tmp_path / "missing.db"
    assert main(["store", "copy", str(missing), str(tmp_path / "new.db")]) == 2
    assert "no such store" in capsys.readouterr().err
    assert not missing.exists()
    assert not (tmp_path / "new.db").exists()


def test_a_copy_into_a_database_that_is_not_a_store_changes_nothing(
    server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    source = tmp_path / "sco.db"
    SQLiteStore.from_ledger(source, scm.sco()).close()
    address = database(server)
    with psycopg.connect(address, autocommit=True) as connection:
        connection.execute("CREATE TABLE notes (body text)")
    assert main(["store", "copy", str(source), address]) == 2
    assert "not an sco-membership event store" in capsys.readouterr().err
    with psycopg.connect(address, autocommit=True) as connection:
        found = connection.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'sco_membership'"
        ).fetchone()
    assert found == (0,)


def test_store_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["store"])
    assert caught.value.code == 2
    assert "ACTION" in capsys.readouterr().err
