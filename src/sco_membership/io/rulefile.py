"""Rule-set files: an organisation's vocabulary and transition table as TOML or JSON.

Reading checks the file's shape and names and reports the offending entry
(``transitions[3].from[1]: unknown status 'membr'``); the structure of the table itself
(reachability, traps, conflicts) is checked by :class:`~sco_membership.rules.RuleSet`. The
format is documented in "Model your own organisation" (docs/organisations.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ..exceptions import RuleSetError, TermError
from ..model import EventKind, Source, Stage, Standing, Status, Term, Transition

__all__ = ["KEYS", "read_file", "read_text", "write_text"]

#: The formats a rule-set file may have, by name and by file suffix.
_FORMATS = {"toml": "toml", "json": "json", ".toml": "toml", ".json": "json"}
#: Every key a rule-set file may have, in the order :func:`write_text` writes them.
KEYS = (
    "name",
    "organisation",
    "statuses",
    "stages",
    "kinds",
    "initial",
    "retaining",
    "final",
    "organisation_wide",
    "sources",
    "cow",
    "transitions",
)
_TRANSITION_KEYS = ("kind", "from", "to")
_T = TypeVar("_T", bound=Term)


class _Reader:
    """Reads one rule-set document, naming the entry in every error."""

    def __init__(self, document: object, file: str) -> None:
        self.file = file
        self.name = "?"
        if not isinstance(document, Mapping):
            raise self.fail("a rule set is a table (an object) of keys", None)
        self.document: Mapping[str, Any] = document
        name = document.get("name")
        if isinstance(name, str) and name.strip():
            self.name = name

    def fail(self, problem: str, entry: str | None) -> RuleSetError:
        return RuleSetError(self.name, problem, entry=entry, file=self.file)

    def text(self, key: str) -> str:
        value = self.document.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"needs non-empty text, not {value!r}", key)
        return value

    def items(self, key: str, *, required: bool) -> list[tuple[str, Any]]:
        value = self.document.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(f"needs a{' non-empty' if required else ''} list, not {value!r}", key)
        return [(f"{key}[{k}]", item) for k, item in enumerate(value)]

    def terms(self, key: str, make: Callable[[str], _T], *, required: bool) -> tuple[_T, ...]:
        found: dict[_T, str] = {}
        for entry, value in self.items(key, required=required):
            term = self.term(make, value, entry)
            if term in found:
                raise self.fail(
                    f"{term.value!r} is declared twice (first at {found[term]})", entry
                )
            found[term] = entry
        return tuple(found)

    def term(self, make: Callable[[str], _T], value: object, entry: str) -> _T:
        try:
            return make(value)  # type: ignore[arg-type]  # TermError refuses a non-str
        except TermError as exc:
            raise self.fail(str(exc), entry) from None

    def declared(self, known: Iterable[_T], value: object, entry: str, what: str) -> _T:
        names = {term.value: term for term in known}
        if not isinstance(value, str) or value not in names:
            listed = ", ".join(names) or "none declared"
            raise self.fail(f"unknown {what} {value!r}; declared: {listed}", entry)
        return names[value]

    def standing(self, value: object, entry: str, vocabulary: _Vocabulary) -> Standing:
        if not isinstance(value, str):
            raise self.fail(f"a standing is 'status' or 'status/stage', not {value!r}", entry)
        status, _, stage = value.partition("/")
        return Standing(
            self.declared(vocabulary.statuses, status, entry, "status"),
            self.declared(vocabulary.stages, stage, entry, "stage") if stage else None,
        )

    def sources(self) -> tuple[Source, ...]:
        found = []
        for entry, item in self.items("sources", required=False):
            if not isinstance(item, Mapping) or set(item) - {"title", "url"}:
                raise self.fail(f"a source is {{title, url}}, not {item!r}", entry)
            title, url = item.get("title"), item.get("url")
            if not isinstance(title, str) or not title.strip():
                raise self.fail("a source needs a non-empty title", entry)
            if url is not None and (not isinstance(url, str) or not url.strip()):
                raise self.fail("a source's url must be non-empty text", entry)
            found.append(Source(title, url))
        return tuple(found)

    def cow(self, statuses: tuple[Status, ...]) -> dict[Status, int]:
        value = self.document.get("cow", {})
        if not isinstance(value, Mapping):
            raise self.fail(f"needs a table of status = code, not {value!r}", "cow")
        codes = {}
        for name, code in value.items():
            status = self.declared(statuses, name, f"cow.{name}", "status")
            if isinstance(code, bool) or code not in (0, 1, 2, 3):
                raise self.fail(f"COW codes are 0, 1, 2 or 3, not {code!r}", f"cow.{name}")
            codes[status] = code
        return codes


class _Vocabulary:
    def __init__(self, statuses: tuple[Status, ...], stages: tuple[Stage, ...]) -> None:
        self.statuses = statuses
        self.stages = stages


def _transitions(
    reader: _Reader, kinds: tuple[EventKind, ...], words: _Vocabulary
) -> list[Transition]:
    rows = []
    for entry, item in reader.items("transitions", required=True):
        if not isinstance(item, Mapping):
            raise reader.fail(f"a transition is a table of kind, from, to; not {item!r}", entry)
        unknown = sorted(str(key) for key in item if key not in _TRANSITION_KEYS)
        if unknown:
            raise reader.fail(f"unknown key(s) {', '.join(unknown)}; known: kind, from, to", entry)
        kind = reader.declared(kinds, item.get("kind"), f"{entry}.kind", "kind")
        sources = item.get("from")
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, list) or not sources:
            raise reader.fail(f"needs a non-empty list of standings, not {sources!r}", entry)
        target = item.get("to")
        after = None if target is None else reader.standing(target, f"{entry}.to", words)
        for k, source in enumerate(sources):
            here = reader.standing(source, f"{entry}.from[{k}]", words)
            rows.append(Transition(kind, here, after))
    return rows


def read_text(text: str, *, format: str = "toml", file: str = "<string>") -> dict[str, Any]:
    """The :class:`~sco_membership.rules.RuleSet` arguments a rule-set file's ``text`` gives."""
    kind = _FORMATS.get(format)
    if kind is None:
        raise RuleSetError("?", f"unknown format {format!r}; use toml or json", file=file)
    try:
        if kind == "json":
            document = json.loads(text)
        else:
            import tomllib

            document = tomllib.loads(text)
    except ValueError as exc:  # both decoders' errors are ValueErrors
        raise RuleSetError("?", f"not valid {kind.upper()}: {exc}", file=file) from None
    reader = _Reader(document, file)
    unknown = sorted(str(key) for key in reader.document if key not in KEYS)
    if unknown:
        raise reader.fail(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}", None)
    statuses = reader.terms("statuses", Status, required=True)
    words = _Vocabulary(statuses, reader.terms("stages", Stage, required=False))
    kinds = reader.terms("kinds", EventKind, required=True)
    initial = reader.document.get("initial", "none")
    return {
        "name": reader.text("name"),
        "organisation": reader.text("organisation"),
        "statuses": statuses,
        "stages": words.stages,
        "kinds": kinds,
        "initial": reader.standing(initial, "initial", words),
        "retaining": frozenset(
            reader.declared(statuses, value, entry, "status")
            for entry, value in reader.items("retaining", required=False)
        ),
        "final": frozenset(
            reader.standing(value, entry, words)
            for entry, value in reader.items("final", required=False)
        ),
        "organisation_wide": frozenset(
            reader.declared(kinds, value, entry, "kind")
            for entry, value in reader.items("organisation_wide", required=False)
        ),
        "sources": reader.sources(),
        "cow": reader.cow(statuses),
        "transitions": _transitions(reader, kinds, words),
    }


