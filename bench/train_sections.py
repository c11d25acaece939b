"""Train audio2text's sectioning model on the transcript corpus, cross-validated by episode.

Each episode of ../shared/corpus/transcripts is read as a user's transcript would be
(audio2text.captions), cut into sentences and described gap by gap (audio2text.boundaries).
The gold section starts become labels on the nearest gap. Episodes are dealt into folds
within each show, so every fold holds all three shows; for each fold the three logistic
regressions are fitted on the other folds, the decoding constants are chosen on the other
folds too (a grid, scored by mean Pk), and the held-out episodes are sectioned with them.
The held-out outputs are written as segment-model JSON and scored by the corpus's own
scorer, beside its baselines. The shipped model is then fitted on every episode, with
constants chosen the same way, and written with its pin.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .measure import ROOT

CACHE = ROOT / ".cache" / "train"
OUT = ROOT / "bench" / "results" / "train-sections"
FIRST_WORDS = OUT.with_name("train-sections-first-words")
FOLDS = 5
SEED = 0
TUNING_EPISODES = 150  # training-fold episodes the decoding grid is scored on (for speed)
SECTION_COSTS = (1.0, 1.5, 2.0, 2.5, 3.0)
# Of the prior on seconds: never 0, so that a recording of seconds stays one section
# (the corpus has no such recording to teach it). The training folds chose the lowest
# weight of (0.1, 0.25, 0.5) on four folds of five, so the grid now goes lower.
LENGTH_WEIGHTS = (0.05, 0.1, 0.25)
SHARE_WEIGHTS = (0.25, 0.5, 1.0, 2.0)  # of the prior on the share of the episode (both ends were chosen)
EDGE_COSTS = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0)


@dataclass
class Item:
    name: str
    show: str
    rows: np.ndarray
    starts: np.ndarray  # start of every sentence
    duration: float
    gold_starts: list[float]
    gold_kinds: list[str]
    story: np.ndarray  # 0/1 per gap
    intro: np.ndarray
    outro: np.ndarray
    features: list[str]
    sentences: list  # for the heading and key-point trainers
    gold: dict


def _load(paths: tuple[Path, Path]) -> Item:
    from audio2text.boundaries import gap_features
    from audio2text.captions import read_transcript
    from audio2text.sentences import build_sentences
    from episodekit import embeddings

    transcript_path, gold_path = paths
    gold = json.loads(gold_path.read_text("utf-8"))
    sentences = build_sentences(read_transcript(transcript_path))
    names, gaps = gap_features(sentences, embeddings.embed([s.text for s in sentences]))
    starts = np.concatenate([[0.0], gaps.times])
    segments = gold["segments"]
    n = len(sentences)
    labels = {k: np.zeros(max(n - 1, 0)) for k in ("story", "intro", "outro")}
    for index, first in enumerate(segment_firsts(starts, segments) if n > 1 else [], start=1):
        segment, gap = segments[index], first - 1
        labels["story"][gap] = 1.0
        if index == 1 and segments[0]["kind"] == "intro":
            labels["intro"][gap] = 1.0
        if index == len(segments) - 1 and segment["kind"] == "outro":
            labels["outro"][gap] = 1.0
    name = gold_path.name[: -len(".gold.json")]
    return Item(name, name.rsplit("-", 1)[0], gaps.rows, starts, float(segments[-1]["end"]),
                [s["start"] for s in segments], [s["kind"] for s in segments],
                labels["story"], labels["intro"], labels["outro"], names, sentences, gold)


def _source_key() -> str:
    digest = hashlib.sha256()
    for module in ("boundaries.py", "captions.py", "sentences.py", "spoken_cues.py"):
        digest.update((ROOT / "audio2text" / module).read_bytes())
    digest.update((ROOT / "episodekit" / "lexicon.py").read_bytes())
    return digest.hexdigest()[:12]


def load_corpus(folder: Path) -> list[Item]:
    """Every episode of the transcript corpus, featurised (cached until the code changes)."""
    cache = CACHE / f"sections-{_source_key()}.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    pairs = []
    for gold in sorted(folder.glob("*.gold.json")):
        name = gold.name[: -len(".gold.json")]
        found = [p for p in (folder / f"{name}.srt", folder / f"{name}.vtt") if p.is_file()]
        if found:
            pairs.append((found[0], gold))
    with ProcessPoolExecutor(max_workers=2) as pool:
        items = list(pool.map(_load, pairs, chunksize=8))
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(items))
    return items


def segment_firsts(starts: np.ndarray, segments: list[dict]) -> list[int]:
    """The first sentence of every gold segment after the first: the one after the gap
    nearest its gold start. The gold times are the editors' and most fall a fraction of a
    second after the cue they mark, so a strict ``start <= t`` would hand a story's first
    sentence (where a news host reads its headline) to the story before it."""
    return [int(np.argmin(np.abs(starts[1:] - s["start"]))) + 1 for s in segments[1:]]


def gold_spans(item: Item) -> list[list[int]]:
    """The sentences of each gold segment, opening where its boundary label is placed."""
    firsts = [0] + segment_firsts(item.starts, item.gold["segments"])
    return [list(range(a, max(a, b))) for a, b in zip(firsts, firsts[1:] + [len(item.starts)])]


def folds_of(items: list[Item], folds: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """A fold per episode, dealt round-robin within each show after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(items), dtype=int)
    for show in sorted({i.show for i in items}):
        members = [k for k, i in enumerate(items) if i.show == show]
        for rank, k in enumerate(rng.permutation(members)):
            fold[k] = rank % folds
    return fold


