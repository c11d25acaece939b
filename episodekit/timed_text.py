"""Outputs made of timings: SRT and WebVTT cues, Podcasting 2.0 chapters, plain transcript."""

from __future__ import annotations

import json

from .model import Episode, Sentence
from .timecode import clock

CHAPTERS_VERSION = "1.2.0"
_MAX_CUE_CHARS = 84  # two subtitle lines of about 42 characters


def _cues(episode: Episode) -> list[tuple[float, float, str]]:
    """One cue per timed sentence; long sentences are split into timed pieces."""
    cues = []
    for sentence in episode.sentences:
        if sentence.start is None or sentence.end is None:
            continue
        cues.extend(_split_cue(sentence))
    return cues


def _split_cue(sentence: Sentence) -> list[tuple[float, float, str]]:
    words = sentence.text.split()
    pieces, line = [], []
    for word in words:
        if line and len(" ".join(line + [word])) > _MAX_CUE_CHARS:
            pieces.append(" ".join(line))
            line = []
        line.append(word)
    if line:
        pieces.append(" ".join(line))
    total = sum(len(p) for p in pieces) or 1
    span = max(sentence.end - sentence.start, 0.0)
    cues, at = [], sentence.start
    for piece in pieces:
        length = span * len(piece) / total
        cues.append((at, at + length, piece))
        at += length
    return cues


def _wrap(text: str) -> str:
    """Break a cue into two balanced lines when it is longer than one."""
    if len(text) <= _MAX_CUE_CHARS // 2:
        return text
    words, best = text.split(), None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        score = abs(len(first) - len(second))
        if best is None or score < best[0]:
            best = (score, f"{first}\n{second}")
    return best[1] if best else text


def to_srt(episode: Episode) -> str:
    blocks = [
        f"{n}\n{clock(start, millis_sep=',')} --> {clock(end, millis_sep=',')}\n{_wrap(text)}"
        for n, (start, end, text) in enumerate(_cues(episode), start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def to_vtt(episode: Episode) -> str:
    blocks = ["WEBVTT"]
    for start, end, text in _cues(episode):
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        safe = safe.replace("-->", "→")
        blocks.append(f"{clock(start, millis_sep='.')} --> {clock(end, millis_sep='.')}\n{_wrap(safe)}")
    return "\n\n".join(blocks) + "\n"


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
    """Plain text: the title, then each section's heading and paragraphs."""
    lines = [episode.title, ""]
    for section in episode.sections:
        lines += [section.title, ""]
        for paragraph in section.paragraphs:
            lines += [paragraph.text, ""]
    return "\n".join(lines).rstrip() + "\n"
