"""Pronunciations: lexicon files, respelling, and what reaches the voice."""

import pytest
from pydub import AudioSegment

from tests.conftest import run_cli
from text2audio.pronunciation import (STARTER_LEXICON, Lexicon, LexiconError, PronouncingVoice, engine_spelling,
                                      load_lexicon, read_lexicon)
from text2audio.voices.base import Voice


def test_respelling_replaces_whole_terms_only(tmp_path):
    lexicon_file = tmp_path / "names.txt"
    lexicon_file.write_text("# our names\nQwen = chwen\nHugging Face = hugging face  # two words\n\n"
                            "Face = fayce\nGGUF = G G U F\n")
    lexicon = load_lexicon(lexicon_file, starter=False)
    text = "Qwen's GGUF files on Hugging Face; not Qwenlike, not GGUFs, not qwen. Face it."
    assert lexicon.respell(text) == ("chwen's G G U F files on hugging face; not Qwenlike, not GGUFs, not qwen. "
                                     "fayce it.")


def test_a_given_lexicon_wins_over_the_starter(tmp_path):
    starter = read_lexicon(STARTER_LEXICON)
    assert starter and all(term and spoken for term, spoken in starter.items())
    term = next(iter(starter))
    mine = tmp_path / "mine.txt"
    mine.write_text(f"{term} = something else\n")
    assert load_lexicon(mine).respell(term) == "something else"
    assert load_lexicon().respell(term) == starter[term]


def test_stress_capitals_are_for_readers_letters_are_for_the_voice():
    assert engine_spelling("an-THROP-ic") == "an-throp-ic"
    assert engine_spelling("G G U F") == "G G U F"
    assert engine_spelling("ONNX") == "ONNX"


@pytest.mark.parametrize("line", ["no equals sign", "= spoken only", "Term ="])
def test_a_malformed_line_names_the_file_and_line(tmp_path, line):
    lexicon_file = tmp_path / "bad.txt"
    lexicon_file.write_text(f"Qwen = chwen\n\n{line}\n")
    with pytest.raises(LexiconError) as error:
        read_lexicon(lexicon_file)
    assert error.value.path == f"{lexicon_file}:3"


class _Recorder(Voice):
    """Records what it is asked to say: a stand-in for an engine in a test of pure logic."""

    name, sample_rate = "recorder", 16_000

    def __init__(self):
        self.said = []

    def speak(self, sentence):
        self.said.append(sentence)
        return AudioSegment(b"\x00\x10" * 1600, sample_width=2, frame_rate=16_000, channels=1)


def test_the_voice_gets_the_respelling():
    inner = _Recorder()
    voice = PronouncingVoice(inner, Lexicon((("Qwen", "chwen"),)))
    audio = voice.say("Qwen ships.")
    assert inner.said == ["chwen ships."] and len(audio) > 0
    assert (voice.name, voice.sample_rate) == ("recorder", 16_000)


def test_a_bad_lexicon_is_a_usage_error_naming_its_line(tmp_path):
    roundup = tmp_path / "r.md"
    roundup.write_text("# R\n\n## A story\n\nSome text here.\n")
    lexicon_file = tmp_path / "bad.txt"
    lexicon_file.write_text("Qwen = chwen\nbroken\n")
    run = run_cli("text2audio", roundup, "--lexicon", lexicon_file, env={"COLUMNS": "400"})
    assert run.returncode == 2 and f"{lexicon_file}:2" in run.stderr
    assert "Traceback" not in run.stderr
    assert set(tmp_path.iterdir()) == {roundup, lexicon_file}
