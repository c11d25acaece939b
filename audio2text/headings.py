"""Headings ranked by a model learned from editors' titles.

An editor titles a section with a short phrase of its own words that names what sets it
apart: "Arrow functions", "Pongo is like Mongo but on Postgres". So the candidates are the
phrases of 2 to 8 words inside the section's clauses that neither open nor close on a
function word (a phrase, never a fragment or a whole long sentence), taken from its
opening sentences and its most central ones. Each is described by named features (how
much more its words are said here than in the rest of the episode, how central its
meaning is, where it comes, its length and shape), and a linear model trained on the
transcript corpus (``make train``; ``models/headings.json``) to predict the candidate's
ROUGE-1 against the editor's title ranks them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from episodekit import embeddings
from episodekit.learned import LinearModel, load_model
from episodekit.lexicon import HEADLINE_FILLER, SPOKEN_OPENERS, STOPWORDS

from .keypoints import clean_sentence
from .models import PINS
from episodekit.sentences import words as tokens

from .spoken_cues import content_words

MODEL_FILE = Path(__file__).parent / "models" / "headings.json"
MIN_WORDS, MAX_WORDS = 2, 8
LEAD = 8  # opening sentences whose phrases are candidates: a section names its subject early
CENTRAL = 8  # ... and the sentences nearest its mean meaning
# Clauses end at punctuation; a full stop only before a space ("Fly.io" is one word).
_CLAUSE = re.compile(r"\s*(?:[,;:—–?!()\"“”]|\.(?=\s|$))\s*|\s+-\s+")
REPEATED = 2  # a phrase said this often in a section is a candidate wherever it is said
REPEATED_WORDS = 4  # ... up to this long
_EDGE_WORDS = STOPWORDS | HEADLINE_FILLER | frozenset(SPOKEN_OPENERS)
# A headline may open with an article or a question word ("The end of ...", "Why CSV ...").
_OPENERS = frozenset("the a an how why what when where who".split())
_ARTICLES = frozenset("the a an".split())
_NAMING = frozenset("called named titled dubbed".split())  # the words after which a name is given


@dataclass(frozen=True)
class Candidate:
    text: str
    sentence: int  # index in the section
    clause_words: int  # words in the clause it was cut from
    opens_clause: bool = False
    before: str = ""  # the word before it in its clause, lower case


@dataclass(frozen=True)
class Context:
    """What the features of a section's candidates read: its words against the episode's."""

    phrases: dict  # tuple of lower-case words -> times the section says it (up to MAX_WORDS words)
    episode_phrases: dict
    counts: dict  # stem -> count in the section
    episode_counts: dict  # stem -> count in the episode
    share: float  # the section's share of the episode's words
    spread: dict  # stem -> share of the episode's sections that say it
    centroid: np.ndarray
    episode_centroid: np.ndarray
    sentence_central: np.ndarray  # each sentence's cosine with the section's mean meaning
    sentence_words: tuple[int, ...]  # each sentence's length in words


def candidates(sentences: Sequence, vectors: np.ndarray) -> list[Candidate]:
    """Phrases of the section's opening and most central sentences, and the short
    phrases it repeats (the names of what it discusses) wherever they are said."""
    if not len(sentences):
        return []
    centroid = vectors.mean(axis=0)
    central = np.argsort(-(vectors @ centroid), kind="stable")[:CENTRAL]
    chosen = set(range(min(LEAD, len(sentences)))) | {int(i) for i in central}
    found: dict[str, Candidate] = {}
    repeats: dict[str, list] = {}
    for index, sentence in enumerate(sentences):
        for clause in _CLAUSE.split(clean_sentence(sentence.text)):
            words = clause.split()
            for a, b in _phrases(words, MAX_WORDS if index in chosen else REPEATED_WORDS):
                text = " ".join(words[a:b])
                candidate = Candidate(text, index, len(words), a == 0, words[a - 1].lower() if a else "")
                if index in chosen:
                    found.setdefault(text.lower(), candidate)
                elif b - a <= REPEATED_WORDS:
                    repeats.setdefault(text.lower(), []).append(candidate)
    for key, said in repeats.items():
        if key not in found and len(said) + 1 >= REPEATED:
            found[key] = said[0]
    return list(found.values())


def _phrases(words: list[str], longest: int):
    """(start, end) of every span of 2 to ``longest`` words that opens and closes on a
    word of content."""
    for a in range(len(words)):
        if _edge(words[a]) and words[a].lower() not in _OPENERS:
            continue
        for b in range(a + MIN_WORDS, min(a + longest, len(words)) + 1):
            if not _edge(words[b - 1]):
                yield a, b


def _edge(word: str) -> bool:
    return word.lower().strip("'’") in _EDGE_WORDS or not any(c.isalnum() for c in word)


def context(section_texts: Sequence[str], all_sections: Sequence[Sequence[str]], vectors: np.ndarray,
            episode_centroid: np.ndarray) -> Context:
    counts = _stem_counts(tuple(section_texts))
    episode_phrases, episode_counts, spread = _episode_words(tuple(tuple(texts) for texts in all_sections))
    total = sum(episode_counts.values()) or 1
    centroid = vectors.mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(centroid) or 1.0)
    central = np.divide(vectors @ centroid, norms, out=np.zeros(len(vectors)), where=norms > 0)
    return Context(_phrase_counts(tuple(section_texts)), episode_phrases, counts, episode_counts,
                   sum(counts.values()) / total, spread, centroid, episode_centroid, central,
                   tuple(len(t.split()) for t in section_texts))


@functools.lru_cache(maxsize=4)
def _episode_words(all_sections: tuple[tuple[str, ...], ...]) -> tuple[str, dict, dict]:
    """The episode's words, their counts, and the share of sections that say each: the
    same for every section of an episode, so computed once."""
    episode_counts: dict[str, int] = {}
    spread: dict[str, float] = {}
    phrases: dict[tuple, int] = {}
    for texts in all_sections:
        for stem, count in _stem_counts(texts).items():
            episode_counts[stem] = episode_counts.get(stem, 0) + count
            spread[stem] = spread.get(stem, 0) + 1 / len(all_sections)
        for phrase, count in _phrase_counts(texts).items():
            phrases[phrase] = phrases.get(phrase, 0) + count
    return phrases, episode_counts, spread


@functools.lru_cache(maxsize=256)
def _phrase_counts(texts: tuple[str, ...]) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for text in texts:
        said = tokens(text)
        for a in range(len(said)):
            for b in range(a + MIN_WORDS, min(a + MAX_WORDS, len(said)) + 1):
                counts[tuple(said[a:b])] = counts.get(tuple(said[a:b]), 0) + 1
    return counts


@functools.lru_cache(maxsize=256)
def _stem_counts(texts: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in texts:
        for stem in content_words(text):
            counts[stem] = counts.get(stem, 0) + 1
    return counts


BASE_FEATURES = (
    "words", "two_words", "three_words", "content_share", "distinct_share", "lift_mean", "lift_max",
    "frequency_mean", "frequency_sum", "spread_mean", "capitals", "inner_capitals", "digits", "sentence",
    "first_sentence", "whole_clause", "opens_clause", "said", "said_elsewhere",
    # How a speaker brings in the thing a section is about: "a tool called Mosh", "a
    # library named Rich"; and a phrase that opens on an article ("a Python library") is
    # rarely how an editor titles it.
    "after_naming", "opens_article",
    # The sentence it was cut from: a news host's headline is a short first sentence as
    # central as any to its story; a conversation's first sentence is a hand-over.
    "sentence_central", "sentence_words", "section_sentences", "central", "generic")
# Every pair of base features as a product too: what a feature is worth depends on the
# others (an opening clause is the headline where the first sentence is central, and a
# hand-over where it is not), which a linear model over the base features cannot say.
# Cross-validated top-1 ROUGE-1 on the gold stories rose from 0.336 to 0.364 with them.
PAIRS = tuple((a, b) for i, a in enumerate(BASE_FEATURES) for b in BASE_FEATURES[i:])
FEATURES = BASE_FEATURES + tuple(f"{a}*{b}" for a, b in PAIRS)
_LEFT, _RIGHT = (np.array([BASE_FEATURES.index(pair[k]) for pair in PAIRS]) for k in (0, 1))


def features(found: Sequence[Candidate], ctx: Context, vectors: np.ndarray) -> np.ndarray:
    """One row of FEATURES per candidate; ``vectors`` are the candidates' embeddings."""
    base = _base_features(found, ctx, vectors)
    return np.column_stack([base, base[:, _LEFT] * base[:, _RIGHT]])


