"""text2audio on the sample roundups: speed against the bare engine, loudness, the stories
the script kept; and a round trip back through audio2text."""

from __future__ import annotations

import json
from pathlib import Path

from .audio_files import duration_s, loudness
from .audio_side import article_text, audio2text_command
from .measure import BIN, ROOT, python_module, timed_run, whole_and_bare
from .metrics import stories_found, word_error_rate

ROUNDUPS = ROOT / "samples" / "roundups"
ENGINES = ("pyttsx3", "piper")
ROUND_TRIP_ENGINE = "piper"
ROUND_TRIP_MODEL = "tiny.en"
ROUND_TRIP_ROUNDUP = ROUNDUPS / "weekly-ai-digest.md"


def gold_titles(roundup: Path) -> list[str]:
    gold = ROOT / "samples" / "roundups-gold" / f"{roundup.stem}.stories.json"
    return json.loads(gold.read_text("utf-8"))["stories"]


def sample_roundups() -> list[Path]:
    return sorted(p for p in ROUNDUPS.iterdir() if p.is_file())


def story_titles(episode: dict) -> list[str]:
    return [s["title"] for s in episode["sections"] if s["kind"] == "story"]


BRIEF = "daily brief of all roundups"


def text2audio_command(roundups: list[Path], target: Path, engine: str) -> list[str]:
    brief = ["--brief"] if len(roundups) > 1 else []
    return [str(BIN / "text2audio"), *map(str, roundups), *brief, "-o", str(target), "--engine", engine,
            "--force", "--quiet"]


def measure_engine_on_roundup(engine: str, roundup: Path, runs: int, work: Path) -> dict:
    """One roundup: speed, loudness and the stories the script kept against the gold list."""
    result = measure_engine(engine, [roundup], roundup.name, runs, work)
    titles = story_titles(json.loads((work / f"{roundup.stem}.{engine}.json").read_text("utf-8")))
    gold = gold_titles(roundup)
    return {**result, "stories_found": stories_found(titles, gold), "stories_gold": len(gold),
            "stories_in_script": len(titles)}


def measure_engine_on_brief(engine: str, runs: int, work: Path) -> dict:
    """All roundups merged into one longer episode, where fixed costs weigh less."""
    return measure_engine(engine, sample_roundups(), BRIEF, runs, work)


def measure_engine(engine: str, roundups: list[Path], label: str, runs: int, work: Path) -> dict:
    target = work / f"{roundups[0].stem if len(roundups) == 1 else 'brief'}.{engine}.mp3"
    script_json = target.with_suffix(".json")
    whole, bare = whole_and_bare(f"text2audio --engine {engine} {label}",
                                 text2audio_command(roundups, target, engine),
                                 python_module("bench.bare_voice", engine, str(script_json)),
                                 runs, work / "command.log")
    seconds = duration_s(target)
    lufs, true_peak = loudness(target)
    return {
        "engine": engine, "roundup": label, "audio_s": round(seconds, 1), "whole": whole, "bare": bare,
        "real_time_factor": seconds / whole["median_wall_s"],
        "bare_over_whole": bare["median_wall_s"] / whole["median_wall_s"],
        "loudness_lufs": lufs, "true_peak_dbtp": true_peak,
    }


def measure_round_trip(work: Path) -> dict:
    """A roundup spoken by text2audio and heard again by audio2text: do the stories and the
    words survive?"""
    spoken = work / "round-trip.mp3"
    heard = work / "round-trip.article.json"
    log = work / "command.log"
    timed_run(f"round trip: text2audio --engine {ROUND_TRIP_ENGINE} {ROUND_TRIP_ROUNDUP.name}",
              text2audio_command([ROUND_TRIP_ROUNDUP], spoken, ROUND_TRIP_ENGINE), log)
    timed_run(f"round trip: audio2text --model {ROUND_TRIP_MODEL}",
              audio2text_command(spoken, heard, ROUND_TRIP_MODEL), log)
    script = json.loads(spoken.with_suffix(".json").read_text("utf-8"))
    article = json.loads(heard.read_text("utf-8"))
    return {
        "roundup": ROUND_TRIP_ROUNDUP.name, "engine": ROUND_TRIP_ENGINE, "model": ROUND_TRIP_MODEL,
        "script_stories": len(story_titles(script)), "recovered_stories": len(story_titles(article)),
        "wer": word_error_rate(article_text(script), article_text(article)),
    }
