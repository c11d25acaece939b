"""audio2text's learned structure: the shipped models, the decoding, and headings, on
shows written here."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

import numpy as np
import pytest

from audio2text import headings, labels, sectioning
from audio2text.boundaries import RULES, feature_names, rule_features
from audio2text.models import PINS
from audio2text.sectioning import Decoding, SectioningOptions, decode, find_sections
from audio2text.sentences import build_sentences
from audio2text.titles import FIXED_TITLES, choose_heading, section_titles
from episodekit import embeddings
from episodekit.errors import ModelFileError
from episodekit.learned import load_model
from episodekit.lexicon import STOPWORDS
from episodekit.model import Sentence
from hearing.transcript import Segment, Transcript, Word

from .test_a2t_text_stages import INTRO, OUTRO, STORIES, TOPICS


def _spoken(texts: list[str], pause: float = 0.4) -> list[Sentence]:
    """Sentences timed as a host says them: 150 words a minute, a pause after each."""
    sentences, clock = [], 0.0
    for text in texts:
        seconds = len(text.split()) / 2.5
        sentences.append(Sentence(text, round(clock, 2), round(clock + seconds, 2)))
        clock += seconds + pause
    return sentences


def test_shipped_models_are_pinned_and_match_the_code():
    model = sectioning.shipped_model()
    assert list(model.story.features) == feature_names(model.vocabulary)
    assert model.decoding.length_weight > 0  # seconds matter: a short call stays one section
    assert model.context is not None and model.context.features == sectioning.CONTEXT_FEATURES
    ranker = headings.shipped_model()
    assert ranker.features == headings.FEATURES
    for name in PINS:
        data = json.loads((sectioning.MODEL_FILE.parent / name).read_text())
        assert data["format"] == "episodekit-logistic/1"


def test_a_changed_model_file_is_refused(tmp_path):
    copy = tmp_path / "sections.json"
    shutil.copy(sectioning.MODEL_FILE, copy)
    copy.write_text(copy.read_text().replace('"intercept": ', '"intercept": 1', 1))
    with pytest.raises(ModelFileError, match="sha256 mismatch"):
        load_model(copy, PINS["sections.json"], "sectioning model")


def test_the_second_reading_sees_where_the_odds_peak():
    odds = np.array([-3.0, -1.0, 2.0, 0.5, -2.0, -2.5, -3.0, -3.0])
    rows = sectioning.context_features(odds)
    column = dict(zip(sectioning.CONTEXT_FEATURES, rows.T))
    assert rows.shape == (8, len(sectioning.CONTEXT_FEATURES))
    assert column["odds_above_neighbours"][2] == pytest.approx(1.5)  # above the 0.5 after it
    assert column["odds_above_neighbours"][3] == pytest.approx(-1.5)  # high, but beside the peak
    assert column["odds_before_1"][3] == 2.0 and column["odds_after_2"][0] == 2.0
    assert column["odds_before_3"][0] == odds.min()  # before the first gap: the episode's lowest odds
    assert sectioning.context_features(np.zeros(0)).shape == (0, len(sectioning.CONTEXT_FEATURES))


def _decoding(**changes) -> Decoding:
    return Decoding(**{"section_cost": 0.0, "length_weight": 0.0, "share_weight": 0.0, "min_seconds": 0.0,
                       **changes})


def test_decoding_places_boundaries_where_the_odds_are_good():
    starts = np.arange(20) * 10.0
    odds = np.full((3, 19), -5.0)
    odds[0, [6, 13]] = 4.0  # the gaps before sentences 7 and 14
    bounds, kinds = decode(odds, starts, 200.0, _decoding())
    assert bounds == [7, 14] and kinds == ["story"] * 3
    assert decode(np.full((3, 19), -5.0), starts, 200.0, _decoding()) == ([], ["story"])


def test_decoding_marks_the_intro_and_outro_by_their_own_odds():
    starts = np.arange(30) * 10.0
    odds = np.full((3, 29), -5.0)
    odds[0, [2, 14, 26]] = 3.0
    odds[1, 2] = 2.0  # the gap before sentence 3 ends an intro
    odds[2, 26] = 2.0
    bounds, kinds = decode(odds, starts, 300.0, _decoding())
    assert bounds == [3, 15, 27] and kinds == ["intro", "story", "story", "outro"]
    bounds, kinds = decode(odds, starts, 300.0, _decoding(intro_cost=-3.0, outro_cost=-3.0))
    assert kinds == ["story"] * 4


def test_the_length_prior_keeps_a_short_recording_whole():
    starts = np.arange(10) * 3.0  # ten sentences, thirty seconds
    odds = np.zeros((3, 9))
    odds[0, 4] = 1.0
    assert decode(odds, starts, 30.0, _decoding())[0] == [5]
    assert decode(odds, starts, 30.0, _decoding(length_weight=1.0, log_mean=5.0))[0] == []
    assert decode(odds, starts, 30.0, _decoding(min_seconds=20.0))[0] == []


def test_a_thirty_second_recording_is_one_section():
    call = _spoken(["Hi, it's Maya from the garage, calling about your van.",
                    "The brake pads are worn down and we would like to replace them.",
                    "It would be about two hundred pounds with the labour, and we could do it on Thursday.",
                    "Give me a ring back when you can, thanks, bye."])
    assert [kind for kind, _ in find_sections(call)] == ["story"]


def test_one_topic_stays_one_section():
    sentences = _spoken(TOPICS[2] + TOPICS[2][::-1])
    assert len(find_sections(sentences)) == 1


def _announced_show() -> list[Sentence]:
    """A daily brief of a few minutes, its stories told at a newsreader's length."""
    texts = list(INTRO)
    for story in STORIES:
        texts += story + story[1:]  # the body told twice over: a story of a minute
    texts += OUTRO
    return _spoken(texts)


