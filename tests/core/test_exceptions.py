"""Every error survives pickle and copy with all its fields, so it can cross a process pool."""

from __future__ import annotations

import concurrent.futures
import copy
import datetime as dt
import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sco_membership
from sco_membership import Event, EventKind, PartialDate, Source, Standing, Status, exceptions
from sco_membership.exceptions import (
    ChartError,
    ClosedStoreError,
    ConcurrencyError,
    DateError,
    DuplicateEventError,
    FileError,
    IllegalTransitionError,
    LockTimeoutError,
    MalformedDataError,
    MembershipError,
    MissingExtraError,
    NothingKnownError,
    OptionError,
    RuleSetError,
    TermError,
    UnknownEventError,
    UnknownSourceError,
    UnknownStateError,
    UnknownTermError,
    VocabularyError,
)
from sco_membership.model import Amendment, AmendmentKind, Stage

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)

OBSERVER = Event(
    "IND",
    EventKind.OBSERVER_GRANTED,
    PartialDate.parse("2005-07-05"),
    sources=(Source("Astana declaration", "https://example.invalid/astana"),),
    place="Astana",
)
SIGNED = Event(
    "IND",
    EventKind.OBLIGATIONS_SIGNED,
    PartialDate.parse("2016-06"),
    note="the memorandum of obligations",
    recorded=dt.date(2016, 7, 1),
    organisation="SCO",
    cohort=("IND", "PAK"),
    id="ind-memorandum",
)
CORRECTION = Amendment(
    "IND",
    AmendmentKind.CORRECTION,
    "ind-memorandum",
    dt.date(2018, 1, 15),
    "the month was wrong",
    changes=(("date", PartialDate.parse("2016-06-24")),),
)
RETRACTION = Amendment(
    "PAK", AmendmentKind.RETRACTION, "nothing/PAK/2000", dt.date(2018, 1, 16), "never happened"
)
#: An illegal event of a real log: membership straight from no status.
ILLEGAL_LOG = [{"state": "IND", "kind": "membership_granted", "date": "2017-06-09"}]

#: A representative of each error the library raises, and the stdlib type it also is.
EXAMPLES: dict[type[MembershipError], tuple[Callable[[], MembershipError], type[Exception]]] = {
    ChartError: (lambda: ChartError("no state to draw"), ValueError),
    ClosedStoreError: (lambda: ClosedStoreError("/tmp/log.sqlite"), ValueError),
    ConcurrencyError: (lambda: ConcurrencyError(expected=3, actual=5, scope="IND"), RuntimeError),
    DateError: (lambda: DateError("June", "it gives no year"), ValueError),
    DuplicateEventError: (lambda: DuplicateEventError("application/IND/2008"), ValueError),
    FileError: (lambda: FileError("out/x.csv", "No such file or directory", errno=2), OSError),
    IllegalTransitionError: (
        lambda: IllegalTransitionError(
            state="IND",
            event=SIGNED,
            current=Standing(Status.OBSERVER, Stage.PROCEDURE_STARTED),
            allowed=(EventKind.APPLICATION, EventKind.WITHDRAWAL),
            after=OBSERVER,
            amendment=(CORRECTION, CORRECTION),
        ),
        ValueError,
    ),
    MalformedDataError: (
        lambda: MalformedDataError("no 'date'", file="log.jsonl", line=3, record=2),
        ValueError,
    ),
    MembershipError: (lambda: MembershipError("something went wrong"), Exception),
    MissingExtraError: (
        lambda: MissingExtraError("pandas", "pandas", "a data frame"),
        ImportError,
    ),
    OptionError: (
        lambda: OptionError("view", "sideways", ("law", "process"), "not a view"),
        ValueError,
    ),
    RuleSetError: (
        lambda: RuleSetError("SCO", "unreachable", entry="transitions[3]", file="sco.toml"),
        ValueError,
    ),
    TermError: (lambda: TermError("status", "Not A Term"), ValueError),
    UnknownEventError: (
        lambda: UnknownEventError(state="PAK", key="nothing/PAK/2000", amendment=RETRACTION),
        LookupError,
    ),
    UnknownStateError: (lambda: UnknownStateError("Atlantis", ["ATA", "ATG"]), LookupError),
    UnknownTermError: (
        lambda: UnknownTermError("status", "obsrever", ["observer"], ["observer"], rules="SCO"),
        LookupError,
    ),
    VocabularyError: (lambda: VocabularyError("status", "statuses"), TypeError),
    LockTimeoutError: (lambda: LockTimeoutError("/tmp/log.sqlite", 2.5), RuntimeError),
    NothingKnownError: (
        lambda: NothingKnownError(
            axis="published", day=dt.date(1990, 1, 1), earliest=dt.date(1996, 4, 26)
        ),
        LookupError,
    ),
    UnknownSourceError: (lambda: UnknownSourceError("TAS", ["TASS"]), LookupError),
}


