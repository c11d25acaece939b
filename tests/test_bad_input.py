"""Bad input ends cleanly: a one-line ``error: <file>: <cause>`` and exit 1, or graceful
handling where that is what a user wants; never a traceback, never a partial file, and in
a batch never stopping the other files."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest

from episodekit.jsonio import episode_to_json
from text2audio.readers import read_roundup
from tests.audio_fixtures import ffmpeg_make, noise, silence, tone_wav
from tests.conftest import ROOT, SAMPLES

# Each test runs a command on real audio, models or voices.
pytestmark = pytest.mark.slow

DAILY = SAMPLES / "episodes" / "daily-ai-brief.mp3"
ROUNDUP = SAMPLES / "roundups" / "weekly-ai-digest.md"


def assert_one_line_error(run, path, *fragments):
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in run.stderr


def no_leftovers(folder: Path) -> list[str]:
    """Temporary or partial files a failed run left behind."""
    return [p.name for p in folder.rglob("*") if ".part" in p.name]


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# --- audio2text -----------------------------------------------------------------------


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, cause", [
    (lambda d: written(d / "empty.mp3", b""), "not audio ffmpeg can read"),
    (lambda d: ffmpeg_make(d / "zero.wav", "anullsrc=r=16000:cl=mono", 0), "audio too short to transcribe (0.0 s)"),
    (lambda d: tone_wav(d / "short.wav", 0.3), "audio too short to transcribe (0.3 s)"),
    (lambda d: written(d / "notes.mp3", b"these are my notes, not audio\n"), "not audio ffmpeg can read"),
])
def test_unreadable_audio(cli, tmp_path, out, make, cause):
    path = make(tmp_path)
    run = cli("audio2text", path, "--out-dir", out)
    assert_one_line_error(run, path, cause)
    assert list(out.iterdir()) == []


def test_a_minute_of_silence_has_no_speech(cli, tmp_path, out):
    path = silence(tmp_path / "silence.wav", 60)
    run = cli("audio2text", path, "--out-dir", out)
    assert_one_line_error(run, path, "no speech found in 60.0 s of audio")
    assert list(out.iterdir()) == []


def test_a_minute_of_noise_has_no_speech(cli, tmp_path, out):
    path = noise(tmp_path / "noise.wav", 60)
    run = cli("audio2text", path, "--out-dir", out)
    assert_one_line_error(run, path, "no speech found in 60.0 s of audio")
    assert list(out.iterdir()) == []


def test_truncated_mp3_gives_the_part_that_is_there(cli, tmp_path, out):
    path = tmp_path / "cut.mp3"
    data = DAILY.read_bytes()
    path.write_bytes(data[: len(data) // 6])
    run = cli("audio2text", path, "--out-dir", out, "--format", "md,json", "--quiet")
    assert run.returncode == 0, run.stderr
    episode = json.loads((out / "cut.json").read_text())
    assert 60 < episode["duration"] < 140
    assert episode["sections"]


def test_folder_given_as_a_file(cli, tmp_path, out):
    folder = tmp_path / "episode.mp3"
    folder.mkdir()
    run = cli("audio2text", folder, "-o", out / "a.md")
    assert_one_line_error(run, folder, "no ")
    assert not (out / "a.md").exists()


def test_unknown_suffix(cli, tmp_path, out):
    path = tmp_path / "episode.xyz"
    path.write_bytes(b"\x00" * 100)
    run = cli("audio2text", path, "--out-dir", out)
    assert_one_line_error(run, path)


def test_output_equal_to_input_is_refused(cli, tmp_path):
    # An audio2text JSON read back by text2audio: its segment-model sidecar would be the input.
    episode = tmp_path / "episode.json"
    episode.write_text(episode_to_json(read_roundup(ROUNDUP)))
    before = episode.read_bytes()
    run = cli("text2audio", episode)
    assert_one_line_error(run, episode, f"output {episode} would overwrite an input")
    assert episode.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["episode.json"]


def test_unwritable_output_folder(cli, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    path = tone_wav(tmp_path / "tone.wav", 2)
    run = cli("audio2text", path, "--out-dir", blocker / "sub")
    assert_one_line_error(run, path, "cannot create output folder")


def test_missing_ffmpeg_says_how_to_install(cli, tmp_path, out):
    path = tone_wav(tmp_path / "tone.wav", 2)
    run = cli("audio2text", path, "--out-dir", out, env={"PATH": str(tmp_path / "empty-bin")})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "ffmpeg is not installed; run: sudo apt-get install ffmpeg" in run.stderr


def test_existing_output_survives_a_failure(cli, tmp_path, out):
    (out / "notes.md").write_text("my earlier article\n")
    path = tmp_path / "notes.mp3"
    path.write_text("not audio")
    run = cli("audio2text", path, "--out-dir", out)
    assert run.returncode == 1
    assert (out / "notes.md").read_text() == "my earlier article\n"
    assert no_leftovers(out) == []


# --- text2audio -----------------------------------------------------------------------


@pytest.mark.parametrize("name, content, cause", [
    ("empty.md", b"", "no text to read"),
    ("garbage.md", bytes(range(256)) * 40, "binary data, not text"),
    ("not-a-model.json", b'{"hello": "world"}', "field title is missing"),
    ("broken.json", b'{"title": ', "not valid JSON"),
    ("whitespace.txt", b"   \n\n\t\n", "no text to read"),
])
def test_unreadable_roundups(cli, tmp_path, out, name, content, cause):
    path = tmp_path / name
    path.write_bytes(content)
    run = cli("text2audio", path, "--out-dir", out)
    assert_one_line_error(run, path, cause)
    assert list(out.iterdir()) == []


def test_unknown_roundup_suffix(cli, tmp_path, out):
    path = tmp_path / "roundup.pdf"
    path.write_bytes(b"%PDF-1.4 fake")
    run = cli("text2audio", path, "--out-dir", out)
    assert_one_line_error(run, path)


def test_latin1_text_is_read(tmp_path):
    from text2audio.readers import read_roundup

    path = tmp_path / "latin1.txt"
    path.write_bytes("Café Numérique Opens\n\nThe café in Zürich serves über-fast inference.\n".encode("latin-1"))
    episode = read_roundup(path)
    assert "Zürich" in " ".join(s.text for s in episode.sentences)


def test_a_single_megabyte_line_reads_quickly(tmp_path):
    from text2audio.readers import read_roundup
    from text2audio.script import build_script

    path = tmp_path / "one-line.txt"
    path.write_text(("The lab shipped a model and the market shrugged. " * 20_000)[:1_000_000])
    started = time.monotonic()
    script = build_script(read_roundup(path), date="2026-11-20")
    assert time.monotonic() - started < 60
    assert script.word_count > 100_000


def test_a_50000_word_roundup_fits_a_budget(cli, tmp_path, out):
    stories = []
    for n in range(1, 101):
        body = " ".join(f"Story {n} sentence {k} says the team measured {k} things today." for k in range(50))
        stories.append(f"## Development number {n}\n\n{body}\n")
    path = tmp_path / "huge.md"
    path.write_text("# A very long roundup\n\n" + "\n".join(stories))
    assert len(path.read_text().split()) >= 50_000
    run = cli("text2audio", path, "--out-dir", out, "--max-minutes", "2", "--quiet")
    assert run.returncode == 0, run.stderr
    chapters = json.loads((out / "huge.chapters.json").read_text())
    assert chapters["chapters"][-1]["startTime"] < 150


def test_missing_espeak_says_how_to_install(cli, tmp_path, out):
    # Hide the espeak-ng library from this one process, as on a machine without it.
    hide = tmp_path / "hide-espeak"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import ctypes\n"
        "_load = ctypes.cdll.LoadLibrary\n"
        "def _refuse_espeak(name, *args, **kwargs):\n"
        "    if 'espeak' in str(name):\n"
        "        raise OSError(f'{name}: cannot open shared object file')\n"
        "    return _load(name, *args, **kwargs)\n"
        "ctypes.cdll.LoadLibrary = _refuse_espeak\n"
    )
    run = cli("text2audio", ROUNDUP, "--out-dir", out, env={"PYTHONPATH": str(hide)})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "espeak-ng is not installed; run: sudo apt-get install espeak-ng" in run.stderr
    assert not any(out.iterdir())


# --- batches and interruption -----------------------------------------------------------


def test_batch_converts_the_good_and_reports_the_bad(cli, tmp_path, out):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ROUNDUP, inputs / "good.md")
    (inputs / "empty.md").write_text("")
    (inputs / "garbage.md").write_bytes(bytes(range(256)) * 10)
    run = cli("text2audio", inputs, tmp_path / "missing.md", "--out-dir", out, "--jobs", "2")
    assert run.returncode == 1
    assert (out / "good.mp3").exists() and (out / "good.chapters.json").exists()
    assert "1 converted, 0 skipped (up to date), 3 failed" in run.stderr
    for name in ("empty.md", "garbage.md", "missing.md"):
        assert f"failed: {tmp_path}" in run.stderr and name in run.stderr
    assert "Traceback" not in run.stderr
    assert no_leftovers(out) == []


def test_interrupted_conversion_leaves_nothing_and_resumes(tmp_path, out):
    episode = tmp_path / "daily.mp3"
    shutil.copy(DAILY, episode)
    env = {k: v for k, v in os.environ.items() if k != "CONVERTER_TRACEBACK"}
    command = [sys.executable, "-m", "audio2text", str(episode), "--out-dir", str(out),
               "--format", "md,json,vtt", "--quiet"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # mid-transcription
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip() == "interrupted; no partial output was left"
    assert list(out.iterdir()) == []

    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    # Only the outputs: nothing hidden that an upload of the folder would publish.
    made = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert set(made) == {"daily.md", "daily.json", "daily.vtt"}

    # More jobs (and so fewer threads each) make the same outputs: still up to date.
    again = subprocess.run([*command[:-1], "--jobs", "2"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0
    assert f"skipped {episode}: outputs are up to date" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == made


def test_other_language_with_english_only_model_warns(cli, tmp_path, out):
    path = tmp_path / "french.wav"
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(path),
                    "Bonjour à tous et bienvenue dans notre émission du matin. Aujourd'hui, la société Korvo "
                    "présente une nouvelle puce deux fois plus rapide. Ensuite, le parlement discute d'une loi "
                    "sur les algorithmes et la transparence des modèles."], check=True)
    run = cli("audio2text", path, "--out-dir", out, "--format", "md,json", "--quiet")
    assert run.returncode == 0, run.stderr
    assert f"warning: {path}: low recognition confidence" in run.stderr
    assert "--model base" in run.stderr
    # Said to the user, never published: not in the front matter or the JSON.
    article = (out / "french.md").read_text()
    assert "warnings" not in frontmatter.loads(article).keys() and "recognition confidence" not in article
    assert "warnings" not in json.loads((out / "french.json").read_text())["metadata"]
