"""Drafting: a story's blocks become the sentences of one section.

Sub-headings are read as short lines of their own; labelled sub-blocks ("Key points:",
"Impact: ...") become the section's key points; list items are read as sentences; a code
listing is never read: once per story the listener hears that the post shows code.
A sentence in another script than the episode's is left out, so a story written partly
in another language keeps its English part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from episodekit.lexicon import MONTH_ABBREVIATIONS, MONTHS, SUB_BLOCK_LABELS
from episodekit.model import KeyPoint, Link, Paragraph, Section, slugify
from episodekit.sentences import split_sentences

from .blocks import Block
from .cleaning import replace_urls
from .furniture import writing_system

_LABEL = re.compile(rf"^({'|'.join(SUB_BLOCK_LABELS)})\s*(?::\s*(.*))?$", re.I)
SUB_BLOCK = re.compile(rf"^(?:{'|'.join(SUB_BLOCK_LABELS)})\b", re.I)  # "Key points", "Trade-offs": parts of a story
_NO_SPOKEN_END = re.compile(r"[.!?…]['\"”’)]*$")


def in_episode_script(sentence: str) -> bool:
    """False for a sentence most of whose letters are of another script than Latin."""
    scripts = writing_system(sentence)
    return not scripts or scripts.most_common(1)[0][0] == "LATIN"


@dataclass
class SectionDraft:
    title: str
    kind: str = "story"
    paragraphs: list[list[str]] = field(default_factory=list)
    key_points: list[KeyPoint] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    open_paragraph: bool = False  # consecutive items share one paragraph
    label: str | None = None  # the open "Key Points:"-style sub-block, if any
    told_code: bool = False

    def add_prose(self, text: str) -> None:
        # Addresses are named before the text is cut into sentences: "www." ends none.
        if sentences := [s for s in split_sentences(replace_urls(text)) if in_episode_script(s)]:
            self.paragraphs.append(sentences)
        self.open_paragraph = False

    def add_item(self, text: str) -> None:
        sentences = [as_sentence(s) for s in split_sentences(replace_urls(text)) if in_episode_script(s)]
        if not sentences:
            return
        if self.open_paragraph:
            self.paragraphs[-1].extend(sentences)
        else:
            self.paragraphs.append(sentences)
        self.open_paragraph = True

    def add(self, block: Block) -> None:
        self.links.extend(block.links)
        if block.kind == "code":
            # The listing is not read; once per story, the listener learns it is there.
            if not self.told_code:
                self.add_prose(CODE_MENTION)
                self.told_code = True
            return
        if label := label_of(block):
            self.on_label(*label)
        elif block.kind in ("heading", "group"):
            # A sub-heading inside a story is read as a short line of its own.
            self.label = None
            self.add_prose(as_sentence(block.text))
        elif block.kind == "item":
            self.on_item(block.text)
        else:
            self.label = None
            self.add_prose(block.text)

    def on_label(self, name: str, content: str) -> None:
        if content:
            self.open_paragraph = False  # "Impact: ..." is a paragraph of its own
            self.add_item(f"{name}: {content}")
            self.open_paragraph = False
            self.key_points.append(KeyPoint(text=as_sentence(content), label=_as_label(name)))
            self.label = None
        else:
            self.label = _as_label(name)
            self.open_paragraph = False

    def on_item(self, text: str) -> None:
        if self.label:
            first = not self.open_paragraph
            self.add_item(f"{self.label}: {text}" if first else text)
            self.key_points.append(KeyPoint(text=as_sentence(text), label=self.label))
        else:
            self.add_item(text)

    def has_text(self) -> bool:
        """Whether anything of the author's is read: the mention of code alone is not."""
        return any(p and p != [CODE_MENTION] for p in self.paragraphs)

    def section(self, taken: set[str]) -> Section:
        return Section(
            id=slugify(self.title if self.kind == "story" else self.kind, taken),
            title=self.title,
            kind=self.kind,
            paragraphs=tuple(Paragraph.of(*p) for p in self.paragraphs if p),
            key_points=tuple(self.key_points),
            links=tuple(dict.fromkeys(self.links)),
        )


CODE_MENTION = "The original post shows the code for this."


def _as_label(name: str) -> str:
    """A sub-block's label as the author wrote it, with a capital first letter."""
    return name[:1].upper() + name[1:]


def as_sentence(text: str) -> str:
    """A list item read as a sentence needs its full stop, or the voice runs it on."""
    text = text.strip()
    if not text or _NO_SPOKEN_END.search(text):
        return text
    return f"{text.rstrip(':;,— ')}."


def label_of(block: Block) -> tuple[str, str] | None:
    """("Impact", "what changes") for "Impact: what changes"; ("Upcoming Events", "") for a
    short line ending in a colon, which introduces the list below it."""
    if block.kind == "item" or block.kind == "code":
        return None
    if named := _LABEL.match(block.text):
        return named.group(1).strip(), (named.group(2) or "").strip()
    if block.text.endswith(":") and len(block.text.split()) <= 5:
        return block.text[:-1].strip(), ""
    return None


_MONTH = "|".join(MONTHS + MONTH_ABBREVIATIONS)
# Marks before a title: bullets, stars, emoji that rate or tag an entry.
_LEADING_MARKS = re.compile(r"^[^\w\"'“‘(\[`<#]+")
# A date that stamps an entry rather than naming it: "2026-03-04 — Title", "Mar 4: Title".
_LEADING_DATE = re.compile(
    rf"^(?:\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTH})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?)\s*[—–:|-]\s+", re.I
)


# A story's number, with the name of the host who tells it: "3.", "#3:", "Brian #3:", "#3 (Brian):".
_LEADING_NUMBER = re.compile(
    r"^(?:(?:[A-Z][\w.]*\s+){0,2}#\d{1,2}\b(?:\s*\([^)]{1,30}\))?|\(?\d{1,2}[.)])\s*[:.–—-]?(?:\s+|$)")
# What a newsletter tags a headline with: "(3 MINUTE READ)", "(GITHUB REPO)", "[12]".
_TRAILING_TAGS = re.compile(r"(?:\s*(?:\((?:\d+\s+MINUTE\s+READ|[A-Z][A-Z ]{2,30})\)|\[\d{1,3}\]))+\s*$")


def story_title(text: str) -> str:
    """The words that name the story, without the marks, numbers, date stamps and tags set
    around them."""
    title = _LEADING_MARKS.sub("", text.strip())
    title = _LEADING_NUMBER.sub("", _LEADING_DATE.sub("", title))
    return _TRAILING_TAGS.sub("", title).strip() or text.strip()


