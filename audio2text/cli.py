"""audio2text: spoken episodes (or their transcripts) in, articles out. Parses, calls the
library, translates errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from episodekit.batch import Job
from episodekit.errors import ConversionError
from episodekit.markdown import DEFAULT_FRONT_MATTER, FRONT_MATTER
from episodekit.cli import (ADDRESS, EXECUTOR, FORCE, JOBS, QUIET, RECURSIVE, executor_for, guarded, make_app, make_output_folder, plan_and_run, say_warning,
                            target_folder, usage_error, version_option)

from . import __version__
from .glossary import read_glossary
from .html_page import audio_elsewhere_warning
from .pipeline import FORMATS, INPUT_SUFFIXES, Options, companion_audio, convert, format_for, is_transcript

app = make_app("Turn spoken episodes, or their SRT, WebVTT or text transcripts, into articles: "
               "Markdown, HTML, JSON, transcript, subtitles, chapters.")


def convert_job(job: Job, report) -> None:
    options = job.options["pipeline"]
    convert(job.input, job.outputs, options, on_progress=report,
            on_warning=lambda message: say_warning(job.input, message))


def _own_episode(path: Path) -> bool:
    """In a folder, a transcript beside an audio file of its name is that episode's
    subtitles (often this command's own, from an earlier run): the audio is converted,
    once. Named on its own, the transcript is read and the audio plays in the page."""
    return not is_transcript(path) or companion_audio(path) is None


def _player_warning(page: Path, episode: Path) -> Optional[str]:
    """Why the page's player will not play, if it will not: a transcript without its audio
    beside it has no player at all; audio away from the page is not found once published."""
    audio = companion_audio(episode) if is_transcript(episode) else episode
    if audio is None:
        return f"no audio named {episode.stem}.* beside it and no --audio-url: the page has no player"
    return audio_elsewhere_warning(page.parent, audio)


def _parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}")
    return formats


def _glossary_terms(path: Path) -> tuple[str, ...]:
    try:
        return read_glossary(path)
    except ConversionError as exc:
        raise typer.BadParameter(f"{path}: {exc.cause}", param_hint="--glossary") from None


@app.command()
def main(
    episodes: List[str] = typer.Argument(..., metavar="EPISODE...", help="Audio or video files, transcripts (.srt, .vtt, .txt: no Whisper needed), or folders of them."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help=f"One output file; its suffix picks the format ({' '.join(f.suffix for f in FORMATS.values())})."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Folder for NAME.<format> files (default: beside each input)."),
    formats: str = typer.Option("md", "--format", "-f", help="Comma list of: " + "; ".join(f"{name} ({f.description})" for name, f in FORMATS.items()) + "."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="tiny.en (default, bundled), base, or a CTranslate2 Whisper folder."),
    language: Optional[str] = typer.Option(None, "--language", "-l", help="Spoken language code, e.g. en; default: detect."),
    timestamps: bool = typer.Option(False, "--timestamps", help="Put each section's start time on its heading."),
    glossary: Optional[Path] = typer.Option(None, "--glossary", metavar="FILE", help="Names to expect, one per line (added to the built-in names of the field)."),
    audio_url: Optional[str] = typer.Option(None, "--audio-url", metavar="URL", help="Where the audio will be published, for the HTML player and the Markdown front matter (default: its file name, published beside the outputs)."),
    front_matter: str = typer.Option(DEFAULT_FRONT_MATTER, "--front-matter", metavar="|".join(FRONT_MATTER), help="The site generator the Markdown is for: hugo and jekyll read YAML (the default), pelican its Key: value header, mkdocs YAML with the title, date and tags as the page's first lines."),
    recursive: bool = RECURSIVE,
    jobs: int = JOBS,
    executor: str = EXECUTOR,
    address: Optional[str] = ADDRESS,
    force: bool = FORCE,
    quiet: bool = QUIET,
    version: bool = version_option("audio2text", __version__),
) -> None:
    chosen = _parse_formats(formats)
    run_on = executor_for(executor, workers=jobs, address=address)
    if output is not None and len(episodes) > 1:
        raise typer.BadParameter("-o names one file; use --out-dir for several episodes", param_hint="-o")
    if output is not None:
        with usage_error("-o"):  # an unknown suffix, caught before any work
            format_for(output)
    threads = max(1, (os.cpu_count() or 1) // jobs)
    terms = _glossary_terms(glossary) if glossary else ()
    if front_matter not in FRONT_MATTER:
        raise typer.BadParameter(f"unknown preset {front_matter!r}; choose from {', '.join(FRONT_MATTER)}", param_hint="--front-matter")
    pipeline = Options(model=model, language=language, timestamps=timestamps, threads=threads, glossary=terms,
                       audio_url=audio_url, front_matter=front_matter)
    warned = []  # a page written away from its audio is said once for the run

    def plan(path: Path, root: Path) -> Job:
        job = plan_outputs(path, root)
        page = job.outputs.get("html")
        warning = _player_warning(page, path) if page and audio_url is None and not warned else None
        if warning:
            say_warning(path, warning)
            warned.append(path)
        return job

    def plan_outputs(path: Path, root: Path) -> Job:
        if output is not None:
            make_output_folder(output.parent, path)
            return Job(path, {format_for(output): output}, {"pipeline": pipeline})
        target_dir = target_folder(path, root, out_dir)
        stem = path.name[: -len(path.suffix)] if path.suffix else path.name
        return Job(path, {f: target_dir / f"{stem}{FORMATS[f].suffix}" for f in chosen}, {"pipeline": pipeline})

    summary = plan_and_run(
        episodes, suffixes=INPUT_SUFFIXES, recursive=recursive, plan=plan, convert=convert_job,
        executor=run_on, force=force, quiet=quiet, in_folders=_own_episode,
    )
    raise typer.Exit(summary.exit_code)


main_entry = guarded(app)