def _base_features(found: Sequence[Candidate], ctx: Context, vectors: np.ndarray) -> np.ndarray:
    rows = []
    for candidate in found:
        words = candidate.text.split()
        phrase = tuple(tokens(candidate.text))
        stems = content_words(candidate.text)
        lifts = [np.log((ctx.counts.get(s, 0) + 1) / (ctx.episode_counts.get(s, 0) * ctx.share + 1)) for s in stems]
        frequencies = [np.log1p(ctx.counts.get(s, 0)) for s in stems]
        rows.append([
            len(words),
            float(len(words) == 2),
            float(len(words) == 3),
            len(stems) / len(words),
            len({w.lower() for w in words}) / len(words),  # "Docker Docker" is a stutter, not a title
            float(np.mean(lifts)) if lifts else 0.0,
            max(lifts, default=0.0),
            float(np.mean(frequencies)) if stems else 0.0,
            float(np.sum(frequencies)),
            float(np.mean([ctx.spread.get(s, 0.0) for s in stems])) if stems else 1.0,
            sum(w[:1].isupper() for w in words[1:]) / len(words),
            float(any(any(c.isupper() for c in w[1:]) for w in words)),  # PyTorch, FerretDB, GPT
            float(any(c.isdigit() for c in candidate.text)),
            np.log1p(candidate.sentence),
            float(candidate.sentence == 0),
            float(len(words) == candidate.clause_words),
            float(candidate.opens_clause),
            np.log1p(said := ctx.phrases.get(phrase, 0)),
            np.log1p(max(ctx.episode_phrases.get(phrase, 0) - said, 0)),
            float(candidate.before in _NAMING),
            float(words[0].lower() in _ARTICLES),
            float(ctx.sentence_central[candidate.sentence]),
            np.log1p(ctx.sentence_words[candidate.sentence]),
            np.log1p(len(ctx.sentence_words)),
        ])
    rows = np.asarray(rows, dtype=float).reshape(-1, len(BASE_FEATURES) - 2)
    central = vectors @ ctx.centroid / (np.linalg.norm(ctx.centroid) or 1.0)
    generic = vectors @ ctx.episode_centroid / (np.linalg.norm(ctx.episode_centroid) or 1.0)
    return np.column_stack([rows, central, generic])


def shipped_model() -> LinearModel:
    return load_model(MODEL_FILE, PINS[MODEL_FILE.name], "heading model")


def ranked(sentences: Sequence, vectors: np.ndarray, all_sections: Sequence[Sequence[str]],
           episode_centroid: np.ndarray, model: LinearModel | None = None) -> list[str]:
    """The section's candidate headings, best first."""
    found = candidates(sentences, vectors)
    if not found:
        return []
    ctx = context([s.text for s in sentences], all_sections, vectors, episode_centroid)
    scores = (model or shipped_model()).logit(features(found, ctx, embeddings.embed([c.text for c in found])))
    order = np.argsort(-scores, kind="stable")
    return [_cased(found[i].text) for i in order]


def _cased(text: str) -> str:
    return text[:1].upper() + text[1:]
