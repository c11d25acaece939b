"""The pure text stages of audio2text, on transcripts built here word by word."""

from __future__ import annotations

import re

import pytest

from audio2text.article import build_article
from audio2text.keypoints import FILLERS, clean_sentence, key_points
from audio2text.paragraphs import group_paragraphs
from audio2text.sectioning import find_sections
from audio2text.spoken_cues import cue_strength, strip_cue
from audio2text.sentences import build_sentences
from audio2text.titles import episode_title, spoken_date
from episodekit.model import Paragraph, Section, Sentence
from hearing.transcript import Segment, Transcript, Word

WORD_SECONDS = 0.35


def transcript(parts: list[tuple[str, float]], *, lower: bool = False) -> Transcript:
    """One segment per (text, pause after it); every word takes the same time."""
    segments, clock = [], 0.0
    for text, pause in parts:
        if lower:
            text = re.sub(r"[.,?!]", "", text.lower())
        words = []
        for token in text.split():
            words.append(Word(" " + token, clock, clock + WORD_SECONDS))
            clock += WORD_SECONDS
        segments.append(Segment(text, words[0].start, words[-1].end, tuple(words)))
        clock += pause
    return Transcript(tuple(segments), "en", clock, "tiny.en")


INTRO = [
    "Good morning and welcome to the Morning Circuit, it is Friday, March 6th, 2026.",
    "We have three stories for you today, so let's get started.",
]
STORIES = [
    [
        "First up, Quarrel Systems has raised forty million dollars in a Series B round.",
        "The round was led by Tallow Ventures and values Quarrel at three hundred million dollars.",
        "Quarrel makes software that checks invoices for fraud at large retailers.",
        "The company says it will hire sixty engineers in Lisbon next year.",
        "Quarrel now serves two hundred retailers in nine countries.",
    ],
    [
        "Meanwhile, the city of Brannock has banned delivery drones over its old town.",
        "The council voted eleven to two after residents complained about noise at night.",
        "Drone operators such as Skylet must now land outside the old town walls.",
        "Skylet said the ban would add ten minutes to most deliveries in Brannock.",
        "The rule takes effect on the first of May.",
    ],
    [
        "Turning to research, scientists at Pelham University trained a model to read bird songs.",
        "The model told apart forty species of finch from recordings made in the wild.",
        "It was right ninety two percent of the time on recordings it had never heard.",
        "The Pelham team plans to publish the recordings for other researchers.",
        "Birdwatchers have already used the Pelham app to log a rare finch.",
    ],
]
OUTRO = [
    "That's all for today.",
    "Thanks for listening, and see you tomorrow.",
]


def show(*, lower: bool = False) -> Transcript:
    """A daily brief at a newsreader's length: each story's body is told twice over, so a
    story runs about a minute, as real briefs' stories do."""
    parts = [(s, 0.3) for s in INTRO]
    for story in STORIES:
        told = story + story[1:]
        parts += [(s, 0.3) for s in told[:-1]] + [(told[-1], 0.9)]
    parts += [(s, 0.3) for s in OUTRO]
    return transcript(parts, lower=lower)


def test_punctuated_words_become_timed_sentences():
    sentences = build_sentences(transcript([("Hello there. Dr. Chen joined us today.", 0.3)]))
    assert [s.text for s in sentences] == ["Hello there.", "Dr. Chen joined us today."]
    assert sentences[0].start == 0.0
    assert sentences[1].start == pytest.approx(2 * WORD_SECONDS)
    assert sentences[1].end == pytest.approx(7 * WORD_SECONDS)


def test_unpunctuated_runs_are_split_at_pauses_and_capitalised():
    first = "the company raised money from three investors in april"
    second = "the founders plan to hire twelve engineers this summer"
    words, clock = [], 0.0
    for text in (first, second):
        for token in text.split():
            words.append(Word(" " + token, clock, clock + 0.3))
            clock += 0.3
        clock += 0.8
    one_segment = Transcript((Segment("", 0.0, clock, tuple(words)),), "en", clock, "tiny.en")
    sentences = build_sentences(one_segment)
    assert [s.text for s in sentences] == [
        "The company raised money from three investors in april.",
        "The founders plan to hire twelve engineers this summer.",
    ]


def test_an_overlong_run_without_pauses_is_cut():
    run = " ".join(f"word{i}" for i in range(100))
    sentences = build_sentences(transcript([(run, 0.3)]))
    assert len(sentences) >= 3
    assert all(len(s.text.split()) <= 40 for s in sentences)
    assert " ".join(s.text.rstrip(".") for s in sentences).lower() == run


