"""What the transcription stage hands to the text stages: timed words and segments, and the
one rule for joining the pieces Whisper splits words into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional


@dataclass(frozen=True)
class Word:
    text: str  # as Whisper returns it, usually with a leading space
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()
    compression_ratio: float = 0.0  # of the text, as Whisper measures it: high when a decode loops
    speaker: Optional[str] = None  # from a transcript's "<v Name>" tag or "Name:" prefix


@dataclass(frozen=True)
class Transcript:
    segments: tuple[Segment, ...]
    language: str
    duration: float  # seconds of audio
    model: str  # a short name such as "tiny.en", or the model folder
    # False when the times were estimated from the words (a plain-text transcript).
    timed: bool = True

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)


def whole_words(words: Iterable[Word]) -> list[tuple[str, float, float]]:
    """Whisper starts each word with a space; a piece without one (",000" after "500",
    "%" after "62", "-out" after "held") is the rest of the word before it."""
    whole: list[tuple[str, float, float]] = []
    for word in words:
        if whole and word.text[:1] not in ("", " ") and word.text.strip():
            text, start, _ = whole[-1]
            whole[-1] = (text + word.text.strip(), start, word.end)
        else:
            whole.append((word.text.strip(), word.start, word.end))
    return whole
