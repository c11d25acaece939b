"""The glossary: terms handed to Whisper as hotwords, from a built-in list and --glossary FILE."""

import re

import pytest

from audio2text.glossary import MAX_PROMPT_CHARS, built_in, hotwords, parse_terms
from tests.conftest import SAMPLES, run_cli


def test_terms_are_one_per_line_without_comments_blanks_or_repeats():
    text = "# our show's names\nFernleaf\n\n  Daniel   Okafor \nFernleaf\n#Skipped\n"
    assert parse_terms(text) == ("Fernleaf", "Daniel Okafor")


def test_hotwords_keep_the_users_terms_first_and_fit_whispers_prompt():
    terms = ("Fernleaf",) + tuple(f"Name{i}" for i in range(500))
    prompt = hotwords(terms + built_in())
    assert prompt.startswith("Fernleaf, Name0, ")
    assert len(prompt) <= MAX_PROMPT_CHARS
    assert hotwords(()) is None


def test_the_built_in_list_names_the_field():
    assert {"Anthropic", "Claude", "GitHub"} <= set(built_in())


def test_an_unreadable_glossary_is_a_usage_error(tmp_path):
    run = run_cli("audio2text", SAMPLES / "episodes" / "founders-interview.mp3", "-o", tmp_path / "a.md",
                  "--glossary", tmp_path / "missing.txt")
    assert run.returncode == 2, run.stderr
    assert "missing.txt" in run.stderr and "cannot read the glossary" in run.stderr
    assert not (tmp_path / "a.md").exists()


@pytest.mark.slow
def test_a_glossary_name_is_heard_right(tmp_path):
    """The interview's guest is Daniel Okafor: tiny.en hears his surname only when told it."""
    glossary = tmp_path / "names.txt"
    glossary.write_text("Okafor\n")
    heard = {}
    for name, extra in (("plain", ()), ("told", ("--glossary", glossary))):
        target = tmp_path / f"{name}.txt"
        run = run_cli("audio2text", SAMPLES / "episodes" / "founders-interview.mp3", "-o", target, "--quiet", *extra)
        assert run.returncode == 0, run.stderr
        heard[name] = len(re.findall(r"\bOkafor\b", target.read_text()))
    assert heard["plain"] == 0 and heard["told"] >= 1, heard
