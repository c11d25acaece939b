"""Find the stories in a roundup: from text blocks to intro, story and outro sections.

Every reader turns its input into the same flat list of ``Block``s (heading, prose,
item). Markdown and HTML know which blocks are headings and how deep; plain text copied
from a web page does not, so ``plain_text_blocks`` infers them from the shape of each
line. ``episode_from_blocks`` then finds the structure the same way for all of them:

- the first heading is the episode's title when it heads the page;
- prose before the first story is the intro;
- a heading directly followed by another heading groups stories ("Top Stories") and is
  no story itself; under a brief-list group ("Quick Hits") every item is a short story;
- labelled sub-blocks ("Key Points:", "Impact: ...", "Source: ...") fold into the story
  above them, in reading order, as sentences and key points;
- closing commentary after the last story is the outro.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from episodekit.model import Episode, KeyPoint, Link, Paragraph, Section, slugify
from episodekit.sentences import split_sentences

from .cleaning import clean_blocks


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "prose" or "item"
    text: str
    level: int = 0  # heading depth where the source marks it (Markdown, HTML); 0 when inferred
    links: tuple[Link, ...] = ()


# --- plain text lines -> blocks ---------------------------------------------------------

_LONE_MARKER = re.compile(r"^[-•*–·▪◦]$")
_MARKED_ITEM = re.compile(r"^[-•*–·▪◦]\s+(.+)$")
_NUMBERED = re.compile(r"^\(?(\d{1,2})[.)]\s+(.+)$")
_LONGEST_HEADING_WORDS = 16
_MINOR_WORDS = set(
    "a an and as at but by for from in into of on or over per the to under up via vs with".split()
)


def plain_text_blocks(text: str) -> list[Block]:
    """Each line of web-page copy as a block; code and page chrome are dropped first."""
    blocks: list[Block] = []
    marker_pending = False
    for line in _unwrapped_lines(clean_blocks(text)):
        if not line:
            continue
        if _LONE_MARKER.match(line):
            marker_pending = True
            continue
        blocks.append(_line_block(line, marker_pending))
        marker_pending = False
    return _confirm_headings(blocks)


def _unwrapped_lines(text: str) -> list[str]:
    # Text wrapped at a fixed width continues in lower case; rejoin it so a line is a block.
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if lines and lines[-1] and line[:1].islower() and not re.search(r"[.!?:]['\"”’)]?$", lines[-1]):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _line_block(line: str, after_marker: bool) -> Block:
    if after_marker:
        return Block("item", line)
    if marked := _MARKED_ITEM.match(line):
        return Block("item", marked.group(1))
    if numbered := _NUMBERED.match(line):
        body = numbered.group(2)
        return Block("heading", body) if looks_like_heading(body) else Block("item", body)
    # A bare short line is only a heading candidate until we know what follows it.
    return Block("candidate" if looks_like_heading(line) else "prose", line)


def _confirm_headings(blocks: list[Block]) -> list[Block]:
    # A heading heads something: a short bare line with nothing after it is a closing remark.
    confirmed = []
    for i, block in enumerate(blocks):
        if block.kind == "candidate":
            kind = "heading" if i + 1 < len(blocks) else "prose"
            block = Block(kind, block.text)
        confirmed.append(block)
    return confirmed


def looks_like_heading(line: str) -> bool:
    """Short, no closing period or colon, starts like a title, one sentence at most."""
    words = [w for w in line.split() if any(ch.isalnum() for ch in w)]
    if not words or len(words) > _LONGEST_HEADING_WORDS or len(line) > 120:
        return False
    if re.search(r"[.,;:]$", line) or re.search(r"[.!?]\s+[A-Z]", line):
        return False
    if not re.match(r"[A-Z0-9\"“'‘]", line):
        return False
    significant = [w for w in words if w.lower() not in _MINOR_WORDS and w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in significant)
    return len(words) <= 8 or capitalised * 2 >= len(significant)


# --- blocks -> episode ------------------------------------------------------------------

_LABEL = re.compile(
    r"^(key points|key takeaways|takeaways?|highlights|impact|why it matters|what it means|"
    r"pros|cons|quick start|getting started|recommendation|verdict|availability|pricing|"
    r"sources?|via|read more at)\s*(?::\s*(.*))?$",
    re.I,
)
_BRIEF_LIST_GROUP = re.compile(
    r"^(quick hits|in brief|news in brief|briefly|lightning round|rapid fire|quick takes|"
    r"short takes|also notable|other headlines|more headlines|the rest|odds and ends)\b",
    re.I,
)
_CLOSING = re.compile(
    r"^(worth watching|final thoughts?|closing thoughts?|the bottom line|bottom line|conclusions?|"
    r"wrapping up|wrap-up|what'?s (coming )?next|looking ahead|resources|tools mentioned|"
    r"further reading|upcoming events|one more thing|editor'?s note)\b",
    re.I,
)
_NO_SPOKEN_END = re.compile(r"[.!?…]['\"”’)]*$")


@dataclass
class _SectionDraft:
    title: str
    kind: str = "story"
    level: int = 0
    paragraphs: list[list[str]] = field(default_factory=list)
    key_points: list[KeyPoint] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    open_paragraph: bool = False  # consecutive items share one paragraph

    def add_prose(self, text: str) -> None:
        if sentences := split_sentences(text):
            self.paragraphs.append(sentences)
        self.open_paragraph = False

    def add_item(self, text: str) -> None:
        sentences = [as_sentence(s) for s in split_sentences(text)]
        if not sentences:
            return
        if self.open_paragraph:
            self.paragraphs[-1].extend(sentences)
        else:
            self.paragraphs.append(sentences)
        self.open_paragraph = True

    def has_text(self) -> bool:
        return any(self.paragraphs)

    def section(self, taken: set[str]) -> Section:
        return Section(
            id=slugify(self.title if self.kind == "story" else self.kind, taken),
            title=self.title,
            kind=self.kind,
            paragraphs=tuple(Paragraph.of(*p) for p in self.paragraphs if p),
            key_points=tuple(self.key_points),
            links=tuple(dict.fromkeys(self.links)),
        )


def as_sentence(text: str) -> str:
    """A list item read as a sentence needs its full stop, or the voice runs it on."""
    text = text.strip()
    if not text or _NO_SPOKEN_END.search(text):
        return text
    return f"{text.rstrip(':;,— ')}."


class _StoryFinder:
    """Walks the blocks once, in reading order; each method handles one kind of block."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.intro = _SectionDraft("Introduction", kind="intro")
        self.sections: list[_SectionDraft] = []
        self.current = self.intro
        self.label: str | None = None  # the open "Key Points:"-style sub-block, if any
        self.brief_list = False  # inside a "Quick Hits"-style group
        self.story_level = 0

    def run(self, start: int) -> list[_SectionDraft]:
        for i in range(start, len(self.blocks)):
            block = self.blocks[i]
            self.current.links.extend(block.links)
            if label := label_of(block):
                self.on_label(*label)
            elif block.kind == "heading":
                self.on_heading(block, self.blocks[i + 1] if i + 1 < len(self.blocks) else None)
            elif self.brief_list:
                self.on_brief_item(block.text)
            elif block.kind == "item":
                self.on_item(block.text)
            else:
                self.label = None
                self.current.add_prose(block.text)
        return [self.intro, *self.sections]

    def on_label(self, name: str, content: str) -> None:
        if content:
            self.current.open_paragraph = False  # "Impact: ..." is a paragraph of its own
            self.current.add_item(f"{name}: {content}")
            self.current.open_paragraph = False
            self.current.key_points.append(KeyPoint(text=as_sentence(content), label=name.title()))
            self.label = None
        else:
            self.label = name.title()
            self.current.open_paragraph = False

    def on_heading(self, block: Block, following: Block | None) -> None:
        self.label = None
        if self.story_level and block.level > self.story_level:
            return  # a sub-heading inside a story: its text continues the story
        groups = following is not None and following.kind == "heading" and not label_of(following)
        if groups or _BRIEF_LIST_GROUP.match(block.text):
            self.brief_list = bool(_BRIEF_LIST_GROUP.match(block.text))
            return
        self.brief_list = False
        self.story_level = block.level
        self.start_section(block.text)

    def on_brief_item(self, text: str) -> None:
        title, body = split_item_title(text)
        self.start_section(title)
        self.current.add_prose(as_sentence(body))

    def on_item(self, text: str) -> None:
        if self.label:
            first = not self.current.open_paragraph
            self.current.add_item(f"{self.label}: {text}" if first else text)
            self.current.key_points.append(KeyPoint(text=as_sentence(text), label=self.label))
        else:
            self.current.add_item(text)

    def start_section(self, title: str) -> None:
        self.current = _SectionDraft(title, level=self.story_level)
        self.sections.append(self.current)


