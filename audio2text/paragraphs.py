"""Paragraphs within a section: a new one where the speaker changes or pauses longer."""

from __future__ import annotations

import statistics
from typing import Sequence

from episodekit.model import Paragraph, Sentence

MIN_SENTENCES = 2
MAX_SENTENCES = 5
MAX_WORDS = 90  # keeps a paragraph short enough to read on a phone
LONG_PAUSE = 2.0  # a pause twice the usual one is heard as a new thought


def group_paragraphs(sentences: Sequence[Sentence]) -> list[Paragraph]:
    """Group a section's sentences into paragraphs of two to five sentences."""
    if not sentences:
        return []
    usual = _usual_gap(sentences)
    groups: list[list[Sentence]] = [[sentences[0]]]
    for previous, sentence in zip(sentences, sentences[1:]):
        current = groups[-1]
        words = sum(len(s.text.split()) for s in current) + len(sentence.text.split())
        full = len(current) >= MAX_SENTENCES or words > MAX_WORDS
        speaker_changed = sentence.speaker != previous.speaker
        paused = _gap(previous, sentence) > usual * LONG_PAUSE
        if full or speaker_changed or (paused and len(current) >= MIN_SENTENCES):
            groups.append([sentence])
        else:
            current.append(sentence)
    # A lone closing sentence reads as an afterthought; it joins the paragraph before.
    if len(groups) > 1 and len(groups[-1]) == 1 and groups[-1][0].speaker == groups[-2][-1].speaker:
        if len(groups[-2]) < MAX_SENTENCES:
            groups[-2].extend(groups.pop())
    return [Paragraph(tuple(g)) for g in groups]


def _gap(a: Sentence, b: Sentence) -> float:
    if a.end is None or b.start is None:
        return 0.0
    return b.start - a.end


def _usual_gap(sentences: Sequence[Sentence]) -> float:
    gaps = [_gap(a, b) for a, b in zip(sentences, sentences[1:])]
    positive = [g for g in gaps if g > 0]
    # With no measurable gaps a paragraph ends only on length or speaker.
    return statistics.median(positive) if positive else float("inf")
