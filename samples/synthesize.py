"""Make the sample episodes' audio from their gold scripts with the project's own voices.

Each gold file names its speakers' voices; the audio is written beside it as NAME.mp3
(mono, small enough to commit), and the gold file gets each section's start and end time:
the reference the segmentation is scored against. Run with ``make samples``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydub import AudioSegment

from episodekit.files import atomic_path, write_atomic
from episodekit.sentences import split_sentences
from text2audio.voices import get_voice

EPISODES = Path(__file__).resolve().parent / "episodes"
RATE = 22050
SENTENCE_PAUSE_MS = 250
TURN_PAUSE_MS = 450
SECTION_PAUSE_MS = 700
# Which engine speaks each role: one neural host; an interview's guest gets the other voice.
ROLE_ENGINES = {"host": "piper", "guest": "pyttsx3"}


def turns(section: dict) -> list[tuple[str, str]]:
    if "turns" in section:
        return [(t["speaker"], t["text"]) for t in section["turns"]]
    return [(section.get("speaker", "host"), section["text"])]


def synthesize(gold_path: Path) -> Path:
    gold = json.loads(gold_path.read_text("utf-8"))
    voices = {role: get_voice(ROLE_ENGINES[role]) for role in gold.get("voices", ["host"])}
    pieces: list[bytes] = []
    position_ms = 0

    def add(segment: AudioSegment) -> None:
        nonlocal position_ms
        segment = segment.set_frame_rate(RATE).set_channels(1).set_sample_width(2)
        pieces.append(segment.raw_data)
        position_ms += len(segment)

    def pause(ms: int) -> None:
        add(AudioSegment.silent(ms, frame_rate=RATE))

    for index, section in enumerate(gold["sections"]):
        if index:
            pause(SECTION_PAUSE_MS)
        section["start"] = round(position_ms / 1000, 3)
        for turn_index, (speaker, text) in enumerate(turns(section)):
            if turn_index:
                pause(TURN_PAUSE_MS)
            for sentence in split_sentences(text):
                add(voices[speaker].say(sentence))
                pause(SENTENCE_PAUSE_MS)
        section["end"] = round(position_ms / 1000, 3)

    audio = AudioSegment(b"".join(pieces), sample_width=2, frame_rate=RATE, channels=1)
    target = gold_path.with_name(gold_path.name.replace(".gold.json", ".mp3"))
    with atomic_path(target) as tmp:
        audio.export(tmp, format="mp3", bitrate="40k", parameters=["-ac", "1"],
                     tags={"title": gold["title"], "date": gold.get("date", "")})
    write_atomic(gold_path, json.dumps(gold, ensure_ascii=False, indent=2) + "\n")
    print(f"{target}: {len(audio) / 1000:.1f} s", file=sys.stderr)
    return target


if __name__ == "__main__":
    for gold_file in sorted(EPISODES.glob("*.gold.json")):
        synthesize(gold_file)
