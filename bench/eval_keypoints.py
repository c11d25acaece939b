"""Key points against the show-notes bullets of the transcript corpus (its Python Bytes episodes).

Each gold story with bullets is taken as a section (its sentences, as ``gold_spans`` aligns
them), and its points are compared with the bullets by ROUGE (the points joined against
the bullets joined).
Methods: audio2text's maximal marginal relevance, with its relevance/novelty trade chosen
on the training folds, against the baselines of the story's first sentences (lead-k) and
its most central sentences alone (no novelty). Means over stories with 95% bootstrap
intervals, cross-validated by episode with the sectioning folds.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from .train_headings import rouge1
from .train_sections import FOLDS, folds_of, gold_spans, load_corpus

TRADES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def _stories(items, fold):
    from episodekit import embeddings

    for item, g in zip(items, fold):
        stories = [(s, span) for s, span in zip(item.gold["segments"], gold_spans(item))
                   if s["kind"] == "story" and s.get("bullets")]
        if not stories:
            continue
        vectors = embeddings.embed([s.text for s in item.sentences])
        for segment, span in stories:
            if len(span) >= 2:
                yield g, [item.sentences[k] for k in span], vectors[span], " ".join(segment["bullets"])


def _lead(sentences, count):
    from audio2text.keypoints import clean_sentence

    return [clean_sentence(s.text) for s in sentences[:count]]


def bootstrap(values, rng, rounds=2000):
    values = np.asarray(values, dtype=float)
    means = values[rng.integers(0, len(values), size=(rounds, len(values)))].mean(axis=1)
    return float(values.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def evaluate(corpus: Path) -> str:
    from audio2text import keypoints

    items = load_corpus(corpus / "transcripts")
    stories = list(_stories(items, folds_of(items)))
    # Scores of each trade on every story, so a fold's choice is made on the other folds.
    by_trade = {}
    for trade in TRADES:
        options = replace(keypoints.KeyPointOptions(), relevance=trade)
        by_trade[trade] = [rouge1(bullets, " ".join(p.text for p in keypoints.key_points(s, v, options=options)))
                           for _, s, v, bullets in stories]
    folds = np.array([g for g, *_ in stories])
    chosen, mmr = [], np.zeros(len(stories))
    for f in range(FOLDS):
        train = folds != f
        best = max(TRADES, key=lambda t: np.mean(np.asarray(by_trade[t])[train]))
        chosen.append(best)
        mmr[~train] = np.asarray(by_trade[best])[~train]
    wanted = [len(keypoints.key_points(s, v)) for _, s, v, _ in stories]
    lead = [rouge1(b, " ".join(_lead(s, n))) for (_, s, _, b), n in zip(stories, wanted)]
    central = by_trade[1.0]
    rng = np.random.default_rng(0)
    rows = [("maximal marginal relevance (trade chosen on training folds)", mmr),
            ("lead sentences (as many as MMR gives)", lead), ("most central sentences (no novelty)", central)]
    lines = [f"key points against show-notes bullets: {len(stories)} stories; ROUGE-1 F, "
             f"mean [95% CI]; trade chosen per fold: {chosen}", "", "| method | ROUGE-1 |", "|---|---|"]
    for label, values in rows:
        m, lo, hi = bootstrap(values, rng)
        lines.append(f"| {label} | {m:.3f} [{lo:.3f}, {hi:.3f}] |")
    return "\n".join(lines)
