"""The evidence at each gap between two sentences that a new section starts there.

Every gap gets one row of named features, grouped into rules that can be switched off
(``make eval`` prints what each is worth). What the features weigh is not set by hand: a
logistic regression learned from the transcript corpus (``make train``) turns a row into
the probability of a story boundary, of the end of the intro, and of the start of the
outro (:mod:`audio2text.sectioning` decodes them).

Coherence is read over several windows because stories run from a minute (a news brief)
to half an hour (a long conversation): a short window sees the turn of a brief, a long one
the turn of a chat, and each is standardised within the episode, since how alike a show's
sentences are depends on the show and the transcript, not on where its stories turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from episodekit.lexicon import INTRO_CUES, INTRO_ENDS, OUTRO_CUES, OUTRO_PATTERN

from episodekit.sentences import words

from .captions import WORDS_PER_SECOND
from .spoken_cues import asks, contains, content_words, cue_strength, names

WINDOWS = (2, 4, 8, 16, 32)  # sentences each side of a gap whose meaning is compared
LEXICAL_WINDOWS = (8, 24)  # the same for the words themselves (rarer words weigh more)
SPAN = 6  # sentences each side whose names and topic words are compared
EDGE_WORDS = 4  # words at a sentence's start (or end) read for the learned openings


@dataclass(frozen=True)
class Gaps:
    """The features of every gap: ``rows[i]`` is the gap before sentence ``i + 1``."""

    rows: np.ndarray
    times: np.ndarray  # the start of the sentence after each gap, in seconds
    duration: float


def _coherence(vectors: np.ndarray, width: int) -> np.ndarray:
    """Cosine between the mean embeddings of ``width`` sentences before and after each gap."""
    n = len(vectors)
    prefix = np.vstack([np.zeros((1, vectors.shape[1])), np.cumsum(vectors, axis=0)])
    cut = np.arange(1, n)
    left = prefix[cut] - prefix[np.maximum(cut - width, 0)]
    right = prefix[np.minimum(cut + width, n)] - prefix[cut]
    norms = np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
    return np.divide(np.einsum("ij,ij->i", left, right), norms, out=np.zeros(n - 1), where=norms > 0)


def _depth(values: np.ndarray) -> np.ndarray:
    """TextTiling's depth: how far a gap's coherence lies below the peaks on either side."""
    left = np.maximum.accumulate(values)
    right = np.maximum.accumulate(values[::-1])[::-1]
    return (left - values) + (right - values)


def _standard(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def _novelty(groups: list[set[str]], span: int) -> np.ndarray:
    """Share of the words in the next ``span`` sentences not heard in the ``span`` before,
    counting only words heard more than once in the episode."""
    seen: dict[str, int] = {}
    for group in groups:
        for word in group:
            seen[word] = seen.get(word, 0) + 1
    groups = [{w for w in group if seen[w] > 1} for group in groups]
    scores = np.zeros(max(len(groups) - 1, 0))
    for i in range(1, len(groups)):
        before = set().union(*groups[max(0, i - span): i])
        after = set().union(*groups[i: i + span])
        if before and after:
            scores[i - 1] = len(after - before) / len(after | before)
    return scores


def _times(sentences: Sequence) -> np.ndarray:
    """Start of each sentence; where none is given, placed at the rate a transcript's
    plain text is timed at."""
    times, clock = [], 0.0
    for s in sentences:
        clock = s.start if s.start is not None else clock
        times.append(clock)
        clock = s.end if s.end is not None else clock + len(s.text.split()) / WORDS_PER_SECOND
    return np.asarray(times, dtype=float)


def _pauses(sentences: Sequence) -> np.ndarray:
    return np.array([max(0.0, b.start - a.end) if a.end is not None and b.start is not None else 0.0
                     for a, b in zip(sentences, sentences[1:])])


def _ranks(values: np.ndarray) -> np.ndarray:
    if len(values) < 2 or values.max() <= values.min():
        return np.zeros_like(values)
    return np.argsort(np.argsort(values, kind="stable"), kind="stable") / (len(values) - 1)


def _opening_cues(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    strength = np.array([cue_strength(t) for t in texts])
    return (strength == 1.0).astype(float), ((strength > 0) & (strength < 1.0)).astype(float)


def _peak(values: np.ndarray, reach: int) -> np.ndarray:
    """How far a gap's value stands above the highest other value within ``reach`` gaps:
    a boundary is where the evidence peaks, not merely where it is high."""
    n = len(values)
    padded = np.concatenate([np.full(reach, -np.inf), values, np.full(reach, -np.inf)])
    others = np.full(n, -np.inf)
    for shift in range(1, reach + 1):
        others = np.maximum(others, np.maximum(padded[reach - shift: reach - shift + n],
                                               padded[reach + shift: reach + shift + n]))
    return np.where(np.isfinite(others), values - others, 0.0)


def _bags(texts: Sequence[str]) -> np.ndarray:
    """Unit rows of content-word counts per sentence, weighted by rarity in the episode."""
    stems = [content_words(t) for t in texts]
    index: dict[str, int] = {}
    for group in stems:
        for stem in group:
            index.setdefault(stem, len(index))
    counts = np.zeros((len(texts), max(len(index), 1)))
    for row, group in enumerate(stems):
        for stem in group:
            counts[row, index[stem]] += 1
    df = (counts > 0).sum(axis=0)
    return counts * np.log((len(texts) + 1) / (df + 1))


# Each rule: the features it adds, computed from what every rule may read.
def _meaning(ctx: dict) -> dict[str, np.ndarray]:
    out = {}
    for width in WINDOWS:
        raw = _coherence(ctx["vectors"], width)
        depth = _standard(_depth(raw))
        out[f"coherence_{width}"] = _standard(raw)
        out[f"depth_{width}"] = depth
        out[f"peak_{width}"] = _peak(depth, max(1, width // 2))
    return out


def _words(ctx: dict) -> dict[str, np.ndarray]:
    bags = _bags(ctx["texts"])
    out = {"words_new": _standard(_novelty([set(content_words(t)) for t in ctx["texts"]], SPAN))}
    for width in LEXICAL_WINDOWS:
        depth = _standard(_depth(_coherence(bags, width)))
        out[f"lexical_depth_{width}"] = depth
        out[f"lexical_peak_{width}"] = _peak(depth, max(1, width // 2))
    return out


def _names(ctx: dict) -> dict[str, np.ndarray]:
    return {"names_new": _novelty([{n.lower() for n in names(t)} for t in ctx["texts"]], SPAN)}


def _cues(ctx: dict) -> dict[str, np.ndarray]:
    texts = ctx["texts"]
    strong, weak = _opening_cues(texts)
    return {
        "cue_strong": strong[1:], "cue_weak": weak[1:],
        "handover_before": np.array([contains(t, INTRO_ENDS) for t in texts[:-1]], dtype=float),
        "welcome_after": np.array([contains(t, INTRO_CUES) for t in texts[1:]], dtype=float),
        "signoff_after": np.array([contains(t, OUTRO_CUES) or bool(OUTRO_PATTERN.search(t)) for t in texts[1:]],
                                  dtype=float),
    }


def _questions(ctx: dict) -> dict[str, np.ndarray]:
    asked = np.array([asks(t) for t in ctx["texts"]], dtype=float)
    return {"question_after": asked[1:], "question_before": asked[:-1]}


def _pause_rule(ctx: dict) -> dict[str, np.ndarray]:
    pauses = _pauses(ctx["sentences"])
    return {"pause_rank": _ranks(pauses), "pause_long": (pauses >= 1.0).astype(float)}


def _speakers(ctx: dict) -> dict[str, np.ndarray]:
    who = [s.speaker for s in ctx["sentences"]]
    change = np.array([a is not None and b is not None and a != b for a, b in zip(who, who[1:])], dtype=float)
    return {"speaker_change": change}


def openings(texts: Sequence[str], vocabulary: Sequence[str]) -> dict[str, np.ndarray]:
    """The openings rule's features alone (training reads them for each fold's vocabulary)."""
    return _openings({"texts": list(texts), "vocabulary": vocabulary})


def _openings(ctx: dict) -> dict[str, np.ndarray]:
    """Which words of the learned vocabulary open the sentence after the gap, or close the
    one before: the hand-overs hosts really say ("all right", "next up", "tell us about"),
    learned from the corpus instead of listed by hand."""
    heads = [set(words(t)[:EDGE_WORDS]) for t in ctx["texts"]]
    tails = [set(words(t)[-EDGE_WORDS:]) for t in ctx["texts"]]
    out = {}
    for word in ctx["vocabulary"]:
        out[f"opens:{word}"] = np.array([word in h for h in heads[1:]], dtype=float)
        out[f"closes:{word}"] = np.array([word in t for t in tails[:-1]], dtype=float)
    return out


def _position(ctx: dict) -> dict[str, np.ndarray]:
    times, duration = ctx["times"], ctx["duration"]
    after = times[1:]
    # Minutes from each end, capped: an intro ends and an outro starts within minutes of
    # the edge whatever the episode's length.
    return {
        "share": after / duration,
        "minutes_in": np.minimum(after / 60.0, 10.0),
        "minutes_left": np.minimum((duration - after) / 60.0, 10.0),
        "words_after": np.log1p([len(t.split()) for t in ctx["texts"][1:]]),
    }


RULES = {
    "meaning": (_meaning, "sentence embeddings change across the gap (several window sizes)"),
    "names": (_names, "the names heard change"),
    "words": (_words, "the topic words heard change"),
    "cues": (_cues, "spoken transitions, hand-overs, welcomes and sign-offs"),
    "questions": (_questions, "a question opens or closes the gap"),
    "pauses": (_pause_rule, "the silence at the gap, ranked within the episode"),
    "speakers": (_speakers, "another speaker takes over"),
    "position": (_position, "where the gap lies in the episode"),
    "openings": (_openings, "learned words that open a section's first sentence or close the last"),
}


def gap_features(sentences: Sequence, vectors: np.ndarray,
                 vocabulary: Sequence[str] = ()) -> tuple[list[str], Gaps]:
    """Named features of every gap between consecutive sentences; ``vocabulary`` is the
    model's list of opening and closing words."""
    texts = [s.text for s in sentences]
    times = _times(sentences)
    last = sentences[-1]
    spoken = len(last.text.split()) / WORDS_PER_SECOND
    duration = max(float(last.end if last.end is not None else times[-1] + spoken), 1.0)
    ctx = {"sentences": sentences, "texts": texts, "vectors": vectors, "times": times, "duration": duration,
           "vocabulary": vocabulary}
    columns: dict[str, np.ndarray] = {}
    if len(sentences) > 1:
        for rule, _doc in RULES.values():
            columns.update(rule(ctx))
    names_ = list(columns) if columns else feature_names(vocabulary)
    rows = np.column_stack([columns[n] for n in names_]) if columns else np.zeros((0, len(names_)))
    return names_, Gaps(rows=rows, times=times[1:], duration=duration)


def feature_names(vocabulary: Sequence[str] = ()) -> list[str]:
    """The features every row holds, in order."""
    return [name for rule in RULES for name in rule_features(rule, vocabulary)]


def rule_features(rule: str, vocabulary: Sequence[str] = ()) -> list[str]:
    """The features a rule adds: switching the rule off holds these at their means."""
    from episodekit.model import Sentence

    pair = [Sentence("A.", 0.0, 1.0), Sentence("B.", 1.0, 2.0)]
    ctx = {"sentences": pair, "texts": ["A.", "B."], "vectors": np.ones((2, 1)),
           "times": np.array([0.0, 1.0]), "duration": 2.0, "vocabulary": vocabulary}
    return list(RULES[rule][0](ctx))
