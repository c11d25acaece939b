"""text2audio's structure finder: the shipped block classifier, its stages, --script-only."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from episodekit.errors import ModelFileError
from episodekit.learned import load_model
from text2audio.blocks import Block, plain_text_blocks
from text2audio.classify import FEATURES, HEADS, MODELS, block_features, model_file, shipped_model
from text2audio.cleaning import code_lines
from text2audio.drafting import story_title
from text2audio.furniture import RULES
from text2audio.models import PINS
from text2audio.pipeline import Options, episode_name, outputs_for, prepare, script_timings
from text2audio.readers import read_roundup, read_roundup_text
from text2audio.script import parse_script_markdown, render_script_markdown
from text2audio.stories import StoryOptions
from tests.conftest import SAMPLES, run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "roundups"


# --- the shipped model -------------------------------------------------------------------


def test_every_head_loads_and_is_pinned():
    model = shipped_model()
    assert set(PINS) == {model_file(h) for h in model.heads}
    for head in HEADS:
        assert 0.0 < model.threshold(head) < 1.0
    rows = block_features([Block("heading", "Harbor Labs Opens a Garden", level=2),
                           Block("prose", "It opened on Monday to the public.")], plain_text=False)
    assert rows.shape == (2, len(FEATURES))
    chances = model.probabilities(rows, [(b,) for b in range(2)])
    assert all(len(p) == 2 and np.all((p >= 0) & (p <= 1)) for p in chances.values())


def test_a_tampered_model_file_is_refused(tmp_path):
    name = model_file("story")
    copy = tmp_path / name
    shutil.copy(MODELS / name, copy)
    data = json.loads(copy.read_text())
    data["intercept"] += 1.0
    copy.write_text(json.dumps(data))
    load_model.cache_clear()
    with pytest.raises(ModelFileError, match="sha256"):
        load_model(copy, PINS[name], "test copy")


# --- stages ------------------------------------------------------------------------------


@pytest.mark.parametrize("written, title", [
    ("Ada #1: Typed settings", "Typed settings"),
    ("#2 (Ben): A faster diff", "A faster diff"),
    ("3. Quillmate ships sync", "Quillmate ships sync"),
    ("QUILLMATE SHIPS SYNC (4 MINUTE READ) [5]", "QUILLMATE SHIPS SYNC"),
    ("🚀 Launch day", "Launch day"),
    ("2026-03-04 — Veltrix roadmap", "Veltrix roadmap"),
    ("GPT-5 pricing", "GPT-5 pricing"),
])
def test_story_titles_lose_numbers_tags_and_marks(written, title):
    assert story_title(written) == title


def test_code_lines_cover_fences_and_listings_not_prose():
    lines = ["Run it like this:", "```", "x = 1", "", "```", "pip install harbor", "It is quick.", "    --fast"]
    assert code_lines(lines) == [False, True, True, False, True, True, False, False]


def test_plain_text_lines_become_blocks_with_leads_numbers_and_code():
    blocks = plain_text_blocks("Top Stories\n-\nLoomwise open-sources its tokenizer: The company published it.\n"
                               "2. Kestrel releases a dataset\n$ pip install kestrel\nShare on X\n")
    assert [b.kind for b in blocks] == ["prose", "item", "prose", "code"]
    assert blocks[1].lead == "Loomwise open-sources its tokenizer" and blocks[2].numbered


@pytest.mark.parametrize("line, rule", [
    ("Manage your subscriptions | Unsubscribe", "boilerplate"),
    ("Website | LinkedIn | GitHub", "separated_names"),
    ("/r/LocalLLaMA, /r/MachineLearning, /r/OpenAI", "tag_soup"),
    ("Harbor Media, 12 Quay Street, Leith", "postal_address"),
    ("本周的新闻摘要和更新", "other_script"),
])
def test_furniture_rules_name_what_is_never_read(line, rule):
    assert RULES[rule].test(Block("prose", line))


def test_rules_switch_off_by_name():
    assert "page_chrome" not in StoryOptions().without("page_chrome").hard_rules
    with pytest.raises(ValueError, match="unknown"):
        StoryOptions().without("no_such_rule")


def test_a_partly_other_language_story_keeps_its_english_part():
    text = ("# Weekly Notes\n\n## Harbor Labs opens its garden\n\nHarbor Labs opened its model garden on Monday."
            " 海港实验室周一开放了模型花园。\n\n## Quiet week for chips\n\nNothing shipped and prices held.\n")
    episode = read_roundup_text(text, ".md")
    spoken = " ".join(s.text for s in episode.sentences)
    assert "Harbor Labs opened its model garden on Monday." in spoken and "海港" not in spoken


# --- --script-only ---------------------------------------------------------------------


def test_estimated_timings_tile_the_programme_at_the_voice_rate():
    roundup = read_roundup(SAMPLES / "roundups" / "weekly-ai-digest.md")
    script = prepare([roundup], Options())
    slow, fast = script_timings(script, Options(rate=120)), script_timings(script, Options(rate=240))
    assert slow.duration > fast.duration > 0
    sections = slow.sections
    assert sections[0].start == 0 and sections[-1].end == slow.duration
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))
    starts = [s.start for s in slow.sentences]
    assert starts == sorted(starts)


def test_an_edited_script_reads_back_as_written():
    script = prepare([read_roundup(SAMPLES / "roundups" / "weekly-ai-digest.md")], Options())
    edited = render_script_markdown(script).replace("First up:", "To begin:")
    again = parse_script_markdown(edited)
    assert [s.title for s in again.sections] == [s.title for s in script.sections]
    assert again.sections[1].sentences[0].text.startswith("To begin:")
    # Spoken as written: no new intro or transitions are put around it.
    assert prepare([again], Options()).sections == again.sections


def test_script_outputs_never_overwrite_their_input(tmp_path):
    script = tmp_path / "post.script.md"
    assert episode_name(script) == "post"
    outputs = outputs_for(tmp_path / "post.mp3", script_only=True, input_path=script)
    assert set(outputs) == {"chapters", "vtt", "json"}


def test_script_only_writes_the_sidecars_and_no_audio_quickly(tmp_path):
    roundups = sorted((SAMPLES / "roundups").iterdir())
    run = run_cli("text2audio", *roundups, "--out-dir", tmp_path, "--script-only", "--quiet")
    assert run.returncode == 0, run.stderr
    for roundup in roundups:
        for suffix in (".script.md", ".chapters.json", ".vtt", ".json"):
            assert (tmp_path / f"{roundup.stem}{suffix}").stat().st_size > 0
    assert not list(tmp_path.glob("*.mp3"))
    # Once the text stages are loaded, a roundup takes well under a second.
    from text2audio.pipeline import write_script_only

    started = time.perf_counter()
    for roundup in roundups:
        script = prepare([read_roundup(roundup)], Options())
        write_script_only(script, outputs_for(tmp_path / f"again-{roundup.stem}.mp3", script_only=True), Options())
    assert (time.perf_counter() - started) / len(roundups) < 1.0


def test_a_brief_is_one_job_that_a_rerun_skips_until_a_roundup_changes(tmp_path):
    roundups = tmp_path / "roundups"
    shutil.copytree(SAMPLES / "roundups", roundups)
    (roundups / "broken.md").write_bytes(bytes(range(256)) * 8)
    brief = ["text2audio", roundups, "--brief", "--script-only", "--out-dir", tmp_path / "out", "--date", "2026-11-20"]
    first = run_cli(*brief)
    assert first.returncode == 1 and f"{roundups / 'broken.md'}: binary data, not text" in first.stderr
    assert "1 converted, 0 skipped (up to date), 1 failed" in first.stderr
    script = tmp_path / "out" / "brief-2026-11-20.script.md"
    assert script.stat().st_size > 0
    assert "0 converted, 1 skipped (up to date), 1 failed" in run_cli(*brief).stderr
    edited = roundups / "weekly-ai-digest.md"
    edited.write_text(edited.read_text() + "\n## Harbour cranes learn to wait\n\nA port taught its cranes to "
                      "pause for gulls, and the unloading got faster.\n")
    assert "1 converted, 0 skipped (up to date), 1 failed" in run_cli(*brief).stderr
    assert "Harbour cranes" in script.read_text()


def test_script_only_refuses_verify_and_feed(tmp_path):
    roundup = SAMPLES / "roundups" / "weekly-ai-digest.md"
    run = run_cli("text2audio", roundup, "--out-dir", tmp_path, "--script-only", "--verify")
    assert run.returncode == 2 and "--script-only" in run.stderr


@pytest.mark.slow
def test_an_edited_script_is_spoken_as_written(tmp_path):
    roundup = tmp_path / "digest.md"
    shutil.copy(SAMPLES / "roundups" / "weekly-ai-digest.md", roundup)
    first = run_cli("text2audio", roundup, "--script-only", "--quiet")
    assert first.returncode == 0, first.stderr
    script = tmp_path / "digest.script.md"
    script.write_text(script.read_text().replace("First up:", "To begin:"))
    spoken = run_cli("text2audio", script, "--engine", "pyttsx3", "--quiet")
    assert spoken.returncode == 0, spoken.stderr
    assert (tmp_path / "digest.mp3").stat().st_size > 50_000
    assert "To begin:" in (tmp_path / "digest.vtt").read_text()
    assert "To begin:" in script.read_text()  # the edited script is read, never written over


# --- --structure: which finder reads the roundup ------------------------------------------


def test_structure_finders_come_from_one_registry():
    from text2audio.stories import STRUCTURES, episode_from_document
    from text2audio.readers import read_document

    assert set(STRUCTURES) == {"auto", "layout", "learned"} and StoryOptions().structure == "auto"
    document = read_document((FIXTURES / "host-show-notes.md").read_text("utf-8"), ".md")
    with pytest.raises(ValueError, match="auto, layout, learned"):
        episode_from_document(document, StoryOptions(structure="no_such_finder"))


def test_each_finder_reads_the_layout_it_is_good_at():
    # The hand-written rules read a page's "Top stories" and "Quick hits" groups; the learned
    # finder reads a show's notes with numbered host headings and closing extras.
    quick_hits = SAMPLES / "roundups" / "top-stories-quick-hits.txt"
    gold = json.loads((SAMPLES / "roundups-gold" / "top-stories-quick-hits.stories.json").read_text("utf-8"))
    by_layout = read_roundup(quick_hits, StoryOptions(structure="layout"))
    assert [s.title for s in by_layout.stories] == gold["stories"]
    assert len(read_roundup(quick_hits, StoryOptions(structure="learned")).stories) < len(gold["stories"])
    notes = FIXTURES / "host-show-notes.md"
    want = json.loads((FIXTURES / "host-show-notes.expected.json").read_text("utf-8"))["stories"]
    assert [s.title for s in read_roundup(notes, StoryOptions(structure="learned")).stories] == want
    assert [s.title for s in read_roundup(notes, StoryOptions(structure="layout")).stories] != want


def _episode(*kinds: str):
    from episodekit.model import Episode, Section

    return Episode(title="Harbour Weekly", sections=tuple(Section(id=f"s{i}", title=f"Part {i}", kind=kind)
                                                          for i, kind in enumerate(kinds)))


def test_auto_keeps_the_layout_reading_unless_it_finds_no_structure():
    from text2audio.stories import either_reading

    options = StoryOptions()
    one, two, three = _episode("story"), _episode("intro", "story", "story"), _episode("story", "story", "story")
    assert either_reading(two, three, options) is two  # the layout found stories: kept
    assert either_reading(one, three, options) is three  # one story is no structure: the classifier's
    assert either_reading(one, _episode("intro", "story"), options) is one  # no better: kept
    assert either_reading(one, three, StoryOptions(fewest_layout_stories=1)) is one


def test_auto_reads_the_samples_as_the_layout_rules_do():
    for roundup in sorted((SAMPLES / "roundups").iterdir()):
        titles = [[s.title for s in read_roundup(roundup, StoryOptions(structure=k)).stories]
                  for k in ("auto", "layout")]
        assert titles[0] == titles[1], roundup.name


def test_the_likeliest_form_starts_the_stories_the_classifier_is_unsure_of():
    import numpy as np

    from text2audio.blocks import Block
    from text2audio.structure import likeliest_form_starts

    blocks = [Block("prose", "Harbour Weekly"), Block("prose", "Cranes learn to wait"),
              Block("prose", "A long body " * 8), Block("prose", "Ferry moves to the evening"),
              Block("prose", "Another long body " * 8)]
    # In copied text every block is prose: the short lines without a stop are a form of their own.
    chances = np.array([0.0, 0.4, 0.01, 0.35, 0.01])
    assert likeliest_form_starts(blocks, chances, 0, floor=0.3) == {1, 3}
    assert likeliest_form_starts(blocks, chances, 0, floor=0.5) == set()
    headed = [Block("heading", "Cranes learn to wait", level=2), Block("prose", "A long body " * 8),
              Block("heading", "Ferry moves to the evening", level=2), Block("prose", "Another body " * 8)]
    assert likeliest_form_starts(headed, np.array([0.3, 0.0, 0.3, 0.0]), None, floor=0.2) == {0, 2}


def test_structure_option_picks_the_finder_and_refuses_an_unknown_one(tmp_path):
    notes = FIXTURES / "host-show-notes.md"
    run = run_cli("text2audio", notes, "--out-dir", tmp_path, "--script-only", "--structure", "learned", "--quiet")
    assert run.returncode == 0, run.stderr
    sections = json.loads((tmp_path / "host-show-notes.json").read_text("utf-8"))["sections"]
    want = json.loads((FIXTURES / "host-show-notes.expected.json").read_text("utf-8"))["stories"]
    assert [s["title"] for s in sections if s["kind"] == "story"] == want
    bad = run_cli("text2audio", notes, "--out-dir", tmp_path, "--script-only", "--structure", "guess")
    assert bad.returncode == 2 and "--structure" in bad.stderr and "auto, layout, learned" in bad.stderr
    assert "Traceback" not in bad.stderr
