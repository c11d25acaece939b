"""Read a written roundup into the segment model, whatever shape it comes in.

Markdown, HTML and plain text each become a ``Document`` (its blocks and what it says
of itself) and share one story finder (``stories.episode_from_document``); JSON is the
model itself, as audio2text writes it. ``read_roundup`` is the only function here that touches the file system.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from episodekit.errors import ConversionError
from episodekit.model import Episode, Link

from .blocks import Block, Document, has_number, inferred_lead, plain_text_blocks
from .cleaning import clean_inline, code_in_words, drop_template_tags, is_code_text, is_page_chrome
from .metadata import document_metadata
from .script import parse_script_markdown
from .stories import StoryOptions, episode_from_document

NO_TEXT = "no text to read"
_FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte


def read_roundup(path: str | Path, options: StoryOptions = StoryOptions()) -> Episode:
    """The roundup at ``path`` as an episode; ``ConversionError`` when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if looks_binary(data):
        raise ConversionError(path, "binary data, not text")
    return read_roundup_text(decode(data), path.suffix, source=str(path), options=options)


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


def read_roundup_text(text: str, suffix: str, source: str | None = None,
                      options: StoryOptions = StoryOptions()) -> Episode:
    """Roundup text in the format ``suffix`` names (".md", ".txt", ".html", ".json")."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    if suffix == ".json":
        episode = read_json(text, source=source)
    elif suffix in (".md", ".markdown") and (script := parse_script_markdown(text, source)):
        episode = script
    else:
        episode = episode_from_document(read_document(text, suffix, source=source), options)
    if not any(re.search(r"\w", clean_inline(s.text)) for s in episode.sentences):
        raise ConversionError(source, NO_TEXT)
    return episode


def read_document(text: str, suffix: str, source: str | None = None) -> Document:
    """The blocks of roundup text in the format ``suffix`` names (not JSON)."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
    reader = _READERS.get(suffix)
    if reader is None or reader is read_json:
        known = ", ".join(sorted(_READERS))
        raise ConversionError(source, f"cannot read {suffix!r} files: use one of {known}")
    return reader(text, source=source)


# --- Markdown ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def read_markdown(text: str, source: str | None = None) -> Document:
    meta = document_metadata(text)
    blocks = markdown_blocks(drop_template_tags(meta.body))
    return Document(blocks, title=meta.title, source=source, date=meta.date)


def read_plain_text(text: str, source: str | None = None) -> Document:
    return Document(plain_text_blocks(text), plain_text=True, source=source, text=text)


