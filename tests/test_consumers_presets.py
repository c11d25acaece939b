"""The front-matter presets, as pure functions: what each writes for its site generator, and
that Markdown -> model -> Markdown is stable with every one (the generators themselves build
these files in test_consumers.py)."""

import datetime

import frontmatter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.markdown import FRONT_MATTER, parse_markdown, render_markdown
from tests.conftest import run_cli
from tests.test_consumers import ARTICLE, AUDIO_URL
from tests.test_segment_model import episodes

TAGS = ["The Workshop Hour", "Corvid", "Tidewater"]  # the show's name and the key points' labels



@settings(max_examples=60, deadline=None)
@given(episodes(), st.booleans(), st.sampled_from(sorted(FRONT_MATTER)))
def test_markdown_model_markdown_is_stable_with_every_preset(episode, timestamps, preset):
    first = render_markdown(episode, timestamps=timestamps, front_matter=preset)
    again = render_markdown(parse_markdown(first), timestamps=timestamps, front_matter=preset)
    assert again == first


def _render(preset):
    return render_markdown(ARTICLE, audio_url=AUDIO_URL, front_matter=preset)


def test_hugo_the_default_reads_yaml_and_prints_the_title_itself():
    text = _render("hugo")
    assert text == render_markdown(ARTICLE, audio_url=AUDIO_URL)
    post = frontmatter.loads(text)
    assert post.metadata["title"] == ARTICLE.title and post.metadata["date"] == datetime.date(2026, 11, 20)
    assert post.metadata["tags"] == TAGS and post.metadata["audio"] == AUDIO_URL
    assert post.content.startswith("## Welcome")


def test_jekyll_gets_the_post_layout_that_shows_title_and_date():
    post = frontmatter.loads(_render("jekyll"))
    assert post.metadata["layout"] == "post" and post.content.startswith("## Welcome")


def test_pelican_gets_its_own_header_and_nothing_in_the_body():
    header, body = _render("pelican").split("\n\n", 1)
    assert header.splitlines() == [
        f"Title: {ARTICLE.title}", "Date: 2026-11-20", f"Summary: {ARTICLE.description}", f"Tags: {', '.join(TAGS)}",
        f"Audio: {AUDIO_URL}", "Duration: 00:02:30", "Source: workshop-hour.mp3", "Language: en", "Model: tiny.en"]
    assert body.startswith("## Welcome") and "---" not in body and "Audio" not in body
    back = parse_markdown(_render("pelican"))
    assert (back.title, back.date, back.metadata["tags"]) == (ARTICLE.title, "2026-11-20", TAGS)
    assert back.metadata["description"] == ARTICLE.description


def test_a_comma_in_a_tag_does_not_split_it_for_pelican():
    from dataclasses import replace

    tagged = replace(ARTICLE, metadata={"tags": ["Wilmore, Inc", "Chips"]})
    assert "Tags: Wilmore Inc, Chips" in render_markdown(tagged, front_matter="pelican")


def test_mkdocs_gets_the_title_heading_and_a_line_with_date_and_tags():
    post = frontmatter.loads(_render("mkdocs"))
    assert post.metadata["title"] == ARTICLE.title
    assert post.content.startswith(f"# {ARTICLE.title}\n\n2026-11-20 · Tags: {', '.join(TAGS)}\n\n## Welcome")
    back = parse_markdown(_render("mkdocs"))
    assert back.title == ARTICLE.title and [s.title for s in back.sections] == [s.title for s in ARTICLE.sections]
    assert back.sections[0].text == ARTICLE.sections[0].text  # the date line is not a paragraph


@pytest.mark.parametrize("preset", sorted(FRONT_MATTER))
def test_every_preset_keeps_the_sections_and_key_points(preset):
    back = parse_markdown(_render(preset))
    assert [s.key_points for s in back.sections] == [s.key_points for s in ARTICLE.sections]


def test_an_unknown_preset_is_a_usage_error_naming_the_presets(tmp_path):
    run = run_cli("audio2text", tmp_path / "missing.mp3", "--front-matter", "wordpress")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert all(name in run.stderr for name in FRONT_MATTER)