# --- scoring ----------------------------------------------------------------------------


def pk(ref_starts, hyp_starts, duration: float) -> float:
    """Pk on a 1-second grid with k = half the mean reference segment, as the corpus scores it."""
    n = int(duration)

    def marks(starts):
        grid = np.zeros(n + 1)
        for b in starts:
            i = int(b)
            if 0 < i < n:
                grid[i] = 1
        return np.concatenate([[0], np.cumsum(grid[:n])])

    ref, hyp = marks(ref_starts), marks(hyp_starts)
    k = max(2, round(n / (int(ref[-1]) + 1) / 2))
    if n - k + 1 <= 0:
        return 0.0
    i = np.arange(0, n - k + 1)
    return float(np.mean(((ref[i + k] - ref[i]) > 0) != ((hyp[i + k] - hyp[i]) > 0)))


# --- fitting ----------------------------------------------------------------------------


def fit_linear(rows: np.ndarray, labels: np.ndarray, features: list[str], extra: dict | None = None):
    from sklearn.linear_model import LogisticRegression

    from episodekit.learned import fit_standardised

    return fit_standardised(LogisticRegression(C=1.0, max_iter=500, tol=1e-3), rows, labels, features, extra=extra)


VOCABULARY_SHARE = 0.2  # a word opens sentences in at least this share of every show's episodes
CAPITALISED = 0.3  # ... and is capitalised in fewer than this share of its uses (not a name)


def choose_vocabulary(items: list[Item]) -> list[str]:
    """Words that open or close sentences on every show: general speech, not one show's names."""
    from episodekit.sentences import words

    shows = sorted({i.show for i in items})
    share: dict[str, dict[str, float]] = {show: {} for show in shows}
    capital: dict[str, list[int]] = {}
    for item in items:
        seen = set()
        for sentence in item.sentences:
            raw = sentence.text.split()
            tokens = words(sentence.text)
            seen.update(tokens[:4])
            seen.update(tokens[-4:])
            for word in raw[1:]:
                key = word.strip(".,!?;:\"'()").lower()
                counts = capital.setdefault(key, [0, 0])
                counts[0] += word[:1].isupper()
                counts[1] += 1
        size = sum(i.show == item.show for i in items)
        for word in seen:
            share[item.show][word] = share[item.show].get(word, 0.0) + 1 / size
    common = set.intersection(*({w for w, v in share[s].items() if v >= VOCABULARY_SHARE} for s in shows))
    return sorted(w for w in common if w in capital and capital[w][0] / capital[w][1] < CAPITALISED)


