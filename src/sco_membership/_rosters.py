"""Rosters: every state filed under the status it held on one day, and the rosters kept.

A roster changes only on the days some answer changes, so each one made is kept for its whole
stretch of days between two such days (:class:`Rosters`); making one files each state from the
roster category its history keeps per interval (:func:`roster_on`), reading no answer.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping

from ._timeline import uncertain
from .answer import Roster
from .history import History
from .model import Status
from .rules import RuleSet

__all__ = ["ROSTER_BUDGET", "Rosters", "roster_on"]

#: How many state codes the rosters a ledger keeps may hold in all (some 30 MB at most): every
#: roster of a real organisation's ledger, or about ten of a ledger of 100,000 states.
ROSTER_BUDGET = 1 << 20
# Later than any day: no stretch of days ends after it.
_END = dt.date.max.toordinal() + 1
_bisect_right = bisect.bisect_right


def _file(
    groups: defaultdict[Status, list[str]], codes: list[str], held: Status, status: Status
) -> None:
    """File ``codes`` under the status held in law and, while a process runs, under its own."""
    if held is not Status.NONE:
        groups[held] += codes
    if status is not held:
        groups[status] += codes


def roster_on(histories: Mapping[str, History], day: int, rules: RuleSet) -> Roster:
    """Every state filed under the status it held in law on ``day`` (an acceding one under its
    process's status too); states whose status is uncertain apart, with the statuses they may
    hold (a state whose stage alone is uncertain is filed under its status).

    The loop does one binary search, one index and one ``append`` per state, as a bare floor
    would: each history keeps, per interval, the roster category that says where the state
    goes (see ``_timeline.Timeline``), so no answer is made or read, except for uncertain
    states. Categories are then turned into statuses once each.
    """
    width = len(rules.compiled.standings) + 1
    unsure_cat = uncertain(width)
    filed: list[list[str]] = [[] for _ in range(unsure_cat + 1)]
    bisect_right = _bisect_right  # a local: the loop runs once per state
    for code, history in histories.items():
        filed[history._cats[bisect_right(history._bounds, day)]].append(code)
    standings = rules.compiled.standings
    groups: defaultdict[Status, list[str]] = defaultdict(list)
    for cat, codes in enumerate(filed[:unsure_cat]):
        if codes:
            number, holder = divmod(cat, width)
            status = standings[number].status
            _file(groups, codes, standings[holder - 1].status if holder else status, status)
    unsure = {}
    for code in filed[unsure_cat]:
        answer = histories[code].at_ordinal(day)
        if len(answer.possible) > 1:
            unsure[code] = answer.possible
        else:  # only the stage is open (invited or not yet): the status is certain
            _file(groups, [code], answer.held, answer.status)
    ordered = {s: frozenset(groups[s]) for s in rules.statuses if groups.get(s)}
    return Roster(dt.date.fromordinal(day), ordered, unsure)


class Rosters:
    """The rosters a ledger has made, each kept for its stretch of days.

    ``days`` is the sorted union of every history's bounds: the days on which some answer may
    change (made with the second roster asked for, from histories that are all built by then:
    building it costs more than one roster, so a ledger asked for one roster never pays it).
    Stretch ``i`` runs from ``days[i - 1]`` up to ``days[i]``, and ``bisect_right(days, day)``
    finds the stretch of a day: its roster, if kept, is ``kept[i]``. The oldest rosters are
    dropped once the kept ones hold more than :data:`ROSTER_BUDGET` codes in all. Finding needs
    no lock; keeping takes one, so that threads sharing a ledger keep the parts in step.
    """

    __slots__ = ("_asked", "_days", "_kept", "_lock", "_order", "_size")

    def __init__(self) -> None:
        self._days: list[int] = []
        self._kept: list[Roster | None] = []
        self._order: collections.deque[tuple[int, int]] = collections.deque()
        self._size = 0
        self._asked = False
        self._lock = threading.Lock()

    def get(self, day: int) -> Roster | None:
        """The roster kept for the stretch holding ``day``, if any."""
        try:
            return self._kept[_bisect_right(self._days, day)]
        except IndexError:  # nothing kept yet
            return None

    def keep(self, day: int, roster: Roster, histories: Iterable[History]) -> None:
        """Keep ``roster`` for the stretch holding ``day``; ``histories`` are every state's."""
        size = len(roster.uncertain) + sum(map(len, roster.groups.values()))
        with self._lock:
            if not self._asked:
                self._asked = True
                return
            if not self._kept:
                days = {0, _END}.union(*(history._bounds for history in histories))
                self._days = sorted(days)
                self._kept = [None] * (len(self._days) + 1)
            index = _bisect_right(self._days, day)
            if self._kept[index] is not None:
                return
            while self._order and self._size + size > ROSTER_BUDGET:
                oldest, held = self._order.popleft()
                self._kept[oldest] = None
                self._size -= held
            self._kept[index] = roster
            self._order.append((index, size))
            self._size += size
