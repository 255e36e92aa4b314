"""Rule-set files: an organisation's vocabulary and transition table as TOML or JSON.

Reading checks the file's shape and names and reports the offending entry
(``transitions[3].from[1]: unknown status 'membr'``): whatever the text, only a
:class:`~sco_membership.exceptions.RuleSetError` escapes. Reading declares the file's terms
for the rule set (:meth:`~sco_membership.model.Term.declare`): they become declared terms only
if the rule set is valid. The structure of the table itself
(reachability, traps, conflicts) is checked by :class:`~sco_membership.rules.RuleSet`. The
format is documented in "Model your own organisation" (docs/organisations.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from ..exceptions import RuleSetError, TermError, _shown
from ..model import EventKind, Source, Stage, Standing, Status, Term, Transition
from ..rules import COW_CODES, RESERVED_KINDS, RESERVED_USE

__all__ = ["KEYS", "parse_file", "parse_text", "render_text"]

#: The formats a rule-set file may have, by name and by file suffix.
_FORMATS = {"toml": "toml", "json": "json", ".toml": "toml", ".json": "json"}
#: Every key a rule-set file may have, in the order :func:`render_text` writes them.
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
    "members",
    "member_pattern",
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
            raise self.fail(f"needs non-empty text, not {_shown(value)}", key)
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.document.get(key) is None else self.text(key)

    def items(self, key: str, *, required: bool) -> list[tuple[str, Any]]:
        value = self.document.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(
                f"needs a{' non-empty' if required else ''} list, not {_shown(value)}", key
            )
        return [(f"{key}[{k}]", item) for k, item in enumerate(value)]

    def terms(self, key: str, vocabulary: type[_T], *, required: bool) -> _Words[_T]:
        """The terms a list declares, by name: one dict, built once, for every reference."""
        found: dict[str, tuple[_T, str]] = {}
        for entry, value in self.items(key, required=required):
            if not isinstance(value, str):
                raise self.fail(f"a {vocabulary._word} name is text, not {_shown(value)}", entry)
            if value in found:
                raise self.fail(f"{value!r} is declared twice (first at {found[value][1]})", entry)
            if vocabulary is EventKind and value in RESERVED_KINDS:
                raise self.fail(
                    f"the kind {value!r} is reserved: the record format uses {RESERVED_USE};"
                    " name the kind otherwise",
                    entry,
                )
            try:
                found[value] = (vocabulary.declare(value), entry)
            except TermError as exc:
                raise self.fail(str(exc), entry) from None
        return _Words(vocabulary._word, {name: term for name, (term, _) in found.items()})

    def declared(self, words: _Words[_T], value: object, entry: str) -> _T:
        found = words.names.get(value) if isinstance(value, str) else None
        if found is None:
            listed = ", ".join(words.names) or "none declared"
            raise self.fail(f"unknown {words.word} {_shown(value)}; declared: {listed}", entry)
        return found

    def standing(
        self, value: object, entry: str, statuses: _Words[Status], stages: _Words[Stage]
    ) -> Standing:
        if not isinstance(value, str):
            raise self.fail(
                f"a standing is 'status' or 'status/stage', not {_shown(value)}", entry
            )
        status, _, stage = value.partition("/")
        return Standing(
            self.declared(statuses, status, entry),
            self.declared(stages, stage, entry) if stage else None,
        )

    def sources(self) -> tuple[Source, ...]:
        found = []
        for entry, item in self.items("sources", required=False):
            if not isinstance(item, Mapping) or set(item) - {"title", "url"}:
                raise self.fail(f"a source is {{title, url}}, not {_shown(item)}", entry)
            title, url = item.get("title"), item.get("url")
            if not isinstance(title, str) or not title.strip():
                raise self.fail("a source needs a non-empty title", entry)
            if url is not None and (not isinstance(url, str) or not url.strip()):
                raise self.fail("a source's url must be non-empty text", entry)
            found.append(Source(title, url))
        return tuple(found)

    def cow(self, statuses: _Words[Status]) -> dict[Status, int]:
        value = self.document.get("cow", {})
        if not isinstance(value, Mapping):
            raise self.fail(f"needs a table of status = code, not {_shown(value)}", "cow")
        codes = {}
        for name, code in value.items():
            status = self.declared(statuses, name, f"cow.{name}")
            if not isinstance(code, int) or isinstance(code, bool) or code not in COW_CODES:
                raise self.fail(f"COW codes are 0, 1, 2 or 3, not {_shown(code)}", f"cow.{name}")
            codes[status] = code
        return codes


class _Words(Generic[_T]):
    """The terms of one vocabulary a document declares, by name, in declaration order."""

    def __init__(self, word: str, names: dict[str, _T]) -> None:
        self.word = "kind" if word == "event kind" else word
        self.names = names

    @property
    def terms(self) -> tuple[_T, ...]:
        return tuple(self.names.values())


def _transitions(
    reader: _Reader, kinds: _Words[EventKind], statuses: _Words[Status], stages: _Words[Stage]
) -> list[Transition]:
    rows = []
    for entry, item in reader.items("transitions", required=True):
        if not isinstance(item, Mapping):
            raise reader.fail(
                f"a transition is a table of kind, from, to; not {_shown(item)}", entry
            )
        unknown = sorted(str(key) for key in item if key not in _TRANSITION_KEYS)
        if unknown:
            raise reader.fail(f"unknown key(s) {', '.join(unknown)}; known: kind, from, to", entry)
        kind = reader.declared(kinds, item.get("kind"), f"{entry}.kind")
        sources = item.get("from")
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, list) or not sources:
            raise reader.fail(f"needs a non-empty list of standings, not {_shown(sources)}", entry)
        target = item.get("to")
        after = (
            None if target is None else reader.standing(target, f"{entry}.to", statuses, stages)
        )
        for k, source in enumerate(sources):
            here = reader.standing(source, f"{entry}.from[{k}]", statuses, stages)
            rows.append(Transition(kind, here, after))
    return rows


def parse_text(text: str, *, format: str = "toml", file: str = "<string>") -> dict[str, Any]:
    """The :class:`~sco_membership.rules.RuleSet` arguments a rule-set file's ``text`` gives.

    Only a :class:`~sco_membership.exceptions.RuleSetError` escapes, whatever the text: a
    document nested too deeply for the decoder, or a name that is a list, is refused as such.
    """
    kind = _FORMATS.get(format) if isinstance(format, str) else None
    if kind is None:
        raise RuleSetError("?", f"unknown format {_shown(format)}; use toml or json", file=file)
    if not isinstance(text, str):
        raise RuleSetError("?", f"a rule set is text, not {type(text).__name__}", file=file)
    try:
        if kind == "json":
            document = json.loads(text)
        else:
            import tomllib

            document = tomllib.loads(text)
    except ValueError as exc:  # both decoders' errors are ValueErrors
        raise RuleSetError("?", f"not valid {kind.upper()}: {exc}", file=file) from None
    except RecursionError:  # both decoders recurse once per level of nesting
        raise RuleSetError(
            "?", f"not a rule set: the {kind.upper()} is nested too deeply", file=file
        ) from None
    reader = _Reader(document, file)
    unknown = sorted(str(key) for key in reader.document if key not in KEYS)
    if unknown:
        raise reader.fail(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}", None)
    statuses = reader.terms("statuses", Status, required=True)
    stages = reader.terms("stages", Stage, required=False)
    kinds = reader.terms("kinds", EventKind, required=True)
    initial = reader.document.get("initial", "none")
    return {
        "name": reader.text("name"),
        "organisation": reader.text("organisation"),
        "statuses": statuses.terms,
        "stages": stages.terms,
        "kinds": kinds.terms,
        "initial": reader.standing(initial, "initial", statuses, stages),
        "retaining": frozenset(
            reader.declared(statuses, value, entry)
            for entry, value in reader.items("retaining", required=False)
        ),
        "final": frozenset(
            reader.standing(value, entry, statuses, stages)
            for entry, value in reader.items("final", required=False)
        ),
        "organisation_wide": frozenset(
            reader.declared(kinds, value, entry)
            for entry, value in reader.items("organisation_wide", required=False)
        ),
        "members": reader.optional_text("members") or "iso3166",
        "member_pattern": reader.optional_text("member_pattern"),
        "sources": reader.sources(),
        "cow": reader.cow(statuses),
        "transitions": _transitions(reader, kinds, statuses, stages),
    }


def parse_file(path: str | os.PathLike[str]) -> dict[str, Any]:
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
    return parse_text(text, format=suffix, file=name)


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
    """A rule set's arguments (as :func:`parse_text` gives them) as the plain document a
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
        # The default scheme is left out, so files of ISO members read as before.
        "members": None if parts.get("members", "iso3166") == "iso3166" else parts["members"],
        "member_pattern": parts.get("member_pattern"),
        "sources": [
            {"title": s.title} if s.url is None else {"title": s.title, "url": s.url}
            for s in parts["sources"]
        ],
        "cow": {status.value: code for status, code in parts["cow"]},
        "transitions": _groups(parts["transitions"]),
    }
    return {key: value for key, value in found.items() if value or key == "transitions"}


def render_text(parts: Mapping[str, Any], *, format: str = "toml") -> str:
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
