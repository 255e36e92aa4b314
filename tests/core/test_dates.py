from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sco_membership.dates import (
    MAX_DATE_LENGTH,
    PartialDate,
    Precision,
    _parse_text,
    to_date,
    to_ordinal,
)
from sco_membership.exceptions import DateError, MembershipError
from strategies import date_texts
from timing import doubling_ratio


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2017-06-09", "2017-06-09", Precision.DAY),
        ("2017-06", "2017-06", Precision.MONTH),
        ("2005", "2005", Precision.YEAR),
        ("9 June 2017", "2017-06-09", Precision.DAY),
        ("June 9, 2017", "2017-06-09", Precision.DAY),
        ("June 2017", "2017-06", Precision.MONTH),
        ("Jun 2017", "2017-06", Precision.MONTH),
        ("  24 June 2016 ", "2016-06-24", Precision.DAY),
    ],
)
def test_parse_keeps_the_precision_the_text_gives(
    text: str, iso: str, precision: Precision
) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.iso == iso
    assert parsed.precision is precision


@pytest.mark.parametrize(
    "text",
    ["", "June", "9 June", "2017-02-30", "2017-13", "yesterday", "2017-06-09 10:30", "3pm 2017"],
)
def test_parse_rejects_what_is_not_a_whole_date(text: str) -> None:
    with pytest.raises(DateError) as caught:
        PartialDate.parse(text)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, MembershipError)
    assert repr(text) in str(caught.value)


def test_windows_cover_exactly_the_days_the_source_allows() -> None:
    assert PartialDate.parse("2016").first_day == dt.date(2016, 1, 1)
    assert PartialDate.parse("2016").last_day == dt.date(2016, 12, 31)
    assert PartialDate.parse("2016-02").last_day == dt.date(2016, 2, 29)
    assert PartialDate.parse("2017-02").last_day == dt.date(2017, 2, 28)
    day = PartialDate.parse("2017-06-09")
    assert day.first == day.last == dt.date(2017, 6, 9).toordinal()
    assert day.is_exact
    assert dt.date(2017, 6, 30) in PartialDate.parse("2017-06")
    assert dt.date(2017, 7, 1) not in PartialDate.parse("2017-06")


def test_constructor_checks_its_parts() -> None:
    with pytest.raises(DateError, match="a day needs a month"):
        PartialDate(2017, None, 3)
    with pytest.raises(DateError, match="no day 31"):
        PartialDate(2017, 6, 31)
    with pytest.raises(DateError, match="month"):
        PartialDate(2017, 0)


def test_of_accepts_dates_datetimes_text_and_itself() -> None:
    day = PartialDate.parse("2016-06-24")
    assert PartialDate.of(dt.date(2016, 6, 24)) == day
    assert PartialDate.of(dt.datetime(2016, 6, 24, 23, 59)) == day
    assert PartialDate.of("24 June 2016") == day
    assert PartialDate.of(day) is day
    with pytest.raises(DateError, match="expected a date or text"):
        PartialDate.of(20160624)  # type: ignore[arg-type]
    with pytest.raises(DateError, match="expected text"):
        PartialDate.parse(None)  # type: ignore[arg-type]


def test_order_is_by_window() -> None:
    year, month, day = (PartialDate.parse(t) for t in ("2017", "2017-06", "2017-06-09"))
    assert year < month < day
    assert day > month >= month
    assert year <= year
    assert sorted([day, year, month]) == [year, month, day]


def test_queries_need_a_day() -> None:
    assert to_date("24 June 2016") == dt.date(2016, 6, 24)
    assert to_date(dt.datetime(2016, 6, 24, 8)) == dt.date(2016, 6, 24)
    assert to_ordinal(dt.date(2016, 6, 24)) == dt.date(2016, 6, 24).toordinal()
    with pytest.raises(DateError, match="only a month"):
        to_date("June 2016")
    with pytest.raises(DateError):
        to_ordinal(2016)  # type: ignore[arg-type]


