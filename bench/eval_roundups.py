"""make eval, roundup side: every real roundup made into a script and scored against its gold.

The story finder's block classifier is cross-validated by document: the roundups are cut
into k folds, and each fold is read with heads fitted on the other folds only (their
thresholds chosen on those folds too), so no roundup is scored by a model that saw it.
Each roundup then goes through the real text stages as ``text2audio --script-only`` does:
the script, its JSON and a WebVTT with times estimated from the speaking rate; the scorer
reads only the JSON and the WebVTT, and no voice changes a word of either. The corpus
brings its own scorer (``score_roundup.py``), imported from the corpus folder, so the
figures are the corpus's, not ours.

Cross-validation by document lets a publication's other issues teach the model its layout.
The product also meets publications the corpus lacks, so the classifier is scored a second
way: each publication (the nine development roundups count as one) read by heads fitted on
the other publications only.

The hand-written layout rules (``layout_rules``) have nothing fitted to the corpus and are
scored on every roundup as they are. The default finder, ``auto``, takes their reading, or
the classifier's where they find fewer than two stories; it is scored with the classifier
of each way of holding documents out.

Baselines beside the model: ``one story`` (the whole roundup one section under its
title) and ``every heading`` (each heading, or in text without markup each short line
that ends without a full stop, starts a story).
"""

from __future__ import annotations

import math
import random
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.train_stories import Labelled, by_publication, cross_validated, folds, load_corpus, scorer
from text2audio.classify import block_forms
from episodekit.jsonio import episode_to_json
from episodekit.timed_text import to_vtt

METRICS = (
    ("found", "gold stories found"),
    ("covered", "gold stories spoken (must_say)"),
    ("title", "title right"),
    ("bounds", "story count in bounds"),
    ("clean", "nothing forbidden spoken"),
)
RESAMPLES = 2000
LEARNED = "learned (CV)"
UNSEEN = "learned, publication held out"  # leave one publication out: a publication never trained on
AUTO = "auto (default, CV)"  # the layout reading, or the learned one where the layout finds no structure
AUTO_UNSEEN = "auto, publication held out"
LAYOUT = "layout"  # the hand-written finder: nothing in it is fitted to the corpus
BASELINES = ("one story", "every heading")


def script_files(episode, work: Path, name: str) -> tuple[Path, Path]:
    """NAME.json and NAME.vtt as ``text2audio --script-only`` writes them."""
    from text2audio.pipeline import Options, prepare, script_timings

    options = Options()
    timed = script_timings(prepare([episode], options), options)
    json_path, vtt_path = work / f"{name}.json", work / f"{name}.vtt"
    json_path.write_text(episode_to_json(timed), "utf-8")
    vtt_path.write_text(to_vtt(timed), "utf-8")
    return json_path, vtt_path


def _baseline(doc: Labelled, which: str) -> dict:
    n = len(doc.blocks)
    story = np.zeros(n)
    if which == "every heading":
        for i, b in enumerate(doc.blocks):
            short_line = doc.document.plain_text and b.words <= 16 and not re.search(r"[.!?:]$", b.text)
            story[i] = float(b.kind == "heading" or short_line)
    return {"story": story, "title": np.zeros(n), "drop": np.zeros(n)}


def score_docs(docs: list[Labelled], corpus: Path, method: str, models=None, assignment=None) -> list[dict]:
    from text2audio.stories import StoryOptions, either_reading, episode_from_labels
    from text2audio.classify import Thresholds
    from text2audio.layout_rules import episode_from_layout

    score = scorer(corpus)
    if assignment is None:
        assignment = folds(docs, len(models)) if models else [0] * len(docs)
    options = StoryOptions()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc, fold in zip(docs, assignment):
            if doc.gold_path is None:  # the project's own roundups: trained on, scored by the tests
                continue
            if method == LAYOUT:
                episode = episode_from_layout(doc.document)
            else:
                if models:
                    model = models[fold]
                    probabilities = model.probabilities(doc.features, block_forms(doc.blocks))
                    thresholds = model.thresholds()
                else:
                    probabilities, thresholds = _baseline(doc, method), Thresholds(0.5, 0.5, 0.5, 0.5)
                episode = episode_from_labels(doc.document, doc.blocks, probabilities, thresholds, options)
                if method in (AUTO, AUTO_UNSEEN):
                    episode = either_reading(episode_from_layout(doc.document), episode, options)
            json_path, vtt_path = script_files(episode, Path(tmp), doc.name)
            result = score.main(str(doc.gold_path), str(json_path), str(vtt_path))
            results.append({"publication": doc.publication, "roundup": doc.path.name, "method": method, **result})
    return results


