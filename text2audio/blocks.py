"""Lines to blocks: every reader turns its input into the same flat list of ``Block``s.

Markdown and HTML mark their headings, lists and code; text copied from a web page
marks nothing, so each of its lines is a block of its own and what it is (a title, a
story's headline, prose, a share button) is left to the block classifier, which reads
the shape of every line. Only what no line of a story can be is settled here: code
listings, recognised by their syntax, become ``code`` blocks, and a bullet set on a
line of its own joins the line after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from episodekit.model import Link

from .cleaning import code_lines, is_page_chrome


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "prose", "item" or "code" (a listing, never read)
    text: str
    level: int = 0  # heading depth where the source marks it (Markdown, HTML)
    links: tuple[Link, ...] = ()
    depth: int = 0  # list nesting of an item: 1 for a top-level item
    lead: str = ""  # a bold lead-in ("**Name**: what happened"), which may be a title
    numbered: bool = False  # set after a list number ("3.", "#3", "(3)")
    lead_marked: bool = False  # the lead is set in bold by the author, not inferred from the line

    @property
    def words(self) -> int:
        return len(self.text.split())


_LONE_MARKER = re.compile(r"^[-•*–·▪◦]$")
_MARKED_ITEM = re.compile(r"^[-•*–·▪◦]\s+(.+)$")
_NUMBERED = re.compile(r"^(?:\(?\d{1,2}[.)]|#\d{1,2}[.:]?)\s+(.+)$")
# A line wrapped at a fixed width ends without a stop and goes on in lower case.
_OPEN_END = re.compile(r"[.!?:]['\"”’)]?$")


def plain_text_blocks(text: str) -> list[Block]:
    """One block per line of copied page text (wrapped lines joined again)."""
    lines = _unwrapped_lines(text)
    is_code = code_lines(lines)
    blocks: list[Block] = []
    marker_pending = False
    for line, code in zip(lines, is_code):
        if code:
            if not blocks or blocks[-1].kind != "code":
                blocks.append(Block("code", ""))
            continue
        if not line or is_page_chrome(line):
            continue
        if _LONE_MARKER.match(line):
            marker_pending = True
            continue
        blocks.append(line_block(line, after_marker=marker_pending))
        marker_pending = False
    return blocks


def _unwrapped_lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if lines and lines[-1] and line[:1].islower() and not _OPEN_END.search(lines[-1]) and raw[:1] not in "\t ":
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


_NUMBER_MARK = re.compile(r"^(?:\(?\d{1,2}[.)]\s|#\d{1,2}\b)|^\S+(?:\s\S+)?\s#\d{1,2}\b")


def has_number(text: str) -> bool:
    """A list or story number set before the words: "3. ", "#3", "Brian #3:"."""
    return bool(_NUMBER_MARK.match(text))


# "Name: what happened", "Name — what happened": a line led by a few words and a colon
# or a dash, as a bold lead would lead it.
_LEAD = re.compile(r"^(.{3,100}?)(?::|\s[—–-])\s+\S")


def inferred_lead(line: str, links: tuple[Link, ...] = ()) -> str:
    """The words that lead a line as its name, where no bold marks them."""
    for link in links:
        after = line[len(link.text):].lstrip() if line.startswith(link.text) else ""
        if after[:1] in (":", "—", "–", "-") and len(link.text.split()) >= 2:
            return link.text  # "[Headline](url) — what happened"
    found = _LEAD.match(line)
    return found.group(1).strip() if found and 2 <= len(found.group(1).split()) <= 14 else ""


def line_block(line: str, after_marker: bool = False) -> Block:
    if after_marker:
        return Block("item", line, depth=1, lead=inferred_lead(line))
    if marked := _MARKED_ITEM.match(line):
        return Block("item", marked.group(1), depth=1, lead=inferred_lead(marked.group(1)))
    if numbered := _NUMBERED.match(line):
        return Block("prose", numbered.group(1), numbered=True, lead=inferred_lead(numbered.group(1)))
    return Block("prose", line, numbered=has_number(line), lead=inferred_lead(line))


@dataclass(frozen=True)
class Document:
    """A roundup as blocks, with what the document says of itself."""

    blocks: list[Block]
    plain_text: bool = False  # nothing is marked: every line is a block of its own
    title: str | None = None  # the declared title (front matter)
    markup_title: str | None = None  # the page's <title>
    date: str | None = None
    source: str | None = None
    text: str = ""  # the lines a document without markup was read from