def label_of(block: Block) -> tuple[str, str] | None:
    """("Impact", "what changes") for "Impact: what changes"; ("Upcoming Events", "") for a
    short line ending in a colon, which introduces the list below it."""
    if block.kind == "item":
        return None
    if named := _LABEL.match(block.text):
        return named.group(1).strip(), (named.group(2) or "").strip()
    if block.text.endswith(":") and len(block.text.split()) <= 5:
        return block.text[:-1].strip(), ""
    return None


def split_item_title(text: str) -> tuple[str, str]:
    """"Name: what happened" -> ("Name", "what happened"); otherwise the first words lead."""
    for separator in (": ", " — ", " – ", " - "):
        head, found, tail = text.partition(separator)
        if found and tail.strip() and len(head.split()) <= 14:
            return head.strip(), tail.strip()
    first = split_sentences(text)[0] if split_sentences(text) else text
    words = first.rstrip(".!?").split()
    return " ".join(words[:10]), text


def _page_title(blocks: list[Block]) -> str | None:
    """The first block when it heads the page rather than a story or a group."""
    if not blocks or blocks[0].kind != "heading":
        return None
    first, rest = blocks[0], blocks[1:]
    if _BRIEF_LIST_GROUP.match(first.text) or label_of(first):
        return None
    if first.level:
        return first.text if first.level == 1 and not any(b.level == 1 for b in rest if b.kind == "heading") else None
    followed_by_prose = bool(rest) and rest[0].kind == "prose"
    return first.text if followed_by_prose and any(b.kind == "heading" for b in rest[1:]) else None


