"""Where one story ends and the next begins in a spoken show.

Real hosts rarely announce their topics and do not pause longer between them, so the
main evidence is meaning: each sentence is embedded with its neighbours, and a section
is a run of sentences whose embeddings agree. The boundaries come from one optimisation
over the whole episode: a dynamic program that splits the sentences into K contiguous
sections with the least spread around each section's mean (the sum of squared
distances, as k-means measures it), plus the weak priors the rules below add at each
boundary.

The evidence also decides K. Splitting always reduces the spread, even of sentences in
random order; what a real topic change buys is the reduction beyond that. The same
program runs on shuffled copies of the episode (shuffled in short blocks, so the
likeness of neighbouring sentences survives and only the topic order is lost), and each
extra section's gain is compared with its gain on the shuffled copies. Those ratios
rise while sections follow real topics and fall once they only cut noise; K is where
the ratio has lost half of its excess over 1. No episode length or section count enters.
A host who announces at least as many stories as meaning finds ("First up", "Meanwhile")
has said where they start: the announcements are the boundaries. Otherwise each boundary
is placed by the program and refined by meaning read sentence by sentence.

The intro (a welcome, up to the hand-over to the first story) and the outro (from the
sign-off or recap on) are found first by what hosts say there, and the program divides
what lies between.

Each signal is a named rule with its weight in :class:`SectioningOptions`; a weight of 0
switches a rule off, so `make eval` can measure what each contributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import numpy as np

from episodekit import embeddings
from episodekit.lexicon import FIRST_ITEM, INTRO_CUES, INTRO_ENDS, OUTRO_CUES, OUTRO_PATTERN, SECOND_ITEM
from episodekit.model import Sentence

from .spoken_cues import asks, contains, cue_strength, names


@dataclass(frozen=True)
class SectioningOptions:
    """The tuning values of sectioning, in one place.

    Weights of boundary rules are in the units of the objective: one unit is about what
    moving a boundary by one sentence of clearly different meaning costs, so a weight of
    0.25 lets a cue move a boundary by a sentence, never create one on its own (on real
    shows, where cues and pauses are rare and questions are everywhere, heavier priors
    moved boundaries away from the turns: see make eval's table of rules).
    """

    # Weights of the named rules (see RULES); 0 switches a rule off.
    weights: dict = field(default_factory=lambda: {
        "meaning": 1.0,  # coherence of sentence embeddings within a section
        "names": 0.25,  # a boundary where the names heard change
        "cues": 0.25,  # spoken transitions ("Meanwhile", "Next question") and questions
        "pauses": 0.1,  # longer silences; weak, since hosts do not pause more between stories
        "intro": 1.0,  # the welcome up to the hand-over to the first story
        "outro": 1.0,  # the sign-off, recap and plugs at the end
    })
    context: int = 1  # sentences each side embedded with a sentence, to steady short ones
    min_sentences: int = 3  # the shortest section, in sentences
    max_sections: int = 40  # the most sections the count is chosen from
    shuffles: int = 8  # shuffled copies the gains are compared with
    shuffle_block: int = 4  # sentences kept together when shuffling
    keep_excess: float = 0.5  # K: where a section's gain ratio has lost this share of its excess
    edge_seconds: float = 180.0  # the intro and outro are looked for this far from each end...
    edge_share: float = 0.25  # ... or this share of the episode, whichever is shorter
    seed: int = 0  # shuffles are seeded: the same transcript always gives the same sections

    def without(self, *rules: str) -> "SectioningOptions":
        """These options with the named rules switched off."""
        unknown = set(rules) - set(RULES)
        if unknown:
            raise ValueError(f"unknown sectioning rule(s): {', '.join(sorted(unknown))}")
        weights = {k: (0.0 if k in rules else v) for k, v in self.weights.items()}
        return replace(self, weights=weights)


def find_sections(sentences: Sequence[Sentence],
                  options: SectioningOptions = SectioningOptions()) -> list[tuple[str, list[Sentence]]]:
    """Cut sentences into ``(kind, sentences)`` sections: intro, stories, outro."""
    sentences = list(sentences)
    if not sentences:
        return []
    times = _times(sentences)
    weights = options.weights
    lo = _intro_end(sentences, times, options) if weights.get("intro") else None
    hi = _outro_start(sentences, times, options, after=lo or 0) if weights.get("outro") else None
    start, stop = lo or 0, hi if hi is not None else len(sentences)
    cuts = [start + c for c in story_boundaries(sentences[start:stop], options)]
    bounds = sorted({b for b in (lo, *cuts, hi) if b and b < len(sentences)})
    spans = list(zip([0, *bounds], [*bounds, len(sentences)]))
    sections = []
    for a, b in spans:
        kind = "intro" if lo and a == 0 else "outro" if hi is not None and a == hi and a > 0 else "story"
        sections.append((kind, sentences[a:b]))
    return sections


def story_boundaries(sentences: Sequence[Sentence], options: SectioningOptions = SectioningOptions()) -> list[int]:
    """Indices where a new section starts (0 excluded), chosen by one dynamic program."""
    n = len(sentences)
    minimum = options.min_sentences
    if n < 2 * minimum or not options.weights.get("meaning"):
        return []
    weight = np.sqrt(options.weights["meaning"])
    features = _meaning(sentences, options.context) * weight
    gains = _segment_gains(features)
    most = min(options.max_sections, n // minimum)
    announced = _announcements(sentences, options)
    count = _section_count(features, gains, most, options)
    if len(announced) + 1 >= count:
        return announced  # the host said where every story starts
    bonus = boundary_priors(sentences, options)
    bonus[0] = 0.0  # the first section's start is not a boundary: its prior must not pull
    cuts = _best_split(gains, count, minimum, bonus)
    if not options.context:
        return cuts
    return _refine(cuts, _segment_gains(_meaning(sentences, 0) * weight), bonus, options)


def boundary_priors(sentences: Sequence[Sentence], options: SectioningOptions = SectioningOptions()) -> np.ndarray:
    """The weighted sum of the boundary rules: how much each sentence looks like a start."""
    total = np.zeros(len(sentences))
    for name, weight in options.weights.items():
        rule = RULES.get(name)
        if weight and rule is not None and rule.kind == "boundary":
            total += weight * np.asarray(rule.score(sentences), dtype=float)
    return total


# --- the rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A named source of evidence. ``boundary`` rules score each sentence in [0, 1] as a
    section start; ``structure`` rules place the intro and outro; ``coherence`` is the
    meaning the dynamic program optimises."""

    kind: str
    score: Callable[[Sequence[Sentence]], Sequence[float]] | None = None
    doc: str = ""


def name_changes(sentences: Sequence[Sentence], span: int = 4) -> list[float]:
    """A news story is about its own companies, people and products: the share of the
    names heard in the next sentences that were not heard in the ones before (names
    heard only once in the episode say nothing about where a story runs)."""
    found = [{n.lower() for n in names(s.text)} for s in sentences]
    seen: dict[str, int] = {}
    for group in found:
        for name in group:
            seen[name] = seen.get(name, 0) + 1
    found = [{n for n in group if seen[n] > 1} for group in found]
    scores = []
    for i in range(len(sentences)):
        before = set().union(*found[max(0, i - span): i])
        after = set().union(*found[i: i + span])
        scores.append(len(after - before) / len(after | before) if after and before else 0.0)
    return scores


def spoken_transitions(sentences: Sequence[Sentence]) -> list[float]:
    """A transition said at the sentence start, or a question after statements (an
    interviewer's or a listener's question opens a topic)."""
    scores = [cue_strength(s.text) for s in sentences]
    for i in range(1, len(sentences)):
        if asks(sentences[i]) and not asks(sentences[i - 1]):
            scores[i] = max(scores[i], 0.6)
    return scores


def pause_ranks(sentences: Sequence[Sentence]) -> list[float]:
    """Each silence's rank among all silences before sentences, kept for the longer half."""
    gaps = _gaps(sentences)
    ordered = np.sort(np.asarray(gaps[1:]))
    if len(ordered) < 2 or ordered[-1] <= ordered[0]:
        return [0.0] * len(gaps)
    ranks = np.searchsorted(ordered, gaps, side="left") / (len(ordered) - 1)
    return [float(max(0.0, 2 * r - 1)) for r in ranks]


RULES: dict[str, Rule] = {
    "meaning": Rule("coherence", doc="sentence embeddings agree within a section"),
    "names": Rule("boundary", name_changes, "the names heard change"),
    "cues": Rule("boundary", spoken_transitions, "a spoken transition or a new question"),
    "pauses": Rule("boundary", pause_ranks, "a longer silence"),
    "intro": Rule("structure", doc="the welcome, up to the hand-over to the first story"),
    "outro": Rule("structure", doc="the sign-off, recap and plugs at the end"),
}


# --- meaning and the dynamic program ----------------------------------------------------


def _meaning(sentences: Sequence[Sentence], context: int) -> np.ndarray:
    """Unit embeddings of each sentence read with ``context`` neighbours each side."""
    texts = [s.text for s in sentences]
    w = context
    return embeddings.embed([" ".join(texts[max(0, i - w): i + w + 1]) for i in range(len(texts))])


def _segment_gains(x: np.ndarray) -> np.ndarray:
    """``G[i, j]``: how much keeping rows i..j-1 together reduces their spread, i.e.
    ``|sum|^2 / count`` (the spread of a section is its rows' squared norms minus this)."""
    n = len(x)
    prefix = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    squares = np.einsum("ij,ij->i", prefix, prefix)
    sums = squares[None, :] + squares[:, None] - 2.0 * prefix @ prefix.T
    length = np.arange(n + 1)[None, :] - np.arange(n + 1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(length > 0, sums / np.maximum(length, 1), -np.inf)


def _programme(gains: np.ndarray, most: int, minimum: int, bonus: np.ndarray | None = None):
    """Best totals ``best[k, j]`` of the first j rows in k sections of at least ``minimum``
    rows, each section starting at i adding ``bonus[i]``; with back-pointers."""
    n = gains.shape[0] - 1
    bonus = np.zeros(n + 1) if bonus is None else np.append(bonus, 0.0)
    rows = np.arange(n + 1)
    allowed = rows[None, :] - rows[:, None] >= minimum  # [i, j]: a section i..j-1 is long enough
    candidate = np.where(allowed, gains + bonus[:, None], -np.inf)
    best = np.full((most + 1, n + 1), -np.inf)
    best[0, 0] = 0.0
    back = np.zeros((most + 1, n + 1), dtype=int)
    for k in range(1, most + 1):
        totals = best[k - 1][:, None] + candidate
        back[k] = np.argmax(totals, axis=0)
        best[k] = totals[back[k], rows]
    return best, back


def _best_split(gains: np.ndarray, count: int, minimum: int, bonus: np.ndarray) -> list[int]:
    best, back = _programme(gains, count, minimum, bonus)
    cuts, j = [], gains.shape[0] - 1
    for k in range(count, 0, -1):
        j = back[k, j]
        cuts.append(int(j))
    return sorted(c for c in cuts if c > 0)


def _announcements(sentences: Sequence[Sentence], options: SectioningOptions) -> list[int]:
    """Where a host announces a story out loud ("First up", "Meanwhile", "Next question"),
    at least a minimum section apart; none with the cues rule off. Few real hosts announce
    every story; one who announces at least as many as meaning finds has said where they
    start, and the announcements are the boundaries."""
    if not options.weights.get("cues"):
        return []
    found, last = [], 0
    for i, sentence in enumerate(sentences):
        if i - last >= options.min_sentences and len(sentences) - i >= options.min_sentences \
                and cue_strength(sentence.text) == 1.0:
            found.append(i)
            last = i
    return found


def _refine(cuts: list[int], gains: np.ndarray, bonus: np.ndarray, options: SectioningOptions) -> list[int]:
    """Each boundary moved by up to ``context`` sentences to where the sentences themselves,
    read alone, split best: a sentence read with its neighbours blurs the exact turn."""
    n, w, minimum = gains.shape[0] - 1, options.context, options.min_sentences
    cuts = list(cuts)
    for index, cut in enumerate(cuts):
        before = cuts[index - 1] if index else 0
        after = cuts[index + 1] if index + 1 < len(cuts) else n
        moves = [p for p in range(cut - w, cut + w + 1) if p - before >= minimum and after - p >= minimum]
        cuts[index] = max(moves or [cut], key=lambda p: gains[before, p] + gains[p, after] + bonus[p])
    return cuts


def _section_count(features: np.ndarray, gains: np.ndarray, most: int, options: SectioningOptions) -> int:
    """How many sections the meaning supports (see the module's docstring)."""
    if most < 2:
        return 1
    minimum = options.min_sentences
    real = np.diff(_programme(gains, most, minimum)[0][1:, -1])
    rng = np.random.default_rng(options.seed)
    n, block = len(features), max(1, options.shuffle_block)
    chunks = [np.arange(i, min(i + block, n)) for i in range(0, n, block)]
    null = np.zeros_like(real)
    for _ in range(options.shuffles):
        order = np.concatenate([chunks[i] for i in rng.permutation(len(chunks))])
        null += np.diff(_programme(_segment_gains(features[order]), most, minimum)[0][1:, -1])
    null /= max(1, options.shuffles)
    # Only the leading run of counts that buy more than shuffled order counts: near
    # n / minimum every section is forced to the minimum length, gains on real and
    # shuffled order both collapse, and their ratio means nothing.
    ratio = []
    for r, s in zip(real, null):
        if not (np.isfinite(r) and s > 0 and r > s):
            break
        ratio.append(r / s)
    if not ratio:
        return 1  # no split buys more than it would in shuffled order
    peak = int(np.argmax(ratio))
    threshold = 1.0 + options.keep_excess * (ratio[peak] - 1.0)
    # ratio[k] is the gain of going from k + 1 to k + 2 sections.
    below = next((k for k in range(peak, len(ratio)) if ratio[k] < threshold), len(ratio))
    return below + 1


# --- intro and outro -------------------------------------------------------------------


def _edge(times: list[float], options: SectioningOptions) -> float:
    return min(options.edge_seconds, options.edge_share * (times[-1] - times[0]))


def _intro_end(sentences: Sequence[Sentence], times: list[float], options: SectioningOptions) -> int | None:
    """Index of the first story's sentence when the show opens with a welcome or hook.

    The opening hands over with a phrase ("let's get into it": the story starts after
    it), a spoken transition ("First up", "Let's start with"), or the first item named
    by its ordinal ("First question is from ...",
    "what's the first thing you found?": the story starts there). An opening may list
    things by ordinal too (its sponsors, what is coming up): a "first" that a "second"
    soon follows is such a list, not the hand-over. A show may open with a hook (a
    teaser of its top story) before its welcome, so the welcome is looked for in the
    first sentences, and the hand-over after it."""
    horizon = times[0] + _edge(times, options)
    opening = [i for i, t in enumerate(times) if t <= horizon]
    welcome = next((i for i in opening[:_WELCOME_WITHIN] if contains(sentences[i].text, INTRO_CUES)), None)
    if len(opening) < 2 or welcome is None:
        return None
    for i in opening[max(1, welcome):]:
        if contains(sentences[i - 1].text, INTRO_ENDS) or cue_strength(sentences[i].text) == 1.0:
            return i
        if FIRST_ITEM.search(sentences[i].text) and not any(
                SECOND_ITEM.search(s.text) for s in sentences[i + 1: i + 1 + _LIST_REACH]):
            return i
    return None


def _outro_start(sentences: Sequence[Sentence], times: list[float], options: SectioningOptions,
                 after: int) -> int | None:
    """Index where the closing sign-off, recap or plug begins, if there is one."""
    horizon = times[-1] - _edge(times, options)
    for i in range(max(after + 1, 1), len(sentences)):
        text = sentences[i].text
        if times[i] < horizon or not (contains(text, OUTRO_CUES) or OUTRO_PATTERN.search(text)):
            continue
        # A story announced after this point means it was a mid-show plug.
        if not any(cue_strength(s.text) == 1.0 for s in sentences[i + 1:]):
            return i
    return None


def _times(sentences: Sequence[Sentence]) -> list[float]:
    """Start time of each sentence, estimated from word counts where none is given."""
    times, clock = [], 0.0
    for s in sentences:
        clock = s.start if s.start is not None else clock
        times.append(clock)
        clock = s.end if s.end is not None else clock + len(s.text.split()) / _WORDS_PER_SECOND
    return times


_WORDS_PER_SECOND = 2.5  # places sentences in time when they carry no timings
_LIST_REACH = 3  # sentences after a "first" in which a "second" makes it a list
_WELCOME_WITHIN = 8  # sentences a hook may take before the welcome


def _gaps(sentences: Sequence[Sentence]) -> list[float]:
    """Silence before each sentence (0 for the first, or where timings are missing)."""
    return [0.0] + [
        (b.start - a.end) if a.end is not None and b.start is not None else 0.0
        for a, b in zip(sentences, sentences[1:])
    ]
