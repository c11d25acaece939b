"""Find the stories in a roundup: one learned reading of a roundup for every format.

The stages, one module each:

1. lines to blocks (``blocks``): each reader turns its input into ``Block``s: headings,
   prose, list items and code where the source marks them, one block per line of text
   copied from a page;
2. furniture (``furniture``): the named rules of what no narrator reads; the hard ones
   drop a block outright, all of them are features of the classifier;
3. structure (``classify`` and ``structure``): a classifier learned from the roundup
   corpus labels each block document title, story start, furniture or story body, and
   the stories are read off those labels;
4. drafting (``drafting``): each story's blocks become its section's sentences.

Every tuning value the stages have is in ``StoryOptions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from episodekit.lexicon import CLOSING_HEADINGS
from episodekit.model import Episode

from .blocks import Block, Document
from .classify import BlockModel, Thresholds, block_features, block_forms, shipped_model
from .drafting import SectionDraft, as_sentence, story_title
from .furniture import RULES as FURNITURE_RULES
from .furniture import writing_system
from .structure import Story, find_structure


@dataclass(frozen=True)
class StoryOptions:
    """The tuning values of the story finder, in one place.

    The classifier's weights and its decision thresholds are learned (``make train``,
    chosen on training folds only); what is left here are the switches."""

    # Furniture rules that drop a block before it is classified (see furniture.RULES).
    hard_rules: frozenset = frozenset({"link_list", "anchor_link", "tag_soup", "page_chrome", "bare_url",
                                       "boilerplate", "template_comment"})
    # Structure rules (see STRUCTURE_RULES); a name left out switches its rule off.
    structure_rules: frozenset = frozenset({"closing_outro", "recap", "link_directory", "fallback_headings",
                                            "likeliest_form"})
    # The mean chance of a story start the likeliest form of block needs to start the stories
    # of a document where the classifier is sure of fewer than two (rule likeliest_form).
    # With each publication held out, 0.1, 0.05 and 0 found the same stories, 0.2 and 0.3
    # fewer; the floor keeps a page with no likely form at all one story.
    likeliest_form: float = 0.1
    # A story-starting line longer than this is the story's first paragraph, named by its opening words.
    longest_title_words: int = 16
    # The classifier; None is the shipped one. Thresholds override the learned ones (sweeps in make eval).
    model: BlockModel | None = field(default=None, compare=False)
    thresholds: Thresholds | None = None
    # Which finder reads the document (see STRUCTURES).
    structure: str = "auto"
    # A roundup tells at least two stories: a layout reading with fewer found no structure,
    # and ``auto`` takes the classifier's reading instead when it finds more.
    fewest_layout_stories: int = 2

    def without(self, *rules: str) -> "StoryOptions":
        """These options with the named rules switched off."""
        unknown = set(rules) - set(FURNITURE_RULES) - set(STRUCTURE_RULES)
        if unknown:
            raise ValueError(f"unknown story rule(s): {', '.join(sorted(unknown))}")
        return replace(self, hard_rules=self.hard_rules - set(rules), structure_rules=self.structure_rules - set(rules))


def candidate_blocks(document: Document, options: StoryOptions = StoryOptions()) -> list[Block]:
    """The document's blocks less those a hard furniture rule drops: what is classified."""
    rules = [FURNITURE_RULES[name].test for name in sorted(options.hard_rules)]
    return [b for b in document.blocks if b.kind == "code" or not any(rule(b) for rule in rules)]


def episode_from_document(document: Document, options: StoryOptions = StoryOptions()) -> Episode:
    """The episode the document describes, read by the finder the options name; no
    sections at all when it holds no text."""
    if options.structure not in STRUCTURES:
        raise ValueError(f"unknown structure finder {options.structure!r}: use one of {', '.join(STRUCTURES)}")
    return STRUCTURES[options.structure].read(document, options)


def learned_episode(document: Document, options: StoryOptions = StoryOptions()) -> Episode:
    """The episode read by the block classifier learned from the roundup corpus."""
    model = options.model or shipped_model()
    blocks = candidate_blocks(document, options)
    features = block_features(blocks, plain_text=document.plain_text,
                              declared_title=document.title or document.markup_title)
    thresholds = options.thresholds or model.thresholds()
    return episode_from_labels(document, blocks, model.probabilities(features, block_forms(blocks)), thresholds,
                               options)


def episode_from_labels(document: Document, blocks: list[Block], probabilities, thresholds: Thresholds,
                        options: StoryOptions) -> Episode:
    structure = find_structure(blocks, probabilities, thresholds, options.longest_title_words,
                               document.title or document.markup_title,
                               fallback_headings="fallback_headings" in options.structure_rules,
                               likeliest_form=options.likeliest_form if "likeliest_form" in options.structure_rules
                               else None)
    intro = SectionDraft("Introduction", kind="intro")
    for block in structure.intro:
        intro.add(block)
    drafts, told = [], []
    for story in structure.stories:
        if any(STRUCTURE_RULES[name].applies(story, told) for name in ("recap", "link_directory")
               if name in options.structure_rules):
            continue
        draft = SectionDraft(story_title(story.title))
        for block in story.blocks:
            draft.add(block)
        if not draft.has_text():
            draft.paragraphs.append([as_sentence(story.title)])
        drafts.append(draft)
        told.append(story.title)
    if "closing_outro" in options.structure_rules:
        _mark_closing_sections(drafts)
    found = (document.title or structure.title or document.markup_title or _first_title_like(blocks)
             or _title_from_source(document.source))
    episode_title = title_in_language(" ".join(found.split()), blocks)
    if intro.has_text() and not any(d.kind == "story" for d in drafts):
        # A page with no story starts is one story: the whole text under the page's title.
        intro.title, intro.kind = episode_title, "story"
    taken: set[str] = set()
    sections = [d.section(taken) for d in [intro, *drafts] if d.has_text()]
    return Episode(title=episode_title, sections=tuple(sections), date=document.date, source=document.source)


