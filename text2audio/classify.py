"""What each block of a roundup is, learned from real roundups.

Every block is described by features of its shape (length, case, punctuation, position,
how often the document repeats it or its form, link density, markup, its neighbours) and
three logistic heads, trained by ``make train`` on the roundup corpus and shipped in
``models/``, give the chance that the block is

- ``story``: the start of a story (its headline, or the item whose bold lead is one);
- ``title``: the document's own title;
- ``drop``: something a narrator never reads: page furniture, a list of links, a sponsor
  or subscribe line, code, text in another language.

A block no head claims is story body. The heads see the named rules of
``furniture.RULES`` as features, so a rule counts as much as the corpus says it should.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from episodekit.errors import ModelFileError
from episodekit.learned import LinearModel, load_model
from episodekit.lexicon import MONTHS

from .blocks import Block, has_number
from .drafting import SUB_BLOCK, label_of, story_title
from .furniture import RULES as FURNITURE_RULES
from .furniture import english_share, link_share, writing_system
from .models import PINS

MODELS = Path(__file__).resolve().parent / "models"
HEADS = ("story", "title", "drop")
# The first reading: story starts from the block alone. Where its likely starts fall, and
# how likely the other blocks of a block's own form are, become features of the heads.
DRAFT = "draft"

_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*$")
_CAPS_TAG = re.compile(r"\((?:[A-Z0-9][A-Z0-9 &'-]*)\)|\[\d+\]")  # "(3 MINUTE READ)", "(SPONSOR)", "[4]"
_MINOR = frozenset("a an and as at but by for from in into of on or over per the to under up via vs with".split())
# A day or an issue number, as a newsletter's masthead carries: "2026-02-03", "March 4", "Issue #31".
_DATED = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}\b"
                    rf"|\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}}\b|\b(?:issue|episode|week|edition|no\.?)\s*#?\d+", re.I)
_EMOJI_START = re.compile(r"^[^\w\s\"'“‘(\[<#*-]")


def _shape(block: Block) -> tuple:
    """The form of a block, not its words: blocks of one form are often one kind."""
    return (block.kind, block.level, bool(block.lead), block.depth, _caps_share(block.text) > 0.8)


def _caps_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


def _title_case_share(text: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in _MINOR]
    return sum(w[:1].isupper() for w in words) / len(words) if words else 0.0


def _log(n: float) -> float:
    return math.log1p(max(0.0, n))


def title_text(block: Block) -> str:
    """The words a block would be titled by: its bold lead, unless the lead is only a label
    ("Brian #1", "Performance"), or all of it."""
    named = story_title(block.lead) if block.lead else ""
    only_a_number = has_number(block.lead) and named == block.lead.strip()
    return block.lead if len(named.split()) >= 2 and not only_a_number else block.text


def _words_until_next(blocks: list[Block], shapes: list[tuple], i: int) -> int:
    """Words after a block up to the next block of its own form: the size of what it heads."""
    total = 0
    for j in range(i + 1, len(blocks)):
        later = blocks[j]
        if shapes[j] == shapes[i] or (later.kind == "heading" and blocks[i].kind == "heading"
                                      and later.level <= blocks[i].level):
            break
        total += later.words
    return total


# What tells a page's title from the lines around it, read by the title head only: a
# one-word line is a site's name (its logo's text), a first line is a title when it is
# short, and the masthead carries its date near the top. Cross-validated, titles
# right on 91.7% -> 97.5% of roundups-large; read by every head, they also moved the
# story and drop heads, which then dropped a story's own lines.
TITLE_FEATURES = ("one_word", "first_block_words", "dated_at_top")

FEATURES = (
    "is_heading", "is_prose", "is_item", "is_code", "level", "level_rank", "plain_text", "numbered",
    "log_words", "log_title_words", "has_lead", "lead_share", "depth",
    "sentence_end", "colon_end", "caps_share", "title_case", "caps_tag", "emoji_start", "digit_start",
    "log_links", "link_share", "single_link", "position", "first_block",
    "repeated", "log_shape_count", "shape_share", "log_words_under", "log_next_words",
    "next_heading", "next_prose", "next_item", "prev_heading", "prev_same_shape", "next_same_shape",
    "other_script", "english_share", "declared_title_match", "sub_block_label", "dated",
    *TITLE_FEATURES,
    *(f"rule_{name}" for name in FURNITURE_RULES),
)


def block_features(blocks: list[Block], *, plain_text: bool, declared_title: str | None = None) -> np.ndarray:
    """One row of ``FEATURES`` per block."""
    n = len(blocks)
    if not n:
        return np.zeros((0, len(FEATURES)))
    texts = Counter(" ".join(b.text.lower().split()) for b in blocks if b.text)
    forms = [_shape(b) for b in blocks]
    shapes = Counter(forms)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    scripts = sum((writing_system(b.text) for b in blocks), Counter())
    main_script = scripts.most_common(1)[0][0] if scripts else "LATIN"
    declared = {w for w in re.findall(r"\w+", (declared_title or "").lower())}
    rows = []
    for i, b in enumerate(blocks):
        prev, nxt = (blocks[i - 1] if i else None), (blocks[i + 1] if i + 1 < n else None)
        title = title_text(b)
        words = re.findall(r"\w+", b.text.lower())
        system = writing_system(b.text)
        own_script = system.most_common(1)[0][0] if system else main_script
        dated = bool(_DATED.search(b.text))
        row = {
            "is_heading": b.kind == "heading", "is_prose": b.kind == "prose", "is_item": b.kind == "item",
            "is_code": b.kind == "code", "level": b.level,
            "level_rank": levels.index(b.level) + 1 if b.kind == "heading" else 0,
            "plain_text": plain_text, "numbered": b.numbered,
            "log_words": _log(b.words), "log_title_words": _log(len(title.split())),
            "has_lead": bool(b.lead), "lead_share": len(b.lead) / max(1, len(b.text)), "depth": b.depth,
            "sentence_end": bool(_SENTENCE_END.search(b.text)), "colon_end": b.text.rstrip().endswith(":"),
            "caps_share": _caps_share(b.text), "title_case": _title_case_share(title),
            "caps_tag": bool(_CAPS_TAG.search(b.text)), "emoji_start": bool(_EMOJI_START.match(b.text)),
            "digit_start": b.text[:1].isdigit(),
            "log_links": _log(len(b.links)), "link_share": link_share(b), "single_link": len(b.links) == 1,
            "position": i / n, "first_block": i == 0,
            "repeated": texts[" ".join(b.text.lower().split())] > 1 if b.text else False,
            "log_shape_count": _log(shapes[forms[i]]), "shape_share": shapes[forms[i]] / n,
            "log_words_under": _log(_words_until_next(blocks, forms, i)),
            "log_next_words": _log(nxt.words if nxt else 0),
            "next_heading": bool(nxt and nxt.kind == "heading"), "next_prose": bool(nxt and nxt.kind == "prose"),
            "next_item": bool(nxt and nxt.kind == "item"), "prev_heading": bool(prev and prev.kind == "heading"),
            "prev_same_shape": bool(prev and forms[i - 1] == forms[i]),
            "next_same_shape": bool(nxt and forms[i + 1] == forms[i]),
            "other_script": own_script != main_script, "english_share": english_share(b.text),
            "declared_title_match": len(declared & set(words)) / max(1, len(set(words))) if declared else 0.0,
            "sub_block_label": bool(label_of(b) or SUB_BLOCK.match(b.text)),
            "dated": dated,
            "one_word": b.words <= 1, "first_block_words": _log(b.words) if i == 0 else 0.0,
            "dated_at_top": dated and i / n < 0.1,
        }
        for name, rule in FURNITURE_RULES.items():
            row[f"rule_{name}"] = bool(rule.test(b))
        rows.append([float(row[f]) for f in FEATURES])
    return np.asarray(rows, dtype=np.float64)


CONTEXT_FEATURES = ("draft_p", "draft_form_mean", "draft_form_max", "before_first_start", "after_last_start",
                    "share_after_last_start")


def with_context(features: np.ndarray, forms: list, draft: np.ndarray, threshold: float) -> np.ndarray:
    """The block features with what the draft reading says around each block."""
    n = len(features)
    if not n:
        return np.zeros((0, len(FEATURES) + len(CONTEXT_FEATURES)))
    by_form: dict = {}
    for form, p in zip(forms, draft):
        by_form.setdefault(form, []).append(p)
    starts = np.flatnonzero(draft >= threshold)
    first, last = (starts[0], starts[-1]) if len(starts) else (n, n)
    context = np.array([[draft[i], np.mean(by_form[forms[i]]), np.max(by_form[forms[i]]), i < first, i > last,
                         max(0, i - last) / n] for i in range(n)], dtype=np.float64)
    return np.hstack([features, context])


def _row_names(head: str) -> tuple[str, ...]:
    """The columns of the rows a head is given: the block's own features for the draft,
    with the draft's context for the heads."""
    return FEATURES if head == DRAFT else FEATURES + CONTEXT_FEATURES


