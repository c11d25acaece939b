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
from typing import Callable, Optional

from mutagen.id3 import COMM, ID3, TLEN, Frames
from pydub import AudioSegment

from episodekit.errors import ConversionError
from episodekit.files import atomic_path
from episodekit.tools import require


@dataclass(frozen=True)
class MasteringOptions:
    """The loudness podcast apps expect, and how mastering reaches it."""

    target_lufs: float = -16.0
    true_peak_limit: float = -1.0  # dBTP
    output_rate: int = 44_100
    # The limiter takes 3 to 5 LU from speech at the target level (4.0 for espeak-ng, 4.5
    # for Piper on the sample roundups). The limited programme is measured at two gains
    # that bracket that range, side by side, and the gain in between is interpolated:
    # within 0.1 LU of the target on both voices.
    limiter_bracket_db: tuple[float, float] = (2.0, 6.0)
    extra_steps: int = 3  # further measurements when the aim lies outside the bracket
    # Lossy encoding drops a little loudness (about 0.4 LU for both voices at 96 kbps MP3);
    # it is measured by encoding an excerpt this long and given back before encoding.
    excerpt_seconds: float = 30.0
    # Lossy encoders add peaks of their own, by an amount no excerpt predicts (AAC moved a
    # -2.5 dBFS programme's true peak to between -2.2 and +0.1 dBTP, and not monotonically
    # with the ceiling). So the encoded file's true peak is measured; when it is over the
    # limit, the ceiling is lowered by the excess plus this margin and the programme is
    # levelled and encoded again, at most peak_attempts times in all.
    peak_retry_margin_db: float = 0.5
    peak_attempts: int = 4


PODCAST = MasteringOptions()


@dataclass(frozen=True)
class AudioFormat:
    """How one episode format is encoded: ffmpeg's output options and the limiter's
    sample-peak ceiling, set so that the encoded true peak is usually under -1 dBTP
    the first time (resampling and lossy encoding overshoot the sample peaks). The
    formats themselves are AUDIO_FORMATS, at the end of this module."""

    options: tuple[str, ...]
    ceiling_db: float
    lossless: bool = False
    # Adds what ffmpeg's muxer does not write from the metadata file (see ffmetadata).
    finish_tags: Optional[Callable[[Path, "EpisodeTags"], None]] = None


Chapter = tuple[float, float, str]  # start and end in seconds, title


@dataclass(frozen=True)
class EpisodeTags:
    """What podcast apps show beside the audio."""

    title: str
    show: str
    date: Optional[str] = None  # ISO 8601 day
    description: str = ""
    chapters: tuple[Chapter, ...] = ()


def master(audio: AudioSegment, target: str | Path, tags: EpisodeTags, options: MasteringOptions = PODCAST) -> Path:
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
        loss = pool.submit(_encoding_loss, pcm_input, audio, target, audio_format, options)
        unlimited_gain = options.target_lufs - raw.result()[0]
        aim = options.target_lufs + loss.result()
    ceiling = audio_format.ceiling_db
    with tempfile.TemporaryDirectory(prefix="text2audio-") as folder, atomic_path(target) as tmp:
        metadata = Path(folder) / "metadata.txt"
        metadata.write_text(ffmetadata(tags), encoding="utf-8")
        for attempt in range(options.peak_attempts):
            gain = _gain_to_target(pcm_input, audio, target, unlimited_gain, aim, ceiling, options)
            _ffmpeg(
                [*pcm_input, "-f", "ffmetadata", "-i", str(metadata), "-map", "0:a", "-map_metadata", "1",
                 "-map_chapters", "1", "-af", _levelling(gain, ceiling, options.output_rate), "-ac", "1",
                 "-ar", str(options.output_rate),
                 *audio_format.options, "-y", str(tmp)],
                audio.raw_data,
                target,
            )
            # The last attempt is kept as it is: the retries converge well before it.
            if audio_format.lossless or attempt == options.peak_attempts - 1:
                break
            true_peak = measure_loudness(tmp)[1]
            if true_peak <= options.true_peak_limit:
                break
            ceiling -= true_peak - options.true_peak_limit + options.peak_retry_margin_db
        if audio_format.finish_tags:
            audio_format.finish_tags(tmp, tags)
    return target


def _gain_to_target(pcm_input: list[str], audio: AudioSegment, target: Path, unlimited_gain: float, aim: float,
                    ceiling: float, options: MasteringOptions) -> float:
    """The gain in front of the limiter (at ``ceiling`` dBFS) that brings the limited
    programme to ``aim`` LUFS; ``unlimited_gain`` would do it without a limiter."""
    def limited(gain: float) -> float:
        # Measured at the engine's rate, which halves the work and moves loudness by
        # less than 0.1 LU.
        before = _levelling(gain, ceiling, audio.frame_rate)
        return _ebur128(pcm_input, audio.raw_data, target, before=before)[0]

    gains = [unlimited_gain + extra for extra in options.limiter_bracket_db]
    # The two measurements are independent: ffmpeg runs them side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        points = list(zip(gains, pool.map(limited, gains)))
    gain = _secant(points, aim)
    # A programme the limiter takes much less or much more from than speech (a loud
    # music bed, a lower ceiling after an encoder overshot) puts the aim outside the
    # bracket, where the response is not straight: measure there and step again.
    for _ in range(options.extra_steps):
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


