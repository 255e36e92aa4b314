"""Side-by-side benchmarks of sco-membership on one synthetic data set per size.

Run from the repository root (with the package installed)::

    python benchmarks/bench.py            # 10^5 and 10^6 events
    python benchmarks/bench.py --quick    # 10^4 and 10^5 events, under a minute
    python benchmarks/bench.py --sizes 1000,100000

Every figure is a ratio against a floor or a competitor measured in the same run on the same
events, so the machine's speed cancels out. Nothing here passes or fails on timing: the targets
are printed beside the figures. The script exits non-zero only if the library raises or if a
competitor's answers disagree with ours (a benchmark must not report what it did not compute).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import functools
import gc
import hashlib
import platform
import random
import string
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import sco_membership
from sco_membership.dates import PartialDate
from sco_membership.history import Answer
from sco_membership.ledger import Ledger
from sco_membership.model import Event, EventKind, Standing
from sco_membership.rules import SCO

T = TypeVar("T")

SEED = 20_250_915
QUERIES = 200_000
QUERY_REPEAT = 5  # a query loop takes well under a second: more runs, less noise
#: Targets from the issue; printed beside the figures, never enforced.
QUERY_TARGET = 1.5  # ours / bisect floor, at most
LOAD_TARGET = 10.0  # ours faster than transitions by at least this factor
MEMORY_TARGET = 300  # bytes per event, at most
#: Event days fall in this window (day ordinals); queries reach a little beyond it.
FIRST_DAY = dt.date(1950, 1, 1).toordinal()
LAST_DAY = dt.date(2030, 12, 31).toordinal()
EVENTS_PER_STATE = (5, 15)  # ten on average, so about N/10 states
LETTERS = string.ascii_uppercase + string.ascii_lowercase  # 52**3 codes: enough for 10^6 events

Table = dict[tuple[Standing, EventKind], Standing | None]
Floor = dict[str, tuple[list[int], list[Standing]]]


# --- synthetic data ------------------------------------------------------------------------


def codes(count: int) -> list[str]:
    """``count`` distinct made-up codes of three letters (more if three are not enough)."""
    width = 3
    while len(LETTERS) ** width < count:
        width += 1
    found = []
    for index in range(count):
        code = ""
        for _ in range(width):
            index, digit = divmod(index, len(LETTERS))
            code = LETTERS[digit] + code
        found.append(code)
    return found


def make_events(n: int, seed: int) -> list[Event]:
    """``n`` valid events: each state walks the SCO rule set from NONE, one event a day.

    The list is grouped by state and in time order within each state, so every replayer
    (ours, the floor, transitions, eventsourcing) gets exactly the same sequence.
    """
    rng = random.Random(seed)
    counts: list[int] = []
    while sum(counts) < n:
        counts.append(min(rng.randint(*EVENTS_PER_STATE), n - sum(counts)))
    allowed = {standing: SCO.allowed(standing) for standing in SCO.reachable()}
    events = []
    for code, count in zip(codes(len(counts)), counts, strict=True):
        standing = SCO.initial
        day = rng.randint(FIRST_DAY, LAST_DAY - 400 * count)
        for _ in range(count):
            kind = rng.choice(allowed[standing])
            target = SCO.target(standing, kind)
            if target is not None:
                standing = target
            events.append(Event(code, kind, PartialDate.of(dt.date.fromordinal(day))))
            day += rng.randint(1, 400)
    return events


def table() -> Table:
    """The SCO transition table as a plain dict, for the floors."""
    return {(row.source, row.kind): row.target for row in SCO.transitions}


def name(standing: Standing) -> str:
    """A plain string for a standing, for the string-based competitors."""
    if standing.stage is None:
        return standing.status.name
    return f"{standing.status.name}__{standing.stage.name}"


def prepare_floor(events: Sequence[Event], rules: Table) -> Floor:
    """The floor's data, folded independently of the library: per state, interval starts as
    int day ordinals and a parallel list of the standing over each interval."""
    floor: Floor = {}
    for event in events:
        entry = floor.get(event.state)
        if entry is None:
            entry = floor[event.state] = ([0], [SCO.initial])
        bounds, answers = entry
        target = rules[(answers[-1], event.kind)]
        if target is not None:  # a recorded event that changes nothing starts no interval
            bounds.append(event.date.first)
            answers.append(target)
    return floor


# --- timing --------------------------------------------------------------------------------


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``repeat`` wall-clock timings of ``run()``, and its last result."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        result = None  # free the previous result before the next run, not during it
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


# --- 2. point queries ----------------------------------------------------------------------


def point_queries(
    ledger: Ledger, floor: Floor, repeat: int, seed: int
) -> list[tuple[str, float, float | None]]:
    """ns/query for ours and the floors on one random query set; rows (label, ns, ratio)."""
    rng = random.Random(seed + 1)
    states = list(floor)
    low, high = FIRST_DAY - 365, LAST_DAY + 365
    drawn = [(rng.choice(states), rng.randint(low, high)) for _ in range(QUERIES)]
    by_code_date = [(code, dt.date.fromordinal(day)) for code, day in drawn]
    histories = ledger.histories
    by_history = [(histories[code], day) for code, day in drawn]
    by_lists = [(*floor[code], day) for code, day in drawn]
    bisect_right = bisect.bisect_right
    status = ledger.status

    def empty_loop() -> list[int]:
        return [day for _, day in drawn]

    def bare_floor() -> list[Standing]:
        return [answers[bisect_right(bounds, day) - 1] for bounds, answers, day in by_lists]

    def floor_by_code() -> list[Standing]:
        # The same inputs as Ledger.status (a code and a datetime.date), so the same work.
        return [
            (lists := floor[code])[1][bisect_right(lists[0], on.toordinal()) - 1]
            for code, on in by_code_date
        ]

    def at_ordinal() -> list[Answer]:
        return [history.at_ordinal(day) for history, day in by_history]

    def ledger_status() -> list[Answer]:
        return [status(code, on) for code, on in by_code_date]

    runs: dict[str, Callable[[], list[Any]]] = {
        "empty": empty_loop,
        "floor": bare_floor,
        "floor_code": floor_by_code,
        "at_ordinal": at_ordinal,
        "status": ledger_status,
    }
    # Round robin, so a slow spell of the machine hits every contender alike.
    timed: dict[str, tuple[float, list[Any]]] = {label: (float("inf"), []) for label in runs}
    for _ in range(repeat):
        for label, run in runs.items():
            seconds, answers = best_of(1, run)
            timed[label] = (min(seconds, timed[label][0]), answers)
    expected: list[Standing] = timed["floor"][1]
    check("floor by code", expected, timed["floor_code"][1], lambda a, b: a is b)
    check("History.at_ordinal", expected, timed["at_ordinal"][1], same_standing)
    check("Ledger.status", expected, timed["status"][1], same_standing)

    def ns(label: str) -> float:
        return timed[label][0] / QUERIES * 1e9

    return [
        ("loop overhead alone (no lookup; inside every figure)", ns("empty"), None),
        ("floor: bisect_right on per-state int lists, prepared answers", ns("floor"), 1.0),
        ("ours: History.at_ordinal(day)", ns("at_ordinal"), ns("at_ordinal") / ns("floor")),
        ("floor + state lookup: dict[code], date.toordinal(), bisect", ns("floor_code"), 1.0),
        ("ours: Ledger.status(code, date)", ns("status"), ns("status") / ns("floor_code")),
        ("  (Ledger.status against the bare floor)", ns("status"), ns("status") / ns("floor")),
    ]


def same_standing(floor: Standing, ours: Answer) -> bool:
    return ours.status is floor.status and ours.stage is floor.stage and ours.certain


def check(
    label: str, expected: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], bool]
) -> None:
    """Stop the run if a measured loop's answers disagree with the floor's."""
    if len(expected) != len(found):
        raise SystemExit(f"{label}: {len(found)} answers, expected {len(expected)}")
    for index, (want, got) in enumerate(zip(expected, found, strict=True)):
        if not same(want, got):
            raise SystemExit(f"{label}: query {index} answered {got!r}, the floor {want!r}")


# --- 3. load and validate ------------------------------------------------------------------


def floor_replay(events: Sequence[Event], rules: Table) -> dict[str, Standing]:
    """The floor: one dict lookup per event (KeyError on an illegal one), reset per state."""
    finals: dict[str, Standing] = {}
    state = None
    standing = SCO.initial
    for event in events:
        if event.state != state:
            state = event.state
            standing = SCO.initial
        target = rules[(standing, event.kind)]
        if target is not None:
            standing = target
        finals[state] = standing
    return finals


def transitions_replayer() -> tuple[str, Callable[[Sequence[Event]], dict[str, str]]] | None:
    """A replay through ``transitions.Machine`` (one model reset per state), or None."""
    try:
        import transitions
    except ImportError:
        return None
    rows = [
        {
            "trigger": row.kind.value,
            "source": name(row.source),
            "dest": None if row.target is None else name(row.target),  # None: internal
        }
        for row in SCO.transitions
    ]
    states = sorted(name(standing) for standing in SCO.reachable())
    initial = name(SCO.initial)

    class Model:
        state: str
        trigger: Callable[[str], bool]  # added by the machine

    def replay(events: Sequence[Event]) -> dict[str, str]:
        model = Model()
        machine = transitions.Machine(
            model=model,
            states=states,
            transitions=rows,
            initial=initial,
            auto_transitions=False,
        )
        finals: dict[str, str] = {}
        state = None
        for event in events:
            if event.state != state:
                if state is not None:
                    finals[state] = model.state
                state = event.state
                machine.set_state(initial, model)
            model.trigger(event.kind.value)  # raises MachineError on an illegal event
        if state is not None:
            finals[state] = model.state
        return finals

    return f"transitions {transitions.__version__}", replay


def transitions_model_cost(models: int = 1_000) -> float | None:
    """Seconds per ``Machine.add_model`` at ``models`` models (it grows with the count)."""
    try:
        import transitions
    except ImportError:
        return None
    rows = [
        {"trigger": r.kind.value, "source": name(r.source), "dest": name(r.target)}
        for r in SCO.transitions
        if r.target is not None
    ]
    states = sorted(name(standing) for standing in SCO.reachable())
    machine = transitions.Machine(
        model=None,
        states=states,
        transitions=rows,
        initial=name(SCO.initial),
        auto_transitions=False,
    )
    many = [type("Model", (), {})() for _ in range(models)]
    start = time.perf_counter()
    machine.add_model(many)
    return (time.perf_counter() - start) / models


@functools.cache  # eventsourcing registers each aggregate class by name: define it once
def eventsourcing_replayer() -> tuple[str, Callable[[Sequence[Event]], dict[str, str]]] | None:
    """A replay through ``eventsourcing`` aggregates (one per state, no persistence), or None."""
    try:
        from eventsourcing.domain import Aggregate, event
    except ImportError:
        return None
    strings = {
        (name(row.source), row.kind.value): None if row.target is None else name(row.target)
        for row in SCO.transitions
    }
    initial = name(SCO.initial)

    class Membership(Aggregate):
        @event("Started")
        def __init__(self, state: str) -> None:
            self.state = state
            self.standing = initial

        def happen(self, kind: str) -> None:
            """Command: validate against the table, then record the change as an event."""
            target = strings[(self.standing, kind)]  # KeyError on an illegal event
            self._changed(kind, self.standing if target is None else target)

        @event("Changed")
        def _changed(self, kind: str, standing: str) -> None:
            self.standing = standing

    def replay(events: Sequence[Event]) -> dict[str, str]:
        aggregates: dict[str, Membership] = {}
        aggregate = None
        for item in events:
            if aggregate is None or aggregate.state != item.state:
                aggregate = aggregates[item.state] = Membership(item.state)
            aggregate.happen(item.kind.value)
        return {state: aggregate.standing for state, aggregate in aggregates.items()}

    return f"eventsourcing {metadata.version('eventsourcing')}", replay


def load_and_validate(
    events: list[Event], ledger: Ledger, rules: Table, repeat: int, skip_eventsourcing: bool
) -> tuple[list[tuple[str, float | None, str]], float | None]:
    """Events/s for each loader; rows (label, seconds or None, note); ours/transitions speed."""
    expected = {
        state: name(history.current.standing) for state, history in ledger.histories.items()
    }
    rows: list[tuple[str, float | None, str]] = []
    gc.collect()
    seconds, finals = best_of(repeat, lambda: floor_replay(events, rules))
    if {state: name(s) for state, s in finals.items()} != expected:
        raise SystemExit("the floor's final standings disagree with the ledger's")
    rows.append(("floor: dict lookup (standing, kind) per event", seconds, ""))
    gc.collect()
    ours, built = best_of(repeat, lambda: Ledger.from_events(events))
    if built != ledger:
        raise SystemExit("Ledger.from_events built a different ledger on a repeat")
    del built
    rows.append(("ours: Ledger.from_events (validate, fold, intervals)", ours, ""))

    def collector_off() -> Ledger:
        gc.disable()
        try:
            return Ledger.from_events(events)
        finally:
            gc.enable()

    gc.collect()
    seconds, built = best_of(repeat, collector_off)
    del built
    note = "the gap to the row above is GC work the load leaves behind, done as it returns"
    rows.append(("  ours, cyclic GC off around the call (for information)", seconds, note))
    speedup = None
    competitor = transitions_replayer()
    if competitor is None:
        rows.append(("transitions: not installed, skipped", None, ""))
    else:
        label, replay = competitor
        gc.collect()
        seconds, strings = best_of(repeat, lambda: replay(events))
        if strings != expected:
            raise SystemExit("transitions' final states disagree with the ledger's")
        speedup = seconds / ours
        per_model = transitions_model_cost()
        note = "one model, reset by set_state per state"
        if per_model is not None:
            note += (
                f"; a model per state would add {per_model * 1e6:,.0f} us/state at 1,000"
                f" models (~{per_model * len(expected):,.0f} s here, more: add_model is O(models))"
            )
        rows.append((f"{label}: Machine, trigger per event", seconds, note))
    competitor = None if skip_eventsourcing else eventsourcing_replayer()
    if competitor is None:
        why = "skipped (--no-eventsourcing)" if skip_eventsourcing else "not installed, skipped"
        rows.append((f"eventsourcing: {why}", None, ""))
    else:
        label, replay = competitor
        gc.collect()
        seconds, strings = best_of(repeat, lambda: replay(events))
        if strings != expected:
            raise SystemExit("eventsourcing's final states disagree with the ledger's")
        rows.append((f"{label}: Aggregate per state", seconds, "domain model only, no storage"))
    return rows, speedup


# --- 4. memory -----------------------------------------------------------------------------


def build_measured(n: int, seed: int) -> tuple[list[Event], Ledger, dict[str, float]]:
    """Build the events and the ledger under tracemalloc; bytes per event of each part."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        events = make_events(n, seed)
        gc.collect()
        after_events = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        ledger = Ledger.from_events(events)
        gc.collect()
        after_ledger, peak = tracemalloc.get_traced_memory()
        for _ in ledger.histories.values():  # builds every history the load left for later
            pass
        gc.collect()
        built = tracemalloc.get_traced_memory()[0]
        for history in ledger.histories.values():
            history.intervals  # noqa: B018  (makes any answer the ledger prepares lazily)
        gc.collect()
        answered = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    figures = {
        "events": (after_events - base) / n,
        "ledger": (after_ledger - after_events) / n,
        "total": (after_ledger - base) / n,
        "peak": (peak - after_events) / n,
        "built": (built - after_events) / n,
        "built_total": (built - base) / n,
        "answered": (answered - after_events) / n,
        "answered_total": (answered - base) / n,
    }
    return events, ledger, figures