def with_openings(item: Item, vocabulary: list[str]) -> np.ndarray:
    from audio2text.boundaries import openings

    columns = openings([s.text for s in item.sentences], vocabulary)
    return np.column_stack([item.rows, *columns.values()]) if columns else item.rows


def rows_for(model, item: Item) -> np.ndarray:
    """The item's rows with the openings of the model's own vocabulary."""
    key = hash(model.vocabulary)
    if getattr(item, "vocabulary_key", None) != key:
        item.full, item.vocabulary_key = with_openings(item, list(model.vocabulary)), key
    return item.full


SHORTEST_PERCENT = 2.5  # the learned shortest story: this percentile of the gold stories' lengths


def fit_models(items: list[Item]):
    from audio2text.boundaries import rule_features
    from audio2text.sectioning import CONTEXT_FEATURES, Decoding, SectionModel, context_features

    vocabulary = choose_vocabulary(items)
    key = hash(tuple(vocabulary))
    for item in items:
        item.full, item.vocabulary_key = with_openings(item, vocabulary), key
    rows = np.vstack([i.full for i in items])
    features = items[0].features + rule_features("openings", vocabulary)
    story = fit_linear(rows, np.concatenate([i.story for i in items]), features)
    intro = fit_linear(rows, np.concatenate([i.intro for i in items]), features)
    outro = fit_linear(rows, np.concatenate([i.outro for i in items]), features)
    lengths = [(b - a, i.duration) for i in items for a, b in zip(i.gold_starts, i.gold_starts[1:] + [i.duration])]
    stories = [b - a for i in items for a, b, kind in zip(i.gold_starts, i.gold_starts[1:] + [i.duration], i.gold_kinds)
               if kind == "story"]
    seconds = np.log(np.maximum([s for s, _ in lengths], 1.0))
    shares = np.log(np.maximum([s / d for s, d in lengths], 1e-3))
    decoding = Decoding(log_mean=float(seconds.mean()), log_sigma=float(seconds.std()),
                        min_seconds=float(np.percentile(stories, SHORTEST_PERCENT)),
                        share_log_mean=float(shares.mean()), share_log_sigma=float(shares.std()))
    # The second reading, fitted on the first one's odds over the same episodes.
    odds = np.vstack([context_features(story.logit(i.full)) for i in items])
    context = fit_linear(odds, np.concatenate([i.story for i in items]), list(CONTEXT_FEATURES))
    return SectionModel(story, intro, outro, decoding, tuple(vocabulary), context)


def section(model, item: Item, decoding=None):
    from audio2text.sectioning import decode, gap_scores

    return decode(gap_scores(model, rows_for(model, item)), item.starts, item.duration, decoding or model.decoding)


def _edge_right(item: Item, kinds: list[str]) -> tuple[float, float]:
    """Whether the first and the last section's kinds (intro, outro) match the gold."""
    gold_first = item.gold_kinds[0] == "intro"
    gold_last = item.gold_kinds[-1] == "outro" and len(item.gold_kinds) > 1
    return float((kinds[0] == "intro") == gold_first), float((kinds[-1] == "outro") == gold_last)


