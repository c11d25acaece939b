"""Transcripts as input: SRT, WebVTT and plain text become the article without Whisper, with
their speakers, and the outputs say when the times were estimated."""

from __future__ import annotations

import json
import re
import frontmatter
import pytest

from audio2text.pipeline import convert, transcribe_file
from episodekit.markdown import parse_markdown, render_markdown
from episodekit.model import Episode, Paragraph, Section, Sentence
from episodekit.timed_text import to_transcript
from tests.conftest import run_cli

ALL_FORMATS = "md,html,json,txt,srt,vtt,chapters"
SUFFIXES = (".md", ".html", ".json", ".txt", ".srt", ".vtt", ".chapters.json")

# Two hosts, two stories: a community tool library, then a repair night for bicycles.
TURNS = [
    ("Ines Parra", "Welcome to Street Level, the show about small projects that change a neighbourhood. "
                   "I'm Ines Parra, and with me as always is Kofi Mensah."),
    ("Kofi Mensah", "Hello everyone. Today we have two stories, a tool library and a repair night."),
    ("Ines Parra", "Let's start with the tool library. A group of neighbours in Harlow Street turned an old "
                   "garage into a lending shelf for drills, ladders and saws."),
    ("Kofi Mensah", "Members pay nothing. They sign a card, borrow a tool for a week and bring it back "
                    "cleaned. The shelf now holds more than two hundred tools."),
    ("Ines Parra", "The organisers say the busiest item is the pressure washer, which is out almost every "
                   "weekend in spring."),
    ("Kofi Mensah", "Our second story is a bicycle repair night at the public library on Canal Road. "
                    "Volunteers fix brakes, chains and punctures for free every Thursday evening."),
    ("Ines Parra", "They fixed ninety bikes last month, and they teach people to patch a tube themselves, "
                   "so the next flat tyre is not the end of the ride."),
    ("Kofi Mensah", "That's all for this week. Thanks for listening to Street Level, and see you next time."),
]


def _clock(seconds: float, sep: str) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}{sep}000"


def _cues():
    """(speaker, text, start, end): each turn at 2.5 words a second, a second apart."""
    at = 0.0
    for speaker, text in TURNS:
        length = len(text.split()) // 2.5 + 1
        yield speaker, text, at, at + length
        at += length + 1


def write_vtt(path):
    cues = [f"{_clock(a, '.')} --> {_clock(b, '.')}\n<v {who}>{text}" for who, text, a, b in _cues()]
    path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n")
    return path


def write_srt(path):
    cues = [f"{n}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{who}: {text}"
            for n, (who, text, a, b) in enumerate(_cues(), start=1)]
    path.write_text("\n\n".join(cues) + "\n")
    return path


def write_txt(path):
    path.write_text("\n\n".join(f"{who}: {text}" for who, text in TURNS) + "\n")
    return path


def _outputs(out, stem):
    return {suffix: (out / f"{stem}{suffix}") for suffix in SUFFIXES}


def _paragraph_speakers(markdown_text: str) -> list[str]:
    return re.findall(r"^\*\*([^*]+):\*\* ", frontmatter.loads(markdown_text).content, re.M)


