"""Claims: every source's own word, with the record's verdict; publication time; one source's
view; where sources disagree."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_membership import Ledger, Status
from sco_membership.claims import lenient
from sco_membership.exceptions import MalformedDataError, NothingKnownError, UnknownSourceError
from sco_membership.io.jsonl import dumps, loads
from sco_membership.model import Claim, Verdict
from sco_membership.organisations import SCO_RULES
from sco_membership.strategies import ClaimedLog, claimed_logs

NATION = {"title": "Pakistan gets full membership of SCO", "publisher": "The Nation"}
PAK: list[dict[str, Any]] = [
    {
        "state": "PAK",
        "kind": "observer_granted",
        "date": "2005-07-05",
        "sources": [{"title": "Astana Declaration", "published": "2005-07-05"}],
    },
    {
        "state": "PAK",
        "kind": "accession_started",
        "date": "2015-07-10",
        "sources": [{"title": "Ufa report", "publisher": "Xinhua", "published": "2015-07-10"}],
    },
    {
        "state": "PAK",
        "kind": "obligations_signed",
        "date": "2016-06-24",
        "sources": [{"title": "Tashkent report", "publisher": "TASS", "published": "2016-06"}],
    },
    {
        "state": "PAK",
        "kind": "membership_granted",
        "date": "2017-06-09",
        "sources": [{"title": "Astana report", "publisher": "TASS", "published": "2017-06-09"}],
    },
]
HEADLINE: dict[str, Any] = {
    "state": "PAK",
    "kind": "claim",
    "says": "membership_granted",
    "date": "2015-07-10",
    "verdict": "rejected",
    "reason": "the Ufa decision started the procedure",
    "event": "accession_started/PAK/2015-07-10",
    "quote": "Pakistan gets full membership",
    "sources": [NATION | {"published": "2015-07-11"}],
    "recorded": "2026-12-06",
}
IN_ITS_WORDS: dict[str, Any] = {
    "state": "PAK",
    "kind": "claim",
    "says": "membership_granted",
    "date": "2017-06",
    "verdict": "accepted",
    "event": "membership_granted/PAK/2017-06-09",
    "sources": [{"title": "June roundup", "publisher": "Dawn", "published": "2017-06-30"}],
}


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger.from_records([*PAK, HEADLINE, IN_ITS_WORDS])


def test_claims_load_and_round_trip(ledger: Ledger) -> None:
    assert len(ledger.claims) == 2
    headline = ledger.claims[0]
    assert headline.verdict is Verdict.REJECTED
    assert headline.source.publisher == "The Nation"
    assert headline.source.published is not None
    assert headline.source.published.iso == "2015-07-11"
    assert Ledger.from_records(ledger.to_records()) == ledger
    assert loads(dumps(ledger)) == ledger
    assert ledger.to_records()[-2] == HEADLINE
    assert ledger.horizon == dt.date(2026, 12, 6)


def test_a_log_without_claims_still_loads_unchanged() -> None:
    plain = [{key: value for key, value in record.items() if key != "sources"} for record in PAK]
    ledger = Ledger.from_records(plain)
    assert ledger.claims == ()
    assert ledger.to_records() == plain


def test_every_claim_joins_the_events_sources_to_the_claims_recorded_apart(
    ledger: Ledger,
) -> None:
    every = ledger.every_claim("Pakistan")
    accepted = [claim for claim in every if claim.accepted]
    assert len(accepted) == 5  # four events' sources, and one in its own words
    assert {claim.event for claim in accepted} == {
        event.key for event in ledger.history("PAK").events
    }
    assert ledger.every_claim("IND") == ()


def test_reported_on_folds_only_what_had_been_published(ledger: Ledger) -> None:
    view = ledger.as_reported_on("2016-01-01")
    answer = view.status("PAK", "2016-01-01")
    assert answer.describe() == "acceding (procedure started; still observer)"
    # A source published "2016-06" counts only once the whole month has passed.
    signed = ledger.as_reported_on("2016-06-29").status("PAK", "2016-06-25").stage
    assert signed is not None
    assert signed.value == "procedure_started"
    later = ledger.as_reported_on("2016-06-30").status("PAK", "2016-06-25").stage
    assert later is not None
    assert later.value == "obligations_signed"
    # A view knows nothing after its day: answers about later days say so.
    assert view.status("PAK", "2017-07-01").beyond == dt.date(2016, 1, 1)
    assert ledger.as_reported_on("2020-01-01").status("PAK", "2018-01-01").status is Status.MEMBER


def test_an_accepted_claim_in_its_own_words_reports_its_event(ledger: Ledger) -> None:
    # Dawn's "June 2017" of 30 June would report the membership even without TASS's page.
    records = [*PAK[:3], {**PAK[3], "sources": []}, IN_ITS_WORDS]
    alone = Ledger.from_records(records)
    assert alone.as_reported_on("2017-06-29").status("PAK", "2017-06-29").status.value == (
        "acceding"
    )
    assert alone.as_reported_on("2017-06-30").status("PAK", "2017-06-30").status is Status.MEMBER


def test_a_view_before_any_publication_refuses_to_answer(ledger: Ledger) -> None:
    view = ledger.as_reported_on("2000-01-01")
    with pytest.raises(NothingKnownError) as caught:
        view.status("PAK", "2000-01-01")
    assert caught.value.axis == "published"
    assert caught.value.earliest == dt.date(2005, 7, 5)
    assert "none of the record's sources had been published by 2000-01-01" in str(caught.value)
    for question in (
        lambda: view.roster("2000-01-01"),
        lambda: view.statuses("PAK", ["2000-01-01"]),
        lambda: view.explain("PAK", "2000-01-01"),
    ):
        with pytest.raises(NothingKnownError):
            question()
    assert isinstance(view.refusal, NothingKnownError)
    assert ledger.refusal is None


def test_according_to_one_source_folds_its_word_alone(ledger: Ledger) -> None:
    nation = ledger.according_to("the nation")
    answer = nation.status("PAK", "2016-01-01")
    assert answer.status is Status.MEMBER
    assert answer.since is not None
    assert answer.since.iso == "2015-07-10"
    assert nation.horizon == dt.date(2015, 7, 11)
    tass = ledger.according_to("TASS")  # every page of one publisher
    assert [event.kind.value for event in tass.history("PAK").events] == [
        "obligations_signed",
        "membership_granted",
    ]
    assert tass.status("PAK", "2017-01-01").status.value == "acceding"
    assert tass.rules == lenient(SCO_RULES)


def test_an_unknown_source_names_the_close_ones(ledger: Ledger) -> None:
    with pytest.raises(UnknownSourceError, match="did you mean 'TASS'"):
        ledger.according_to("TAS")
    with pytest.raises(UnknownSourceError):
        ledger.according_to("")


def test_disputes_show_both_sides_and_why(ledger: Ledger) -> None:
    (dispute,) = ledger.disputes("PAK")
    assert dispute.event is not None
    assert dispute.event.key == "accession_started/PAK/2015-07-10"
    assert [claim.source.title for claim in dispute.accepted] == ["Ufa report"]
    assert [claim.source.publisher for claim in dispute.rejected] == ["The Nation"]
    text = str(dispute)
    assert "PAK: chosen 2015-07-10 accession started" in text
    assert "why: the Ufa decision started the procedure" in text
    assert ledger.disputes("IND") == ()
    assert ledger.disputes() == (dispute,)


def test_explain_shows_the_competing_claims_beside_the_deciding_event(ledger: Ledger) -> None:
    why = ledger.explain("PAK", "2016-01-01")
    assert why.claims == (ledger.claims[0],)
    text = str(why)
    assert "rejected claim: membership granted 2015-07-10" in text
    assert "says: Pakistan gets full membership" in text


def test_claims_follow_record_time(ledger: Ledger) -> None:
    assert ledger.as_known_on("2026-12-05").claims == (ledger.claims[1],)
    assert ledger.as_known_on("2026-12-06").claims == ledger.claims


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"event": "accession_started/PAK/2015-07-11"}, "which the log does not hold"),
        ({"verdict": "maybe"}, "'verdict' is 'accepted' or 'rejected'"),
        ({"reason": None}, "a rejected claim needs a 'reason'"),
        ({"verdict": "accepted", "reason": None}, "says 'membership_granted', but the event"),
        ({"says": "obligations_signed"}, None),
        ({"sources": []}, "exactly one, not 0"),
        ({"sources": [NATION, NATION]}, "exactly one, not 2"),
        (
            {
                "sources": [
                    {"title": "Ufa report", "publisher": "Xinhua", "published": "2015-07-10"}
                ]
            },
            "both backs the event",
        ),
        ({"says": "handshake"}, "unknown kind in 'says'"),
        ({"colour": "red"}, r"unknown field\(s\) colour in a claim"),
        ({"sources": [NATION | {"published": "July"}]}, "a source's 'published'"),
    ],
)
def test_a_claim_the_log_cannot_hold_is_refused(
    change: dict[str, Any], message: str | None
) -> None:
    claim = {key: value for key, value in (HEADLINE | change).items() if value is not None}
    if message is None:  # a valid variant: it loads
        assert Ledger.from_records([*PAK, claim]).claims[0].says.value == "obligations_signed"
        return
    with pytest.raises(MalformedDataError, match=message):
        Ledger.from_records([*PAK, claim])


def test_an_accepted_claim_must_contain_its_events_date() -> None:
    wrong = IN_ITS_WORDS | {"date": "2017-05"}
    with pytest.raises(MalformedDataError, match="does not contain the date 2017-06-09"):
        Ledger.from_records([*PAK, wrong])
    with pytest.raises(MalformedDataError, match="given twice"):
        Ledger.from_records([*PAK, HEADLINE, HEADLINE])


def test_append_takes_claims_and_checks_them(ledger: Ledger) -> None:
    plain = Ledger.from_records(PAK)
    (headline,) = Ledger.from_records([*PAK, HEADLINE]).claims
    grown = plain.append(headline)
    assert grown.claims == (headline,)
    assert grown.horizon == dt.date(2026, 12, 6)
    orphan = Claim(
        "IND",
        headline.says,
        headline.date,
        headline.source,
        Verdict.REJECTED,
        event="accession_started/IND/2015-07-10",
        reason="no such event",
    )
    with pytest.raises(MalformedDataError, match="which the log does not hold"):
        plain.append(orphan)


# --- properties ---------------------------------------------------------------------------------

CLAIMED = claimed_logs(SCO_RULES, max_events=10)


@settings(max_examples=60, deadline=None)
@given(claimed=CLAIMED)
def test_a_log_with_claims_round_trips(claimed: ClaimedLog) -> None:
    ledger = Ledger.from_records(claimed.records)
    assert Ledger.from_records(ledger.to_records()) == ledger
    text = "".join(json.dumps(record) + "\n" for record in claimed.records)
    assert loads(text) == ledger
    assert loads(dumps(ledger)) == ledger


@settings(max_examples=60, deadline=None)
@given(claimed=CLAIMED)
def test_the_accepted_claims_make_the_record(claimed: ClaimedLog) -> None:
    ledger = Ledger.from_records(claimed.records)
    accepted = [claim for claim in ledger.every_claim() if claim.accepted]
    by_key = {(event.state, event.key): event for event in ledger.events}
    for claim in accepted:
        event = by_key[claim.state, claim.event or ""]
        assert claim.says == event.kind
        assert claim.date.first <= event.date.first <= event.date.last <= claim.date.last
    # Every event with a source is backed by an accepted claim, and the events the accepted
    # claims back, with the events that cite nothing, make the record again.
    backed = {(claim.state, claim.event or "") for claim in accepted}
    unsourced = [event for key, event in by_key.items() if key not in backed]
    assert all(not event.sources for event in unsourced)
    rebuilt = Ledger.from_events([*(by_key[key] for key in backed), *unsourced])
    assert rebuilt == Ledger.from_events(ledger.events)


@settings(max_examples=60, deadline=None)
@given(
    claimed=CLAIMED,
    days=st.lists(st.dates(dt.date(1989, 1, 1), dt.date(2032, 1, 1)), min_size=2, max_size=4),
)
def test_reported_on_views_only_grow_with_the_day(
    claimed: ClaimedLog, days: list[dt.date]
) -> None:
    ledger = Ledger.from_records(claimed.records)
    seen: set[tuple[str, str]] = set()
    for day in sorted(days):
        view = ledger.as_reported_on(day)
        found = {(event.state, event.key) for event in view.events}
        assert seen <= found
        seen = found
        for state, history in view.histories.items():  # each a prefix of the record's
            assert history.events == ledger.history(state).events[: len(history.events)]
    assert seen <= {(event.state, event.key) for event in ledger.events}


def test_a_reported_on_view_is_made_once(ledger: Ledger) -> None:
    assert ledger.as_reported_on("2016-01-01") is ledger.as_reported_on(dt.date(2016, 1, 1))
    assert ledger.as_reported_on("2016-01-01") is not ledger.as_known_on("2016-01-01")
