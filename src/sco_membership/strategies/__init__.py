"""Hypothesis strategies for testing a rule set, or code built on the library, with any rule set.

Needs the ``hypothesis`` extra (``pip install "sco-membership[hypothesis]"``); hypothesis is
imported here only, so ``import sco_membership`` never pays for it.

Every log strategy walks the rule set's own transition table, so what it generates is valid by
construction (nothing is filtered away, and failures shrink to short, early, simple logs) and
comes with what a naive fold expects: the standing of each state after each event.

- :func:`partial_dates`, :func:`sources`, :func:`events`: values, valid or not in context.
- :func:`state_logs` (:class:`StateLog`): one state's valid log.
- :func:`event_logs` (:class:`EventLog`): several states' valid log, as records.
- :func:`near_miss_logs` (:class:`NearMiss`): valid but for exactly one illegal event.
- :func:`amended_logs` (:class:`AmendedLog`): a valid log with corrections and retractions.
- :func:`claimed_logs` (:class:`ClaimedLog`): a valid log with claims, accepted and rejected.
- :class:`LedgerMachine`: a state machine to subclass for your own rule set or code.

>>> from hypothesis import given, settings
>>> from sco_membership import Ledger, SCO_RULES, strategies
>>> @settings(max_examples=20, database=None)
... @given(log=strategies.event_logs(SCO_RULES))
... def test_a_ledger_answers_as_the_naive_fold(log):
...     ledger = Ledger.from_records(log.records, rules=log.rules)
...     for state, expected in log.state_logs.items():
...         for event, step in zip(expected.events, expected.expected):
...             assert ledger.status(state, event.date.last_day).status is step.standing.status
>>> test_a_ledger_answers_as_the_naive_fold()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..exceptions import MissingExtraError

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as exc:
    raise MissingExtraError("hypothesis", "hypothesis", "sco_membership.strategies") from exc

from ..dates import PartialDate, Precision
from ..model import Event
from ..profiles import chosen
from ..rules import RuleSet
from ._amendments import AmendedLog, NearMiss, amended_logs, near_miss_logs
from ._claims import ClaimedLog, claimed_logs
from ._ledgers import EventLog, event_logs
from ._machine import LedgerMachine
from ._walks import (
    CODES,
    EARLIEST,
    LATEST,
    StateLog,
    Step,
    follow,
    partial_dates,
    sources,
    state_logs,
)

__all__ = [
    "CODES",
    "AmendedLog",
    "ClaimedLog",
    "EventLog",
    "LedgerMachine",
    "NearMiss",
    "StateLog",
    "Step",
    "amended_logs",
    "claimed_logs",
    "event_logs",
    "events",
    "follow",
    "near_miss_logs",
    "partial_dates",
    "sources",
    "state_logs",
]


def events(
    rules: RuleSet | None = None,
    *,
    states: Sequence[str] = CODES,
    dates: st.SearchStrategy[PartialDate] | None = None,
) -> st.SearchStrategy[Event]:
    """Single events of any of ``rules.kinds``, for any of ``states``, on any date: legal or not
    where they land, which is the point (a fuzz test must meet illegal events too).

    ``dates`` defaults to partial dates between 1990 and 2030. Events carry no sources: use
    :func:`sources` with ``st.builds`` for more.
    """
    rules = chosen(rules)
    if not states:
        raise InvalidArgument("events() needs at least one state")
    within = dates or partial_dates(
        precisions=tuple(Precision),
        min_value=dt.date.fromordinal(EARLIEST),
        max_value=dt.date.fromordinal(LATEST),
    )
    return st.builds(Event, st.sampled_from(tuple(states)), st.sampled_from(rules.kinds), within)
