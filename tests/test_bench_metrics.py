import json
from pathlib import Path

import pytest

from bench.audio_files import parse_ebur128_summary
from bench.metrics import (TimedSection, TimedSentence, boundary_string, even_split_baseline, gold_labels,
                           integer_words, key_point_scores, normalise_for_wer, ordinal_words, rouge_key_points,
                           segmentation_scores, stories_found, texttiling_baseline, window_size, word_error_rate)
from bench.report import replace_block
from episodekit.sentences import split_sentences

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sentences_in(labels, seconds=2.0):
    return [TimedSentence(f"sentence {i}", i * seconds, (i + 1) * seconds, label) for i, label in enumerate(labels)]


def sections_at(*starts, kind="story"):
    bounds = [*starts, starts[-1] + 1000]
    return [TimedSection(f"s{i}", kind, bounds[i], bounds[i + 1]) for i in range(len(starts))]


def test_boundary_string_marks_the_sentence_before_each_change():
    assert boundary_string([0, 0, 1, 1, 1, 2]) == "010010"
    assert boundary_string([]) == ""


def test_window_is_half_the_mean_segment_length_but_at_least_two():
    assert window_size([0] * 10 + [1] * 10) == 5
    assert window_size([0, 1, 2, 3, 4, 5]) == 2


def test_gold_label_is_the_section_the_midpoint_falls_in_and_a_pause_goes_to_the_section_before():
    gold = [TimedSection("a", "story", 0, 5), TimedSection("b", "story", 6, 20)]
    sentences = [TimedSentence("x", 0, 2, 0), TimedSentence("y", 4, 6.5, 0), TimedSentence("z", 5.5, 8, 0)]
    assert gold_labels(sentences, gold) == [0, 0, 1]


def test_a_segmentation_that_matches_gold_scores_zero_and_a_shifted_one_does_not():
    gold = sections_at(0, 20, 40)  # ten 2-second sentences per section
    assert segmentation_scores(sentences_in([0] * 10 + [1] * 10 + [2] * 10), gold) == (0.0, 0.0)
    pk, windowdiff = segmentation_scores(sentences_in([0] * 13 + [1] * 10 + [2] * 7), gold)
    assert 0 < pk < 1 and 0 < windowdiff < 1


def test_one_segment_for_everything_is_penalised():
    gold = sections_at(0, 20, 40)
    pk, windowdiff = segmentation_scores(sentences_in([0] * 30), gold)
    assert pk > 0.2 and windowdiff > 0.2


def test_even_split_gives_equal_runs():
    labels = [s.section for s in even_split_baseline(sentences_in([9] * 10), 3)]
    assert labels == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_texttiling_falls_back_to_one_segment_on_a_short_text():
    labelled, fell_back = texttiling_baseline(sentences_in([0, 1]))
    assert fell_back and [s.section for s in labelled] == [0, 0]


def test_texttiling_labels_every_sentence_of_a_real_script_in_order():
    gold = json.loads((SAMPLES / "episodes" / "daily-ai-brief.gold.json").read_text("utf-8"))
    texts = [t for section in gold["sections"] for t in split_sentences(section["text"])]
    sentences = [TimedSentence(t, i, i + 1, 0) for i, t in enumerate(texts)]
    labelled, fell_back = texttiling_baseline(sentences)
    labels = [s.section for s in labelled]
    assert not fell_back and len(labels) == len(texts)
    assert labels == sorted(labels) and labels[-1] >= 1


def test_rouge_is_one_for_the_same_points_and_zero_for_unrelated_ones():
    points = ["Brightwater closed a Series C round.", "It will open a factory in Ohio."]
    assert rouge_key_points(points, points) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    assert rouge_key_points(["Cats purr loudly."], points)["rouge1"] == 0.0
    assert rouge_key_points([], points)["rougeL"] == 0.0
    written, spoken = "It grew 62% to $70 billion.", "It grew sixty two percent to seventy billion dollars."
    assert rouge_key_points([written], [spoken]) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}


def test_key_points_are_paired_by_time_overlap_and_averaged_over_gold_stories():
    gold = [TimedSection("intro", "intro", 0, 10),
            TimedSection("a", "story", 10, 50, ("Lumora released open weights.",)),
            TimedSection("b", "story", 50, 90, ("Valdoria passed the act.",))]
    predicted = [TimedSection("p1", "story", 0, 48, ("Lumora released open weights.",)),
                 TimedSection("p2", "story", 48, 90, ("Something unrelated here.",))]
    assert key_point_scores(predicted, gold)["rouge1"] == pytest.approx(0.5)
    assert key_point_scores([], gold)["rouge1"] == 0.0


def test_numbers_are_compared_as_words():
    assert integer_words(240) == "two hundred forty"
    assert integer_words(70_000_000_000) == "seventy billion"
    assert ordinal_words(19) == "nineteenth" and ordinal_words(42) == "forty second"
    assert normalise_for_wer("$48 million, up 62%!") == "forty eight million dollars up sixty two percent"
    assert normalise_for_wer("It's 1,200 items; 97.5 points.") == \
        "it's one thousand two hundred items ninety seven point five points"


def test_word_error_rate_ignores_case_punctuation_and_how_numbers_are_written():
    reference = "Brightwater closed a two hundred and forty million dollar round."
    assert word_error_rate(reference, "brightwater closed a 240 million dollar round") == 0.0
    assert word_error_rate("one two three four", "one two tree four") == 0.25
    with pytest.raises(ValueError):
        word_error_rate(" . ", "words")


def test_stories_found_matches_fuzzily_and_one_to_one():
    gold = ["Corvid 3 Arrives — Halvorsen Labs Bets on Long Memory",
            "Pinecrest Releases Sprout-2B — A Tiny Model for Phones"]
    assert stories_found(["Corvid 3 arrives", "Pinecrest releases Sprout 2B"], gold) == 2
    assert stories_found(["Corvid 3 arrives", "Corvid 3 arrives again"], gold) == 1
    assert stories_found(["Weather for the weekend"], gold) == 0


def test_loudness_and_true_peak_come_from_the_ebur128_summary():
    log = ("[Parsed_ebur128_0 @ 0x1] t: 0.4 M: -20.1 S: -20.0 I: -19.0 LUFS\n"
           "[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -16.2 LUFS\n"
           "    Threshold: -26.2 LUFS\n\n  True peak:\n    Peak:       -1.4 dBFS\n")
    assert parse_ebur128_summary(log) == (-16.2, -1.4)


def test_the_table_replaces_only_the_readme_bench_block():
    readme = "# Title\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n"
    expected = "# Title\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\nafter\n"
    assert replace_block(readme, "bench", "| new |\n") == expected
    with pytest.raises(ValueError):
        replace_block("# no block\n", "bench", "| new |\n")
