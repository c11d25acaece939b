"""Outputs made of timings: SRT and WebVTT subtitles, Podcasting 2.0 chapters, plain transcript.

Subtitle cues follow the common guidelines (the BBC's and Netflix's): at most two lines
of at most 42 characters, on screen for at least a second and read at no more than 20
characters a second. Sentences are cut into as few cues of even length as fit, each
timed by its share of the sentence's characters; a cue too short or too fast to read is
merged with the next one when the two fit in two lines, else held on into the pause
after it or shown while the next one waits a moment. The files themselves are written
by the ``srt`` and ``webvtt-py`` libraries.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass

import srt
import webvtt

from .model import Episode, Sentence, speaker_turns
from .timecode import clock

CHAPTERS_VERSION = "1.2.0"


@dataclass(frozen=True)
class SubtitleRules:
    """The limits every cue keeps where the speech allows it."""

    line_chars: int = 42
    lines: int = 2
    min_seconds: float = 1.0
    max_chars_per_second: float = 20.0
    max_lag: float = 0.5  # how late a cue may appear so that the one before it can be read


RULES = SubtitleRules()


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # one line of words; broken into lines when written

    @property
    def lines(self) -> list[str]:
        return wrap(self.text, RULES)

    @property
    def chars_per_second(self) -> float:
        return len(self.text) / max(self.end - self.start, 1e-3)


def wrap(text: str, rules: SubtitleRules = RULES) -> list[str]:
    """Lines of at most ``rules.line_chars``: as few as possible, and when two, as even
    as possible (a short second line is hard to read). A word longer than a line stands
    on a line of its own."""
    words = text.split()
    lines: list[str] = []
    for word in words:  # greedy fill: the fewest lines
        if lines and len(lines[-1]) + 1 + len(word) <= rules.line_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) == 2:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        fitting = [s for s in splits if max(map(len, s)) <= rules.line_chars]
        if fitting:
            lines = list(min(fitting, key=lambda s: abs(len(s[0]) - len(s[1]))))
    return lines


def _fits(text: str, rules: SubtitleRules) -> bool:
    return len(wrap(text, rules)) <= rules.lines


def _pieces(words: list[str], rules: SubtitleRules) -> list[str]:
    """The words in as few cues as fit, as even in length as possible: "...in a
    rack." is not left as a last cue of two words."""
    greedy: list[str] = []
    for word in words:
        if greedy and _fits(f"{greedy[-1]} {word}", rules):
            greedy[-1] += " " + word
        else:
            greedy.append(word)
    count = len(greedy)
    if count < 2:
        return greedy

    # best[k][i]: (longest piece, pieces) splitting words[:i] into k fitting pieces.
    @functools.lru_cache(maxsize=None)
    def best(k: int, i: int):
        if k == 1:
            text = " ".join(words[:i])
            return (len(text), (text,)) if _fits(text, rules) else None
        options = []
        for j in range(k - 1, i):
            head, tail = best(k - 1, j), " ".join(words[j:i])
            if head and _fits(tail, rules):
                options.append((max(head[0], len(tail)), head[1] + (tail,)))
        return min(options) if options else None

    found = best(count, len(words))
    return list(found[1]) if found else greedy


def _sentence_cues(sentence: Sentence, rules: SubtitleRules) -> list[Cue]:
    """The sentence in cues that each fit the lines, timed by their share of its characters."""
    pieces = _pieces(sentence.text.split(), rules)
    total = sum(len(p) for p in pieces) or 1
    span = max(sentence.end - sentence.start, 0.0)
    cues, at = [], sentence.start
    for piece in pieces:
        length = span * len(piece) / total
        cues.append(Cue(at, at + length, piece))
        at += length
    return cues


def _reading_seconds(text: str, rules: SubtitleRules) -> float:
    return max(rules.min_seconds, len(text) / rules.max_chars_per_second)


def cues(episode: Episode, rules: SubtitleRules = RULES) -> list[Cue]:
    """The episode's subtitle cues, in time order, without overlaps."""
    raw = [cue for s in episode.sentences if s.start is not None and s.end is not None
           for cue in _sentence_cues(s, rules)]
    merged: list[Cue] = []
    for cue in raw:
        previous = merged[-1] if merged else None
        # A cue that even the pause after it cannot make readable takes the next one in.
        if (previous and previous.start + _reading_seconds(previous.text, rules) > cue.start
                and _fits(f"{previous.text} {cue.text}", rules)):
            merged[-1] = Cue(previous.start, cue.end, f"{previous.text} {cue.text}")
        else:
            merged.append(cue)
    # Each cue stays up long enough to be read: into the pause after it, or, where the
    # next one follows at once, by showing the next up to ``rules.max_lag`` late. Times
    # are whole milliseconds, as the files carry them; reading time is rounded up.
    timed: list[Cue] = []
    for cue in merged:
        start = round(cue.start, 3)
        if timed and timed[-1].end > start:
            start = min(timed[-1].end, round(cue.start + rules.max_lag, 3))
            if timed[-1].end > start:
                timed[-1] = Cue(timed[-1].start, start, timed[-1].text)
        end = max(round(cue.end, 3), start + math.ceil(_reading_seconds(cue.text, rules) * 1000) / 1000)
        timed.append(Cue(start, end, cue.text))
    return timed


def to_srt(episode: Episode) -> str:
    subtitles = [srt.Subtitle(index=n, start=dt.timedelta(seconds=round(c.start, 3)),
                              end=dt.timedelta(seconds=round(c.end, 3)), content="\n".join(c.lines))
                 for n, c in enumerate(cues(episode), start=1)]
    return srt.compose(subtitles, reindex=False)


def to_vtt(episode: Episode) -> str:
    # WebVTT reads '&' and '<' as markup and '-->' as a timing line: the text is escaped.
    def escape(line: str) -> str:
        return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    captions = [webvtt.Caption(clock(c.start, millis_sep="."), clock(c.end, millis_sep="."),
                               [escape(line) for line in c.lines])
                for c in cues(episode)]
    return webvtt.WebVTT(captions=captions).content


def to_chapters(episode: Episode) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0): one chapter per timed section."""
    chapters = []
    for section in episode.sections:
        if section.start is None:
            continue
        chapter = {"startTime": round(section.start, 3), "title": section.title}
        if section.end is not None:
            chapter["endTime"] = round(section.end, 3)
        chapters.append(chapter)
    doc = {"version": CHAPTERS_VERSION, "chapters": chapters}
    if episode.title:
        doc["title"] = episode.title
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_transcript(episode: Episode) -> str:
    """Plain text of only the words that were said: one paragraph a block, the speaker's
    name before each turn where it is known. No title or headings: those are the
    article's words, not the speakers'."""
    paragraphs = (paragraph for section in episode.sections for paragraph in section.paragraphs)
    blocks = [f"{speaker}: {paragraph.text}" if speaker else paragraph.text
              for speaker, paragraph in speaker_turns(paragraphs)]
    return "\n\n".join(blocks) + "\n" if blocks else ""
