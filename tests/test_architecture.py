"""Imports run one way: dates -> model -> rules -> history -> ledger -> adapters."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sco_membership

PACKAGE = Path(sco_membership.__file__).parent

# Each module may import only the modules listed for it (besides itself and exceptions).
ALLOWED: dict[str, set[str]] = {
    "exceptions": set(),
    "dates": set(),
    "model": {"dates", "exceptions"},
    "rules": {"model", "rulefile"},
    "rulefile": {"model"},
    "states": set(),
    "answer": {"dates", "model"},
    "_timeline": {"model", "rules"},
    "history": {"_timeline", "answer", "dates", "model", "rules"},
    "records": {"dates", "exceptions", "model", "rules", "states"},
    "belief": {"model"},
    "_lazy": {"history", "model", "rules"},
    "explain": {"answer", "history", "model", "rules"},
    "_rosters": {"_timeline", "answer", "history", "model", "rules"},
    "ledger": {
        "_lazy",
        "_rosters",
        "answer",
        "belief",
        "dates",
        "explain",
        "history",
        "model",
        "records",
        "rules",
        "states",
    },
    "codec": {"ledger", "model", "records", "rules"},
    "embedded": {"codec", "ledger", "rules"},
    "_queries": {"answer", "dates", "ledger", "records"},
    "cli": {
        "_queries",
        "chart",
        "codec",
        "dates",
        "diagram",
        "embedded",
        "ledger",
        "panel",
        "rules",
        "validate",
    },
    "diagram": {"model", "rules"},
    "_looks": {"answer", "model", "rules"},
    "chart": {"_extras", "_looks", "answer", "dates", "ledger", "model", "states"},
    "__main__": {"cli"},
    "_sqlite": set(),
    "_extras": set(),
    "frames": {"_extras", "ledger", "model", "panel"},
    "validate": {"belief", "dates", "history", "ledger", "model", "records", "rules"},
    "_batch": {"ledger", "model", "records", "rules"},
    "store": {"_batch", "_sqlite", "ledger", "model", "records", "rules", "states"},
    "cow": set(),
    "_years": {"answer", "history", "model"},
    "panel": {"_years", "answer", "cow", "ledger", "model", "rules"},
    "strategies": {
        "_strategies_amend",
        "_strategies_ledger",
        "_strategies_logs",
        "_strategies_machine",
        "dates",
        "model",
        "rules",
    },
    "_strategies_logs": {"dates", "model", "rules"},
    "_strategies_ledger": {"_strategies_logs", "dates", "model", "records", "rules"},
    "_strategies_amend": {"_strategies_logs", "dates", "model", "rules"},
    "_strategies_machine": {"_strategies_logs", "dates", "ledger", "model", "rules"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sco_membership"):
            found.add((node.module or "").split(".")[1] if "." in (node.module or "") else "")
    return found - {"exceptions", ""}


def test_every_module_is_known_to_the_architecture_test() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set(ALLOWED)


def test_imports_run_in_one_direction() -> None:
    for name, allowed in ALLOWED.items():
        used = _imports(PACKAGE / f"{name}.py")
        assert used <= allowed, f"{name} imports {sorted(used - allowed)}"


def test_only_the_dates_module_imports_dateutil_at_module_level() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        names = {alias.name for n in top if isinstance(n, ast.Import) for alias in n.names}
        names |= {n.module or "" for n in top if isinstance(n, ast.ImportFrom)}
        assert not any(name.startswith("dateutil") for name in names), path.name


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