def _encoding_loss(pcm_input: list[str], audio: AudioSegment, target: Path, audio_format: AudioFormat,
                   options: MasteringOptions) -> float:
    """Loudness (LU) that encoding to ``target``'s format takes away, measured on an
    excerpt from the middle of the programme."""
    if audio_format.lossless:
        return 0.0
    start = max(len(audio) / 1000 - options.excerpt_seconds, 0.0) / 2
    excerpt = f"atrim=start={start:.2f}:duration={options.excerpt_seconds},asetpts=PTS-STARTPTS"
    with tempfile.TemporaryDirectory(prefix="text2audio-") as folder:
        encoded = Path(folder) / f"excerpt{target.suffix.lower()}"
        _ffmpeg([*pcm_input, "-af", f"{excerpt},aresample={options.output_rate}", "-ac", "1",
                 "-ar", str(options.output_rate),
                 *audio_format.options, "-y", str(encoded)], audio.raw_data, target)
        before = _ebur128(pcm_input, audio.raw_data, target, before=excerpt)[0]
        after = _ebur128(["-i", str(encoded)], None, target)[0]
    return before - after


def _levelling(gain_db: float, ceiling_db: float, rate: int) -> str:
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


def ffmetadata(tags: EpisodeTags) -> str:
    """The tags and chapters as an ffmpeg metadata file, which ffmpeg writes into every
    format in that format's own way: ID3v2.3 (TYER and TDAT for the date, CHAP frames
    in time order and a CTOC) in MP3, a chapter track and iTunes atoms in M4A, an INFO
    list in WAV (which has no chapters; the .chapters.json beside it has them). What
    ffmpeg leaves out, each format's ``finish_tags`` adds."""
    fields = {"title": tags.title, "album": tags.show, "artist": tags.show, "date": tags.date,
              "comment": tags.description}
    lines = [";FFMETADATA1", *(f"{key}={_escape(value)}" for key, value in fields.items() if value)]
    for start, end, title in sorted(tags.chapters):
        lines += ["", "[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}", f"END={round(end * 1000)}",
                  f"title={_escape(title)}"]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    """ffmpeg's metadata syntax: '=', ';', '#', backslash and newlines are escaped."""
    return re.sub(r"([=;#\\\n])", r"\\\1", value)


# Every frame mutagen knows except the chapters: read this way, CHAP and CTOC stay raw
# and are written back where ffmpeg put them, in time order (mutagen sorts the frames
# it knows by size, and ffmpeg takes chapters in the order it finds them).
_ALL_BUT_CHAPTERS = {name: frame for name, frame in Frames.items() if name not in ("CHAP", "CTOC")}


def _finish_id3(path: Path, tags: EpisodeTags) -> None:
    """The two frames ffmpeg does not write: COMM (ffmpeg writes a comment as a TXXX,
    which podcast apps do not show) and TLEN, the length in milliseconds."""
    from mutagen.mp3 import MP3

    seconds = MP3(path).info.length
    id3 = ID3(path, known_frames=_ALL_BUT_CHAPTERS)
    id3.delall("TXXX:comment")
    id3.delall("TSSE")  # ffmpeg's own version: says nothing about the episode
    if tags.description:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    id3.add(TLEN(encoding=3, text=str(round(seconds * 1000))))
    id3.update_to_v23()  # mutagen holds dates as TDRC, a v2.4 frame; v2.3 has TYER and TDAT
    id3.save(path, v2_version=3)


def _finish_vorbis(path: Path, tags: EpisodeTags) -> None:
    """ffmpeg's Ogg muxer writes neither the comment nor chapters: they go in as Vorbis
    comments, chapters in the CHAPTERnnn / CHAPTERnnnNAME form that ffmpeg and players read."""
    from mutagen.oggvorbis import OggVorbis

    ogg = OggVorbis(path)
    if tags.description:
        ogg["comment"] = tags.description
    for number, (start, _, title) in enumerate(sorted(tags.chapters), start=1):
        whole, millis = divmod(round(start * 1000), 1000)
        ogg[f"CHAPTER{number:03d}"] = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"
        ogg[f"CHAPTER{number:03d}NAME"] = title
    ogg.save()


# suffix -> format (mono, 44.1 kHz for every one). LAME's quality 7 encodes speech at
# 96 kbps in 60% of the default's time with no audible difference. Ceilings: MP3's true
# peak came out 0.2 dB under the ceiling, Vorbis's 1 dB over, AAC's up to 2.6 dB over.
AUDIO_FORMATS: dict[str, AudioFormat] = {
    ".mp3": AudioFormat(("-c:a", "libmp3lame", "-b:a", "96k", "-compression_level", "7",
                         "-id3v2_version", "3", "-f", "mp3"), ceiling_db=-2.5, finish_tags=_finish_id3),
    ".wav": AudioFormat(("-c:a", "pcm_s16le", "-f", "wav"), ceiling_db=-2.5, lossless=True),
    ".ogg": AudioFormat(("-c:a", "libvorbis", "-q:a", "4", "-f", "ogg"), ceiling_db=-3.5,
                         finish_tags=_finish_vorbis),
    ".m4a": AudioFormat(("-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-f", "ipod"), ceiling_db=-4.0),
}
