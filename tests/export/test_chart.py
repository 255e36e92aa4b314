"""The timeline chart: rows, segments, marks, files, and the errors (extra ``plot``)."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import itertools
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_membership import (
    SCO_RULES,
    EventKind,
    Ledger,
    RuleSet,
    Stage,
    Standing,
    Status,
    Transition,
    brics,
    country,
    sco,
)
from sco_membership.exceptions import (
    ChartError,
    FileError,
    MissingExtraError,
    OptionError,
    UnknownStateError,
)
from sco_membership.export.chart import save, summits
from strategies import LedgerLog, ledger_logs

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

EXAMPLES = Path(__file__).parents[2] / "examples"
BRICS_RULES = RuleSet.load(
    Path(__file__).parents[2] / "src/sco_membership/organisations/data/brics.toml"
)
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}

# A rule set of our own, with statuses and stages the SCO does not have: an invitation before
# association (a stage of "none"), and two stages of a candidacy during which a state stays an
# associate ("applicant" is retaining).
TOY = RuleSet.loads(
    """
name = "Toy"
organisation = "Toy Union"
statuses = ["none", "associate", "applicant", "member"]
stages = ["invited", "screening", "negotiating"]
kinds = ["founding", "invitation", "association", "application", "negotiation", "admission",
         "withdrawal"]
retaining = ["applicant"]
organisation_wide = ["founding"]

[[transitions]]
kind = "founding"
from = ["none"]
to = "member"

[[transitions]]
kind = "invitation"
from = ["none"]
to = "none/invited"

[[transitions]]
kind = "association"
from = ["none", "none/invited"]
to = "associate"

[[transitions]]
kind = "application"
from = ["associate"]
to = "applicant/screening"

[[transitions]]
kind = "negotiation"
from = ["applicant/screening"]
to = "applicant/negotiating"

[[transitions]]
kind = "admission"
from = ["applicant/negotiating"]
to = "member"

