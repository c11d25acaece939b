"""The formats audio2text writes: one table of name, suffix and renderer, which the
command line reads its choices, help and checks from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from episodekit.errors import ConversionError
from episodekit.files import write_atomic
from episodekit.jsonio import episode_to_json
from episodekit.markdown import DEFAULT_FRONT_MATTER, render_markdown
from episodekit.model import Episode
from episodekit.timed_text import to_chapters, to_srt, to_transcript, to_vtt

from .html_page import PageLinks, render_html


@dataclass(frozen=True)
class RenderContext:
    """What a renderer may need besides the episode."""

    target: Optional[Path] = None  # where this output is written
    audio: Optional[Path] = None  # the episode's audio file
    audio_url: Optional[str] = None  # where the audio will be published, when not beside the outputs
    transcript: Optional[Path] = None  # the WebVTT file written in the same run
    timestamps: bool = False  # section start times on the Markdown headings
    front_matter: str = DEFAULT_FRONT_MATTER  # the site generator the Markdown is for

    @property
    def audio_link(self) -> Optional[str]:
        """The audio as the published outputs reach it: its address, or its file name
        (the outputs are published beside it)."""
        return self.audio_url or (self.audio.name if self.audio else None)

    def link_to(self, path: Optional[Path]) -> Optional[str]:
        """``path`` relative to this output's folder, as a URL path."""
        if path is None:
            return None
        if self.target is None:
            return path.name
        try:
            return Path(os.path.relpath(Path(path).resolve(), Path(self.target).resolve().parent)).as_posix()
        except ValueError:  # another drive on Windows: they cannot be published together
            return None


@dataclass(frozen=True)
class OutputFormat:
    suffix: str
    description: str
    render: Callable[[Episode, RenderContext], str]


# name -> format. "chapters" carries a double suffix so it never meets the JSON.
FORMATS: dict[str, OutputFormat] = {
    "md": OutputFormat(".md", "Markdown article with front matter",
                       lambda e, c: render_markdown(e, timestamps=c.timestamps, audio_url=c.audio_link,
                                                       front_matter=c.front_matter)),
    "html": OutputFormat(".html", "standalone HTML page with a player",
                         lambda e, c: render_html(e, PageLinks(c.audio_link, c.link_to(c.transcript)))),
    "json": OutputFormat(".json", "the segment model, episodekit/1", lambda e, c: episode_to_json(e)),
    "txt": OutputFormat(".txt", "plain transcript", lambda e, c: to_transcript(e)),
    "srt": OutputFormat(".srt", "SubRip subtitles", lambda e, c: to_srt(e)),
    "vtt": OutputFormat(".vtt", "WebVTT subtitles", lambda e, c: to_vtt(e)),
    "chapters": OutputFormat(".chapters.json", "Podcasting 2.0 chapters", lambda e, c: to_chapters(e)),
}


def format_for(target: str | Path) -> str:
    """The format a target file's suffix asks for (``x.chapters.json`` is chapters)."""
    target = Path(target)
    name = target.name.lower()
    for fmt, output in sorted(FORMATS.items(), key=lambda kv: -len(kv[1].suffix)):
        if name.endswith(output.suffix):
            return fmt
    raise ConversionError(target, f"unknown output suffix (use one of {', '.join(suffixes())})")


def suffixes() -> list[str]:
    return [output.suffix for output in FORMATS.values()]


def render(episode: Episode, fmt: str, *, target: str | Path | None = None, audio: str | Path | None = None,
           audio_url: str | None = None, transcript: str | Path | None = None, timestamps: bool = False,
           front_matter: str = DEFAULT_FRONT_MATTER) -> str:
    """``episode`` in format ``fmt``; ``target`` is where it will be written, ``audio``
    the episode's audio file and ``transcript`` a WebVTT file written beside it."""
    if fmt not in FORMATS:
        raise ConversionError(None, f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    context = RenderContext(
        target=Path(target) if target is not None else None, audio=Path(audio) if audio is not None else None,
        audio_url=audio_url, transcript=Path(transcript) if transcript is not None else None, timestamps=timestamps,
        front_matter=front_matter,
    )
    return FORMATS[fmt].render(episode, context)


def write_outputs(episode: Episode, outputs: dict[str, Path], *, audio: str | Path | None = None,
                  audio_url: str | None = None, timestamps: bool = False,
                  front_matter: str = DEFAULT_FRONT_MATTER) -> None:
    """Render every format first, then write each atomically: a render error writes nothing."""
    rendered = {fmt: render(episode, fmt, target=path, audio=audio, audio_url=audio_url,
                            transcript=outputs.get("vtt"), timestamps=timestamps, front_matter=front_matter)
                for fmt, path in outputs.items()}
    for fmt, path in outputs.items():
        write_atomic(path, rendered[fmt])
