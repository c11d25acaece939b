"""ffmpeg and ffprobe for the bench: durations, loudness, a long episode made of short ones."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path


def duration_s(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(path)], capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def parse_ebur128_summary(log: str) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) from the summary ffmpeg's ebur128
    filter prints last."""
    summary = log[log.rindex("Summary:"):]
    integrated = re.search(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not integrated or not peak:
        raise ValueError("no integrated loudness and true peak in the ebur128 summary")
    return float(integrated[1]), float(peak[1])


def loudness(path: Path) -> tuple[float, float]:
    """Measured independently of the mastering code, with ffmpeg's EBU R128 meter."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-nostats", "-hide_banner", "-i", str(path),
                          "-filter_complex", "ebur128=peak=true", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    return parse_ebur128_summary(log)


def concatenate_to_length(sources: list[Path], seconds: float, target: Path) -> Path:
    """``sources`` played in turn, over and over, cut at ``seconds``; streams are copied, so
    the sources must share a codec and format (the samples do)."""
    cycle = sum(duration_s(s) for s in sources)
    listing = target.with_suffix(".concat.txt")
    repeats = math.ceil(seconds / cycle)
    listing.write_text("".join(f"file '{s.resolve()}'\n" for _ in range(repeats) for s in sources), "utf-8")
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-t", str(seconds), "-c", "copy", str(target)], check=True)
    return target
