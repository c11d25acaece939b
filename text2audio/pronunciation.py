"""Pronunciations: written terms respelled for the voice, so "Qwen" is said "chwen".

A lexicon file holds one ``term = spoken form`` a line (``#`` starts a comment). The
respelling reaches only the engine: the script, transcript and chapters keep the written
term, and ``--verify`` checks that what is heard is the written term. A starter lexicon of
the field's names ships beside this module; ``--lexicon FILE`` adds to it and wins over it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment

from episodekit.errors import ConversionError

from .voices.base import Voice

STARTER_LEXICON = Path(__file__).with_name("pronunciations.txt")


class LexiconError(ConversionError):
    """A lexicon line that is not ``term = spoken form``; its path reads FILE:LINE."""


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[tuple[str, str], ...] = ()  # (written term, spoken form), longest term first

    def respell(self, text: str) -> str:
        """``text`` with every whole-word occurrence of a term replaced by its spoken form."""
        if not self.entries:
            return text
        spoken = dict(self.entries)
        return _pattern(tuple(term for term, _ in self.entries)).sub(lambda m: spoken[m[0]], text)


@functools.lru_cache(maxsize=8)
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    # Terms are matched as written (case included) and never inside a longer word; the longest
    # first, so "Hugging Face" is respelled before "Face" could be.
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def read_lexicon(path: str | Path) -> dict[str, str]:
    """The entries of a lexicon file, in file order; a later line for a term wins."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(path, f"cannot read the lexicon: {getattr(exc, 'strerror', None) or exc}") from None
    entries: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        term, equals, spoken = (part.strip() for part in line.partition("="))
        if not equals or not term or not spoken:
            raise LexiconError(f"{path}:{number}", f"expected 'term = spoken form', found {line!r}")
        entries[term] = engine_spelling(spoken)
    return entries


def engine_spelling(spoken: str) -> str:
    """A respelling as an engine should get it. Capitals that mark the stressed syllable for
    a reader ("an-THROP-ic") are lowered, since an engine may spell a capitalised syllable out
    letter by letter; a form without lower case ("G G U F", "ONNX") is meant as written."""
    if not any(c.islower() for c in spoken):
        return spoken
    return re.sub(r"\b[A-Z]{2,}\b", lambda m: m[0].lower(), spoken)


def load_lexicon(path: str | Path | None = None, *, starter: bool = True) -> Lexicon:
    """The starter lexicon (unless ``starter`` is false) with the file at ``path`` over it."""
    entries: dict[str, str] = {}
    if starter:
        entries.update(read_lexicon(STARTER_LEXICON))
    if path is not None:
        entries.update(read_lexicon(path))
    return Lexicon(tuple(sorted(entries.items(), key=lambda e: (-len(e[0]), e[0]))))


class PronouncingVoice(Voice):
    """A voice that is handed the respelled sentence; everything else is the voice's own."""

    def __init__(self, voice: Voice, lexicon: Lexicon):
        self.voice = voice
        self.lexicon = lexicon
        self.name = voice.name
        self.sample_rate = voice.sample_rate

    def speak(self, sentence: str) -> AudioSegment:
        return self.voice.speak(self.lexicon.respell(sentence))
