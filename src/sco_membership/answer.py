"""Answers, as values: one state's status over an interval, a roster, a change."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping

import attrs

from .dates import PartialDate
from .model import Event, Source, Stage, Standing, Status

__all__ = ["Answer", "Change", "Roster"]


@attrs.frozen(weakref_slot=False, repr=False)
class Answer:
    """What one state's status was over one interval, and on whose authority.

    ``status`` is the last status the record proves was reached. When the interval lies inside
    an imprecise event's window (a source gives only "June 2017"), ``certain`` is false and
    ``options`` holds every standing the state may have been at (see :attr:`possible`).
    ``retained`` is the status a state keeps while a process runs (an acceding state stays an
    observer). ``following`` is the next event that changes the answer, if any. ``beyond``
    is set on an answer about a day after the ledger's horizon (the last day its record is
    known complete through): the record may not have heard of later events; it does not
    change equality.
    """

    state: str
    status: Status
    stage: Stage | None = None
    retained: Status | None = None
    event: Event | None = None
    options: tuple[Standing, ...] = ()
    organisation: str | None = None
    following: Event | None = None
    beyond: dt.date | None = attrs.field(default=None, eq=False)

    @property
    def certain(self) -> bool:
        """Whether the record proves the status (no imprecise date leaves it open)."""
        return len(self.options) <= 1

    @property
    def possible(self) -> frozenset[Status]:
        """Every status the state may have held: just ``status`` when certain."""
        return frozenset(option.status for option in self.options) or frozenset({self.status})

    @property
    def since(self) -> PartialDate | None:
        """The date of the event that began this status (``None``: never any event)."""
        return None if self.event is None else self.event.date

    @property
    def until(self) -> PartialDate | None:
        """The date of the next event that changes the answer (``None``: none yet)."""
        return None if self.following is None else self.following.date

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the event that began this status."""
        return () if self.event is None else self.event.sources

    @property
    def held(self) -> Status:
        """The status held in law: the retained one while a process runs."""
        return self.status if self.retained is None else self.retained

    @property
    def standing(self) -> Standing:
        """The status with its stage."""
        return Standing(self.status, self.stage)

    def values(self) -> dict[str, str | None]:
        """``status``, ``stage`` and ``held`` as plain text (``None`` for no stage): the core of
        every JSON and CSV row that reports an answer.

        >>> Answer("IND", Status.ACCEDING, retained=Status.OBSERVER).values()
        {'status': 'acceding', 'stage': None, 'held': 'observer'}
        """
        return {
            "status": self.status.value,
            "stage": None if self.stage is None else self.stage.value,
            "held": self.held.value,
        }

    def describe(self) -> str:
        """The status in words: ``acceding (obligations signed; still observer)``."""
        if not self.certain:
            return "uncertain: " + " or ".join(str(option) for option in self.options)
        details = [self.stage.label] if self.stage is not None else []
        if self.retained is not None:
            details.append(f"still {self.retained.label}")
        return self.status.label + (f" ({'; '.join(details)})" if details else "")

    def __str__(self) -> str:
        text = f"{self.state}: {self.describe()}"
        if self.organisation is not None and self.status is not Status.NONE:
            text += f" of the {self.organisation}"
        if not self.certain and self.following is not None:
            following = self.following
            text += f" ({following.kind.label} in {following.date.iso}, day not known)"
        else:
            if self.event is not None:
                place = f", {self.event.place}" if self.event.place else ""
                text += f", since {self.event.date.iso} ({self.event.kind.label}{place})"
            if self.until is not None:
                text += f", until {self.until.iso}"
        if self.beyond is not None:
            text += f" (the record is complete only through {self.beyond.isoformat()})"
        return text

    def __repr__(self) -> str:
        """One line: the state, the status in words, since and until when.

        >>> Answer("IND", Status.ACCEDING, retained=Status.OBSERVER)
        <Answer IND: acceding (still observer)>
        """
        from ._display import brief

        text = f"{self.state}: {self.describe()}"
        if self.since is not None:
            text += f", since {self.since.iso}"
        if self.until is not None:
            text += f", until {self.until.iso}"
        if self.beyond is not None:
            text += f" (the record is complete only through {self.beyond.isoformat()})"
        return brief("Answer", text)

    def _repr_html_(self) -> str:
        """A table for Jupyter: status, stage, since, until, certainty, the event, its sources
        as links."""
        from ._display import event, fields, listed, sources

        return fields(
            [
                ("state", self.state),
                ("status", self.status.label),
                ("stage", None if self.stage is None else self.stage.label),
                ("held", None if self.retained is None else self.retained.label),
                ("possible", None if self.certain else listed(self.options, separator=" or ")),
                ("since", self.since),
                ("until", self.until),
                ("certain", "yes" if self.certain else "no"),
                ("event", None if self.event is None else event(self.event)),
                ("sources", sources(self.sources) if self.sources else None),
                ("organisation", self.organisation),
                ("complete through", self.beyond),
            ],
            caption=f"{self.state}: {self.describe()}",
        )


