"""make train, roundup side: the block classifier of text2audio's story finder.

Every roundup of the corpus (../shared/corpus/roundups-large and roundups) is read into
blocks by the real readers; each block is labelled from the roundup's gold file:

- ``story``: the block a gold story's title is aligned to (the story titles, in order,
  matched to blocks by the corpus scorer's own title test, one block each, in reading order);
- ``title``: the first block that matches the gold title the same way;
- ``drop``: a block whose spoken form says a must_not_say string, a URL or a code line,
  and none of the must_say terms.

Each head is a logistic regression (scikit-learn, standardised features, balanced
classes), shipped as JSON through episodekit.learned; its decision threshold is the one
with the best F1 on the training documents. The table is cross-validated by document
(k folds): each fold's heads are fitted on the other folds and scored on it.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from episodekit.learned import LinearModel, write_model
from text2audio.blocks import Block, Document
from text2audio.classify import (DRAFT, HEADS, MODELS, BlockModel, Thresholds, block_features, block_forms,
                                 head_columns, head_features, head_probability, model_file, story_starts, with_context)
from text2audio.drafting import story_title
from text2audio.readers import read_document
from text2audio.script import spoken
from text2audio.stories import StoryOptions, candidate_blocks
from text2audio.structure import story_from

GOLD_SUFFIX = ".gold.json"
SETS = ("roundups-large", "roundups")  # the corpus's folders of roundups with gold files
ROOT = Path(__file__).resolve().parent.parent
# The project's own roundups, written for its tests and samples, with their expected stories.
PROJECT_SETS = {
    "fixtures": (ROOT / "tests" / "fixtures" / "roundups", ".expected.json"),
    "samples": (ROOT / "samples" / "roundups", None),
}
FOLDS = 5
PINS_FILE = MODELS / "__init__.py"


def scorer(corpus: Path):
    """The corpus's own scorer, imported from its folder: its title test and word rules."""
    spec = importlib.util.spec_from_file_location("score_roundup", corpus / "score_roundup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Labelled:
    name: str
    publication: str
    set_name: str  # roundups-large, roundups, or one of PROJECT_SETS
    path: Path
    gold_path: Path
    document: Document
    blocks: list[Block]
    features: np.ndarray
    labels: dict  # head -> 0/1 array


def gold_pairs(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for gold in sorted(folder.glob(f"*{GOLD_SUFFIX}")):
        name = gold.name[: -len(GOLD_SUFFIX)]
        inputs = [p for p in folder.glob(f"{name}.*") if p != gold]
        if inputs:
            pairs.append((inputs[0], gold))
    return pairs


def publication(path: Path, folder: Path) -> str:
    return path.name.split("-")[0] if folder.name == "roundups-large" else folder.name


def project_pairs() -> list[tuple[Path, dict, str]]:
    """(roundup, gold in the corpus's form, set name) for the project's own roundups."""
    import json

    pairs = []
    for name, (folder, suffix) in PROJECT_SETS.items():
        for path in sorted(p for p in folder.iterdir() if not p.name.endswith(".json")):
            if suffix:
                want = json.loads((folder / f"{path.stem}{suffix}").read_text("utf-8"))
            else:
                gold = folder.with_name("roundups-gold") / f"{path.stem}.stories.json"
                want = {"title": "", **json.loads(gold.read_text("utf-8"))}
            stories = [{"title": t, "must_say": []} for t in want["stories"]]
            pairs.append((path, {"title": want["title"], "stories": stories,
                                 "must_not_say": want.get("unspoken", [])}, name))
    return pairs


def load_corpus(corpus: Path, sets=SETS, options: StoryOptions = StoryOptions()) -> list[Labelled]:
    """Every roundup of the corpus's ``sets`` and of the project, read and labelled."""
    import json

    score = scorer(corpus)
    found = [(path, json.loads(gold.read_text("utf-8")), publication(path, corpus / name), name, gold)
             for name in sets for path, gold in gold_pairs(corpus / name)]
    found += [(path, gold, name, name, None) for path, gold, name in project_pairs()]
    docs = []
    for path, gold, name, set_name, gold_path in found:
        document = read_document(path.read_text("utf-8", errors="replace"), path.suffix, source=str(path))
        blocks = candidate_blocks(document, options)
        features = block_features(blocks, plain_text=document.plain_text,
                                  declared_title=document.title or document.markup_title)
        docs.append(Labelled(path.stem, name, set_name, path, gold_path, document, blocks, features,
                             block_labels(blocks, gold, score, options)))
    return docs


def block_labels(blocks: list[Block], gold: dict, score, options: StoryOptions) -> dict:
    n = len(blocks)
    titles = [story_title(story_from(b, options.longest_title_words).title) if b.text else "" for b in blocks]
    story = align([s["title"] for s in gold["stories"]], titles, score)
    title = np.zeros(n)
    gold_words = len(gold["title"].split())
    for i, b in enumerate(blocks):
        if b.text and len(b.text.split()) <= 2 * gold_words + 2 and score.similar(gold["title"], b.text) >= 0.8:
            title[i] = 1
            break
    forbidden = [w for w in (_plain(score, f) for f in gold.get("must_not_say", [])) if w]
    must = [score.words(p) for s in gold["stories"] for p in s["must_say"]]
    drop = np.zeros(n)
    for i, b in enumerate(blocks):
        if story[i] or b.kind == "code" or not b.text:
            continue
        said = spoken(b.text)
        said_words = score.words(said)
        if any(score.contains(said_words, m) for m in must):
            continue
        heard = [w for w in said_words if w not in score.FILLER]
        heard_set = set(heard)
        if (any(f[0] in heard_set and score.contains(heard, f) for f in forbidden)
                or score.URLISH.search(said)
                or score.CODE_SYMBOLS.search(said) or score.CODE_WORDS.search(said)):
            drop[i] = 1
    return {"story": story, "title": title, "drop": drop}


def _plain(score, phrase: str) -> list[str]:
    return [w for w in score.words(phrase) if w not in score.FILLER]


def align(gold_titles: list[str], titles: list[str], score) -> np.ndarray:
    """1 at the blocks the gold titles are matched to: the most matches in reading order
    (a dynamic program), preferring closer matches."""
    n, m = len(titles), len(gold_titles)
    labels = np.zeros(n)
    if not n or not m:
        return labels
    quality = np.full((m, n), -1.0)
    title_words = [set(score.words(t)) if t and len(t.split()) <= 40 else set() for t in titles]
    for j, gold in enumerate(gold_titles):
        gold_words = set(score.words(gold))
        for i, title in enumerate(titles):
            # Titles that share no word never pass the scorer's test: skip its slow string ratio.
            if title_words[i] & gold_words and score.similar(gold, title) >= 0.8:
                quality[j, i] = 1.0 + _closeness(gold, title)
    # best[j][i]: the best total matching gold titles j.. to blocks i..
    best = np.zeros((m + 1, n + 1))
    for j in range(m - 1, -1, -1):
        for i in range(n - 1, -1, -1):
            skip_block, skip_gold = best[j, i + 1], best[j + 1, i]
            take = quality[j, i] + best[j + 1, i + 1] if quality[j, i] > 0 else -1
            best[j, i] = max(skip_block, skip_gold, take)
    i = j = 0
    while i < n and j < m:
        if quality[j, i] > 0 and math.isclose(best[j, i], quality[j, i] + best[j + 1, i + 1]):
            labels[i] = 1
            i, j = i + 1, j + 1
        elif math.isclose(best[j, i], best[j, i + 1]):
            i += 1
        else:
            j += 1
    return labels


def _closeness(gold: str, title: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, gold.lower(), title.lower()).ratio()


def fit_head(x: np.ndarray, y: np.ndarray, weights: np.ndarray, head: str) -> LinearModel:
    """``head`` fitted on the columns of ``x`` it reads (``classify.head_features``)."""
    from sklearn.linear_model import LogisticRegression

    from episodekit.learned import fit_standardised

    x = x[:, head_columns(head)]
    model = fit_standardised(LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000), x, y,
                             head_features(head), sample_weight=weights)
    threshold = best_threshold(model.probability(x), y, RECALL_WEIGHT.get(head, 1.0))
    return replace(model, extra={"threshold": threshold, "head": head})


# F-beta's beta per head (1 where not named): furniture missed is spoken aloud, so the
# drop head's recall counts double (cross-validated, 64% of documents with nothing
# forbidden spoken against 34% at F1, for 1% fewer stories fully spoken).
RECALL_WEIGHT = {"drop": 2.0}


def best_threshold(p: np.ndarray, y: np.ndarray, beta: float = 1.0) -> float:
    """The threshold with the best F-beta on the training blocks."""
    best, best_score = 0.5, -1.0
    for t in np.arange(0.05, 0.96, 0.01):
        score = _f_beta(p >= t, y > 0, beta)
        if score > best_score:
            best, best_score = float(round(t, 2)), score
    return best


def _f_beta(predicted: np.ndarray, actual: np.ndarray, beta: float = 1.0) -> float:
    tp = float(np.sum(predicted & actual))
    b2 = beta * beta
    return (1 + b2) * tp / max(1.0, float(b2 * np.sum(actual) + np.sum(predicted)))


def fit(docs: list[Labelled]) -> BlockModel:
    """The draft and the three heads fitted on ``docs``, every block weighing the same.
    Cross-validated, weighing each publication the same found 83% of the gold stories
    instead of 90%, and weighing the other sets' blocks tenfold 86%; weighing the
    project's own roundups twentyfold did not fit them better."""
    x = np.vstack([d.features for d in docs])
    weights = np.ones(len(x))
    stories = np.concatenate([d.labels["story"] for d in docs])
    draft = fit_head(x, stories, weights, DRAFT)
    full = np.vstack([with_context(d.features, block_forms(d.blocks), head_probability(draft, DRAFT, d.features),
                                   draft.extra["threshold"]) for d in docs])
    heads = {head: fit_head(full, np.concatenate([d.labels[head] for d in docs]), weights, head) for head in HEADS}
    model = BlockModel({DRAFT: draft, **heads})
    story = heads["story"]
    form = best_form_threshold(model, docs)
    heads["story"] = LinearModel(story.features, story.coef, story.intercept, story.mean, story.scale,
                                 {**story.extra, "form_threshold": form})
    return BlockModel({DRAFT: draft, **heads})


def best_form_threshold(model: BlockModel, docs: list[Labelled]) -> float:
    """The lower threshold for a block of a start's own form with the best F1 of story
    starts on the training documents."""
    chances = [(model.probabilities(d.features, block_forms(d.blocks))["story"], block_forms(d.blocks),
                d.labels["story"] > 0) for d in docs]
    top = model.threshold("story")
    best, best_score = top, -1.0
    for t in np.arange(0.05, top + 0.001, 0.01):
        thresholds = Thresholds(top, 0.5, 0.5, float(t))
        predicted = np.concatenate([story_starts(p, forms, thresholds) for p, forms, _ in chances])
        score = _f_beta(predicted, np.concatenate([a for _, _, a in chances]))
        if score > best_score:
            best, best_score = float(round(t, 2)), score
    return best


def folds(docs: list[Labelled], k: int = FOLDS) -> list[int]:
    """Each document's fold, by a hash of its name: stable whatever the order of reading."""
    import hashlib

    return [int(hashlib.sha1(d.name.encode()).hexdigest(), 16) % k for d in docs]


def cross_validated(docs: list[Labelled], k: int = FOLDS) -> dict[int, BlockModel]:
    assignment = folds(docs, k)
    return {f: fit([d for d, a in zip(docs, assignment) if a != f]) for f in range(k)}


def by_publication(docs: list[Labelled]) -> tuple[dict[int, BlockModel], list[int]]:
    """Leave one publication out: each publication read by heads fitted on the others only,
    as a roundup of a publication the corpus lacks would be. Returns the models and each
    document's fold (its publication's number)."""
    publications = sorted({d.publication for d in docs if d.gold_path is not None})
    assignment = [publications.index(d.publication) if d.publication in publications else -1 for d in docs]
    models = {f: fit([d for d, a in zip(docs, assignment) if a != f]) for f in range(len(publications))}
    return models, assignment


def block_table(docs: list[Labelled], models: dict[int, BlockModel]) -> str:
    assignment = folds(docs, len(models))
    rows = ["| head | blocks labelled | precision | recall | F1 |", "|---|---|---|---|---|"]
    for head in HEADS:
        predicted, actual = [], []
        for d, f in zip(docs, assignment):
            model = models[f]
            predicted.append(model.probabilities(d.features, block_forms(d.blocks))[head] >= model.threshold(head))
            actual.append(d.labels[head] > 0)
        p, a = np.concatenate(predicted), np.concatenate(actual)
        tp = float(np.sum(p & a))
        rows.append(f"| {head} | {int(a.sum())} of {len(a)} | {tp / max(1, p.sum()):.3f} | {tp / max(1, a.sum()):.3f} "
                    f"| {_f_beta(p, a):.3f} |")
    return "\n".join(rows)


def train(corpus: Path) -> None:
    docs = load_corpus(corpus)
    print(f"{len(docs)} roundups, {sum(len(d.blocks) for d in docs)} blocks; {FOLDS}-fold by document")
    print(block_table(docs, cross_validated(docs)))
    final = fit(docs)
    for head, model in final.heads.items():
        digest = write_model(model, MODELS / model_file(head), PINS_FILE)
        form = f", same form {model.extra['form_threshold']}" if "form_threshold" in model.extra else ""
        print(f"{model_file(head)}: threshold {model.extra['threshold']}{form}, sha256 {digest[:12]}")
