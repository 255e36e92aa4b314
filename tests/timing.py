"""How time grows with the input: a ratio measured in one run, never a wall-clock limit."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def doubling_ratio(run: Callable[[int], object], n: int, *, rounds: int = 7) -> float:
    """How much longer ``run`` takes on 2n than on n: about 2 when linear, 4 when quadratic; a
    ratio, so a slow machine does not fail it. The sizes alternate for ``rounds`` rounds and
    the best time of each counts, so a busy spell slows both rather than one."""
    best = {n: float("inf"), 2 * n: float("inf")}
    for _ in range(rounds):
        for size in best:
            gc.collect()
            gc.disable()  # a collection landing in one run is noise, not the cost of the input
            try:
                start = time.perf_counter()
                run(size)
                best[size] = min(best[size], time.perf_counter() - start)
            finally:
                gc.enable()
    return best[2 * n] / max(best[n], 1e-6)
