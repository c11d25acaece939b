"""Speech engines by name, in one table the command line reads its choices from. Each is
imported only when chosen: Piper pulls in onnxruntime, pyttsx3 loads the espeak-ng library."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from episodekit.errors import ConversionError

from .base import Voice


@dataclass(frozen=True)
class Engine:
    target: str  # "module:class", relative to this package
    description: str
    words_per_minute: int  # the engine's own speaking rate, which --script-only times the script at

    def voice_class(self) -> type[Voice]:
        module_name, class_name = self.target.split(":")
        return getattr(importlib.import_module(module_name, __name__), class_name)


VOICES: dict[str, Engine] = {
    "pyttsx3": Engine(".pyttsx3_voice:Pyttsx3Voice", "espeak-ng, fast and robotic (voices such as en-us, en-gb)",
                      175),
    "piper": Engine(".piper_voice:PiperNeuralVoice", "neural and natural (the bundled voice joe, or a .onnx file)",
                    160),
}

MIN_RATE, MAX_RATE = 80, 400  # words per minute that stay intelligible


def check_voice(engine: str, voice: str | None) -> None:
    """Raise ConversionError (with no file: the choice is the user's) when ``engine`` or
    its ``voice`` does not exist, before anything is read or spoken."""
    if engine not in VOICES:
        raise ConversionError(None, f"unknown engine '{engine}' (choose from {', '.join(VOICES)})")
    if voice is not None:
        VOICES[engine].voice_class().check_voice(voice)


def get_voice(engine: str, voice: str | None = None, rate: int | None = None) -> Voice:
    """A ready voice of ``engine``; ``voice`` and ``rate`` (words per minute) default
    to the engine's own."""
    check_voice(engine, None)
    if rate is not None and not MIN_RATE <= rate <= MAX_RATE:
        raise ConversionError(None, f"rate {rate} is outside {MIN_RATE}-{MAX_RATE} words per minute")
    return VOICES[engine].voice_class()(voice=voice, rate=rate)


__all__ = ["VOICES", "Engine", "Voice", "check_voice", "get_voice"]
