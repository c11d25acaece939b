"""Timed sentences from Whisper's timed words.

Where Whisper punctuated, Punkt decides the sentence ends. Small models on poor audio
often return long lower-case runs with no full stops; those runs are cut where the
speaker paused, which is where a listener hears a sentence end.
"""

from __future__ import annotations

from dataclasses import dataclass

from episodekit.model import Sentence
from episodekit.sentences import split_sentences

from hearing.transcript import Transcript, whole_words

MAX_WORDS = 40  # longer than any sentence a host reads aloud in one breath
LONG_WORDS = 20  # past this, a shorter pause is taken as the sentence end
SHORT_PAUSE = 0.2
MIN_WORDS = 4  # a pause split never leaves a fragment shorter than this
PAUSE = 0.5  # seconds of silence heard as a sentence end in an unpunctuated run
SEGMENT_END_BONUS = 0.3  # Whisper's (or the VAD's) segment edges are likely ends too

_ENDINGS = (".", "!", "?", "…")
_CLOSERS = "\"'”’)]"


@dataclass(frozen=True)
class _Token:
    text: str
    start: float
    end: float
    segment_end: bool  # the last word of a Whisper segment
    speaker: str | None = None


def build_sentences(transcript: Transcript) -> list[Sentence]:
    """Split a transcript into sentences timed by their first and last word; a sentence
    never spans two speakers' turns."""
    sentences: list[Sentence] = []
    for turn in _turns(_tokens(transcript)):
        for run in _punkt_runs(turn):
            for piece in _split_unpunctuated(run):
                sentences.append(Sentence(_tidy(" ".join(t.text for t in piece)), piece[0].start, piece[-1].end,
                                          speaker=piece[0].speaker))
    return sentences


def _turns(tokens: list[_Token]) -> list[list[_Token]]:
    turns: list[list[_Token]] = []
    for token in tokens:
        if turns and turns[-1][-1].speaker == token.speaker:
            turns[-1].append(token)
        else:
            turns.append([token])
    return turns


def _tokens(transcript: Transcript) -> list[_Token]:
    tokens: list[_Token] = []
    for segment in transcript.segments:
        words = whole_words(segment.words)
        if not segment.words:
            words = _spread(segment.text, segment.start, segment.end)
        words = [w for w in words if w[0]]
        for i, (text, start, end) in enumerate(words):
            tokens.append(_Token(text, start, end, segment_end=i == len(words) - 1, speaker=segment.speaker))
    return tokens


def _spread(text: str, start: float, end: float) -> list[tuple[str, float, float]]:
    """Words of a segment without word timestamps, its time shared out evenly."""
    parts = text.split()
    step = (end - start) / max(len(parts), 1)
    return [(p, start + i * step, start + (i + 1) * step) for i, p in enumerate(parts)]


def _punkt_runs(tokens: list[_Token]) -> list[list[_Token]]:
    """Group tokens into Punkt's sentences; Punkt only breaks between tokens."""
    runs, i = [], 0
    for sentence in split_sentences(" ".join(t.text for t in tokens)):
        n = len(sentence.split())
        runs.append(tokens[i : i + n])
        i += n
    if i < len(tokens):  # never lose words if Punkt ever broke inside one
        runs.append(tokens[i:])
    return [r for r in runs if r]


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_ENDINGS)


def _split_unpunctuated(run: list[_Token]) -> list[list[_Token]]:
    """Cut a run at pauses if Whisper left it without an end mark or overly long."""
    if _ends_sentence(run[-1].text) and len(run) <= MAX_WORDS:
        return [run]
    pieces, current = [], []
    for i, token in enumerate(run):
        current.append(token)
        rest = len(run) - i - 1
        if rest >= MIN_WORDS and len(current) >= MIN_WORDS and _pause_after(run, i) >= PAUSE:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [p for piece in pieces for p in _split_long(piece)]


def _pause_after(run: list[_Token], i: int) -> float:
    gap = run[i + 1].start - run[i].end
    return gap + (SEGMENT_END_BONUS if run[i].segment_end else 0.0)


def _split_long(piece: list[_Token]) -> list[list[_Token]]:
    """Cut a long piece at its longest pause until every part fits.

    Word timestamps stretch into silence, so a real sentence end can show up as a
    short pause; a long piece is cut there too, an over-long one in any case.
    """
    if len(piece) <= LONG_WORDS:
        return [piece]
    cut = max(range(MIN_WORDS - 1, len(piece) - MIN_WORDS), key=lambda i: _pause_after(piece, i))
    if len(piece) <= MAX_WORDS and _pause_after(piece, cut) < SHORT_PAUSE:
        return [piece]
    return _split_long(piece[: cut + 1]) + _split_long(piece[cut + 1 :])


def _tidy(text: str) -> str:
    """Restore what a lower-case, unpunctuated run lost: a capital and an end mark."""
    text = text[:1].upper() + text[1:]
    if not _ends_sentence(text):
        text = text.rstrip(",;:- ") + "."
    return text
