"""The article format: Markdown with YAML front matter, ``##`` sections and key-point boxes.

The front matter carries what site generators and their themes read: title, date,
description, tags and the audio's address; the title is not repeated as a ``#`` heading
(themes print it from the front matter). ``render_markdown`` and ``parse_markdown`` are
inverse on what the renderer writes, so Markdown -> model -> Markdown is stable. Front
matter is YAML through python-frontmatter; the body goes through markdown-it-py tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import replace

import frontmatter
import yaml

from .model import Episode, KeyPoint, Link, Paragraph, Section, Sentence, slugify
from .sentences import split_sentences
from .timecode import clock, parse_clock, short_clock

KEY_POINTS_HEADING = "Key points"
_FRONT_MATTER_KEYS = ("title", "date", "duration", "source", "language")
MAX_TAGS = 8


class MarkdownRenderer:
    """One method per block, in the spirit of markdown-it-py's renderer."""

    def __init__(self, *, timestamps: bool = False, audio_url: str | None = None):
        self.timestamps = timestamps
        self.audio_url = audio_url

    def render(self, episode: Episode) -> str:
        blocks = []
        for section in episode.sections:
            blocks.extend(self.section(section))
        body = "\n\n".join(b for b in blocks if b)
        # One line per field (no folding): easier to read and to diff.
        post = frontmatter.Post(body, **self.front_matter(episode))
        return frontmatter.dumps(post, sort_keys=False, width=1_000_000) + "\n"

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


def render_markdown(episode: Episode, *, timestamps: bool = False, audio_url: str | None = None) -> str:
    """The article; ``audio_url`` is where its audio is published (front matter ``audio``)."""
    return MarkdownRenderer(timestamps=timestamps, audio_url=audio_url).render(episode)


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
    """The YAML front matter's fields (dates as ISO strings) and the body after it."""
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
