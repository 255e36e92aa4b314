"""Load a script of ``tools/`` as a module: tools are scripts, not an importable package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_tool(path: Path) -> ModuleType:
    """A fresh module object for the script at ``path`` (its ``main`` is not run).

    The script's folder goes on ``sys.path``, as when it runs: the tools import their shared
    helper (``generated``) from beside them.
    """
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.append(folder)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
