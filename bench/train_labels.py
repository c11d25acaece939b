"""Train audio2text's section labels (audio2text.labels) on the transcript corpus.

A label is a title that one show's editors give to a section in at least LABEL_SHARE of
its episodes (the part before a colon, in lower case: "sponsor", "extras"). Each gold
section after the intro is a row of the labels' features; one logistic regression per
label learns to tell its sections from the rest. Cross-validated with the sectioning
folds: labels, words and weights come from the training folds, and each held-out
episode's own (held-out) sections are labelled by them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from audio2text.labels import OPENING, RULES, Label, LabelModel, Place, best_label, features, rule_features
from episodekit.sentences import words

from .train_sections import Item, gold_spans

LABEL_SHARE = 0.2  # of one show's episodes that hold a section under the title
WORDS_PER_LABEL = 15  # opening words kept per label: those most over-represented in its sections
MIN_COUNT = 5  # ... said in the openings of at least this many of its sections
NAMED_SHARE = 0.5  # a label is "named" when most of its titles go on after a colon


def title_form(title: str | None) -> str:
    """The part of an editor's title before a colon or bracket, lower case."""
    return re.split(r"[:(]", title or "")[0].strip().lower()


def discover(items: list[Item]) -> list[tuple[str, str, bool]]:
    """(form, heading, named) of every title some show gives in LABEL_SHARE of its episodes."""
    episodes: dict[tuple[str, str], set[str]] = defaultdict(set)
    written: dict[str, Counter] = defaultdict(Counter)
    shows = Counter(item.show for item in items)
    for item in items:
        for segment in item.gold["segments"]:
            if segment["kind"] == "story" and segment.get("title"):
                form = title_form(segment["title"])
                episodes[(item.show, form)].add(item.name)
                written[form][segment["title"]] += 1
    forms = sorted({form for (show, form), names in episodes.items()
                    if form and len(names) / shows[show] >= LABEL_SHARE})
    found = []
    for form in forms:
        titles = written[form]
        named = sum(n for t, n in titles.items() if ":" in t) / sum(titles.values()) >= NAMED_SHARE
        heading = Counter({re.split(r"[:(]", t)[0].strip(): n for t, n in titles.items()}).most_common(1)[0][0]
        found.append((form, heading, named))
    return found


def _sections(item: Item):
    """(gold segment, (first, end) sentence) of every gold segment that holds speech."""
    return [(s, (span[0], span[-1] + 1)) for s, span in zip(item.gold["segments"], gold_spans(item)) if span]


def choose_vocabulary(items: list[Item], forms: list[str]) -> list[str]:
    """The words most over-represented in the openings of each label's sections."""
    said: dict[str, Counter] = defaultdict(Counter)
    sections: Counter = Counter()
    for item in items:
        for segment, (a, b) in _sections(item):
            if segment["kind"] == "intro":
                continue
            form = title_form(segment.get("title")) if segment["kind"] == "story" else ""
            heard = {w for s in item.sentences[a:min(b, a + OPENING)] for w in words(s.text)}
            key = form if form in forms else ""
            said[key].update(heard)
            sections[key] += 1
    everywhere = sum(said.values(), Counter())
    total = sum(sections.values())
    chosen: set[str] = set()
    for form in forms:
        inside, outside = said[form], total - sections[form]
        lift = {w: np.log((n + 1) / (sections[form] + 2)) - np.log((everywhere[w] - n + 1) / (outside + 2))
                for w, n in inside.items() if n >= MIN_COUNT}
        chosen |= set(sorted(lift, key=lambda w: (-lift[w], w))[:WORDS_PER_LABEL])
    return sorted(chosen)


def _place(item: Item, index: int, count: int, a: int, b: int) -> Place:
    end = float(item.starts[b]) if b < len(item.starts) else item.duration
    return Place(index, count, float(item.starts[a]), end, item.duration)


def section_rows(item: Item, vectors: np.ndarray, spans: list[tuple[int, int]], vocabulary: list[str]) -> np.ndarray:
    rows = [features([s.text for s in item.sentences[a:b]], vectors[a:b], _place(item, k, len(spans), a, b),
                     vocabulary)[1]
            for k, (a, b) in enumerate(spans)]
    return np.array(rows)


def labelled_gold(items: list[Item], vectors: dict[str, np.ndarray], model,
                  standing: set[str]) -> dict[bool, list[bool]]:
    """Whether each gold section after the intro takes a label, keyed by whether its
    editors title it by one of the ``standing`` labels."""
    took: dict[bool, list[bool]] = {True: [], False: []}
    for item in items:
        sections = _sections(item)
        for k, (segment, (a, b)) in enumerate(sections):
            if segment["kind"] == "intro":
                continue
            label = best_label([s.text for s in item.sentences[a:b]], vectors[item.name][a:b],
                               _place(item, k, len(sections), a, b), model)
            form = title_form(segment.get("title")) if segment["kind"] == "story" else ""
            took[form in standing].append(label is not None)
    return took


C = 0.1  # the regressions' regularisation: 512 meaning features against a few thousand sections
THRESHOLD = 0.5  # the odds a section must pass to take a label


def fit(items: list[Item], vectors: dict[str, np.ndarray]):
    """The label model of ``items``: its labels, their words and one regression each."""
    from sklearn.linear_model import LogisticRegression

    from episodekit.learned import fit_standardised

    found = discover(items)
    vocabulary = choose_vocabulary(items, [form for form, _, _ in found])
    rows, targets = [], []
    for item in items:
        sections = _sections(item)
        spans = [span for _, span in sections]
        for (segment, _), row in zip(sections, section_rows(item, vectors[item.name], spans, vocabulary)):
            if segment["kind"] != "intro":
                rows.append(row)
                targets.append(title_form(segment.get("title")) if segment["kind"] == "story" else "")
    rows, targets = np.array(rows), np.array(targets)
    names = [name for rule in RULES for name in rule_features(rule, vocabulary)]
    labels = []
    for form, heading, named in found:
        model = fit_standardised(LogisticRegression(C=C, max_iter=3000), rows, targets == form, names,
                                 extra={"label": form, "heading": heading, "named": named, "threshold": THRESHOLD})
        labels.append(Label(form, heading, named, model, THRESHOLD))
    return LabelModel(tuple(labels), tuple(vocabulary))


def as_file(model, trained_on: str):
    """One LinearModel that holds every label: the first carries the others and the words."""
    from dataclasses import replace

    from episodekit.learned import model_to_dict

    first, *others = [label.model for label in model.labels]
    return replace(first, extra={**first.extra, "others": [model_to_dict(m) for m in others],
                                 "vocabulary": list(model.vocabulary), "trained_on": trained_on})


def train_final(items: list[Item], vectors: dict[str, np.ndarray]) -> None:
    import audio2text.models as pins
    from audio2text import labels
    from episodekit.learned import write_model

    final = fit(items, vectors)
    digest = write_model(as_file(final, f"{len(items)} episodes of the transcript corpus"), labels.MODEL_FILE,
                         Path(pins.__file__))
    print(f"wrote {labels.MODEL_FILE.name} (sha256 {digest[:12]}...): "
          + ", ".join(f"{lab.heading!r}{' (named)' if lab.named else ''}" for lab in final.labels))
