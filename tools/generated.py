"""The last step of every generator in tools/: write its file, or with ``--check`` say whether
the file in the repository is stale. Imported by the scripts beside it (their folder is on
``sys.path`` when they run)."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool, command: str, summary: str = "") -> int:
    """Write ``text`` to ``path`` or compare them; the exit status (1: stale).

    ``command`` is what regenerates the file, named in the stale message; ``summary`` (if any)
    is printed after the file's name.
    """
    if check:
        current = path.read_text("utf-8") if path.exists() else None
        if current != text:
            print(f"{path} is stale: run {command}", file=sys.stderr)
            return 1
        if summary:
            print(f"{path} is up to date ({summary})")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    if summary:
        print(f"wrote {path}: {summary}")
    return 0