def test_webvtt_voices_become_an_article_in_every_format(tmp_path):
    talk = write_vtt(tmp_path / "talk.vtt")
    out = tmp_path / "out"
    # No ffmpeg on the PATH: a transcript is read, never decoded or heard.
    run = run_cli("audio2text", talk, "--format", ALL_FORMATS, "--out-dir", out, env={"PATH": str(tmp_path / "bin")})
    assert run.returncode == 0, run.stderr
    files = _outputs(out, "talk")
    assert all(f.stat().st_size > 0 for f in files.values())

    episode = json.loads(files[".json"].read_text())
    sentences = [s for sec in episode["sections"] for p in sec["paragraphs"] for s in p["sentences"]]
    assert {s["speaker"] for s in sentences} == {"Ines Parra", "Kofi Mensah"}
    # Cue times are the timestamps: every sentence within the cues' span, in order.
    last_end = max(b for *_, b in _cues())
    assert all(0 <= s["start"] <= s["end"] <= last_end for s in sentences)
    assert [s["start"] for s in sentences] == sorted(s["start"] for s in sentences)
    assert "times" not in episode["metadata"]

    # Speakers shown where their turns start, in the article, on the page and in the transcript.
    assert _paragraph_speakers(files[".md"].read_text())[:2] == ["Ines Parra", "Kofi Mensah"]
    assert '<strong class="speaker">Kofi Mensah:</strong>' in files[".html"].read_text()
    named = re.findall(r"^(Ines Parra|Kofi Mensah): ", files[".txt"].read_text(), re.M)
    assert named == [who for who, _ in TURNS]
    # No audio beside it and no --audio-url: no player, said once.
    assert "<audio" not in files[".html"].read_text()
    assert run.stderr.count("warning: ") == 1
    assert f"warning: {talk}: no audio named talk.* beside it and no --audio-url: the page has no player" in run.stderr

    assert re.search(r"^00:00:0\d\.\d{3} --> ", files[".vtt"].read_text(), re.M)
    assert json.loads(files[".chapters.json"].read_text())["chapters"][0]["startTime"] == 0.0


def test_srt_name_prefixes_and_the_audio_beside_it_play_in_the_page(tmp_path):
    talk = write_srt(tmp_path / "street-level.srt")
    (tmp_path / "street-level.mp3").write_bytes(b"the episode's audio, published with the page")
    run = run_cli("audio2text", talk, "--format", "md,html,vtt,txt", "--quiet")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # the page is beside its audio: nothing to warn about
    files = _outputs(tmp_path, "street-level")
    page = files[".html"].read_text()
    assert '<audio id="player" controls preload="metadata" src="street-level.mp3">' in page
    assert '<track kind="captions" src="street-level.vtt"' in page
    post = frontmatter.loads(files[".md"].read_text())
    assert post["audio"] == "street-level.mp3" and "times" not in post.keys()
    # The prefixes are speakers, not words: the text carries each name once per turn.
    assert _paragraph_speakers(files[".md"].read_text())[:2] == ["Ines Parra", "Kofi Mensah"]
    assert "Ines Parra: Ines Parra" not in files[".txt"].read_text()


def test_plain_text_times_are_estimated_and_the_outputs_say_so(tmp_path):
    talk = write_txt(tmp_path / "notes.txt")
    out = tmp_path / "out"
    run = run_cli("audio2text", talk, "--format", "md,html,json,txt", "--out-dir", out,
                  "--audio-url", "https://cdn.example.org/notes.mp3", "--quiet")
    assert run.returncode == 0, run.stderr
    assert "no player" not in run.stderr
    files = _outputs(out, "notes")
    assert frontmatter.loads(files[".md"].read_text())["times"] == "estimated"
    assert json.loads(files[".json"].read_text())["metadata"]["times"] == "estimated"
    page = files[".html"].read_text()
    assert "times estimated from the words" in page and 'src="https://cdn.example.org/notes.mp3"' in page
    # The plain transcript written back is the words that were said, turn by turn.
    blocks = files[".txt"].read_text().strip().split("\n\n")
    assert blocks[0].startswith("Ines Parra: Welcome to Street Level")
    assert [b.split(":")[0] for b in blocks if re.match(r"^[A-Z]\w+ \w+: ", b)][:2] == ["Ines Parra", "Kofi Mensah"]


def test_a_folder_mixes_audio_and_transcripts(tmp_path):
    shows = tmp_path / "shows"
    (shows / "older").mkdir(parents=True)
    write_vtt(shows / "one.vtt")
    write_srt(shows / "older" / "two.srt")
    write_txt(shows / "older" / "three.txt")
    # An episode with its subtitles beside it: the audio is the episode (here not audio at
    # all, so it fails quickly), and its subtitles are not a second episode.
    (shows / "four.mp3").write_text("not audio")
    write_vtt(shows / "four.vtt")
    out = tmp_path / "out"
    run = run_cli("audio2text", shows, "-r", "--out-dir", out)
    assert run.returncode == 1
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert made == ["older/three.md", "older/two.md", "one.md"]
    assert "3 converted, 0 skipped (up to date), 1 failed" in run.stderr
    assert f"failed: {shows / 'four.mp3'}: not audio ffmpeg can read" in run.stderr


