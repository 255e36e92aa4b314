"""Dates as sources give them: a day, a month or a year, never more precise than that.

``PartialDate`` keeps the precision a source gives; it covers a window of days from ``first``
to ``last``. Queries are always asked about one day, as a ``datetime.date``. Nothing here reads
the clock. ISO forms are read by hand (fast and exact); only free English text goes through
``dateutil``, which is imported on first use because it costs ~50 ms of start-up.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import warnings
from typing import TypeAlias

import attrs

from .exceptions import DateError

__all__ = ["DateLike", "Duration", "PartialDate", "Precision", "to_date", "to_ordinal"]

#: Anything the library accepts where it asks for a day.
DateLike: TypeAlias = "dt.date | str"

# Every pattern is ASCII-only: in Unicode mode \d also matches fullwidth digits, which int() reads.
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
# Numbers only, year first (2017/6/9, 2017.06.09) or year last (9/6/2017): read by hand, since
# dateutil's dayfirst would read a year-first date as year-day-month.
_YEAR_FIRST = re.compile(
    r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?|(\d{4})(\d{2})(\d{2})", re.ASCII
)
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)
# A free-text date must not carry a time of day: a status is a property of a whole day.
_TIME = re.compile(r"\d:\d|\d\s*(?:am|pm)\b", re.IGNORECASE | re.ASCII)
#: The longest text read as a date: "Wednesday, 28 September 2016" is 28 characters. Longer
#: text is refused before any parsing (dateutil's tokenizer takes seconds on 512 KB of digits).
MAX_DATE_LENGTH = 64


class Precision(enum.Enum):
    """How much of a date a source gives."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has (``calendar.monthrange``'s second half, without
    importing ``calendar``, which pulls in ``locale`` at start-up)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _check_parts(year: int, month: int | None, day: int | None) -> str | None:
    if not 1 <= year <= 9999:
        return "the year must be between 1 and 9999"
    if month is None:
        return None if day is None else "a day needs a month"
    if not 1 <= month <= 12:
        return "the month must be between 1 and 12"
    if day is not None and not 1 <= day <= days_in_month(year, month):
        return f"{year:04d}-{month:02d} has no day {day}"
    return None


