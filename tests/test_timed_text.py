"""Subtitles read back by real parsers (srt, webvtt-py) and held to the common guidelines:
two lines of at most 42 characters, at least 1 s on screen, at most 20 characters/s."""

import html
import io

import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.model import Episode, Paragraph, Section, Sentence
from episodekit.timed_text import to_srt, to_vtt

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
sentence_words = st.lists(word, min_size=1, max_size=40)


@st.composite
def spoken_episodes(draw):
    """Sentences spoken at 8 to 18 characters a second with pauses of 0.3 s or more,
    as both the voices and Whisper's timings give them."""
    sentences, at = [], 0.0
    for words in draw(st.lists(sentence_words, min_size=1, max_size=25)):
        text = " ".join(words).capitalize() + "."
        seconds = len(text) / draw(st.floats(min_value=8, max_value=18))
        sentences.append(Sentence(text, round(at, 3), round(at + seconds, 3)))
        at += seconds + draw(st.floats(min_value=0.3, max_value=2.0))
    return Episode("T", (Section("s", "S", paragraphs=(Paragraph(tuple(sentences)),)),))


def _srt_cues(episode):
    return [((s.end - s.start).total_seconds(), s.content.split("\n")) for s in srt.parse(to_srt(episode))]


@settings(max_examples=60, deadline=None)
@given(spoken_episodes())
def test_cues_keep_the_guidelines_wherever_the_speech_allows(episode):
    cues = _srt_cues(episode)
    for seconds, lines in cues:
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
        assert seconds >= 1.0, (seconds, lines)
        assert len(" ".join(lines)) / seconds <= 20.0, (seconds, lines)
    # Every word is shown once, in order.
    assert " ".join(" ".join(lines) for _, lines in cues).split() == " ".join(
        s.text for s in episode.sentences).split()


@settings(max_examples=30, deadline=None)
@given(spoken_episodes())
def test_srt_and_webvtt_carry_the_same_cues_without_overlaps(episode):
    subtitles = list(srt.parse(to_srt(episode)))
    captions = list(webvtt.from_buffer(io.StringIO(to_vtt(episode))))
    def vtt_clock(delta):
        return srt.timedelta_to_srt_timestamp(delta).replace(",", ".")

    assert [(c.start, c.end) for c in captions] == [(vtt_clock(s.start), vtt_clock(s.end)) for s in subtitles]
    assert [c.lines for c in captions] == [s.content.split("\n") for s in subtitles]
    assert all(a.end <= b.start for a, b in zip(subtitles, subtitles[1:]))


def test_markup_characters_are_escaped_in_webvtt():
    text = "Use <b> & --> arrows & R&D."
    episode = Episode("T", (Section("s", "S", paragraphs=(Paragraph((Sentence(text, 0.0, 3.0),)),)),))
    captions = list(webvtt.from_buffer(io.StringIO(to_vtt(episode))))
    assert html.unescape(" ".join(c.text for c in captions).replace("\n", " ")) == text
    assert [s.content for s in srt.parse(to_srt(episode))] == [text]


def test_a_short_answer_is_held_into_the_pause_after_it():
    episode = Episode("T", (Section("s", "S", paragraphs=(Paragraph((
        Sentence("Yes.", 1.0, 1.3), Sentence("That is what we found in the second study.", 3.0, 5.5))),)),))
    (first, _), (second, _) = _srt_cues(episode)
    assert first == 1.0 and second == 2.5
