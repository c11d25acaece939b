"""Where one story ends and the next begins in a spoken show.

Every gap between two sentences is described by the named features of
:mod:`audio2text.boundaries`, and three logistic regressions learned from the transcript
corpus (``make train``; the weights in ``models/sections.json``) give the odds that a story
boundary, the end of the intro or the start of the outro lies there. The boundaries come
from one optimisation over the whole episode: a dynamic program that chooses the set of
gaps with the best total of boundary log-odds plus a prior on section length, learned
from the gold sections' durations (log-normal). So the number of sections comes from the
evidence: a gap is a boundary only where its odds outweigh what one more section costs,
and a 30-second call has no gap strong enough. Every constant of the decoding (the cost
of a section, the weight of the length prior, the odds an intro or outro needs) was
chosen by cross-validation on the corpus, on the training folds only.

The story odds are read twice. A gap's own features say how much changes there, but a
story turns at one gap of a stretch where much changes: a second logistic regression,
fitted on the first one's odds, reads each gap's odds beside its neighbours' (how far it
stands above the three gaps on either side, and against the episode's mean) and says
whether this is the gap where it turns. Held out by episode, this lowered the mean Pk on
the transcript corpus from 0.252 to 0.248.

An opening section is the intro when its closing gap looks more like the end of an
intro than like a story boundary; the same for the outro at the other end.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from episodekit import embeddings
from episodekit.learned import LinearModel, load_model, model_from_dict
from episodekit.model import Sentence

from .boundaries import RULES, gap_features, rule_features
from .models import PINS

MODEL_FILE = Path(__file__).parent / "models" / "sections.json"


@dataclass(frozen=True)
class Decoding:
    """The constants of the dynamic program; ``make train`` chooses them on training folds."""

    section_cost: float = 0.0  # added per boundary to its log-odds: the price of one more section
    # Two log-normal priors on a section's length, learned from the gold sections: in
    # seconds (a section is minutes long: a 30-second call is one section), and as a share
    # of the episode (editors give an episode about ten chapters, whatever its length).
    length_weight: float = 1.0
    log_mean: float = 5.0  # log seconds (e^5 is about 2.5 minutes)
    log_sigma: float = 1.0
    share_weight: float = 0.0
    share_log_mean: float = -2.3  # log share of the episode (e^-2.3 is about a tenth)
    share_log_sigma: float = 0.75
    intro_cost: float = 0.0  # added to the intro log-odds before they are compared with a story's
    outro_cost: float = 0.0
    min_sentences: int = 2  # a section holds at least a heading's worth of speech
    # No story is shorter than all but the shortest 2.5% of the gold stories (learned):
    # what keeps a short call or a single-topic minute in one section. An intro or outro
    # may be shorter (a welcome of two sentences).
    min_seconds: float = 37.0


@dataclass(frozen=True)
class SectioningOptions:
    """What sectioning uses: the learned model (None: the shipped one), and the rules
    switched off (each rule's features are then held at their training means)."""

    model: Optional["SectionModel"] = None
    off: tuple[str, ...] = ()
    decoding: Optional[Decoding] = None  # None: the learned constants

    def without(self, *rules: str) -> "SectioningOptions":
        unknown = set(rules) - set(RULES)
        if unknown:
            raise ValueError(f"unknown sectioning rule(s): {', '.join(sorted(unknown))}")
        return replace(self, off=tuple(sorted(set(self.off) | set(rules))))


@dataclass(frozen=True)
class SectionModel:
    story: LinearModel
    intro: LinearModel
    outro: LinearModel
    decoding: Decoding = field(default_factory=Decoding)
    vocabulary: tuple[str, ...] = ()  # the words the openings rule looks for
    context: Optional[LinearModel] = None  # the second reading of the story odds (None: the first alone)

    def without(self, features: Sequence[str]) -> "SectionModel":
        return SectionModel(self.story.without(features), self.intro.without(features),
                            self.outro.without(features), self.decoding, self.vocabulary, self.context)


NEIGHBOURS = 3  # gaps on either side whose story odds the second reading compares


CONTEXT_FEATURES = ("odds", *(f"odds_{side}_{d}" for d in range(1, NEIGHBOURS + 1) for side in ("before", "after")),
                    "odds_above_neighbours", "odds_centred", "odds_standard")


def context_features(odds: np.ndarray) -> np.ndarray:
    """One row of CONTEXT_FEATURES per gap: its story odds, its neighbours' odds, how far
    it stands above the best of them, and how it compares with the episode's odds."""
    n = len(odds)
    if not n:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    floor = odds.min()
    padded = np.concatenate([np.full(NEIGHBOURS, floor), odds, np.full(NEIGHBOURS, floor)])
    columns = [odds]
    for distance in range(1, NEIGHBOURS + 1):
        columns += [padded[NEIGHBOURS - distance: NEIGHBOURS - distance + n],
                    padded[NEIGHBOURS + distance: NEIGHBOURS + distance + n]]
    columns += [odds - np.max(np.vstack(columns[1:]), axis=0), odds - odds.mean(),
                (odds - odds.mean()) / (odds.std() or 1.0)]
    return np.column_stack(columns)


def shipped_model() -> SectionModel:
    story = load_model(MODEL_FILE, PINS[MODEL_FILE.name], "sectioning model")
    return section_model(story)


def section_model(story: LinearModel) -> SectionModel:
    """The four models of one file: the story model carries the intro, outro and second
    reading's models and the decoding constants in its ``extra``."""
    extra = story.extra
    context = model_from_dict(extra["context"]) if "context" in extra else None
    return SectionModel(story, model_from_dict(extra["intro"]), model_from_dict(extra["outro"]),
                        Decoding(**extra.get("decoding", {})), tuple(extra.get("vocabulary", ())), context)


def find_sections(sentences: Sequence[Sentence], options: SectioningOptions = SectioningOptions(),
                  vectors: np.ndarray | None = None) -> list[tuple[str, list[Sentence]]]:
    """Cut sentences into ``(kind, sentences)`` sections: intro, stories, outro."""
    sentences = list(sentences)
    if not sentences:
        return []
    model = options.model or shipped_model()
    if options.off:
        model = model.without([f for rule in options.off for f in rule_features(rule, model.vocabulary)])
    if vectors is None:
        vectors = embeddings.embed([s.text for s in sentences])
    names, gaps = gap_features(sentences, vectors, model.vocabulary)
    if list(names) != list(model.story.features):
        raise ValueError("the sectioning model was trained on other features: run make train")
    scores = gap_scores(model, gaps.rows)
    starts = np.concatenate([[0.0], gaps.times])
    bounds, kinds = decode(scores, starts, gaps.duration, options.decoding or model.decoding)
    spans = list(zip([0, *bounds], [*bounds, len(sentences)]))
    return [(kind, sentences[a:b]) for kind, (a, b) in zip(kinds, spans)]


def gap_scores(model: SectionModel, rows: np.ndarray) -> np.ndarray:
    """Log-odds of a story boundary, an intro end and an outro start at each gap (3 x gaps)."""
    if not len(rows):
        return np.zeros((3, 0))
    story = model.story.logit(rows)
    if model.context is not None:
        story = model.context.logit(context_features(story))
    return np.vstack([story, model.intro.logit(rows), model.outro.logit(rows)])


def decode(scores: np.ndarray, starts: np.ndarray, duration: float,
           decoding: Decoding) -> tuple[list[int], list[str]]:
    """The best set of boundaries (sentence indices that start a section) and the kind of
    each section. ``scores`` are the gap log-odds, ``starts`` each sentence's start time.

    Stories are divided by the program alone. When the program finds more than one
    section, the most intro-like gap of the first half ends the intro if its odds (with
    the learned intro cost) are better than even, and the program then divides only what
    follows it; the outro likewise, from the most outro-like gap of the second half."""
    story, intro, outro = scores if len(scores) else (np.zeros(0),) * 3
    gaps = story + decoding.section_cost
    bounds = _programme(gaps, starts, duration, decoding)
    if not bounds:
        return [], ["story"]
    half = starts[1:] < starts[0] + (duration - starts[0]) / 2
    first = _edge(intro + decoding.intro_cost, half)
    last = _edge(outro + decoding.outro_cost, ~half)
    if first is None and last is None:
        return bounds, ["story"] * (len(bounds) + 1)
    for edge, before in ((first, True), (last, False)):
        if edge is not None:
            gaps = gaps.copy()
            # A forced boundary, and none on the far side of it (large finite values,
            # so that sums with unreachable totals stay ordered).
            gaps[edge] = _FORCED
            if before:
                gaps[:edge] = -_FORCED
            else:
                gaps[edge + 1:] = -_FORCED
    bounds = _programme(gaps, starts, duration, decoding, short_first=first is not None, short_last=last is not None)
    kinds = ["story"] * (len(bounds) + 1)
    if first is not None and bounds and bounds[0] == first + 1:
        kinds[0] = "intro"
    if last is not None and bounds and bounds[-1] == last + 1 and len(kinds) > 1 and kinds[-1] != "intro":
        kinds[-1] = "outro"
    return bounds, kinds


_FORCED = 1e6


def _edge(odds: np.ndarray, where: np.ndarray) -> int | None:
    """The gap with the best odds among ``where``, if they are better than even."""
    if not where.any():
        return None
    best = int(np.flatnonzero(where)[np.argmax(odds[where])])
    return best if odds[best] > 0 else None


def _programme(gaps: np.ndarray, starts: np.ndarray, duration: float, decoding: Decoding, *,
               short_first: bool = False, short_last: bool = False) -> list[int]:
    """The sections of best total: each boundary's log-odds plus each section's length
    prior; ``short_first`` and ``short_last`` let the first and last section (an intro, an
    outro) be shorter than a story may be."""
    n = len(starts)
    ends = np.append(starts[1:], duration)
    minimum = max(1, decoding.min_sentences)
    best = np.full(n + 1, -np.inf)
    back = np.zeros(n + 1, dtype=int)
    best[0] = 0.0
    for j in range(minimum, n + 1):
        i = np.arange(0, j - minimum + 1)
        seconds = np.log(np.maximum(ends[j - 1] - starts[i], 1.0))
        prior = -decoding.length_weight * (seconds - decoding.log_mean) ** 2 / (2 * decoding.log_sigma ** 2) \
            - decoding.share_weight * (seconds - np.log(duration) - decoding.share_log_mean) ** 2 \
            / (2 * decoding.share_log_sigma ** 2)
        opening = np.where(i > 0, gaps[np.maximum(i - 1, 0)] if len(gaps) else 0.0, 0.0)
        short = np.exp(seconds) < decoding.min_seconds
        short[0] &= not short_first
        if j == n:
            short[:] &= not short_last
            short[0] = False  # the whole recording is always a possible section
        totals = np.where(short, -np.inf, best[i] + prior + opening)
        back[j] = int(np.argmax(totals))
        best[j] = totals[back[j]]
    if not np.isfinite(best[n]):
        return []
    bounds, j = [], n
    while j > 0:
        j = back[j]
        if j > 0:
            bounds.append(j)
    return bounds[::-1]
