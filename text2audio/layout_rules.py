"""The layout finder (``--structure layout``, the default): hand-written rules of how
roundups are laid out, one model of a roundup's structure for every format.

Every reader turns its input into the same flat list of ``Block``s (heading, group,
prose, item, code); ``episode_from_layout`` reads text without markup again from its lines.
Markdown and HTML know which blocks are headings and how deep;
plain text copied from a web page does not, so ``plain_text_blocks`` infers them from
the shape of each line and trims the page's header and footer by position.
``episode_from_blocks`` then finds the structure the same way for all of them:

- furniture goes first, by the named rules of ``furniture``: link lists, table-of-contents
  anchors, one-link buttons, numbered reference lines, tag runs, sponsor and sign-up lines
  (a sponsor's heading with its read), rows of names, bare addresses, and blocks in another
  language than the episode's;
- a heading the document repeats under every story, or one that names a sub-block, is
  demoted under the story heading before it;
- the headings form a tree; a story is a heading with everything under it, unless the
  heading is a *container*: one that holds most of the document, or (when the document
  has few parts) whose sub-headings are each as long as a typical part, or a group by its
  form ("Top Stories" directly above the stories, "Quick Hits" above one-line stories);
- inside a container without sub-headings, the stories are its titled list items: a bold
  lead-in ("**Name**: what happened") or a headline link, one story per headline;
- a list of at least two titled items with bodies of their own makes each item a story,
  even under a heading that is a story by size;
- sub-headings, labelled sub-blocks ("Key points:", "Impact: ...", "Pros:") and nested
  items belong to the story above and are read inside it, in reading order; a code
  listing is mentioned, never read;
- a section that only lists the titles of stories already told is a recap, and one made
  of bare links a directory: both are left out; closing commentary after the last story
  is the outro;
- prose before the first story is the intro.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace

from episodekit.lexicon import BRIEF_LIST_HEADINGS
from episodekit.model import Episode
from episodekit.sentences import split_sentences

from .blocks import Block, Document
from .cleaning import clean_blocks
from .drafting import _LABEL, SectionDraft, as_sentence, label_of, story_title
from .furniture import RULES as FURNITURE_RULES
from .furniture import english_share, writing_system
from .stories import _mark_closing_sections, _title_from_source, is_link_directory, is_recap, title_in_language


# --- plain text lines -> blocks ---------------------------------------------------------

_LONE_MARKER = re.compile(r"^[-•*–·▪◦]$")
_MARKED_ITEM = re.compile(r"^[-•*–·▪◦]\s+(.+)$")
_NUMBERED = re.compile(r"^\(?(\d{1,2})[.)]\s+(.+)$")
_LONGEST_HEADING_WORDS = 16
_MINOR_WORDS = set(
    "a an and as at but by for from in into of on or over per the to under up via vs with".split()
)
# A line of copied page text is prose when it reads as a sentence of some length.
_PROSE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")
# Footer furniture comes as a run of short unmarked lines after the story text ends.
_FOOTER_RUN = 5
# Image and file names left behind by a copied page ("team-photo.jpeg", "hero-banner-2").
_SLUG = re.compile(r"^[\w-]*[a-z0-9](?:[-_.][\w]+)+$")


def plain_text_blocks(text: str) -> list[Block]:
    """Each line of web-page copy as a block; code, page chrome and the page's own header
    and footer are dropped first."""
    lines = [line for line in _unwrapped_lines(clean_blocks(text)) if line]
    lines = _page_body(lines)
    blocks: list[Block] = []
    marker_pending = False
    for line in lines:
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


def is_prose_line(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS and bool(_SENTENCE_END.search(line))


def _is_furniture_line(line: str, counts: dict[str, int]) -> bool:
    """A line no author writes in a story: a file name, a lower-case tag run, or a short
    line the page repeats (section badges, "read the post" buttons)."""
    words = line.split()
    if _MARKED_ITEM.match(line) or _NUMBERED.match(line) or _LONE_MARKER.match(line):
        return False
    if _SLUG.match(words[0]) and not _SENTENCE_END.search(line):
        return True
    if line[:1].islower() and len(words) <= 6 and not _SENTENCE_END.search(line):
        return True
    # A repeated label ("Source: Reuters") is a story's sub-block, not a button.
    return counts[line] > 1 and len(words) <= 4 and ":" not in line


def _page_body(lines: list[str]) -> list[str]:
    """The lines between the page's header and footer, with the page's title first.

    A copied page repeats its title: in the breadcrumb or card above the article and
    again as the article's heading. Everything before its last appearance is header.
    The footer begins at the first run of short unmarked lines after the middle of the
    page: share bars, sign-up forms and related-post cards."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    first_prose = next((i for i, line in enumerate(lines) if is_prose_line(line)), len(lines))
    repeated_titles = [i for i in range(first_prose) if counts[lines[i]] > 1 and looks_like_heading(lines[i])
                       and len(lines[i].split()) > 4]
    start = repeated_titles[-1] if repeated_titles else 0
    body = lines[start:]
    end, run = len(body), 0
    for i, line in enumerate(body):
        short = not is_prose_line(line) and not _MARKED_ITEM.match(line) and not _LONE_MARKER.match(line)
        run = run + 1 if short else 0
        if run >= _FOOTER_RUN and i - run + 1 > len(body) // 2:
            end = i - run + 1
            break
    return [line for line in body[:end] if not _is_furniture_line(line, counts)]