def tune(model, items: list[Item], seed: int = SEED):
    """Decoding constants chosen on ``items`` (training episodes): first the section cost and
    the length priors' weights by mean Pk, then the intro and then the outro cost by how
    often that end of the episode gets its kind right (ties: the better Pk)."""
    from audio2text.sectioning import decode, gap_scores

    rng = np.random.default_rng(seed)
    sample = [items[k] for k in rng.permutation(len(items))[:TUNING_EPISODES]]
    scores = [(item, gap_scores(model, rows_for(model, item))) for item in sample]

    def mean_pk(decoding):
        total = 0.0
        for item, s in scores:
            bounds, _ = decode(s, item.starts, item.duration, decoding)
            total += pk(item.gold_starts[1:], [item.starts[b] for b in bounds], item.duration)
        return total / len(scores)

    base = model.decoding
    grid = [replace(base, section_cost=c, length_weight=w, share_weight=r, intro_cost=-_OFF, outro_cost=-_OFF)
            for c, w, r in itertools.product(SECTION_COSTS, LENGTH_WEIGHTS, SHARE_WEIGHTS)]
    best = min(grid, key=mean_pk)
    for edge, kind in (("intro_cost", 0), ("outro_cost", 1)):
        ranked = []
        for cost in EDGE_COSTS:
            decoding = replace(best, **{edge: cost})
            right = sum(_edge_right(item, decode(s, item.starts, item.duration, decoding)[1])[kind]
                        for item, s in scores)
            ranked.append((-right, mean_pk(decoding), decoding))
        best = min(ranked, key=lambda r: (r[0], r[1]))[2]
    return replace(model, decoding=best)


_OFF = 1e3  # an edge cost that no intro or outro odds overcome


def held_out(items: list[Item], fold: np.ndarray, fit=None) -> dict[str, tuple]:
    """For each episode, (bounds, kinds, model) from a model that never saw its fold."""
    fit = fit or (lambda train: tune(fit_models(train), train))
    result = {}
    for f in sorted(set(fold)):
        train = [i for i, g in zip(items, fold) if g != f]
        model = fit(train)
        for item, g in zip(items, fold):
            if g == f:
                bounds, kinds = section(model, item)
                result[item.name] = (bounds, kinds, model)
        print(f"  fold {f + 1}/{len(set(fold))}: {model.decoding}", flush=True)
    return result


def write_outputs(items: list[Item], sectioned: dict[str, tuple], folder: Path, title=None) -> None:
    """Held-out sections as segment-model JSON, which the corpus scorer reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        bounds, kinds, _ = sectioned[item.name]
        spans = list(zip([0, *bounds], [*bounds, len(item.starts)]))
        sections = []
        for kind, (a, b) in zip(kinds, spans):
            end = item.starts[b] if b < len(item.starts) else item.duration
            heading = title(item, a, b, kind) if title else first_words(item, a)
            sections.append({"kind": kind, "start": float(item.starts[a]), "end": float(end), "title": heading})
        (folder / f"{item.name}.json").write_text(json.dumps({"sections": sections}), "utf-8")


def first_words(item: Item, start: int) -> str:
    """The baseline heading: a section's first six words."""
    return " ".join(item.sentences[start].text.split()[:6])


def score(corpus_transcripts: Path, folder: Path) -> str:
    scorer = corpus_transcripts.parent / "score_transcripts.py"
    run = subprocess.run([sys.executable, str(scorer), str(corpus_transcripts), str(folder), "--boot", "2000"],
                         capture_output=True, text=True, check=True)
    return run.stdout


def intro_rate(items: list[Item], sectioned: dict[str, tuple]) -> tuple[float, int]:
    having = [i for i in items if i.gold_kinds[0] == "intro"]
    found = sum(sectioned[i.name][1][0] == "intro" for i in having)
    return found / max(len(having), 1), len(having)


def ablation(items: list[Item], sectioned: dict[str, tuple]) -> str:
    """Held-out mean Pk with each rule switched off in its fold's model (held at its means)."""
    from audio2text.boundaries import RULES, rule_features

    lines = ["| rule switched off | what it reads | held-out mean Pk |", "|---|---|---|"]
    for rule in (None, *RULES):
        values = []
        for item in items:
            model = sectioned[item.name][2]
            if rule:
                model = model.without(rule_features(rule, model.vocabulary))
            bounds, _ = section(model, item)
            values.append(pk(item.gold_starts[1:], [item.starts[b] for b in bounds], item.duration))
        doc = RULES[rule][1] if rule else "all rules on"
        lines.append(f"| {rule or 'none'} | {doc} | {np.mean(values):.3f} |")
    return "\n".join(lines)