def test_str_and_repr() -> None:
    assert str(PartialDate.parse("2017-06")) == "2017-06"
    assert repr(PartialDate.parse("2017")) == "PartialDate('2017')"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2017/6/9", "2017-06-09"),
        ("2017.06", "2017-06"),
        ("25/6/2017", "2017-06-25"),
        ("6/6/2017", "2017-06-06"),
    ],
)
def test_numeric_forms_are_read_without_guessing(text: str, iso: str) -> None:
    assert PartialDate.parse(text).iso == iso


def test_an_ambiguous_numeric_date_is_refused() -> None:
    with pytest.raises(DateError, match="either way round"):
        PartialDate.parse("06/09/2017")


def _refused(value: object) -> DateError:
    with pytest.raises(DateError) as caught:
        PartialDate.of(value)  # type: ignore[arg-type]
    return caught.value


def test_long_text_is_refused_before_any_parsing() -> None:
    error = _refused("1" * 512_000)
    assert f"longer than {MAX_DATE_LENGTH} characters" in str(error)
    assert len(str(error)) < 300
    # Padding is not the date: the text is measured once stripped.
    assert PartialDate.parse(" " * 10_000 + "2016-06-24" + "\n" * 10_000).iso == "2016-06-24"
    for query in (to_date, to_ordinal):
        with pytest.raises(DateError, match="longer than"):
            query("9" * 100_000)


def test_refusing_long_text_takes_time_linear_in_its_size() -> None:
    # It took 8.5-29 s at 512 KB, in dateutil's tokenizer.
    assert doubling_ratio(lambda n: _refused("1" * n), 256_000) < 3


@pytest.mark.parametrize(
    "text",
    [
        "\uff12\uff10\uff11\uff16-06-24",
        "2016-06-\uff12\uff14",
        "24 June \uff12\uff10\uff11\uff16",
        "\u0662\u0660\u0661\u0666",
        "2016\u00b2",
    ],
)
def test_digits_are_ascii(text: str) -> None:
    with pytest.raises(DateError, match="write digits as ASCII 0-9"):
        PartialDate.parse(text)


class _NotATime(dt.datetime):
    """A ``datetime`` subclass that is no day, as pandas's ``NaT`` is."""

    @property
    def year(self) -> int:  # type: ignore[override]
        return float("nan")  # type: ignore[return-value]

    def date(self) -> dt.date:
        raise ValueError("NaTType does not support date")


@pytest.mark.parametrize(
    "value", [None, b"2016-06-24", 2016.0, 2016, True, ["2016"], _NotATime(2016, 6, 24)]
)
def test_wrong_types_are_date_errors(value: object) -> None:
    for call in (PartialDate.of, PartialDate.parse, to_date, to_ordinal):
        with pytest.raises(DateError):
            call(value)  # type: ignore[operator]


def test_pandas_nat_is_a_date_error() -> None:
    pandas = pytest.importorskip("pandas")
    for call in (PartialDate.of, to_date, to_ordinal):
        with pytest.raises(DateError, match="NaT"):
            call(pandas.NaT)
    assert to_date(pandas.Timestamp("2016-06-24 10:00")) == dt.date(2016, 6, 24)
    assert type(to_date(pandas.Timestamp("2016-06-24"))) is dt.date


@pytest.mark.parametrize(
    "parts", [("2016",), (2016, "06"), (2016, 6, "24"), (2016.0,), (True,), (2016, 6.0), (None,)]
)
def test_the_constructor_takes_integers_and_names_parse(parts: tuple[object, ...]) -> None:
    with pytest.raises(DateError, match=r"PartialDate\.parse"):
        PartialDate(*parts)  # type: ignore[arg-type]


def test_parse_keeps_its_cache() -> None:
    assert _parse_text.cache_info().maxsize == 4096


@given(text=date_texts() | st.text(max_size=80))
@example(text="1" * 100_000)
@example(text="\uff12\uff10\uff11\uff16-06-24")
@example(text="\ud800")
@example(text="9" * 65)
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        parsed = PartialDate.parse(text)
    except DateError as error:
        message = str(error)
        assert "\n" not in message
        assert len(message) < 400
        return
    assert len(text.strip()) <= MAX_DATE_LENGTH
    assert PartialDate.parse(parsed.iso) == parsed


def test_days_in_month_is_the_calendars_for_every_month_of_every_year() -> None:
    import calendar

    from sco_membership.dates import days_in_month

    for year in range(1, 10_000):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
