"""audio2text on the sample episodes: speed against bare faster-whisper, and segmentation,
key points and word error rate against the gold files; then one long episode."""

from __future__ import annotations

import json
from pathlib import Path

from .audio_files import concatenate_to_length, duration_s
from .measure import BIN, ROOT, progress, python_module, timed_run, whole_and_bare
from .metrics import (TimedSection, TimedSentence, even_split_baseline, key_point_scores, segmentation_scores,
                      texttiling_baseline, word_error_rate)

EPISODES = ROOT / "samples" / "episodes"
MODELS = ("tiny.en", "base")
SCALE_MODEL = "tiny.en"
SCALE_SECONDS = 3600


def sample_episodes() -> list[tuple[Path, dict]]:
    """(audio, gold) for each sample episode; the gold must carry the times synthesis wrote."""
    episodes = []
    for gold_path in sorted(EPISODES.glob("*.gold.json")):
        audio = gold_path.with_name(gold_path.name.replace(".gold.json", ".mp3"))
        gold = json.loads(gold_path.read_text("utf-8"))
        if not audio.is_file() or any("start" not in s for s in gold["sections"]):
            raise FileNotFoundError(f"{audio} or the times in {gold_path.name} are missing; run: make samples")
        episodes.append((audio, gold))
    return episodes


def gold_sections(gold: dict) -> list[TimedSection]:
    return [TimedSection(s["title"], s["kind"], s["start"], s["end"], tuple(k["text"] for k in s.get("key_points", ())))
            for s in gold["sections"]]


def gold_text(gold: dict) -> str:
    turns = [t["text"] for s in gold["sections"] for t in s.get("turns", [s])]
    return " ".join(turns)


def article_sentences_and_sections(article: dict) -> tuple[list[TimedSentence], list[TimedSection]]:
    """An audio2text JSON as timed sentences labelled by their section, and its sections."""
    sentences, sections = [], []
    for index, section in enumerate(article["sections"]):
        sections.append(TimedSection(section["title"], section["kind"], section["start"], section["end"],
                                     tuple(k["text"] for k in section["key_points"])))
        sentences += [TimedSentence(s["text"], s["start"], s["end"], index)
                      for p in section["paragraphs"] for s in p["sentences"]]
    return sentences, sections


def article_text(article: dict) -> str:
    sentences, _ = article_sentences_and_sections(article)
    return " ".join(s.text for s in sentences)


def segmentation_quality(sentences: list[TimedSentence], gold: list[TimedSection]) -> dict:
    """The article's sections and two baselines on the same transcript sentences; the even
    split is told the gold section count, which flatters it."""
    pk, windowdiff = segmentation_scores(sentences, gold)
    even_pk, even_windowdiff = segmentation_scores(even_split_baseline(sentences, len(gold)), gold)
    tiled, one_segment = texttiling_baseline(sentences)
    tiled_pk, tiled_windowdiff = segmentation_scores(tiled, gold)
    return {
        "pk": pk, "windowdiff": windowdiff,
        "even_split": {"pk": even_pk, "windowdiff": even_windowdiff},
        "texttiling": {"pk": tiled_pk, "windowdiff": tiled_windowdiff, "one_segment_fallback": one_segment},
    }


def article_quality(article_json: Path, gold: dict) -> dict:
    article = json.loads(article_json.read_text("utf-8"))
    sentences, sections = article_sentences_and_sections(article)
    reference = gold_sections(gold)
    return {
        "sections_found": len(sections), "sections_gold": len(reference),
        **segmentation_quality(sentences, reference),
        "key_points_rouge": key_point_scores(sections, reference),
        "wer": word_error_rate(gold_text(gold), article_text(article)),
    }


def audio2text_command(audio: Path, target: Path, model: str) -> list[str]:
    return [str(BIN / "audio2text"), str(audio), "-o", str(target), "--model", model, "--force", "--quiet"]


def measure_model_on_episode(model: str, audio: Path, gold: dict, runs: int, work: Path) -> dict:
    from audio2text.glossary import built_in, hotwords
    from hearing.models import resolve_model

    # Resolved here, before any timing: checks the files and builds base's cache once.
    choice = resolve_model(model)
    target = work / f"{audio.stem}.{model}.json"
    bare = python_module("bench.bare_whisper", str(choice.path), "en" if choice.english_only else "-", str(audio),
                         hotwords(built_in()))
    whole, bare = whole_and_bare(f"audio2text --model {model} {audio.name}", audio2text_command(audio, target, model),
                                 bare, runs, work / "command.log")
    seconds = duration_s(audio)
    return {
        "model": model, "episode": audio.stem, "audio_s": round(seconds, 1), "whole": whole, "bare": bare,
        "real_time_factor": seconds / whole["median_wall_s"],
        "whole_over_bare": whole["median_wall_s"] / bare["median_wall_s"],
        **article_quality(target, gold),
    }


def measure_long_episode(sources: list[Path], work: Path) -> dict:
    """One hour of audio made by repeating the samples: how time and memory scale."""
    progress(f"building a {SCALE_SECONDS // 60}-minute episode from the samples")
    long_episode = concatenate_to_length(sources, SCALE_SECONDS, work / "one-hour.mp3")
    seconds = duration_s(long_episode)
    run = timed_run(f"audio2text --model {SCALE_MODEL} on {seconds / 60:.0f} minutes",
                    audio2text_command(long_episode, work / "one-hour.json", SCALE_MODEL), work / "command.log")
    return {"model": SCALE_MODEL, "audio_s": round(seconds, 1), "wall_s": round(run.wall_s, 1),
            "real_time_factor": seconds / run.wall_s, "peak_rss_mib": round(run.peak_rss_mib)}
