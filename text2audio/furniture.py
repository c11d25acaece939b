"""Furniture: the blocks of a page no narrator reads.

Each signal is a named rule in ``RULES``. Every rule is a feature of the block
classifier (``classify``), which learns from the roundup corpus how much it counts;
the rules named in ``StoryOptions.hard_rules`` also drop a block on their own, before
the classifier sees the document, because nothing a story says ever matches them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from episodekit.lexicon import STOPWORDS

from .blocks import Block
from .cleaning import is_page_chrome, is_tag_soup


def _without_links(block: Block) -> str:
    rest = block.text
    for link in block.links:
        rest = rest.replace(link.text, " ", 1)
    return rest


def link_share(block: Block) -> float:
    """How much of the block's text is link text."""
    if not block.text:
        return 0.0
    return min(1.0, sum(len(link.text) for link in block.links) / len(block.text))


def is_link_list(block: Block) -> bool:
    """Navigation: two or more links with nothing but separators between them."""
    return len(block.links) >= 2 and not re.search(r"\w", _without_links(block))


def is_anchor_link(block: Block) -> bool:
    """A table-of-contents entry: the block is one link to a place on the same page."""
    return (len(block.links) == 1 and block.links[0].url.startswith("#")
            and block.text.strip() == block.links[0].text.strip())


def is_link_button(block: Block) -> bool:
    """A paragraph that is one link and nothing else: "Discuss this post", "Read the report"."""
    return block.kind == "prose" and len(block.links) == 1 and not _without_links(block).strip()


def is_reference_line(block: Block) -> bool:
    """A short label followed only by numbered links: "Tracker issue: [1234]"."""
    if not block.links or any(re.search(r"[^\W\d_]", link.text) for link in block.links):
        return False
    rest = _without_links(block)
    return len(rest.split()) <= 4 and ":" in rest


# Words of the lines a newsletter sets around its stories: sponsor reads, sign-up and
# referral prompts, the e-mail's own footer (manage, unsubscribe, the sender's address),
# the sign-off's requests to the reader (write back, share the issue, track referrals)
# and the show's own schedule (an invitation to watch live, with its weekday and hour).
BOILERPLATE = re.compile(
    r"\b(?:sponsor(?:ed|s)?|advertise|advertis(?:ing|ement)|unsubscribe|opt[- ]out"
    r"|view (?:it )?(?:online|in (?:your )?browser)"
    r"|manage (?:your )?(?:subscription|preferences)|email preferences|refer(?:ral)?s?\b.{0,30}\b(?:friend|reward|link)"
    r"|forwarded (?:this|to you)|sign up|subscribe|share (?:this|on)|follow us|privacy policy|terms of (?:service|use)"
    r"|all rights reserved|you(?:'re| are) receiving this|mailing address|po box|suite \d+"
    r"|thanks? (?:you )?for reading|(?:reply|respond) to this (?:e-?mail|newsletter)|connect with (?:us|me|the hosts?)"
    r"|(?:track|view|see|check) your referrals?|share (?:it|them|this (?:issue|edition|newsletter)) with"
    r"|(?:comments|feedback|suggestions)\?? (?:or|and) (?:feedback|suggestions|questions)"
    r"|found this (?:newsletter|edition|issue) (?:valuable|useful|helpful)"
    r"|join us (?:live|on youtube)|usually (?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?) at \d"
    r"|tell your friends|want to work at|job listings?|table of contents|in this (?:issue|edition)"
    r"|our (?:courses|sponsors?|newsletter|website)|(?:live )?stream(?:ed|ing)? (?:live|on youtube))\b",
    re.I,
)


_LONGEST_BOILERPLATE_WORDS = 24  # a longer block that says "subscribe" is a story's paragraph


def is_boilerplate(block: Block) -> bool:
    return block.words <= _LONGEST_BOILERPLATE_WORDS and bool(BOILERPLATE.search(block.text))


_URL_OR_REFERENCE = re.compile(r"\[\d{1,3}\]|\b(?:https?://|www\.)\S+|[-=_*]{3,}|^\W*links\W*$", re.I)


# A comment of the page's template that its text kept: "/* sidebar */", "<!-- ad slot -->".
_TEMPLATE_COMMENT = re.compile(r"^\s*(?:/\*.*\*/|<!--.*-->|//\s.*)\s*$")


def is_template_comment(block: Block) -> bool:
    return bool(_TEMPLATE_COMMENT.match(block.text))


def is_bare_url(block: Block) -> bool:
    """A line of addresses and reference numbers only: "[3] https://...", an e-mail's "Links:" list."""
    return bool(block.text) and not re.search(r"\w", _URL_OR_REFERENCE.sub(" ", block.text))


def is_separated_names(block: Block) -> bool:
    """A row of short names set apart by bars or dots: "Website | LinkedIn | GitHub"."""
    parts = [p.strip() for p in re.split(r"\s*[|·•]\s*", block.text) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)


_STREET = re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Way|Lane|Drive)\b"
                     r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")


def is_postal_address(block: Block) -> bool:
    return bool(_STREET.search(block.text))


_SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "HANGUL", "CJK": "CJK"}


def writing_system(text: str) -> Counter:
    """Letters counted by script (LATIN, CJK, CYRILLIC, ARABIC...)."""
    scripts: Counter = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "UNKNOWN").split()[0]
            scripts[_SCRIPT_FAMILIES.get(name, name)] += 1
    return scripts


def english_share(text: str) -> float:
    """The share of English function words among the block's words."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    return sum(w in STOPWORDS for w in words) / max(1, len(words))


def is_other_script(block: Block) -> bool:
    """Most of the block's letters are not Latin (the episode's voices speak English)."""
    scripts = writing_system(block.text)
    return bool(scripts) and scripts.most_common(1)[0][0] != "LATIN"


@dataclass(frozen=True)
class Rule:
    test: Callable[[Block], bool]
    doc: str


RULES: dict[str, Rule] = {
    "link_list": Rule(is_link_list, "two or more links and only separators"),
    "anchor_link": Rule(is_anchor_link, "one link to a place on the same page (a contents entry)"),
    "link_button": Rule(is_link_button, "a paragraph that is one link"),
    "reference_line": Rule(is_reference_line, "a label and numbered links"),
    "tag_soup": Rule(lambda b: is_tag_soup(b.text), "hashtags and handles"),
    "page_chrome": Rule(lambda b: is_page_chrome(b.text), "navigation, share bars, counters, footers"),
    "boilerplate": Rule(is_boilerplate, "sponsor, sign-up, referral and unsubscribe words"),
    "postal_address": Rule(is_postal_address, "a street or postal address"),
    "bare_url": Rule(is_bare_url, "addresses and reference numbers only"),
    "template_comment": Rule(is_template_comment, "a comment of the page's template (/* ... */, <!-- ... -->)"),
    "separated_names": Rule(is_separated_names, "short names between bars or dots (a footer's links)"),
    "other_script": Rule(is_other_script, "letters of another script than Latin"),
}
