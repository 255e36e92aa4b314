from __future__ import annotations

import difflib
import uuid

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sco_membership import states
from sco_membership.exceptions import UnknownStateError
from sco_membership.states import MAX_NAME_LENGTH, country, resolve


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


@pytest.mark.parametrize("query", ["Atlantis", "", "ZZZ", 1, "0", None, True])
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


@pytest.mark.parametrize(
    "query",
    [b"IND", {"IND": 1}, ("IND",), 10**5000, 1.5],
    ids=["bytes", "dict", "tuple", "huge-int", "float"],
)
def test_wrong_types_are_lookup_errors(query: object) -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve(query)  # type: ignore[arg-type]
    assert caught.value.suggestions == ()
    assert len(str(caught.value)) < 200


def test_a_long_name_is_refused_at_once_and_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("difflib ran on a long name")

    monkeypatch.setattr(difflib, "get_close_matches", never)
    before = states._lookup.cache_info().currsize
    for k in range(20):
        name = "India" + "x" * (MAX_NAME_LENGTH + k)
        with pytest.raises(UnknownStateError) as caught:
            resolve(name)
        assert caught.value.query == name
        assert caught.value.suggestions == ()
        assert len(str(caught.value)) < 200
    assert states._lookup.cache_info().currsize == before
    assert resolve(" " * 1_000_000 + "India") == "IND"  # padding does not count


def test_suggestions_are_computed_once_per_name(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = difflib.get_close_matches

    def counted(*args: object, **kwargs: object) -> list[str]:
        calls.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    name = f"Pakistn {uuid.uuid4().hex}"  # never looked up before: not in the cache
    for _ in range(50):
        with pytest.raises(UnknownStateError):
            resolve(name)
    assert len(calls) == 1


@given(query=st.text(max_size=120))
@example(query="\ud800")
@example(query="x" * (MAX_NAME_LENGTH + 1))
def test_any_text_is_a_code_or_a_lookup_error(query: str) -> None:
    try:
        code = resolve(query)
    except UnknownStateError as error:
        shown, message = error.query, str(error)
        assert shown == query
        assert "\n" not in message
        return
    assert country(code).alpha3 == code


@pytest.mark.parametrize(
    ("number", "code"),
    [(750, "IND"), ("750", "IND"), (710, "CHN"), (365, "RUS"), (345, "SRB"), (712, "MNG")],
)
def test_a_cow_number_is_a_state(number: int | str, code: str) -> None:
    # COW's MNG is Montenegro (341); Mongolia is 712.
    assert resolve(number) == code


def test_a_cow_state_without_an_iso_code_says_so() -> None:
    with pytest.raises(UnknownStateError, match=r"260 is COW's number for German Federal Rep"):
        resolve(260)
    with pytest.raises(UnknownStateError, match="is no COW state number"):
        resolve(999)