def _line_block(line: str, after_marker: bool) -> Block:
    if after_marker:
        return Block("item", line, depth=1)
    if marked := _MARKED_ITEM.match(line):
        return Block("item", marked.group(1), depth=1)
    if numbered := _NUMBERED.match(line):
        # A numbered line without a full stop is a finding's or a story's title.
        body = numbered.group(2)
        titled = looks_like_heading(body) or (
            len(body.split()) <= _LONGEST_HEADING_WORDS and not _SENTENCE_END.search(body)
        )
        return Block("heading", body) if titled else Block("item", body, depth=1)
    # A bare short line is only a heading candidate until we know what follows it.
    return Block("candidate" if looks_like_heading(line) else "prose", line)


def _confirm_headings(blocks: list[Block]) -> list[Block]:
    """A heading heads something: a short bare line with nothing after it is a closing
    remark. A heading directly above another heading, or above a list of one-line
    stories, groups the stories below it (level 1); other headings are stories (level 2)."""
    confirmed: list[Block] = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind in ("candidate", "heading"):
            if following is None or label_of(Block("prose", block.text)):
                block = Block("prose", block.text)
            elif (following.kind in ("candidate", "heading") and not label_of(following)) or _BRIEF_LIST_GROUP.match(
                block.text
            ):
                block = Block("group", block.text, level=1)
            else:
                block = Block("heading", block.text, level=2)
        confirmed.append(block)
    # The page's title: a first heading over a lead paragraph, with stories after it.
    if (
        len(confirmed) > 2
        and confirmed[0].kind == "heading"
        and confirmed[1].kind == "prose"
        and any(b.kind == "heading" for b in confirmed[2:])
    ):
        confirmed[0] = Block("heading", confirmed[0].text, level=1)
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


# --- block rules: what is never a story's text ------------------------------------------


# Furniture rules (``furniture.RULES``) that drop a paragraph or an item; headings are kept.
BLOCK_DROPS = ("link_list", "anchor_link", "link_button", "reference_line", "tag_soup", "page_chrome")
# Rules that drop any line, a heading too: sponsor and sign-up lines, rows of names, bare addresses.
LINE_DROPS = ("boilerplate", "separated_names", "bare_url")


# A run of at least this many bare one- or two-word link items is a link list (nav, credits).
_LINK_LIST_RUN = 3


def _is_bare_name_link(block: Block) -> bool:
    return (block.kind == "item" and len(block.links) == 1 and block.text.strip() == block.links[0].text.strip()
            and len(block.text.split()) <= 2)


