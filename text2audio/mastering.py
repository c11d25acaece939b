"""Loudness, encoding and tags: the finished episode file.

Podcast apps expect -16 LUFS integrated with true peaks at or under -1 dBTP. Speech
peaks sit up to 20 dB above its loudness, so reaching the target means limiting them,
and limiting takes some loudness away (about 3 dB of espeak-ng's spiky speech). The
programme is measured (EBU R128, ffmpeg's ebur128), and the gain in front of the
limiter is interpolated between two measurements of the limited programme.
ffmpeg's loudnorm would do this in two passes, but it works at 192 kHz and took three
times as long as the speech engine itself on a four-minute episode.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from mutagen.id3 import CHAP, CTOC, ID3, TALB, TDRC, TIT2, TPE1, CTOCFlags
from pydub import AudioSegment

from episodekit.errors import ConversionError
from episodekit.files import atomic_path
from episodekit.tools import require

TARGET_LUFS = -16.0
OUTPUT_RATE = 44_100
# Sample peaks are held this far under full scale, so that resampling and lossy
# encoding (a few tenths of a dB of overshoot) keep true peaks under -1 dBTP.
PEAK_CEILING_DB = -2.5
# The limiter takes 3 to 5 LU from speech at the target level (4.0 for espeak-ng, 4.5
# for Piper on the sample roundups). The limited programme is measured at two gains
# that bracket that range, side by side, and the gain in between is interpolated:
# within 0.1 LU of the target on both voices.
LIMITER_BRACKET_DB = (2.0, 6.0)
# Lossy encoding drops a little loudness (about 0.4 LU for both voices at 96 kbps MP3);
# it is measured by encoding an excerpt this long and given back before encoding.
EXCERPT_SECONDS = 30.0
LOSSLESS = {".wav"}

# suffix -> ffmpeg output options (mono, 44.1 kHz for every format). LAME's quality 7
# encodes speech at 96 kbps in 60% of the default's time with no audible difference.
ENCODINGS = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "96k", "-compression_level", "7", "-id3v2_version", "0", "-f", "mp3"],
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
    gain = _gain_to_target(pcm_input, audio, target, encoding)
    with atomic_path(target) as tmp:
        _ffmpeg(
            [*pcm_input, "-af", _levelling(gain),
             "-ac", "1", "-ar", str(OUTPUT_RATE), "-map_metadata", "-1", *encoding, "-y", str(tmp)],
            audio.raw_data,
            target,
        )
        _tag(tmp, target.suffix.lower(), title=title, show=show, date=date, chapters=chapters)
    return target


def _gain_to_target(pcm_input: list[str], audio: AudioSegment, target: Path, encoding: list[str]) -> float:
    """The gain in front of the limiter that brings the encoded programme to TARGET_LUFS."""
    def limited(gain: float) -> float:
        # Measured at the engine's rate, which halves the work and moves loudness by
        # less than 0.1 LU.
        return _ebur128(pcm_input, audio.raw_data, target, before=_levelling(gain, rate=audio.frame_rate))[0]

    # Each pair of measurements is independent: ffmpeg runs them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        raw = pool.submit(_ebur128, pcm_input, audio.raw_data, target)
        loss = pool.submit(_encoding_loss, pcm_input, audio, target, encoding)
        unlimited_gain, aim = TARGET_LUFS - raw.result()[0], TARGET_LUFS + loss.result()
        low, high = (unlimited_gain + extra for extra in LIMITER_BRACKET_DB)
        at_low, at_high = pool.map(limited, (low, high))
    if at_high - at_low < 0.1:  # the limiter takes everything added: no gain reaches the aim
        return high
    return low + (aim - at_low) * (high - low) / (at_high - at_low)


def _encoding_loss(pcm_input: list[str], audio: AudioSegment, target: Path, encoding: list[str]) -> float:
    """Loudness (LU) that encoding to ``target``'s format takes away, measured on an
    excerpt from the middle of the programme."""
    if target.suffix.lower() in LOSSLESS:
        return 0.0
    start = max(len(audio) / 1000 - EXCERPT_SECONDS, 0.0) / 2
    excerpt = f"atrim=start={start:.2f}:duration={EXCERPT_SECONDS},asetpts=PTS-STARTPTS"
    with tempfile.TemporaryDirectory(prefix="text2audio-") as folder:
        encoded = Path(folder) / f"excerpt{target.suffix.lower()}"
        _ffmpeg([*pcm_input, "-af", f"{excerpt},aresample={OUTPUT_RATE}", "-ac", "1", "-ar", str(OUTPUT_RATE),
                 *encoding, "-y", str(encoded)], audio.raw_data, target)
        before = _ebur128(pcm_input, audio.raw_data, target, before=excerpt)[0]
        after = _ebur128(["-i", str(encoded)], None, target)[0]
    return before - after


def _levelling(gain_db: float, rate: int = OUTPUT_RATE) -> str:
    """Resampling to the output rate, the gain, then a peak limiter (delay-compensated,
    so chapter times stay put). Limiting after resampling also catches the peaks that
    resampling makes between the engine's samples."""
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    limiter = f"alimiter=limit={ceiling:.4f}:attack=5:release=50:level=false:latency=true"
    return f"aresample={rate},volume={gain_db:.2f}dB,{limiter}"


def measure_loudness(path: str | Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of an audio file."""
    return _ebur128(["-i", str(path)], None, path, true_peak=True)


_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS")
_TRUE_PEAK = re.compile(r"True peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS")


def _ebur128(input_args: list[str], data: Optional[bytes], path, *, before: str = "",
             true_peak: bool = False) -> tuple[float, float]:
    """Integrated loudness and, when asked, true peak of the input after the ``before``
    filters. Silence has no loudness to raise, so it is an error."""
    meter = "ebur128=peak=true" if true_peak else "ebur128"
    log = _ffmpeg([*input_args, "-af", f"{before},{meter}" if before else meter, "-f", "null", "-"], data, path)
    loudness = _INTEGRATED.findall(log)
    if not loudness or loudness[-1] in ("-inf", "-70.0"):
        raise ConversionError(path, "the episode audio is silent")
    peak = _TRUE_PEAK.findall(log) if true_peak else []
    return float(loudness[-1]), float(peak[-1]) if peak and peak[-1] != "-inf" else float("-inf")


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
