"""Mastering on real ffmpeg: loudness and true peak of the encoded file."""

import dataclasses

import pytest
from pydub import AudioSegment

from tests.audio_fixtures import ffmpeg_make

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bursts(tmp_path_factory):
    """Twenty seconds of speech-like bursts: band-limited noise, gated on and off."""
    path = ffmpeg_make(
        tmp_path_factory.mktemp("bursts") / "bursts.wav",
        "anoisesrc=color=pink:sample_rate=22050:amplitude=0.5:seed=3", 20,
        "-af", "lowpass=f=5000,volume='if(lt(mod(t,0.7),0.45),1,0.02)':eval=frame",
    )
    return AudioSegment.from_file(path)


def test_an_encoder_that_overshoots_is_measured_and_held_under_the_limit(tmp_path, bursts, monkeypatch):
    from text2audio import mastering

    # A ceiling far too close to full scale: AAC's own peaks go over -1 dBTP, so the
    # encoded file must be measured and levelled again with a lower ceiling.
    loose = dataclasses.replace(mastering.AUDIO_FORMATS[".m4a"], ceiling_db=-0.3)
    monkeypatch.setitem(mastering.AUDIO_FORMATS, ".m4a", loose)
    measured = []
    real_measure = mastering.measure_loudness
    monkeypatch.setattr(mastering, "measure_loudness", lambda path: measured.append(real_measure(path)) or measured[-1])

    target = mastering.master(bursts, tmp_path / "loose.m4a", mastering.EpisodeTags(title="t", show="s"))
    integrated, true_peak = real_measure(target)
    assert measured[0][1] > -1.0, "the loose ceiling should overshoot on the first try"
    assert len(measured) >= 2
    assert abs(integrated + 16) <= 1 and true_peak <= -1.0


@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".m4a", ".wav"])
def test_every_format_meets_loudness_and_true_peak(tmp_path, bursts, suffix):
    from text2audio.mastering import EpisodeTags, master, measure_loudness

    target = master(bursts, tmp_path / f"episode{suffix}", EpisodeTags(title="t", show="s"))
    integrated, true_peak = measure_loudness(target)
    assert abs(integrated + 16) <= 1 and true_peak <= -1.0


CHAPTERS = ((0.0, 4.5, "Introduction"), (4.5, 9.25, "Story = one; #1 — Zürich \\ back"),
            (9.25, 14.0, "Second story"), (14.0, 20.0, "Wrap-up"))
TAGS_WITH_CHAPTERS = dict(title="Daily Brief: 20 November", show="The Daily Brief", date="2026-11-20",
                          description="Stories in this episode: Story one; Second story.", chapters=CHAPTERS)


def probe_chapters(path):
    import json
    import subprocess

    probe = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_chapters", str(path)],
                           capture_output=True, text=True, check=True)
    return [(float(c["start_time"]), float(c["end_time"]), c["tags"]["title"])
            for c in json.loads(probe.stdout)["chapters"]]


def same_chapters(found, expected, tolerance):
    return [title for _, _, title in found] == [title for _, _, title in expected] and all(
        abs(a - b) <= tolerance for f, e in zip(found, expected) for a, b in zip(f[:2], e[:2]))


@pytest.fixture(scope="module")
def tagged_mp3(tmp_path_factory, bursts):
    from text2audio.mastering import EpisodeTags, master

    return master(bursts, tmp_path_factory.mktemp("mp3") / "episode.mp3", EpisodeTags(**TAGS_WITH_CHAPTERS))


def test_mp3_carries_an_id3v23_tag_with_chapters_in_time_order(tagged_mp3):
    from mutagen.id3 import ID3

    assert probe_chapters(tagged_mp3) == list(CHAPTERS)
    # Read as written (no translation to v2.4 frames): v2.3 dates are TYER and TDAT.
    raw = ID3(tagged_mp3, translate=False)
    assert raw.version == (2, 3, 0)
    assert "TDRC" not in raw and raw["TYER"].text == ["2026"] and raw["TDAT"].text == ["2011"]
    assert [chap.start_time for chap in raw.getall("CHAP")] == sorted(chap.start_time for chap in raw.getall("CHAP"))
    tags = ID3(tagged_mp3)
    assert tags["TIT2"].text == [TAGS_WITH_CHAPTERS["title"]] and tags["TALB"].text == ["The Daily Brief"]
    assert tags.getall("COMM")[0].text == [TAGS_WITH_CHAPTERS["description"]]
    assert abs(int(tags["TLEN"].text[0]) - 20_000) <= 50
    toc = tags.getall("CTOC")[0]
    assert [tags[f"CHAP:{child}"].sub_frames["TIT2"].text[0] for child in toc.child_element_ids] == [
        title for _, _, title in CHAPTERS]


def test_mp3_chapters_survive_a_reencode_to_m4a_by_ffmpeg(tagged_mp3, tmp_path):
    import subprocess

    copy = tmp_path / "reencoded.m4a"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(tagged_mp3), str(copy)], check=True)
    # ffmpeg drops the MP3 encoder's 25 ms of priming and moves the chapters with it.
    assert same_chapters(probe_chapters(copy), CHAPTERS, tolerance=0.03)


@pytest.mark.parametrize("suffix", [".m4a", ".ogg"])
def test_m4a_and_ogg_carry_the_same_chapters_and_tags_as_the_mp3(tmp_path, bursts, tagged_mp3, suffix):
    import mutagen

    from text2audio.mastering import EpisodeTags, master, measure_loudness

    target = master(bursts, tmp_path / f"episode{suffix}", EpisodeTags(**TAGS_WITH_CHAPTERS))
    # Ogg chapters have no end: ffmpeg ends the last one where the audio ends.
    assert same_chapters(probe_chapters(target), probe_chapters(tagged_mp3), tolerance=0.03)
    assert probe_chapters(tagged_mp3) == list(CHAPTERS)
    integrated, true_peak = measure_loudness(target)
    assert abs(integrated + 16) <= 1 and true_peak <= -1.0
    tags = mutagen.File(target).tags
    keys = ("\xa9nam", "\xa9cmt", "\xa9day") if suffix == ".m4a" else ("title", "comment", "date")
    assert [tags[key] for key in keys] == [[TAGS_WITH_CHAPTERS["title"]], [TAGS_WITH_CHAPTERS["description"]],
                                           ["2026-11-20"]]
