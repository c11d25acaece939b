"""Sentence splitting shared by both sides: nltk's Punkt with abbreviations we ship.

No nltk data package can be downloaded, so Punkt runs with parameters built here: the
abbreviations common in tech-news prose, so "Dr. Chen" or "U.S. rules" stay whole.
"""

from __future__ import annotations

import functools
import re

ABBREVIATIONS = (
    "mr mrs ms dr prof sr jr st vs etc inc ltd corp co no approx est dept gen gov "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun "
    "e.g i.e u.s u.k u.n e.u a.m p.m ph.d fig ca cf al"
).split()


@functools.lru_cache(maxsize=1)
def punkt_tokenizer():
    """The one Punkt tokenizer, built on first use. Importing nltk takes most of a
    second, so a caller that waits for other work (a model loading) builds it then."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


# Punkt takes any capital letter with a full stop for an initial ("J. Chen"), so "a
# series A. Did that..." stays one sentence. When the word after it is one that opens
# sentences and never follows an initial, the full stop ends a sentence.
_LETTER_THEN_OPENER = re.compile(
    r"(?<=\b[A-Z]\.) (?=(?:Did|Do|Does|Is|Are|Was|Were|Has|Have|Had|Can|Could|Would|Will|Should|"
    r"What|How|Why|When|Where|Who|Which|The|This|That|These|Those|It|It's|We|They|You|He|She|"
    r"There|Our|Their|But|And|So|Then|Now|After|Before|In|On|At|For)\b)"
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, whitespace normalised; empty text gives []."""
    text = " ".join(text.split())
    if not text:
        return []
    return [part.strip() for sentence in punkt_tokenizer().tokenize(text)
            for part in _LETTER_THEN_OPENER.split(sentence) if part.strip()]


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")


def words(text: str) -> list[str]:
    """Lower-case word tokens, punctuation dropped: for overlap and error-rate counts."""
    return [w.strip(".-'’").lower() for w in _WORD.findall(text) if w.strip(".-'’")]
