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
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from mutagen.id3 import CHAP, CTOC, ID3, TALB, TDRC, TIT2, TPE1, CTOCFlags
from pydub import AudioSegment

from episodekit.errors import ConversionError
from episodekit.files import atomic_path
from episodekit.tools import require

TARGET_LUFS = -16.0
TRUE_PEAK_LIMIT = -1.0
OUTPUT_RATE = 44_100
# The limiter takes 3 to 5 LU from speech at the target level (4.0 for espeak-ng, 4.5
# for Piper on the sample roundups). The limited programme is measured at two gains
# that bracket that range, side by side, and the gain in between is interpolated:
# within 0.1 LU of the target on both voices.
LIMITER_BRACKET_DB = (2.0, 6.0)
EXTRA_STEPS = 3  # further measurements when the aim lies outside the bracket
# Lossy encoding drops a little loudness (about 0.4 LU for both voices at 96 kbps MP3);
# it is measured by encoding an excerpt this long and given back before encoding.
EXCERPT_SECONDS = 30.0
# Lossy encoders add peaks of their own, by an amount no excerpt predicts (AAC moved a
# -2.5 dBFS programme's true peak to between -2.2 and +0.1 dBTP, and not monotonically
# with the ceiling). So the encoded file's true peak is measured; when it is over the
# limit, the ceiling is lowered by the excess plus this margin and the programme is
# levelled and encoded again, at most PEAK_ATTEMPTS times in all.
PEAK_RETRY_MARGIN_DB = 0.5
PEAK_ATTEMPTS = 4


@dataclass(frozen=True)
class AudioFormat:
    """How one episode format is encoded: ffmpeg's output options and the limiter's
    sample-peak ceiling, set so that the encoded true peak is usually under -1 dBTP
    the first time (resampling and lossy encoding overshoot the sample peaks)."""

    options: tuple[str, ...]
    ceiling_db: float
    lossless: bool = False


