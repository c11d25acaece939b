"""Loudness, encoding and tags: the finished episode file.

Podcast apps expect -16 LUFS integrated with true peaks at or under -1 dBTP. ffmpeg's
loudnorm measures the programme in a first pass; the second pass applies the
measured values as one linear gain. Speech peaks sit up to 20 dB above its loudness,
so raising it to -16 LUFS would push them past -1 dBTP and loudnorm would give up
linear gain for its own dynamic mode, which lands short of the target. So the
programme is first measured (ebur128, fast), brought to about -16 LUFS and its
peaks limited, the same way in both loudnorm passes.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Optional

from mutagen.id3 import CHAP, CTOC, ID3, TALB, TDRC, TIT2, TPE1, CTOCFlags
from pydub import AudioSegment

from episodekit.errors import ConversionError
from episodekit.files import atomic_path
from episodekit.tools import require

TARGET_LUFS = -16.0
# Aimed under the -1 dBTP limit because lossy encoding adds a few tenths of overshoot.
TARGET_TRUE_PEAK = -1.5
# loudnorm falls back to dynamic compression when the measured loudness range
# exceeds its target; the widest range it accepts keeps speech untouched.
TARGET_RANGE = 20.0
OUTPUT_RATE = 44_100
# Sample peaks are held this far under full scale before loudnorm's final gain of
# a few tenths of a dB; true peaks then stay clear of TARGET_TRUE_PEAK after encoding.
PEAK_CEILING_DB = -4.0

# suffix -> ffmpeg output options (mono, 44.1 kHz for every format)
ENCODINGS = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "96k", "-id3v2_version", "0", "-f", "mp3"],
    ".wav": ["-c:a", "pcm_s16le", "-f", "wav"],
    ".ogg": ["-c:a", "libvorbis", "-q:a", "4", "-f", "ogg"],
    ".m4a": ["-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-f", "ipod"],
}

Chapter = tuple[float, float, str]  # start and end in seconds, title


def master(
    audio: AudioSegment,
    target: Path,
    *,
    title: str,
    show: str,
    date: Optional[str],
    chapters: list[Chapter],
) -> Path:
    """Normalise ``audio`` to podcast loudness, encode it by ``target``'s suffix and tag it."""
    target = Path(target)
    encoding = ENCODINGS.get(target.suffix.lower())
    if encoding is None:
        raise ConversionError(target, f"unknown audio format (use one of {', '.join(ENCODINGS)})")
    audio = audio.set_sample_width(2)
    pcm_input = ["-f", "s16le", "-ar", str(audio.frame_rate), "-ac", str(audio.channels), "-i", "pipe:0"]
    levelling = _levelling_filter(pcm_input, audio.raw_data, target)
    measured = _loudnorm(pcm_input, audio.raw_data, target, before=levelling)
    second_pass = _loudnorm_filter(
        measured_I=measured["input_i"],
        measured_TP=measured["input_tp"],
        measured_LRA=measured["input_lra"],
        measured_thresh=measured["input_thresh"],
        offset=measured["target_offset"],
        linear="true",
    )
    with atomic_path(target) as tmp:
        _ffmpeg(
            [*pcm_input, "-af", f"{levelling},{second_pass},aresample={OUTPUT_RATE}",
             "-ac", "1", "-ar", str(OUTPUT_RATE), "-map_metadata", "-1", *encoding, "-y", str(tmp)],
            audio.raw_data,
            target,
        )
        _tag(tmp, target.suffix.lower(), title=title, show=show, date=date, chapters=chapters)
    return target