def fields(error: BaseException) -> dict[str, Any]:
    """The error's public fields, with what the stdlib base keeps of its own."""
    found = {name: value for name, value in vars(error).items() if not name.startswith("_")}
    if isinstance(error, ImportError):
        found.update(msg=error.msg, name=error.name, path=error.path)
    return found


def assert_same(copied: BaseException, error: BaseException) -> None:
    assert type(copied) is type(error)
    assert str(copied) == str(error)
    assert copied.args == error.args
    assert fields(copied) == fields(error)


def round_trip(error: MembershipError, protocol: int) -> MembershipError:
    copied = pickle.loads(pickle.dumps(error, protocol=protocol))
    assert isinstance(copied, MembershipError)
    return copied


def test_every_error_has_an_example() -> None:
    classes = {getattr(exceptions, name) for name in exceptions.__all__}
    assert set(EXAMPLES) == classes


@pytest.mark.parametrize("cls", sorted(EXAMPLES, key=lambda cls: cls.__name__))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_error_pickles_with_its_fields(cls: type[MembershipError], protocol: int) -> None:
    make, base = EXAMPLES[cls]
    error = make()
    assert fields(error) or cls is MembershipError  # each error but the root keeps facts
    copied = round_trip(error, protocol)
    assert_same(copied, error)
    assert isinstance(copied, base)
    assert isinstance(copied, MembershipError)


@pytest.mark.parametrize("cls", sorted(EXAMPLES, key=lambda cls: cls.__name__))
@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
def test_every_error_copies_with_its_fields(
    cls: type[MembershipError], copier: Callable[[Any], Any]
) -> None:
    error = EXAMPLES[cls][0]()
    copied = copier(error)
    assert copied is not error
    assert_same(copied, error)


def test_an_illegal_transition_holds_the_library_values() -> None:
    error = EXAMPLES[IllegalTransitionError][0]()
    assert isinstance(error, IllegalTransitionError)
    assert error.event is SIGNED
    assert error.date is SIGNED.date
    assert error.after is OBSERVER
    assert error.amendment == (CORRECTION, CORRECTION)
    assert str(error) == (
        "IND on 2016-06: 'obligations_signed' is not allowed while observer (procedure started)"
        " (since observer_granted on 2005-07-05) once amended by"
        " 2018-01-15 IND correction of ind-memorandum; 2018-01-15 IND correction of"
        " ind-memorandum; allowed from there: application, withdrawal"
    )
    copied = round_trip(error, pickle.HIGHEST_PROTOCOL)
    assert isinstance(copied, IllegalTransitionError)
    assert copied.event == SIGNED
    assert copied.current == Standing(Status.OBSERVER, Stage.PROCEDURE_STARTED)
    # Terms are interned: the copy holds the very terms of the vocabulary.
    assert copied.allowed[0] is EventKind.APPLICATION
    assert copied.current.stage is Stage.PROCEDURE_STARTED


def test_an_illegal_transition_with_nothing_before_and_nothing_allowed() -> None:
    error = IllegalTransitionError(
        state="PAK", event=OBSERVER, current=Standing(Status.MEMBER), allowed=(), amendment=()
    )
    assert (error.after, error.amendment, error.allowed) == (None, None, ())
    assert str(error) == (
        "PAK on 2005-07-05: 'observer_granted' is not allowed while member;"
        " allowed from there: nothing"
    )
    assert_same(round_trip(error, 0), error)


def read_year(text: str) -> int:
    try:
        return int(text)
    except ValueError as cause:
        raise DateError(text, "it gives no year") from cause


def test_an_error_raised_from_another_still_pickles_and_can_be_raised_again() -> None:
    with pytest.raises(DateError) as caught:
        read_year("June")
    error = caught.value
    assert isinstance(error.__cause__, ValueError)
    error.add_note("while reading line 3")
    for protocol in PROTOCOLS:
        copied = round_trip(error, protocol)
        assert_same(copied, error)
        assert copied.__notes__ == ["while reading line 3"]
        with pytest.raises(DateError) as again:
            raise copied from error
        assert again.value.__cause__ is error


