"""The default engine: pyttsx3 driving the espeak-ng library. Fast and robotic.

pyttsx3 2.99 silently writes nothing for multi-sentence text over about 200
characters and crashes the process on very long text, so it is only ever given one
sentence, and long sentences are cut at their commas first.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import gc
import io
import re
import tempfile
import threading
from pathlib import Path

from pydub import AudioSegment

from episodekit.errors import ConversionError, MissingToolError

from .base import Voice, read_wav

DEFAULT_VOICE = "en-us"
DEFAULT_RATE = 175  # words per minute: espeak-ng's own default
SAFE_TEXT_CHARS = 180
ESPEAK_SAMPLE_RATE = 22_050  # pyttsx3's espeak driver always writes 22,050 Hz mono 16-bit
SYNTHESIS_TIMEOUT = 60.0  # seconds for one piece of text; espeak-ng needs milliseconds
ATTEMPTS = 3  # an empty file is retried; a piece that stays empty is reported by Voice.say

_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


@functools.lru_cache(maxsize=None)
def _engine():
    """The process's one pyttsx3 engine (espeak-ng can be initialised only once) and
    an event set when it has finished writing a file.

    espeak-ng synthesises on its own thread, and runAndWait can return before that
    thread has written the file: waiting for "finished-utterance" closes that race.
    """
    try:
        import pyttsx3

        engine = pyttsx3.init("espeak")
    except (ImportError, OSError, RuntimeError) as exc:
        raise MissingToolError(
            None, "espeak-ng is not installed; run: sudo apt-get install espeak-ng"
        ) from exc
    finished = threading.Event()
    engine.connect("finished-utterance", lambda **_: finished.set())
    _keep_last_samples(engine.proxy._driver)
    # Let go of the engine while the interpreter is still whole: pyttsx3 tears its driver
    # down in a finaliser that, run during shutdown, finds its modules gone and prints a
    # traceback.
    atexit.register(_release_engine)
    return engine, finished


def _keep_last_samples(driver) -> None:
    """Make pyttsx3's espeak driver keep the samples that come with the end of a message.

    pyttsx3 2.99 writes the file when espeak-ng reports the end of the message and only
    then adds the samples of that same report. espeak-ng hands over up to a second of
    sound per report, and when it is busy it sends the last of it together with the end:
    that second, or the whole of a short sentence, was missing from the file. The driver's
    callback is wrapped so those samples join its buffer before it writes the file."""
    from pyttsx3.drivers import _espeak

    handle = driver._onSynth

    def on_synth(wav, numsamples, events):
        if numsamples > 0 and driver._speaking and _ends_message(events, _espeak):
            driver._data_buffer += ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short))
            numsamples = 0
        return handle(wav, numsamples, events)

    _espeak.SetSynthCallback(on_synth)


def _ends_message(events, espeak) -> bool:
    i = 0
    while events[i].type != espeak.EVENT_LIST_TERMINATED:
        if events[i].type == espeak.EVENT_MSG_TERMINATED:
            return True
        i += 1
    return False


def _release_engine() -> None:
    _engine.cache_clear()
    gc.collect()


def split_for_engine(sentence: str, limit: int = SAFE_TEXT_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at commas, semicolons and colons
    where possible and between words otherwise."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        for part in _cut_between_words(clause, limit):
            if pieces and len(pieces[-1]) + 1 + len(part) <= limit:
                pieces[-1] = f"{pieces[-1]} {part}"
            else:
                pieces.append(part)
    return pieces


def _cut_between_words(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    for word in text.split():
        if parts and len(parts[-1]) + 1 + len(word) <= limit:
            parts[-1] = f"{parts[-1]} {word}"
        else:
            parts.append(word)
    return parts


def _find_voice(wanted: str) -> str:
    """The espeak-ng voice id for an id (``gmw/en-us``), short id (``en-us``) or name
    (``English (America)``); espeak-ng itself ignores names it does not know."""
    voices = _engine()[0].getProperty("voices")
    key = wanted.strip().lower()
    for candidate in voices:
        if key in (candidate.id.lower(), candidate.id.lower().rsplit("/", 1)[-1], candidate.name.lower()):
            return candidate.id
    english = sorted(v.id.rsplit("/", 1)[-1] for v in voices if v.id.rsplit("/", 1)[-1].startswith("en"))
    raise ConversionError(
        None, f"unknown pyttsx3 voice '{wanted}' (for example: {', '.join(english)}; espeak-ng --voices lists all)"
    )


class Pyttsx3Voice(Voice):
    sample_rate = ESPEAK_SAMPLE_RATE

    def __init__(self, voice: str | None = None, rate: int | None = None):
        self._engine, self._finished = _engine()
        self.voice_id = _find_voice(voice or DEFAULT_VOICE)
        self.rate = rate or DEFAULT_RATE
        self.name = f"pyttsx3 {self.voice_id}"

    @classmethod
    def check_voice(cls, voice: str) -> None:
        _find_voice(voice)

    def speak(self, sentence: str) -> AudioSegment:
        # The engine is shared by the process, so this voice's settings are applied
        # on every call rather than trusted to still be in place.
        self._engine.setProperty("voice", self.voice_id)
        self._engine.setProperty("rate", self.rate)
        audio = AudioSegment.empty()
        with tempfile.TemporaryDirectory(prefix="text2audio-") as folder:
            for number, piece in enumerate(split_for_engine(sentence)):
                audio = audio.append(self._speak_piece(piece, Path(folder) / f"{number}.wav"), crossfade=0)
        return audio

    def _speak_piece(self, piece: str, wav: Path) -> AudioSegment:
        """One piece of text, spoken again when pyttsx3 wrote a file without samples: now
        and then, on a busy machine, it writes one even with the end-of-message samples
        kept (seen on a cluster worker), and the second try is heard."""
        for _ in range(ATTEMPTS):
            self._finished.clear()
            with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
                self._engine.save_to_file(piece, str(wav))
                self._engine.runAndWait()
                finished = self._finished.wait(SYNTHESIS_TIMEOUT)
            if not finished:
                raise ConversionError(None, f"pyttsx3 did not finish speaking {piece[:60]!r}")
            spoken = read_wav(wav, piece, "pyttsx3")
            if len(spoken):
                break
        return spoken
