"""Reprs and Jupyter's HTML: one bounded line each, small escaped tables, nothing run."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given

import sco_membership as scm
from sco_membership import _display
from sco_membership.dates import PartialDate
from sco_membership.strategies import claimed_logs, event_logs

SCO = scm.sco()
NASTY = '<script>alert("x")</script> & Co\'s'
# Every tag the tables use; anything else (a script, a style) is a leak.
TAGS = {"a", "br", "caption", "div", "table", "tbody", "td", "th", "thead", "tr"}
VOID = {"br"}


class Checked(HTMLParser):
    """The parts of an HTML text, with every end tag matched against the last open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.data: list[str] = []
        #: Each table row as its cells' texts (a cell's lines joined by "|").
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in VOID:
            self.open.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self.rows[-1].append("")
        elif tag == "br":
            self.rows[-1][-1] += "|"

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another tag"

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if self.open and self.open[-1] in {"td", "th", "a"}:
            self.rows[-1][-1] += data

    @property
    def text(self) -> str:
        return "".join(self.data)


def parsed(html: str) -> Checked:
    """``html`` parsed: balanced, only the tables' own tags, only web links."""
    assert isinstance(html, str)
    checked = Checked()
    checked.feed(html)
    checked.close()
    assert checked.open == []
    assert checked.tags <= TAGS
    assert all(href.startswith(("http://", "https://")) for href in checked.hrefs)
    return checked


def nasty_ledger() -> scm.Ledger:
    """A small ledger whose free texts hold markup, ampersands and quotes."""
    return scm.Ledger.from_records(
        [
            {
                "state": "IND",
                "kind": "observer_granted",
                "date": "2005-07-05",
                "place": "Astana <b>",
                "note": "a <i>note</i> & more",
                "sources": [
                    {"title": NASTY, "url": "javascript:alert(1)", "publisher": '<P> & "Q"'},
                    {"title": "safe", "url": 'https://example.org/?a=1&b="2"'},
                ],
                "recorded": "2005-07-06",
            },
            {"state": "IND", "kind": "accession_started", "date": "2015-07-10"},
            {
                "state": "IND",
                "kind": "claim",
                "says": "membership_granted",
                "date": "2015-07-10",
                "verdict": "rejected",
                "reason": "<wrong> & early",
                "event": "accession_started/IND/2015-07-10",
                "quote": '"full" <member>',
                "sources": [{"title": f"{NASTY} 2", "url": "http://example.org/<x>"}],
            },
        ]
    )


def many(count: int) -> scm.Ledger:
    """A ledger of ``count`` states (made-up codes), each granted observer status."""
    day = PartialDate.parse("2005-07-05")
    granted = scm.EventKind.OBSERVER_GRANTED
    return scm.Ledger.from_events([scm.Event(f"S{n:06d}", granted, day) for n in range(count)])


# --- reprs -------------------------------------------------------------------------------------


def test_the_reprs_of_the_sco_data_are_short_lines_that_say_what_they_hold() -> None:
    assert repr(SCO) == (
        f"<Ledger SCO: {len(SCO.states)} states, {len(SCO.events)} events,"
        f" {len(SCO.claims)} claims, horizon {SCO.horizon}>"
    )
    assert repr(SCO.history("IND")) == "<History IND: 5 events; current: member, since 2017-06-09>"
    assert repr(SCO.status("IND", "2016-06-24")) == (
        "<Answer IND: acceding (obligations signed; still observer),"
        " since 2016-06-24, until 2017-06-09>"
    )
    assert repr(SCO.roster("2016-04-07")) == (
        "<Roster 2016-04-07: dialogue partner 5, observer 6, acceding 2, member 6>"
    )
    assert repr(SCO.explain("IND", "2016-06-24")) == (
        "<Explanation IND on 2016-06-24: acceding (obligations signed; still observer); 1 event>"
    )
    assert repr(SCO.changes("2017-06-08", "2017-06-09")[0]) == (
        "<Change 2017-06-09 IND: acceding (obligations signed; still observer) -> member>"
    )


