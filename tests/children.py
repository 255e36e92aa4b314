"""Child interpreters, for the tests that run several processes at once (writers racing,
writers killed): started with warnings as errors, killed and reaped whatever happens."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def running(code: str, *args: object, cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """A child interpreter running ``code`` in ``cwd`` (so that it can import the test module
    there, and, as the tests do, this folder's helpers); killed (if still running) and reaped
    on exit."""
    paths = [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}
    with subprocess.Popen(
        [sys.executable, "-W", "error", "-c", code, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    ) as process:
        try:
            yield process
        finally:
            process.kill()


def line(process: subprocess.Popen[str]) -> str:
    """The next line the child wrote on its standard output."""
    assert process.stdout is not None
    return process.stdout.readline()


def failure(process: subprocess.Popen[str]) -> str:
    """What a child that did not say what was expected wrote on its stderr."""
    process.kill()
    return process.communicate(timeout=60)[1]
