"""The article format: Markdown with front matter, ``##`` sections and key-point boxes.

The front matter carries what site generators and their themes read: title, date,
description, tags and the audio's address. Each generator reads it its own way, so the
renderer has one preset per generator (``FRONT_MATTER``): YAML for Hugo and Jekyll (the
default), which print the title from it, so it is not repeated as a ``#`` heading; Pelican's
own ``Key: value`` header; YAML plus a ``#`` title heading and a line with the date and tags
for MkDocs, whose theme shows neither. ``render_markdown`` and ``parse_markdown`` are inverse
on what the renderer writes with any preset, so Markdown -> model -> Markdown is stable. YAML
goes through python-frontmatter; the body goes through markdown-it-py tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import frontmatter
import yaml

from .model import Episode, KeyPoint, Link, Paragraph, Section, Sentence, slugify
from .sentences import split_sentences
from .timecode import clock, parse_clock, short_clock

KEY_POINTS_HEADING = "Key points"
_FRONT_MATTER_KEYS = ("title", "date", "duration", "source", "language")
MAX_TAGS = 8


@dataclass(frozen=True)
class FrontMatterPreset:
    """How one site generator reads an article's metadata, and what its page shows of it."""

    pelican: bool = False  # Pelican's "Key: value" header instead of YAML between --- lines
    renamed: dict = field(default_factory=dict)  # our field -> the generator's key for it
    fixed: dict = field(default_factory=dict)  # fields the generator needs to show the page
    # The generator's page shows no title, date or tags from the metadata: the body opens
    # with the title as a "#" heading and a line with the date and tags.
    title_heading: bool = False


FRONT_MATTER = {
    "hugo": FrontMatterPreset(),
    # Jekyll shows a post's title and date only with a layout that prints them.
    "jekyll": FrontMatterPreset(fixed={"layout": "post"}),
    # Pelican's themes show "summary" under the title and on index pages.
    "pelican": FrontMatterPreset(pelican=True, renamed={"description": "summary"}),
    "mkdocs": FrontMatterPreset(title_heading=True),
}
DEFAULT_FRONT_MATTER = "hugo"


class MarkdownRenderer:
    """One method per block, in the spirit of markdown-it-py's renderer."""

    def __init__(self, *, timestamps: bool = False, audio_url: str | None = None,
                 front_matter: str = DEFAULT_FRONT_MATTER):
        self.timestamps = timestamps
        self.audio_url = audio_url
        self.preset = FRONT_MATTER[front_matter]

    def render(self, episode: Episode) -> str:
        fields = self.front_matter(episode)
        blocks = self.title_block(fields) if self.preset.title_heading else []
        for section in episode.sections:
            blocks.extend(self.section(section))
        body = "\n\n".join(b for b in blocks if b)
        if self.preset.pelican:
            return pelican_header(fields) + "\n\n" + body + "\n"
        # One line per field (no folding): easier to read and to diff.
        post = frontmatter.Post(body, **fields)
        return frontmatter.dumps(post, sort_keys=False, width=1_000_000) + "\n"

    def title_block(self, fields: dict) -> list[str]:
        return [f"# {_escape(str(fields['title']))}", _escape(byline(fields))]

    def front_matter(self, episode: Episode) -> dict:
        """Fields in the order a reader of the file expects them; empty ones left out."""
        fields = {
            "title": episode.title,
            "date": _as_date(episode.date),
            "description": episode.description,
            "tags": tags_of(episode),
            "audio": self.audio_url or episode.metadata.get("audio"),
            "duration": clock(episode.duration) if episode.duration is not None else None,
            "source": episode.source,
            "language": episode.language,
        }
        fields.update((k, v) for k, v in episode.metadata.items() if k not in fields)
        fields.update(self.preset.fixed)
        fields = {self.preset.renamed.get(k, k): v for k, v in fields.items()}
        return {k: v for k, v in fields.items() if v not in (None, "", [], ())}

    def heading(self, section: Section) -> str:
        stamp = f"[{short_clock(section.start)}] " if self.timestamps and section.start is not None else ""
        return f"## {stamp}{_escape(section.title)}"

    def section(self, section: Section) -> list[str]:
        return [
            self.heading(section),
            *(self.paragraph(p, speaker) for speaker, p in section.turns),
            self.key_points(section.key_points),
            self.links(section.links),
        ]

    def paragraph(self, paragraph: Paragraph, speaker: str | None = None) -> str:
        """The paragraph, led by ``**Name:**`` where a speaker's turn starts."""
        return f"**{_escape(speaker)}:** {_escape(paragraph.text)}" if speaker else _escape(paragraph.text)

    def key_points(self, points: tuple[KeyPoint, ...]) -> str:
        if not points:
            return ""
        items = [
            f"> - **{_escape(p.label)}:** {_escape(p.text)}" if p.label else f"> - {_escape(p.text)}"
            for p in points
        ]
        return "\n".join([f"> **{KEY_POINTS_HEADING}**", ">", *items])

    def links(self, links: tuple[Link, ...]) -> str:
        # Written as the parser will read it back (percent-encoded), so a second pass is stable.
        return "\n".join(f"- [{_escape(link.text)}](<{_normalize_link(link.url)}>)" for link in links)