def markdown_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and list items; a code listing is a ``code`` block, tables and
    raw HTML blocks are left out."""
    blocks = []
    list_depth = 0
    ordered: list[bool] = []  # for each open list, whether it is numbered
    item_started = False  # the next paragraph opens a list item (later ones continue it)
    in_table = False
    tokens = _markdown_parser().parse(text)
    for i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            ordered.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif token.type == "list_item_open":
            list_depth += 1
            item_started = True
        elif token.type == "list_item_close":
            list_depth -= 1
        elif token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type in ("fence", "code_block"):
            blocks.append(Block("code", ""))
        elif token.type == "inline" and i > 0 and not in_table:
            opener = tokens[i - 1]
            if opener.type == "heading_open":
                content = _inline_words(token, keep_code=True)
                if content:
                    blocks.append(Block("heading", content, int(opener.tag[1]), _links_in(token),
                                        numbered=has_number(content)))
                continue
            if _only_code(token):
                blocks.append(Block("code", ""))  # a one-line listing set as inline code
                continue
            content = _inline_words(token, keep_code=False)
            if not content or is_page_chrome(content):
                continue
            if list_depth:
                depth = list_depth if item_started else list_depth + 1
                links = _links_in(token)
                bold = _bold_lead(token) if item_started else ""
                lead = (bold or inferred_lead(content, links)) if item_started else ""
                blocks.append(Block("item", content, links=links, depth=depth, lead=lead, lead_marked=bool(bold),
                                    numbered=bool(ordered and ordered[-1]) or has_number(content)))
                item_started = False
            else:
                links = _links_in(token)
                bold = _bold_lead(token)
                lead = bold or inferred_lead(content, links)
                blocks.append(Block("prose", content, links=links, lead=lead, lead_marked=bool(bold),
                                    numbered=has_number(content)))
    return blocks


def _inline_words(token, *, keep_code: bool) -> str:
    """The inline token's text; inline code that is a command, flag or path is left out
    of the text (a heading keeps it: it names what the story is about)."""
    parts = []
    for child in token.children or ():
        if child.type == "code_inline":
            keep = keep_code or not is_code_text(child.content)
            parts.append(child.content if keep else code_in_words(child.content, after="".join(parts)))
        elif child.type in ("text", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = " ".join("".join(parts).split())
    # "the `--locked` flag" becomes "the flag flag" once the flag is said in words.
    return re.sub(r"\b(flag|path|setting) \1\b", r"\1", text)


def _only_code(token) -> bool:
    kinds = {c.type for c in token.children or () if not (c.type == "text" and not c.content.strip())}
    return kinds == {"code_inline"}


def _bold_lead(token) -> str:
    """"Name" for an inline that opens with ``**Name**`` or ``**Name:**``: a title or a label."""
    children = [c for c in token.children or () if not (c.type == "text" and not c.content.strip())]
    if len(children) < 3 or children[0].type != "strong_open":
        return ""
    words = []
    for child in children[1:]:
        if child.type == "strong_close":
            return " ".join("".join(words).split()).rstrip(":").strip()
        if child.type in ("text", "code_inline"):
            words.append(child.content)
    return ""


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


def read_html(text: str, source: str | None = None) -> Document:
    """The page's main content, found by trafilatura, read as the Markdown it renders:
    navigation, header, footer, comments, share and sign-up boxes stay out."""
    import trafilatura

    page_text = _pre_as_code(text)
    main = _main_content(page_text)
    if main is not None and not _MARKDOWN_HEADING.search(main) and len(_HTML_HEADING.findall(page_text)) >= 2:
        # A page with no main-content container (an e-mail laid out in tables) falls to
        # trafilatura's recovery of loose paragraphs, which keeps none of its headings:
        # read its body as the article it is.
        main = _main_content(_body_as_article(page_text)) or main
    page = trafilatura.extract_metadata(text)
    title = " ".join(page.title.split()) if page and page.title else None
    date = page.date if page and page.date else None
    if title and page.sitename:
        # "Issue 85 – Site Name": the site's name is not part of the document's title.
        title = re.sub(rf"\s+[|–—-]\s+{re.escape(page.sitename)}\s*$", "", title) or title
    blocks = markdown_blocks(main or "")
    plain = not any(b.kind == "heading" for b in blocks)
    lines = ""
    if plain:
        # A page built from bare <div>s and <br>s: its headings are found by their shape,
        # as in text copied from a page.
        lines = "\n".join(b.text for b in blocks if b.kind != "code")
        blocks = plain_text_blocks(lines)
    return Document(blocks, plain_text=plain, source=source, date=date, markup_title=title, text=lines)


def _main_content(page: str) -> str | None:
    import trafilatura

    return trafilatura.extract(
        page, output_format="markdown", include_formatting=True, include_links=True,
        include_comments=False, include_tables=False, include_images=False, favor_recall=True,
    )


_MARKDOWN_HEADING = re.compile(r"^#{1,6} ", re.M)
_HTML_HEADING = re.compile(r"<h[1-6]\b", re.I)


def _body_as_article(page: str) -> str:
    page = re.sub(r"(<body\b[^>]*>)", r"\1<article>", page, count=1, flags=re.I)
    return re.sub(r"(</body\s*>)", r"</article>\1", page, count=1, flags=re.I)


def _pre_as_code(page: str) -> str:
    """``<pre>`` without ``<code>`` inside: trafilatura renders only ``<pre><code>`` as a
    code block, and a bare ``<pre>`` as prose that would be read out."""
    page = re.sub(r"<pre\b([^>]*)>(?!\s*<code)", r"<pre\1><code>", page, flags=re.I)
    return re.sub(r"(</code>\s*)?</pre>", lambda m: m.group(0) if m.group(1) else "</code></pre>", page, flags=re.I)


# --- JSON ------------------------------------------------------------------------------


def read_json(text: str, source: str | None = None) -> Episode:
    from episodekit.jsonio import episode_from_json

    return episode_from_json(text, path=source)


_READERS = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
}