@functools.lru_cache(maxsize=1024)
def options(standings: tuple[Standing, ...]) -> tuple[Standing, ...]:
    """One shared tuple per distinct set of options: many intervals have the same ones."""
    return standings


@attrs.frozen(repr=False)
class Roster(Mapping[Status, frozenset[str]]):
    """Who held which status on one day: a mapping ``Status -> frozenset of codes``.

    Each state is listed under the status it held in law; an acceding state is listed under
    :attr:`Status.ACCEDING` too (India was an observer while it acceded). States with no status
    are left out. A state whose status that day is uncertain is in none of the sets but in
    :attr:`uncertain`, with the statuses it may have held; one whose status is certain though
    its stage is not (a decision known only to the month, the status unchanged by it) is filed
    under its status. ``beyond`` is set when ``on`` is after the ledger's horizon (the record
    is known complete only through that day).
    """

    on: dt.date
    groups: Mapping[Status, frozenset[str]]
    uncertain: Mapping[str, frozenset[Status]] = attrs.field(factory=dict)
    beyond: dt.date | None = attrs.field(default=None, eq=False)

    def __getitem__(self, status: Status) -> frozenset[str]:
        return self.groups[status]

    def __iter__(self) -> Iterator[Status]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def __str__(self) -> str:
        lines = [f"{self.on.isoformat()}:"]
        lines += [f"  {s.label}: {', '.join(sorted(codes))}" for s, codes in self.groups.items()]
        lines += [
            f"  uncertain: {code} ({' or '.join(sorted(s.label for s in statuses))})"
            for code, statuses in sorted(self.uncertain.items())
        ]
        if self.beyond is not None:
            lines.append(f"  (the record is complete only through {self.beyond.isoformat()})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        """One line: the day and how many states held each status."""
        from ._display import brief

        counts = [f"{status.label} {len(codes):,}" for status, codes in self.groups.items()]
        if self.uncertain:
            counts.append(f"uncertain {len(self.uncertain):,}")
        text = f"{self.on.isoformat()}: {', '.join(counts) or 'no state holds a status'}"
        if self.beyond is not None:
            text += f" (the record is complete only through {self.beyond.isoformat()})"
        return brief("Roster", text)

    def _repr_html_(self) -> str:
        """A table for Jupyter: one row per status with its states (the uncertain ones last,
        with what they may hold)."""
        from ._display import listed, table

        rows: list[tuple[object, ...]] = [
            (status.label, f"{len(codes):,}", listed(sorted(codes)))
            for status, codes in self.groups.items()
        ]
        if self.uncertain:
            unsure = sorted(self.uncertain.items())
            rows.append(("uncertain", f"{len(unsure):,}", listed(unsure, show=_maybe)))
        caption = f"Roster on {self.on.isoformat()}"
        if self.beyond is not None:
            caption += f" (the record is complete only through {self.beyond.isoformat()})"
        return table(rows, count=len(rows), head=("status", "states", "codes"), caption=caption)


def _maybe(item: tuple[str, frozenset[Status]]) -> str:
    """An uncertain state in a roster: ``AFG (none or observer)``."""
    code, statuses = item
    return f"{code} ({' or '.join(sorted(status.label for status in statuses))})"


@attrs.frozen(repr=False)
class Change:
    """One event between two dates, with the answers just before and just after it."""

    event: Event
    before: Answer
    after: Answer

    @property
    def state(self) -> str:
        """The state the event is about."""
        return self.event.state

    def __str__(self) -> str:
        return f"{self.event.date.iso} {self.state}: {self.before.describe()} -> " + (
            self.after.describe()
        )

    def __repr__(self) -> str:
        """One line, as ``str()`` says it."""
        from ._display import brief

        return brief("Change", str(self))
