"""Decode any file ffmpeg reads into 16 kHz mono float samples, the input Whisper expects."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from episodekit.errors import ConversionError
from episodekit.tools import require

SAMPLE_RATE = 16_000
MIN_SECONDS = 0.5  # below this Whisper has nothing to work with


def probe_tags(path: Path) -> dict:
    """The container's tags (title, date, artist...) lower-cased; {} when there are none."""
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        return {}
    result = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_format", str(path)],
        capture_output=True, text=True, check=False,
    )
    try:
        tags = json.loads(result.stdout or "{}").get("format", {}).get("tags", {})
    except json.JSONDecodeError:
        return {}
    return {k.lower(): v for k, v in tags.items() if isinstance(v, str) and v.strip()}


def decode_audio(path: str | Path) -> np.ndarray:
    """All of the file's first audio stream as float32 samples in [-1, 1] at 16 kHz."""
    path = Path(path)
    ffmpeg = require("ffmpeg")
    result = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
         "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        capture_output=True, check=False,
    )
    if result.returncode != 0:
        raise ConversionError(path, f"not audio ffmpeg can read ({_ffmpeg_cause(result.stderr)})")
    samples = np.frombuffer(result.stdout, dtype=np.int16).astype(np.float32) / 32768.0
    seconds = len(samples) / SAMPLE_RATE
    if seconds < MIN_SECONDS:
        raise ConversionError(path, f"audio too short to transcribe ({seconds:.1f} s)")
    return samples


def _ffmpeg_cause(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    if not lines:
        return "no audio stream"
    last = lines[-1]
    if "matches no streams" in last or "Output file does not contain any stream" in last:
        return "no audio stream"
    return last.split(": ", 1)[-1] if ": " in last else last
