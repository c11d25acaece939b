"""audio2text on real episodes: the corpus's spoken shows scored against their gold structure.

Each episode is transcribed once per model and the transcript kept under .cache/eval (keyed
by the audio's sha256), so that changing the text stages re-scores in seconds. Scores come
from the corpus's own scorer (score_episode.py), run as it is; the baselines beside them are
computed with the corpus's metrics on the same grid:
- no boundaries: the whole episode one section;
- even split: the gold number of sections, evenly spaced (told the count, which flatters it);
- lead-3: each of our sections' first three sentences as its key points.
Then the project's own sample episodes, scored by the bench's metrics (below the mean: they
are written with the cues real shows lack, so they say little about real inputs).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import statistics
import subprocess
import sys
from pathlib import Path

from episodekit.files import write_atomic
from episodekit.integrity import sha256_of
from episodekit.jsonio import episode_to_json
from episodekit.timed_text import to_transcript

from .measure import ROOT

CACHE = ROOT / ".cache" / "eval"
OUT = ROOT / "bench" / "results" / "eval"
MODEL = "tiny.en"


def cached_transcript(audio: Path, model: str = MODEL, glossary: tuple[str, ...] = ()):
    """The transcript of ``audio``, from the cache when this audio, model and glossary made one."""
    from hearing.decode import decode_audio
    from hearing.transcribe import get_transcriber
    from hearing.transcript import Segment, Transcript, Word

    from audio2text.glossary import hotwords

    prompt = hotwords(glossary)
    tag = f".{hashlib.sha256(prompt.encode()).hexdigest()[:8]}" if prompt else ""
    key = f"{audio.stem}.{model}.{sha256_of(audio)[:12]}{tag}.json"
    path = CACHE / key
    if path.is_file():
        raw = json.loads(path.read_text("utf-8"))
        segments = tuple(Segment(**{**s, "words": tuple(Word(**w) for w in s["words"])}) for s in raw.pop("segments"))
        return Transcript(segments=segments, **raw)
    transcriber = get_transcriber(model, hotwords=prompt)
    transcript = transcriber.transcribe(decode_audio(audio))
    CACHE.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(dataclasses.asdict(transcript)))
    return transcript


def _corpus_metrics(corpus: Path):
    sys.path.insert(0, str(corpus.parent))
    import metrics  # the corpus's scoring helpers, used as they are

    return metrics


def score_episode(gold_path: Path, article: dict, work: Path) -> dict:
    """The corpus scorer's figures for one article, plus the baselines on the same grid."""
    corpus = gold_path.parent
    metrics = _corpus_metrics(corpus)
    name = gold_path.name.removesuffix(".gold.json")
    json_path, txt_path = work / f"{name}.json", work / f"{name}.txt"
    figures = json.loads(subprocess.run(
        [sys.executable, str(corpus.parent / "score_episode.py"), str(json_path), str(gold_path), str(txt_path)],
        check=True, capture_output=True, text=True).stdout)
    gold = json.loads(gold_path.read_text("utf-8"))["segments"]
    duration = gold[-1]["end"]
    starts = [s["start"] for s in gold]
    figures["none_pk"] = metrics.seg_scores(starts, [0.0], duration)["pk"]
    even = [duration * i / len(gold) for i in range(len(gold))]
    figures["even_pk"] = metrics.seg_scores(starts, even, duration)["pk"]
    bullets = " ".join(b for s in gold for b in s["bullets"])
    if bullets:
        lead = [s["text"] for sec in article["sections"] if sec["kind"] == "story"
                for s in [s for p in sec["paragraphs"] for s in p["sentences"]][:3]]
        figures["lead3_kp_rouge1"] = metrics.rouge(bullets, " ".join(lead))["rouge1"]
    if not bullets:
        figures.pop("kp_rouge1", None)  # no gold points to score against
    spoken = " ".join(p for s in gold for p in s["paras"])
    figures["spoken_wer"] = metrics.wer(spoken, _spoken(cached_transcript(gold_path.with_suffix("").with_suffix(".mp3"),
                                                                           glossary=_glossary())))
    figures["spoken_wer_no_glossary"] = metrics.wer(spoken, _spoken(cached_transcript(
        gold_path.with_suffix("").with_suffix(".mp3"))))
    figures["gold_intro"] = gold[0]["kind"] == "intro"
    figures["intro_found"] = article["sections"][0]["kind"] == "intro"
    figures["headings"] = [s["title"] for s in article["sections"]]
    return figures


def _glossary() -> tuple[str, ...]:
    from audio2text.glossary import built_in

    return built_in()


def _spoken(transcript) -> str:
    from audio2text.sentences import build_sentences

    return " ".join(s.text for s in build_sentences(transcript))