def drop_furniture(blocks: list[Block]) -> list[Block]:
    def dropped_by(names: tuple[str, ...], block: Block) -> bool:
        return any(FURNITURE_RULES[name].test(block) for name in names)

    kept, sponsored = [], False
    for b in blocks:
        heading = b.kind in ("heading", "group")
        if heading:
            # A sponsor's or a sign-up heading heads its read: the text under it goes with it.
            sponsored = FURNITURE_RULES["boilerplate"].test(b)
        if b.kind == "code" or not (sponsored or dropped_by(LINE_DROPS, b)
                                    or (not heading and dropped_by(BLOCK_DROPS, b))):
            kept.append(b)
    runs, start = [], 0
    for i in range(len(kept) + 1):
        if i == len(kept) or not _is_bare_name_link(kept[i]):
            if i - start >= _LINK_LIST_RUN:
                runs.extend(range(start, i))
            start = i + 1
    dropped = set(runs)
    return [b for i, b in enumerate(kept) if i not in dropped]


# --- one language per episode ----------------------------------------------------------

# A block this long with (almost) no English function words is in another language.
_LANGUAGE_CHECK_WORDS = 15
_ENGLISH_FUNCTION_SHARE = 0.08
def drop_other_languages(blocks: list[Block]) -> list[Block]:
    """The episode is in the document's main language: blocks in another script (the
    Chinese half of a bilingual digest), or in another Latin-script language when the
    document is English, are not read."""
    total = sum((writing_system(b.text) for b in blocks), Counter())
    if not total:
        return blocks
    main = total.most_common(1)[0][0]
    english = main == "LATIN" and english_share(" ".join(b.text for b in blocks)) >= _ENGLISH_FUNCTION_SHARE

    def foreign(block: Block) -> bool:
        scripts = writing_system(block.text)
        if scripts and scripts.most_common(1)[0][0] != main:
            return True
        # Only running prose is judged by its words: titles and list items are terse in any language.
        # A run of names ("Core, Eclair, LDK and BDK") has few function words in English too.
        lower = sum(w[:1].islower() for w in block.text.split())
        return (english and block.kind == "prose" and block.words >= _LANGUAGE_CHECK_WORDS
                and lower * 2 >= block.words and english_share(block.text) < _ENGLISH_FUNCTION_SHARE)

    return [b for b in blocks if b.kind == "code" or not foreign(b)]


# --- the heading tree -------------------------------------------------------------------


def demote_sub_block_headings(blocks: list[Block]) -> list[Block]:
    """A heading the document repeats ("Confidence", "Trade-offs" under every update) or
    one that names a sub-block ("Key points", "Impact") belongs to the heading before it,
    whatever level it was set at."""
    counts = Counter(b.text.strip().lower() for b in blocks if b.kind == "heading")
    demoted, parent = [], 0
    for block in blocks:
        if block.kind == "heading":
            sub_block = counts[block.text.strip().lower()] > 1 or bool(_LABEL.match(block.text))
            if sub_block and parent:
                block = Block("heading", block.text, parent + 1, block.links)
            elif not sub_block:
                parent = block.level
        demoted.append(block)
    return demoted


_BRIEF_LIST_GROUP = re.compile(rf"^(?:{'|'.join(BRIEF_LIST_HEADINGS)})\b", re.I)
# A container holds more than this share of the document's words.
DOMINANT_SHARE = 0.5
# Sub-headings at least this share of a typical top-level part are stories in their own right.
STORY_SIZED_SHARE = 0.3
# A titled item tells a story when its body has at least this many words.
TITLED_ITEM_BODY_WORDS = 12
# A section whose items repeat earlier story titles at this share is a recap.
RECAP_SHARE = 0.6
# With fewer top-level parts than this, sub-headings of story size are the stories.
FEW_PARTS = 8


@dataclass
class _Node:
    heading: Block | None
    content: list[Block] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0

    def words(self) -> int:
        return sum(b.words for b in self.content) + sum(c.words() for c in self.children)

    def flat(self) -> list[Block]:
        """Everything under this heading in reading order, sub-headings included."""
        blocks = list(self.content)
        for child in self.children:
            blocks.extend([child.heading, *child.flat()])
        return blocks


def heading_tree(blocks: list[Block]) -> _Node:
    root = _Node(None)
    stack = [root]
    for block in blocks:
        if block.kind in ("heading", "group"):
            while len(stack) > 1 and stack[-1].level >= block.level:
                stack.pop()
            node = _Node(block)
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].content.append(block)
    return root


@dataclass
class _Story:
    title: str
    blocks: list[Block]
    titled_item: bool = False  # a story made of a list item: its title may be all there is to read


