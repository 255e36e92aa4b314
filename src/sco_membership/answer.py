"""The answer to "which status did this state hold then": a value, prepared once per interval."""

from __future__ import annotations

import functools

import attrs

from .dates import PartialDate
from .model import Event, Source, Stage, Standing, Status

__all__ = ["Answer"]


@attrs.frozen(weakref_slot=False)
class Answer:
    """What one state's status was over one interval, and on whose authority.

    ``status`` is the last status the record proves was reached. When the interval lies inside
    an imprecise event's window (a source gives only "June 2017"), ``certain`` is false and
    ``options`` holds every standing the state may have been at (see :attr:`possible`).
    ``retained`` is the status a state keeps while a process runs (an acceding state stays an
    observer). ``following`` is the next event that changes the answer, if any.
    """

    state: str
    status: Status
    stage: Stage | None = None
    retained: Status | None = None
    event: Event | None = None
    options: tuple[Standing, ...] = ()
    organisation: str | None = None
    following: Event | None = None

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
            return text + f" ({following.kind.label} in {following.date.iso}, day not known)"
        if self.event is not None:
            place = f", {self.event.place}" if self.event.place else ""
            text += f", since {self.event.date.iso} ({self.event.kind.label}{place})"
        if self.until is not None:
            text += f", until {self.until.iso}"
        return text


@functools.lru_cache(maxsize=1024)
def options(standings: tuple[Standing, ...]) -> tuple[Standing, ...]:
    """One shared tuple per distinct set of options: many intervals have the same ones."""
    return standings
