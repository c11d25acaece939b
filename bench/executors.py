"""python -m bench.executors [--runs N]: the throughput of a batch of the samples on each
executor with the same number of workers: the built-in process pool, Ray on a local cluster
that is already running (as a real cluster would be), and Ray starting a cluster for the batch.
The batch is the samples repeated, so that a worker converts several files as in a real batch
and the fixed start (Ray's worker processes import the converter, where the pool's are forked
from a process that has) weighs as it would; every run converts every file (--force)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from .measure import ROOT, python_module, timed_run

WORKERS = 2
SAMPLES = ROOT / "samples"
# Copies of each sample in the batch: 4 episodes (about 26 minutes of audio), 12 roundups.
REPEATS = {"audio2text": 2, "text2audio": 4}
# Ray's share of the batch time on top of the pool's: the ceiling.
OVERHEAD_TARGET = 0.15
SETUPS = ("local", "ray", "ray, cluster started for the batch")


def batches(work: Path) -> dict[str, Path]:
    """Each command's batch: a folder of links to its samples (not their gold files), each
    sample linked REPEATS times under another name."""
    samples = {
        "audio2text": sorted((SAMPLES / "episodes").glob("*.mp3")),
        "text2audio": sorted(p for p in (SAMPLES / "roundups").iterdir() if p.suffix in (".md", ".txt")),
    }
    folders = {}
    for program, files in samples.items():
        folder = work / "inputs" / program
        folder.mkdir(parents=True)
        for copy in range(1, REPEATS[program] + 1):
            for sample in files:
                (folder / f"{sample.stem}-{copy}{sample.suffix}").symlink_to(sample)
        folders[program] = folder
    return folders


def start_cluster():
    """A local Ray cluster for the batches to join, kept off the network like the executor's;
    the settings are read when Ray is imported, and the commands run here inherit them."""
    os.environ.update({"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": os.environ.get("RAY_AUTH_MODE", "token")})
    import ray

    ray.init(address="local", num_cpus=WORKERS, include_dashboard=False)
    return ray


def measure_executors(runs: int, work: Path) -> dict:
    ray = start_cluster()
    address = ray.get_runtime_context().gcs_address
    options = {SETUPS[0]: ["--executor", "local"], SETUPS[1]: ["--executor", "ray", "--address", address],
               SETUPS[2]: ["--executor", "ray"]}
    results = {"workers": WORKERS, "runs": runs, "commands": {}}
    try:
        for program, folder in batches(work).items():
            files = len(list(folder.iterdir()))
            walls: dict[str, list[float]] = {setup: [] for setup in SETUPS}
            for i in range(1, runs + 1):
                # Setups alternate run by run, so a burst of load from elsewhere falls on each.
                for setup in SETUPS:
                    command = python_module(program, str(folder), "--out-dir", str(work / program / setup),
                                            "--jobs", str(WORKERS), "--force", "--quiet", *options[setup])
                    run = timed_run(f"{program} batch, {setup}, run {i}/{runs}", command, work / "executors.log")
                    walls[setup].append(round(run.wall_s, 2))
            results["commands"][program] = {
                "files": files,
                **{setup: {"wall_s": walls[setup], "median_wall_s": statistics.median(walls[setup])}
                   for setup in SETUPS},
            }
    finally:
        ray.shutdown()
    return results


def rows(result: dict) -> list[tuple[str, str, str, str]]:
    if "error" in result:
        return [("batch throughput by executor", "samples", f"failed: {result['error']}", "")]
    table = []
    for program, batch in result["commands"].items():
        sample = f"samples ×{REPEATS[program]} ({batch['files']} files), {result['workers']} workers"
        local = batch[SETUPS[0]]["median_wall_s"]
        for setup in SETUPS:
            wall = batch[setup]["median_wall_s"]
            figure = f"{batch['files'] / wall * 60:.1f} files/min ({wall:.1f} s)"
            target = ""
            if setup != SETUPS[0]:
                overhead = wall / local - 1
                figure += f", {overhead:+.0%} against local"
                if setup == SETUPS[1]:
                    target = f"≤ +{OVERHEAD_TARGET:.0%} {'✓' if overhead <= OVERHEAD_TARGET else '✗'}"
            table.append((f"{program} batch: {setup}", sample, figure, target))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.executors", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per setup; the median is reported")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-executors-") as folder:
        result = measure_executors(args.runs, Path(folder))
    print("| measurement | sample | result | target |\n|---|---|---|---|")
    for row in rows(result):
        print(f"| {' | '.join(row)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