def _item_title(item: Block, brief_list: bool) -> tuple[str, str] | None:
    """(title, body) of an item that carries its own title: a bold lead-in, a headline
    link, or (in a brief-list group) its first words."""
    if item.lead and len(item.lead.split()) >= 2 and not _LABEL.match(item.lead):
        # A bold headline may end on a full stop ("**Cranes learn to wait.** The port..."); a title does not.
        return re.sub(r"(?<![.\s])\.\s*$", "", item.lead), item.text[len(item.lead):].lstrip(" :—–-").strip()
    if len(item.links) == 1 and not item.links[0].url.startswith("#"):
        link = item.links[0].text
        rest = item.text.replace(link, " ", 1)
        if len(link.split()) >= 2 and len(rest.split()) <= 4:  # a headline and perhaps its outlet
            outlet = rest.strip(" ()[]—–-:")
            return link, f"Source: {outlet}" if re.search(r"\w", outlet) else ""
        after = item.text[len(link):].lstrip() if item.text.startswith(link) else ""
        if len(link.split()) >= 2 and after[:1] in (":", "—", "–", "-") and after[1:].strip():
            return link, after[1:].strip()  # "[Headline](url) — what happened"
    if brief_list:
        return split_item_title(item.text)
    return None


def _titled_items(blocks: list[Block], brief_list: bool) -> list[tuple[int, str, str]] | None:
    """(index, title, body) for each top-level item when the list is a list of stories."""
    items = [(i, b) for i, b in enumerate(blocks) if b.kind == "item" and b.depth <= 1]
    if not items:
        # Paragraphs that open on a title their author set in bold ("**Cranes learn to
        # wait.** The port's...") are a list of stories set as prose.
        items = [(i, b) for i, b in enumerate(blocks) if b.kind == "prose" and b.lead_marked]
    titled = [(i, *t) for i, b in items if (t := _item_title(b, brief_list))]
    if len(titled) < 2 or len(titled) * 2 < len(items):
        return None
    return titled


class _StructureFinder:
    """Decides, top-down, which headings and items are stories."""

    def __init__(self, root: _Node):
        self.total = max(1, root.words())
        self.typical = self.total / max(1, len(root.children))
        self.few_parts = len(root.children) < FEW_PARTS
        self.intro: list[Block] = [b for b in root.content]
        self.stories: list[_Story] = []
        self.lead: list[Block] = []  # a container's own prose, read at the start of its first story

    def run(self, root: _Node) -> tuple[list[Block], list[_Story]]:
        item_stories = _titled_items(root.content, brief_list=False) if not root.children else None
        if item_stories and self._is_list_of_stories(root.content, item_stories):
            # What comes before the list introduces it.
            self.intro = root.content[: item_stories[0][0]]
            self.add_item_stories(root.content, item_stories)
        for child in root.children:
            self.place(child)
        return self.intro, self.stories

    def _is_list_of_stories(self, blocks: list[Block], titled: list[tuple[int, str, str]]) -> bool:
        bodies = [len(body.split()) for _, _, body in titled]
        headlines = all(words <= 4 for words in bodies)
        return headlines or statistics.mean(bodies) >= TITLED_ITEM_BODY_WORDS

    def is_container(self, node: _Node) -> bool:
        if node.heading.kind == "group":
            return True
        own_prose = sum(b.words for b in node.content if b.kind == "prose")
        parts = node.children or _titled_items(node.content, brief_list=False)
        if own_prose or not parts:
            return False
        if node.words() > DOMINANT_SHARE * self.total:
            return True
        return bool(node.children) and self.few_parts and (
            statistics.mean(c.words() for c in node.children) >= STORY_SIZED_SHARE * self.typical
        )

    def place(self, node: _Node) -> None:
        brief_list = bool(_BRIEF_LIST_GROUP.match(node.heading.text))
        container = self.is_container(node)
        titled = _titled_items(node.content, brief_list)
        if titled and (brief_list or container or self._is_list_of_stories(node.content, titled)):
            headlines = all(len(body.split()) <= 4 for _, _, body in titled)
            if brief_list or not headlines or container:
                self.lead.extend(node.content[: titled[0][0]])
                self.add_item_stories(node.content, titled)
                for child in node.children:
                    self.place(child)
                return
        if container:
            self.lead.extend(node.content)
            for child in node.children:
                self.place(child)
            return
        # A heading shallower than the story's own first sub-heading is not one of them.
        sub_level = node.children[0].level if node.children else 0
        inside = [c for c in node.children if c.level >= sub_level]
        own = _Node(node.heading, node.content, inside)
        self.add_story(node.heading.text, own.flat())
        for child in node.children:
            if child.level < sub_level:
                self.place(child)

    def add_story(self, title: str, blocks: list[Block], titled_item: bool = False) -> None:
        self.stories.append(_Story(title, [*self.lead, *blocks], titled_item))
        self.lead = []

    def add_item_stories(self, blocks: list[Block], titled: list[tuple[int, str, str]]) -> None:
        """One story per titled item; what follows an item, up to the next, belongs to it."""
        starts = {i: (title, body) for i, title, body in titled}
        for i in range(titled[0][0], len(blocks)):
            if i in starts:
                title, body = starts[i]
                self.add_story(title, [Block("prose", as_sentence(body))] if body else [], titled_item=True)
            elif self.stories:
                self.stories[-1].blocks.append(blocks[i])


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
    """The first heading when it is the page's only H1, or an H1 that opens the page."""
    headings = [b for b in blocks if b.kind in ("heading", "group")]
    if not headings or headings[0].kind != "heading" or headings[0].level != 1:
        return None
    first = headings[0]
    if _BRIEF_LIST_GROUP.match(first.text) or label_of(first):
        return None
    if first is blocks[0] or sum(b.level == 1 for b in headings) == 1:
        return first.text
    return None


