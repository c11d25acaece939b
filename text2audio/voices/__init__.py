"""Speech engines by name. Each is imported only when chosen: Piper pulls in
onnxruntime, pyttsx3 loads the espeak-ng library."""

from __future__ import annotations

import importlib

from episodekit.errors import ConversionError

from .base import Voice

# engine name -> "module:class", relative to this package
VOICES = {
    "pyttsx3": ".pyttsx3_voice:Pyttsx3Voice",
    "piper": ".piper_voice:PiperNeuralVoice",
}

MIN_RATE, MAX_RATE = 80, 400  # words per minute that stay intelligible


def get_voice(engine: str, voice: str | None = None, rate: int | None = None) -> Voice:
    """A ready voice of ``engine``; ``voice`` and ``rate`` (words per minute) default
    to the engine's own."""
    if engine not in VOICES:
        raise ConversionError(None, f"unknown engine '{engine}' (choose from {', '.join(VOICES)})")
    if rate is not None and not MIN_RATE <= rate <= MAX_RATE:
        raise ConversionError(None, f"rate {rate} is outside {MIN_RATE}-{MAX_RATE} words per minute")
    module_name, class_name = VOICES[engine].split(":")
    voice_class = getattr(importlib.import_module(module_name, __name__), class_name)
    return voice_class(voice=voice, rate=rate)


__all__ = ["VOICES", "Voice", "get_voice"]
