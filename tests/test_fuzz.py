"""Hostile input at every public entry point: only library errors escape, with short messages.

Each entry point (dates, states, records, JSON Lines text and files, rule-set texts and files,
validation, the SQLite store's files and arguments, the command line's arguments) is fed
generated junk; what a fuzzing pass of the project found is pinned with ``@example``. That time
grows linearly with the input is checked beside each module's tests, by doubling the input
(``tests/timing.py``): dates, state names, JSON Lines, validation, rule sets, rosters and the
store's appends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import sco_membership as scm
from parsers import option_strings, subcommands
from sco_membership.exceptions import MembershipError
from sco_membership.io import validate
from strategies import LedgerLog, json_values, junk_records, ledger_logs

#: A library message may quote the input, but briefly.
LONGEST_MESSAGE = 2000

# Any text, lone surrogates included (hypothesis leaves category Cs out by default).
ANY_CHARACTER = st.characters(exclude_categories=())
HOSTILE_TEXT = st.text(ANY_CHARACTER, max_size=40) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "\uff12\uff10\uff11\uff16-06-24",
        "\u0662\u0660\u0661\u0666-06-24",
        "2016-06-24T10:00",
        "1" * 5000,
        "[" * 1200,
        "9" * 5000,
        "-",
        "../../etc/passwd",
        "\ufeff2016",
    ]
)
#: Values of the wrong type where text or a date belongs.
ODD_VALUES = st.sampled_from(
    [None, b"2016-06-24", 2016, 2016.5, True, ["2016"], {"date": "2016"}, object(), dt.time(1)]
)


def library_errors_only(call: Callable[[], object]) -> None:
    """Run ``call``; a library error is fine if its message is short, anything else fails."""
    message = ""
    try:
        call()
    except MembershipError as error:
        message = str(error)
    assert len(message) <= LONGEST_MESSAGE, message[:200]


@contextlib.contextmanager
def silenced() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


# --- dates and states --------------------------------------------------------------------------


@given(value=HOSTILE_TEXT | ODD_VALUES)
@example(value="1" * 100_000)
@example(value="\uff12\uff10\uff11\uff16-06-24")
@example(value=dt.datetime(2016, 6, 24, 10, 30))
def test_any_date_argument_raises_only_library_errors(value: Any) -> None:
    sco = scm.sco()
    library_errors_only(lambda: scm.PartialDate.parse(value))
    library_errors_only(lambda: scm.PartialDate.of(value))
    library_errors_only(lambda: sco.status("IND", value))
    library_errors_only(lambda: sco.roster(value))
    library_errors_only(lambda: sco.statuses("IND", [value]))
    library_errors_only(lambda: scm.PartialDate(value))


def test_unicode_digits_are_no_date() -> None:
    for text in ("\uff12\uff10\uff11\uff16-06-24", "\u0662\u0660\u0661\u0666", "2016-\uff106-24"):
        with pytest.raises(scm.exceptions.DateError):
            scm.PartialDate.parse(text)


@given(value=HOSTILE_TEXT | ODD_VALUES)
@example(value="x" * 1_000_000)
@example(value="Indai")
def test_any_state_argument_raises_only_library_errors(value: Any) -> None:
    library_errors_only(lambda: scm.resolve(value))
    library_errors_only(lambda: scm.sco().status(value, "2016-06-24"))
    library_errors_only(lambda: scm.sco().history(value))


@given(value=HOSTILE_TEXT | ODD_VALUES)
@example(value="obsrever")
@example(value=["observer"])
def test_any_status_argument_raises_only_library_errors(value: Any) -> None:
    library_errors_only(lambda: scm.sco().with_status(value, "2016-06-24"))
    library_errors_only(lambda: scm.sco().duration("IND", value, until="2017-06-09"))


# --- records, JSON Lines, validation -----------------------------------------------------------

HOSTILE_RECORDS = st.lists(
    junk_records()
    | st.fixed_dictionaries(
        {"state": st.just("IND"), "kind": st.just("observer_granted"), "date": st.just("2005")},
        optional={"note": HOSTILE_TEXT, "place": HOSTILE_TEXT, "id": HOSTILE_TEXT},
    ),
    max_size=4,
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(records=HOSTILE_RECORDS)
@example(records=[{"state": "IND", "kind": "observer_granted", "date": "2005", "note": "\ud800"}])
@example(records=[{"state": "IND", "kind": "observer_granted", "date": "2005", "n": 10**5000}])
@example(records=[{"state": "IND", "kind": "observer_granted", "date": "1" * 10_000}])
def test_any_records_raise_only_library_errors(records: list[Any]) -> None:
    library_errors_only(lambda: scm.Ledger.from_records(records))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(ANY_CHARACTER, max_size=200) | json_values().map(json.dumps))
@example(text='{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005"}')
@example(text="[" * 1200 + "]" * 1200)
@example(
    text='{"state": "IND", "kind": "observer_granted", "date": "2005", "n": ' + "9" * 5000 + "}"
)
@example(text='{"state": "IND", "kind": "observer_granted", "date": "2005", "note": "\\ud800"}')
def test_any_json_lines_text_raises_only_library_errors(text: str) -> None:
    library_errors_only(lambda: scm.loads(text))
    library_errors_only(lambda: validate.check(text))


def test_a_duplicated_key_is_refused_not_overwritten() -> None:
    text = '{"state": "IND", "state": "PAK", "kind": "observer_granted", "date": "2005"}\n'
    with pytest.raises(scm.exceptions.MalformedDataError, match="state"):
        scm.loads(text)
    assert not validate.check(text).valid


def test_a_lone_surrogate_is_refused_when_read() -> None:
    text = '{"state": "IND", "kind": "observer_granted", "date": "2005", "note": "\\ud800"}\n'
    with pytest.raises(scm.exceptions.MalformedDataError):
        scm.loads(text)


@settings(max_examples=40)
@given(data=st.binary(max_size=300))
@example(data="{}".encode("latin-1") + b"\xe9\n")
@example(data=b"\xef\xbb\xbf" + b'{"state": "IND", "kind": "observer_granted", "date": "2005"}')
@example(data=b"SQLite format 3\x00" + bytes(100))
def test_any_file_raises_only_library_errors(tmp_path_factory: Any, data: bytes) -> None:
    path = tmp_path_factory.mktemp("files") / "log.jsonl"
    path.write_bytes(data)
    library_errors_only(lambda: scm.load(path))
    library_errors_only(lambda: validate.check_file(path))
    for suffix in (".json", ".toml"):
        rules = path.with_suffix(suffix)
        rules.write_bytes(data)
        library_errors_only(lambda rules=rules: scm.RuleSet.load(rules))


def test_a_file_with_a_byte_order_mark_loads() -> None:
    text = '\ufeff{"state": "IND", "kind": "observer_granted", "date": "2005"}\n'
    assert scm.loads(text.lstrip("\ufeff")).states == ("IND",)


# --- rule-set texts -------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(ANY_CHARACTER, max_size=200) | json_values().map(json.dumps),
    form=st.sampled_from(["toml", "json"]),
)
@example(text="a = " + "[" * 500 + "]" * 500, form="toml")
@example(text="[" * 500 + "]" * 500, form="json")
@example(text='{"name": "x", "organisation": "y", "statuses": [["none"]]}', form="json")
def test_any_rule_set_text_raises_only_library_errors(text: str, form: str) -> None:
    library_errors_only(lambda: scm.RuleSet.loads(text, format=form))


# --- the SQLite store -------------------------------------------------------------------------


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=200),
    records=HOSTILE_RECORDS,
    expected=st.none() | ODD_VALUES | st.integers() | st.just({}),
)
@example(data=b"", records=[], expected={})
@example(data=b"", records=[], expected=2**63)
def test_any_store_file_and_argument_raise_only_library_errors(
    tmp_path: Path, data: bytes, records: list[Any], expected: Any
) -> None:
    path = tmp_path / f"store-{os.urandom(4).hex()}.sqlite"
    if data:
        path.write_bytes(data)

    def use() -> None:
        with scm.SQLiteStore(path) as store:
            library_errors_only(lambda: store.append(records, expected=expected))
            library_errors_only(lambda: store.changes_since(expected))
            store.records()

    library_errors_only(use)


@pytest.mark.parametrize("path", ["/dev/null", "", "a\x00b", "/"])
def test_a_store_path_that_is_no_file_is_refused(path: str) -> None:
    journal = "/dev/null-journal"  # what sqlite3 left beside /dev/null before the check
    there = os.path.exists(journal)
    with pytest.raises(MembershipError):
        scm.SQLiteStore(path)
    assert os.path.exists(journal) == there


# --- the command line -------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        *subcommands(),
        *option_strings(),
        *("-", "IND", "India", "2016-06-24", "2024", "2001", "brics", "sco", "panel-csv"),
    ]
)


@settings(max_examples=80, deadline=None)
@given(argv=st.lists(WORDS | HOSTILE_TEXT.filter(lambda s: "\x00" not in s), max_size=6))
@example(argv=["export", "--start", "2024", "--end", "2001"])
@example(argv=["changes", "--from", "2018", "--to", "2017"])
@example(argv=["--rules", "x.toml", "--events", "x.jsonl", "status", "NOR", "2021-06-01"])
def test_any_command_line_ends_with_a_documented_exit_code(
    argv: list[str], tmp_path_factory: Any
) -> None:
    from sco_membership.cli import main

    folder = tmp_path_factory.mktemp("cli")
    cwd = os.getcwd()
    os.chdir(folder)  # whatever the words ask to write lands in a scratch folder
    try:
        with silenced():
            try:
                code = main(argv)
            except SystemExit as exit:  # argparse's --help and usage errors
                code = exit.code if isinstance(exit.code, int) else 2
    finally:
        os.chdir(cwd)
    assert code in (0, 1, 2), (argv, code)


# --- what validate calls valid, the store keeps -----------------------------------------------


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=ledger_logs(max_states=3), extra=HOSTILE_RECORDS)
def test_a_log_called_valid_is_stored_and_fingerprinted_alike(
    tmp_path: Path, log: LedgerLog, extra: list[Any]
) -> None:
    records = [*log.records, *extra]
    text = "".join(json.dumps(record) + "\n" for record in records)
    if not validate.check(text).valid:
        event("refused by validate")
        return
    event("valid")
    ledger = scm.loads(text)
    with scm.SQLiteStore(tmp_path / f"{os.urandom(4).hex()}.sqlite") as store:
        if records:
            store.append(records, expected=0)
        stored = store.ledger()
        store.verify()
    assert stored == ledger
    assert stored.fingerprint() == ledger.fingerprint()
