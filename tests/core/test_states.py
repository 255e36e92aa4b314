from __future__ import annotations

import pytest

from sco_membership.exceptions import UnknownStateError
from sco_membership.states import country, resolve


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("IND", "IND"),
        ("IN", "IND"),
        ("india", "IND"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("turkiye", "TUR"),
        ("Iran", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Kyrgyzstan", "KGZ"),
        ("Laos", "LAO"),
        ("Lao PDR", "LAO"),
        ("Myanmar", "MMR"),
        ("Burma", "MMR"),
        ("United Arab Emirates", "ARE"),
        ("UAE", "ARE"),
        ("United States", "USA"),
        ("  the United Kingdom ", "GBR"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_codes_names_and_aliases_resolve(query: str, code: str) -> None:
    assert resolve(query) == code


def test_country_entry() -> None:
    entry = country("Belarus")
    assert (entry.alpha3, entry.alpha2, entry.name) == ("BLR", "BY", "Belarus")


@pytest.mark.parametrize("query", ["Atlantis", "", "ZZZ", 42, None])
def test_unknown_states_are_lookup_errors(query: object) -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve(query)  # type: ignore[arg-type]
    assert isinstance(caught.value, LookupError)
    assert caught.value.query == query


def test_a_near_miss_suggests_the_closest_names() -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve("Pakistn")
    assert caught.value.suggestions[0] == "Pakistan"


def test_unhashable_queries_are_lookup_errors_too() -> None:
    with pytest.raises(UnknownStateError):
        resolve(["IND"])  # type: ignore[arg-type]