def _mark_closing_sections(drafts: list[_SectionDraft]) -> None:
    for draft in reversed(drafts):
        if not _CLOSING.match(draft.title):
            break
        draft.kind = "outro"


def episode_from_blocks(
    blocks: list[Block], *, title: str | None = None, source: str | None = None, date: str | None = None
) -> Episode:
    """The episode these blocks describe; no sections at all when they hold no text."""
    page_title = _page_title(blocks)
    finder = _StoryFinder(blocks)
    intro, *drafts = finder.run(start=1 if page_title else 0)
    drafts = [d for d in drafts if d.has_text()]
    _mark_closing_sections(drafts)
    episode_title = page_title or title or _title_from_source(source)
    if intro.has_text() and not any(d.kind == "story" for d in drafts):
        # A page with no story headings is one story: the whole text under the page's title.
        intro.title, intro.kind = episode_title, "story"
    taken: set[str] = set()
    sections = [d.section(taken) for d in [intro, *drafts] if d.has_text()]
    return Episode(title=episode_title, sections=tuple(sections), date=date, source=source)


def _title_from_source(source: str | None) -> str:
    if not source:
        return "Roundup"
    return re.sub(r"[-_]+", " ", Path(source).stem).strip().capitalize() or "Roundup"


def episode_from_plain_text(text: str, *, source: str | None = None) -> Episode:
    return episode_from_blocks(plain_text_blocks(text), source=source)