def test_every_repr_of_the_sco_data_is_one_line_of_at_most_200_characters() -> None:
    values: list[object] = [SCO, SCO.as_known_on("1990-01-01"), SCO.according_to("TASS")]
    for code in SCO.states:
        history = SCO.history(code)
        values += [history, *history.intervals, *SCO.disputes(code)]
        values += [SCO.explain(code, day) for day, _ in history.timeline()]
    values += [SCO.roster(f"{year}-06-30") for year in range(1995, 2030)]
    values += [*SCO.changes("1990-01-01", "2030-01-01"), SCO.status("IND", "2040-01-01")]
    for value in values:
        shown = repr(value)
        assert len(shown) <= _display.WIDTH
        assert "\n" not in shown
        assert shown.startswith(f"<{type(value).__name__} ")
        assert shown.endswith(">")


def test_a_repr_is_cut_whatever_its_value_holds() -> None:
    long = "X" * 100_000
    granted = scm.Event(long, scm.EventKind.OBSERVER_GRANTED, PartialDate.parse("2005"))
    shown = repr(scm.History.from_events(long, [granted]))
    assert len(shown) == _display.WIDTH
    assert shown.startswith("<History XXX")
    assert shown.endswith("…>")


def test_the_reprs_of_a_view_and_of_an_amended_ledger_say_so() -> None:
    assert repr(SCO.as_known_on("1990-01-01")) == (
        "<Ledger SCO: 0 states, 0 events, horizon 1990-01-01; nothing recorded by 1990-01-01>"
    )
    ledger = scm.Ledger.from_records(
        [
            {
                "state": "IND",
                "kind": "observer_granted",
                "date": "2005-07-06",
                "recorded": "2005-07-07",
            },
            {
                "state": "IND",
                "kind": "correction",
                "amends": "observer_granted/IND/2005-07-06",
                "set": {"date": "2005-07-05"},
                "reason": "the summit's first day",
                "recorded": "2006-01-01",
            },
        ]
    )
    assert repr(ledger) == "<Ledger SCO: 1 state, 1 event, 1 amendment, horizon 2006-01-01>"
    assert repr(scm.Ledger({})) == "<Ledger SCO: 0 states, 0 events>"
    roster = ledger.roster("2007-01-01")
    assert repr(roster) == (
        "<Roster 2007-01-01: observer 1 (the record is complete only through 2006-01-01)>"
    )
    assert repr(ledger.roster("2000-01-01")) == "<Roster 2000-01-01: no state holds a status>"


def test_an_uncertain_answer_and_roster_show_it() -> None:
    ledger = scm.Ledger.from_records(
        [{"state": "IND", "kind": "observer_granted", "date": "2005-07"}]
    )
    answer = ledger.status("IND", "2005-07-15")
    assert repr(answer) == "<Answer IND: uncertain: none or observer, until 2005-07>"
    assert repr(ledger.roster("2005-07-15")) == "<Roster 2005-07-15: uncertain 1>"
    table = dict(parsed(answer._repr_html_()).rows)
    assert (table["status"], table["possible"], table["certain"]) == (
        "none",
        "none or observer",
        "no",
    )
    assert "IND (none or observer)" in parsed(ledger.roster("2005-07-15")._repr_html_()).text


def test_repr_changes_no_equality_hash_or_str() -> None:
    answer = SCO.status("IND", "2016-06-24")
    beyond = SCO.status("IND", "2040-01-01")
    assert beyond == SCO.status("IND", "2030-01-01")  # ``beyond`` takes no part in equality
    assert hash(beyond) == hash(SCO.status("IND", "2030-01-01"))
    assert answer != beyond
    assert str(answer).startswith("IND: acceding (obligations signed; still observer) of the")
    again = scm.Ledger.from_records(SCO.to_records())
    assert again == SCO
    assert hash(again) == hash(SCO)
    assert again.roster("2016-04-07") == SCO.roster("2016-04-07")
    assert SCO.roster("2016-04-07") != SCO.roster("2016-04-08")  # another day
    assert str(SCO.roster("2016-04-07")).splitlines()[0] == "2016-04-07:"
    assert SCO.history("IND") == scm.History.from_events("IND", SCO.history("IND").events)
    assert again.explain("IND", "2016-06-24") == SCO.explain("IND", "2016-06-24")
    assert again.disputes("IRN") == SCO.disputes("IRN")