def test_an_announced_show_comes_apart_at_its_announcements():
    sections = find_sections(_announced_show())
    opening = [part[0].text for kind, part in sections if kind == "story"]
    for story in STORIES:
        assert story[0] in opening, (story[0], opening)


def test_an_unpunctuated_announced_show_still_comes_apart():
    # Small models on poor audio return lower-case runs with no full stops.
    show = _announced_show()
    words, clock = [], 0.0
    for sentence in show:
        for token in re.sub(r"[.,?!]", "", sentence.text.lower()).split():
            words.append(Word(" " + token, clock, clock + 0.4))
            clock += 0.4
        clock += 0.5
    sentences = build_sentences(Transcript((Segment("", 0.0, clock, tuple(words)),), "en", clock, "tiny.en"))
    opening = [part[0].text.lower() for kind, part in find_sections(sentences) if kind == "story"]
    assert sum(any(o.startswith(cue) for o in opening) for cue in ("first up", "meanwhile", "turning to")) >= 2


def test_topics_told_without_cues_come_apart_by_meaning():
    # Each topic told at a minute's length, no transition said and no longer pause.
    sentences = _spoken([text for topic in TOPICS for text in topic + topic[1:]])
    starts = [part[0].text for _, part in find_sections(sentences)]
    assert sum(topic[0] in starts for topic in TOPICS[1:]) >= 2, starts


def test_every_rule_can_be_switched_off():
    sentences = _announced_show()
    for rule in RULES:
        assert rule_features(rule, ("so",)), rule
        parts = find_sections(sentences, SectioningOptions().without(rule))
        assert sum(len(p) for _, p in parts) == len(sentences)
    with pytest.raises(ValueError, match="unknown sectioning rule"):
        SectioningOptions().without("colour")


def _headings(parts: list[list[Sentence]]) -> list[str]:
    vectors = [embeddings.embed([s.text for s in part]) for part in parts]
    every = np.vstack(vectors)
    texts = [[s.text for s in part] for part in parts]
    taken: set[str] = set()
    return [choose_heading(part, v, texts, every.mean(axis=0), taken) for part, v in zip(parts, vectors)]


def test_headings_are_short_phrases_of_their_own_section_and_never_repeat():
    parts = [[Sentence(t) for t in story] for story in STORIES] + [[Sentence(t) for t in topic] for topic in TOPICS]
    titles = _headings(parts)
    assert len({t.lower() for t in titles}) == len(titles)
    for title, part in zip(titles, parts):
        words = title.split()
        assert 2 <= len(words) <= 8, title
        opener = words[0].lower()
        assert opener not in STOPWORDS or opener in headings._OPENERS, title  # "The ...", "Why ..." read as headlines
        assert words[-1].lower().strip(".?!") not in STOPWORDS, title
        said = " ".join(s.text for s in part).lower()
        assert all(w.lower().strip(".,?!") in said for w in words), (title, said)