def ablation(episodes_dir: Path) -> str:
    """Mean corpus Pk with each sectioning rule switched off in turn: what each contributes."""
    from audio2text.boundaries import RULES
    from audio2text.sectioning import SectioningOptions, find_sections
    from audio2text.sentences import build_sentences

    metrics = _corpus_metrics(episodes_dir)
    episodes = []
    for gold_path in sorted(episodes_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))["segments"]
        audio = gold_path.with_name(gold_path.name.replace(".gold.json", ".mp3"))
        episodes.append((gold, build_sentences(cached_transcript(audio, glossary=_glossary()))))
    rows = ["| sectioning rules | mean Pk | Pk per episode | sections (gold) |", "|---|---|---|---|"]
    for off in ("", *RULES):
        options = SectioningOptions().without(off) if off else SectioningOptions()
        pks, counts = [], []
        for gold, sentences in episodes:
            sections = find_sections(sentences, options)
            starts = [part[0].start for _, part in sections]
            pks.append(metrics.seg_scores([g["start"] for g in gold], starts, gold[-1]["end"])["pk"])
            counts.append(f"{len(sections)} ({len(gold)})")
        label = f"without {off} ({RULES[off][1]})" if off else "all rules"
        rows.append(f"| {label} | {statistics.mean(pks):.3f} | {' / '.join(f'{p:.3f}' for p in pks)} "
                    f"| {' / '.join(counts)} |")
    return "\n".join(rows) + "\n"


def convert(audio: Path, work: Path) -> dict:
    """The article the command line makes (with the built-in glossary), written as JSON and text."""
    from audio2text.article import build_article
    from hearing.decode import probe_tags
    from audio2text.glossary import built_in

    transcript = cached_transcript(audio, glossary=built_in())
    episode = build_article(transcript, tags=probe_tags(audio), source=audio.name)
    name = audio.stem
    write_atomic(work / f"{name}.json", episode_to_json(episode))
    write_atomic(work / f"{name}.txt", to_transcript(episode))
    return json.loads(episode_to_json(episode))


def sample_rows() -> list[str]:
    """The project's own sample episodes, scored with the bench's metrics."""
    from .audio_side import article_quality, sample_episodes

    rows = []
    for audio, gold in sample_episodes():
        convert(audio, OUT)
        f = article_quality(OUT / f"{audio.stem}.json", gold)
        rows.append(f"| {audio.stem} (sample) | {f['pk']:.3f} | {f['windowdiff']:.3f} | | {f['even_split']['pk']:.3f} "
                    f"| {f['sections_found']} ({f['sections_gold']}) | | | {f['key_points_rouge']['rouge1']:.3f} "
                    f"| {f['wer']:.1%} | |")
    return rows


def _cell(value, fmt="{:.3f}") -> str:
    return "" if value is None else fmt.format(value)


def main(episodes_dir: Path) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    rows, results = [], []
    for gold_path in sorted(episodes_dir.glob("*.gold.json")):
        audio = gold_path.with_name(gold_path.name.replace(".gold.json", ".mp3"))
        print(f"  {audio.name}", file=sys.stderr, flush=True)
        article = convert(audio, OUT)
        figures = score_episode(gold_path, article, OUT)
        results.append((audio.stem, figures))
    header = ("| episode | Pk | WindowDiff | no boundaries Pk | even split Pk | sections (gold) | intro found "
              "| heading ROUGE-1 | key points ROUGE-1 (lead-3) | WER | WER of the spoken words (without glossary) |")
    rows = [header, "|" + "---|" * 11]
    for name, f in results:
        lead = f" ({_cell(f.get('lead3_kp_rouge1'))})" if "lead3_kp_rouge1" in f else ""
        kp = _cell(f.get("kp_rouge1")) + lead if "lead3_kp_rouge1" in f else "no gold points"
        intro = ("yes" if f["intro_found"] else "no") if f["gold_intro"] else "(none in gold)"
        rows.append(f"| {name} | {f['pk']:.3f} | {f['windowdiff']:.3f} | {f['none_pk']:.3f} | {f['even_pk']:.3f} "
                    f"| {f['hyp_segments']} ({f['ref_segments']}) | {intro} | {_cell(f['title_rouge1'])} | {kp} "
                    f"| {f['wer']:.1%} | {f['spoken_wer']:.1%} ({f['spoken_wer_no_glossary']:.1%}) |")

    def mean(key):
        values = [f[key] for _, f in results if f.get(key) is not None]
        return statistics.mean(values) if values else None

    rows.append(f"| **mean** | **{mean('pk'):.3f}** | {mean('windowdiff'):.3f} | {mean('none_pk'):.3f} "
                f"| {mean('even_pk'):.3f} | | | **{_cell(mean('title_rouge1'))}** | {_cell(mean('kp_rouge1'))} "
                f"| {mean('wer'):.1%} | {mean('spoken_wer'):.1%} ({mean('spoken_wer_no_glossary'):.1%}) |")
    write_atomic(OUT / "episodes.json", json.dumps(dict(results), indent=1))
    return "\n".join(rows + sample_rows()) + "\n\n" + ablation(episodes_dir)
