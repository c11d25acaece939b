"""python -m bench.transcript_input: how long audio2text takes to turn a one-hour transcript
(given as input, so no Whisper) into every output format. Target: under 5 s.

The transcript is the sample episodes' scripts (written by the project) repeated to an hour,
as an SRT with a "Name:" prefix where each speaker's turn starts, the way hosts publish them.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

import srt

from .audio_side import EPISODES
from .measure import progress, python_module, timed_run

SECONDS = 3600
WORDS_PER_SECOND = 2.5  # conversational speed, 150 words a minute
CUE_WORDS = 12  # about two subtitle lines
TARGET_S = 5.0
FORMATS = "md,html,json,txt,srt,vtt,chapters"


def sample_turns() -> list[tuple[str, str]]:
    """(speaker, text) of every turn of the sample episodes' scripts, in order."""
    import json

    turns = []
    for gold_path in sorted(EPISODES.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        for section in gold["sections"]:
            for turn in section.get("turns", [section]):
                turns.append((str(turn.get("speaker", "host")).title(), turn["text"]))
    return turns


def write_transcript(target: Path, seconds: float = SECONDS) -> Path:
    """An SRT of ``seconds`` made of the sample turns, repeated."""
    turns, cues, at = sample_turns(), [], 0.0
    while at < seconds:
        for speaker, text in turns:
            words = text.split()
            for i in range(0, len(words), CUE_WORDS):
                piece = " ".join(words[i:i + CUE_WORDS])
                length = len(piece.split()) / WORDS_PER_SECOND
                content = f"{speaker}: {piece}" if i == 0 else piece
                cues.append(srt.Subtitle(len(cues) + 1, dt.timedelta(seconds=at),
                                         dt.timedelta(seconds=at + length), content))
                at += length
            at += 0.4  # the pause between turns
            if at >= seconds:
                break
    target.write_text(srt.compose(cues), "utf-8")
    return target


def measure_transcript_input(work: Path, runs: int = 3) -> dict:
    transcript = write_transcript(work / "one-hour-transcript.srt")
    command = python_module("audio2text", str(transcript), "--format", FORMATS, "--out-dir", str(work / "articles"),
                            "--force", "--quiet")
    walls = [timed_run(f"audio2text on a one-hour transcript, run {i}/{runs}", command, work / "command.log").wall_s
             for i in range(1, runs + 1)]
    return {"transcript_s": SECONDS, "wall_s": [round(w, 2) for w in walls],
            "median_wall_s": round(statistics.median(walls), 2), "target_s": TARGET_S}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-transcript-") as folder:
        result = measure_transcript_input(Path(folder))
    progress(f"median {result['median_wall_s']:.2f} s of {result['wall_s']} (target under {TARGET_S:.0f} s)")
    print(f"audio2text, one-hour transcript as input, every format: {result['median_wall_s']:.2f} s "
          f"(runs {', '.join(f'{w:.2f}' for w in result['wall_s'])}; target under {TARGET_S:.0f} s)")
    return 0 if result["median_wall_s"] < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