@functools.lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _normalize_link(url: str) -> str:
    return _parser().normalizeLink(url)


def render_markdown(episode: Episode, *, timestamps: bool = False, audio_url: str | None = None,
                    front_matter: str = DEFAULT_FRONT_MATTER) -> str:
    """The article; ``audio_url`` is where its audio is published (front matter ``audio``),
    ``front_matter`` the site generator it is written for (a key of ``FRONT_MATTER``)."""
    return MarkdownRenderer(timestamps=timestamps, audio_url=audio_url, front_matter=front_matter).render(episode)


def byline(fields: dict) -> str:
    """The line under a "#" title: the date and the tags."""
    tags = fields.get("tags") or ()
    parts = [str(fields["date"]) if fields.get("date") else None,
             f"Tags: {', '.join(map(str, tags))}" if tags else None]
    return " · ".join(p for p in parts if p)


# Pelican reads one "Key: value" line per field up to the first blank line, splits tags at
# commas and keeps every other key as the article's metadata.
_PELICAN_LINE = re.compile(r"^([A-Za-z][\w-]*):[ \t]*(.*)$")


def pelican_header(fields: dict) -> str:
    def value(key, v):
        if key == "tags":  # a comma inside a tag would split it in two
            return ", ".join(" ".join(str(t).replace(",", " ").split()) for t in v)
        return " ".join(str(v).split())

    return "\n".join(f"{key.capitalize()}: {value(key, v)}" for key, v in fields.items())


def _read_pelican_header(text: str) -> tuple[dict, str] | None:
    """The fields of a Pelican header this module wrote (it opens with Title), and the body."""
    head, _, body = text.partition("\n\n")
    matches = [_PELICAN_LINE.match(line) for line in head.splitlines()]
    if not matches or not all(matches) or matches[0].group(1).lower() != "title":
        return None
    fields = {}
    for match in matches:
        key, value = match.group(1).lower(), match.group(2).strip()
        fields[key] = [t.strip() for t in value.split(",") if t.strip()] if key == "tags" else value
    for ours, theirs in FRONT_MATTER["pelican"].renamed.items():
        if theirs in fields:
            fields[ours] = fields.pop(theirs)
    return fields, body


def tags_of(episode: Episode) -> list[str]:
    """The episode's own tags when it has them; else the show's name (the title before
    its ':' or ' — ') and the names its key points are labelled with (a label is a name
    the story repeats), most frequent first."""
    if episode.metadata.get("tags"):
        return [str(tag) for tag in episode.metadata["tags"]]
    show = _SHOW_IN_TITLE.match(episode.title)
    labels = Counter(p.label for s in episode.sections for p in s.key_points if p.label)
    tags = [show.group(1).strip()] if show else []
    tags += [label for label, _ in labels.most_common(MAX_TAGS) if label not in tags]
    return tags[:MAX_TAGS]


_SHOW_IN_TITLE = re.compile(r"^(.{3,60}?)(?::| — | – )")


def _as_date(value: str | None):
    """An ISO day as a YAML date (what site generators sort by); anything else as it is."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return value


_NEEDS_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~])")
_LEADING_BLOCK_MARK = re.compile(r"^(\s*)([-+=]|\d+)([.)]?(?:\s|$))")


def _escape(text: str) -> str:
    """Keep prose prose: characters Markdown would read as markup are backslash-escaped."""
    text = _NEEDS_ESCAPE.sub(r"\\\1", " ".join(text.split()))
    text = re.sub(r"(?<![\w\\])!(?=\\\[)", r"\\!", text)
    return _LEADING_BLOCK_MARK.sub(_escape_block_mark, text)


def _escape_block_mark(match: re.Match) -> str:
    indent, mark, rest = match.groups()
    if mark.isdigit():  # "1. " starts an ordered list: escaping the dot keeps it prose
        return indent + mark + ("\\" + rest if rest[:1] in (".", ")") else rest)
    return indent + "\\" + mark + rest


def split_front_matter(text: str) -> tuple[dict, str]:
    """The front matter's fields (YAML, or the Pelican header the renderer writes; dates as
    ISO strings) and the body after it."""
    pelican = None if text.startswith("---") else _read_pelican_header(text)
    if pelican:
        return pelican
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError:  # not YAML after all: the whole text is the body
        return {}, text
    fields = {key: value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
              for key, value in post.metadata.items()}
    return fields, post.content


def inline_text(token) -> str:
    """Plain text of an inline token: markup dropped, escapes resolved, breaks as spaces."""
    return _children_text(token.children or ())


def _children_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _first_link(token) -> str | None:
    for child in token.children or ():
        if child.type == "link_open":
            return child.attrGet("href")
    return None


def _key_point(token) -> KeyPoint:
    children = [c for c in token.children or () if not (c.type == "text" and not c.content)]
    if len(children) >= 3 and children[0].type == "strong_open" and children[2].type == "strong_close":
        label = children[1].content.strip().removesuffix(":").strip()
        text = _children_text(children[3:]).lstrip(": ").strip()
        if label and text:
            return KeyPoint(text=text, label=label)
    return KeyPoint(text=inline_text(token))


def _speaker_and_text(token) -> tuple[str | None, str]:
    """(name, text) of a paragraph the renderer led with ``**Name:**``; (None, text) otherwise."""
    children = [c for c in token.children or () if not (c.type == "text" and not c.content)]
    if (len(children) >= 4 and children[0].type == "strong_open" and children[2].type == "strong_close"
            and children[1].content.endswith(":")):
        return children[1].content.removesuffix(":").strip() or None, _children_text(children[3:])
    return None, inline_text(token)


def _paragraphs(items: list[tuple[str | None, str]]) -> tuple[Paragraph, ...]:
    """Paragraphs of sentences; a speaker named at a turn's start holds until the next one."""
    paragraphs, speaker = [], None
    for named, text in items:
        if text.strip():
            speaker = named or speaker
            paragraphs.append(Paragraph(tuple(Sentence(t, speaker=speaker) for t in split_sentences(text))))
    return tuple(paragraphs)


