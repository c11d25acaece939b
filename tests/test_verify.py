"""Checking an episode by ear: the alignment of heard words with the script, and --verify
end to end with the real voice and the bundled Whisper model."""

import json

import pytest

from episodekit.jsonio import episode_from_json
from episodekit.model import Episode, Paragraph, Section, Sentence
from hearing.transcript import Segment, Word
from tests.conftest import run_cli
from text2audio.verify import HeardWord, compare, heard_words, name_words, normalise_for_wer


def _timed(*chapters: tuple[str, list[tuple[str, float, float]]]) -> Episode:
    sections = []
    for title, sentences in chapters:
        paragraph = Paragraph(tuple(Sentence(text, start, end) for text, start, end in sentences))
        sections.append(Section(title.lower(), title, "story", sentences[0][1], sentences[-1][2], (paragraph,)))
    return Episode("Brief", tuple(sections))


def _heard(text: str, start: float = 0.0) -> list[HeardWord]:
    return [HeardWord(w, start + i * 0.5, start + i * 0.5 + 0.4) for i, w in enumerate(text.split())]


EPISODE = _timed(
    ("Corvid", [("Halvorsen Labs released Corvid 3 on Tuesday.", 0.0, 3.0),
                ("It costs 2 dollars per million tokens.", 3.5, 6.0)]),
    ("Archive", [("The publisher Arbor Press sold its archive.", 7.0, 10.0)]),
)


def test_word_error_rate_per_chapter_and_mishearings_names_first():
    heard = (_heard("have awesome labs released corvid three on tuesday", 0.0)
             + _heard("it costs two dollars per billion tokens", 3.5)
             + _heard("the publisher arbor press sold its archive", 7.0))
    report = compare(EPISODE, heard)
    corvid, archive = report["chapters"]
    # "halvorsen" heard as two words: one substitution and one insertion; "million" as "billion".
    assert (corvid["words"], corvid["errors"], corvid["word_error_rate"]) == (14, 3, round(3 / 14, 4))
    assert (archive["words"], archive["errors"], archive["word_error_rate"]) == (7, 0, 0.0)
    assert report["word_error_rate"] == round(3 / 21, 4)
    first, second = report["misheard"]
    assert first == {"expected": "halvorsen", "heard": "have awesome", "kind": "name", "chapter": "Corvid",
                     "start": 0.0, "end": 0.9}
    assert (second["expected"], second["heard"], second["kind"]) == ("million", "billion", "number")
    assert report["names"]["misheard"] == 1 and report["numbers"]["misheard"] == 1


def test_a_word_heard_split_or_joined_is_heard_right():
    episode = _timed(("Phones", [("Pinecrest ships a GGUF file.", 0.0, 3.0)]))
    report = compare(episode, _heard("pine crest ships a g g u f file"))
    assert report["word_error_rate"] == 0.0 and report["misheard"] == []


def test_nothing_heard_is_every_word_missed():
    report = compare(EPISODE, [])
    assert report["word_error_rate"] == 1.0
    assert [c["errors"] for c in report["chapters"]] == [14, 7]


def test_names_are_told_from_capitalised_common_words():
    common = {"the", "first", "up", "ships", "with", "million", "token", "memory", "elsewhere", "labs",
              "press"}.__contains__
    names = name_words([
        "First up: Halvorsen Labs Ships Corvid 3 With a Million-Token Memory.",
        "Halvorsen Labs released it on Tuesday.",
        "Elsewhere, the labs at Arbor Press sold the AI rights to OpenAI.",
    ], common)
    assert names == {"halvorsen", "corvid", "tuesday", "arbor", "press", "ai", "openai"}


def test_heard_words_join_whisper_pieces_and_read_numbers_as_words():
    words = [Word(" It", 0.0, 0.2), Word(" raised", 0.2, 0.5), Word(" $48", 0.5, 0.9), Word(" million,", 0.9, 1.3),
             Word(" up", 1.3, 1.5), Word(" 62", 1.5, 1.8), Word("%.", 1.8, 2.0)]
    heard = heard_words([Segment("It raised $48 million, up 62%.", 0.0, 2.0, tuple(words))])
    assert [w.text for w in heard] == normalise_for_wer("It raised 48 million dollars, up 62 percent").split()
    assert heard[2].start == 0.5 and heard[-1].end == 2.0


def test_text2audio_hears_through_the_shared_package_not_audio2text():
    """--verify listens with hearing/, which both sides use: text2audio imports nothing of
    audio2text, at module level or inside a function."""
    import ast
    import subprocess
    import sys
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "text2audio"
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "audio2text"]
    assert found == []
    assert len(list(package.rglob("*.py"))) > 10  # the walk saw the package
    # And at run time: every text2audio module (but the command's __main__) loaded, and
    # verify's joining of heard words run, with no audio2text module among them.
    probe = ("import pkgutil, importlib, sys, text2audio\n"
             "for m in pkgutil.walk_packages(text2audio.__path__, 'text2audio.'):\n"
             "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
             "sys.modules['text2audio.verify'].heard_words([])\n"
             "assert 'hearing.transcript' in sys.modules\n"
             "print(sorted(n for n in sys.modules if n.split('.')[0] == 'audio2text'))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


ROUNDUP = """# Tiny Roundup

## Halvorsen Labs ships Corvid 3

Halvorsen Labs released Corvid 3 on Tuesday. It reads a million tokens and costs 2 dollars.

## Veltrix delays its card

Veltrix pushed its inference card back to next spring.
"""


@pytest.mark.slow
def test_verify_writes_a_word_error_rate_for_every_chapter(tmp_path):
    roundup = tmp_path / "roundup.md"
    roundup.write_text(ROUNDUP)
    target = tmp_path / "ep.mp3"
    run = run_cli("text2audio", roundup, "-o", target, "--date", "2026-11-20", "--verify")
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "ep.verify.json").read_text())
    episode = episode_from_json((tmp_path / "ep.json").read_text())
    assert [c["title"] for c in report["chapters"]] == [s.title for s in episode.sections]
    assert all(c["words"] > 0 and 0.0 <= c["word_error_rate"] < 1.0 for c in report["chapters"])
    assert report["model"] == "tiny.en" and 0.0 < report["word_error_rate"] < 0.6
    kinds = [m["kind"] for m in report["misheard"]]
    assert kinds == sorted(kinds, key=("name", "number", "word").index)
    assert all(0.0 <= m["start"] <= m["end"] <= episode.duration for m in report["misheard"])
    (summary,) = [line for line in run.stderr.splitlines() if line.startswith("verified ")]
    assert f"{report['word_error_rate']:.1%}" in summary and "ep.verify.json" in summary

    # A threshold no synthetic voice meets: exit 1, one line naming the report, the report kept.
    run = run_cli("text2audio", roundup, "-o", target, "--date", "2026-11-20", "--verify-max-wer", "0", "--quiet")
    assert run.returncode == 1
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("error: ") and "--verify-max-wer" in line and "ep.verify.json" in line
    assert (tmp_path / "ep.verify.json").exists()
