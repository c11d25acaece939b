"""text2audio: written roundups in, narrated episodes out. Parses, calls the library,
translates errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

import typer

from episodekit.batch import Job, Outcome, refuse_clobbering_inputs
from episodekit.cli import (ADDRESS, EXECUTOR, FORCE, JOBS, QUIET, RECURSIVE, executor_for, guarded, make_app,
                            make_output_folder, plan_and_run, run_jobs, say_error, target_folder, usage_error,
                            version_option)
from episodekit.errors import ConversionError

from . import __version__
from .feed import FeedOptions, check_cover, check_cover_address, parse_category, parse_owner
from .mastering import AUDIO_FORMATS
from .pipeline import TEXT_SUFFIXES, Options, brief_date, convert, convert_roundups, episode_name, outputs_for
from .pronunciation import Lexicon, LexiconError, load_lexicon
from .stories import STRUCTURES, StoryOptions
from .verify import VerifyOptions
from .voices import MAX_RATE, MIN_RATE, VOICES, check_voice

DEFAULTS = Options()  # the command line's defaults are the library's
app = make_app("Turn written roundups into narrated episodes: MP3 with chapters, transcript, script.")


def convert_job(job: Job, report) -> None:
    if "roundups" in job.options:  # a brief: its roundups were read when it was planned
        convert_roundups(job.options["roundups"], job.outputs, job.options["pipeline"], on_progress=report)
    else:
        convert([job.input], job.outputs, job.options["pipeline"], on_progress=report)


@app.command()
def main(
    roundups: List[str] = typer.Argument(..., metavar="ROUNDUP...", help="Markdown, text, HTML or audio2text JSON files, or folders of them."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=f"The episode file ({' '.join(AUDIO_FORMATS)}); sidecars go beside it."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Folder for NAME.mp3 and its sidecars (default: beside each input)."),
    engine: str = typer.Option(DEFAULTS.engine, "--engine", "-e", metavar="|".join(VOICES), help="; ".join(f"{name}: {e.description}" for name, e in VOICES.items()) + "."),
    voice: Optional[str] = typer.Option(None, "--voice", help="A voice of the engine (pyttsx3: an espeak-ng voice such as en-us)."),
    rate: Optional[int] = typer.Option(None, "--rate", min=MIN_RATE, max=MAX_RATE, help="Speaking rate in words per minute."),
    brief: bool = typer.Option(False, "--brief", help="Merge all roundups into one daily brief."),
    max_minutes: Optional[float] = typer.Option(None, "--max-minutes", min=0.5, help="Keep the episode within this many minutes."),
    title: Optional[str] = typer.Option(None, "--title", help="Episode title (default: from the roundup)."),
    show: str = typer.Option(DEFAULTS.show, "--show", help="Show name spoken in the intro and tagged."),
    date: Optional[str] = typer.Option(None, "--date", help="Episode date, YYYY-MM-DD (default: the roundup's, else today)."),
    music: Optional[Path] = typer.Option(None, "--music", help="An audio file to play as a bed under the voice."),
    verify: bool = typer.Option(False, "--verify", help="Transcribe the episode with the bundled Whisper model, compare it with the script and write NAME.verify.json."),
    verify_max_wer: Optional[float] = typer.Option(None, "--verify-max-wer", min=0.0, help="Fail (exit 1) when the episode is heard with a higher word error rate, e.g. 0.1 for 10%; implies --verify."),
    feed: Optional[Path] = typer.Option(None, "--feed", help="Add the episode to this RSS podcast feed, creating it the first time."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="The address the feed's folder is published at; episode links are made from it."),
    feed_keep: Optional[int] = typer.Option(None, "--feed-keep", min=1, help="Keep the newest N episodes in the feed."),
    feed_description: Optional[str] = typer.Option(None, "--feed-description", help="The show's description in the feed."),
    feed_image: Optional[str] = typer.Option(None, "--feed-image", metavar="FILE|URL", help="The show's cover: a square JPEG or PNG of 1400 to 3000 pixels (a file is checked and linked like the episodes; an address is used as given). Default: a 3000x3000 PNG with the show's name, written beside the feed."),
    feed_category: Optional[List[str]] = typer.Option(None, "--feed-category", metavar="CATEGORY[/SUBCATEGORY]", help="One of Apple Podcasts' categories, e.g. Technology or 'News/Tech News'; repeat for more."),
    feed_owner: Optional[str] = typer.Option(None, "--feed-owner", metavar="'NAME <EMAIL>'", help="The show's owner, whom Apple Podcasts and Podcast Index contact (itunes:owner, podcast:locked)."),
    feed_explicit: Optional[str] = typer.Option(None, "--feed-explicit", metavar="true|false", help="Whether the show is explicit (default: false, or what the feed says)."),
    script_only: bool = typer.Option(False, "--script-only", help="Write the script, JSON, chapters and a WebVTT timed at the voice's speaking rate, and no audio: review or edit NAME.script.md, then 'text2audio NAME.script.md' speaks it as written."),
    structure: str = typer.Option(DEFAULTS.stories.structure, "--structure", metavar="|".join(STRUCTURES), help="How the stories are found: " + "; ".join(f"{name}: {f.doc}" for name, f in STRUCTURES.items()) + "."),
    lexicon: Optional[Path] = typer.Option(None, "--lexicon", help="Pronunciations, one 'term = spoken form' a line (GGUF = G G U F), over the built-in ones."),
    no_lexicon: bool = typer.Option(False, "--no-lexicon", help="Let the voice read every term as it would: no built-in or --lexicon pronunciations."),
    recursive: bool = RECURSIVE,
    jobs: int = JOBS,
    executor: str = EXECUTOR,
    address: Optional[str] = ADDRESS,
    force: bool = FORCE,
    quiet: bool = QUIET,
    version: bool = version_option("text2audio", __version__),
) -> None:
    run_on = executor_for(executor, workers=jobs, address=address)
    if engine not in VOICES:
        raise typer.BadParameter(f"unknown engine '{engine}'; choose from {', '.join(VOICES)}", param_hint="--engine")
    with usage_error("--voice"):  # a voice that does not exist is the user's choice, not a file's fault
        check_voice(engine, voice)
    if structure not in STRUCTURES:
        raise typer.BadParameter(f"unknown structure finder '{structure}'; choose from {', '.join(STRUCTURES)}",
                                 param_hint="--structure")
    if date is not None:
        _check_date(date)
    if music is not None and not music.is_file():
        raise ConversionError(music, "music file not found")
    if output is not None and len(roundups) > 1 and not brief:
        raise typer.BadParameter("-o names one episode; use --out-dir, or --brief to merge", param_hint="-o")
    if script_only and (verify or verify_max_wer is not None or feed is not None):
        raise typer.BadParameter("--script-only writes no audio to verify or publish", param_hint="--script-only")
    if output is not None:
        with usage_error("-o"):
            outputs_for(output)
    feed_options = _feed_options(feed, base_url, show=show, keep=feed_keep, description=feed_description,
                                 image=feed_image, categories=feed_category, owner=feed_owner, explicit=feed_explicit)
    verify_options = VerifyOptions(max_wer=verify_max_wer, say_summary=not quiet) \
        if verify or verify_max_wer is not None else None
    pipeline = Options(engine=engine, voice=voice, rate=rate, title=title, show=show, date=date,
                       max_minutes=max_minutes, music=str(music) if music else None,
                       verify=verify_options, feed=feed_options,
                       lexicon=_pronunciations(lexicon, no_lexicon), script_only=script_only,
                       stories=StoryOptions(structure=structure))

    if brief:
        summary = _run_brief(roundups, output, out_dir, pipeline, run_on, recursive=recursive, quiet=quiet,
                             force=force)
        raise typer.Exit(summary.exit_code)

    def plan(path: Path, root: Path) -> Job:
        if output is not None:
            make_output_folder(output.parent, path)
            target = output
        else:
            target = target_folder(path, root, out_dir) / f"{episode_name(path)}.mp3"
        return Job(path, outputs_for(target, script_only=script_only, input_path=path), {"pipeline": pipeline})

    summary = plan_and_run(roundups, suffixes=TEXT_SUFFIXES, recursive=recursive, plan=plan,
                           convert=convert_job, executor=run_on, force=force, quiet=quiet)
    raise typer.Exit(summary.exit_code)


def _run_brief(roundups, output, out_dir, pipeline, run_on, *, recursive, quiet, force):
    """One job made from every readable roundup, each read once; unreadable ones are
    reported and left out, and a rerun with nothing changed skips the brief."""
    from episodekit.batch import collect_inputs

    from .readers import read_roundup

    found, failures = collect_inputs(roundups, TEXT_SUFFIXES, recursive=recursive)
    readable, episodes = [], []
    for path, _root in found:
        try:
            episodes.append(read_roundup(path, pipeline.stories))
            readable.append(path)
        except ConversionError as exc:
            failures.append(Outcome(path, "failed", exc.for_file(path).cause))
    for outcome in failures:
        say_error(outcome.input, outcome.cause)
    if not readable:
        raise ConversionError(None, "no readable roundup to make a brief from")
    target = output or (out_dir or Path(".")) / f"brief-{brief_date(episodes, pipeline)}.mp3"
    make_output_folder(target.parent, readable[0])
    job = Job(readable[0], outputs_for(target, script_only=pipeline.script_only),
              {"pipeline": pipeline, "roundups": episodes}, inputs=tuple(readable))
    jobs = []
    try:
        refuse_clobbering_inputs(job, {p.resolve() for p in readable})
        jobs.append(job)
    except ConversionError as exc:
        failures.append(Outcome(job.input, "failed", exc.for_file(job.input).cause))
        say_error(job.input, failures[-1].cause)
    return run_jobs(jobs, convert=convert_job, executor=run_on, force=force, quiet=quiet, failures=failures)


def _feed_options(feed: Optional[Path], base_url: Optional[str], **channel) -> Optional[FeedOptions]:
    if feed is None:
        if base_url is not None:
            raise typer.BadParameter("--base-url goes with --feed", param_hint="--base-url")
        return None
    if not base_url or not base_url.startswith(("http://", "https://")):
        raise typer.BadParameter("--feed needs --base-url, the http(s) address the feed's folder is published at",
                                 param_hint="--base-url")
    make_output_folder(feed.parent, feed)
    if channel["image"] and not channel["image"].startswith(("http://", "https://")):
        check_cover(Path(channel["image"]))
    elif channel["image"]:
        _feed_value(check_cover_address, channel["image"], "--feed-image")
    channel["categories"] = tuple(_feed_value(parse_category, c, "--feed-category") for c in channel["categories"] or ())
    channel["owner"] = _feed_value(parse_owner, channel["owner"], "--feed-owner") if channel["owner"] else None
    if channel["explicit"] not in (None, "true", "false"):
        raise typer.BadParameter(f"{channel['explicit']!r} is neither true nor false", param_hint="--feed-explicit")
    channel["explicit"] = None if channel["explicit"] is None else channel["explicit"] == "true"
    return FeedOptions(path=feed, base_url=base_url, title=channel.pop("show"), **channel)


def _feed_value(parse, text: str, option: str):
    try:
        return parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _pronunciations(path: Optional[Path], off: bool) -> Optional[Lexicon]:
    if off:
        if path is not None:
            raise typer.BadParameter("--lexicon and --no-lexicon cannot go together", param_hint="--lexicon")
        return None
    try:
        return load_lexicon(path)
    except LexiconError as exc:
        raise typer.BadParameter(f"{exc.path}: {exc.cause}", param_hint="--lexicon") from None


def _check_date(value: str) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a YYYY-MM-DD date", param_hint="--date") from None


main_entry = guarded(app)