def leave_one_show_out(items: list[Item], vectors: dict[str, np.ndarray]) -> str:
    """Each show sectioned by a model fitted and tuned on the other two: how the method
    carries to a show it has never heard (the figures that matter for other shows). Its
    gold sections are labelled by labels learned on the other two: how often a section its
    editors title by a standing label (any show's) takes one, and how often another does."""
    from . import train_labels

    standing = {form for form, _, _ in train_labels.discover(items)}
    lines = ["| show held out | episodes | mean Pk | no boundaries | intro found "
             "| standing sections labelled | other sections labelled |", "|---|---|---|---|---|---|---|"]
    for show in sorted({i.show for i in items}):
        train = [i for i in items if i.show != show]
        test = [i for i in items if i.show == show]
        model = tune(fit_models(train), train)
        values, flat, intros = [], [], []
        for item in test:
            bounds, kinds = section(model, item)
            values.append(pk(item.gold_starts[1:], [item.starts[b] for b in bounds], item.duration))
            flat.append(pk(item.gold_starts[1:], [], item.duration))
            intros.append(kinds[0] == "intro")
        took = train_labels.labelled_gold(test, vectors, train_labels.fit(train, vectors), standing)
        lines.append(f"| {show} | {len(test)} | {np.mean(values):.3f} | {np.mean(flat):.3f} | {np.mean(intros):.0%} "
                     f"| {_share(took[True])} | {_share(took[False])} |")
    return "\n".join(lines)


def _share(hits: list[bool]) -> str:
    return f"{np.mean(hits):.0%} of {len(hits)}" if hits else "none"


def sentence_vectors(items: list[Item]) -> dict[str, np.ndarray]:
    from episodekit import embeddings

    return {item.name: embeddings.embed([s.text for s in item.sentences]) for item in items}


def cross_validate(corpus: Path) -> tuple[str, list[Item], dict]:
    """The held-out table: sections and headings of every episode from models that never
    saw it, scored by the corpus's scorer, with the intro rate and the table of rules."""
    from . import train_headings

    folder = corpus / "transcripts"
    items = load_corpus(folder)
    head = f"{len(items)} episodes, {sum(len(i.starts) for i in items)} sentences; {FOLDS}-fold by episode"
    print(head, flush=True)
    fold = folds_of(items)
    sectioned = held_out(items, fold)
    titles = train_headings.held_out_titles(items, fold, sectioned, sentence_vectors(items))
    write_outputs(items, sectioned, OUT, title=lambda item, a, b, kind: titles[item.name][a])
    write_outputs(items, sectioned, FIRST_WORDS)
    baseline = [line for line in score(folder, FIRST_WORDS).splitlines() if line.startswith("title_rouge1")]
    rate, having = intro_rate(items, sectioned)
    report = "\n".join([head, score(folder, OUT),
                         "first six words of each section as its heading (the baseline), same sections:",
                         *(line[:60].rstrip() for line in baseline), "",
                         f"intro found (held-out): {rate:.1%} of {having} episodes with one", "",
                         ablation(items, sectioned)])
    return report, items, sectioned


def train(corpus: Path) -> None:
    import audio2text.models as pins
    from audio2text.sectioning import MODEL_FILE
    from episodekit.learned import model_to_dict, write_model

    from . import train_headings, train_labels

    report, items, _ = cross_validate(corpus)
    print(report, flush=True)
    final = tune(fit_models(items), items)
    story = replace(final.story, extra={
        "intro": model_to_dict(final.intro), "outro": model_to_dict(final.outro),
        "context": model_to_dict(final.context),
        "decoding": {k: round(float(v), 4) if isinstance(v, float) else v for k, v in vars(final.decoding).items()},
        "vocabulary": list(final.vocabulary),
        "trained_on": f"{len(items)} episodes of the transcript corpus",
    })
    digest = write_model(story, MODEL_FILE, Path(pins.__file__))
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} (sha256 {digest[:12]}...): {final.decoding}")
    vectors = sentence_vectors(items)
    train_headings.train_final(items)
    train_labels.train_final(items, vectors)
    print("\nleave one show out: fitted and tuned on the other two shows\n")
    print(leave_one_show_out(items, vectors), flush=True)