def read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The rule-set arguments of a ``.toml`` or ``.json`` file."""
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in _FORMATS:
        raise RuleSetError("?", "a rule-set file ends in .toml or .json", file=name)
    try:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError("?", f"cannot read the file: {exc}", file=name) from None
    return read_text(text, format=suffix, file=name)


def _standing(standing: Standing) -> str:
    stage = "" if standing.stage is None else f"/{standing.stage.value}"
    return standing.status.value + stage


def _groups(rows: Iterable[Transition]) -> list[dict[str, Any]]:
    """Consecutive rows of one kind and target, as one entry with a list of sources."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        target = None if row.target is None else _standing(row.target)
        last = groups[-1] if groups else None
        if last is not None and last["kind"] == row.kind.value and last.get("to") == target:
            last["from"].append(_standing(row.source))
            continue
        group: dict[str, Any] = {"kind": row.kind.value, "from": [_standing(row.source)]}
        if target is not None:
            group["to"] = target
        groups.append(group)
    return groups


def document(parts: Mapping[str, Any]) -> dict[str, Any]:
    """A rule set's arguments (as :func:`read_text` gives them) as the plain document a
    rule-set file holds, keys in :data:`KEYS` order; empty optional entries left out."""

    def names(terms: Iterable[Term]) -> list[str]:
        return sorted(term.value for term in terms)

    found: dict[str, Any] = {
        "name": parts["name"],
        "organisation": parts["organisation"],
        "statuses": [status.value for status in parts["statuses"]],
        "stages": [stage.value for stage in parts["stages"]],
        "kinds": [kind.value for kind in parts["kinds"]],
        "initial": _standing(parts["initial"]),
        "retaining": names(parts["retaining"]),
        "final": sorted(_standing(standing) for standing in parts["final"]),
        "organisation_wide": names(parts["organisation_wide"]),
        "sources": [
            {"title": s.title} if s.url is None else {"title": s.title, "url": s.url}
            for s in parts["sources"]
        ],
        "cow": {status.value: code for status, code in parts["cow"]},
        "transitions": _groups(parts["transitions"]),
    }
    return {key: value for key, value in found.items() if value or key == "transitions"}


def write_text(parts: Mapping[str, Any], *, format: str = "toml") -> str:
    """The text of a rule-set file for a rule set's arguments, in ``format`` (``"toml"`` or
    ``"json"``)."""
    kind = _FORMATS.get(format)
    if kind is None:
        raise RuleSetError(parts["name"], f"unknown format {format!r}; use toml or json")
    found = document(parts)
    if kind == "json":
        return json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    return _toml(found)


def _toml(found: Mapping[str, Any]) -> str:
    # A JSON string is a valid TOML basic string (same escapes), so json.dumps quotes values.
    def value(item: object) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(value(part) for part in item) + "]"
        return json.dumps(item, ensure_ascii=False)

    lines = [
        f"{key} = {value(item)}"
        for key, item in found.items()
        if key not in ("sources", "cow", "transitions")
    ]
    for source in found.get("sources", []):
        lines += ["", "[[sources]]", *(f"{k} = {value(v)}" for k, v in source.items())]
    if found.get("cow"):
        lines += ["", "[cow]", *(f"{k} = {v}" for k, v in found["cow"].items())]
    for row in found["transitions"]:
        lines += ["", "[[transitions]]", *(f"{k} = {value(v)}" for k, v in row.items())]
    return "\n".join(lines) + "\n"
