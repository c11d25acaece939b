"""Both commands: --help, --version, and the one-line error convention."""

import re

import pytest

# Each test starts a command as a user would (a second or more apiece).
pytestmark = pytest.mark.slow

PROGRAMS = ["audio2text", "text2audio"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_help_and_version(cli, program):
    help_run = cli(program, "--help")
    assert help_run.returncode == 0
    for option in ("--out-dir", "--quiet", "--jobs", "--recursive", "--force", "-o"):
        assert option in help_run.stdout
    assert cli(program, "-h").stdout == help_run.stdout
    # On/off flags read as flags, not as options taking a value.
    assert re.search(r"^\s+--force\s+Convert even", help_run.stdout, re.M)
    assert "<bool>" not in help_run.stdout
    version = cli(program, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"{program} 0.1.0"


@pytest.mark.parametrize("program", PROGRAMS)
def test_shell_completion_script(program):
    import os
    import subprocess
    import sys
    from pathlib import Path

    # The installed command, as a shell completes it. The shell is named, not detected from
    # the test's parent process (make runs under sh, which typer does not complete for).
    command = Path(sys.executable).with_name(program)
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    run = subprocess.run([str(command), "--show-completion", "bash"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert f"complete -o default -F _{program}_completion {program}" in run.stdout


def test_choices_in_help_come_from_the_registries(cli):
    from audio2text.outputs import FORMATS
    from text2audio.voices import VOICES

    audio_help = " ".join(cli("audio2text", "-h").stdout.split())
    assert all(f"{name} ({output.description})" in audio_help for name, output in FORMATS.items())
    text_help = " ".join(cli("text2audio", "-h").stdout.split())
    assert "|".join(VOICES) in text_help


@pytest.mark.parametrize("program, name", [("audio2text", "missing.mp3"), ("text2audio", "missing.md")])
def test_missing_input_is_one_line_exit_1(cli, tmp_path, program, name):
    run = cli(program, tmp_path / name, "--out-dir", tmp_path / "out")
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: {tmp_path / name}: no such file or folder"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("program, args", [
    ("audio2text", ["x.mp3", "--format", "docx"]),
    ("audio2text", ["x.mp3", "--jobs", "0"]),
    ("text2audio", ["x.md", "--engine", "siri"]),
    ("text2audio", ["x.md", "--date", "yesterday"]),
    ("audio2text", ["x.mp3", "--no-such-option"]),
    ("audio2text", ["x.mp3", "-o", "x.docx"]),
    ("text2audio", ["x.md", "-o", "x.docx"]),
])
def test_usage_errors_exit_2(cli, program, args):
    run = cli(program, *args)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("engine, voice", [("pyttsx3", "zzz"), ("piper", "missing-voice.onnx")])
def test_an_unknown_voice_is_a_usage_error_not_the_inputs_fault(cli, tmp_path, engine, voice):
    from tests.conftest import SAMPLES

    roundup = SAMPLES / "roundups" / "model-news-numbered.txt"
    run = cli("text2audio", roundup, "--engine", engine, "--voice", voice, "-o", tmp_path / "ep.mp3")
    assert run.returncode == 2, run.stderr
    assert "Invalid value for --voice" in run.stderr and str(roundup) not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_model_names_the_choices(cli, tmp_path):
    from tests.audio_fixtures import tone_wav

    audio = tone_wav(tmp_path / "tone.wav", seconds=2)
    run = cli("audio2text", audio, "--model", "huge-v9", "-o", tmp_path / "a.md")
    assert run.returncode == 1
    assert "unknown model 'huge-v9'" in run.stderr and "tiny.en, base" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.md").exists()


def test_traceback_only_when_asked(cli, tmp_path):
    from tests.audio_fixtures import tone_wav

    audio = tone_wav(tmp_path / "tone.wav", seconds=2)
    quiet = cli("audio2text", audio, "--model", "nope", "-o", tmp_path / "a.md")
    loud = cli("audio2text", audio, "--model", "nope", "-o", tmp_path / "a.md", env={"CONVERTER_TRACEBACK": "1"})
    assert "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr and "ConversionError" in loud.stderr


def run_in_terminal(*command, cwd) -> str:
    """Everything a command writes to a pseudo-terminal, as a user at one would see it."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", *map(str, command)], cwd=cwd, env=env,
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the command exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    assert process.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_quiet_silences_it(tmp_path):
    from tests.conftest import ROOT, SAMPLES

    roundup = SAMPLES / "roundups" / "top-stories-quick-hits.txt"
    shown = run_in_terminal("text2audio", roundup, "-o", tmp_path / "a.mp3", cwd=ROOT)
    assert "all files (1)" in shown and "top-stories-quick-hits.txt" in shown
    assert "0:00:" in shown  # elapsed and remaining columns
    quiet = run_in_terminal("text2audio", roundup, "-o", tmp_path / "b.mp3", "--quiet", cwd=ROOT)
    assert quiet.strip() == ""
