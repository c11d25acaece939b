"""python -m bench [--runs N] [--quick] [--readme]: measure both converters on the samples and
write bench/results.json and bench/results.md (and the README's bench block with --readme)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from episodekit.files import write_atomic

from . import audio_side, executors, text_side, transcript_input
from .measure import ROOT, CommandFailed, load_average, machine, progress
from .report import markdown, replace_block

HERE = Path(__file__).resolve().parent
README = ROOT / "README.md"
# What a failed measurement can raise; it is reported in its row and the bench goes on.
MEASUREMENT_ERRORS = (CommandFailed, subprocess.CalledProcessError, OSError, ValueError, KeyError)


def attempt(identity: dict, measure, *args) -> dict:
    try:
        return measure(*args)
    except MEASUREMENT_ERRORS as exc:
        progress(f"failed: {exc}")
        return {**identity, "error": str(exc)}


def run_bench(runs: int, with_scale: bool) -> dict:
    episodes = audio_side.sample_episodes()
    results = {"date": dt.date.today().isoformat(), "machine": machine(), "runs": runs,
               "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        results["audio2text"] = [
            attempt({"model": model, "episode": audio.stem},
                    audio_side.measure_model_on_episode, model, audio, gold, runs, work)
            for model in audio_side.MODELS for audio, gold in episodes
        ]
        results["text2audio"] = [
            attempt({"engine": engine, "roundup": roundup.name},
                    text_side.measure_engine_on_roundup, engine, roundup, runs, work)
            for engine in text_side.ENGINES for roundup in text_side.sample_roundups()
        ] + [
            attempt({"engine": engine, "roundup": text_side.BRIEF},
                    text_side.measure_engine_on_brief, engine, runs, work)
            for engine in text_side.ENGINES
        ]
        results["round_trip"] = attempt({"roundup": text_side.ROUND_TRIP_ROUNDUP.name,
                                         "engine": text_side.ROUND_TRIP_ENGINE, "model": text_side.ROUND_TRIP_MODEL},
                                        text_side.measure_round_trip, work)
        results["executors"] = attempt({}, executors.measure_executors, runs, work)
        results["transcript_input"] = attempt({}, transcript_input.measure_transcript_input, work, runs)
        if with_scale:
            results["scale"] = attempt({"model": audio_side.SCALE_MODEL}, audio_side.measure_long_episode,
                                       [audio for audio, _ in episodes], work)
    results["load_after"] = load_average()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command; the median is reported")
    parser.add_argument("--quick", action="store_true", help="one run each, and no one-hour episode")
    parser.add_argument("--readme", action="store_true", help="also put the table into README.md's bench block")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.readme and "<!-- bench:start -->" not in README.read_text("utf-8"):
        parser.error("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
    try:
        results = run_bench(1 if args.quick else args.runs, with_scale=not args.quick)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    table = markdown(results)
    write_atomic(HERE / "results.json", json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_atomic(HERE / "results.md", table)
    if args.readme:
        write_atomic(README, replace_block(README.read_text("utf-8"), "bench", table))
    progress(f"wrote {HERE / 'results.md'} and results.json")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