# --- 5. start-up ---------------------------------------------------------------------------


STARTUP = [
    ("python -c pass", "pass"),
    ("import sco_membership", "import sco_membership"),
    ("import + sco() (embedded data loaded)", "import sco_membership; sco_membership.sco()"),
]


def startup(repeat: int = 5) -> list[tuple[str, float]]:
    """Best-of wall time, in ms, of a fresh interpreter running each snippet."""
    found = []
    for label, code in STARTUP:
        command = [sys.executable, "-c", code]
        subprocess.run(command, check=True)  # warm the file cache and the bytecode cache
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            best = min(best, time.perf_counter() - start)
        found.append((label, best * 1e3))
    return found


def fingerprint() -> str:
    """A short digest of the library's source, so a report names the code it measured."""
    digest = hashlib.sha256()
    for path in sorted(Path(sco_membership.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


# --- report --------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_size(
    n: int, repeat: int, skip_eventsourcing: bool, summary: dict[str, dict[int, str]]
) -> None:
    started = time.perf_counter()
    events, ledger, memory = build_measured(n, SEED + n)
    rules = table()
    floor = prepare_floor(events, rules)
    intervals = sum(len(bounds) for bounds, _ in floor.values())
    width = len(next(iter(floor)))
    print(
        f"\n== N = {n:,} events, {len(floor):,} states ({width}-letter codes),"
        f" {intervals:,} intervals =="
    )

    print(f"\n2. point query ({QUERIES:,} random (state, day) queries, best of {QUERY_REPEAT})")
    print(f"   {'':62} {'ns/query':>9} {'ratio':>7}  target")
    rows = point_queries(ledger, floor, QUERY_REPEAT, SEED + n)
    for label, value, ratio in rows:
        shown = "" if ratio is None else f"{ratio:6.2f}x"
        target = ""
        if label.startswith("ours") and ratio is not None:
            target = f"<= {QUERY_TARGET}x  {verdict(ratio <= QUERY_TARGET)}"
        print(f"   {label:62} {value:9.1f} {shown:>7}  {target}")
    summary["point query: History.at_ordinal / bare floor"][n] = f"{rows[2][2]:.2f}x"
    summary["point query: Ledger.status / floor + lookup"][n] = f"{rows[4][2]:.2f}x"
    summary["point query: Ledger.status / bare floor"][n] = f"{rows[5][2]:.2f}x"

    print(f"\n3. load and validate ({n:,} events, best of {repeat})")
    print(f"   {'':62} {'events/s':>12} {'seconds':>8} {'x ours':>7}")
    loads, speedup = load_and_validate(events, ledger, rules, repeat, skip_eventsourcing)
    ours = loads[1][1]
    assert ours is not None
    for label, seconds, note in loads:
        if seconds is None:
            print(f"   {label}")
            continue
        print(f"   {label:62} {n / seconds:12,.0f} {seconds:8.3f} {seconds / ours:6.2f}x")
        if note:
            print(f"   {'':4}({note})")
    floor_seconds = loads[0][1]
    assert floor_seconds is not None
    print(f"   ours / floor (time): {ours / floor_seconds:.1f}x")
    summary["load: ours / floor (time)"][n] = f"{ours / floor_seconds:.1f}x"
    if speedup is not None:
        print(
            f"   ours faster than transitions: {speedup:.1f}x"
            f"   target >= {LOAD_TARGET:.0f}x  {verdict(speedup >= LOAD_TARGET)}"
        )
        summary["load: ours faster than transitions"][n] = f"{speedup:.1f}x"
    for label, seconds, _ in loads:
        if seconds is not None and label.startswith("eventsourcing"):
            summary["load: ours faster than eventsourcing"][n] = f"{seconds / ours:.1f}x"

    print("\n4. memory (tracemalloc, bytes allocated and still held, per event)")
    print(f"   {'':62} {'bytes/event':>12}  target")
    lines = [
        ("events (list, Event and PartialDate objects)", memory["events"], ""),
        (
            "ledger's share as loaded (validated; histories made on first use)",
            memory["ledger"],
            "ledger",
        ),
        ("events + ledger", memory["total"], "total"),
        ("  peak while building the ledger, above the events", memory["peak"], ""),
        ("ledger's share once every history is built", memory["built"], "ledger"),
        ("events + ledger, every history built", memory["built_total"], "total"),
        ("ledger's share once every interval's answer is made", memory["answered"], "ledger"),
        ("events + ledger, every answer made", memory["answered_total"], "total"),
    ]
    for label, value, key in lines:
        target = f"<= {MEMORY_TARGET}  {verdict(value <= MEMORY_TARGET)}" if key else ""
        print(f"   {label:62} {value:12.0f}  {target}")
    summary["memory: bytes/event, events + ledger"][n] = f"{memory['total']:.0f}"
    summary["memory: bytes/event, ledger only"][n] = f"{memory['ledger']:.0f}"
    summary["memory: bytes/event, every history built"][n] = f"{memory['built_total']:.0f}"
    summary["memory: bytes/event, all answers made"][n] = f"{memory['answered_total']:.0f}"
    print(f"\n   (this size took {time.perf_counter() - started:.1f} s)")


TARGETS = {
    "point query: History.at_ordinal / bare floor": f"<= {QUERY_TARGET}x",
    "point query: Ledger.status / floor + lookup": f"<= {QUERY_TARGET}x",
    "point query: Ledger.status / bare floor": f"<= {QUERY_TARGET}x",
    "load: ours faster than transitions": f">= {LOAD_TARGET:.0f}x",
    "load: ours faster than eventsourcing": "",
    "load: ours / floor (time)": "",
    "memory: bytes/event, events + ledger": f"<= {MEMORY_TARGET}",
    "memory: bytes/event, ledger only": f"<= {MEMORY_TARGET}",
    "memory: bytes/event, every history built": f"<= {MEMORY_TARGET}",
    "memory: bytes/event, all answers made": f"<= {MEMORY_TARGET}",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10^4 and 10^5")
    parser.add_argument("--sizes", help="comma-separated event counts (default 10^5,10^6)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument(
        "--no-eventsourcing", action="store_true", help="skip the eventsourcing comparison"
    )
    options = parser.parse_args(argv)
    if options.sizes:
        sizes = [int(size.replace("_", "")) for size in options.sizes.split(",")]
    else:
        sizes = [10_000, 100_000] if options.quick else [100_000, 1_000_000]
    started = time.perf_counter()
    print(
        f"sco-membership benchmarks: Python {platform.python_version()}"
        f" ({platform.python_implementation()}, {platform.machine()}), seed {SEED},"
        f" best of {options.repeat}"
    )
    print(f"library: sco_membership {metadata.version('sco-membership')}, source {fingerprint()}")
    print("1. data: per state, a random walk of the SCO rule set from NONE, one event a day")
    summary: dict[str, dict[int, str]] = {key: {} for key in TARGETS}
    for n in sizes:
        report_size(n, options.repeat, options.no_eventsourcing, summary)

    print("\n5. start-up (fresh interpreter, best of 5, wall time)")
    times = startup()
    bare = times[0][1]
    print(f"   {'':62} {'ms':>8} {'added ms':>9}")
    for label, ms in times:
        print(f"   {label:62} {ms:8.1f} {ms - bare:9.1f}")

    print("\nsummary")
    header = "".join(f"{f'N={n:,}':>14}" for n in sizes)
    print(f"   {'figure':52}{header}  target")
    for key, target in TARGETS.items():
        values = "".join(f"{summary[key].get(n, '-'):>14}" for n in sizes)
        print(f"   {key:52}{values}  {target}")
    added = times[2][1] - bare
    print(f"   {'start-up: import + sco(), added ms':52}{added:14.1f}")
    print(f"\ntotal time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
