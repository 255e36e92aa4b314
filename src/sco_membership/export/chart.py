"""The timeline chart: one bar per state, coloured by its status over time (extra ``plot``).

matplotlib is imported on first use (``pip install "sco-membership[plot]"``). Figures are built
with the object-oriented API on an Agg canvas, never through pyplot's global state, so drawing
works headless and from several threads at once.

What the chart shows, and why it is drawn so:

- rows run from the state that first held any status to the latest (founders on top), ties by
  name, so enlargement reads as a staircase; ``states=`` draws the given states in that order;
- colours are the Okabe-Ito palette (safe for colour-blind readers); a status held in a
  predecessor organisation (the Shanghai Five) is a lighter shade of the same colour;
- a process under way is hatched: accession stages over the colour of the status the state
  keeps meanwhile (India stayed an observer), a dialogue-partner decision whose memorandum is
  not signed yet over white; each stage has its own hatch and legend entry;
- any rule set can be drawn (the ledger's): a status or stage the SCO also has keeps the SCO's
  colour or hatch; the others get the Okabe-Ito colours left, in the order of the rule set's
  ``statuses``, and hatches of their own, in the order of its ``stages``. A stage is hatched in
  the colour of the status it leads to (the lowest status above the current one that one
  event reaches from it) over the colour of the status held meanwhile;
- an interval inside an imprecise date's window ("June 2017", "2010") is grey and dotted: the
  record cannot say which status held then; a small grey triangle over the bar keeps windows of a
  month visible at the scale of decades;
- dotted vertical lines mark the summits: see :func:`summits`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._extras import require
from ..answer import Answer
from ..dates import DateLike, Precision, to_date
from ..exceptions import ChartError, OptionError
from ..io.files import write_bytes
from ..ledger import Ledger
from ..model import Stage, Standing, Status
from ..profiles import Profile, default_profile, profile_of
from ..rules import RuleSet
from ..states import country

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["save", "summits", "timeline"]


# White: a state with no status is not drawn, and its stages are hatched over white.
_NOTHING = "#FFFFFF"
# Okabe & Ito (2008), "Color Universal Design": distinguishable under every common colour
# vision deficiency. For the statuses an organisation's profile gives no colour, in order.
_OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
# Hatches for stages: the profiles' first (the SCO's three), then the rest.
_HATCHES = ("////", "//", "xxx")
_MORE_HATCHES = ("\\\\", "++", "--", "||", "oo", "**", "\\", "+", "O")
UNCERTAIN = ("#D9D9D9", "#6E6E6E", "....")  # fill, hatch, pattern


@attrs.frozen
class Look:
    """How one kind of interval is drawn, and its legend entry."""

    rank: int
    label: str
    fill: str
    hatch: str | None = None
    ink: str | None = None  # the hatch's colour


def lighter(colour: str, amount: float = 0.55) -> str:
    """``colour`` (``#RRGGBB``) mixed with white by ``amount``: the same hue, paler."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * amount) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _spare(used: Iterable[str], first: Sequence[str], then: Sequence[str]) -> Iterator[str]:
    """The entries of ``first``, then of ``then``, that are not ``used`` yet, each once; past
    them all (dozens of statuses), ``then`` over again."""
    taken = set(used)
    for entry in itertools.chain(first, then):
        if entry not in taken:
            taken.add(entry)
            yield entry
    yield from itertools.cycle(then)


# Past the palette: lighter shades of it, then hatches laid over each other.
_MORE_COLOURS = tuple(lighter(c, 1 - 0.6**k) for k in range(1, 6) for c in _OKABE_ITO)
_ALL_HATCHES = (*_HATCHES, *_MORE_HATCHES)
_MIXED_HATCHES = tuple(a + b for a, b in itertools.combinations(_ALL_HATCHES, 2))


def _profile(rules: RuleSet) -> Profile | None:
    """The profile ``rules`` is drawn with: its own, or the default organisation's for a rule
    set with the same vocabulary (another table over the SCO's terms)."""
    found = profile_of(rules)
    if found is not None:
        return found
    default = default_profile()
    if default is not None and (
        set(rules.statuses) == set(default.rules.statuses)
        and set(rules.stages) == set(default.rules.stages)
    ):
        return default
    return None


@attrs.frozen
class Palette:
    """How one rule set's statuses and stages are drawn: colours, hatches, legend order."""

    organisation: str
    nothing: Status  # the status of a state with no standing: never drawn
    colours: Mapping[Status, str]
    hatches: Mapping[Stage, str]
    ladder: tuple[Status, ...]
    headings: Mapping[Standing, Status]  # the status each stage leads to
    labels: Mapping[Standing, str]  # the profile's wording of a stage's legend entry

    @classmethod
    def of(cls, rules: RuleSet) -> Palette:
        """The look of ``rules``: its organisation's profile (see :mod:`sco_membership.profiles`)
        where it gives one, the default organisation's colours for terms the two share, then
        the Okabe-Ito colours and hatches left."""
        profile = _profile(rules)
        shared = profile or default_profile()
        known_colours = {} if shared is None else shared.colours
        known_hatches = {} if shared is None else shared.hatches
        nothing = rules.initial.status
        colours = {nothing: _NOTHING}
        colours |= {
            s: known_colours[s] for s in rules.statuses if s in known_colours and s not in colours
        }
        fresh = _spare(colours.values(), _OKABE_ITO, _MORE_COLOURS)
        colours |= {s: next(fresh) for s in rules.statuses if s not in colours}
        hatches = {stage: known_hatches[stage] for stage in rules.stages if stage in known_hatches}
        fresh = _spare(hatches.values(), _MORE_HATCHES, (*_HATCHES, *_MIXED_HATCHES))
        hatches = {stage: hatches.get(stage) or next(fresh) for stage in rules.stages}
        rank = {status: k for k, status in enumerate(rules.statuses)}
        headings: dict[Standing, Status] = {}
        for standing in rules.reachable():
            if standing.stage is None:
                continue
            status = standing.status
            above = [
                row.target.status
                for row in rules.transitions
                if row.source == standing
                and row.target is not None
                and rank[row.target.status] > rank[status]
            ]
            # A retaining status is itself what the state seeks (acceding: membership).
            keep = status in rules.retaining or not above
            headings[standing] = status if keep else min(above, key=rank.__getitem__)
        ladder = (profile.legend if profile is not None else ()) or rules.statuses
        labels = {} if profile is None else dict(profile.labels)
        return cls(rules.organisation, nothing, colours, hatches, ladder, headings, labels)

    def look(self, answer: Answer) -> Look | None:
        """The look of an interval, or ``None`` when there is nothing to draw (no status)."""
        if not answer.certain:
            fill, ink, hatch = UNCERTAIN
            return Look(90, "uncertain: date known only to the month or year", fill, hatch, ink)
        status, stage, colours = answer.status, answer.stage, self.colours
        if stage is not None:
            heading = self.headings.get(answer.standing, status)
            kept = answer.retained or (status if heading is not status else self.nothing)
            label = stage.label if heading is self.nothing else f"{heading.label}: {stage.label}"
            label = self.labels.get(answer.standing, label)
            if kept is not self.nothing:
                label += f" (still {kept.label})"
            rank = 10 * self.ladder.index(heading) - 4 + list(self.hatches).index(stage)
            return Look(rank, label, colours[kept], self.hatches[stage], colours[heading])
        if status is self.nothing:
            return None
        if answer.organisation is not None and answer.organisation != self.organisation:
            label = f"{status.label} of the {answer.organisation}"
            return Look(10 * self.ladder.index(status) - 5, label, lighter(colours[status]))
        return Look(10 * self.ladder.index(status), status.label, colours[status])


#: The image formats :func:`save` writes, by file suffix.
_IMAGE_SUFFIXES = {".png": "png", ".svg": "svg"}

_MARK = "#404040"
_CITY = re.compile(r"^(.*?)\s+(?:meeting|summit)\b", re.IGNORECASE)
_ROW_INCHES = 0.27
_BAR = 0.72  # bar height, in rows


def _plain(text: str) -> str:
    """Text drawn as written: a ``$`` in a name must not start matplotlib's maths mode."""
    return text.replace("$", r"\$")


def _active(answer: Answer, nothing: Status) -> bool:
    return not answer.certain or answer.status is not nothing or answer.stage is not None


def _rows(ledger: Ledger, states: Iterable[str] | None) -> list[str]:
    """The codes to draw, top to bottom."""
    nothing = ledger.rules.initial.status
    if states is not None:
        codes = list(dict.fromkeys(ledger.code(state) for state in states))
        if not codes:
            raise ChartError("no state to draw: 'states' is empty")
        return codes
    firsts = {
        code: min(
            (
                first
                for first, _, answer in ledger.history(code).spans()
                if _active(answer, nothing)
            ),
            default=None,
        )
        for code in ledger.states
    }
    drawn = [code for code, first in firsts.items() if first is not None]
    if not drawn:
        raise ChartError("no state to draw: no state in the ledger ever held a status")
    return sorted(drawn, key=lambda code: (firsts[code], country(code).name))


def _city(place: str) -> str:
    found = _CITY.match(place)
    city = found.group(1) if found else place
    return re.sub(r"\s*\(.*?\)", "", city).strip()


def summits(ledger: Ledger) -> tuple[tuple[dt.date, str], ...]:
    """The summit days of the record, each with a label such as ``"2017 Astana"``.

    A summit day is the day of any event whose place matches the ``summit`` pattern of the
    organisation's profile (for the SCO, a meeting of the heads of state: the Shanghai Five's
    meetings, then the Council of Heads of State); a rule set without one has no summits. Only
    events dated to the day count, since a line needs a day and none is ever invented. The
    label is the year and the place's first words (the city).

    >>> from sco_membership import sco
    >>> summits(sco())[:3]  # doctest: +NORMALIZE_WHITESPACE
    ((datetime.date(1996, 4, 26), '1996 Shanghai'), (datetime.date(2001, 6, 15), '2001 Shanghai'),
     (datetime.date(2005, 7, 5), '2005 Astana'))
    """
    profile = _profile(ledger.rules) or default_profile()
    if profile is None or profile.summit is None:
        return ()
    summit = re.compile(profile.summit)
    found: dict[dt.date, str] = {}
    for event in sorted(ledger.events, key=lambda e: (e.date.first, e.place or "")):
        if event.date.precision is Precision.DAY and event.place and summit.search(event.place):
            day = dt.date.fromordinal(event.date.first)
            found.setdefault(day, f"{day.year} {_city(event.place)}")
    return tuple(found.items())


def _year_ticks(ax: Axes, low: int, high: int) -> None:
    first, last = dt.date.fromordinal(low).year, dt.date.fromordinal(high).year
    years = range(first if low == dt.date(first, 1, 1).toordinal() else first + 1, last + 1)
    step = next((s for s in (1, 2, 5, 10, 20, 50) if len(years) / s <= 16), 100)
    major = [y for y in years if y % step == 0]
    ax.set_xticks([dt.date(y, 1, 1).toordinal() for y in major], labels=[str(y) for y in major])
    ax.set_xticks([dt.date(y, 1, 1).toordinal() for y in years], minor=True)


def _draw_marks(
    ax: Axes, marks: Sequence[tuple[dt.date, str]], low: int, high: int, width: float
) -> int:
    """Vertical lines at the marks, labelled above the bars; overlapping labels are left out.

    Returns the number of lines drawn.
    """
    shown = [(day.toordinal(), label) for day, label in marks if low <= day.toordinal() <= high]
    # The room a rotated label needs, in days: its line height at this figure's scale.
    room = (high - low) * (7.5 * 1.35 / 72) / max(width, 1.0)
    ticks: list[tuple[int, str]] = []
    for x, label in shown:
        line = ax.axvline(x, color=_MARK, linewidth=0.6, linestyle=(0, (1.5, 2.0)), zorder=3)
        line.set_gid(f"mark-{dt.date.fromordinal(x).isoformat()}")
        if not ticks or x - ticks[-1][0] >= room:
            ticks.append((x, label))
    top = ax.secondary_xaxis("top")
    top.set_xticks([x for x, _ in ticks], labels=[_plain(label) for _, label in ticks])
    top.tick_params(axis="x", labelrotation=90, labelsize=7.5, length=3, colors=_MARK)
    top.spines["top"].set_visible(False)
    return len(shown)


def timeline(
    ledger: Ledger,
    *,
    states: Iterable[str] | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    marks: Iterable[tuple[DateLike, str]] | None = None,
    title: str | None = None,
) -> Figure:
    """The chart as a matplotlib ``Figure``: one bar per state, coloured by status over time.

    ``states`` (codes or names) are drawn in the order given; by default every state that ever
    held a status, ordered by the day it first did. The time axis runs from ``start`` (default:
    1 January of the first event's year) to ``end`` (default: 31 December of the last event's
    year, so the same log always gives the same chart). ``marks`` are ``(day, label)`` pairs
    drawn as vertical lines; by default the :func:`summits`. Raises :class:`ChartError` for an
    empty selection or an empty time range, ``MissingExtraError`` without matplotlib.

    >>> from sco_membership import sco
    >>> figure = timeline(sco(), states=["CHN", "India"], start="2005-01-01")
    >>> [label.get_text() for label in figure.axes[0].get_yticklabels()]
    ['China (CHN)', 'India (IND)']
    """
    require("matplotlib", "plot", "drawing a chart")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    codes = _rows(ledger, states)
    events = ledger.events
    low = to_date(start).toordinal() if start is not None else _year_edge(events, first=True)
    high = to_date(end).toordinal() if end is not None else _year_edge(events, first=False)
    if high <= low:
        raise ChartError(
            f"the chart's end ({dt.date.fromordinal(high)}) must come after its start"
            f" ({dt.date.fromordinal(low)})"
        )
    if marks is None:
        marked = summits(ledger)
    else:  # one line a day: the first label given for it
        given: dict[dt.date, str] = {}
        for day, label in marks:
            given.setdefault(to_date(day), label)
        marked = tuple(sorted(given.items()))

    width = 11.0
    figure = Figure(figsize=(width, 2.6 + _ROW_INCHES * len(codes)), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    looks: dict[str, Look] = {}
    palette = Palette.of(ledger.rules)
    for row, code in enumerate(codes):
        for first, stop, answer in ledger.history(code).spans():
            look = palette.look(answer)
            left, right = max(first, low), high if stop is None else min(stop, high)
            if look is None or right <= left:
                continue
            looks[look.label] = look
            patch = Rectangle(
                (left, row - _BAR / 2),
                right - left,
                _BAR,
                facecolor=look.fill,
                edgecolor=look.ink or look.fill,
                hatch=look.hatch,
                linewidth=0,
                zorder=2,
            )
            patch.set_gid(f"{code}-{look.rank}-{dt.date.fromordinal(left).isoformat()}")
            ax.add_patch(patch)
            if not answer.certain:  # a month is a hairline at this scale: flag it
                (flag,) = ax.plot(
                    [(left + right) / 2],
                    [row - _BAR / 2 - 0.05],
                    marker="v",
                    markersize=4,
                    color=UNCERTAIN[1],
                    zorder=4,
                )
                flag.set_gid(f"uncertain-{patch.get_gid()}")
    ax.set_xlim(low, high)
    ax.set_ylim(len(codes) - 0.5, -0.5)
    ax.set_yticks(range(len(codes)), labels=[f"{country(code).name} ({code})" for code in codes])
    ax.tick_params(axis="y", length=0, labelsize=9)
    ax.tick_params(axis="x", labelsize=9)
    _year_ticks(ax, low, high)
    ax.grid(axis="x", which="major", color="#E5E5E5", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    lines = _draw_marks(ax, marked, low, high, width - 2.8)

    handles: list[Any] = [
        Patch(
            facecolor=look.fill,
            edgecolor=look.ink or look.fill,
            hatch=look.hatch,
            label=_plain(name),
        )
        for name, look in sorted(looks.items(), key=lambda item: item[1].rank)
    ]
    if lines:
        summit = "summit (meeting of the heads of state)" if marks is None else "marked day"
        handles.append(Line2D([], [], color=_MARK, linewidth=0.8, linestyle=":", label=summit))
    figure.legend(
        handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=8.5
    )
    first_year, last_year = dt.date.fromordinal(low).year, dt.date.fromordinal(high).year
    if title is None:
        title = _plain(f"Status in the {ledger.rules.organisation}, {first_year}\u2013{last_year}")
    figure.suptitle(title, fontsize=13)
    return figure


def _year_edge(events: Sequence[Any], *, first: bool) -> int:
    """1 January of the first event's year, or 31 December of the last one's."""
    if not events:
        raise ChartError("no event to draw: give 'start' and 'end' or a ledger with events")
    if first:
        return dt.date(
            dt.date.fromordinal(min(e.date.first for e in events)).year, 1, 1
        ).toordinal()
    return dt.date(dt.date.fromordinal(max(e.date.last for e in events)).year, 12, 31).toordinal()


def save(
    ledger: Ledger,
    path: str | os.PathLike[str],
    *,
    dpi: float = 150,
    description: str | None = None,
    **options: Any,
) -> Path:
    """Draw :func:`timeline` (``options`` are its keywords) into a ``.png`` or ``.svg`` file.

    ``description`` goes into the file's metadata (which data the chart was drawn from: the
    command line writes the data's version there).

    The format comes from the suffix; any other raises ``OptionError`` before anything is drawn
    or written. The file is written all or nothing, like every file of the library
    (:func:`sco_membership.io.files.write_bytes`): a reader never sees half a chart, a symbolic
    link keeps pointing to the new file, and an error (``FileError``) names ``path``. Returns
    the path written.
    """
    target = Path(path)
    kind = _IMAGE_SUFFIXES.get(target.suffix.lower())
    if kind is None:
        raise OptionError("chart file suffix", target.suffix, tuple(_IMAGE_SUFFIXES))
    figure = timeline(ledger, **options)
    metadata: dict[str, str | None] = {"Date": None} if kind == "svg" else {"Software": None}
    if description is not None:
        metadata["Description"] = description
    drawn = io.BytesIO()
    figure.savefig(drawn, format=kind, dpi=dpi, metadata=metadata)
    write_bytes(path, drawn.getvalue())
    return target
