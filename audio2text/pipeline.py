"""The library API of audio2text: a file in (an episode's audio, or a transcript of it),
an article (the segment model) out, and the renderers that turn it into each output format."""

from __future__ import annotations

import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from episodekit.errors import ConversionError
from episodekit.markdown import DEFAULT_FRONT_MATTER
from episodekit.model import Episode
from episodekit.sentences import punkt_tokenizer
from hearing.decode import decode_audio, probe_tags
from hearing.transcribe import get_transcriber
from hearing.transcript import Transcript

from .article import build_article
from .captions import SUFFIXES as TRANSCRIPT_SUFFIXES
from .captions import read_transcript
from .glossary import built_in, hotwords
from .outputs import FORMATS, format_for, render, write_outputs  # noqa: F401  (the library API)

AUDIO_SUFFIXES = (".mp3", ".wav", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".flac", ".mp4",
                  ".m4v", ".webm", ".mkv", ".mov", ".wma", ".aiff", ".aif")
# What a batch takes from a folder: episodes to hear, and transcripts to read.
INPUT_SUFFIXES = AUDIO_SUFFIXES + TRANSCRIPT_SUFFIXES
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    model: Optional[str] = None
    language: Optional[str] = None
    timestamps: bool = False
    # How the work is done, not what it makes: left out of the rerun fingerprint.
    threads: Optional[int] = field(default=None, metadata={"fingerprint": False})
    glossary: tuple[str, ...] = ()  # terms to expect, besides the built-in names of the field
    audio_url: Optional[str] = None  # where the audio will be published; default: beside the outputs
    front_matter: str = DEFAULT_FRONT_MATTER  # the site generator the Markdown is written for


def transcribe_file(path: str | Path, options: Options = Options(),
                    on_progress: Callable[[float, float], None] | None = None,
                    on_warning: Warn | None = None) -> Episode:
    """Decode, transcribe and structure one episode file into an article; a transcript
    (``.srt``, ``.vtt``, ``.txt``) is read instead of heard. What the user should know
    (low recognition confidence) goes to ``on_warning``, by default as a Python warning,
    never into the episode, whose metadata is published."""
    path = Path(path)
    if path.is_dir():
        raise ConversionError(path, "is a folder, not an audio file")
    if is_transcript(path):
        return read_transcript_file(path, options)
    # ffmpeg decodes in its own process, and nltk is imported, while the Whisper model loads
    # here. The embedding model is not loaded alongside: wordllama imports requests, and
    # importing it in a second thread while faster-whisper loads let urllib3's SOCKS
    # DependencyWarning through to the terminal (warning filters are not thread-safe).
    with ThreadPoolExecutor(max_workers=3) as pool:
        decoding, tagging = pool.submit(decode_audio, path), pool.submit(probe_tags, path)
        pool.submit(punkt_tokenizer)
        transcriber = get_transcriber(options.model, language=options.language, threads=options.threads,
                                      hotwords=hotwords(options.glossary + built_in()))
        transcriber.load()
        audio = decoding.result()
    transcript = transcriber.transcribe(audio, on_progress=on_progress)
    if not any(seg.words for seg in transcript.segments):
        raise ConversionError(path, f"no speech found in {transcript.duration:.1f} s of audio")
    episode = build_article(transcript, tags=tagging.result(), source=path.name)
    warning = confidence_warning(transcript, english_only=transcriber.english_only)
    if warning:
        (on_warning or _python_warning)(warning)
    return episode


def _python_warning(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=3)


def is_transcript(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TRANSCRIPT_SUFFIXES


def read_transcript_file(path: str | Path, options: Options = Options()) -> Episode:
    """The article of a transcript the user already has, without Whisper: cue times give
    the timestamps; a plain-text transcript's are estimated from its words, and the
    episode says so (``metadata["times"] == "estimated"``), as every output then does."""
    path = Path(path)
    transcript = read_transcript(path, language=options.language or "en")
    episode = build_article(transcript, source=path.name)
    if transcript.timed:
        return episode
    return replace(episode, metadata={**episode.metadata, "times": "estimated"})


# yt-dlp names captions after the video, with the language before the suffix:
# "talk.en.vtt", "talk.en-GB.vtt" beside "talk.m4a".
_LANGUAGE_TAG = re.compile(r"\.[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")


def companion_audio(transcript: str | Path) -> Path | None:
    """The audio a transcript was made from: a file of the same name (its language tag
    aside) with an audio suffix, beside it. The HTML player plays it."""
    transcript = Path(transcript)
    names = {transcript.stem, _LANGUAGE_TAG.sub("", transcript.stem)}
    try:
        beside = sorted(transcript.parent.iterdir())
    except OSError:
        return None
    return next((p for p in beside if p.suffix.lower() in AUDIO_SUFFIXES and p.stem in names and p.is_file()), None)


# Measured on synthetic speech with tiny.en: English averages 0.80 word confidence,
# French forced through the English-only model 0.41.
LOW_CONFIDENCE = 0.55
# faster-whisper's own compression_ratio_threshold: text that compresses more than this is
# a decode stuck repeating itself. A glossary prompt can make tiny.en loop over speech it
# cannot understand with high confidence (French: ratio 13, mean confidence 0.88; the
# English samples and corpus episodes stay under 1.8).
LOOPING_RATIO = 2.4


def confidence_warning(transcript: Transcript, *, english_only: bool) -> str | None:
    """A warning when the words were heard with low confidence, or the decoder looped
    over most of the speech: often another language forced through an English-only
    model, or very poor audio."""
    probabilities = [w.probability for w in transcript.words]
    if not probabilities:
        return None
    mean = sum(probabilities) / len(probabilities)
    speech = sum(seg.end - seg.start for seg in transcript.segments) or 1.0
    looping = sum(seg.end - seg.start for seg in transcript.segments if seg.compression_ratio > LOOPING_RATIO) / speech
    if mean >= LOW_CONFIDENCE and looping < 0.5:
        return None
    measure = f"{mean:.2f}" if mean < LOW_CONFIDENCE else f"the same words repeat through {looping:.0%} of the speech"
    if english_only:
        return (f"low recognition confidence ({measure}); if the speech is not English, "
                f"use --model base --language CODE ({transcript.model} understands only English)")
    return f"low recognition confidence ({measure}); the article may contain many errors"


def convert(path: str | Path, outputs: dict[str, Path], options: Options = Options(),
            on_progress: Callable[[float, float], None] | None = None,
            on_warning: Warn | None = None) -> Episode:
    """The article of ``path`` written in each of ``outputs`` (format name -> file)."""
    path = Path(path)
    episode = transcribe_file(path, options, on_progress, on_warning)
    audio = companion_audio(path) if is_transcript(path) else path
    write_outputs(episode, outputs, audio=audio, audio_url=options.audio_url, timestamps=options.timestamps,
                  front_matter=options.front_matter)
    return episode
