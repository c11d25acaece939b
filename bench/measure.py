"""Timing whole commands as subprocesses: wall time, peak memory, and where the time went."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
STARTED = time.monotonic()


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_rss_mib: float


class CommandFailed(Exception):
    pass


def progress(message: str) -> None:
    elapsed = time.monotonic() - STARTED
    print(f"bench {int(elapsed // 60):3d}:{int(elapsed % 60):02d}  {message}", file=sys.stderr, flush=True)


def run_timed(command: list[str], log: Path) -> Run:
    """Run ``command`` with its output in ``log``; wall time and the peak resident memory of
    the process tree (wait4 reports the child's own rusage, including what it waited for)."""
    env = {k: v for k, v in os.environ.items() if k != "CONVERTER_TRACEBACK"}
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=ROOT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").strip().splitlines()[-3:]
        raise CommandFailed(f"{Path(command[0]).name} exited {process.returncode}: {' | '.join(tail)}")
    return Run(wall_s=wall, peak_rss_mib=usage.ru_maxrss / 1024)


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def timed_run(label: str, command: list[str], log: Path) -> Run:
    run = run_timed(command, log)
    progress(f"{label}: {run.wall_s:.1f} s, {run.peak_rss_mib:.0f} MiB")
    return run


def whole_and_bare(label: str, whole: list[str], bare: list[str], runs: int, log: Path) -> tuple[dict, dict]:
    """Alternate the whole command and its bare engine run by run, so a burst of load from
    elsewhere on the machine falls on both sides rather than on one."""
    whole_runs, bare_runs = [], []
    for i in range(1, runs + 1):
        whole_runs.append(timed_run(f"{label}, whole command, run {i}/{runs}", whole, log))
        bare_runs.append(timed_run(f"{label}, bare engine, run {i}/{runs}", bare, log))
    return summary(whole_runs), summary(bare_runs)


def summary(runs: list[Run]) -> dict:
    walls = [round(r.wall_s, 2) for r in runs]
    return {"wall_s": walls, "median_wall_s": statistics.median(walls),
            "peak_rss_mib": round(max(r.peak_rss_mib for r in runs))}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    return {"cores": os.cpu_count(), "cpu": cpu_model(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def load_average() -> float:
    return round(os.getloadavg()[0], 2)