def _list_item_inlines(tokens) -> list:
    """The inline token of each list item's first paragraph."""
    return [
        tokens[k] for k in range(2, len(tokens))
        if tokens[k].type == "inline"
        and tokens[k - 1].type == "paragraph_open"
        and tokens[k - 2].type == "list_item_open"
    ]


def parse_markdown(text: str, *, source: str | None = None) -> Episode:
    """An article in the renderer's format (or any Markdown with ``##`` sections) as an episode."""
    fields, body = split_front_matter(text)
    tokens = _parser().parse(body)
    title = fields.get("title")
    sections: list[dict] = []
    taken: set[str] = set()
    title_line_follows = False

    def current() -> dict:
        if not sections:
            sections.append({"title": "Introduction", "kind": "intro", "start": None,
                             "paragraphs": [], "key_points": [], "links": []})
        return sections[-1]

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag in ("h1", "h2", "h3"):
            heading = inline_text(tokens[i + 1])
            title_line_follows = tok.tag == "h1"
            if tok.tag == "h1" and title is None:
                title = heading
            elif tok.tag != "h1":
                stamp = re.match(r"^\[([\d:.]+)\]\s*(.*)$", heading)
                start = parse_clock(stamp.group(1)) if stamp else None
                sections.append({"title": stamp.group(2) if stamp else heading, "kind": "story",
                                 "start": start, "paragraphs": [], "key_points": [], "links": []})
            i += 3
            continue
        if tok.type == "blockquote_open":
            depth, j = 1, i + 1
            while depth:
                depth += {"blockquote_open": 1, "blockquote_close": -1}.get(tokens[j].type, 0)
                j += 1
            inner = tokens[i + 1 : j - 1]
            first_inline = next((t for t in inner if t.type == "inline"), None)
            if first_inline is not None and inline_text(first_inline) == KEY_POINTS_HEADING:
                current()["key_points"].extend(_key_point(t) for t in _list_item_inlines(inner))
            else:
                current()["paragraphs"].extend((None, inline_text(t)) for t in inner if t.type == "inline")
            i = j
            continue
        if tok.type == "inline" and i and tokens[i - 1].type == "paragraph_open":
            if not sections and title_line_follows and inline_text(tok) == byline(fields):
                i += 1  # the date and tags the MkDocs preset writes under the title
                continue
            in_list = i >= 2 and tokens[i - 2].type == "list_item_open"
            href = _first_link(tok) if in_list else None
            if href:
                current()["links"].append(Link(text=inline_text(tok), url=href))
            else:
                current()["paragraphs"].append(_speaker_and_text(tok))
        i += 1

    built = []
    for s in sections:
        built.append(
            Section(
                id=slugify(s["title"], taken),
                title=s["title"],
                kind=s["kind"],
                start=s["start"],
                paragraphs=_paragraphs(s["paragraphs"]),
                key_points=tuple(s["key_points"]),
                links=tuple(s["links"]),
            )
        )
    _infer_kinds(built)
    metadata = {k: v for k, v in fields.items() if k not in _FRONT_MATTER_KEYS}
    duration = parse_clock(str(fields["duration"])) if fields.get("duration") else None
    return Episode(
        title=str(title or (built[0].title if built else "Untitled")),
        sections=tuple(built),
        date=str(fields["date"]) if fields.get("date") else None,
        language=str(fields.get("language") or "en"),
        source=str(fields["source"]) if fields.get("source") else source,
        duration=duration,
        metadata=metadata,
    )


def _infer_kinds(sections: list[Section]) -> None:
    """Kinds are not written in Markdown: where stories carry key-point boxes, a first or
    last section without one reads as the intro or the outro."""
    if len(sections) < 3 or not any(s.key_points for s in sections[1:-1]):
        return
    for index, kind in ((0, "intro"), (-1, "outro")):
        if not sections[index].key_points:
            sections[index] = replace(sections[index], kind=kind)
