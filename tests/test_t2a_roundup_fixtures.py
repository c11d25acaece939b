"""Roundups in the shapes real pages come in, each beside what a careful narrator makes of it.

Every ``tests/fixtures/roundups/NAME.*`` file has a ``NAME.expected.json``: the title, the
story titles in order, phrases the script must speak and strings it must never speak.
The fixtures are written for these tests: headline-link lists, code-heavy changelogs with
TOML front matter, text copied from a page with its chrome, an HTML page with navigation,
comments and a language switcher, a bilingual digest, priority-tagged updates with
repeated sub-blocks. A fixture is read by the default finder unless its expected file
names another (``"structure": "learned"``): the layouts of the roundup corpus, which the
hand-written layout rules misread and the learned finder reads right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from text2audio.readers import read_roundup
from text2audio.script import build_script, spoken_title
from text2audio.speech_text import speakable
from text2audio.stories import StoryOptions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "roundups"
CASES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))


def expected(roundup: Path) -> dict:
    return json.loads((FIXTURES / f"{roundup.stem}.expected.json").read_text("utf-8"))


def read(roundup: Path, want: dict):
    return read_roundup(roundup, StoryOptions(structure=want.get("structure", StoryOptions().structure)))


@pytest.mark.parametrize("roundup", CASES, ids=[p.name for p in CASES])
def test_roundup_reads_as_its_author_meant(roundup):
    want = expected(roundup)
    episode = read(roundup, want)
    assert episode.title == want["title"]
    assert [s.title for s in episode.stories] == want["stories"]
    if "date" in want:
        assert episode.date == want["date"]


@pytest.mark.parametrize("roundup", CASES, ids=[p.name for p in CASES])
def test_script_speaks_the_stories_and_nothing_else(roundup):
    want = expected(roundup)
    script = build_script(read(roundup, want))
    spoken = " ".join(s.text for s in script.sentences)
    for phrase in want["spoken"]:
        assert phrase in spoken
    for chrome in want["unspoken"]:
        assert chrome not in spoken
    # Every story is named as it starts, and the intro names the episode's subject.
    for story in script.stories:
        assert spoken_title(story.title) in story.sentences[0].text
    assert speakable(want["title"]).split(":")[0] in script.sections[0].text
