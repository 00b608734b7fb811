"""Shared timing helpers for the benchmarks: repeated runs, the median, peak RSS."""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def run_times(argv: Sequence[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def interleaved(
    commands: dict[str, Sequence[str]],
    runs: int,
    env: dict[str, str] | None = None,
    warmup: int = 3,
) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so machine noise hits all alike."""
    for argv in commands.values():
        run_times(argv, warmup, env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name] += run_times(argv, 1, env)
    return {name: statistics.median(values) for name, values in samples.items()}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_rss_mb_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def python() -> str:
    return sys.executable


def with_bytecode() -> None:
    """Compile volmify's modules to bytecode before anything is timed, so that its commands
    start as an installed package does (pip writes the bytecode of what it installs). Where
    PYTHONDONTWRITEBYTECODE is set, as on the bench machine, an editable install never gets
    any: every command then compiled about 150 modules from source (+30 ms on a 100 ms report,
    +0.13 s on a catalog import) while the floors' bare scripts import only compiled modules."""
    package = Path(__file__).resolve().parent.parent / "volmify_cli"
    compileall.compile_dir(str(package), quiet=1)


def volmify_argv(*args: str) -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "volmify")
    return [exe, *args] if os.path.exists(exe) else [sys.executable, "-m", "volmify_cli", *args]


def verdict(ratio: float, budget: float) -> str:
    return "ok" if ratio <= budget else "OVER BUDGET"
