"""faster-whisper alone, with exactly the settings hearing/transcribe.py uses for audio2text (the
glossary's hotwords included): the floor the whole audio2text command is compared with.

usage: python -m bench.bare_whisper MODEL_FOLDER LANGUAGE|- AUDIO_FILE [HOTWORDS]
"""

from __future__ import annotations

import os
import sys


def transcribe(model_folder: str, language: str | None, audio_file: str, hotwords: str | None = None) -> int:
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    model = WhisperModel(model_folder, device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
    segments, _info = BatchedInferencePipeline(model).transcribe(
        audio_file, language=language, batch_size=8, word_timestamps=True, vad_filter=True, beam_size=5,
        hotwords=hotwords,
    )
    return sum(1 for _ in segments)  # segments are produced lazily: consume them all


if __name__ == "__main__":
    folder, language, audio, *prompt = sys.argv[1:]
    transcribe(folder, None if language == "-" else language, audio, prompt[0] if prompt else None)