def test_segments_without_word_timings_still_give_sentences():
    bare = Transcript((Segment("One sentence here. And another one.", 0.0, 4.0),), "en", 4.0, "x")
    sentences = build_sentences(bare)
    assert [s.text for s in sentences] == ["One sentence here.", "And another one."]
    assert sentences[-1].end == pytest.approx(4.0)


def test_section_count_follows_content():
    one_story = [(s, 0.3) for s in STORIES[0]]
    assert len(find_sections(build_sentences(transcript(one_story)))) == 1


def test_cue_strength_and_stripping():
    assert cue_strength("First up, Acme released a model.") == 1.0
    assert cue_strength("Next, a look at chips.") == 0.4
    assert cue_strength("Acme released a model.") == 0.0
    assert strip_cue("First up, Acme released a model.") == "Acme released a model."
    assert strip_cue("Turning to policy, the vote passed.") == "The vote passed."
    assert strip_cue("Next year we grow.") == "Next year we grow."


def test_paragraphs_hold_two_to_five_sentences():
    sentences = [Sentence(f"Sentence number {i}.", i * 2.0, i * 2.0 + 1.5) for i in range(12)]
    paragraphs = group_paragraphs(sentences)
    assert sum(len(p.sentences) for p in paragraphs) == 12
    assert all(2 <= len(p.sentences) <= 5 for p in paragraphs)


def test_paragraphs_break_where_the_speaker_changes():
    sentences = [Sentence("A question?", speaker="host"), Sentence("An answer.", speaker="guest")]
    assert [len(p.sentences) for p in group_paragraphs(sentences)] == [1, 1]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("It's Friday, November 20th, 2026, and here is the news.", "2026-11-20"),
        # No year spoken: the nearest year in which March 3 is a Friday.
        ("Today is Friday, March 3.", "2028-03-03"),
        ("Recorded on the 2nd of June 2025.", "2025-06-02"),
        ("He may 3 times a week.", None),
        ("No date here.", None),
    ],
)
def test_spoken_dates(text, iso):
    assert spoken_date(text, year=2026) == iso


def test_a_weekday_picks_the_year():
    assert spoken_date("Friday, March 3", year=2024) == "2023-03-03"


def test_episode_title_uses_tags_or_topics_and_the_date():
    sections = [
        Section("a", "In This Episode", "intro", paragraphs=()),
        Section("b", "Quarrel Systems raises money", "story"),
        Section("c", "Brannock bans delivery drones", "story"),
    ]
    assert episode_title(sections, {"title": ["Morning Circuit"], "date": "2026-03-06"}) == (
        "Morning Circuit — March 6, 2026"
    )
    assert episode_title(sections, {}) == "Quarrel Systems raises money and Brannock bans delivery drones"


def _opening(*texts):
    return Section("i", "In This Episode", "intro",
                   paragraphs=(Paragraph(tuple(Sentence(t, float(n), n + 1.0) for n, t in enumerate(texts))),))


def _story(id_, title, *texts):
    return Section(id_, title, "story", paragraphs=(Paragraph(tuple(Sentence(t) for t in texts)),))


def test_episode_title_names_the_show_heard_in_its_welcome():
    stories = [_story("b", "A seed round", "The startup Quarrel Systems raised money.", "Quarrel Systems will hire."),
               _story("c", "A drone ban", "The town of Brannock banned drones.", "Drones must avoid Brannock."),
               _story("d", "Tram data", "The city of Ostrava opened data.", "Ostrava trams are late.")]
    news = [_opening("Good morning and welcome to the morning circuit.", "Three stories today."), *stories]
    # The main subjects: the headings of the two stories that take the most words.
    assert episode_title(news) == "The Morning Circuit: A seed round and a drone ban"
    talk = [_opening("Hello and welcome to Builders at Work.", "My guest today is Ilse Marrow, who founded Quarrel."),
            *stories]
    assert episode_title(talk) == "Builders at Work with Ilse Marrow"
    named = [_opening("Hi folks, I'm Ana and this is the Tidewater Report for the week of June 2nd."), *stories]
    assert episode_title(named).startswith("The Tidewater Report: ")
    listening = [_opening("You're listening to Shipping Lanes, the podcast about ports."), *stories]
    assert episode_title(listening).startswith("Shipping Lanes: ")
    numbered = [_opening("This is episode 12, recorded on a Tuesday."), *stories[:2]]
    assert episode_title(numbered) == "A seed round and a drone ban"
    plain = [_opening("Welcome back to the show.", "Let's begin."), *stories[:2]]
    assert episode_title(plain) == "A seed round and a drone ban"


FILLER_WORDS = ("you know", "i mean", "basically", "um", "uh", "like,", "so, look")


