"""Quality measures for the bench: pure functions over transcripts, sections and titles.

Segmentation is scored per transcript sentence: the reference label of a sentence is the
gold section its midpoint time falls in, so a hypothesis is judged on the very sentences it
was built from, whatever the recogniser made of the words.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple, Sequence

# Words are compared in one spoken form, the one text2audio --verify uses.
from text2audio.verify import integer_words as integer_words
from text2audio.verify import normalise_for_wer
from text2audio.verify import ordinal_words as ordinal_words

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")
SENTENCES_PER_TILING_PARAGRAPH = 3


class TimedSentence(NamedTuple):
    text: str
    start: float
    end: float
    section: int  # index of the section a segmentation put it in


class TimedSection(NamedTuple):
    title: str
    kind: str
    start: float
    end: float
    key_points: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(STOPWORDS_FILE.read_text("utf-8").split())


# --- segmentation -------------------------------------------------------------------------

def gold_labels(sentences: Sequence[TimedSentence], gold_sections: Sequence[TimedSection]) -> list[int]:
    """The gold section of each sentence: the last one starting at or before its midpoint, so a
    midpoint in the pause between two sections goes to the one that just ended."""
    starts = [section.start for section in gold_sections]
    labels = []
    for sentence in sentences:
        midpoint = (sentence.start + sentence.end) / 2
        labels.append(max(0, sum(1 for start in starts if start <= midpoint) - 1))
    return labels


def boundary_string(labels: Sequence[int]) -> str:
    """nltk's segmentation form: "1" after each sentence whose successor starts a new segment."""
    return "".join("1" if i + 1 < len(labels) and labels[i + 1] != labels[i] else "0"
                   for i in range(len(labels)))


def window_size(reference_labels: Sequence[int]) -> int:
    """Half the mean reference segment length in sentences, at least 2 (the usual Pk choice)."""
    segments = 1 + boundary_string(reference_labels).count("1")
    return max(2, round(len(reference_labels) / segments / 2))


def segmentation_scores(sentences: Sequence[TimedSentence],
                        gold_sections: Sequence[TimedSection]) -> tuple[float, float]:
    """(Pk, WindowDiff) of the sentences' section labels against the gold sections; 0 is perfect."""
    from nltk.metrics.segmentation import pk, windowdiff

    reference_labels = gold_labels(sentences, gold_sections)
    reference = boundary_string(reference_labels)
    hypothesis = boundary_string([s.section for s in sentences])
    k = window_size(reference_labels)
    if len(reference) <= k:
        raise ValueError(f"{len(reference)} sentences are too few to score with a window of {k}")
    return pk(reference, hypothesis, k=k), windowdiff(reference, hypothesis, k)


def relabelled(sentences: Sequence[TimedSentence], labels: Sequence[int]) -> list[TimedSentence]:
    return [sentence._replace(section=label) for sentence, label in zip(sentences, labels)]


def even_split_baseline(sentences: Sequence[TimedSentence], n_sections: int) -> list[TimedSentence]:
    """The sentences cut into ``n_sections`` runs of (nearly) equal sentence count."""
    n = len(sentences)
    return relabelled(sentences, [i * n_sections // n for i in range(n)])


def texttiling_baseline(sentences: Sequence[TimedSentence]) -> tuple[list[TimedSentence], bool]:
    """Sentences labelled by nltk's TextTiling; the flag says it could not tile the text and
    everything was left as one segment.

    TextTiling only places boundaries at blank lines, and a transcript has none, so the
    sentences are grouped into pseudo-paragraphs first."""
    from nltk.tokenize.texttiling import TextTilingTokenizer

    per = SENTENCES_PER_TILING_PARAGRAPH
    paragraphs = [" ".join(" ".join(s.text.split()) for s in sentences[i:i + per])
                  for i in range(0, len(sentences), per)]
    try:
        tiles = TextTilingTokenizer(stopwords=sorted(stopwords())).tokenize("\n\n".join(paragraphs))
    except (ValueError, IndexError):  # too little text for its windows
        return relabelled(sentences, [0] * len(sentences)), True
    paragraph_labels = []
    for label, tile in enumerate(tiles):
        paragraph_labels += [label] * sum(1 for chunk in re.split(r"\n\s*\n", tile) if chunk.strip())
    if len(paragraph_labels) != len(paragraphs):
        raise ValueError(f"TextTiling returned {len(paragraph_labels)} paragraphs for {len(paragraphs)}")
    return relabelled(sentences, [paragraph_labels[i // per] for i in range(len(sentences))]), False


# --- key points ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def rouge_key_points(predicted: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """ROUGE-1/2/L F1 of one section's predicted key points (together) against its gold ones,
    numbers written out on both sides: gold points spell "seventy billion" as the script
    says it, a transcript writes "70 billion", and that is not a difference in content."""
    scores = _rouge_scorer().score("\n".join(map(normalise_for_wer, gold)),
                                   "\n".join(map(normalise_for_wer, predicted)))
    return {name: score.fmeasure for name, score in scores.items()}


def overlap(a: TimedSection, b: TimedSection) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def key_point_scores(predicted_sections: Sequence[TimedSection],
                     gold_sections: Sequence[TimedSection]) -> dict[str, float]:
    """ROUGE of key points averaged over the gold stories, each paired with the predicted
    section that overlaps it longest in time; a story nothing overlaps scores 0."""
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    stories = [g for g in gold_sections if g.kind == "story"]
    for gold in stories:
        best = max(predicted_sections, key=lambda p: overlap(p, gold), default=None)
        if best is None or overlap(best, gold) == 0:
            continue
        for name, value in rouge_key_points(best.key_points, gold.key_points).items():
            totals[name] += value
    return {name: total / len(stories) if stories else 0.0 for name, total in totals.items()}


# --- word error rate ----------------------------------------------------------------------

def word_error_rate(reference_text: str, hypothesis_text: str) -> float:
    import jiwer

    reference = normalise_for_wer(reference_text)
    if not reference:
        raise ValueError("the reference text has no words")
    return jiwer.wer(reference, normalise_for_wer(hypothesis_text))


# --- stories ------------------------------------------------------------------------------

def title_tokens(title: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", normalise_for_wer(title))
    return frozenset(w for w in words if w not in stopwords())


def title_similarity(a: str, b: str) -> float:
    """Shared content words over the shorter title's: a headline without its deck still matches."""
    ta, tb = title_tokens(a), title_tokens(b)
    return len(ta & tb) / min(len(ta), len(tb)) if ta and tb else 0.0


def stories_found(found_titles: Sequence[str], gold_titles: Sequence[str], threshold: float = 0.5) -> int:
    """How many gold stories have a found title of their own (one found title per gold story)."""
    pairs = sorted(((title_similarity(f, g), i, j) for i, f in enumerate(found_titles)
                    for j, g in enumerate(gold_titles)), reverse=True)
    used_found, used_gold = set(), set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in used_found and j not in used_gold:
            used_found.add(i)
            used_gold.add(j)
    return len(used_gold)
