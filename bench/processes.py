"""What the benchmarks share: stopping the worker they started, and reading percentiles."""

from __future__ import annotations

import os
import signal
import subprocess


def stop(process: subprocess.Popen) -> None:
    """Stop a worker started in its own session, and its children: politely, then for good."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) of ``values``: the sorted value at the nearest index."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