[[transitions]]
kind = "withdrawal"
from = ["none/invited", "associate", "applicant/screening", "applicant/negotiating", "member"]
to = "none"
"""
)
TOY_LEDGER = Ledger.from_records(
    [
        {"states": ["DEU", "FRA"], "kind": "founding", "date": "2000-03-25"},
        {"state": "ITA", "kind": "invitation", "date": "2001-01-10"},
        {"state": "ITA", "kind": "association", "date": "2001-05-01"},
        {"state": "ITA", "kind": "application", "date": "2003-03-01"},
        {"state": "ITA", "kind": "negotiation", "date": "2004-01-01"},
        {"state": "ITA", "kind": "admission", "date": "2005-07-01"},
    ],
    rules=TOY,
)


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def main_axes(figure: Figure) -> Axes:
    (ax,) = figure.axes
    return ax


def rows(figure: Figure) -> list[str]:
    return [label.get_text() for label in main_axes(figure).get_yticklabels()]


def segments(figure: Figure) -> dict[str, Any]:
    """The drawn bars by id: ``CODE-rank-first day``."""
    return {patch.get_gid(): patch for patch in main_axes(figure).patches}


def segments_of(figure: Figure, code: str) -> list[Any]:
    found = [p for gid, p in segments(figure).items() if gid.startswith(f"{code}-")]
    return sorted(found, key=lambda patch: patch.get_x())


# summits() needs no matplotlib: it is a question about the record.


def test_summits_are_the_day_dated_heads_of_state_meetings() -> None:
    found = dict(summits(sco()))
    assert found[dt.date(1996, 4, 26)] == "1996 Shanghai"
    assert found[dt.date(2017, 6, 9)] == "2017 Astana"
    assert found[dt.date(2023, 7, 4)] == "2023 New Delhi"  # "(virtual)" left out
    assert found[dt.date(2025, 9, 1)] == "2025 Tianjin"
    # Mongolia's observer status dates only to "June 2004": no day, so no line.
    assert not any(d.year == 2004 for d in found)
    # Signing a memorandum at the SCO Secretariat is no summit.
    assert dt.date(2016, 3, 14) not in found
    assert list(found) == sorted(found)


def test_summits_of_an_empty_ledger() -> None:
    assert summits(Ledger.from_records([])) == ()


def test_a_bad_suffix_is_refused_before_anything_is_drawn(tmp_path: Path) -> None:
    with pytest.raises(
        OptionError, match=r"unknown chart file suffix '\.pdf'; known: \.png, \.svg"
    ):
        save(sco(), tmp_path / "sco.pdf")
    with pytest.raises(ValueError, match="suffix"):  # callers may catch the stdlib type
        save(sco(), tmp_path / "sco")
    assert list(tmp_path.iterdir()) == []


def test_without_matplotlib_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"sco-membership\[plot\]") as caught:
        save(sco(), tmp_path / "sco.png")
    assert caught.value.extra == "plot"
    assert caught.value.module == "matplotlib"
    assert list(tmp_path.iterdir()) == []


# Drawing needs matplotlib.


@pytest.fixture(scope="module")
def mpl() -> Any:
    return pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def chart(mpl: Any) -> Figure:
    from sco_membership.export.chart import timeline

    return timeline(sco())


def held() -> list[str]:
    """The states of the embedded data that have held a status."""
    return [code for code in sco().states if sco().history(code).timeline()]


def test_one_labelled_row_per_state_founders_first(chart: Figure) -> None:
    labels = rows(chart)
    # A state that only applied (Syria, Israel, Bangladesh) has no status to draw.
    assert len(labels) == len(held()) == 27
    assert labels[:5] == [
        "China (CHN)",
        "Kazakhstan (KAZ)",
        "Kyrgyzstan (KGZ)",
        "Russia (RUS)",
        "Tajikistan (TJK)",
    ]
    assert labels[5] == "Uzbekistan (UZB)"
    assert labels[-1] == "Laos (LAO)"
    assert "Türkiye (TUR)" in labels


def test_the_time_axis_runs_over_the_whole_years_of_the_record(chart: Figure) -> None:
    assert main_axes(chart).get_xlim() == (day("1996-01-01"), day("2025-12-31"))
    assert (
        chart.get_suptitle() == "Status in the Shanghai Cooperation Organisation, 1996\u20132025"
    )


def test_india_accedes_in_two_hatched_stages_over_the_observer_colour(chart: Figure) -> None:
    observer, started, signed, member = segments_of(chart, "IND")
    assert (started.get_x(), started.get_width()) == (day("2015-07-10"), 350)
    assert signed.get_x() == day("2016-06-24")
    assert member.get_x() == day("2017-06-09")
    assert started.get_hatch()
    assert signed.get_hatch()
    assert started.get_hatch() != signed.get_hatch()
    assert observer.get_hatch() is None
    # The status kept while acceding is the fill; the status sought is the hatch.
    assert started.get_facecolor() == signed.get_facecolor() == observer.get_facecolor()
    assert started.get_edgecolor() == member.get_facecolor()


def test_an_imprecise_month_is_drawn_uncertain_and_flagged(chart: Figure) -> None:
    decided, window, partner, later = segments_of(chart, "SAU")
    # The memorandum is dated "2022-09": the whole month is uncertain.
    assert (window.get_x(), window.get_x() + window.get_width()) == (
        day("2022-09-01"),
        day("2022-09-30"),
    )
    assert window.get_hatch() == "...."
    assert window.get_facecolor() not in {decided.get_facecolor(), partner.get_facecolor()}
    flags = [
        line
        for line in main_axes(chart).lines
        if line.get_gid() == f"uncertain-{window.get_gid()}"
    ]
    assert len(flags) == 1
    assert later.get_x() == day("2025-09-01")


def test_the_shanghai_five_is_a_lighter_shade_of_membership(chart: Figure) -> None:
    five, sco_member = segments_of(chart, "CHN")
    assert five.get_x() == day("1996-04-26")
    assert sco_member.get_x() == day("2001-06-15")
    assert five.get_facecolor() != sco_member.get_facecolor()
    assert sum(five.get_facecolor()[:3]) > sum(sco_member.get_facecolor()[:3])


def test_summits_are_marked_with_a_line_each_and_labels_that_never_overlap(
    chart: Figure,
) -> None:
    ax = main_axes(chart)
    lines = {line.get_gid() for line in ax.lines if (line.get_gid() or "").startswith("mark-")}
    assert lines == {f"mark-{d.isoformat()}" for d, _ in summits(sco())}
    chart.canvas.draw()
    (top,) = ax.child_axes
    labels = [label for label in top.get_xticklabels() if label.get_text()]
    texts = [label.get_text() for label in labels]
    assert "2017 Astana" in texts
    assert texts.count("2022 Samarkand") == 1  # 15 and 16 September: one label
    boxes = [label.get_window_extent() for label in labels]
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(boxes))


def test_the_legend_names_every_look_drawn(chart: Figure) -> None:
    (legend,) = chart.legends
    names = [text.get_text() for text in legend.get_texts()]
    assert "acceding: procedure started (still observer)" in names
    assert "acceding: obligations signed (still observer)" in names
    assert "uncertain: date known only to the month or year" in names
    assert "member of the Shanghai Five" in names
    assert names[-1] == "summit (meeting of the heads of state)"
    assert "suspended" not in names  # nobody was: no entry for what is not drawn


def test_chosen_states_range_marks_and_title(mpl: Any) -> None:
    from sco_membership.export.chart import timeline

    figure = timeline(
        sco(),
        states=["Pakistan", "IND", "India"],
        start="2010-01-01",
        end=dt.date(2016, 12, 31),
        marks=[("2015-07-10", "Ufa"), (dt.date(2015, 7, 10), "again"), ("1990-01-01", "out")],
        title="Two observers",
    )
    assert rows(figure) == ["Pakistan (PAK)", "India (IND)"]
    ax = main_axes(figure)
    assert ax.get_xlim() == (day("2010-01-01"), day("2016-12-31"))
    assert [line.get_gid() for line in ax.lines] == ["mark-2015-07-10"]
    assert figure.get_suptitle() == "Two observers"
    # Bars are clipped to the range: India's observer bar starts at the left edge.
    assert segments_of(figure, "IND")[0].get_x() == day("2010-01-01")
    assert all(p.get_x() + p.get_width() <= day("2016-12-31") for p in ax.patches)
    (legend,) = figure.legends
    assert legend.get_texts()[-1].get_text() == "marked day"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"states": []}, "no state to draw"),
        ({"start": "2020-01-01", "end": "2019-01-01"}, "must come after its start"),
    ],
)
def test_what_cannot_be_drawn_raises(mpl: Any, options: dict[str, Any], message: str) -> None:
    from sco_membership.export.chart import timeline

    with pytest.raises(ChartError, match=message):
        timeline(sco(), **options)


def test_an_unknown_state_raises_the_library_error(mpl: Any) -> None:
    from sco_membership.export.chart import timeline

    with pytest.raises(UnknownStateError):
        timeline(sco(), states=["Atlantis"])


def test_an_empty_ledger_has_nothing_to_draw(mpl: Any) -> None:
    from sco_membership.export.chart import timeline

    with pytest.raises(ChartError, match="no state to draw"):
        timeline(Ledger.from_records([]))


def legend_names(figure: Figure) -> list[str]:
    (legend,) = figure.legends
    return [text.get_text() for text in legend.get_texts()]


def test_a_brics_chart_draws_the_brics_statuses(mpl: Any, chart: Figure) -> None:
    from sco_membership.export.chart import timeline

    ledger = brics()
    figure = timeline(ledger)
    assert figure.get_suptitle().startswith("Status in the BRICS, ")
    assert rows(figure)[:4] == ["Brazil (BRA)", "China (CHN)", "India (IND)", "Russia (RUS)"]
    names = legend_names(figure)
    assert {"member", "partner"} <= set(names)
    # Only the BRICS's own vocabulary: no SCO status or stage is named.
    sco_words = ("observer", "dialogue partner", "acceding", "obligations", "procedure")
    assert not [name for name in names if any(word in name for word in sco_words)]
    # A status the SCO has too keeps its SCO colour.
    brazil = segments_of(figure, "BRA")[-1]
    assert brazil.get_facecolor() == segments_of(chart, "CHN")[-1].get_facecolor()
    member_entry = names.index("member")
    partner_entry = names.index("partner")
    assert partner_entry < member_entry  # the rule set's rank order, lowest first


def test_a_rule_set_of_ones_own_gets_okabe_ito_colours_and_hatches_of_its_own(mpl: Any) -> None:
    from matplotlib.colors import to_hex

    from sco_membership.export.chart import timeline

    figure = timeline(TOY_LEDGER, states=["ITA"])
    invited, associate, screening, negotiating, member = segments_of(figure, "ITA")
    assert legend_names(figure) == [
        "associate: invited",
        "associate",
        "applicant: screening (still associate)",
        "applicant: negotiating (still associate)",
        "member",
    ]
    fills = {to_hex(bar.get_facecolor()).upper() for bar in (associate, member)}
    assert len(fills) == 2
    assert fills <= OKABE_ITO
    # A stage is hatched in the colour of the status it leads to, over the status held.
    assert to_hex(invited.get_facecolor()) == "#ffffff"
    assert invited.get_edgecolor() == associate.get_facecolor()
    for stage in (screening, negotiating):
        assert stage.get_facecolor() == associate.get_facecolor()
        assert to_hex(stage.get_edgecolor()).upper() in OKABE_ITO - fills
    hatches = [bar.get_hatch() for bar in (invited, screening, negotiating)]
    assert all(hatches)
    assert len(set(hatches)) == 3
    assert member.get_hatch() is None


def test_any_number_of_statuses_and_stages_get_distinct_looks() -> None:
    from sco_membership.export.chart import Palette

    none = Standing(Status.NONE)
    levels = [Standing(Status.declare(f"level_{k}")) for k in range(12)]
    steps = [Standing(Status.NONE, Stage.declare(f"step_{k}")) for k in range(12)]
    rows = [
        Transition(EventKind.declare(f"up_{k}"), low, high)
        for k, (low, high) in enumerate(itertools.pairwise([none, *levels]))
    ]
    rows += [Transition(EventKind.declare(f"to_{k}"), none, step) for k, step in enumerate(steps)]
    back = EventKind.declare("back")
    rows += [Transition(back, standing, none) for standing in [*levels, *steps]]
    rules = RuleSet(name="Many", organisation="Many", transitions=rows)
    palette = Palette.of(rules)
    colours = [palette.colours[status] for status in rules.statuses]
    assert len(set(colours)) == len(colours) == 13
    assert colours[0] == "#FFFFFF"
    assert set(colours[1:7]) <= OKABE_ITO
    hatches = [palette.hatches[stage] for stage in rules.stages]
    assert len(set(hatches)) == len(hatches) == 12
    assert palette.ladder == rules.statuses
    assert not palette.labels
    assert Palette.of(SCO_RULES).ladder[:3] == (
        Status.NONE,
        Status.DIALOGUE_PARTNER,
        Status.OBSERVER,
    )
    assert set(Palette.of(SCO_RULES).labels.values()) == {
        "dialogue partner: decided, memorandum not yet signed"
    }


def test_png_file(mpl: Any, tmp_path: Path) -> None:
    from matplotlib.image import imread

    path = save(sco(), tmp_path / "sco.png", dpi=100)
    assert path == tmp_path / "sco.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = imread(path).shape
    assert width == 1100  # 11 inches at 100 dpi
    assert height == round((2.6 + 0.27 * 27) * 100)
    assert list(tmp_path.iterdir()) == [path]


def test_svg_file_parses_and_names_every_state(mpl: Any, tmp_path: Path) -> None:
    path = save(sco(), str(tmp_path / "sco.SVG"))
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ids = {element.get("id") for element in root.iter()}
    assert {"IND-27-2015-07-10", "IND-28-2016-06-24", "mark-2017-06-09"} <= ids
    text = path.read_text(encoding="utf-8")
    for code in held():
        assert f"({code})" in text
    assert "(SYR)" not in text
    assert "Türkiye (TUR)" in text
    assert path.stat().st_size < 1_000_000


def small(path: str | Path) -> Path:
    return save(sco(), path, dpi=20, states=["IND"], start="2015-01-01", end="2018-12-31")


def test_a_file_is_replaced_all_at_once_and_no_temporary_file_is_left(
    mpl: Any, tmp_path: Path
) -> None:
    target = tmp_path / "sco.png"
    target.write_bytes(b"old")
    target.chmod(0o640)
    small(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the file's permissions are kept
    assert list(tmp_path.iterdir()) == [target]


def test_a_symbolic_link_keeps_pointing_to_the_new_chart(mpl: Any, tmp_path: Path) -> None:
    target, link = tmp_path / "real.svg", tmp_path / "link.svg"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target)
    assert small(link) == link
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.svg", "real.svg"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_written_to_never_replaced(mpl: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "chart.png"
    os.mkfifo(fifo)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        read = pool.submit(fifo.read_bytes)
        small(fifo)
        assert read.result(timeout=30)[:8] == b"\x89PNG\r\n\x1a\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]


def test_file_errors_name_the_path_as_given(mpl: Any, tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "sco.png"
    with pytest.raises(FileError) as caught:
        small(missing)
    assert str(caught.value) == f"{missing}: No such file or directory"
    assert caught.value.path == str(missing)
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(FileError, match=r"folder\.png: is a directory"):
        small(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.png"]


def test_the_docs_image_is_there() -> None:
    image = Path(__file__).parents[2] / "docs" / "img" / "sco-timeline.png"
    if not image.parent.exists():
        pytest.skip("docs are not installed with the package")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES.exists(), reason="examples are not installed with the package")
def test_the_example_writes_where_it_is_told(mpl: Any, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "timeline_chart.py"), str(tmp_path / "out.svg")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"wrote {tmp_path / 'out.svg'}" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out-enlargement.svg", "out.svg"]


@pytest.mark.slow
@settings(max_examples=25)
@given(
    log=st.sampled_from([SCO_RULES, BRICS_RULES, TOY]).flatmap(
        lambda rules: ledger_logs(rules, max_states=4, max_dates=6)
    ),
    data=st.data(),
)
def test_bars_are_the_answers_of_the_ledger(mpl: Any, log: LedgerLog, data: st.DataObject) -> None:
    """Property, for several rule sets: a bar starts wherever the answer changes to something
    drawn, and covers exactly the days the state held a status, had a process under way or was
    uncertain."""
    from sco_membership.export.chart import timeline

    ledger = Ledger.from_records(log.records, rules=log.rules)
    nothing = ledger.rules.initial.status

    def active(code: str, on: int) -> bool:
        answer = ledger.history(code).at_ordinal(on)
        return not answer.certain or answer.status is not nothing or answer.stage is not None

    drawn = [
        code
        for code in ledger.states
        if any(active(code, first) for first, _, _ in ledger.history(code).spans() if first > 0)
    ]
    if not drawn:
        with pytest.raises(ChartError):
            timeline(ledger)
        return
    figure = timeline(ledger)
    low, high = (int(x) for x in main_axes(figure).get_xlim())
    first = {
        code: min(f for f, _, _ in ledger.history(code).spans() if f > 0 and active(code, f))
        for code in drawn
    }
    expected_rows = sorted(drawn, key=lambda code: (first[code], country(code).name))
    assert rows(figure) == [f"{country(code).name} ({code})" for code in expected_rows]
    for code in drawn:
        bars = segments_of(figure, code)
        covered = sum(int(bar.get_width()) for bar in bars)
        expected = sum(1 for on in range(low, high) if active(code, on))
        assert covered == expected
        for bar in bars:
            start = int(bar.get_x())
            assert active(code, start)
            assert bar.get_gid().endswith(dt.date.fromordinal(start).isoformat())
        probe = data.draw(st.integers(low, high - 1), label="probe")
        assert any(b.get_x() <= probe < b.get_x() + b.get_width() for b in bars) == active(
            code, probe
        )


@pytest.mark.slow
def test_charts_drawn_in_threads_are_the_same_as_one_drawn_alone(mpl: Any, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ledger = sco()
    alone = save(ledger, tmp_path / "alone.png", dpi=60).read_bytes()
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(lambda n: save(ledger, tmp_path / f"{n}.png", dpi=60), range(4)))
    assert all(path.read_bytes() == alone for path in paths)
