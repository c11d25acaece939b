"""The executors on converters that only sleep, write or fail: the local one in this process
and in a pool, the Ray one on a real local cluster (2 CPUs). The commands end to end on
Ray are in test_ray_e2e.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from episodekit.batch import Events, Job
from episodekit.errors import ConversionError
from episodekit.executors import (EXECUTORS, RAY_MISSING, ExecutorError, ExecutorOptions, LocalExecutor,
                                  make_executor)
from episodekit.files import write_atomic

from .conftest import ROOT


def write_name(job: Job, report) -> None:
    """Writes the input's name to its one output, reporting progress in three steps."""
    for step in range(1, 4):
        time.sleep(0.05)
        report(step, 3)
    if job.input.name.startswith("bad"):
        raise ConversionError(None, "not a roundup")
    write_atomic(job.outputs["txt"], f"{job.input.name} by {os.getpid()}")


def die(job: Job, report) -> None:
    """A worker killed under a file (an engine crashing, the out-of-memory killer)."""
    if job.input.name.startswith("bad"):
        os._exit(9)
    write_name(job, report)


class Recorder:
    def __init__(self):
        self.started, self.finished, self.progress = [], {}, {}

    def events(self, *, progress: bool = True) -> Events:
        return Events(started=lambda job: self.started.append(job.input.name),
                      finished=lambda job, outcome: self.finished.__setitem__(job.input.name, outcome),
                      progressed=(lambda job, done, total: self.progress.setdefault(job.input.name, []).append(
                          (done, total))) if progress else None)


def make_jobs(tmp_path: Path, names: list[str]) -> list[Job]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return [Job(tmp_path / name, {"txt": out / f"{name}.txt"}) for name in names]


def check_batch(tmp_path: Path, recorder: Recorder, names: list[str]) -> None:
    assert sorted(recorder.started) == sorted(names)
    for name in names:
        outcome = recorder.finished[name]
        target = tmp_path / "out" / f"{name}.txt"
        if name.startswith("bad"):
            assert (outcome.status, outcome.cause) == ("failed", "not a roundup") or \
                outcome.cause.startswith("converter process failed")
            assert not target.exists()
        else:
            assert outcome.status == "converted", outcome
            assert target.read_text().startswith(f"{name} by ")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{n}.txt" for n in names if not n.startswith("bad"))  # nothing partial beside the outputs


def test_registry_names_both_executors():
    assert list(EXECUTORS) == ["local", "ray"]


def test_unknown_executor_and_address_without_ray_are_usage_errors():
    with pytest.raises(ExecutorError, match="unknown executor 'spark'; choose from local, ray"):
        make_executor("spark", ExecutorOptions())
    with pytest.raises(ExecutorError, match="--address: goes with --executor ray"):
        make_executor("local", ExecutorOptions(address="10.0.0.1:6379"))


@pytest.mark.parametrize("workers", [1, 2])
def test_local_executor_converts_reports_and_fails_per_file(tmp_path, workers):
    names = ["a.md", "bad.md", "c.md"]
    recorder = Recorder()
    LocalExecutor(ExecutorOptions(workers=workers)).run(make_jobs(tmp_path, names), write_name, recorder.events())
    check_batch(tmp_path, recorder, names)
    assert recorder.progress["a.md"][-1] == (3, 3)
    pids = {(tmp_path / "out" / f"{n}.txt").read_text().split(" by ")[1] for n in ("a.md", "c.md")}
    assert (str(os.getpid()) in pids) == (workers == 1)


def test_ray_missing_is_one_usage_line(tmp_path):
    hidden = tmp_path / "ray"
    hidden.mkdir()
    (hidden / "__init__.py").write_text("raise ImportError(\"No module named 'ray'\")\n")
    code = ("from episodekit.executors import ExecutorError, ExecutorOptions, make_executor\n"
            "try:\n    make_executor('ray', ExecutorOptions())\nexcept ExecutorError as exc:\n    print(exc.cause)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"})
    assert result.stdout.strip() == RAY_MISSING, result.stderr


@pytest.fixture(scope="module")
def ray_cluster():
    import ray

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(address="local", num_cpus=2, include_dashboard=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_executor_converts_on_two_workers_and_streams_progress(tmp_path, ray_cluster):
    names = ["a.md", "b.md", "bad.md", "d.md", "e.md"]
    recorder = Recorder()
    make_executor("ray", ExecutorOptions(workers=2, report_interval=0)).run(
        make_jobs(tmp_path, names), write_name, recorder.events())
    check_batch(tmp_path, recorder, names)
    assert recorder.finished["bad.md"].cause == "not a roundup"
    assert all(recorder.progress[name] == [(1, 3), (2, 3), (3, 3)] for name in names)
    # An actor per worker, reused: five files were converted by two processes, none of them this one.
    pids = {(tmp_path / "out" / f"{n}.txt").read_text().split(" by ")[1] for n in names if n != "bad.md"}
    assert len(pids) == 2 and str(os.getpid()) not in pids


@pytest.mark.slow
def test_ray_worker_that_dies_fails_its_file_only(tmp_path, ray_cluster):
    names = ["a.md", "bad.md", "c.md", "d.md"]
    recorder = Recorder()
    make_executor("ray", ExecutorOptions(workers=2)).run(make_jobs(tmp_path, names), die,
                                                         recorder.events(progress=False))
    check_batch(tmp_path, recorder, names)
    cause = recorder.finished["bad.md"].cause
    assert cause.startswith("converter process failed: ") and "\n" not in cause
    assert recorder.progress == {}


def test_ray_missing_from_the_command_is_a_usage_error(cli, tmp_path):
    hidden = tmp_path / "hide" / "ray"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError(\"No module named 'ray'\")\n")
    out = tmp_path / "out"
    run = cli("text2audio", ROOT / "samples" / "roundups" / "weekly-ai-digest.md", "--out-dir", out,
              "--executor", "ray", env={"PYTHONPATH": f"{hidden.parent}{os.pathsep}{ROOT}"})
    assert run.returncode == 2
    assert RAY_MISSING in " ".join(run.stderr.split())
    assert not out.exists()