@attrs.frozen(order=False, weakref_slot=False)
class PartialDate:
    """A date with the precision its source gives: a day, a month or a year.

    >>> PartialDate.parse("June 2017")
    PartialDate('2017-06')
    >>> d = PartialDate.parse("2005")
    >>> d.precision, d.first_day, d.last_day
    (<Precision.YEAR: 'year'>, datetime.date(2005, 1, 1), datetime.date(2005, 12, 31))

    Build one with :meth:`parse` or :meth:`of`; the constructor checks its parts.
    """

    year: int
    month: int | None = None
    day: int | None = None
    #: Day ordinals (``date.toordinal()``) of the window's first and last day.
    first: int = attrs.field(init=False, repr=False, eq=False)
    last: int = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        parts = (self.year, self.month, self.day)
        if not _is_int(self.year) or not all(p is None or _is_int(p) for p in parts[1:]):
            # Text, floats or bools would reach the calendar as a TypeError, or pass as 1.
            raise DateError(parts, "PartialDate takes integers; read text with PartialDate.parse")
        problem = _check_parts(self.year, self.month, self.day)
        if problem is not None:
            raise DateError((self.year, self.month, self.day), problem)
        if self.month is None:
            first = dt.date(self.year, 1, 1)
            last = dt.date(self.year, 12, 31)
        elif self.day is None:
            first = dt.date(self.year, self.month, 1)
            last = dt.date(self.year, self.month, days_in_month(self.year, self.month))
        else:
            first = last = dt.date(self.year, self.month, self.day)
        ordinal = first.toordinal()
        object.__setattr__(self, "first", ordinal)
        object.__setattr__(self, "last", ordinal if last is first else last.toordinal())

    def __repr__(self) -> str:
        return f"PartialDate({self.iso!r})"

    def __str__(self) -> str:
        return self.iso

    def __lt__(self, other: PartialDate) -> bool:
        return (self.first, self.last) < (other.first, other.last)

    def __le__(self, other: PartialDate) -> bool:
        return (self.first, self.last) <= (other.first, other.last)

    def __gt__(self, other: PartialDate) -> bool:
        return (self.first, self.last) > (other.first, other.last)

    def __ge__(self, other: PartialDate) -> bool:
        return (self.first, self.last) >= (other.first, other.last)

    @property
    def precision(self) -> Precision:
        """Whether the source gave a day, a month or only a year."""
        if self.day is not None:
            return Precision.DAY
        return Precision.YEAR if self.month is None else Precision.MONTH

    @property
    def iso(self) -> str:
        """ISO 8601 text at this precision: ``2017-06-09``, ``2017-06`` or ``2017``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def first_day(self) -> dt.date:
        """The earliest day the date can stand for."""
        return dt.date.fromordinal(self.first)

    @property
    def last_day(self) -> dt.date:
        """The latest day the date can stand for."""
        return dt.date.fromordinal(self.last)

    @property
    def is_exact(self) -> bool:
        """True when the date names one day."""
        return self.first == self.last

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day.toordinal() <= self.last

    @classmethod
    def of(cls, value: PartialDate | dt.date | str) -> PartialDate:
        """Take a ``PartialDate``, a ``datetime.date`` (a day) or text (see :meth:`parse`)."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date):  # datetime too
            return _interned(*_day_parts(value))
        if isinstance(value, str):
            return cls.parse(value)
        raise DateError(value, f"expected a date or text, not {type(value).__name__}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ISO text (``2017-06-09``, ``2017-06``, ``2017``) or English text.

        English forms such as ``"9 June 2017"``, ``"June 2017"`` or ``"June 9, 2017"`` keep
        exactly the parts they give: no day or month is ever filled in.

        >>> PartialDate.parse("9 June 2017").precision
        <Precision.DAY: 'day'>
        >>> PartialDate.parse("June")
        Traceback (most recent call last):
        ...
        sco_membership.exceptions.DateError: cannot read 'June' as a date: it gives no year
        """
        if not isinstance(text, str):
            raise DateError(text, f"expected text, not {type(text).__name__}")
        # A day in ISO form, the common case of a log: read at C speed, no cache to miss.
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
            try:
                day = _fromisoformat(text)
            except ValueError:
                pass  # read again below, for the precise error
            else:
                found = _DAYS.get(day.toordinal())
                if found is None:
                    found = _interned(day.year, day.month, day.day)
                    _DAYS[found.first] = found  # keyed by the date's own int: no new object
                return found
        text = text.strip()
        if len(text) > MAX_DATE_LENGTH:
            raise DateError(text, f"it is longer than {MAX_DATE_LENGTH} characters")
        return _parse_text(text)


def _day_parts(value: dt.date) -> tuple[int, int, int]:
    """The year, month and day of a ``date`` or ``datetime``, or its subclass (pandas's ``NaT``
    is a ``datetime`` whose fields are not numbers and whose ``date()`` raises)."""
    year, month, day = value.year, value.month, value.day
    if not all(type(part) is int for part in (year, month, day)):
        raise DateError(value, "it is not a day (a missing date?)")
    return year, month, day


_fromisoformat = dt.date.fromisoformat
# The days read from ISO text, by ordinal: a dict lookup by int is cheaper than the cache's key
# of three parts. It holds _interned's objects, so either way a day is one object.
_DAYS: dict[int, PartialDate] = {}


@functools.cache
def _interned(year: int, month: int | None, day: int | None) -> PartialDate:
    # Logs repeat the same dates (summits); one object per date saves memory. The cache is
    # unbounded but bounded by the calendar: at most one entry per day, month and year.
    return PartialDate(year, month, day)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> PartialDate:
    # Cached by text of at most MAX_DATE_LENGTH characters: the cache stays small.
    foreign = next((c for c in text if c.isnumeric() and not c.isascii()), None)
    if foreign is not None:
        raise DateError(text, f"it holds the digit {foreign!r}; write digits as ASCII 0-9")
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _checked(text, year, month, day)
    match = _YEAR_FIRST.fullmatch(text)
    if match:  # the first three groups, or the last three (the basic form 20170609)
        parts = match.groups()
        year, month, day = (int(g) if g else None for g in (parts[:3] if parts[0] else parts[3:]))
        return _checked(text, year, month, day)
    match = _YEAR_LAST.fullmatch(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first <= 12 and second <= 12 and first != second:
            raise DateError(text, "day and month could be either way round; write 2017-06-09")
        day, month = (first, second) if first > 12 or second <= 12 else (second, first)
        return _checked(text, year, month, day)
    return _parse_english(text)


def _checked(text: str, year: int | None, month: int | None, day: int | None) -> PartialDate:
    if year is None:  # pragma: no cover  (every pattern's year group is required)
        raise DateError(text, "it gives no year")
    problem = _check_parts(year, month, day)
    if problem is not None:
        raise DateError(text, problem)
    return _interned(year, month, day)


def _parse_english(text: str) -> PartialDate:
    if not text:
        raise DateError(text, "it is empty")
    if _TIME.search(text):
        raise DateError(text, "it gives a time of day; give only the date")
    from dateutil import parser

    # Two parses with different defaults show which parts the text itself gives:
    # a part that changes with the default was not in the text.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # dateutil warns, e.g. of a time zone it ignores
            low = parser.parse(text, default=dt.datetime(1, 1, 1, 0, 0, 0), dayfirst=True)
            high = parser.parse(text, default=dt.datetime(2, 2, 2, 13, 37, 42), dayfirst=True)
    except (ValueError, OverflowError, Warning) as exc:
        raise DateError(text, "it is not a date dateutil can read") from exc
    given = (low.hour == high.hour, low.minute == high.minute, low.second == high.second)
    if any(given) or low.tzinfo is not None:
        raise DateError(text, "it gives a time of day; give only the date")
    if low.year != high.year:
        raise DateError(text, "it gives no year")
    if low.month != high.month:
        if low.day != high.day:
            return _interned(low.year, None, None)
        raise DateError(text, "it gives a day without a month")
    return _interned(low.year, low.month, low.day if low.day == high.day else None)


def to_date(value: DateLike) -> dt.date:
    """The day a query asks about: a ``datetime.date`` or text that names one day.

    >>> to_date("24 June 2016")
    datetime.date(2016, 6, 24)
    """
    if isinstance(value, dt.date):  # datetime too, and subclasses: a plain date comes back
        return value if type(value) is dt.date else dt.date(*_day_parts(value))
    return dt.date.fromordinal(to_ordinal(value))


def to_ordinal(value: DateLike) -> int:
    """The day ordinal of a query date; text must name a day, not a month or a year."""
    if type(value) is dt.date or type(value) is dt.datetime:  # the usual case, fast
        return value.toordinal()
    if isinstance(value, dt.date):  # a subclass, such as pandas's NaT, may not be a day
        return dt.date(*_day_parts(value)).toordinal()
    partial = PartialDate.parse(value) if isinstance(value, str) else PartialDate.of(value)
    if partial.first != partial.last:
        raise DateError(
            value, f"a query is about one day, and this gives only a {partial.precision.value}"
        )
    return partial.first


class Duration:
    """A length of time as a calendar gives it: years, months and days, and its total in days.

    Pieces add up the way a calendar does: months carry into years, days stay days (a month
    has no fixed length). ``days_in_all`` is the exact count of days. (A plain slotted class,
    not an attrs one: one attrs class fewer keeps ``import sco_membership`` quicker.)

    >>> Duration.between(dt.date(2005, 7, 5), dt.date(2017, 6, 9))
    Duration(years=11, months=11, days=4, days_in_all=4357)
    """

    __slots__ = ("days", "days_in_all", "months", "years")
    years: int
    months: int
    days: int
    days_in_all: int

    def __init__(self, years: int = 0, months: int = 0, days: int = 0, days_in_all: int = 0):
        setter = object.__setattr__
        setter(self, "years", years)
        setter(self, "months", months)
        setter(self, "days", days)
        setter(self, "days_in_all", days_in_all)

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Duration:
        """The time from ``start`` up to ``end`` (not included): ``end`` is the day after."""
        from dateutil.relativedelta import relativedelta

        span = relativedelta(end, start)
        return cls(span.years, span.months, span.days, (end - start).days)

    def _fields(self) -> tuple[int, int, int, int]:
        return (self.years, self.months, self.days, self.days_in_all)

    def __add__(self, other: Duration) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        years, months = divmod(self.months + other.months, 12)
        return Duration(
            self.years + other.years + years,
            months,
            self.days + other.days,
            self.days_in_all + other.days_in_all,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Duration):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Duration is immutable")

    def __reduce__(self) -> tuple[type[Duration], tuple[int, int, int, int]]:
        return (Duration, self._fields())

    def __repr__(self) -> str:
        years, months, days, total = self._fields()
        return f"Duration(years={years}, months={months}, days={days}, days_in_all={total})"