# --- HTML --------------------------------------------------------------------------------------


def test_every_text_is_escaped_and_only_web_addresses_are_links() -> None:
    ledger = nasty_ledger()
    pages = [
        ledger._repr_html_(),
        ledger.history("IND")._repr_html_(),
        ledger.status("IND", "2006-01-01")._repr_html_(),
        ledger.explain("IND", "2016-01-01")._repr_html_(),
        ledger.explain("IND", "2006-01-01")._repr_html_(),
        ledger.disputes("IND")[0]._repr_html_(),
        ledger.roster("2006-01-01")._repr_html_(),
    ]
    for page in pages:
        assert "<script" not in page
        assert "<b>" not in page
        assert "<i>" not in page
        assert "<member>" not in page
        parsed(page)
    answer = parsed(pages[2])
    assert NASTY in answer.text  # escaped text reads back as written
    assert "javascript:alert(1)" in answer.text  # shown, never a link
    assert '<P> & "Q"' in answer.text
    assert answer.hrefs == ['https://example.org/?a=1&b="2"']
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#x27;s" in pages[2]
    explained = parsed(pages[4])
    assert "a <i>note</i> & more" in explained.text
    assert "Astana <b>" in explained.text
    disputed = parsed(pages[5])
    assert f"{NASTY} 2" in disputed.text
    assert '"full" <member>' in disputed.text
    assert "<wrong> & early" in disputed.text
    assert disputed.hrefs == ["http://example.org/<x>"]


def test_a_rule_set_s_names_are_escaped_too() -> None:
    rules = scm.RuleSet.loads(
        'name = "Club <b>"\norganisation = "Example <Club> & Co"\n'
        'statuses = ["none", "guest"]\nkinds = ["admission", "departure"]\n'
        '[[transitions]]\nkind = "admission"\nfrom = ["none"]\nto = "guest"\n'
        '[[transitions]]\nkind = "departure"\nfrom = ["guest"]\nto = "none"\n'
    )
    admission, departure = rules.kind_named("admission"), rules.kind_named("departure")
    events = [
        scm.Event("IND", departure if n % 2 else admission, PartialDate(2000 + n, 1, 1))
        for n in range(240)
    ]
    ledger = scm.Ledger.from_events(events, rules=rules)
    page = parsed(ledger._repr_html_())
    assert "Example <Club> & Co" in page.text
    assert "Club <b>" in page.text
    assert repr(ledger) == "<Ledger Club <b>: 1 state, 240 events>"
    history = ledger.history("IND")
    shown = parsed(history._repr_html_())
    assert "IND: 240 events (Club <b>)" in shown.text
    # 241 intervals: the first rows, then how many more.
    assert history._repr_html_().count("<tr>") == 1 + _display.ROWS + 1
    assert f"… and {241 - _display.ROWS} more" in shown.text


def test_a_large_ledger_renders_a_bounded_table_and_builds_only_what_it_shows() -> None:
    ledger = many(2_000)
    assert repr(ledger) == "<Ledger SCO: 2,000 states, 2,000 events>"
    assert len(ledger.histories.built) == 0  # type: ignore[attr-defined]
    page = ledger._repr_html_()
    assert len(page) < 10_000
    shown = parsed(page)
    assert "… and 1,950 more" in shown.text
    assert "S000049" in shown.text
    assert "S000050" not in shown.text
    assert len(ledger.histories.built) == _display.ROWS  # type: ignore[attr-defined]
    roster = ledger.roster("2006-01-01")
    assert repr(roster) == "<Roster 2006-01-01: observer 2,000>"
    listed = parsed(roster._repr_html_())
    assert len(roster._repr_html_()) < 2_000
    assert f"… and {2_000 - _display.ITEMS:,} more" in listed.text


