"""Several roundups -> one daily brief: the same event told once, most-covered first,
within a length that is never exceeded.

Two stories are the same event when their titles and opening sentences mean the same
(sentence embeddings from the shared model, ``episodekit.embeddings``) and they name at
least one of the same things (companies, products, figures). The merged story keeps the
richest telling and records every publication that carried it.

``fit_script`` keeps the spoken script within ``--max-minutes``: each story's spoken length
is measured, long stories lose their last sentences first, then the least-covered stories
go, and the result is measured again until it fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from episodekit.errors import ConversionError
from episodekit.lexicon import STOPWORDS
from episodekit.model import Episode, Paragraph, Section, slugify

from .assembly import SECTION_PAUSE
from .timing import SentenceSeconds, estimated_seconds, script_seconds, section_seconds

OPENING_SENTENCES = 2  # how much of a story is compared besides its title
SAME_EVENT_COSINE = 0.6  # embeddings at least this close, and a shared name: one event
LONG_STORY_SENTENCES = 5  # a long story is shortened to this before any story is dropped
ROUGH_MARGIN = 1.25  # the word-count cut keeps this much more than the ceiling, for the voice to measure

_NAME = re.compile(r"\b(?:[A-Z][\w'’-]*[A-Za-z0-9]|[A-Za-z]*\d[\w.-]*)")


def story_names(section: Section) -> frozenset[str]:
    """The names a story's title and opening sentences mention: capitalised words that do
    not merely start a sentence, and figures or version numbers."""
    opening = [s.text for s in section.sentences[:OPENING_SENTENCES]]
    # A sentence's first word is capitalised by grammar, a headline's every word by style:
    # names come from the prose, a headline adds only its figures and version numbers.
    names = {m.group() for s in opening for m in _NAME.finditer(s) if m.start() > 0 or m.group()[0].isdigit()}
    headline_names = {m.group() for m in _NAME.finditer(section.title)}
    names |= {n for n in headline_names if any(ch.isdigit() for ch in n)} if names else headline_names
    return frozenset({n.strip(".-").lower() for n in names} - STOPWORDS)


def story_text(section: Section) -> str:
    return " ".join([section.title, *(s.text for s in section.sentences[:OPENING_SENTENCES])])


@dataclass
class _Telling:
    section: Section
    source: str
    names: frozenset[str]
    vector: np.ndarray


@dataclass
class _Event:
    tellings: list[_Telling] = field(default_factory=list)

    @property
    def sources(self) -> tuple[str, ...]:
        names = [name for t in self.tellings for name in (*t.section.sources, t.source)]
        return tuple(dict.fromkeys(names))

    def matches(self, candidate: _Telling) -> bool:
        # Stories within one roundup are distinct by the author's choice.
        if candidate.source in self.sources:
            return False
        return any(
            float(candidate.vector @ known.vector) >= SAME_EVENT_COSINE and candidate.names & known.names
            for known in self.tellings
        )

    def merged(self, taken: set[str]) -> Section:
        richest = max((t.section for t in self.tellings), key=lambda s: s.word_count)
        links = tuple(dict.fromkeys(link for t in self.tellings for link in t.section.links))
        return replace(richest, id=slugify(richest.title, taken), links=links, sources=self.sources)


def source_name(episode: Episode, position: int) -> str:
    if episode.title:
        return episode.title
    return Path(episode.source).stem if episode.source else f"Roundup {position}"


def merge_roundups(episodes: list[Episode]) -> Episode:
    """One episode of the stories in ``episodes``: each event once, ordered by coverage."""
    from episodekit.embeddings import embed

    if not episodes:
        raise ConversionError(None, "no roundups to merge")
    stories = [(story, source_name(e, i)) for i, e in enumerate(episodes, start=1) for story in e.stories]
    vectors = embed([story_text(story) for story, _ in stories])
    events: list[_Event] = []
    for (story, source), vector in zip(stories, vectors):
        telling = _Telling(story, source, story_names(story), vector)
        event = next((e for e in events if e.matches(telling)), None)
        if event is None:
            event = _Event()
            events.append(event)
        event.tellings.append(telling)
    # sorted() is stable: equally covered events keep their reading order.
    events = sorted(events, key=lambda e: -len(e.sources))
    taken: set[str] = set()
    dates = sorted(e.date for e in episodes if e.date)
    return Episode(
        title="Daily Brief",
        sections=tuple(event.merged(taken) for event in events),
        date=dates[-1] if dates else None,
        language=episodes[0].language,
        metadata={"sources": [source_name(e, i) for i, e in enumerate(episodes, start=1)]},
    )


def fit_script(
    brief: Episode,
    max_seconds: float,
    script_of: Callable[[Episode], Episode],
    sentence_seconds: SentenceSeconds,
    sample_rate: int = 22050,
) -> Episode:
    """The script of ``brief`` (stories most-covered first), cut until it runs at most
    ``max_seconds`` as measured by ``sentence_seconds``.

    Each round measures the script, converts the overshoot into sentences to cut (long
    stories down to LONG_STORY_SENTENCES, then the least-covered stories, then the last
    story left), and measures again; the frame (intro, transitions, outro) is measured
    too, so the result fits whatever the cuts do to it. Word counts make a first, rough
    cut, so a 50,000-word roundup is not spoken only to learn that most of it must go."""
    _, rough = _fitted(brief, list(brief.stories), max_seconds * ROUGH_MARGIN, script_of, estimated_seconds,
                       sample_rate, must_fit=False)
    script, _ = _fitted(brief, rough, max_seconds, script_of, sentence_seconds, sample_rate, must_fit=True)
    return script


def _fitted(brief: Episode, stories: list[Section], max_seconds: float, script_of: Callable[[Episode], Episode],
            sentence_seconds: SentenceSeconds, sample_rate: int, must_fit: bool) -> tuple[Episode, list[Section]]:
    """The script within ``max_seconds`` and the stories, shortened, it was made from."""
    kept = [len(story.sentences) for story in stories]
    shortened = stories
    script = script_of(_with_stories(brief, stories))
    while True:
        over = script_seconds(script, sentence_seconds, sample_rate) - max_seconds
        if over <= 0:
            return script, shortened
        spoken = {s.id: s for s in script.stories}
        costs = [_sentence_costs(story, n, spoken.get(story.id), sentence_seconds) for story, n in zip(stories, kept)]
        cut = _cut(costs, over)
        if cut == kept:  # one sentence of one story: nothing left that may go
            if not must_fit:
                return script, shortened
            shortest = script_seconds(script, sentence_seconds, sample_rate)
            raise ConversionError(None, f"the shortest brief runs {shortest / 60:.1f} minutes, "
                                        f"longer than the {max_seconds / 60:g} asked for")
        kept = cut
        shortened = [first_sentences(story, n) for story, n in zip(stories, kept) if n]
        script = script_of(_with_stories(brief, shortened))


def _with_stories(episode: Episode, stories: list[Section]) -> Episode:
    """The episode with these stories between its own intro and outro."""
    intro = [s for s in episode.sections if s.kind == "intro"]
    outro = [s for s in episode.sections if s.kind == "outro"]
    return replace(episode, sections=(*intro, *stories, *outro))


def _sentence_costs(
    story: Section, kept: int, spoken: Section | None, sentence_seconds: SentenceSeconds
) -> list[float]:
    """Seconds each of the story's first ``kept`` sentences adds, the section's own
    transition and pauses spread over them; measured on its spoken form when the
    script holds it."""
    if kept == 0:
        return []
    words = [max(1, len(s.text.split())) for s in story.sentences[:kept]]
    if spoken is not None:
        seconds = section_seconds(spoken, sentence_seconds) + SECTION_PAUSE
    else:
        seconds = sum(sentence_seconds(s.text) for s in story.sentences[:kept])
    return [seconds * w / sum(words) for w in words]


def _cut(costs: list[list[float]], over: float) -> list[int]:
    """How many sentences of each story to keep so that at least ``over`` seconds go."""
    kept = [len(c) for c in costs]
    while over > 0 and any(kept):
        live = [i for i, n in enumerate(kept) if n]
        longest = max(live, key=kept.__getitem__)
        if kept[longest] > LONG_STORY_SENTENCES or (len(live) == 1 and kept[longest] > 1):
            kept[longest] -= 1
            over -= costs[longest][kept[longest]]
        elif len(live) > 1:
            last = live[-1]
            over -= sum(costs[last][: kept[last]])
            kept[last] = 0
        else:
            break
    return kept


def first_sentences(section: Section, count: int) -> Section:
    """The section with only its first ``count`` sentences (emptied paragraphs dropped)."""
    if count >= len(section.sentences):
        return section
    paragraphs = []
    for paragraph in section.paragraphs:
        if count <= 0:
            break
        if paragraph.sentences:
            paragraphs.append(Paragraph(paragraph.sentences[:count]))
            count -= len(paragraph.sentences)
    return replace(section, paragraphs=tuple(paragraphs))