# suffix -> format (mono, 44.1 kHz for every one). LAME's quality 7 encodes speech at
# 96 kbps in 60% of the default's time with no audible difference. Ceilings: MP3's true
# peak came out 0.2 dB under the ceiling, Vorbis's 1 dB over, AAC's up to 2.6 dB over.
AUDIO_FORMATS: dict[str, AudioFormat] = {
    ".mp3": AudioFormat(("-c:a", "libmp3lame", "-b:a", "96k", "-compression_level", "7",
                         "-id3v2_version", "0", "-f", "mp3"), ceiling_db=-2.5),
    ".wav": AudioFormat(("-c:a", "pcm_s16le", "-f", "wav"), ceiling_db=-2.5, lossless=True),
    ".ogg": AudioFormat(("-c:a", "libvorbis", "-q:a", "4", "-f", "ogg"), ceiling_db=-3.5),
    ".m4a": AudioFormat(("-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-f", "ipod"), ceiling_db=-4.0),
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
    audio_format = AUDIO_FORMATS.get(target.suffix.lower())
    if audio_format is None:
        raise ConversionError(target, f"unknown audio format (use one of {', '.join(AUDIO_FORMATS)})")
    audio = audio.set_sample_width(2)
    pcm_input = ["-f", "s16le", "-ar", str(audio.frame_rate), "-ac", str(audio.channels), "-i", "pipe:0"]
    # The programme's own loudness and what encoding takes away are independent
    # measurements: ffmpeg runs them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        raw = pool.submit(_ebur128, pcm_input, audio.raw_data, target)
        loss = pool.submit(_encoding_loss, pcm_input, audio, target, audio_format)
        unlimited_gain, aim = TARGET_LUFS - raw.result()[0], TARGET_LUFS + loss.result()
    ceiling = audio_format.ceiling_db
    with atomic_path(target) as tmp:
        for attempt in range(PEAK_ATTEMPTS):
            gain = _gain_to_target(pcm_input, audio, target, unlimited_gain, aim, ceiling)
            _ffmpeg(
                [*pcm_input, "-af", _levelling(gain, ceiling),
                 "-ac", "1", "-ar", str(OUTPUT_RATE), "-map_metadata", "-1", *audio_format.options, "-y", str(tmp)],
                audio.raw_data,
                target,
            )
            # The last attempt is kept as it is: the retries converge well before it.
            if audio_format.lossless or attempt == PEAK_ATTEMPTS - 1:
                break
            true_peak = measure_loudness(tmp)[1]
            if true_peak <= TRUE_PEAK_LIMIT:
                break
            ceiling -= true_peak - TRUE_PEAK_LIMIT + PEAK_RETRY_MARGIN_DB
        _tag(tmp, target.suffix.lower(), title=title, show=show, date=date, chapters=chapters)
    return target


def _gain_to_target(pcm_input: list[str], audio: AudioSegment, target: Path, unlimited_gain: float, aim: float,
                    ceiling: float) -> float:
    """The gain in front of the limiter (at ``ceiling`` dBFS) that brings the limited
    programme to ``aim`` LUFS; ``unlimited_gain`` would do it without a limiter."""
    def limited(gain: float) -> float:
        # Measured at the engine's rate, which halves the work and moves loudness by
        # less than 0.1 LU.
        before = _levelling(gain, ceiling, rate=audio.frame_rate)
        return _ebur128(pcm_input, audio.raw_data, target, before=before)[0]

    gains = [unlimited_gain + extra for extra in LIMITER_BRACKET_DB]
    # The two measurements are independent: ffmpeg runs them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        points = list(zip(gains, pool.map(limited, gains)))
    gain = _secant(points, aim)
    # A programme the limiter takes much less or much more from than speech (a loud
    # music bed, a lower ceiling after an encoder overshot) puts the aim outside the
    # bracket, where the response is not straight: measure there and step again.
    for _ in range(EXTRA_STEPS):
        if min(level for _, level in points) <= aim <= max(level for _, level in points):
            break
        points.append((gain, limited(gain)))
        if abs(points[-1][1] - aim) <= 0.1:
            break
        gain = _secant(points, aim)
    return gain


def _secant(points: list[tuple[float, float]], aim: float) -> float:
    """The gain that reaches ``aim`` on the line through the two measured (gain,
    loudness) points nearest to it."""
    (g0, l0), (g1, l1) = sorted(points, key=lambda point: abs(point[1] - aim))[:2]
    if abs(l1 - l0) < 0.1:  # the limiter takes everything added: no gain reaches the aim
        return max(g0, g1)
    return g0 + (aim - l0) * (g1 - g0) / (l1 - l0)


def _encoding_loss(pcm_input: list[str], audio: AudioSegment, target: Path, audio_format: AudioFormat) -> float:
    """Loudness (LU) that encoding to ``target``'s format takes away, measured on an
    excerpt from the middle of the programme."""
    if audio_format.lossless:
        return 0.0
    start = max(len(audio) / 1000 - EXCERPT_SECONDS, 0.0) / 2
    excerpt = f"atrim=start={start:.2f}:duration={EXCERPT_SECONDS},asetpts=PTS-STARTPTS"
    with tempfile.TemporaryDirectory(prefix="text2audio-") as folder:
        encoded = Path(folder) / f"excerpt{target.suffix.lower()}"
        _ffmpeg([*pcm_input, "-af", f"{excerpt},aresample={OUTPUT_RATE}", "-ac", "1", "-ar", str(OUTPUT_RATE),
                 *audio_format.options, "-y", str(encoded)], audio.raw_data, target)
        before = _ebur128(pcm_input, audio.raw_data, target, before=excerpt)[0]
        after = _ebur128(["-i", str(encoded)], None, target)[0]
    return before - after


def _levelling(gain_db: float, ceiling_db: float, rate: int = OUTPUT_RATE) -> str:
    """Resampling to the output rate, the gain, then a peak limiter at ``ceiling_db``
    (delay-compensated, so chapter times stay put). Limiting after resampling also
    catches the peaks that resampling makes between the engine's samples."""
    ceiling = 10 ** (ceiling_db / 20)
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
