"""Train audio2text's heading ranker on the editors' titles of the transcript corpus.

For every titled gold story, each candidate phrase of its sentences (audio2text.headings)
is scored by its ROUGE-1 against the editor's title, and a ridge regression learns to
predict that score from the candidate's features. Cross-validated with the sectioning
folds: each held-out episode's own (held-out) sections are titled by a ranker fitted on
the other folds, and the corpus scorer compares those headings with the editors'.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from audio2text.headings import FEATURES

from .train_sections import Item, gold_spans

NEGATIVES = 60  # candidates with no word of the title kept per section (for speed)
SEED = 0


@functools.lru_cache(maxsize=None)
def _stem(token: str) -> str:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer().stem(token) if len(token) > 3 else token


def _tokens(text: str) -> list[str]:
    """ROUGE's tokens: lower case, letters and digits, Porter-stemmed past three letters."""
    return [_stem(t) for t in re.sub(r"[^a-z0-9]+", " ", text.lower()).split()]


def rouge1(reference: str, candidate: str) -> float:
    ref, hyp = _tokens(reference), _tokens(candidate)
    if not ref or not hyp:
        return 0.0
    common = sum(min(ref.count(t), hyp.count(t)) for t in set(hyp))
    return 0.0 if not common else 2 * common / (len(ref) + len(hyp))


def _section_rows(item: Item, spans: list[list[int]], vectors: np.ndarray):
    from audio2text import headings
    from episodekit import embeddings

    texts = [[item.sentences[k].text for k in span] for span in spans]
    centroid = vectors.mean(axis=0)
    for span, section_texts in zip(spans, texts):
        if not span:
            yield [], np.zeros((0, len(headings.FEATURES)))
            continue
        sentences = [item.sentences[k] for k in span]
        found = headings.candidates(sentences, vectors[span])
        ctx = headings.context(section_texts, texts, vectors[span], centroid)
        rows = headings.features(found, ctx, embeddings.embed([c.text for c in found])) if found else None
        yield found, rows if rows is not None else np.zeros((0, len(headings.FEATURES)))


def gold_examples(item: Item, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, targets and weights for the episode's titled gold stories."""
    from episodekit import embeddings

    vectors = embeddings.embed([s.text for s in item.sentences])
    segments = item.gold["segments"]
    spans = gold_spans(item)
    rows, targets, weights = [], [], []
    for segment, (found, x) in zip(segments, _section_rows(item, spans, vectors)):
        if segment["kind"] != "story" or not segment.get("title") or not found:
            continue
        y = np.array([rouge1(segment["title"], c.text) for c in found])
        keep = np.flatnonzero(y > 0)
        zero = np.flatnonzero(y == 0)
        keep = np.concatenate([keep, rng.permutation(zero)[:NEGATIVES]]).astype(int)
        rows.append(x[keep])
        targets.append(y[keep])
        weights.append(np.full(len(keep), 1.0 / len(keep)))
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0)
    return np.vstack(rows), np.concatenate(targets), np.concatenate(weights)


def fit(examples: list[tuple[np.ndarray, np.ndarray]]):
    from sklearn.linear_model import Ridge

    from episodekit.learned import fit_standardised

    rows = np.vstack([x for x, _, _ in examples])
    targets = np.concatenate([y for _, y, _ in examples])
    # Every section counts the same, however many candidates it has.
    weights = np.concatenate([w for _, _, w in examples])
    return fit_standardised(Ridge(alpha=1.0), rows, targets, FEATURES, sample_weight=weights)


def titles_for(item: Item, vectors: np.ndarray, bounds: list[int], kinds: list[str], model,
               label_model) -> list[str]:
    """Titles of the episode's sections (split at ``bounds``), as audio2text gives them."""
    from audio2text.titles import section_titles

    edges = list(zip([0, *bounds], [*bounds, len(item.sentences)]))
    parts = [(kind, item.sentences[a:b]) for kind, (a, b) in zip(kinds, edges)]
    return [title for title, _label in section_titles(parts, vectors, item.duration, model, label_model)]


def examples_of(items: list[Item]) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    return [gold_examples(item, rng) for item in items]


def held_out_titles(items: list[Item], fold: np.ndarray, sectioned: dict,
                    vectors: dict[str, np.ndarray]) -> dict[str, dict[int, str]]:
    """Titles of each episode's held-out sections by a ranker and labels fitted on the
    other folds: {episode: {first sentence of a section: title}}."""
    from . import train_labels

    examples = examples_of(items)
    titled = {}
    for f in sorted(set(fold)):
        model = fit([e for e, g in zip(examples, fold) if g != f and len(e[1])])
        label_model = train_labels.fit([i for i, g in zip(items, fold) if g != f], vectors)
        for item, g in zip(items, fold):
            if g == f:
                bounds, kinds = sectioned[item.name][:2]
                titles = titles_for(item, vectors[item.name], bounds, kinds, model, label_model)
                titled[item.name] = dict(zip([0, *bounds], titles))
    return titled


def train_final(items: list[Item]) -> None:
    from audio2text import headings
    import audio2text.models as pins
    from episodekit.learned import write_model

    final = fit([e for e in examples_of(items) if len(e[1])])
    digest = write_model(final, headings.MODEL_FILE, Path(pins.__file__))
    print(f"wrote {headings.MODEL_FILE.name} (sha256 {digest[:12]}...)")
