"""Structure: the document's title, its intro and its stories, from the blocks' labels.

The block classifier (``classify``) gives each block its chance of being the document's
title, a story's start, or furniture. Here those chances become one reading of the
document: the likeliest title block (when it is likely enough), the furniture left out,
a story from each start up to the next, and whatever comes before the first story as
the intro. A story starts with the block that names it: a heading, a headline line, or
an item whose bold lead is its title (the rest of the item is the story's first line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from episodekit.sentences import split_sentences

from .blocks import Block
from .classify import Thresholds, block_forms, story_starts, title_text


@dataclass
class Story:
    title: str
    blocks: list[Block]
    titled_item: bool = False  # the title came from a block's lead: its rest is the story's text


@dataclass(frozen=True)
class Structure:
    title: str | None  # the title block's text, when a block is the title
    intro: list[Block]
    stories: list[Story]


def find_structure(blocks: list[Block], probabilities: dict[str, np.ndarray], thresholds: Thresholds,
                   longest_title_words: int, declared_title: str | None = None,
                   fallback_headings: bool = True, likeliest_form: float | None = None) -> Structure:
    """``declared_title`` is the front matter's: then only a block repeating it is the title.
    With ``fallback_headings``, a document in which the classifier starts fewer than two
    stories but which marks two or more headings at one level is read by its headings.
    With ``likeliest_form``, such a document's stories start at the blocks of the form the
    classifier finds likeliest on average, when two or more blocks share it and their mean
    chance reaches this value: on a layout it has never seen, the chances of the story
    lines are low but stand far above the rest, and a document's stories share one form."""
    p_story, p_title, p_drop = (probabilities[k] for k in ("story", "title", "drop"))
    title_at = None
    if len(blocks):
        best = int(np.argmax(p_title))
        repeats = not declared_title or _same_words(blocks[best].text, declared_title)
        if p_title[best] >= thresholds.title and blocks[best].text and repeats:
            title_at = best
    likely = story_starts(p_story, block_forms(blocks), thresholds)
    starts = {i for i in range(len(blocks)) if likely[i] and i != title_at and blocks[i].text}
    if fallback_headings and len(starts) < 2:
        starts |= heading_starts(blocks, title_at)
    if likeliest_form is not None and len(starts) < 2:
        starts |= likeliest_form_starts(blocks, p_story, title_at, likeliest_form)
    kept = [i for i in range(len(blocks))
            if i != title_at and (i in starts or p_drop[i] < thresholds.drop or blocks[i].kind == "code")]
    kept = _stories_keep_text(blocks, kept, starts, title_at)
    intro: list[Block] = []
    stories: list[Story] = []
    for i in kept:
        block = blocks[i]
        if i in starts:
            stories.append(story_from(block, longest_title_words))
        elif stories:
            stories[-1].blocks.append(block)
        else:
            intro.append(block)
    return Structure(blocks[title_at].text if title_at is not None else None, intro, stories)


def _stories_keep_text(blocks: list[Block], kept: list[int], starts: set[int], title_at: int | None) -> list[int]:
    """A story the furniture decisions would leave without a word of its own keeps its
    prose, and a page they would leave without any paragraph is read whole: furniture is
    around a story, never all of it."""
    if not any(blocks[i].kind == "prose" for i in kept):
        return [i for i in range(len(blocks)) if i != title_at]
    chosen = set(kept)
    bounds = sorted(starts) + [len(blocks)]
    for start, end in zip(bounds, bounds[1:]):
        span = range(start + 1, end)
        if not any(i in chosen and blocks[i].text for i in span):
            chosen |= {i for i in span if blocks[i].kind in ("prose", "item") and i != title_at}
    return sorted(chosen)


_STOP = re.compile(r"[.!?]['\"”’)]*$")


def likeliest_form_starts(blocks: list[Block], p_story: np.ndarray, title_at: int | None, floor: float) -> set[int]:
    """The blocks of the likeliest form, a form here also telling a short line without a
    full stop from a paragraph: in copied text both are prose, and only the first names."""
    by_form: dict = {}
    for i, form in enumerate(block_forms(blocks)):
        if i != title_at and blocks[i].text:
            line = (form, blocks[i].words <= 16, bool(_STOP.search(blocks[i].text)))
            by_form.setdefault(line, []).append(i)
    shared = [members for members in by_form.values() if len(members) >= 2]
    if not shared:
        return set()
    best = max(shared, key=lambda members: float(np.mean(p_story[members])))
    return set(best) if float(np.mean(p_story[best])) >= floor else set()


def heading_starts(blocks: list[Block], title_at: int | None) -> set[int]:
    """The headings of the shallowest level the document uses twice or more (the title aside)
    that have text under them: in a short page, its stories."""
    levels = [b.level for i, b in enumerate(blocks) if b.kind == "heading" and i != title_at]
    repeated = sorted(level for level in set(levels) if levels.count(level) >= 2)
    if not repeated:
        return set()
    return {i for i, b in enumerate(blocks[:-1]) if b.kind == "heading" and b.level == repeated[0] and i != title_at
            and blocks[i + 1].kind != "heading"}


def _same_words(a: str, b: str) -> bool:
    words_a, words_b = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(words_a) and len(words_a & words_b) >= 0.8 * len(words_a)


def story_from(block: Block, longest_title_words: int) -> Story:
    """A story named by ``block``: by its lead, its headline link, or its own words."""
    title = title_text(block)
    if title is not block.text:
        rest = block.text[len(block.lead):].lstrip(" :—–-").strip() if block.text.startswith(block.lead) else ""
        return Story(title, [Block("prose", rest, links=block.links)] if rest else [], titled_item=True)
    if len(block.links) == 1 and len(block.links[0].text.split()) >= 2:
        link = block.links[0].text
        rest = block.text.replace(link, " ", 1).strip(" ()[]—–-:")
        if len(rest.split()) > 4:  # "[Headline](url) — what happened": the rest is the story's first line
            return Story(link, [Block("prose", rest, links=block.links)], titled_item=True)
    if block.words <= longest_title_words or block.kind == "heading":
        return Story(block.text, [])
    # A long line that starts a story is its first paragraph: its opening words name it.
    head, colon, _ = block.text.partition(": ")
    if colon and len(head.split()) <= longest_title_words:
        return Story(head, [block])
    first = split_sentences(block.text)[0] if split_sentences(block.text) else block.text
    return Story(" ".join(re.sub(r"[.!?]+$", "", first).split()[:longest_title_words]), [block])
