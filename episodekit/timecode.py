"""Clock strings for seconds, in the forms articles, SRT and WebVTT use."""

from __future__ import annotations

import re


def clock(seconds: float, *, millis_sep: str | None = None) -> str:
    """``H:MM:SS``-style ``HH:MM:SS``; with ``millis_sep`` also ``,mmm`` (SRT) or ``.mmm`` (VTT)."""
    total_ms = max(0, round(seconds * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}{millis_sep}{ms:03d}" if millis_sep else text


def short_clock(seconds: float) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` beyond: how players show a position."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def parse_clock(text: str) -> float | None:
    """Seconds for ``[H:]MM:SS[.mmm]``; None when the text is not a clock."""
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hours, minutes, secs, frac = match.groups()
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    return value + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)