def layout_episode(document: Document, _options: StoryOptions = StoryOptions()) -> Episode:
    """The episode read by the hand-written rules of roundup layouts (``layout_rules``)."""
    from .layout_rules import episode_from_layout  # it builds on this module's title and recap rules

    return episode_from_layout(document)


def auto_episode(document: Document, options: StoryOptions = StoryOptions()) -> Episode:
    """The layout reading, or the classifier's where the layout finds no structure."""
    layout = layout_episode(document, options)
    if story_count(layout) >= options.fewest_layout_stories:
        return layout
    return either_reading(layout, learned_episode(document, options), options)


def either_reading(layout: Episode, learned: Episode, options: StoryOptions) -> Episode:
    """``auto``'s choice between the two readings of one document."""
    if story_count(layout) < options.fewest_layout_stories and story_count(learned) > story_count(layout):
        return learned
    return layout


def story_count(episode: Episode) -> int:
    return sum(s.kind == "story" for s in episode.sections)


@dataclass(frozen=True)
class Finder:
    read: object  # (document, options) -> Episode
    doc: str


STRUCTURES: dict[str, Finder] = {
    "auto": Finder(auto_episode, "the layout rules, or the classifier where they find fewer than two stories "
                                 "(the default)"),
    "layout": Finder(layout_episode, "hand-written rules of headings, bold leads and lists"),
    "learned": Finder(learned_episode, "block classifier learned from the roundup corpus"),
}


# --- structure rules ---------------------------------------------------------------------

_CLOSING = re.compile(rf"^(?:{'|'.join(CLOSING_HEADINGS)})\b", re.I)
RECAP_SHARE = 0.6  # a section whose items repeat earlier story titles at this share is a recap


def _title_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def is_recap(story: Story, earlier_titles: list[str]) -> bool:
    """A section whose list items name stories already told ("By category", "In this issue")."""
    items = [b for b in story.blocks if b.kind == "item"]
    if len(items) < 2 or any(b.kind == "prose" for b in story.blocks):
        return False
    known = [_title_words(t) for t in earlier_titles]

    def repeats(item: Block) -> bool:
        words = _title_words(item.text)
        return bool(words) and any(len(words & k) >= max(1, RECAP_SHARE * len(words)) for k in known)

    return sum(repeats(b) for b in items) >= RECAP_SHARE * len(items)


def is_link_directory(story: Story, _earlier_titles: list[str]) -> bool:
    """A section of bare links (downloads, archives): nothing in it to narrate."""
    return bool(story.blocks) and all(
        b.kind == "item" and len(b.links) == 1 and b.text.strip() == b.links[0].text.strip() for b in story.blocks
    )


def _mark_closing_sections(drafts: list[SectionDraft]) -> None:
    """Closing commentary after the last story ("Final thoughts", "Worth watching") is the outro."""
    for draft in reversed(drafts):
        if not _CLOSING.match(draft.title):
            break
        draft.kind = "outro"


@dataclass(frozen=True)
class StructureRule:
    applies: object  # (story, earlier titles) -> bool; None for a rule applied to the drafts
    doc: str


STRUCTURE_RULES: dict[str, StructureRule] = {
    "closing_outro": StructureRule(None, "closing sections after the last story are the outro"),
    "recap": StructureRule(is_recap, "a section listing stories already told is left out"),
    "link_directory": StructureRule(is_link_directory, "a section of bare links is left out"),
    "fallback_headings": StructureRule(None, "with fewer than two stories found, a short page's headings start them"),
    "likeliest_form": StructureRule(None,
                                    "with fewer than two stories found, the blocks of the likeliest form start them"),
}


# --- the episode's title --------------------------------------------------------------


def title_in_language(title: str, blocks: list[Block]) -> str:
    """A bilingual title ("Weekly Notes · 周报") keeps the part in the blocks' script."""
    total = sum((writing_system(b.text) for b in blocks), writing_system(""))
    parts = [p for p in re.split(r"\s+[·|/–—]\s+", title) if p.strip()]
    if not total or len(parts) < 2:
        return title
    main = total.most_common(1)[0][0]
    kept = [p for p in parts if not writing_system(p) or writing_system(p).most_common(1)[0][0] == main]
    return " · ".join(kept) if kept else title


_SENTENCE_END = re.compile(r"[.!?:;,]['\"”’)]*$")


def _first_title_like(blocks: list[Block]) -> str | None:
    """The first heading of two words or more, or a short first line that ends without a
    stop: the best name a document without a title has."""
    heading = next((b.text for b in blocks if b.kind == "heading" and len(b.text.split()) >= 2), None)
    first = blocks[0] if blocks else None
    if heading is None and first is not None and first.kind == "prose" and 2 <= first.words <= 16 \
            and not _SENTENCE_END.search(first.text):
        return first.text
    return heading


_HASH = re.compile(r"(?=[0-9a-f]*\d)[0-9a-f]{6,}", re.I)  # a commit or content hash in a file name


def _title_from_source(source: str | None) -> str:
    """The file name made readable; a name made of numbers and hashes is no title at all."""
    words = re.split(r"[-_.\s]+", Path(source).stem) if source else []
    words = [w for w in words if w and not _HASH.fullmatch(w)]
    if not any(re.search(r"[^\W\d_]", w) for w in words):
        return "Roundup"
    return " ".join(words).capitalize()
