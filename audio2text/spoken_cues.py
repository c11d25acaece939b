"""What a spoken sentence's words tell the text stages: the names in it, its topic words,
and the transitions, openings and sign-offs hosts say aloud (word lists in
episodekit.lexicon)."""

from __future__ import annotations

import functools
import re
from typing import Sequence

from episodekit.lexicon import STOPWORDS, STRONG_CUES, WEAK_CUES
from episodekit.model import Sentence
from episodekit.sentences import words

_CLOSERS = "\"'”’)]"


def cue_strength(text: str) -> float:
    """1 for a strong spoken transition at the sentence start, 0.4 for a weak one."""
    opening = _opening(text)
    if any(_starts_with(opening, cue) for cue in STRONG_CUES):
        return 1.0
    if any(_starts_with(opening, cue) for cue in WEAK_CUES):
        return 0.4
    return 0.0


def strip_cue(text: str) -> str:
    """The sentence without its leading transition ("First up, Acme ..." -> "Acme ...").

    A cue's topic words run to the first comma ("Turning to policy, the ..."); a weak
    cue counts only when a comma follows it ("Next, ..." but not "Next year ...").
    """
    opening = _opening(text)
    for cue in sorted(STRONG_CUES + WEAK_CUES, key=len, reverse=True):
        if not _starts_with(opening, cue):
            continue
        head = text.lstrip()
        after = head[len(cue) :]
        comma = after.find(",")
        if 0 <= comma and len(after[:comma].split()) <= 3:
            rest = after[comma + 1 :]
        elif cue in STRONG_CUES:
            rest = after
        else:
            return text
        rest = rest.lstrip(" ,:;-—")
        return rest[:1].upper() + rest[1:] if rest else text
    return text


def asks(sentence: Sentence | str) -> bool:
    """Whether the sentence is a question."""
    text = sentence if isinstance(sentence, str) else sentence.text
    return text.rstrip(_CLOSERS).endswith("?")


def contains(text: str, phrases: Sequence[str]) -> bool:
    """Whether any of ``phrases`` occurs in ``text`` as whole words, ignoring case."""
    flat = " " + " ".join(words(text.replace("’", "'"))) + " "
    return any(" " + " ".join(words(p)) + " " in flat for p in phrases)


def content_words(text: str) -> list[str]:
    """Stemmed words that carry topic: stopwords, numbers and short words dropped."""
    return [_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    # Porter stemming is slow; a show says the same few thousand words again and again.
    return _stemmer().stem(word)


_NAME = re.compile(r"\b[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|\d+))*")


@functools.lru_cache(maxsize=1 << 14)
def names(text: str) -> tuple[str, ...]:
    """Capitalised runs ("Lumora Labs", "Halcyon 3") that are not just a sentence start."""
    found = []
    for match in _NAME.finditer(text):
        parts = match.group().rstrip(".").split()
        while parts and parts[0].lower() in STOPWORDS:  # "The", "Meanwhile", "I"
            parts = parts[1:]
        # A lone capitalised first word is just how sentences start.
        opens_sentence = match.start() == 0 or text[: match.start()].rstrip().endswith((".", "?", "!"))
        if parts and not (opens_sentence and len(parts) == 1) and parts[0].lower() not in _common():
            found.append(" ".join(parts))
    return tuple(found)


def _opening(text: str) -> str:
    return " ".join(words(text.replace("’", "'")[:80]))


def _starts_with(opening: str, cue: str) -> bool:
    cue = " ".join(words(cue))
    return opening == cue or opening.startswith(cue + " ")


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@functools.lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """Words that start sentences in capitals without being names."""
    cues = {w for cue in STRONG_CUES + WEAK_CUES for w in cue.split()}
    return STOPWORDS | cues
