"""The batch runner's rerun records: what is skipped, what is made again, and where the
records live. The converter here is a stand-in that writes its outputs."""

import dataclasses
from typing import Optional

import pytest

from episodekit.batch import Job, run_batch
from episodekit.executors import ExecutorOptions, LocalExecutor
from episodekit.files import write_atomic


@dataclasses.dataclass(frozen=True)
class Options:
    style: str = "plain"
    threads: Optional[int] = dataclasses.field(default=None, metadata={"fingerprint": False})


def write_outputs(job: Job, report) -> None:
    for target in job.outputs.values():
        write_atomic(target, f"{job.input.read_text()} in {job.options['pipeline'].style}")


def run(jobs, force=False):
    summary = run_batch(jobs, write_outputs, LocalExecutor(ExecutorOptions(workers=1)), force=force)
    return [outcome.status for outcome in summary.outcomes]


@pytest.fixture
def job(tmp_path):
    source = tmp_path / "episode.txt"
    source.write_text("words")
    out = tmp_path / "site"
    out.mkdir()
    return Job(source, {"md": out / "episode.md", "html": out / "episode.html"}, {"pipeline": Options(threads=2)})


def test_a_rerun_skips_and_leaves_nothing_beside_the_outputs(job):
    assert run([job]) == ["converted"]
    assert run([job]) == ["skipped"]
    folder = job.outputs["md"].parent
    assert sorted(p.name for p in folder.iterdir()) == ["episode.html", "episode.md"]


def test_threads_are_not_part_of_the_fingerprint_but_options_are(job):
    run([job])
    more_threads = dataclasses.replace(job, options={"pipeline": Options(threads=8)})
    assert run([more_threads]) == ["skipped"]
    other_style = dataclasses.replace(job, options={"pipeline": Options(style="fancy", threads=2)})
    assert run([other_style]) == ["converted"]
    assert job.outputs["md"].read_text() == "words in fancy"


def test_an_output_replaced_or_removed_is_made_again(job):
    run([job])
    job.outputs["html"].write_text("edited by hand")
    assert run([job]) == ["converted"]
    job.outputs["md"].unlink()
    assert run([job]) == ["converted"]
    assert run([job], force=True) == ["converted"]


def test_a_fingerprint_is_the_same_in_every_process():
    # Sets print in hash order, which PYTHONHASHSEED changes from process to process: a
    # rerun (or a cluster worker) must see the same options as the same fingerprint.
    import os
    import subprocess
    import sys

    code = ("from pathlib import Path; from episodekit.batch import Job; "
            "print(Job(Path('x'), {}, {'rules': frozenset({'alpha', 'beta', 'gamma', 'delta'})}).fingerprint)")
    prints = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(prints) == 1


def test_a_job_made_from_several_inputs_is_redone_when_any_of_them_changes(job, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text("more words")
    brief = dataclasses.replace(job, inputs=(job.input, second))
    assert run([brief]) == ["converted"]
    assert run([brief]) == ["skipped"]
    stamp = job.outputs["md"].stat().st_mtime_ns
    import os

    os.utime(second, ns=(stamp + 10**9, stamp + 10**9))  # edited after the outputs were made
    assert run([brief]) == ["converted"]
