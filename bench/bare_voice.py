"""A text2audio engine alone, speaking every sentence of a script JSON the command wrote,
with no assembly or mastering: the floor the whole text2audio command is compared with.

usage: python -m bench.bare_voice ENGINE SCRIPT_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def script_sentences(script_json: Path) -> list[str]:
    data = json.loads(script_json.read_text("utf-8"))
    return [s["text"] for section in data["sections"] for p in section["paragraphs"] for s in p["sentences"]]


def speak_all(engine: str, script_json: Path) -> None:
    from text2audio.voices import get_voice

    voice = get_voice(engine)
    for sentence in script_sentences(script_json):
        voice.speak(sentence)


if __name__ == "__main__":
    speak_all(sys.argv[1], Path(sys.argv[2]))
