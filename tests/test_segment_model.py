"""The segment model's JSON and Markdown forms: round trips and field-naming errors."""

import datetime
import json
import re

import frontmatter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from episodekit.errors import ConversionError
from episodekit.jsonio import episode_from_json, episode_to_json
from episodekit.markdown import parse_markdown, render_markdown
from episodekit.model import Episode, KeyPoint, Link, Paragraph, Section, Sentence

word = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=9)
punct_word = st.tuples(word, st.sampled_from(["", ",", ";", ":", "*", "#", "_", "[", "]", "`", "-", "&"])).map("".join)
phrase = st.lists(punct_word, min_size=1, max_size=8).map(" ".join)
sentence_text = st.tuples(phrase, st.sampled_from([".", "!", "?"])).map("".join)
seconds = st.one_of(st.none(), st.floats(min_value=0, max_value=36_000, allow_nan=False).map(lambda x: round(x, 3)))


@st.composite
def sentences(draw):
    return Sentence(draw(sentence_text), draw(seconds), draw(seconds), draw(st.one_of(st.none(), word)))


@st.composite
def sections(draw, index=0):
    return Section(
        id=f"s{draw(st.integers(0, 10**6))}",
        title=draw(phrase),
        kind=draw(st.sampled_from(["intro", "story", "outro"])),
        start=draw(seconds),
        end=draw(seconds),
        paragraphs=tuple(Paragraph(tuple(draw(st.lists(sentences(), min_size=1, max_size=4))))
                         for _ in range(draw(st.integers(0, 3)))),
        key_points=tuple(KeyPoint(draw(sentence_text), draw(st.one_of(st.none(), phrase)))
                         for _ in range(draw(st.integers(0, 3)))),
        links=tuple(Link(draw(phrase), f"https://example.org/{draw(word)}") for _ in range(draw(st.integers(0, 2)))),
        sources=tuple(draw(st.lists(word, max_size=2))),
    )


@st.composite
def episodes(draw):
    return Episode(
        title=draw(phrase),
        sections=tuple(draw(st.lists(sections(), max_size=5))),
        date=draw(st.one_of(st.none(), st.dates().map(str))),
        language=draw(st.sampled_from(["en", "de"])),
        source=draw(st.one_of(st.none(), word.map(lambda w: w + ".mp3"))),
        duration=draw(seconds),
        metadata=draw(st.dictionaries(st.sampled_from(["model", "engine"]), word, max_size=2)),
    )


@settings(max_examples=100, deadline=None)
@given(episodes())
def test_json_round_trip_is_exact(episode):
    assert episode_from_json(episode_to_json(episode)) == episode


@settings(max_examples=100, deadline=None)
@given(episodes(), st.booleans())
def test_markdown_model_markdown_is_stable(episode, timestamps):
    first = render_markdown(episode, timestamps=timestamps)
    again = render_markdown(parse_markdown(first), timestamps=timestamps)
    assert again == first


def test_markdown_keeps_key_points_links_and_front_matter():
    episode = Episode(
        "Chips and *models*",
        (Section("a", "Hook", kind="intro", start=0.0, paragraphs=(Paragraph.of("Good morning."),)),
         Section("b", "A new chip", start=62.0, paragraphs=(Paragraph.of("It is fast.", "It ships in May."),),
                 key_points=(KeyPoint("Ships in May.", label="Release"), KeyPoint("Twice as fast.")),
                 links=(Link("The launch post", "https://example.org/post"),)),
         Section("c", "Goodbye", paragraphs=(Paragraph.of("See you tomorrow."),))),
        date="2026-11-20", duration=754.0, metadata={"model": "tiny.en"},
    )
    text = render_markdown(episode, timestamps=True, audio_url="https://example.org/ep/chips.mp3")
    # What a site generator reads: YAML front matter, and a body without the title as a heading.
    post = frontmatter.loads(text)
    assert post.metadata == {
        "title": "Chips and *models*", "date": datetime.date(2026, 11, 20),
        "description": "Stories in this episode: A new chip; Goodbye.", "tags": ["Release"],
        "audio": "https://example.org/ep/chips.mp3", "duration": "00:12:34", "language": "en", "model": "tiny.en",
    }
    assert not re.search(r"^# ", post.content, re.M) and post.content.startswith("## [0:00] Hook")
    assert "## [1:02] A new chip" in text
    assert "> - **Release:** Ships in May." in text
    back = parse_markdown(text)
    assert back.title == episode.title and back.date == "2026-11-20" and back.duration == 754.0
    assert back.metadata == {"model": "tiny.en", "description": "Stories in this episode: A new chip; Goodbye.",
                             "tags": ["Release"], "audio": "https://example.org/ep/chips.mp3"}
    assert render_markdown(back, timestamps=True) == text
    assert [s.kind for s in back.sections] == ["intro", "story", "outro"]
    assert back.sections[1].key_points == episode.sections[1].key_points
    assert back.sections[1].links == episode.sections[1].links
    assert back.sections[1].start == 62.0
    assert [s.text for s in back.sections[1].sentences] == ["It is fast.", "It ships in May."]


def test_json_top_level_shape():
    episode = Episode("T", (Section("a", "A", key_points=(KeyPoint("x", label="L"),)),))
    data = json.loads(episode_to_json(episode))
    assert data["schema"] == "episodekit/1"
    assert data["title"] == "T"
    section = data["sections"][0]
    assert section["title"] == "A" and section["start"] is None and section["end"] is None
    assert section["key_points"] == [{"label": "L", "text": "x"}]


@pytest.mark.parametrize("doc, field", [
    ({"sections": []}, "field title is missing"),
    ({"title": "x"}, "field sections is missing"),
    ({"title": "x", "sections": [{"title": 3, "start": 0, "end": 1, "key_points": []}]},
     "field sections[0].title should be a string"),
    ({"title": "x", "sections": [{"title": "a", "start": "soon", "end": 1, "key_points": []}]},
     "field sections[0].start should be a number"),
    ({"title": "x", "sections": [{"title": "a", "start": 0, "key_points": []}]}, "field sections[0].end is missing"),
    ({"title": "x", "sections": [{"title": "a", "start": 0, "end": 1, "key_points": [{"label": "L"}]}]},
     "field sections[0].key_points[0].text is missing"),
    ([1, 2], "field top level is not an object"),
])
def test_json_misfit_names_the_field(doc, field):
    with pytest.raises(ConversionError) as err:
        episode_from_json(json.dumps(doc), "episode.json")
    assert str(err.value).startswith("episode.json: not a segment-model JSON")
    assert field in str(err.value)


def test_json_that_is_not_json():
    with pytest.raises(ConversionError, match="not valid JSON"):
        episode_from_json("{nope", "x.json")


def test_a_capital_letter_and_full_stop_ends_a_sentence_before_a_sentence_opener():
    from episodekit.sentences import split_sentences

    assert split_sentences("We raised a series A. Did it come with strings? Dr. J. Chen said no.") == [
        "We raised a series A.", "Did it come with strings?", "Dr. J. Chen said no.",
    ]
    assert split_sentences("John F. Kennedy spoke in the U.S. capital.") == [
        "John F. Kennedy spoke in the U.S. capital.",
    ]