def measure_loudness(path: str | Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file."""
    measured = _loudnorm(["-i", str(path)], None, path)
    return float(measured["input_i"]), float(measured["input_tp"])


def _levelling_filter(pcm_input: list[str], pcm: bytes, target: Path) -> str:
    """Gain to about TARGET_LUFS and a peak limiter (delay-compensated, so chapter
    times stay put)."""
    log = _ffmpeg([*pcm_input, "-af", "ebur128=framelog=verbose", "-f", "null", "-"], pcm, target)
    found = re.search(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS", log)
    if found is None or found.group(1) in ("-inf", "-70.0"):
        raise ConversionError(target, "the episode audio is silent")
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    return (f"volume={TARGET_LUFS - float(found.group(1)):.2f}dB,"
            f"alimiter=limit={ceiling:.4f}:attack=5:release=50:level=false:latency=true")


def _loudnorm_filter(**measured: str) -> str:
    options = {"I": TARGET_LUFS, "TP": TARGET_TRUE_PEAK, "LRA": TARGET_RANGE, **measured, "print_format": "json"}
    return "loudnorm=" + ":".join(f"{key}={value}" for key, value in options.items())


def _loudnorm(input_args: list[str], data: Optional[bytes], path, before: str = "") -> dict[str, str]:
    """loudnorm's measurement of the input, after the ``before`` filters (its JSON
    report, values as strings)."""
    filters = f"{before},{_loudnorm_filter()}" if before else _loudnorm_filter()
    stderr = _ffmpeg([*input_args, "-af", filters, "-f", "null", "-"], data, path)
    try:
        return json.loads(stderr[stderr.rindex("{"):])
    except ValueError:
        raise ConversionError(path, "ffmpeg did not report the loudness") from None


def _ffmpeg(args: list[str], data: Optional[bytes], path) -> str:
    """Run ffmpeg and return its log; a failure becomes ConversionError with its last line."""
    stdin_use = [] if data is not None else ["-nostdin"]
    command = [require("ffmpeg"), "-hide_banner", *stdin_use, *args]
    result = subprocess.run(command, input=data, capture_output=True)
    log = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        last = log.strip().splitlines()[-1] if log.strip() else f"exit status {result.returncode}"
        raise ConversionError(path, f"ffmpeg failed: {last}")
    return log


def _tag(path: Path, suffix: str, *, title: str, show: str, date: Optional[str], chapters: list[Chapter]) -> None:
    if suffix in (".mp3", ".wav"):
        _tag_id3(path, suffix, title=title, show=show, date=date, chapters=chapters)
    elif suffix == ".ogg":
        from mutagen.oggvorbis import OggVorbis

        tags = OggVorbis(path)
        tags.update({"title": title, "album": show, "artist": show, **({"date": date} if date else {})})
        tags.save()
    elif suffix == ".m4a":
        from mutagen.mp4 import MP4

        tags = MP4(path)
        tags.update({"\xa9nam": title, "\xa9alb": show, "\xa9ART": show, **({"\xa9day": date} if date else {})})
        tags.save()


def _tag_id3(path: Path, suffix: str, *, title: str, show: str, date: Optional[str], chapters: list[Chapter]) -> None:
    """Title, show and date, plus one CHAP frame per chapter and a CTOC listing them
    in order: the chapter marks podcast apps show."""
    frames = [TIT2(encoding=3, text=title), TALB(encoding=3, text=show), TPE1(encoding=3, text=show)]
    if date:
        frames.append(TDRC(encoding=3, text=date))
    element_ids = [f"chp{number}" for number in range(len(chapters))]
    for element_id, (start, end, chapter_title) in zip(element_ids, chapters):
        frames.append(CHAP(
            element_id=element_id, start_time=round(start * 1000), end_time=round(end * 1000),
            sub_frames=[TIT2(encoding=3, text=chapter_title)],
        ))
    if element_ids:
        frames.append(CTOC(
            element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=element_ids,
            sub_frames=[TIT2(encoding=3, text="Chapters")],
        ))
    # ID3v2.3: the version most players and tag readers understand, chapters included.
    if suffix == ".wav":
        from mutagen.wave import WAVE

        wave = WAVE(path)
        wave.add_tags()
        for frame in frames:
            wave.tags.add(frame)
        wave.save(v2_version=3)
    else:
        tags = ID3()
        for frame in frames:
            tags.add(frame)
        tags.save(path, v2_version=3)
