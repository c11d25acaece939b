"""Both commands on a local Ray cluster of 2 CPUs (--executor ray without an address starts
one for the batch) against the local executor with the same 2 workers: the same files with
the same content, the same failures, and resume."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import SAMPLES

pytestmark = pytest.mark.slow

WORKERS = ("--jobs", "2")


def outputs(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def no_partial_files(folder):
    return [p.name for p in folder.rglob("*") if ".part" in p.name]


def run_both(cli, program, inputs, tmp_path, *options):
    runs = {}
    for executor in ("local", "ray"):
        out = tmp_path / executor
        runs[executor] = cli(program, *inputs, "--out-dir", out, *options, *WORKERS, "--executor", executor)
        assert no_partial_files(out) == []
    return runs, tmp_path / "local", tmp_path / "ray"


def summary_lines(run, out):
    """The summary and failure lines, with each run's output folder left out."""
    return sorted(line.replace(str(out), "OUT") for line in run.stderr.splitlines()
                  if line.startswith(("error:", "  failed:")) or "converted," in line)


def test_text2audio_samples_same_on_ray_with_a_bad_file_and_resume(cli, tmp_path):
    roundups = tmp_path / "roundups"
    shutil.copytree(SAMPLES / "roundups", roundups)
    (roundups / "garbage.md").write_bytes(bytes(range(256)) * 40)
    runs, local, ray = run_both(cli, "text2audio", [roundups], tmp_path)
    assert runs["ray"].returncode == runs["local"].returncode == 1
    assert "3 converted, 0 skipped (up to date), 1 failed" in runs["ray"].stderr
    assert f"  failed: {roundups / 'garbage.md'}: binary data, not text" in runs["ray"].stderr
    assert summary_lines(runs["ray"], ray) == summary_lines(runs["local"], local)
    assert outputs(ray) == outputs(local)
    assert not [name for name in outputs(ray) if name.startswith("garbage")]
    episodes = [name[:-4] for name in outputs(ray) if name.endswith(".mp3")]
    assert len(episodes) == 3
    for stem in episodes:
        # espeak-ng's sentence lengths vary by a few milliseconds from run to run.
        assert (ray / f"{stem}.script.md").read_text() == (local / f"{stem}.script.md").read_text()
        chapters = [json.loads((out / f"{stem}.chapters.json").read_text())["chapters"] for out in (local, ray)]
        assert [c["title"] for c in chapters[0]] == [c["title"] for c in chapters[1]]
        assert all(abs(a["startTime"] - b["startTime"]) < 0.5 for a, b in zip(*chapters))
        sizes = [(out / f"{stem}.mp3").stat().st_size for out in (local, ray)]
        assert abs(sizes[0] - sizes[1]) < 0.02 * sizes[0]

    again = cli("text2audio", roundups, "--out-dir", ray, *WORKERS, "--executor", "ray")
    assert again.returncode == 1
    assert "0 converted, 3 skipped (up to date), 1 failed" in again.stderr


def test_audio2text_samples_same_on_ray(cli, tmp_path):
    runs, local, ray = run_both(cli, "audio2text", [SAMPLES / "episodes"], tmp_path, "--format", "md,json,srt")
    assert runs["ray"].returncode == runs["local"].returncode == 0, runs["ray"].stderr
    assert "2 converted, 0 skipped (up to date), 0 failed" in runs["ray"].stderr
    assert outputs(ray) == outputs(local)
    assert len([name for name in outputs(ray) if name.endswith(".md")]) == 2
    for name in outputs(ray):
        if name.endswith((".md", ".srt")):
            assert (ray / name).read_text() == (local / name).read_text(), name