def test_a_candidate_knows_how_it_was_named():
    sentences = [Sentence("This week we tried a terminal tool called Harbor Shell, and it is fast.")]
    found = {c.text: c for c in headings.candidates(sentences, embeddings.embed([s.text for s in sentences]))}
    assert found["Harbor Shell"].before == "called"
    ctx = headings.context([s.text for s in sentences], [[s.text for s in sentences]],
                           embeddings.embed([s.text for s in sentences]), np.zeros(embeddings.embed(["x"]).shape[1]))
    chosen = [found["Harbor Shell"], found["a terminal tool"]]
    rows = headings.features(chosen, ctx, embeddings.embed([c.text for c in chosen]))
    column = dict(zip(headings.FEATURES, rows.T))
    assert list(column["after_naming"]) == [1.0, 0.0]
    assert list(column["opens_article"]) == [0.0, 1.0]
    assert list(column["after_naming*opens_article"]) == [0.0, 0.0]


def test_the_same_section_twice_gets_two_headings():
    part = [Sentence(t) for t in STORIES[0]]
    first, second = _headings([part, part])
    assert first.lower() != second.lower()


SPONSOR_READ = [
    "This episode is brought to you by Lanternly.",
    "Lanternly watches your web apps and tells you the moment a page gets slow or an error shows up.",
    "It takes two minutes to set up, and there is a free tier for small teams.",
    "Try it at lanternly dot dev slash bytes, and thanks to Lanternly for sponsoring the show.",
]
EXTRAS = [
    "All right, that's our main topics. Do you have any extras for us?",
    "I do, just a couple of quick ones.",
    "I finally upgraded my laptop, and the new keyboard is lovely.",
    "And I got a new microphone, so I hope I sound better this week.",
]


def _titled_show() -> list[tuple[str, object]]:
    texts = [INTRO, STORIES[0], SPONSOR_READ, STORIES[1], STORIES[2], EXTRAS, OUTRO]
    kinds = ["intro", "story", "story", "story", "story", "story", "outro"]
    sentences = _spoken([t for part in texts for t in part])
    parts, first = [], 0
    for kind, part in zip(kinds, texts):
        parts.append((kind, sentences[first:first + len(part)]))
        first += len(part)
    return section_titles(parts, embeddings.embed([s.text for s in sentences]), sentences[-1].end)


def test_a_sponsor_read_and_the_extras_take_the_standing_labels_and_the_stories_keep_their_headings():
    titled = _titled_show()
    names = [label.name if label else None for _title, label in titled]
    assert names == [None, None, "sponsor", None, None, "extras", None], titled
    assert titled[2][0].startswith("Sponsor: ") and titled[5][0] == "Extras"
    assert [t for t, _ in titled][0::6] == [FIXED_TITLES["intro"], FIXED_TITLES["outro"]]


def test_a_label_needs_odds_past_its_threshold_and_every_label_rule_can_be_switched_off():
    model = labels.shipped_model()
    assert {lab.name for lab in model.labels} >= {"sponsor", "extras"}
    place = labels.Place(1, 3, 10.0, 40.0, 60.0)
    texts = SPONSOR_READ
    vectors = embeddings.embed(texts)
    assert labels.best_label(texts, vectors, place, model).name == "sponsor"
    strict = labels.LabelModel(tuple(replace(lab, threshold=1.0) for lab in model.labels), model.vocabulary)
    assert labels.best_label(texts, vectors, place, strict) is None
    names, row = labels.features(texts, vectors, place, model.vocabulary)
    sponsor = next(lab for lab in model.labels if lab.name == "sponsor")
    for rule in labels.RULES:
        off = labels.rule_features(rule, model.vocabulary)
        assert off and set(off) <= set(names), rule
        switched = next(lab for lab in model.without(off).labels if lab.name == "sponsor")
        # Held at its training mean, the rule moves no odds: only the other rules speak.
        assert switched.model.probability(row)[0] != pytest.approx(sponsor.model.probability(row)[0]), rule
    assert labels.labelled(model.labels[0], "") == model.labels[0].heading