def test_the_library_reads_a_transcript_given_as_a_string(tmp_path):
    talk = write_srt(tmp_path / "street-level.srt")
    (tmp_path / "street-level.ogg").write_bytes(b"audio published beside the page")
    said = []
    episode = convert(str(talk), {"html": tmp_path / "page.html"}, on_warning=said.append)
    assert said == [] and episode.metadata["model"] == "transcript" and "warnings" not in episode.metadata
    assert 'src="street-level.ogg"' in (tmp_path / "page.html").read_text()
    assert transcribe_file(str(talk)).sections == episode.sections


def test_a_bad_transcript_is_one_line_and_leaves_nothing(tmp_path):
    talk = tmp_path / "broken.srt"
    talk.write_text("1\nthis is not a time line\nHello.\n")
    run = run_cli("audio2text", talk, "--out-dir", tmp_path / "out")
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {talk}: ") and len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def _dialogue() -> Episode:
    def paragraph(speaker, *texts):
        return Paragraph(tuple(Sentence(t, float(i), float(i) + 1, speaker) for i, t in enumerate(texts)))

    return Episode("Street Level: Tools and Bikes", (
        Section("intro", "In This Episode", "intro", 0.0, 5.0, (paragraph("Ines", "Welcome back."),
                                                               paragraph("Kofi", "Hello."))),
        Section("tools", "A Lending Shelf for Tools", "story", 5.0, 9.0,
                (paragraph("Kofi", "The shelf holds drills.", "And ladders."),
                 paragraph("Kofi", "Members pay nothing."), paragraph("Ines", "Who started it?"))),
    ))


def test_plain_transcript_is_only_the_words_said_with_speakers_per_turn():
    text = to_transcript(_dialogue())
    assert text == ("Ines: Welcome back.\n\nKofi: Hello.\n\nThe shelf holds drills. And ladders.\n\n"
                    "Members pay nothing.\n\nInes: Who started it?\n")
    assert "A Lending Shelf for Tools" not in text and "Street Level" not in text
    unnamed = Episode("T", (Section("s", "Heading", paragraphs=(Paragraph.of("One.", "Two."),
                                                                Paragraph.of("Three."))),))
    assert to_transcript(unnamed) == "One. Two.\n\nThree.\n"


def test_markdown_names_each_turn_once_per_section_and_reads_them_back():
    episode = _dialogue()
    text = render_markdown(episode)
    # A section is where a reader may start: the name again after its heading.
    assert _paragraph_speakers(text) == ["Ines", "Kofi", "Kofi", "Ines"]
    back = parse_markdown(text)
    assert [s.speaker for s in back.sentences] == [s.speaker for s in episode.sentences]
    assert render_markdown(back) == text


@pytest.mark.slow
def test_a_one_hour_transcript_converts_in_seconds(tmp_path):
    """The bench's hour of the samples' scripts as an SRT. The target is under 5 s
    (python -m bench.transcript_input); on a shared machine this only holds off a blow-up."""
    import time

    from bench.transcript_input import FORMATS, write_transcript

    hour = write_transcript(tmp_path / "hour.srt")
    began = time.perf_counter()
    run = run_cli("audio2text", hour, "--format", FORMATS, "--out-dir", tmp_path / "out", "--quiet")
    seconds = time.perf_counter() - began
    assert run.returncode == 0, run.stderr
    episode = json.loads((tmp_path / "out" / "hour.json").read_text())
    assert 3500 < episode["duration"] <= 3700 and len(episode["sections"]) > 3
    assert seconds < 15, seconds
