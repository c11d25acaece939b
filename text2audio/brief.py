"""Several roundups -> one daily brief: the same event told once, most-covered first.

Two stories are the same event when they name the same things (companies, products,
figures) and share enough words in their titles and opening sentences. The merged
story keeps the richest telling and records every publication that carried it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from episodekit.errors import ConversionError
from episodekit.model import Episode, Paragraph, Section, slugify
from episodekit.sentences import words

OPENING_SENTENCES = 2  # how much of a story is compared besides its title
SAME_EVENT = 0.45  # similarity at or above which two stories are merged
LONG_STORY_SENTENCES = 5  # a long story is shortened to this before any story is dropped
# The script adds a transition per story and an intro and outro around them.
SCRIPT_WORDS_PER_STORY = 10
SCRIPT_FRAME_WORDS = 60

_STOPWORDS = set(
    """a an and are as at be been but by for from has have how in into is it its new of on or
    over says than that the their this to up was were what when which while who will with
    after again also more most now out just first""".split()
)
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]*[A-Za-z0-9]|[A-Za-z]*\d[\w.-]*)")


@dataclass(frozen=True)
class _Fingerprint:
    names: frozenset[str]
    vocabulary: frozenset[str]


def fingerprint(section: Section) -> _Fingerprint:
    """The names and content words of a story's title and opening sentences."""
    opening = [s.text for s in section.sentences[:OPENING_SENTENCES]]
    # A sentence's first word is capitalised by grammar, a headline's every word by style:
    # names come from the prose, a headline adds only its figures and version numbers.
    names = {m.group() for s in opening for m in _NAME.finditer(s) if m.start() > 0 or m.group()[0].isdigit()}
    headline_names = {m.group() for m in _NAME.finditer(section.title)}
    names |= {n for n in headline_names if any(ch.isdigit() for ch in n)} if names else headline_names
    names = {n.strip(".-").lower() for n in names} - _STOPWORDS
    vocabulary = {w for w in words(" ".join([section.title, *opening])) if w not in _STOPWORDS}
    return _Fingerprint(frozenset(names), frozenset(vocabulary))


def similarity(a: _Fingerprint, b: _Fingerprint) -> float:
    """Shared names weigh most; a shared vocabulary confirms they tell the same event."""
    shared_names = a.names & b.names
    if len(shared_names) < 2:
        return 0.0
    name_overlap = len(shared_names) / min(len(a.names), len(b.names))
    word_overlap = len(a.vocabulary & b.vocabulary) / max(1, len(a.vocabulary | b.vocabulary))
    return 0.7 * name_overlap + 0.3 * word_overlap


@dataclass
class _Event:
    tellings: list[tuple[Section, str, _Fingerprint]] = field(default_factory=list)

    @property
    def sources(self) -> tuple[str, ...]:
        names = [name for section, source, _ in self.tellings for name in (*section.sources, source)]
        return tuple(dict.fromkeys(names))

    def matches(self, candidate: _Fingerprint, source: str) -> bool:
        # Stories within one roundup are distinct by the author's choice.
        if source in self.sources:
            return False
        return max(similarity(candidate, known) for _, _, known in self.tellings) >= SAME_EVENT

    def merged(self, taken: set[str]) -> Section:
        richest = max((section for section, _, _ in self.tellings), key=lambda s: s.word_count)
        links = tuple(dict.fromkeys(link for section, _, _ in self.tellings for link in section.links))
        return replace(richest, id=slugify(richest.title, taken), links=links, sources=self.sources)


def source_name(episode: Episode, position: int) -> str:
    if episode.title:
        return episode.title
    return Path(episode.source).stem if episode.source else f"Roundup {position}"


def merge_roundups(
    episodes: list[Episode], *, max_minutes: float | None = None, words_per_minute: float = 160
) -> Episode:
    """One episode of the stories in ``episodes``: each event once, ordered by coverage.

    With ``max_minutes``, long stories are shortened to their first sentences, then the
    least-covered stories dropped, then the remaining ones shortened further, until the
    spoken length estimated at ``words_per_minute`` fits.
    """
    if not episodes:
        raise ConversionError(None, "no roundups to merge")
    events: list[_Event] = []
    for position, episode in enumerate(episodes, start=1):
        source = source_name(episode, position)
        for story in episode.stories:
            story_print = fingerprint(story)
            event = next((e for e in events if e.matches(story_print, source)), None)
            if event is None:
                event = _Event()
                events.append(event)
            event.tellings.append((story, source, story_print))
    # sorted() is stable: equally covered events keep their reading order.
    events = sorted(events, key=lambda e: -len(e.sources))
    taken: set[str] = set()
    stories = [event.merged(taken) for event in events]
    if max_minutes is not None:
        stories = fit_to_length(stories, max_minutes, words_per_minute)
    dates = sorted(e.date for e in episodes if e.date)
    return Episode(
        title="Daily Brief",
        sections=tuple(stories),
        date=dates[-1] if dates else None,
        language=episodes[0].language,
        metadata={"sources": [source_name(e, i) for i, e in enumerate(episodes, start=1)]},
    )


def estimated_minutes(stories: list[Section], words_per_minute: float = 160) -> float:
    """Spoken length of the script these stories make, transitions and frame included."""
    spoken_words = sum(s.word_count + SCRIPT_WORDS_PER_STORY for s in stories) + SCRIPT_FRAME_WORDS
    return spoken_words / words_per_minute


def fit_to_length(stories: list[Section], max_minutes: float, words_per_minute: float = 160) -> list[Section]:
    """``stories`` (most-covered first) cut until their estimated script fits ``max_minutes``:
    long stories lose their last sentences down to LONG_STORY_SENTENCES, then the
    least-covered stories go, then the last story left is shortened further.

    The cuts are decided on sentence word counts and applied once, so a 50,000-word
    roundup is fitted in well under a second."""
    counts = [[len(sentence.text.split()) for sentence in story.sentences] for story in stories]
    kept = [len(c) for c in counts]
    budget = max_minutes * words_per_minute - SCRIPT_FRAME_WORDS
    spoken = sum(sum(c) + SCRIPT_WORDS_PER_STORY for c in counts)
    while spoken > budget and kept:
        longest = max(range(len(kept)), key=kept.__getitem__)
        if kept[longest] > LONG_STORY_SENTENCES or (len(kept) == 1 and kept[0] > 1):
            kept[longest] -= 1
            spoken -= counts[longest][kept[longest]]
        elif len(kept) > 1:
            spoken -= sum(counts[len(kept) - 1][: kept.pop()]) + SCRIPT_WORDS_PER_STORY
        else:
            break
    return [first_sentences(story, n) for story, n in zip(stories, kept)]


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
