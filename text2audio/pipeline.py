"""The library API of text2audio: roundups in, a narrated, mastered episode with its
sidecars out. Every stage goes through the segment model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Optional

from episodekit.errors import ConversionError
from episodekit.files import write_atomic
from episodekit.jsonio import episode_to_json
from episodekit.model import Episode
from episodekit.timed_text import to_chapters, to_vtt

from .brief import merge_roundups
from .feed import FeedOptions, add_episode
from .pronunciation import Lexicon, PronouncingVoice
from .readers import read_roundup
from .script import build_script, render_script_markdown
from .verify import VerifyOptions, verify_episode

TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".html", ".htm", ".json")
AUDIO_FORMATS = (".mp3", ".wav", ".ogg", ".m4a")
DEFAULT_SHOW = "The Daily Brief"

# Sidecar name -> suffix that replaces the audio suffix.
SIDECARS = {"script": ".script.md", "chapters": ".chapters.json", "vtt": ".vtt", "json": ".json"}


@dataclass(frozen=True)
class Options:
    engine: str = "pyttsx3"
    voice: Optional[str] = None
    rate: Optional[int] = None
    title: Optional[str] = None
    show: str = DEFAULT_SHOW
    date: Optional[str] = None
    max_minutes: Optional[float] = None
    music: Optional[str] = None
    verify: Optional[VerifyOptions] = None  # check the episode by ear after mastering
    feed: Optional[FeedOptions] = None  # then add it to this podcast feed
    lexicon: Optional[Lexicon] = None  # respellings the voice is given instead of the written terms


def outputs_for(audio_target: Path) -> dict[str, Path]:
    """The episode file and its sidecars: ``x.mp3`` gives ``x.script.md``, ``x.vtt``..."""
    if audio_target.suffix.lower() not in AUDIO_FORMATS:
        raise ConversionError(audio_target, f"unknown audio suffix (use one of {', '.join(AUDIO_FORMATS)})")
    stem = audio_target.with_suffix("")
    return {"audio": audio_target, **{k: Path(f"{stem}{s}") for k, s in SIDECARS.items()}}


def prepare(roundups: list[Episode], options: Options) -> Episode:
    """The spoken script for one roundup, or for several merged into a daily brief."""
    if len(roundups) > 1 or options.max_minutes:
        episode = merge_roundups(roundups, max_minutes=options.max_minutes)
    else:
        episode = roundups[0]
    if options.title:
        episode = replace(episode, title=options.title)
    date = options.date or episode.date or dt.date.today().isoformat()
    return build_script(episode, show=options.show, date=date)


def narrate(script: Episode, outputs: dict[str, Path], options: Options,
            on_progress: Callable[[float, float], None] | None = None) -> Episode:
    """Speak the script, master the audio and write the episode with its sidecars."""
    from .assembly import assemble
    from .mastering import EpisodeTags, master
    from .voices import get_voice

    voice = get_voice(options.engine, options.voice, options.rate)
    if options.lexicon:
        voice = PronouncingVoice(voice, options.lexicon)
    audio, timed = assemble(script, voice, music=options.music, on_sentence=on_progress)
    timed = replace(timed, duration=len(audio) / 1000.0, metadata={**timed.metadata, "engine": voice.name})
    sidecars = {
        "script": render_script_markdown(timed),
        "chapters": to_chapters(timed),
        "vtt": to_vtt(timed),
        "json": episode_to_json(timed),
    }
    chapters = tuple((s.start, s.end, s.title) for s in timed.sections if s.start is not None)
    master(audio, outputs["audio"], EpisodeTags(title=timed.title, show=options.show, date=timed.date,
                                                description=timed.description, chapters=chapters))
    for name, text in sidecars.items():
        write_atomic(outputs[name], text)
    return timed


def convert(paths: list[Path], outputs: dict[str, Path], options: Options = Options(),
            on_progress: Callable[[float, float], None] | None = None) -> Episode:
    script = prepare([read_roundup(p) for p in paths], options)
    timed = narrate(script, outputs, options, on_progress)
    # Verified first: an episode heard with too many errors stops before it is published.
    if options.verify:
        verify_episode(timed, outputs["audio"], options.verify)
    if options.feed:
        add_episode(options.feed, timed, outputs)
    return timed
