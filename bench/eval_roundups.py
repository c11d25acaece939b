"""make eval, roundup side: every real roundup made into an episode and scored against its gold.

Each roundup goes through the real text stages and the real pyttsx3 voice (the fastest
engine: a 4-minute script is spoken in about a second); mastering is skipped, since the
scorer reads only the segment-model JSON and the WebVTT transcript, which are written the
way the pipeline writes them. The corpus brings its own scorer (``score_roundup.py``); it
is imported from the corpus folder, so the figures are the corpus's, not ours.
"""

from __future__ import annotations

import importlib.util
import tempfile
from dataclasses import replace
from pathlib import Path

from episodekit.jsonio import episode_to_json
from episodekit.timed_text import to_vtt

GOLD_SUFFIX = ".gold.json"
ENGINE = "pyttsx3"


def _scorer(corpus_roundups: Path):
    path = corpus_roundups.parent / "score_roundup.py"
    spec = importlib.util.spec_from_file_location("score_roundup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def roundup_files(roundups_dir: Path) -> list[tuple[Path, Path]]:
    """(roundup, gold) pairs: every file beside a ``NAME.gold.json``."""
    pairs = []
    for gold in sorted(roundups_dir.glob(f"*{GOLD_SUFFIX}")):
        name = gold.name[: -len(GOLD_SUFFIX)]
        inputs = [p for p in roundups_dir.glob(f"{name}.*") if p != gold]
        if inputs:
            pairs.append((inputs[0], gold))
    return pairs


def episode_files(roundup: Path, work: Path, voice) -> tuple[Path, Path]:
    """NAME.json and NAME.vtt for one roundup, as text2audio writes them beside NAME.mp3."""
    from text2audio.assembly import assemble
    from text2audio.pipeline import Options, prepare
    from text2audio.readers import read_roundup

    script = prepare([read_roundup(roundup)], Options(engine=ENGINE))
    audio, timed = assemble(script, voice)
    timed = replace(timed, duration=len(audio) / 1000.0)
    json_path, vtt_path = work / f"{roundup.stem}.json", work / f"{roundup.stem}.vtt"
    json_path.write_text(episode_to_json(timed), "utf-8")
    vtt_path.write_text(to_vtt(timed), "utf-8")
    return json_path, vtt_path


def score_all(roundups_dir: Path) -> list[dict]:
    from text2audio.voices import get_voice

    scorer = _scorer(roundups_dir)
    voice = get_voice(ENGINE)
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for roundup, gold in roundup_files(roundups_dir):
            json_path, vtt_path = episode_files(roundup, Path(tmp), voice)
            scores.append({"roundup": roundup.name, **scorer.main(str(gold), str(json_path), str(vtt_path))})
    return scores


def in_bounds(score: dict) -> bool:
    """Story sections between 0.8x and 1.25x + 1 of the gold count."""
    gold = score["stories_gold"]
    return 0.8 * gold <= score["story_sections"] <= 1.25 * gold + 1


def table(scores: list[dict]) -> str:
    rows = [
        "| roundup | gold stories found | story sections (gold) | must_say spoken | forbidden spoken "
        "| URLs / code lines spoken | title ok |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        forbidden = ", ".join(f"`{f}`" for f in s["forbidden_spoken"][:3])
        more = len(s["forbidden_spoken"]) - 3
        forbidden += f" +{more}" if more > 0 else ""
        rows.append(
            f"| {s['roundup']} | {s['stories_found']}/{s['stories_gold']} "
            f"| {s['story_sections']} ({s['stories_gold']}){'' if in_bounds(s) else ' ✗'} "
            f"| {s['stories_covered']}/{s['stories_gold']} | {len(s['forbidden_spoken'])} {forbidden} "
            f"| {s['urls_spoken']} / {s['code_like_spoken']} "
            f"| {'✓' if s['title_ok'] else '✗ ' + s['episode_title']} |"
        )
    if scores:
        gold = sum(s["stories_gold"] for s in scores)
        found = sum(s["stories_found"] for s in scores)
        covered = sum(s["stories_covered"] for s in scores)
        rows.append(
            f"| **all {len(scores)}** | {found}/{gold} ({found / gold:.0%}) "
            f"| {sum(in_bounds(s) for s in scores)}/{len(scores)} in bounds "
            f"| {covered}/{gold} ({covered / gold:.0%}) | {sum(len(s['forbidden_spoken']) for s in scores)} "
            f"| {sum(s['urls_spoken'] for s in scores)} / {sum(s['code_like_spoken'] for s in scores)} "
            f"| {sum(s['title_ok'] for s in scores)}/{len(scores)} |"
        )
    return "\n".join(rows)


def main(roundups_dir: Path) -> str:
    return table(score_all(Path(roundups_dir)))