def test_a_cell_of_many_sources_or_a_long_text_is_cut() -> None:
    sources = tuple(scm.Source(f"page {n}", f"https://example.org/{n}") for n in range(500))
    event = scm.Event(
        "IND",
        scm.EventKind.OBSERVER_GRANTED,
        PartialDate.parse("2005-07-05"),
        sources=sources,
        place="p" * 100_000,
    )
    answer = scm.History.from_events("IND", [event]).at("2006-01-01")
    page = answer._repr_html_()
    assert len(page) < 5_000
    shown = parsed(page)
    assert len(shown.hrefs) == _display.ITEMS
    assert f"… and {500 - _display.ITEMS} more" in shown.text
    assert "p" * _display.TEXT not in shown.text


def test_the_sco_data_render() -> None:
    page = parsed(SCO._repr_html_())
    assert "Shanghai Cooperation Organisation" in page.text
    assert all(code in page.text for code in SCO.states)  # 30 states: every one shown
    india = parsed(SCO.history("IND")._repr_html_())
    assert india.rows[0] == ["from", "until", "status", "event", "sources"]
    assert india.rows[1] == ["", "2005-07-05", "none", "", ""]
    first, until, status, event, sources = india.rows[-1]
    assert (first, until, status) == ("2017-06-09", "", "member")
    assert event.startswith("2017-06-09 membership granted, ")
    assert sources.split("|")[0] == "India and Pakistan join SCO (TASS, 2017-06-09)"
    assert "http://tass.com/world/950697" in india.hrefs
    roster = parsed(SCO.roster("2016-04-07")._repr_html_())
    assert roster.rows[1:] == [
        ["dialogue partner", "5", "AZE, KHM, LKA, NPL, TUR"],
        ["observer", "6", "AFG, BLR, IND, IRN, MNG, PAK"],
        ["acceding", "2", "IND, PAK"],
        ["member", "6", "CHN, KAZ, KGZ, RUS, TJK, UZB"],
    ]
    answer = dict(parsed(SCO.status("IND", "2016-06-24")._repr_html_()).rows)
    assert answer["status"] == "acceding"
    assert answer["stage"] == "obligations signed"
    assert answer["held"] == "observer"
    assert (answer["since"], answer["until"], answer["certain"]) == (
        "2016-06-24",
        "2017-06-09",
        "yes",
    )
    assert answer["event"].startswith("2016-06-24 obligations signed, Tashkent")
    assert answer["sources"].startswith("Several documents signed at SCO Summit in Tashkent")


@pytest.mark.parametrize("on", ["2000-01-01", "2017-06-09", "2040-01-01"])
def test_every_answer_of_the_sco_data_renders(on: str) -> None:
    for code in SCO.states:
        page = parsed(SCO.status(code, on)._repr_html_())
        assert code in page.text


@given(log=event_logs(scm.SCO_RULES))
def test_the_html_of_answers_from_any_log_parses_and_names_the_state(log: Any) -> None:
    ledger = scm.Ledger.from_records(log.records, rules=log.rules)
    parsed(ledger._repr_html_())
    for state in log.states:  # some may have no event
        history = ledger.history(state)
        assert state in parsed(history._repr_html_()).text
        for answer in history.intervals:
            assert state in parsed(answer._repr_html_()).text
            assert len(repr(answer)) <= _display.WIDTH
        for event in history.events:
            day = dt.date.fromordinal(event.date.first)
            assert state in parsed(ledger.status(state, day)._repr_html_()).text
            assert state in parsed(ledger.explain(state, day)._repr_html_()).text
            parsed(ledger.roster(day)._repr_html_())


@given(claimed=claimed_logs(scm.SCO_RULES))
def test_the_html_of_disputes_from_any_log_parses(claimed: Any) -> None:
    ledger = scm.Ledger.from_records(claimed.records)
    for dispute in ledger.disputes():
        page = parsed(dispute._repr_html_())
        assert dispute.state in page.text
        assert len(repr(dispute)) <= _display.WIDTH
