from __future__ import annotations

import datetime as dt

import pytest

from sco_membership.dates import PartialDate, Precision, to_date, to_ordinal
from sco_membership.exceptions import DateError, MembershipError


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