def test_the_import_error_s_own_fields_survive() -> None:
    error = MissingExtraError("pandas", "pandas", "a data frame")
    error.name, error.path = "pandas", "/nowhere/pandas"
    for protocol in PROTOCOLS:
        copied = round_trip(error, protocol)
        assert isinstance(copied, ImportError)
        assert (copied.msg, copied.name, copied.path) == (str(error), "pandas", "/nowhere/pandas")


def load_illegal_log() -> sco_membership.Ledger:
    """Load a log with an illegal event: raises in whichever process runs it."""
    return sco_membership.Ledger.from_records(ILLEGAL_LOG)


def illegal_error() -> IllegalTransitionError:
    with pytest.raises(IllegalTransitionError) as caught:
        load_illegal_log()
    return caught.value


def test_a_real_error_of_the_library_pickles() -> None:
    error = illegal_error()
    assert error.state == "IND"
    assert error.event.kind is EventKind.MEMBERSHIP_GRANTED
    assert error.date == PartialDate.parse("2017-06-09")
    assert error.current == Standing(Status.NONE)
    assert str(error).startswith(
        "IND on 2017-06-09: 'membership_granted' is not allowed while none;"
    )
    for protocol in PROTOCOLS:
        assert_same(round_trip(error, protocol), error)


def test_an_amended_error_of_the_library_names_its_amendments_and_pickles() -> None:
    records = [
        {"state": "PAK", "kind": "observer_granted", "date": "2005-07-05"},
        {"state": "PAK", "kind": "application", "date": "2006-01-01"},
        {
            "state": "PAK",
            "kind": "correction",
            "amends": "application/PAK/2006-01-01",
            "recorded": "2018-01-15",
            "reason": "it was a grant",
            "set": {"kind": "observer_granted"},
        },
    ]
    with pytest.raises(IllegalTransitionError) as caught:
        sco_membership.Ledger.from_records(records)
    error = caught.value
    assert error.amendment is not None
    assert [amendment.amends for amendment in error.amendment] == ["application/PAK/2006-01-01"]
    assert error.event.kind is EventKind.OBSERVER_GRANTED
    assert error.after is not None
    assert error.after.kind is EventKind.OBSERVER_GRANTED
    assert_same(round_trip(error, pickle.HIGHEST_PROTOCOL), error)


def test_an_unknown_event_error_of_the_library_holds_its_amendment() -> None:
    retraction = {
        "state": "PAK",
        "kind": "retraction",
        "amends": "nothing/PAK/2000",
        "recorded": "2018-01-16",
        "reason": "never happened",
    }
    with pytest.raises(UnknownEventError) as caught:
        sco_membership.Ledger.from_records([retraction])
    error = caught.value
    assert isinstance(error.amendment, Amendment)
    assert (error.state, error.key) == ("PAK", "nothing/PAK/2000")
    assert error.amendment.amends == error.key
    assert_same(round_trip(error, pickle.HIGHEST_PROTOCOL), error)


def test_a_real_error_crosses_a_process_pool() -> None:
    expected = illegal_error()
    # spawn: a fresh interpreter, so the error truly crosses by pickle (and no fork of a
    # process that may hold threads).
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(load_illegal_log)
        with pytest.raises(IllegalTransitionError) as caught:
            future.result(timeout=120)
    assert_same(caught.value, expected)
    assert caught.value.allowed == expected.allowed


#: Any text, lone surrogates included (they are rare in plain ``st.text()``).
TEXT = st.text(st.characters(exclude_categories=()) | st.characters(categories=["Cs"]))
MAYBE = st.none() | TEXT
NUMBER = st.none() | st.integers(min_value=0)

SIMPLE_ERRORS = st.one_of(
    st.builds(DateError, TEXT, TEXT),
    st.builds(OptionError, TEXT, TEXT, st.lists(TEXT, max_size=3), MAYBE),
    st.builds(MalformedDataError, TEXT, file=MAYBE, line=NUMBER, record=NUMBER),
    st.builds(RuleSetError, TEXT, TEXT, entry=MAYBE, file=MAYBE),
    st.builds(UnknownStateError, TEXT, st.lists(TEXT, max_size=3)),
)


@given(error=SIMPLE_ERRORS, protocol=st.sampled_from(PROTOCOLS))
@example(error=DateError("\ud800", "a lone \udfff surrogate"), protocol=0)
@example(error=OptionError("\\u0000\n", "\x00\r\x1a", ["\\"], "\ud83d"), protocol=0)
def test_any_text_survives_the_round_trip(error: MembershipError, protocol: int) -> None:
    assert_same(round_trip(error, protocol), error)
