"""Checking an episode by ear: transcribe what the voice said with the bundled Whisper
model and align it with the script, chapter by chapter.

The report (``NAME.verify.json``) gives the word error rate of every chapter and the places a
listener would mishear, names and numbers first, with their times. Both sides are compared
as spoken words: lower case, no punctuation, numbers written out, so "$48 million" heard
matches "48 million dollars" written.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from episodekit.errors import ConversionError
from episodekit.files import write_atomic
from episodekit.model import Episode

REPORT_SUFFIX = ".verify.json"
KIND_ORDER = ("name", "number", "word")  # the order mishearings are listed in


@dataclass(frozen=True)
class VerifyOptions:
    max_wer: Optional[float] = None  # a fraction: 0.1 fails an episode heard with over 10% errors
    model: Optional[str] = None  # a Whisper model as --model names it; None is the bundled one
    say_summary: bool = True


@dataclass(frozen=True)
class ScriptWord:
    """A word the voice was given, in its spoken form, with the sentence it is in."""

    text: str
    chapter: int
    kind: str  # one of KIND_ORDER
    start: float
    end: float


@dataclass(frozen=True)
class HeardWord:
    text: str
    start: float
    end: float


def report_path(audio: Path) -> Path:
    return audio.with_name(audio.stem + REPORT_SUFFIX)


def verify_episode(episode: Episode, audio: Path, options: VerifyOptions = VerifyOptions()) -> dict:
    """Transcribe ``audio``, compare it with the timed script ``episode``, write the report
    beside the audio and return it. Raises ConversionError when the episode is heard with
    more errors than ``options.max_wer``, after the report is written, so it can be read."""
    from hearing.decode import decode_audio
    from hearing.transcribe import get_transcriber

    transcriber = get_transcriber(options.model, language=episode.language)
    transcript = transcriber.transcribe(decode_audio(audio))
    heard = heard_words(transcript.segments)
    report = compare(episode, heard, common_words_of(options.model))
    report = {"episode": audio.name, "model": transcript.model,
              "engine": episode.metadata.get("engine"), **report}
    target = report_path(audio)
    write_atomic(target, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if options.say_summary:
        print(summary_line(report, target), file=sys.stderr)
    if options.max_wer is not None and report["word_error_rate"] > options.max_wer:
        raise ConversionError(audio, f"heard with a word error rate of {report['word_error_rate']:.1%}, over "
                                     f"--verify-max-wer {options.max_wer:.1%}; see {target}")
    return report


def summary_line(report: dict, target: Path) -> str:
    worst = max(report["chapters"], key=lambda c: c["word_error_rate"])
    names, numbers = report["names"], report["numbers"]
    return (f"verified {report['episode']} by ear ({report['model']}): word error rate "
            f"{report['word_error_rate']:.1%}; names {names['misheard']} of {names['words']} misheard, "
            f"numbers {numbers['misheard']} of {numbers['words']}; worst chapter {worst['title']!r} "
            f"{worst['word_error_rate']:.1%}; report {target}")


# --- the comparison (pure) ----------------------------------------------------------------

def compare(episode: Episode, heard: Sequence[HeardWord], common: Callable[[str], bool] = lambda word: False) -> dict:
    """Align the script's words with the heard words and score them; ``common`` tells
    everyday words from names (see name_words)."""
    import jiwer

    said = script_words(episode, common)
    if not said:
        raise ConversionError(None, "the script has no words to verify")
    if heard:
        chunks = jiwer.process_words(" ".join(w.text for w in said),
                                     " ".join(w.text for w in heard)).alignments[0]
    else:
        chunks = [_Chunk("delete", 0, len(said), 0, 0)]

    errors = [0] * len(episode.sections)
    wrong = [False] * len(said)
    misheard = []
    for span, members in _error_groups(chunks):
        ref = said[span.ref_start_idx:span.ref_end_idx]
        hyp = heard[span.hyp_start_idx:span.hyp_end_idx]
        # Heard split or joined ("pine crest", "g g u f") is the same sound, only written apart.
        if "".join(w.text for w in ref) == "".join(w.text for w in hyp):
            continue
        for chunk in members:
            if chunk.type == "insert":
                # An insertion belongs to the chapter it was heard in: that of the script word before it.
                errors[said[max(chunk.ref_start_idx - 1, 0)].chapter] += chunk.hyp_end_idx - chunk.hyp_start_idx
            for i in range(chunk.ref_start_idx, chunk.ref_end_idx):
                errors[said[i].chapter] += 1
                wrong[i] = True
        if ref:
            kind = next(k for k in KIND_ORDER if any(w.kind == k for w in ref))
            start, end = (hyp[0].start, hyp[-1].end) if hyp else (ref[0].start, ref[-1].end)
            misheard.append({
                "expected": " ".join(w.text for w in ref),
                "heard": " ".join(w.text for w in hyp),
                "kind": kind,
                "chapter": episode.sections[ref[0].chapter].title,
                "start": round(start, 2),
                "end": round(end, 2),
            })
    misheard.sort(key=lambda m: (KIND_ORDER.index(m["kind"]), m["start"]))

    chapters = []
    for index, section in enumerate(episode.sections):
        count = sum(1 for w in said if w.chapter == index)
        chapters.append({
            "title": section.title,
            "start": round(section.start or 0.0, 2),
            "end": round(section.end or 0.0, 2),
            "words": count,
            "errors": errors[index],
            "word_error_rate": round(errors[index] / count, 4) if count else 0.0,
        })
    return {
        "word_error_rate": round(sum(errors) / len(said), 4),
        "words": len(said),
        "heard_words": len(heard),
        "names": _kind_score(said, wrong, "name"),
        "numbers": _kind_score(said, wrong, "number"),
        "chapters": chapters,
        "misheard": misheard,
    }


@dataclass(frozen=True)
class _Chunk:
    type: str
    ref_start_idx: int
    ref_end_idx: int
    hyp_start_idx: int
    hyp_end_idx: int


def _error_groups(chunks) -> list[tuple[_Chunk, list]]:
    """Runs of adjacent substitutions, deletions and insertions, each as its span and its
    chunks: a name heard as two words is one mishearing, not a substitution and an insertion."""
    groups: list[tuple[_Chunk, list]] = []
    previous_equal = True
    for chunk in chunks:
        if chunk.type == "equal":
            previous_equal = True
            continue
        if previous_equal:
            groups.append((_Chunk("error", chunk.ref_start_idx, chunk.ref_end_idx,
                                  chunk.hyp_start_idx, chunk.hyp_end_idx), [chunk]))
        else:
            span, members = groups[-1]
            groups[-1] = (_Chunk("error", span.ref_start_idx, chunk.ref_end_idx,
                                 span.hyp_start_idx, chunk.hyp_end_idx), [*members, chunk])
        previous_equal = False
    return groups


def _kind_score(said: Sequence[ScriptWord], wrong: Sequence[bool], kind: str) -> dict:
    total = sum(1 for w in said if w.kind == kind)
    missed = sum(1 for w, bad in zip(said, wrong) if w.kind == kind and bad)
    return {"words": total, "misheard": missed, "error_rate": round(missed / total, 4) if total else 0.0}


def script_words(episode: Episode, common: Callable[[str], bool] = lambda word: False) -> list[ScriptWord]:
    """Every word of the timed script in spoken form, tagged as a name, a number or a word."""
    names = name_words((s.text for s in episode.sentences), common)
    words = []
    for chapter, section in enumerate(episode.sections):
        for sentence in section.sentences:
            from_digits = set(normalise_for_wer(" ".join(re.findall(r"\S*\d\S*", sentence.text))).split())
            for word in normalise_for_wer(sentence.text).split():
                if word in names:
                    kind = "name"
                elif word in from_digits or word in _SCALE_WORDS:
                    kind = "number"
                else:
                    kind = "word"
                start = sentence.start or 0.0
                words.append(ScriptWord(word, chapter, kind, start, sentence.end or start))
    return words


def heard_words(segments) -> list[HeardWord]:
    """Whisper's timed words in spoken form, segment by segment.

    A segment's words are normalised together so "$48 million" reads "forty eight million
    dollars"; the normalised words take the times of the words they came from in order, which
    holds whenever the segment gives as many words as its words do one by one.
    """
    from hearing.transcript import whole_words

    heard = []
    for segment in segments:
        words = whole_words(segment.words)
        parts = [(normalise_for_wer(text).split(), start, end) for text, start, end in words]
        together = normalise_for_wer(" ".join(text for text, _, _ in words)).split()
        if len(together) == sum(len(p) for p, _, _ in parts):
            timings = [(start, end) for p, start, end in parts for _ in p]
            heard.extend(HeardWord(w, s, e) for w, (s, e) in zip(together, timings))
        else:
            heard.extend(HeardWord(w, start, end) for p, start, end in parts for w in p)
    return heard


def name_words(sentences: Iterable[str], common: Callable[[str], bool] = lambda word: False) -> frozenset[str]:
    """Words the script uses as names, in lower case.

    A name is written with a capital and never in lower case, and is also an acronym or has
    an inner capital ("AI", "OpenAI"), or is not a ``common`` word ("Halvorsen", not
    "Elsewhere" at the start of a sentence), or is capitalised inside a sentence ("Arbor
    Press"). Headlines spoken in title case ("First up: Corvid Ships With...") capitalise
    every word, so only the first two tests apply to them.
    """
    capitalised, lower = set(), set()
    for sentence in sentences:
        for clause in re.split(r"[.!?:;]\s+|\s+[—–-]\s+", sentence):
            tokens = [t for t in re.split(r"[\s/]+", clause) if re.search(r"[A-Za-z]", t)]
            pieces = [[p for p in re.split(r"[^A-Za-z']+", t) if p] for t in tokens]
            headline = _is_title_case([p for ps in pieces for p in ps])
            for position, token_pieces in enumerate(pieces):
                for piece in token_pieces:
                    word = piece.lower().strip("'")
                    if piece.islower():
                        lower.add(word)
                    elif len(word) < 2:
                        continue
                    elif piece.isupper() or any(c.isupper() for c in piece[1:]) or not common(word.split("'")[0]):
                        capitalised.add(word)
                    elif position and not headline:
                        capitalised.add(word)
    return frozenset(w for w in capitalised if w not in lower)


def common_words_of(model: Optional[str]) -> Callable[[str], bool]:
    """Whether a word is common English, by the recogniser's own vocabulary: Whisper's
    tokenizer holds everyday words whole (" elsewhere", " ships") and splits rare names
    (" halvorsen" is four pieces). No word list ships with the project; this one does."""
    from tokenizers import Tokenizer

    from hearing.models import resolve_model

    path = resolve_model(model).path / "tokenizer.json"
    if not path.is_file():
        return lambda word: False
    tokenizer = Tokenizer.from_file(str(path))
    return lambda word: len(tokenizer.encode(" " + word, add_special_tokens=False).ids) == 1


def _is_title_case(words: Sequence[str]) -> bool:
    longer = [w for w in words if len(w) > 3]
    return len(longer) >= 3 and sum(w[0].isupper() for w in longer) / len(longer) > 0.6


# --- spoken form of written numbers --------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_SCALE_WORDS = frozenset(["hundred", *(name for _, name in _SCALES)])
_ORDINAL_ENDINGS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                    "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
_NUMBER_WORDS = "|".join(_ONES[1:] + _TENS[2:])


def integer_words(n: int) -> str:
    """240 -> "two hundred forty"; spoken "and" is dropped on both sides (see normalise)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + integer_words(n % 100))
    if n >= 1000 * 10**12:
        return " ".join(_ONES[int(d)] for d in str(n))
    value, name = next((value, name) for value, name in _SCALES if n >= value)
    rest = n % value
    return integer_words(n // value) + " " + name + ("" if rest == 0 else " " + integer_words(rest))


def ordinal_words(n: int) -> str:
    *head, last = integer_words(n).split()
    if last in _ORDINAL_ENDINGS:
        last = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def _decimal_words(match: re.Match) -> str:
    return f"{integer_words(int(match[1]))} point {' '.join(_ONES[int(d)] for d in match[2])}"


def normalise_for_wer(text: str) -> str:
    """Lower case, numbers written out as words, punctuation gone: a recogniser that writes
    "$48 million" or "62%" is not charged for what a script spelled "48 million dollars"."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\$\s?(\d+(?:\.\d+)?)(\s+(?:thousand|million|billion|trillion))?", r"\1\2 dollars", text)
    text = text.replace("%", " percent")
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal_words(int(m[1])), text)
    text = re.sub(r"\b(\d+)\.(\d+)\b", _decimal_words, text)
    text = re.sub(r"\d+", lambda m: " " + integer_words(int(m[0])) + " ", text)
    text = re.sub(r"[^\w\s']|_", " ", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)
    # "two hundred and forty" and "240" are the same words once the spoken "and" goes.
    text = re.sub(rf"\b(hundred|thousand|million|billion|trillion) and (?=(?:{_NUMBER_WORDS})\b)", r"\1 ", text)
    return " ".join(text.split())