def test_cleaning_removes_spoken_fillers():
    cleaned = clean_sentence("So, look, um, basically the startup, you know, raised like, ten million dollars.")
    assert cleaned == "The startup raised ten million dollars."
    assert clean_sentence("I mean, the umbrella brand grew.") == "The umbrella brand grew."


def test_key_points_are_short_clean_and_distinct():
    messy = [
        "First up, um, Quarrel Systems has, you know, raised forty million dollars in a Series B round.",
        "So, look, Quarrel Systems basically raised forty million dollars in a Series B round.",
        "I mean, the round was led by Tallow Ventures and values Quarrel at three hundred million dollars.",
        "Quarrel makes software that checks invoices for fraud at large retailers.",
        "The company says it will hire sixty engineers in Lisbon next year, like, as soon as it can.",
        "Is that a lot?",
        "Quarrel now serves two hundred retailers in nine countries.",
        "It was, " + "really " * 40 + "good.",
    ]
    points = key_points([Sentence(s) for s in messy])
    assert 1 <= len(points) <= 3
    texts = [p.text for p in points]
    for point in points:
        assert len(point.text.split()) <= 30
        # A label only where a name the story repeats heads the point.
        assert point.label is None or point.label in point.text and sum(point.label in m for m in messy) >= 2
        assert point.source in messy
        lowered = point.text.lower()
        assert not any(re.search(rf"(^|\W){re.escape(f)}(\W|$)", lowered) for f in FILLER_WORDS), point
    assert len({frozenset(t.lower().split()) for t in texts}) == len(texts)
    assert sum("forty million" in t for t in texts) <= 1
    assert all(not t.endswith("?") for t in texts)
    assert any(p.label and p.label.startswith("Quarrel") for p in points)


def test_fillers_cover_the_common_habits():
    for habit in ("you know", "I mean", "basically", "um", "uh", "so,? look"):
        assert any(habit.lower() in f.lower() for f in FILLERS), habit


def test_build_article_assembles_the_episode():
    episode = build_article(show(), tags={"artist": "Someone"}, source="show.mp3")
    kinds = [s.kind for s in episode.sections]
    # A two-sentence sign-off is shorter than most outros the model learned from: it may
    # stay with the last story.
    assert kinds[:4] == ["intro", "story", "story", "story"] and kinds[4:] in ([], ["outro"])
    assert episode.date == "2026-03-06"
    assert episode.title.endswith("March 6, 2026")
    assert episode.metadata == {"model": "tiny.en"}
    assert episode.source == "show.mp3"
    assert episode.duration == pytest.approx(show().duration)
    assert len({s.id for s in episode.sections}) == len(episode.sections)
    for section in episode.sections:
        assert section.start is not None and section.end > section.start
        assert section.paragraphs
        assert bool(section.key_points) == (section.kind == "story")
    assert [s.text for s in episode.sentences] == [s.text for s in build_sentences(show())]


def test_build_article_refuses_silence():
    from episodekit.errors import ConversionError

    with pytest.raises(ConversionError, match="no speech"):
        build_article(Transcript((), "en", 3.0, "tiny.en"), source="quiet.wav")


# Four topics with no spoken transition between them: only their meaning says where one
# ends (tests/test_a2t_structure.py tells them at a host's pace).
TOPICS = [
    ["The orchard lost half its apple blossom to a late frost in April.",
     "Growers lit candles between the rows of apple trees to keep the buds warm.",
     "Frost damage on the blossom means fewer apples to pick in the autumn.",
     "Cider makers expect to pay more for apples from the orchard this year.",
     "Some growers now spray water on the trees so ice shields the buds.",
     "The orchard will plant late flowering apple varieties next spring."],
    ["The city library now lends power drills, ladders and sewing machines.",
     "Borrowers reserve a tool online and collect it at the library desk.",
     "The most borrowed item is a carpet cleaner, booked every weekend.",
     "Librarians check each tool for damage when it comes back.",
     "The tool library started with donations from a hardware shop.",
     "Members pay nothing, but a late drill costs a small fine per day."],
    ["A new telescope in the desert photographed a comet passing the sun.",
     "Astronomers measured the comet's tail at ten million kilometres long.",
     "The telescope's camera takes a picture of the whole sky every three nights.",
     "Comets lose ice and dust each time they swing close to the sun.",
     "The observatory will publish its sky survey images for anyone to study.",
     "Amateur astronomers have already found two asteroids in the images."],
    ["The football club sold its stadium naming rights to a bakery chain.",
     "Fans protested outside the ground before the first home match.",
     "The club says the money will pay for a new youth academy pitch.",
     "The bakery chain will sell pies at every match under the new deal.",
     "Supporters' groups asked the club to keep the old stadium name.",
     "The deal runs for ten seasons and can be renewed."],
]
