"""pandas DataFrames of a ledger: its events, its intervals and its country-year panel.

The ``[pandas]`` extra (``pip install "sco-membership[pandas]"``) provides pandas, imported
on first call only. The frames hold the same rows as the CSV exports of
:mod:`sco_membership.export.panel`, with typed columns: days as ``datetime64``, flags as booleans,
the rule set's terms as categoricals (statuses ordered by the rule set's ranking, lowest first,
so ``frame.status >= "observer"`` compares ranks), and missing values as ``NaT``/``<NA>``, so a
frame and a CSV never disagree. A date at the source's precision (``since``, ``event_date``,
``date``: ``2004-06``) stays text: a datetime would claim a day the source does not give. Like
the CSV, the panel frame takes its columns from the ledger's rule set (the code column is
``SCO_scm`` for the SCO, ``BRICS_scm`` for the BRICS:
:func:`~sco_membership.export.panel.panel_columns`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._extras import require
from ..exceptions import OptionError
from ..ledger import Ledger
from ..model import Event
from ..rules import RuleSet

if TYPE_CHECKING:
    import pandas

__all__ = [
    "EVENT_COLUMNS",
    "categories",
    "events_frame",
    "intervals_frame",
    "panel_frame",
    "to_frame",
]

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

_DAYS = ("first_day", "last_day", "recorded", "start", "end", "until")
# Whole numbers that may be missing (a state outside COW's state system has no ccode); the
# panel's COW variable is one too, whatever the rule set names it.
_WHOLE = ("ccode", "year", "days")


def _pandas() -> Any:
    return require("pandas", "pandas", "a DataFrame")


def categories(rules: RuleSet) -> dict[str, tuple[tuple[str, ...], bool]]:
    """The categorical columns of every frame, for ``rules``: each column's categories (the
    names of the rule set's terms, in its order) and whether they are ordered.

    Statuses (``status``, ``held``) are ordered by the rule set's ranking, lowest first;
    stages (``stage``) and event kinds (``kind``, an interval's ``event``) keep the rule set's
    order but are not ranked.

    >>> import sco_membership as scm
    >>> names, ordered = categories(scm.SCO_RULES)["status"]
    >>> names[0], names[-1], ordered
    ('none', 'member', True)
    """
    statuses = tuple(status.value for status in rules.statuses)
    kinds = tuple(kind.value for kind in rules.kinds)
    return {
        "status": (statuses, True),
        "held": (statuses, True),
        "stage": (tuple(stage.value for stage in rules.stages), False),
        "kind": (kinds, False),
        "event": (kinds, False),
    }


def _frame(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    rules: RuleSet,
    *,
    whole: Sequence[str] = (),
) -> pandas.DataFrame:
    """Rows as a frame with typed columns: ISO days become ``datetime64[s]`` (any year), the
    rule set's terms categoricals (:func:`categories`), and the ``whole`` columns (besides the
    usual ones) nullable integers."""
    pd = _pandas()
    frame: pandas.DataFrame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    terms = categories(rules)
    for column in columns:
        if column in terms:
            # Every term of a ledger's rows is declared by its rule set (the ledger refuses
            # any other), so no value becomes NaN here.
            names, ordered = terms[column]
            frame[column] = pd.Categorical(frame[column], categories=list(names), ordered=ordered)
        elif column in _DAYS:
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
    return _frame(map(_event_row, ordered), EVENT_COLUMNS, ledger.rules)


def intervals_frame(ledger: Ledger, *, states: Iterable[str] | None = None) -> pandas.DataFrame:
    """One row per interval of each state's history: the intervals CSV as a frame.

    ``start`` and ``end`` are the first and the last day of the interval (both included);
    ``until`` is the day after ``end`` (excluded), the next interval's ``start``, so a day
    ``d`` is in the interval when ``start <= d < until``. The interval still running has
    neither (``NaT``).
    """
    from . import panel

    rows = panel.interval_rows(ledger, states=states)
    return _frame(rows, panel.INTERVAL_COLUMNS, ledger.rules)


def panel_frame(
    ledger: Ledger,
    *,
    rule: str = "dec31",
    start: int | None = None,
    end: int | None = None,
    states: Iterable[str] | None = None,
    **options: Any,
) -> pandas.DataFrame:
    """One row per state and year, the year made one status by ``rule``: the panel CSV, its
    columns those of :func:`~sco_membership.export.panel.panel_columns` for the ledger's rule
    set. ``options`` are the other keywords of
    :func:`~sco_membership.export.panel.panel_rows` (``coding``, ``system``)."""
    from . import panel

    rows = panel.panel_rows(ledger, rule=rule, start=start, end=end, states=states, **options)
    whole = (panel.code_column(ledger.rules),)
    return _frame(rows, panel.panel_columns(ledger.rules), ledger.rules, whole=whole)


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
