"""Threads sharing one ledger get the answers one thread gets, and nothing raises.

A ledger makes much on demand (histories, answers, rosters, "as known on" views), and the
embedded ones are shared by every thread that calls ``scm.sco()``. With the interpreter
switching threads as often as it can, 16 threads ask random questions of one fresh ledger;
each answer must equal the one a single thread gets from another fresh ledger.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

import sco_membership as scm
from sco_membership.exceptions import NothingKnownError
from sco_membership.model import EventKind, Stage, Status
from sco_membership.states import _codes

THREADS = 16
QUESTIONS = 60
DAYS = [
    f"{year}-{month:02d}-{day:02d}"
    for year in range(1995, 2027)
    for month, day in ((1, 1), (6, 15), (7, 10))
]
# More record days than a ledger keeps views of (32), so views are dropped while others are read.
# Record days before any record of the embedded data (a view of nothing, which refuses every
# question) and after.
RECORDED = [f"{year}-{month:02d}-01" for year in range(2000, 2020) for month in (1, 7)]
RECORDED += ["2026-12-31", "2027-06-01"]


@pytest.fixture
def switching_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_together(work: Callable[[int], object], count: int = THREADS) -> list[object]:
    """``work(k)`` in ``count`` threads started at once; their results, or the first error."""
    results: list[object] = [None] * count
    failures: list[BaseException] = []
    start = threading.Barrier(count)

    def worker(k: int) -> None:
        try:
            start.wait()
            results[k] = work(k)
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return results


def fresh(kind: str) -> scm.Ledger:
    """A ledger that has made nothing on demand yet: the embedded data, or a wide one (every
    ISO state, each with record days of its own), where building takes long enough to race."""
    if kind == "embedded":
        return scm.loads(scm.dumps(scm.sco()))
    draw = random.Random(7)
    records = []
    for code in sorted(_codes()):
        first = draw.randrange(1996, 2020)
        month = draw.randrange(1, 10)
        noted = first + draw.randrange(0, 8)  # the accession is recorded no earlier
        records += [
            {
                "state": code,
                "kind": "observer_granted",
                "date": f"{first}-{month:02d}",
                "recorded": f"{noted}-01-01",
            },
            {
                "state": code,
                "kind": "accession_started",
                "date": f"{first + 3}-05-05",
                "recorded": f"{noted + draw.randrange(0, 4)}-06-01",
            },
        ]
    return scm.Ledger.from_records(records)


def questions(ledger: scm.Ledger, seed: int) -> list[Callable[[scm.Ledger], object]]:
    """A reproducible list of questions, each a function of the ledger to its answer."""
    draw = random.Random(seed)
    states = [*ledger.states, "USA", "Türkiye", "India"]
    asked: list[Callable[[scm.Ledger], object]] = []
    for _ in range(QUESTIONS):
        state, day = draw.choice(states), draw.choice(DAYS)
        known = draw.choice(RECORDED)
        asked.append(
            draw.choice(
                [
                    lambda led, s=state, d=day: led.status(s, d),
                    lambda led, s=state: led.statuses(s, DAYS),
                    lambda led, d=day: led.roster(d),
                    lambda led, d=day: led.members(d),
                    lambda led, d=day: led.with_status("observer", d),
                    lambda led, s=state, d=day, k=known: led.status(s, d, known_on=k),
                    lambda led, d=day, k=known: led.as_known_on(k).roster(d),
                    lambda led, s=state, d=day, k=known: led.as_reported_on(k).status(s, d),
                    lambda led, s=state: led.history(s).timeline(),
                    lambda led, s=state, d=day: str(led.explain(s, d)),
                    lambda led, d=day: led.changes("1990-01-01", d),
                ]
            )
        )
    return asked


def outcome(ask: Callable[[scm.Ledger], object], ledger: scm.Ledger) -> object:
    """The answer to one question, or the refusal of a view that holds nothing."""
    try:
        return ask(ledger)
    except NothingKnownError as refused:
        return str(refused)


@pytest.mark.parametrize("kind", ["embedded", pytest.param("wide", marks=pytest.mark.slow)])
def test_threads_sharing_a_ledger_get_the_answers_of_one_thread(
    kind: str, switching_often: None
) -> None:
    alone = fresh(kind)
    expected = {
        seed: [outcome(ask, alone) for ask in questions(alone, seed)] for seed in range(THREADS)
    }
    shared = fresh(kind)
    asked = {seed: questions(shared, seed) for seed in range(THREADS)}
    got = run_together(lambda seed: [outcome(ask, shared) for ask in asked[seed]])
    assert got == [expected[seed] for seed in range(THREADS)]


def test_threads_interning_one_term_get_one_object(switching_often: None) -> None:
    names = [f"racing_term_{k}" for k in range(3000)]

    def declare(_: int) -> list[tuple[object, ...]]:
        return [(Status.declare(n), Stage.declare(n), EventKind.declare(n)) for n in names]

    found = run_together(declare, count=8)
    for made in zip(*found, strict=True):  # one name: the triples every thread made
        first = made[0]
        assert all(term is first[k] for triple in made for k, term in enumerate(triple))


def test_threads_asking_first_for_the_embedded_ledger_get_one_ledger(
    switching_often: None,
) -> None:
    from sco_membership.organisations import _sco

    _sco.cache_clear()
    ledgers = run_together(lambda _: scm.sco(), count=8)
    assert all(ledger is ledgers[0] for ledger in ledgers)


def test_threads_asking_one_first_question_get_one_answer_object(switching_often: None) -> None:
    # Answers are made one at a time, on demand: two threads must not make two of one.
    for day in ("2005-07-05", "2016-06-24", "2017-06-09"):
        ledger = fresh("embedded")
        answers = run_together(lambda _, led=ledger, d=day: led.status("IND", d), count=8)
        assert all(answer is answers[0] for answer in answers)
        assert ledger.history("IND").at(day) is answers[0]
        assert answers[0] == scm.sco().status("IND", day)


def test_views_kept_and_dropped_by_many_threads_stay_right(switching_often: None) -> None:
    # Views of a small log are cheap, so threads keep and drop them as fast as they can:
    # far more record days than a ledger keeps views of (32).
    records = [
        {
            "state": "IND",
            "kind": "observer_granted",
            "date": "2005-07-05",
            "recorded": "2005-07-06",
        },
        {
            "state": "PAK",
            "kind": "observer_granted",
            "date": "2005-07-05",
            "recorded": "2010-01-01",
        },
    ]
    days = [
        f"{year}-{month:02d}-{day:02d}"
        for year in (2006, 2008, 2012)
        for month in range(1, 13)
        for day in (1, 15)
    ]
    shared = scm.Ledger.from_records(records)

    def ask(k: int) -> list[frozenset[str]]:
        order = random.Random(k).sample(days, len(days))
        return [shared.as_known_on(day).with_status("observer", "2006-01-01") for day in order]

    results = run_together(ask)
    alone = scm.Ledger.from_records(records)
    for k, got in enumerate(results):
        order = random.Random(k).sample(days, len(days))
        assert got == [
            alone.as_known_on(day).with_status("observer", "2006-01-01") for day in order
        ]


def test_rosters_made_while_other_threads_build_histories_are_right(switching_often: None) -> None:
    shared, alone = fresh("wide"), fresh("wide")
    days = DAYS[::5]

    def ask(k: int) -> list[object]:
        if k % 2:  # half the threads build histories one by one, half ask for rosters
            return [shared.status(code, "2010-01-01") for code in shared.states[k::THREADS]]
        return [shared.roster(day) for day in days]

    results = run_together(ask)
    for k, got in enumerate(results):
        if k % 2:
            assert got == [alone.status(code, "2010-01-01") for code in alone.states[k::THREADS]]
        else:
            assert got == [alone.roster(day) for day in days]
