"""Imports run one way, layer by layer, in every import form (an `ast` scan of the package).

    root (__init__, __main__) and cli  ->  anything
    organisations, store, export, strategies  ->  core, io and their own package
    io  ->  core and io
    core (the modules at the top)  ->  earlier core modules (io only lazily, inside a function)

Type-only imports (under `if TYPE_CHECKING:`) inside the core may name any core module.
A few third-party libraries belong to one place each (ONLY_IN).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import sco_membership

PACKAGE = Path(sco_membership.__file__).parent
NAME = "sco_membership"

ROOT = {"__init__", "__main__"}
# Each core module may import only those before it; profiles comes right after rules.
CORE_ORDER = [
    "exceptions",
    "_display",
    "dates",
    "cow",
    "states",
    "model",
    "rules",
    "profiles",
    "answer",
    "belief",
    "history",
    "explain",
    "claims",
    "ledger",
]
COMING = {"profiles"}  # listed before it arrives: its absence is not an error
EXTRAS = "_extras"  # a core module outside the order: it may import only exceptions

ALL = frozenset({"root", "core", "io", "store", "export", "strategies", "organisations", "cli"})
ALLOWED: dict[str, frozenset[str]] = {
    "root": ALL,
    "cli": ALL,
    "core": frozenset({"core"}),  # plus lazy imports of io; see _core_rule
    "io": frozenset({"core", "io"}),
    "store": frozenset({"core", "io", "store"}),
    "export": frozenset({"core", "io", "export"}),
    "strategies": frozenset({"core", "io", "strategies"}),
    "organisations": frozenset({"core", "io", "organisations"}),
}
# A third-party library may be imported only inside this module or package, in any form.
ONLY_IN = {
    "dateutil": f"{NAME}.dates",
    "hypothesis": f"{NAME}.strategies",
    "pandas": f"{NAME}.export",
    "matplotlib": f"{NAME}.export",
    "sqlite3": f"{NAME}.store",
}
NEVER_AT_MODULE_LEVEL = {"pandas", "matplotlib"}

MODULE_LEVEL, LAZY, TYPE_ONLY = "module-level", "lazy", "type-only"
TYPE_CHECKING = {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def _layer(module: str, package_dir: Path) -> str | None:
    parts = module.split(".")[1:]
    if not parts or parts == ["__main__"]:
        return "root"
    if parts[0] in ALLOWED and parts[0] not in {"root", "core"}:
        return parts[0]
    placed = parts[0] in CORE_ORDER or parts[0] == EXTRAS
    if len(parts) == 1 and placed and (package_dir / f"{parts[0]}.py").is_file():
        return "core"
    return None


def _imports(node: ast.AST, kind: str = MODULE_LEVEL) -> Iterator[tuple[ast.stmt, str]]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, kind
        return
    if isinstance(node, ast.If) and ast.unparse(node.test) in TYPE_CHECKING:
        for child in node.body:
            yield from _imports(child, TYPE_ONLY)
        for child in node.orelse:
            yield from _imports(child, kind)
        return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and kind == MODULE_LEVEL:
        kind = LAZY
    for child in ast.iter_child_nodes(node):
        yield from _imports(child, kind)


def _targets(node: ast.stmt, module: str, is_package: bool, package_dir: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    found = []
    for alias in node.names:  # `from pkg import x` names the module pkg.x when x is a module
        where = package_dir.joinpath(*base.split(".")[1:], alias.name)
        is_module = where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()
        found.append(f"{base}.{alias.name}" if base.startswith(NAME) and is_module else base)
    return found


def _core_rule(importer: str, target: str, layer: str, kind: str) -> str | None:
    name, wanted = importer.split(".")[1], target.split(".")[-1]
    if layer not in {"core", "io"}:
        return f"core never imports {layer}"
    if layer == "io" and kind != LAZY:
        return "core imports io only lazily, inside a function"
    if name == "exceptions" and kind != TYPE_ONLY:
        return "exceptions imports nothing from the package at run time"
    if layer == "io" or kind == TYPE_ONLY:
        return None
    if name == EXTRAS:
        return None if wanted == "exceptions" else f"{EXTRAS} imports only exceptions"
    order = {module: index for index, module in enumerate(CORE_ORDER)}
    if name in order and wanted in order and order[wanted] < order[name]:
        return None
    return "core imports only modules earlier in CORE_ORDER"


def _rule(importer: str, layer: str, target: str, kind: str, package_dir: Path) -> str | None:
    top = target.split(".")[0]
    if top != NAME:
        home = ONLY_IN.get(top)
        if home is not None and importer != home and not importer.startswith(f"{home}."):
            return f"only {home} imports {top}"
        if top in NEVER_AT_MODULE_LEVEL and kind == MODULE_LEVEL:
            return f"{top} is imported only lazily or for type checking"
        return None
    wanted = _layer(target, package_dir)
    if wanted is None:
        return "the imported module belongs to no layer"
    if layer == "core":
        return _core_rule(importer, target, wanted, kind)
    return None if wanted in ALLOWED[layer] else f"{layer} imports only {sorted(ALLOWED[layer])}"


def violations(package_dir: Path) -> list[str]:
    """One line per broken rule: file, line, imported module, import kind and the rule."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        shown = f"{NAME}/{relative.as_posix()}"
        is_package = path.stem == "__init__"
        parts = relative.parent.parts if is_package else (*relative.parent.parts, path.stem)
        importer = ".".join((NAME, *parts))
        layer = _layer(importer, package_dir)
        if layer is None:
            found.append(f"{shown}: belongs to no layer (new sub-package, or not in CORE_ORDER)")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, kind in _imports(tree):
            for target in _targets(node, importer, is_package, package_dir):
                rule = _rule(importer, layer, target, kind, package_dir)
                line = f"{shown}:{node.lineno}: imports {target} ({kind}): {rule}"
                if rule is not None and line not in found:  # one line for `import a, b`
                    found.append(line)
    return found


