"""Small audio files made on the spot with ffmpeg, for tests that need bad or odd audio."""

import subprocess
from pathlib import Path


def ffmpeg_make(target: Path, source: str, seconds: float, *extra: str) -> Path:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", str(seconds),
         *extra, str(target)],
        check=True,
    )
    return target


def tone_wav(target: Path, seconds: float = 1.0) -> Path:
    return ffmpeg_make(target, "sine=frequency=440:sample_rate=16000", seconds)


def silence(target: Path, seconds: float) -> Path:
    return ffmpeg_make(target, "anullsrc=r=16000:cl=mono", seconds)


def noise(target: Path, seconds: float) -> Path:
    return ffmpeg_make(target, "anoisesrc=color=pink:sample_rate=16000:amplitude=0.3:seed=7", seconds)
