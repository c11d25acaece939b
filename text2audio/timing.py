"""How long a script runs once spoken: each sentence measured with the voice that will
speak it, plus the pauses and chimes the assembly puts around the sentences.

``MeasuredVoice`` keeps every sentence it has spoken, so a script measured while a brief
is fitted to ``--max-minutes`` is not spoken a second time when it is assembled.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Callable

from pydub import AudioSegment

from episodekit.model import Episode, Section

from .assembly import (AFTER_INTRO_STING, BEFORE_OUTRO_STING, PARAGRAPH_PAUSE, SECTION_PAUSE, SENTENCE_PAUSE,
                       intro_sting, outro_sting)
from .voices.base import Voice

SentenceSeconds = Callable[[str], float]
# Spoken words per minute when no voice measures them (the engines' rates are 160-175).
ESTIMATE_WORDS_PER_MINUTE = 160


class MeasuredVoice(Voice):
    """A voice that remembers what it said: ``seconds`` measures a sentence by speaking it,
    and ``say`` hands the same audio to the assembly."""

    def __init__(self, voice: Voice):
        self.voice = voice
        self.name = voice.name
        self.sample_rate = voice.sample_rate
        self._said: dict[str, AudioSegment] = {}

    def speak(self, sentence: str) -> AudioSegment:
        return self.voice.speak(sentence)

    def say(self, sentence: str) -> AudioSegment:
        if sentence not in self._said:
            self._said[sentence] = self.voice.say(sentence)
        return self._said[sentence]

    def seconds(self, sentence: str) -> float:
        return len(self.say(sentence)) / 1000.0 if any(ch.isalnum() for ch in sentence) else 0.0


def estimated_seconds(sentence: str) -> float:
    """A sentence's spoken length from its word count, for when no voice is at hand."""
    return len(sentence.split()) * 60.0 / ESTIMATE_WORDS_PER_MINUTE


def section_seconds(section: Section, sentence_seconds: SentenceSeconds) -> float:
    """The section's speech and the pauses between its sentences and paragraphs."""
    total = 0.0
    for p, paragraph in enumerate(section.paragraphs):
        for k, sentence in enumerate(paragraph.sentences):
            if p or k:
                total += SENTENCE_PAUSE if k else PARAGRAPH_PAUSE
            total += sentence_seconds(sentence.text)
    return total


@functools.lru_cache(maxsize=8)
def _stings_seconds(rate: int) -> float:
    return (len(intro_sting(rate)) + len(outro_sting(rate))) / rate


def script_seconds(script: Episode, sentence_seconds: SentenceSeconds, sample_rate: int = 22050) -> float:
    """The length of the programme the assembly makes of ``script``."""
    sections = sum(section_seconds(s, sentence_seconds) for s in script.sections)
    pauses = SECTION_PAUSE * max(0, len(script.sections) - 1) + AFTER_INTRO_STING + BEFORE_OUTRO_STING
    return _stings_seconds(sample_rate) + sections + pauses


def estimated_timings(script: Episode, words_per_minute: float = ESTIMATE_WORDS_PER_MINUTE,
                      sample_rate: int = 22050) -> Episode:
    """The script with the times its sentences would have once spoken at ``words_per_minute``,
    laid out as the assembly lays out real speech (stings, pauses, sections tiling the
    programme): for a script reviewed before any voice speaks it."""
    def seconds(text: str) -> float:
        return len(text.split()) * 60.0 / words_per_minute if any(ch.isalnum() for ch in text) else 0.0

    clock = len(intro_sting(sample_rate)) / sample_rate + AFTER_INTRO_STING
    sections = []
    for number, section in enumerate(script.sections):
        if number:
            clock += SECTION_PAUSE
        start = clock if number else 0.0
        paragraphs = []
        for p, paragraph in enumerate(section.paragraphs):
            sentences = []
            for k, sentence in enumerate(paragraph.sentences):
                if p or k:
                    clock += SENTENCE_PAUSE if k else PARAGRAPH_PAUSE
                length = seconds(sentence.text)
                sentences.append(replace(sentence, start=clock, end=clock + length))
                clock += length
            paragraphs.append(replace(paragraph, sentences=tuple(sentences)))
        sections.append(replace(section, start=start, paragraphs=tuple(paragraphs)))
    duration = clock + BEFORE_OUTRO_STING + len(outro_sting(sample_rate)) / sample_rate
    ends = [s.start for s in sections[1:]] + [duration]
    sections = [replace(s, end=end) for s, end in zip(sections, ends)]
    return replace(script, sections=tuple(sections), duration=duration)
