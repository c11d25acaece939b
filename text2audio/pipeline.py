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

from .brief import fit_script, merge_roundups
from .feed import FeedOptions, add_episode
from .mastering import AUDIO_FORMATS
from .pronunciation import Lexicon, PronouncingVoice
from .readers import _READERS, read_roundup
from .stories import StoryOptions
from .script import build_script, is_script, render_script_markdown
from .timing import MeasuredVoice, estimated_seconds, estimated_timings
from .verify import VerifyOptions, verify_episode

# The suffixes the readers' table (suffix -> reader) knows: what the command accepts.
TEXT_SUFFIXES = tuple(_READERS)
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
    script_only: bool = False  # write the script and its sidecars, timed at the voice's rate; no audio
    stories: StoryOptions = StoryOptions()  # how the stories are found (``--structure`` picks the finder)


def outputs_for(audio_target: str | Path, *, script_only: bool = False,
                input_path: str | Path | None = None) -> dict[str, Path]:
    """The episode file and its sidecars: ``x.mp3`` gives ``x.script.md``, ``x.vtt``...;
    with ``script_only`` no audio; never an edited script read as the input (it is read, not rewritten)."""
    audio_target = Path(audio_target)
    if audio_target.suffix.lower() not in AUDIO_FORMATS:
        raise ConversionError(audio_target, f"unknown audio suffix (use one of {', '.join(AUDIO_FORMATS)})")
    stem = audio_target.with_suffix("")
    outputs = {"audio": audio_target, **{k: Path(f"{stem}{s}") for k, s in SIDECARS.items()}}
    if script_only:
        del outputs["audio"]
    if input_path is not None:
        # Only an edited script is left out; any other output that is the input is refused later.
        outputs = {k: v for k, v in outputs.items() if k != "script" or v.resolve() != Path(input_path).resolve()}
    return outputs


def episode_name(path: Path) -> str:
    """The episode's name for an input: ``post.md`` gives ``post``, an edited ``post.script.md`` too."""
    name = path.name
    return name[: -len(SIDECARS["script"])] if name.endswith(SIDECARS["script"]) else path.stem


def prepare(roundups: list[Episode], options: Options, voice: MeasuredVoice | None = None) -> Episode:
    """The spoken script for one roundup, or for several merged into a daily brief; with
    ``max_minutes``, cut to run no longer, as measured with ``voice`` (estimated without)."""
    if len(roundups) == 1 and is_script(roundups[0]):
        # An edited script is spoken as written: no intro, transitions or cuts are added.
        return replace(roundups[0], title=options.title or roundups[0].title)
    episode = merge_roundups(roundups) if len(roundups) > 1 else roundups[0]
    if options.title:
        episode = replace(episode, title=options.title)
    date = episode_date(episode, options)

    def script_of(stories: Episode) -> Episode:
        return build_script(stories, show=options.show, date=date)

    if not options.max_minutes:
        return script_of(episode)
    measure = voice.seconds if voice else estimated_seconds
    rate = voice.sample_rate if voice else 22050
    return fit_script(episode, options.max_minutes * 60, script_of, measure, rate)


def episode_date(episode: Episode, options: Options) -> str:
    """The date an episode goes out under: the options', else the roundup's, else today."""
    return options.date or episode.date or dt.date.today().isoformat()


def brief_date(roundups: list[Episode], options: Options) -> str:
    return episode_date(merge_roundups(roundups) if len(roundups) > 1 else roundups[0], options)


def script_timings(script: Episode, options: Options) -> Episode:
    """The script timed as the options' voice would speak it, without speaking it."""
    from .voices import VOICES

    return estimated_timings(script, options.rate or VOICES[options.engine].words_per_minute)


def write_script_only(script: Episode, outputs: dict[str, Path], options: Options) -> Episode:
    """The script, its JSON, chapters and WebVTT, timed at the voice's speaking rate: what
    will be said, for review before the voice speaks it."""
    timed = script_timings(script, options)
    timed = replace(timed, metadata={**timed.metadata, "engine": f"{options.engine} (estimated)"})
    _write_sidecars(timed, outputs)
    return timed


def _write_sidecars(timed: Episode, outputs: dict[str, Path]) -> None:
    """The sidecars ``outputs`` names (an edited script read as input is not written over)."""
    for name, text in _sidecars(timed).items():
        if name in outputs:
            write_atomic(outputs[name], text)


def _sidecars(timed: Episode) -> dict[str, str]:
    return {"script": render_script_markdown(timed), "chapters": to_chapters(timed), "vtt": to_vtt(timed),
            "json": episode_to_json(timed)}


def open_voice(options: Options) -> MeasuredVoice:
    """The voice the options name, with the lexicon's respellings, remembering what it says."""
    from .voices import get_voice

    voice = get_voice(options.engine, options.voice, options.rate)
    return MeasuredVoice(PronouncingVoice(voice, options.lexicon) if options.lexicon else voice)


def narrate(script: Episode, outputs: dict[str, Path], options: Options,
            on_progress: Callable[[float, float], None] | None = None, voice: MeasuredVoice | None = None) -> Episode:
    """Speak the script, master the audio and write the episode with its sidecars."""
    from .assembly import assemble
    from .mastering import EpisodeTags, master

    voice = voice or open_voice(options)
    audio, timed = assemble(script, voice, music=options.music, on_sentence=on_progress)
    timed = replace(timed, duration=len(audio) / 1000.0, metadata={**timed.metadata, "engine": voice.name})
    chapters = tuple((s.start, s.end, s.title) for s in timed.sections if s.start is not None)
    master(audio, outputs["audio"], EpisodeTags(title=timed.title, show=options.show, date=timed.date,
                                                description=timed.description, chapters=chapters))
    _write_sidecars(timed, outputs)
    return timed


def convert(paths: list[Path], outputs: dict[str, Path], options: Options = Options(),
            on_progress: Callable[[float, float], None] | None = None) -> Episode:
    return convert_roundups([read_roundup(p, options.stories) for p in paths], outputs, options, on_progress)


def convert_roundups(roundups: list[Episode], outputs: dict[str, Path], options: Options = Options(),
                     on_progress: Callable[[float, float], None] | None = None) -> Episode:
    """The episode of roundups already read: one roundup's, or a daily brief of several."""
    if options.script_only:
        return write_script_only(prepare(roundups, options), outputs, options)
    voice = open_voice(options)  # one voice: what fitting the brief measured is not spoken again
    script = prepare(roundups, options, voice)
    timed = narrate(script, outputs, options, on_progress, voice)
    # Verified first: an episode heard with too many errors stops before it is published.
    if options.verify:
        verify_episode(timed, outputs["audio"], options.verify)
    if options.feed:
        add_episode(options.feed, timed, outputs)
    return timed
