"""From a written script to one audio programme, with exact timings.

Every sentence is spoken on its own and placed sample by sample, so each
Sentence.start/end and Section.start/end is exactly where that speech sits in the
returned audio; the WebVTT cues and chapters are made from them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional

import numpy as np
from pydub import AudioSegment
from pydub.exceptions import CouldntDecodeError

from episodekit.errors import ConversionError
from episodekit.model import Episode, Section

from .voices.base import Voice

SENTENCE_PAUSE = 0.35
PARAGRAPH_PAUSE = 0.55
SECTION_PAUSE = 0.9
AFTER_INTRO_STING = 0.4
BEFORE_OUTRO_STING = 0.6

# Levels relative to the speech's RMS level, in dB.
STING_LEVEL = -6.0
BED_UNDER_SPEECH = -24.0
BED_BETWEEN_SPEECH = -12.0
# The bed stays ducked through pauses shorter than this, so it only swells at
# section breaks rather than pumping between sentences.
DUCK_HOLD = 0.6
DUCK_SMOOTHING = 0.3
BED_FADE_IN, BED_FADE_OUT = 2.0, 3.0

HEADROOM = 0.98  # peak of the mix before mastering sets the final loudness

ProgressCallback = Callable[[int, int], None]


def assemble(
    script: Episode,
    voice: Voice,
    *,
    music: str | None = None,
    on_sentence: Optional[ProgressCallback] = None,
) -> tuple[AudioSegment, Episode]:
    """Speak ``script`` with ``voice``; return the audio and the script with timings.

    Sections tile the programme: the first starts at 0 (with the intro sting), each
    later one where its first sentence starts, and the last runs to the end (with the
    outro sting); pauses belong to the section before them.
    """
    rate = voice.sample_rate
    programme = _Programme(rate)
    programme.add_sting(intro_sting(rate))
    programme.add_silence(AFTER_INTRO_STING)

    total = len(script.sentences)
    done = 0
    timed_sections: list[Section] = []
    for section_number, section in enumerate(script.sections):
        if section_number:
            programme.add_silence(SECTION_PAUSE)
        section_start = programme.seconds if section_number else 0.0
        paragraphs = []
        for paragraph_number, paragraph in enumerate(section.paragraphs):
            sentences = []
            for sentence_number, sentence in enumerate(paragraph.sentences):
                if paragraph_number or sentence_number:
                    programme.add_silence(PARAGRAPH_PAUSE if not sentence_number else SENTENCE_PAUSE)
                start = programme.seconds
                if _speakable(sentence.text):
                    programme.add_speech(voice.say(sentence.text))
                sentences.append(replace(sentence, start=start, end=programme.seconds))
                done += 1
                if on_sentence:
                    on_sentence(done, total)
            paragraphs.append(replace(paragraph, sentences=tuple(sentences)))
        timed_sections.append(replace(section, start=section_start, paragraphs=tuple(paragraphs)))

    programme.add_silence(BEFORE_OUTRO_STING)
    programme.add_sting(outro_sting(rate))
    audio = programme.mix(_read_bed(music, rate) if music else None)

    duration = programme.seconds
    ends = [s.start for s in timed_sections[1:]] + [duration]
    timed_sections = [replace(s, end=end) for s, end in zip(timed_sections, ends)]
    return audio, replace(script, sections=tuple(timed_sections), duration=duration)


def _speakable(text: str) -> bool:
    """Stray punctuation (a lone dash, an ellipsis) gets a zero-length timing instead
    of being handed to an engine that would rightly produce silence for it."""
    return any(ch.isalnum() for ch in text)


class _Programme:
    """Blocks of float samples in order, concatenated once at the end: appending
    AudioSegments one by one copies the whole programme each time."""

    def __init__(self, rate: int):
        self.rate = rate
        self.samples = 0
        self._blocks: list[tuple[str, np.ndarray]] = []
        self.speech_spans: list[tuple[int, int]] = []

    @property
    def seconds(self) -> float:
        return self.samples / self.rate

    def _add(self, kind: str, block: np.ndarray) -> None:
        self._blocks.append((kind, block))
        self.samples += block.size

    def add_silence(self, seconds: float) -> None:
        self._add("silence", np.zeros(round(seconds * self.rate), dtype=np.float32))

    def add_sting(self, block: np.ndarray) -> None:
        # float32 like the speech: one float64 block would make the whole mix float64
        self._add("sting", block.astype(np.float32))

    def add_speech(self, audio: AudioSegment) -> None:
        block = np.frombuffer(audio.raw_data, dtype=np.int16).astype(np.float32) / 32768.0
        self.speech_spans.append((self.samples, self.samples + block.size))
        self._add("speech", block)

    def mix(self, bed: Optional[np.ndarray]) -> AudioSegment:
        speech = [b for kind, b in self._blocks if kind == "speech"]
        speech_rms = _rms(np.concatenate(speech)) if speech else 0.1
        sting_gain = speech_rms * _gain(STING_LEVEL)
        signal = np.concatenate(
            [b * (sting_gain / _rms(b)) if kind == "sting" else b for kind, b in self._blocks]
        )
        if bed is not None:
            signal += self._ducked(bed, speech_rms)
        peak = float(np.max(np.abs(signal)))
        if peak > HEADROOM:
            signal *= HEADROOM / peak
        pcm = np.round(signal * 32767.0).astype(np.int16)
        return AudioSegment(pcm.tobytes(), sample_width=2, frame_rate=self.rate, channels=1)

    def _ducked(self, bed: np.ndarray, speech_rms: float) -> np.ndarray:
        """The bed looped to the programme's length, low under speech, fuller in
        the longer pauses, faded in and out."""
        length = self.samples
        looped = np.resize(bed, length) * (speech_rms / _rms(bed))
        step = self.rate // 100  # the gain envelope is computed in 10 ms steps
        steps = length // step + 1
        under_speech = np.zeros(steps, dtype=bool)
        hold = int(DUCK_HOLD * self.rate)
        for start, end in self.speech_spans:
            under_speech[max(start - hold, 0) // step : (end + hold) // step + 1] = True
        gain_db = np.where(under_speech, BED_UNDER_SPEECH, BED_BETWEEN_SPEECH)
        window = max(int(DUCK_SMOOTHING * 100), 1)
        padded = np.pad(gain_db, window, mode="edge")
        gain_db = np.convolve(padded, np.ones(window) / window, mode="same")[window:-window]
        gain = np.interp(np.arange(length), np.arange(steps) * step, _gain(gain_db))
        return looped * gain * _fades(length, self.rate, BED_FADE_IN, BED_FADE_OUT)


def _read_bed(path: str, rate: int) -> np.ndarray:
    try:
        with open(path, "rb") as music:  # closed here: pydub would leave it to the garbage collector
            audio = AudioSegment.from_file(music)
    except (CouldntDecodeError, OSError) as exc:
        raise ConversionError(path, f"cannot read the music file: {exc}") from None
    audio = audio.set_channels(1).set_sample_width(2).set_frame_rate(rate)
    bed = np.frombuffer(audio.raw_data, dtype=np.int16).astype(np.float32) / 32768.0
    if bed.size == 0 or _rms(bed) < 1e-4:
        raise ConversionError(path, "the music file is empty or silent")
    # Short fades at both ends keep the loop seam from clicking.
    return bed * _fades(bed.size, rate, 0.05, 0.05)


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) or 1e-9


def _gain(db):
    return np.power(10.0, np.asarray(db) / 20.0)


def _fades(length: int, rate: int, fade_in: float, fade_out: float) -> np.ndarray:
    envelope = np.ones(length, dtype=np.float32)
    rise, fall = min(int(fade_in * rate), length), min(int(fade_out * rate), length)
    envelope[:rise] *= np.linspace(0.0, 1.0, rise, dtype=np.float32)
    envelope[length - fall :] *= np.linspace(1.0, 0.0, fall, dtype=np.float32)
    return envelope


# --- stings: short chimes made of sine partials, so no third-party music ships ---

_C4, _E4, _G4, _C5 = 261.63, 329.63, 392.00, 523.25


def _chime(notes: list[tuple[float, float]], seconds: float, rate: int, decay: float) -> np.ndarray:
    """Bell-like notes (onset in seconds, frequency in Hz), each a fundamental with
    two softer overtones and an exponential decay."""
    length = int(seconds * rate)
    out = np.zeros(length, dtype=np.float32)
    for onset, frequency in notes:
        begin = int(onset * rate)
        t = np.arange(length - begin, dtype=np.float32) / rate
        tone = sum(
            weight * np.sin(2 * np.pi * frequency * multiple * t)
            for multiple, weight in ((1, 1.0), (2, 0.35), (3, 0.12))
        )
        attack = np.minimum(t / 0.01, 1.0)  # 10 ms: no click at the onset
        out[begin:] += tone * attack * np.exp(-t / decay)
    return out * _fades(length, rate, 0.0, min(0.6, seconds / 3))


def intro_sting(rate: int) -> np.ndarray:
    """A rising C major arpeggio that lands on a chord."""
    notes = [(0.0, _C4), (0.14, _E4), (0.28, _G4), (0.42, _C5)]
    return _chime(notes, 2.2, rate, decay=0.7)


def outro_sting(rate: int) -> np.ndarray:
    """A falling arpeggio that settles on a long, low C major chord."""
    notes = [(0.0, _C5), (0.16, _G4), (0.32, _E4), (0.5, _C4), (0.5, _C4 / 2), (0.5, _G4 / 2)]
    return _chime(notes, 3.0, rate, decay=1.1)
