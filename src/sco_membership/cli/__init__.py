"""The ``sco-membership`` command line: the composition root, which may use every layer."""

from .commands import main

__all__ = ["main"]
