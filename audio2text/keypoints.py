"""Key points of a story: its most informative sentences, cleaned of speech habits.

A sentence informs when it carries figures, names and outcomes ("raised", "passed",
"released"); questions, small talk and long asides do not. Each point is labelled
with what kind of fact it is ("Funding", "Release") or, failing that, whom it is about.
"""

from __future__ import annotations

import re
from typing import Sequence

from episodekit.model import KeyPoint, Sentence

from .spoken_cues import content_words, names, strip_cue

MAX_WORDS = 30
MIN_WORDS = 6
DUPLICATE_OVERLAP = 0.5  # share of content words two points may have in common
SENTENCES_PER_POINT = 4  # a story gets about one point per this many sentences

# Spoken habits that carry nothing in print, with the commas that set them off.
FILLERS = (
    r"so,? look", r"you know", r"I mean", r"basically", r"um+", r"uh+", r"erm*", r"hmm+",
    r"like(?=,)", r"kind of like", r"sort of", r"literally", r"honestly", r"actually",
    r"if you will", r"to be honest", r"of course", r"right(?=\?)",
)
_FILLER = re.compile(
    r"(?:,\s*)?\b(?:" + "|".join(FILLERS) + r")\b[,?]?"
    r"|^(?:so|well|okay|now|and|but|yeah|look|oh),",
    re.I,
)

FIGURE = re.compile(
    r"\d|\$|%|\b(?:percent|million|billion|thousand|hundred|dozen|half|twice|double|triple|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety)\b",
    re.I,
)

# What a sentence reports, by its words; the first match labels the point.
LABELS = (
    ("Funding", r"\b(?:rais\w*|funding|round|series [a-e]|investors?|valuation|seed)\b"),
    ("Acquisition", r"\b(?:acquir\w*|acquisition|merger|buy(?:s|ing)? out)\b"),
    ("Approval", r"\b(?:approv\w*|clearance|certif\w*)\b"),
    ("Policy", r"\b(?:law|act|bill|regulat\w*|parliament|congress|vote[ds]?|ban\w*|fines?)\b"),
    ("Release", r"\b(?:releas\w*|launch\w*|unveil\w*|ship\w*|introduc\w*|version|open sourc\w*)\b"),
    ("Result", r"\b(?:study|found|show(?:s|ed|n)|trial|benchmark|accura\w*|score[ds]?|results?)\b"),
    ("Performance", r"\b(?:faster|speed|per (?:second|hour|minute)|an hour|throughput)\b"),
    ("Expansion", r"\b(?:expan\w*|factory|countries|new markets?)\b"),
    ("Incident", r"\b(?:outage|down|breach|leak\w*|hack\w*|fail\w*|bug|crash\w*)\b"),
    ("Cost", r"\b(?:price[ds]?|costs?|cheap\w*|dollars?|revenue|salar\w*|pay\w*)\b"),
    ("Team", r"\b(?:hir\w*|staff|employees|engineers|team|people)\b"),
    ("Next", r"\b(?:will|plans?|next year|next month|coming|expects?)\b"),
)
OUTCOMES = re.compile(
    r"\b(?:rais\w*|releas\w*|launch\w*|pass\w*|approv\w*|announc\w*|found|show\w*|won|"
    r"acquir\w*|cut|grew|fell|rose|doubl\w*|reach\w*|sign\w*|record\w*|caught|saved?)\b",
    re.I,
)


def key_points(sentences: Sequence[Sentence], max_points: int = 3) -> tuple[KeyPoint, ...]:
    """One to ``max_points`` distinct points from a story's most informative sentences."""
    wanted = max(1, min(max_points, round(len(sentences) / SENTENCES_PER_POINT)))
    candidates = []
    for position, sentence in enumerate(sentences):
        text = clean_sentence(sentence.text)
        if text and not text.endswith("?") and MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            candidates.append((informativeness(text, position), position, text, sentence.text))
    chosen: list[tuple[int, str, str]] = []
    for _, position, text, source in sorted(candidates, key=lambda c: -c[0]):
        if len(chosen) == wanted:
            break
        if not any(_near_duplicate(text, other) for _, other, _ in chosen):
            chosen.append((position, text, source))
    points, labels = [], set()
    for _, text, source in sorted(chosen):  # in the order the story told them
        label = _label(text, labels)
        labels.add(label)
        points.append(KeyPoint(text=text, label=label, source=source))
    return tuple(points)


def clean_sentence(text: str) -> str:
    """The sentence as it would be written: fillers and opening transitions removed."""
    previous = None
    text = strip_cue(text)
    while previous != text:  # "So, um, basically" loses one habit per pass
        previous = text
        text = _FILLER.sub("", text).strip(" ,;")
        text = strip_cue(text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    text = re.sub(r",\s*,", ",", text)
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def informativeness(text: str, position: int = 0) -> float:
    """Figures, names and outcomes count; an early sentence counts a little more."""
    score = 1.5 * min(len(FIGURE.findall(text)), 3)
    score += 1.0 * min(len(names(text)), 3)
    score += 1.0 * bool(OUTCOMES.search(text))
    score += 0.1 * min(len(content_words(text)), 12)
    score -= 0.5 * bool(re.match(r"(?:I|we|you)\b", text))  # opinions more than facts
    return score + (0.5 if position < 2 else 0.0)


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    if not wa or not wb:
        return a.lower() == b.lower()
    return len(wa & wb) / min(len(wa), len(wb)) > DUPLICATE_OVERLAP


def _label(text: str, taken: set[str]) -> str:
    for label, pattern in LABELS:
        if label not in taken and re.search(pattern, text, re.I):
            return label
    for name in names(text):
        name = re.sub(r"['’]s$", "", name)
        if name not in taken and len(name.split()) <= 4:
            return name
    fallbacks = ("Key figure",) if FIGURE.search(text) else ()
    return next((f for f in fallbacks + ("Detail", "Context", "Background") if f not in taken), "Detail")
