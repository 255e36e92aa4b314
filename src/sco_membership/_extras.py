"""Optional dependencies, imported on first use with an error that names the extra to install.

pandas and matplotlib are heavy: a module that needs one asks :func:`require` inside the
function that uses it, so ``import sco_membership`` never pays for them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .exceptions import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``extra``.

    >>> require("json", "none", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra, feature) from exc
