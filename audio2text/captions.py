"""Transcripts a user already has, read as if Whisper had heard them.

Hosts publish SRT or WebVTT transcripts, YouTube gives captions, Descript exports text.
Each cue becomes a segment with its own times; its words share the cue's time evenly. A
speaker comes from a WebVTT ``<v Name>`` tag or a ``Name:`` prefix, and holds until the
next one names somebody else (a long turn spans many cues that name nobody). Plain text
has no times: each word is given the time a host takes to say it, and the transcript
says its times are estimated, so the outputs can say so too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional

import srt
import webvtt

from episodekit.errors import ConversionError

from hearing.transcript import Segment, Transcript

SUFFIXES = (".srt", ".vtt", ".txt")
# 150 words a minute: the rate conversational hosts speak at, and the rate the
# transcript corpus's estimated times use.
WORDS_PER_SECOND = 2.5
MODEL_NAME = "transcript"

# "Wes Bos: ..." or "SPEAKER 1: ...": a name of up to four words, then a colon.
# Lower-case openings ("note: ...", "so: ...") are speech, not a speaker.
_PREFIX = re.compile(r"^\s*(?P<name>(?:[A-Z][\w.'-]*|\d+)(?: (?:[A-Z][\w.'-]*|\d+)){0,3}):\s+(?P<text>\S.*)$", re.S)
# Descript and Otter put the time after the name: "Jane Doe (00:01:02):".
_PREFIX_TIME = re.compile(r"\s*[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]\s*")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


def read_transcript(path: Path, language: str = "en") -> Transcript:
    """A transcript file as a Transcript; ConversionError names what is wrong."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConversionError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ConversionError(path, error.strerror or str(error)) from None
    suffix = path.suffix.lower()
    if suffix == ".srt":
        segments, timed = _srt_segments(path, raw), True
    elif suffix == ".vtt":
        segments, timed = _vtt_segments(path, raw), True
    elif suffix == ".txt":
        segments, timed = _text_segments(raw), False
    else:
        raise ConversionError(path, f"is not a transcript ({', '.join(SUFFIXES)})")
    segments = tuple(s for s in segments if s.text)
    if not segments:
        raise ConversionError(path, "holds no spoken words")
    return Transcript(segments, language=language, duration=max(s.end for s in segments),
                      model=MODEL_NAME, timed=timed)


def _srt_segments(path: Path, raw: str) -> list[Segment]:
    try:
        cues = list(srt.parse(raw))
    except (srt.SRTParseError, ValueError) as error:
        raise ConversionError(path, f"is not valid SRT ({str(error).splitlines()[0]})") from None
    return _with_speakers((c.content, None, c.start.total_seconds(), c.end.total_seconds()) for c in cues)


def _vtt_segments(path: Path, raw: str) -> list[Segment]:
    import io

    try:
        captions = webvtt.from_buffer(io.StringIO(raw)).captions
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as error:
        raise ConversionError(path, f"is not valid WebVTT ({error})") from None
    rows = []
    for caption in captions:
        voice = _VOICE.search(caption.raw_text)
        rows.append((_TAG.sub("", caption.raw_text), voice.group(1).strip() if voice else None,
                     caption.start_in_seconds, caption.end_in_seconds))
    return _with_speakers(rows)


def _with_speakers(cues: Iterable[tuple[str, Optional[str], float, float]]) -> list[Segment]:
    """Segments with the speaker named by a tag or a prefix, held until the next one."""
    rows = [(" ".join(text.split()), voice, float(start), float(end)) for text, voice, start, end in cues]
    names = _speaker_names(text for text, *_ in rows)
    segments, speaker = [], None
    for text, voice, start, end in rows:
        named, text = split_speaker(text, names)
        speaker = voice or named or speaker
        segments.append(Segment(text=text, start=start, end=max(end, start), speaker=speaker))
    return segments


def _speaker_names(texts: Iterable[str]) -> set[str]:
    """Names that open at least two turns: "Python: it's fast" once is speech, while a
    speaker's name leads every turn they take."""
    counts: dict[str, int] = {}
    for text in texts:
        match = _PREFIX.match(_PREFIX_TIME.sub(" ", text, count=1))
        if match:
            counts[match.group("name")] = counts.get(match.group("name"), 0) + 1
    return {name for name, n in counts.items() if n >= 2}


def split_speaker(text: str, names: set[str]) -> tuple[Optional[str], str]:
    """("Jane Doe", "Hello.") from "Jane Doe: Hello." when Jane Doe is one of ``names``;
    (None, text) otherwise."""
    match = _PREFIX.match(_PREFIX_TIME.sub(" ", text, count=1))
    if not match or match.group("name") not in names:
        return None, text
    return match.group("name"), " ".join(match.group("text").split())


def _text_segments(raw: str) -> list[Segment]:
    """One segment per paragraph (or per line, where no blank line separates them),
    timed at the speaking rate."""
    blocks = [b for b in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if b.strip()]
    if len(blocks) == 1:
        blocks = [line for line in blocks[0].splitlines() if line.strip()]
    blocks = [" ".join(b.split()) for b in blocks]
    names = _speaker_names(blocks)
    segments, speaker, clock = [], None, 0.0
    for block in blocks:
        named, text = split_speaker(block, names)
        speaker = named or speaker
        seconds = len(text.split()) / WORDS_PER_SECOND
        segments.append(Segment(text=text, start=round(clock, 3), end=round(clock + seconds, 3), speaker=speaker))
        clock += seconds
    return segments