def head_features(head: str) -> tuple[str, ...]:
    """The features a head reads of its rows: only the title head the title features."""
    names = _row_names(head)
    return names if head == "title" else tuple(n for n in names if n not in TITLE_FEATURES)


def head_columns(head: str) -> list[int]:
    """Where a head's features sit in the rows it is given."""
    names = _row_names(head)
    return [names.index(n) for n in head_features(head)]


def head_probability(model: LinearModel, head: str, rows: np.ndarray) -> np.ndarray:
    """``head``'s chances over full rows (``FEATURES``, and ``CONTEXT_FEATURES`` for the heads)."""
    return model.probability(rows[:, _COLUMNS[head]])


def block_forms(blocks: list[Block]) -> list[tuple]:
    return [_shape(b) for b in blocks]


@dataclass(frozen=True)
class Thresholds:
    """The chance above which a block is taken as each label; ``story_form``, lower, for a
    block of the same form as a block above ``story`` (a document's stories share one form)."""

    story: float
    title: float
    drop: float
    story_form: float


def story_starts(p_story: np.ndarray, forms: list, thresholds: Thresholds) -> np.ndarray:
    """Which blocks start a story: the likely ones, and those of their form likely enough."""
    strong = p_story >= thresholds.story
    start_forms = {forms[i] for i in np.flatnonzero(strong)}
    same_form = np.array([form in start_forms for form in forms], dtype=bool)
    return strong | (same_form & (p_story >= thresholds.story_form))