def episode_from_blocks(
    blocks: list[Block],
    *,
    title: str | None = None,
    source: str | None = None,
    date: str | None = None,
    markup_title: str | None = None,
) -> Episode:
    """The episode these blocks describe; no sections at all when they hold no text.

    ``title`` is the document's declared title (front matter), ``markup_title`` the
    page's ``<title>``; the first H1 stands between them."""
    blocks = drop_other_languages(drop_furniture(blocks))
    page_title = _page_title(blocks)
    if page_title:
        blocks = blocks[blocks.index(next(b for b in blocks if b.text == page_title)) + 1:]
    root = heading_tree(demote_sub_block_headings(blocks))
    intro_blocks, stories = _StructureFinder(root).run(root)
    intro = SectionDraft("Introduction", kind="intro")
    for block in intro_blocks:
        intro.add(block)
    drafts, told = [], []
    for story in stories:
        if is_recap(story, told) or is_link_directory(story, told):
            continue
        draft = SectionDraft(story_title(story.title))
        for block in story.blocks:
            draft.add(block)
        if story.titled_item and not draft.has_text():
            draft.paragraphs.append([as_sentence(story.title)])
        if draft.has_text():
            drafts.append(draft)
            told.append(story.title)
    _mark_closing_sections(drafts)
    found = title or page_title or markup_title or _first_title_like(blocks) or _title_from_source(source)
    episode_title = title_in_language(found, blocks)
    if intro.has_text() and not any(d.kind == "story" for d in drafts):
        # A page with no story headings is one story: the whole text under the page's title.
        intro.title, intro.kind = episode_title, "story"
    taken: set[str] = set()
    sections = [d.section(taken) for d in [intro, *drafts] if d.has_text()]
    return Episode(title=episode_title, sections=tuple(sections), date=date, source=source)


def _first_title_like(blocks: list[Block]) -> str | None:
    """The first heading of two words or more: the best name a document without a title has."""
    return next((b.text for b in blocks if b.kind in ("heading", "group") and len(b.text.split()) >= 2), None)


def episode_from_layout(document: Document) -> Episode:
    """The episode the document describes, read by its layout. Text without markup is read
    again from its lines, headings inferred from their shape; a lead is a title only where
    the author set it in bold."""
    if document.plain_text:
        blocks = plain_text_blocks(document.text)
    else:
        blocks = [b if b.lead_marked else replace(b, lead="") for b in document.blocks]
    return episode_from_blocks(blocks, title=document.title, source=document.source, date=document.date,
                               markup_title=document.markup_title)
