"""pandas DataFrames of a ledger: its events, its intervals and its country-year panel.

The ``[pandas]`` extra (``pip install "sco-membership[pandas]"``) provides pandas, imported
on first call only. The frames hold the same rows as the CSV exports of
:mod:`sco_membership.export.panel`, with typed columns: days as ``datetime64``, flags as booleans,
and missing values as ``NaT``/``<NA>``, so a frame and a CSV never disagree. Like the CSV, the
panel frame takes its columns from the ledger's rule set (the COW variable is ``SCO`` for the
SCO, ``BRICS`` for the BRICS: :func:`~sco_membership.export.panel.panel_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._extras import require
from ..exceptions import OptionError
from ..ledger import Ledger
from ..model import Event

if TYPE_CHECKING:
    import pandas

__all__ = ["EVENT_COLUMNS", "events_frame", "intervals_frame", "panel_frame", "to_frame"]

#: The columns of :func:`events_frame`, in order.
EVENT_COLUMNS = (
    "state",
    "kind",
    "date",
    "precision",
    "first_day",
    "last_day",
    "place",
    "organisation",
    "cohort",
    "recorded",
    "key",
    "source_titles",
    "source_urls",
    "note",
)

_DAYS = ("first_day", "last_day", "recorded", "start", "end")
# Whole numbers that may be missing (a state outside COW's state system has no ccode); the
# panel's COW variable is one too, whatever the rule set names it.
_WHOLE = ("ccode", "year", "days")


def _pandas() -> Any:
    return require("pandas", "pandas", "a DataFrame")


def _frame(
    rows: Iterable[Mapping[str, object]], columns: Sequence[str], *, whole: Sequence[str] = ()
) -> pandas.DataFrame:
    """Rows as a frame with typed columns: ISO days become ``datetime64[s]`` (any year), and
    the ``whole`` columns (besides the usual ones) nullable integers."""
    pd = _pandas()
    frame: pandas.DataFrame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for column in columns:
        if column in _DAYS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601").astype("datetime64[s]")
        elif column in _WHOLE or column in whole:
            frame[column] = frame[column].astype("Int64")
        elif frame[column].dtype == object and frame[column].map(type).isin({bool}).all():
            frame[column] = frame[column].astype("boolean")
    return frame


def _event_row(event: Event) -> dict[str, object]:
    return {
        "state": event.state,
        "kind": event.kind.value,
        "date": event.date.iso,
        "precision": event.date.precision.value,
        "first_day": event.date.first_day.isoformat(),
        "last_day": event.date.last_day.isoformat(),
        "place": event.place,
        "organisation": event.organisation,
        "cohort": " ".join(event.cohort) or None,
        "recorded": None if event.recorded is None else event.recorded.isoformat(),
        "key": event.key,
        "source_titles": " | ".join(source.title for source in event.sources) or None,
        "source_urls": " ".join(source.url for source in event.sources if source.url) or None,
        "note": event.note,
    }


def events_frame(ledger: Ledger) -> pandas.DataFrame:
    """One row per event (corrections applied), in date order; a month- or year-precision
    date keeps its text (``2017-06``) and spans ``first_day`` to ``last_day``."""
    ordered = sorted(ledger.events, key=lambda event: (event.date.first, event.state))
    return _frame(map(_event_row, ordered), EVENT_COLUMNS)


def intervals_frame(ledger: Ledger, *, states: Iterable[str] | None = None) -> pandas.DataFrame:
    """One row per interval of each state's history: the intervals CSV as a frame."""
    from . import panel

    return _frame(panel.interval_rows(ledger, states=states), panel.INTERVAL_COLUMNS)


def panel_frame(
    ledger: Ledger,
    *,
    rule: str = "dec31",
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str] | None = None,
) -> pandas.DataFrame:
    """One row per state and year, the year made one status by ``rule``: the panel CSV, its
    columns those of :func:`~sco_membership.export.panel.panel_columns` for the ledger's rule
    set."""
    from . import panel

    rows = panel.panel_rows(ledger, rule=rule, start=start, end=end, states=states)
    whole = (panel.cow_variable(ledger.rules),)
    return _frame(rows, panel.panel_columns(ledger.rules), whole=whole)


def to_frame(
    ledger: Ledger,
    view: Literal["intervals", "events", "panel"] = "intervals",
    **options: Any,
) -> pandas.DataFrame:
    """The frame of one ``view`` of ``ledger``; ``options`` go to that view's function.

    Raises :class:`~sco_membership.exceptions.MissingExtraError` without pandas.
    """
    if view == "events":
        return events_frame(ledger, **options)
    if view == "intervals":
        return intervals_frame(ledger, **options)
    if view == "panel":
        return panel_frame(ledger, **options)
    raise OptionError("view", view, ("intervals", "events", "panel"))
