"""Key points of a story: its most central sentences that say different things.

Sentences are embedded and picked by maximal marginal relevance: each next point is the
sentence nearest the story's mean that is least like the points already chosen. Show
notes keep concrete facts, so a sentence's names and figures add to its relevance.
Points are cleaned of speech habits; a point is labelled only with a name the story keeps coming back to.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from episodekit import embeddings
from episodekit.lexicon import FILLERS, SPOKEN_OPENERS
from episodekit.model import KeyPoint, Sentence

from .spoken_cues import asks, names, strip_cue

MAX_WORDS = 30
MIN_WORDS = 6
SENTENCES_PER_POINT = 4  # a story gets about one point per this many sentences
RELEVANCE = 0.7  # MMR's trade between centrality and novelty (its authors' usual value)
FACT_WEIGHT = 0.05  # in cosine units, for each name and figure (two of each at most)
_FIGURE = re.compile(r"\d|\$|%")

_FILLER = re.compile(
    r"(?:,\s*)?\b(?:" + "|".join(FILLERS) + r")\b[,?]?"
    r"|^(?:" + "|".join(SPOKEN_OPENERS) + r"),",
    re.I,
)


def key_points(sentences: Sequence[Sentence], max_points: int = 3) -> tuple[KeyPoint, ...]:
    """One to ``max_points`` central, distinct points from a story's sentences."""
    wanted = max(1, min(max_points, round(len(sentences) / SENTENCES_PER_POINT)))
    candidates = []
    for position, sentence in enumerate(sentences):
        text = clean_sentence(sentence.text)
        if text and not asks(text) and MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            candidates.append((position, text, sentence.text))
    if not candidates:
        return ()
    texts = [s.text for s in sentences]
    centroid = embeddings.embed(texts).mean(axis=0)
    vectors = embeddings.embed([text for _, text, _ in candidates])
    facts = [min(len(names(text)), 2) + min(len(_FIGURE.findall(text)), 2) for _, text, _ in candidates]
    relevance = vectors @ centroid + FACT_WEIGHT * np.array(facts)
    chosen: list[int] = []
    while len(chosen) < min(wanted, len(candidates)):
        redundancy = (vectors @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(candidates))
        score = RELEVANCE * relevance - (1 - RELEVANCE) * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    points = []
    for index in sorted(chosen):  # in the order the story told them
        _, text, source = candidates[index]
        points.append(KeyPoint(text=text, label=_recurring_name(text, texts), source=source))
    return tuple(points)


def clean_sentence(text: str) -> str:
    """The sentence as it would be written: fillers and opening transitions removed."""
    previous = None
    text = strip_cue(text)
    while previous != text:  # "So, um, basically" loses one habit per pass
        previous = text
        text = _FILLER.sub("", text).strip(" ,;")
        text = strip_cue(text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    text = re.sub(r",\s*,", ",", text)
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _recurring_name(text: str, others: Sequence[str]) -> str | None:
    """The first name in the point that the story says again elsewhere: a real subject,
    not a passing mention or a misheard word."""
    for name in names(text):
        name = re.sub(r"['’]s$", "", name)
        if len(name.split()) <= 4 and sum(name in other for other in others) >= 2:
            return name
    return None
