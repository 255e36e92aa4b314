"""The year rules of a country-year panel: how one state's year becomes one status.

A rule reads the status on one day of the year (``dec31``, ``MM-DD``), the highest status held
on any day (``any``, ranked by the rule set's :attr:`~sco_membership.rules.RuleSet.statuses`)
or the status held on most days (``majority``). Each one also says whether the record settles
the year, and which statuses the year could get when an imprecise date leaves it open. The rows
themselves are built by :mod:`sco_membership.panel`.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Mapping

import attrs

from .answer import Answer
from .exceptions import OptionError
from .history import History
from .model import Status

__all__ = ["Spans", "Year", "YearRule", "decide", "parse_rule"]

_DAY = re.compile(r"(\d{2})-(\d{2})")
_RULES = ("dec31", "any", "majority", "MM-DD (a day of the year)")
# A stop beyond every day: the last interval of a history never ends.
_FOREVER = dt.date.max.toordinal() + 1


@attrs.frozen
class YearRule:
    """How one year becomes one status: on a day (``month``/``day``), ``any`` or ``majority``.

    Build one with :func:`parse_rule`; ``str()`` gives the text that parses back to it.
    """

    name: str
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        return self.name


def parse_rule(text: str | YearRule) -> YearRule:
    """Read a rule: ``dec31``, ``any``, ``majority`` or a day ``MM-DD`` (not ``02-29``).

    >>> parse_rule("07-01")
    YearRule(name='07-01', month=7, day=1)
    >>> parse_rule("12-31") == parse_rule("dec31")
    True
    >>> parse_rule("02-29")
    Traceback (most recent call last):
    ...
    sco_membership.exceptions.OptionError: bad panel rule '02-29': 29 February is ...
    """
    if isinstance(text, YearRule):  # checked again: the constructor checks nothing
        text = text.name
    if not isinstance(text, str):
        raise OptionError("panel rule", text, _RULES)
    cleaned = text.strip().lower()
    if cleaned in ("dec31", "12-31"):
        return YearRule("dec31", 12, 31)
    if cleaned in ("any", "majority"):
        return YearRule(cleaned)
    match = _DAY.fullmatch(cleaned)
    if match is None:
        raise OptionError("panel rule", text, _RULES)
    month, day = int(match[1]), int(match[2])
    if (month, day) == (2, 29):
        raise OptionError(
            "panel rule", text, _RULES, "29 February is not in every year; choose 02-28 or 03-01"
        )
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise OptionError("panel rule", text, _RULES, f"{cleaned} is no day of the year")
    return YearRule(cleaned, month, day)


@attrs.frozen
class Year:
    """What a rule makes of one state's year, before it is written as a row."""

    answer: Answer  # the interval whose status the year gets (the last one, if several)
    certain: bool
    exists: bool
    candidates: frozenset[Status]  # every status the year could get, if the record is open
    days: int


@attrs.frozen
class Spans:
    """One state's intervals, once: their first days (for bisection) and the spans."""

    history: History
    starts: list[int]
    spans: list[tuple[int, int, Answer]]

    @classmethod
    def of(cls, history: History) -> Spans:
        """The intervals of ``history``, the last one running to a day past every date."""
        spans = [
            (first, _FOREVER if stop is None else stop, a) for first, stop, a in history.spans()
        ]
        return cls(history, [first for first, _, _ in spans], spans)

    def cut(self, low: int, high: int) -> list[tuple[int, int, Answer]]:
        """The intervals cut to the days ``low`` (first) to ``high`` (the day after the last)."""
        first = bisect.bisect_right(self.starts, low) - 1
        last = bisect.bisect_left(self.starts, high)
        return [(max(b, low), min(e, high), a) for b, e, a in self.spans[first:last]]


def decide(
    spans: Spans, rule: YearRule, year: int, founded: int | None, rank: Mapping[Status, int]
) -> Year:
    """What ``rule`` makes of ``year``; ``founded`` is the organisation's first day (``None``:
    never founded) and ``rank`` orders the statuses for ``any``."""
    low = dt.date(year, 1, 1).toordinal()
    high = low + (366 if calendar.isleap(year) else 365)
    pieces = spans.cut(low, high)
    days: dict[Status, int] = {}
    for begin, end, answer in pieces:
        days[answer.status] = days.get(answer.status, 0) + end - begin
    open_ = [answer for _, _, answer in pieces if not answer.certain]
    if rule.month is not None and rule.day is not None:
        day = dt.date(year, rule.month, rule.day).toordinal()
        answer = spans.history.at_ordinal(day)
        exists = founded is not None and day >= founded
        return Year(answer, answer.certain, exists, answer.possible, days[answer.status])
    if rule.name == "any":
        top = max(rank[answer.status] for _, _, answer in pieces)
        answer = [answer for _, _, answer in pieces if rank[answer.status] == top][-1]
        higher = {s for a in open_ for s in a.possible if rank[s] > top}
        exists = founded is not None and founded < high
    else:
        last = {answer.status: end for _, end, answer in pieces}
        winner = max(days, key=lambda status: (days[status], last[status]))
        answer = [answer for _, _, answer in pieces if answer.status is winner][-1]
        least = sum(
            end - begin
            for begin, end, a in pieces
            if a.status is winner and (a.certain or a.possible == {winner})
        )
        most: dict[Status, int] = {}
        for begin, end, a in pieces:
            for status in {a.status} if a.certain else a.possible:
                most[status] = most.get(status, 0) + end - begin
        higher = {s for s, n in most.items() if s is not winner and n >= least} if open_ else set()
        exists = founded is not None and 2 * (high - max(low, founded)) >= high - low
    certain = answer.certain and not higher
    return Year(answer, certain, exists, frozenset({answer.status, *higher}), days[answer.status])