@dataclass(frozen=True)
class BlockModel:
    """The draft and the three heads, each with the threshold chosen on its training folds."""

    heads: dict

    def probabilities(self, features: np.ndarray, forms: list) -> dict[str, np.ndarray]:
        if not len(features):
            return {name: np.zeros(0) for name in HEADS}
        draft = head_probability(self.heads[DRAFT], DRAFT, features)
        full = with_context(features, forms, draft, self.threshold(DRAFT))
        return {name: head_probability(self.heads[name], name, full) for name in HEADS}

    def threshold(self, head: str) -> float:
        return float(self.heads[head].extra.get("threshold", 0.5))

    def thresholds(self) -> Thresholds:
        story = self.threshold("story")
        return Thresholds(story, self.threshold("title"), self.threshold("drop"),
                          float(self.heads["story"].extra.get("form_threshold", story)))


_COLUMNS = {head: head_columns(head) for head in (DRAFT, *HEADS)}


def model_file(head: str) -> str:
    return f"blocks-{head}.json"


def shipped_model() -> BlockModel:
    """The heads shipped with the package, each checked against its pinned sha256."""
    heads: dict[str, LinearModel] = {}
    for head in (DRAFT, *HEADS):
        name = model_file(head)
        heads[head] = load_model(MODELS / name, PINS[name], f"text2audio block model {name}")
        if heads[head].features != head_features(head):
            raise ModelFileError(str(MODELS / name), "made for other features: run make train")
    return BlockModel(heads)
