"""Sections a show names by a standing label: the sponsor read, the extras.

Shows repeat some sections in every episode and their editors title them the same way
each time ("Sponsor: Rollbar", "Extras", "Sponsored news"): no phrase of the section's
own says what it is, its role does. Which labels there are, and how a section that earns
one sounds, are learned from the transcript corpus (``make train``; ``models/labels.json``):
a label is a title that one show's editors give to a section in at least a fifth of its
episodes, and one logistic regression per label reads a section's named features (what
its opening sentences mean, the label's learned words in them, where the section lies)
and gives the odds that the section is one. A section takes the likeliest label whose odds
pass even (0.5: no threshold is tuned), and otherwise keeps its ranked heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from episodekit.learned import LinearModel, load_model, model_from_dict
from episodekit.sentences import words

from .models import PINS

MODEL_FILE = Path(__file__).parent / "models" / "labels.json"
OPENING = 3  # sentences that open a section: where a host announces what it is
DIMENSIONS = 256  # of the sentence embeddings


@dataclass(frozen=True)
class Label:
    name: str  # the title's form as learned, lower case: "sponsor"
    heading: str  # as the editors write it: "Sponsor"
    named: bool  # the editors add what the section names: "Sponsor: Rollbar"
    model: LinearModel
    threshold: float = 0.5


@dataclass(frozen=True)
class LabelModel:
    labels: tuple[Label, ...]
    vocabulary: tuple[str, ...]  # the words the "words" rule looks for

    def without(self, features: Sequence[str]) -> "LabelModel":
        return LabelModel(tuple(Label(lab.name, lab.heading, lab.named, lab.model.without(features), lab.threshold)
                                for lab in self.labels), self.vocabulary)


def _meaning(ctx: dict) -> dict[str, float]:
    vectors = ctx["vectors"]
    opening = vectors[:OPENING].mean(axis=0) if len(vectors) else np.zeros(DIMENSIONS)
    whole = vectors.mean(axis=0) if len(vectors) else np.zeros(DIMENSIONS)
    return {**{f"opening_meaning_{i}": float(v) for i, v in enumerate(opening)},
            **{f"meaning_{i}": float(v) for i, v in enumerate(whole)}}


def _words(ctx: dict) -> dict[str, float]:
    opening = {w for text in ctx["texts"][:OPENING] for w in words(text)}
    said = [w for text in ctx["texts"] for w in words(text)]
    counts = {w: 0 for w in ctx["vocabulary"]}
    for w in said:
        if w in counts:
            counts[w] += 1
    total = max(len(said), 1)
    return {**{f"opens_{w}": float(w in opening) for w in ctx["vocabulary"]},
            **{f"rate_{w}": 100.0 * counts[w] / total for w in ctx["vocabulary"]}}


def _position(ctx: dict) -> dict[str, float]:
    index, count, duration = ctx["index"], ctx["count"], max(ctx["duration"], 1.0)
    return {"start_share": ctx["start"] / duration, "end_share": ctx["end"] / duration,
            "last": float(index == count - 1), "second_last": float(index == count - 2),
            "log_seconds": float(np.log1p(max(ctx["end"] - ctx["start"], 0.0))),
            "log_sentences": float(np.log1p(len(ctx["texts"])))}


RULES = {
    "meaning": (_meaning, "what the section's opening sentences and the whole section mean (embeddings)"),
    "words": (_words, "the labels' learned words said as the section opens, and how often in it"),
    "position": (_position, "where the section lies in the episode, and its length"),
}


@dataclass(frozen=True)
class Place:
    """Where a section lies: its index among the episode's sections, and its times."""

    index: int
    count: int
    start: float
    end: float
    duration: float


def features(texts: Sequence[str], vectors: np.ndarray, place: Place,
             vocabulary: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Named features of one section."""
    ctx = {"texts": list(texts), "vectors": np.asarray(vectors).reshape(-1, DIMENSIONS),
           "vocabulary": tuple(vocabulary), **vars(place)}
    columns: dict[str, float] = {}
    for rule, _doc in RULES.values():
        columns.update(rule(ctx))
    return list(columns), np.array(list(columns.values()))


def rule_features(rule: str, vocabulary: Sequence[str] = ()) -> list[str]:
    """The features a rule adds: switching the rule off holds these at their means."""
    ctx = {"texts": ["A."], "vectors": np.zeros((1, DIMENSIONS)), "vocabulary": tuple(vocabulary),
           **vars(Place(0, 1, 0.0, 1.0, 1.0))}
    return list(RULES[rule][0](ctx))


def shipped_model() -> LabelModel:
    return label_model(load_model(MODEL_FILE, PINS[MODEL_FILE.name], "section-label model"))


def label_model(first: LinearModel) -> LabelModel:
    """The labels of one file: the first label's model carries the others in its ``extra``."""
    models = [first, *(model_from_dict(data) for data in first.extra.get("others", ()))]
    return LabelModel(tuple(Label(m.extra["label"], m.extra["heading"], bool(m.extra["named"]), m,
                                  float(m.extra["threshold"])) for m in models),
                      tuple(first.extra.get("vocabulary", ())))


def best_label(texts: Sequence[str], vectors: np.ndarray, place: Place,
               model: LabelModel | None = None) -> Label | None:
    """The label this section earns, if any: the likeliest past its threshold."""
    model = model or shipped_model()
    if not model.labels or not len(texts):
        return None
    names, row = features(texts, vectors, place, model.vocabulary)
    if names != list(model.labels[0].model.features):
        raise ValueError("the section-label model was trained on other features: run make train")
    chances = [(float(label.model.probability(row)[0]), label) for label in model.labels]
    chance, label = max(chances, key=lambda c: c[0])
    return label if chance > label.threshold else None


def labelled(label: Label, heading: str) -> str:
    """The section's title under its label: "Extras", or "Sponsor: <what it names>"."""
    return f"{label.heading}: {heading}" if label.named and heading else label.heading
