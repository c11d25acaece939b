"""The contract every speech engine meets: one sentence of text in, its audio out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
from pydub import AudioSegment

from episodekit.errors import ConversionError

# Samples quieter than this (about -60 dBFS) count as silence: dither, clicks and
# the hiss of a failed synthesis stay below it, speech never does.
SILENCE_AMPLITUDE = 32
# Kept around speech when a sentence's silent edges are trimmed, so that soft
# consonants at either end are not clipped.
EDGE_MARGIN_SECONDS = 0.03


class Voice(ABC):
    """A speech engine set up with one voice and speaking rate."""

    name: str
    sample_rate: int

    @classmethod
    def check_voice(cls, voice: str) -> None:
        """Raise ConversionError when this engine has no voice called ``voice``. A
        wrapper around another voice has no voices of its own to check."""
        return None

    @abstractmethod
    def speak(self, sentence: str) -> AudioSegment:
        """The audio of one sentence."""

    def say(self, sentence: str) -> AudioSegment:
        """``speak`` checked and tidied: mono 16-bit at ``sample_rate``, silent edges
        trimmed so timings mark the speech itself. Raises ConversionError instead of
        ever returning silence, so a broken engine cannot ship a mute episode."""
        try:
            audio = self.speak(sentence)
        except ConversionError:
            raise
        except Exception as exc:  # engines fail in their own ways; report them alike
            raise ConversionError(None, f"{self.name} failed to speak {_quote(sentence)}: {exc}") from exc
        if audio is None or len(audio) == 0:
            raise ConversionError(None, f"{self.name} produced no audio for {_quote(sentence)}")
        audio = audio.set_channels(1).set_sample_width(2).set_frame_rate(self.sample_rate)
        samples = np.frombuffer(audio.raw_data, dtype=np.int16)
        loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_AMPLITUDE)
        if loud.size == 0:
            raise ConversionError(None, f"{self.name} produced only silence for {_quote(sentence)}")
        margin = int(EDGE_MARGIN_SECONDS * self.sample_rate)
        first, last = max(loud[0] - margin, 0), min(loud[-1] + 1 + margin, samples.size)
        return AudioSegment(samples[first:last].tobytes(), sample_width=2, frame_rate=self.sample_rate, channels=1)


def _quote(sentence: str, limit: int = 80) -> str:
    text = " ".join(sentence.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def read_wav(path: Path, sentence: str, engine: str) -> AudioSegment:
    """A WAV file an engine wrote, or a ConversionError when it wrote nothing."""
    try:
        if path.stat().st_size == 0:
            raise FileNotFoundError
    except FileNotFoundError:
        raise ConversionError(None, f"{engine} wrote no audio for {_quote(sentence)}") from None
    # Opened here, so it is closed here: pydub leaves a file it opens itself to the garbage collector.
    with open(path, "rb") as wav:
        return AudioSegment.from_wav(wav)