def test_the_package_keeps_its_layers() -> None:
    assert violations(PACKAGE) == []


def test_the_core_order_lists_exactly_the_core_modules() -> None:
    present = {path.stem for path in PACKAGE.glob("*.py")} - ROOT - {EXTRAS}
    assert sorted(present - COMING) == sorted(set(CORE_ORDER) - COMING)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    return Path(shutil.copytree(PACKAGE, tmp_path / NAME, ignore=ignore))


def test_an_untouched_copy_reports_what_the_package_reports(copy: Path) -> None:
    assert violations(copy) == violations(PACKAGE)


# `from ..organisations import sco` names the module organisations.sco while sco.py exists.
SCO_MODULE = PACKAGE / "organisations" / "sco.py"
ORGANISATION = f"{NAME}.organisations.sco" if SCO_MODULE.is_file() else f"{NAME}.organisations"
TYPE_ONLY_BLOCK = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    "
INJECTIONS = [
    (
        "dates.py",
        "from . import ledger",
        "sco_membership.ledger (module-level): core imports only modules earlier in CORE_ORDER",
    ),
    (
        "ledger.py",
        "def _injected() -> None:\n    import sco_membership.store",
        "sco_membership.store (lazy): core never imports store",
    ),
    (
        "io/records.py",
        f"{TYPE_ONLY_BLOCK}from ..export import panel",
        "sco_membership.export.panel (type-only): io imports only ['core', 'io']",
    ),
    (
        "export/panel.py",
        "from ..store import SQLiteStore",
        "sco_membership.store (module-level): export imports only ['core', 'export', 'io']",
    ),
    (
        "model.py",
        "import dateutil.parser",
        "dateutil.parser (module-level): only sco_membership.dates imports dateutil",
    ),
    (
        "io/jsonl.py",
        "from hypothesis import strategies",
        "hypothesis (module-level): only sco_membership.strategies imports hypothesis",
    ),
    (
        "ledger.py",
        "from .io.records import FIELDS",
        "sco_membership.io.records (module-level): core imports io only lazily, inside a function",
    ),
    (
        "strategies/_walks.py",
        "from ..organisations import sco",
        f"{ORGANISATION} (module-level): strategies imports only ['core', 'io', 'strategies']",
    ),
]


@pytest.mark.parametrize(
    ("file", "code", "reported"),
    INJECTIONS,
    ids=[f"{code.splitlines()[-1].strip()} in {file}" for file, code, _ in INJECTIONS],
)
def test_a_forbidden_import_injected_into_a_copy_is_reported(
    copy: Path, file: str, code: str, reported: str
) -> None:
    before = violations(copy)
    path = copy / file
    text = path.read_text(encoding="utf-8") + f"\n\n{code}\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())  # the injected import is the last line
    added = [found for found in violations(copy) if found not in before]
    assert added == [f"sco_membership/{file}:{line}: imports {reported}"]


def test_a_sub_package_the_layers_do_not_know_is_reported(copy: Path) -> None:
    before = violations(copy)
    (copy / "plugins").mkdir()
    (copy / "plugins" / "__init__.py").write_text("", encoding="utf-8")
    added = [found for found in violations(copy) if found not in before]
    assert added == [
        "sco_membership/plugins/__init__.py: belongs to no layer "
        "(new sub-package, or not in CORE_ORDER)"
    ]


def test_importing_the_package_stays_light() -> None:
    code = (
        "import sys, sco_membership;"
        "print(sorted(m for m in ('dateutil', 'hypothesis', 'sqlite3') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_public_api_is_sorted_and_complete() -> None:
    names = sco_membership.__all__
    # isort order, as ruff keeps it: CONSTANTS, then Classes, then functions and modules.
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in names:
        assert hasattr(sco_membership, name)
