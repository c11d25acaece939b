"""text2audio: written roundups in, a narrated and mastered episode out."""

__version__ = "0.1.0"

from .mastering import AUDIO_FORMATS, EpisodeTags, master, measure_loudness  # noqa: E402  (after the version)
from .pipeline import Options, convert, narrate, outputs_for, prepare  # noqa: E402
from .voices import VOICES, get_voice  # noqa: E402

__all__ = ["AUDIO_FORMATS", "EpisodeTags", "Options", "VOICES", "__version__", "convert", "get_voice", "master",
           "measure_loudness", "narrate", "outputs_for", "prepare"]
