"""What the transcription stage hands to the text stages: timed words and segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


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
