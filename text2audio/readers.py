"""Read a written roundup into the segment model, whatever shape it comes in.

Markdown, HTML and plain text each become a list of ``Block``s and share one story
finder (``plaintext.episode_from_blocks``); JSON is the model itself, as audio2text
writes it. ``read_roundup`` is the only function here that touches the file system.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

from episodekit.errors import ConversionError
from episodekit.markdown import inline_text, split_front_matter
from episodekit.model import Episode, Link

from .cleaning import clean_inline, is_page_chrome
from .plaintext import Block, episode_from_blocks, episode_from_plain_text, plain_text_blocks

NO_TEXT = "no text to read"
_FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte


def read_roundup(path: str | Path) -> Episode:
    """The roundup at ``path`` as an episode; ``ConversionError`` when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if looks_binary(data):
        raise ConversionError(path, "binary data, not text")
    return read_roundup_text(decode(data), path.suffix, source=str(path))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image or archive with a text suffix."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def decode(data: bytes) -> str:
    """UTF-8 when it is; otherwise the Windows or Latin-1 code page older pages are saved in."""
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def read_roundup_text(text: str, suffix: str, source: str | None = None) -> Episode:
    """Roundup text in the format ``suffix`` names (".md", ".txt", ".html", ".json")."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    reader = _READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(_READERS))
        raise ConversionError(source, f"cannot read {suffix!r} files: use one of {known}")
    episode = reader(text, source=source)
    if not any(re.search(r"\w", clean_inline(s.text)) for s in episode.sentences):
        raise ConversionError(source, NO_TEXT)
    return episode


# --- Markdown ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def read_markdown(text: str, source: str | None = None) -> Episode:
    fields, body = split_front_matter(text)
    title = str(fields["title"]) if fields.get("title") else None
    date = str(fields["date"]) if fields.get("date") else None
    return episode_from_blocks(markdown_blocks(body), title=title, source=source, date=date)


def markdown_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and list items; code blocks and raw HTML blocks are left out."""
    blocks = []
    list_depth = 0
    tokens = _markdown_parser().parse(text)
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            list_depth += 1
        elif token.type == "list_item_close":
            list_depth -= 1
        elif token.type == "inline" and i > 0:
            opener = tokens[i - 1]
            content = inline_text(token)
            if not content or is_page_chrome(content):
                continue
            if opener.type == "heading_open":
                blocks.append(Block("heading", content, int(opener.tag[1]), _links_in(token)))
            else:
                blocks.append(Block("item" if list_depth else "prose", content, links=_links_in(token)))
    return blocks


def _links_in(token) -> tuple[Link, ...]:
    links, href, words = [], None, []
    for child in token.children or ():
        if child.type == "link_open":
            href, words = child.attrGet("href"), []
        elif child.type == "link_close" and href:
            links.append(Link(text=" ".join("".join(words).split()) or href, url=href))
            href = None
        elif href and child.type in ("text", "code_inline"):
            words.append(child.content)
    return tuple(links)


# --- HTML -------------------------------------------------------------------------------

_SKIPPED = {"script", "style", "nav", "footer", "aside", "pre", "noscript", "template", "svg",
            "form", "button", "iframe", "select", "textarea", "figure"}
_MAIN = {"article", "main"}
_BLOCK_LEVEL = {"p", "div", "li", "blockquote", "section", "td", "th", "dd", "dt", "figcaption",
                "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "br", "hr",
                "header", "article", "main", "body"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}


class _ContentParser(HTMLParser):
    """Blocks of the page's text, each marked with whether it sits in the main content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[Block, bool]] = []
        self.page_title = ""
        self.open_tags: list[str] = []
        self.text: list[str] = []
        self.links: list[Link] = []
        self.link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_LEVEL:
            self.flush()
        if tag == "a" and not self.skipping():
            href = dict(attrs).get("href")
            self.link = (href, []) if href else None
        if tag not in _VOID:
            self.open_tags.append(tag)

    def handle_endtag(self, tag):
        if tag in _BLOCK_LEVEL:
            self.flush()
        if tag == "a" and self.link:
            href, words = self.link
            self.links.append(Link(text=" ".join("".join(words).split()) or href, url=href))
            self.link = None
        if tag in self.open_tags:
            # Close up to the matching tag: pages leave <p> and <li> open.
            del self.open_tags[len(self.open_tags) - 1 - self.open_tags[::-1].index(tag):]

    def handle_data(self, data):
        if "title" in self.open_tags and "body" not in self.open_tags:
            self.page_title += data
        elif not self.skipping() and "head" not in self.open_tags:
            self.text.append(data)
            if self.link:
                self.link[1].append(data)

    def skipping(self) -> bool:
        in_main = any(t in _MAIN for t in self.open_tags)
        return any(t in _SKIPPED or (t == "header" and not in_main) for t in self.open_tags)

    def flush(self):
        content = " ".join("".join(self.text).split())
        self.text = []
        if not content:
            return
        innermost = next((t for t in reversed(self.open_tags) if t in _BLOCK_LEVEL), "")
        if innermost[:1] == "h" and innermost[1:].isdigit():
            block = Block("heading", content, int(innermost[1]), tuple(self.links))
        else:
            block = Block("item" if innermost == "li" else "prose", content, links=tuple(self.links))
        self.links = []
        self.blocks.append((block, any(t in _MAIN for t in self.open_tags)))


def read_html(text: str, source: str | None = None) -> Episode:
    parser = _ContentParser()
    parser.feed(text)
    parser.close()
    parser.flush()
    in_main = [b for b, main in parser.blocks if main]
    blocks = [b for b in (in_main or [b for b, _ in parser.blocks]) if not is_page_chrome(b.text)]
    if not any(b.kind == "heading" for b in blocks):
        # A page built from bare <div>s and <br>s: find its headings the plain-text way.
        blocks = plain_text_blocks("\n".join(b.text for b in blocks))
    title = " ".join(parser.page_title.split()) or None
    return episode_from_blocks(blocks, title=title, source=source)


# --- JSON ------------------------------------------------------------------------------


def read_json(text: str, source: str | None = None) -> Episode:
    from episodekit.jsonio import episode_from_json

    return episode_from_json(text, path=source)


_READERS = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": episode_from_plain_text,
    ".text": episode_from_plain_text,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
}