def per_document(result: dict) -> dict:
    gold = max(1, result["stories_gold"])
    bounds = 0.8 * result["stories_gold"] <= result["story_sections"] <= 1.25 * result["stories_gold"] + 1
    clean = not result["forbidden_spoken"] and not result["urls_spoken"] and not result["code_like_spoken"]
    return {"found": result["stories_found"] / gold, "covered": result["stories_covered"] / gold,
            "title": float(result["title_ok"]), "bounds": float(bounds), "clean": float(clean)}


def mean_ci(values: list[float], seed: int = 0) -> tuple[float, float, float]:
    """The mean and its 95% bootstrap interval over documents."""
    if not values:
        return math.nan, math.nan, math.nan
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=len(values))) / len(values) for _ in range(RESAMPLES))
    return sum(values) / len(values), means[int(0.025 * RESAMPLES)], means[int(0.975 * RESAMPLES) - 1]


def summary_table(results: list[dict], methods: list[str]) -> str:
    """Per publication and overall: each metric's mean over documents with its 95% interval."""
    groups = defaultdict(list)
    for r in results:
        groups[(r["publication"], r["method"])].append(per_document(r))
        if r["publication"] != "roundups":
            groups[("all roundups-large", r["method"])].append(per_document(r))
    publications = sorted({p for p, _ in groups if p not in ("all roundups-large", "roundups")})
    head = "| set | documents | method | " + " | ".join(label for _, label in METRICS) + " |"
    rows = [head, "|" + "---|" * (3 + len(METRICS))]
    for publication in [*publications, "all roundups-large", "roundups"]:
        for method in methods:
            docs = groups.get((publication, method))
            if not docs:
                continue
            cells = []
            for key, _ in METRICS:
                mean, lo, hi = mean_ci([d[key] for d in docs])
                cells.append(f"{mean:.1%} ({lo:.1%}–{hi:.1%})")
            name = f"**{publication}**" if publication.startswith("all") else publication
            rows.append(f"| {name} | {len(docs)} | {method} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def totals_line(results: list[dict], method: str) -> str:
    chosen = [r for r in results if r["method"] == method and r["publication"] != "roundups"]
    forbidden = sum(len(r["forbidden_spoken"]) for r in chosen)
    urls = sum(r["urls_spoken"] for r in chosen)
    code = sum(r["code_like_spoken"] for r in chosen)
    return (f"{method}, roundups-large: {forbidden} forbidden strings, {urls} URLs and {code} code lines spoken "
            f"in {sum(bool(r['forbidden_spoken'] or r['urls_spoken'] or r['code_like_spoken']) for r in chosen)} "
            f"of {len(chosen)} documents")


def dev_table(results: list[dict], method: str) -> str:
    """The nine development roundups one by one, as read by ``method``."""
    rows = ["| roundup | gold stories found | story sections (gold) | must_say spoken | forbidden spoken "
            "| URLs / code lines spoken | title ok |", "|---|---|---|---|---|---|---|"]
    chosen = [r for r in results if r["publication"] == "roundups" and r["method"] == method]
    for s in chosen:
        ok = 0.8 * s["stories_gold"] <= s["story_sections"] <= 1.25 * s["stories_gold"] + 1
        rows.append(f"| {s['roundup']} | {s['stories_found']}/{s['stories_gold']} | {s['story_sections']} "
                    f"({s['stories_gold']}){'' if ok else ' ✗'} | {s['stories_covered']}/{s['stories_gold']} "
                    f"| {len(s['forbidden_spoken'])} | {s['urls_spoken']} / {s['code_like_spoken']} "
                    f"| {'✓' if s['title_ok'] else '✗ ' + s['episode_title']} |")
    return "\n".join(rows)


def main(corpus_roundups: Path) -> str:
    """``corpus_roundups`` is the corpus's roundups folder; roundups-large sits beside it."""
    corpus = Path(corpus_roundups).parent
    docs = load_corpus(corpus)
    models = cross_validated(docs)
    unseen, assignment = by_publication(docs)
    results = []
    for method, fitted, folded in ((LEARNED, models, None), (AUTO, models, None), (UNSEEN, unseen, assignment),
                                   (AUTO_UNSEEN, unseen, assignment)):
        results += score_docs(docs, corpus, method, fitted, folded)
    for method in (LAYOUT, *BASELINES):
        results += score_docs(docs, corpus, method)
    return "\n\n".join([
        f"Cross-validated by document ({len(models)} folds); mean over documents (95% bootstrap interval).",
        summary_table(results, [AUTO, AUTO_UNSEEN, LAYOUT, LEARNED, UNSEEN, *BASELINES]),
        totals_line(results, AUTO), totals_line(results, LAYOUT), totals_line(results, LEARNED),
        f"{AUTO}:\n\n{dev_table(results, AUTO)}", f"{LAYOUT}:\n\n{dev_table(results, LAYOUT)}",
        f"{LEARNED}:\n\n{dev_table(results, LEARNED)}",
    ])
