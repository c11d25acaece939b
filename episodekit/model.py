"""The segment model: the one structure every conversion goes through.

An episode holds sections; a section holds paragraphs of sentences, key points and
links. Values are frozen: stages take an episode and return a new one
(``dataclasses.replace``), so a stage can never change what an earlier one produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

SECTION_KINDS = ("intro", "story", "outro")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: Optional[float] = None
    end: Optional[float] = None
    speaker: Optional[str] = None


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @classmethod
    def of(cls, *texts: str) -> "Paragraph":
        return cls(tuple(Sentence(t) for t in texts))


@dataclass(frozen=True)
class KeyPoint:
    text: str
    label: Optional[str] = None
    source: Optional[str] = None  # the sentence the point was drawn from

    def __str__(self) -> str:
        return f"{self.label}: {self.text}" if self.label else self.text


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    kind: str = "story"
    start: Optional[float] = None
    end: Optional[float] = None
    paragraphs: tuple[Paragraph, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    links: tuple[Link, ...] = ()
    sources: tuple[str, ...] = ()  # publications a merged story was found in

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def turns(self) -> tuple[tuple[Optional[str], Paragraph], ...]:
        """The section's paragraphs as ``speaker_turns``: the name again at each section,
        where a reader may start."""
        return speaker_turns(self.paragraphs)


@dataclass(frozen=True)
class Episode:
    title: str
    sections: tuple[Section, ...] = ()
    date: Optional[str] = None  # ISO 8601 day, e.g. "2026-11-22"
    language: str = "en"
    source: Optional[str] = None
    duration: Optional[float] = None  # seconds
    metadata: dict = field(default_factory=dict, hash=False, compare=True)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for sec in self.sections for s in sec.sentences)

    @property
    def stories(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "story")

    @property
    def word_count(self) -> int:
        return sum(s.word_count for s in self.sections)

    @property
    def description(self) -> str:
        """One line for podcast apps, feeds, meta descriptions and front matter: the
        episode's own description when its source had one, else its stories' titles."""
        if self.metadata.get("description"):
            return str(self.metadata["description"])
        titles = [s.title for s in self.stories]
        return "Stories in this episode: " + "; ".join(titles) + "." if titles else self.title


def speaker_turns(paragraphs: Iterable[Paragraph]) -> tuple[tuple[Optional[str], Paragraph], ...]:
    """Each paragraph with the name of its speaker where that speaker's turn starts (a
    paragraph's speaker is its first sentence's); None where the speaker goes on, or is
    not known."""
    turns, current = [], None
    for paragraph in paragraphs:
        speaker = paragraph.sentences[0].speaker if paragraph.sentences else None
        turns.append((speaker if speaker is not None and speaker != current else None, paragraph))
        current = speaker if speaker is not None else current
    return tuple(turns)


def slugify(text: str, taken: set[str] | None = None) -> str:
    """A stable, readable section id; made unique against ``taken``."""
    import re

    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-") or "section"
    slug, n = base, 2
    while taken is not None and slug in taken:
        slug, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(slug)
    return slug
