"""text2audio end to end on the sample roundups, with the real voices and ffmpeg."""

import json
import re
import subprocess

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from episodekit.jsonio import episode_from_json
from tests.conftest import SAMPLES, run_cli

pytestmark = pytest.mark.slow

ROUNDUPS = SAMPLES / "roundups"
SIDECARS = (".script.md", ".chapters.json", ".vtt", ".json")


@pytest.fixture(scope="module", params=["pyttsx3", "piper"])
def narrated(request, tmp_path_factory):
    engine = request.param
    out = tmp_path_factory.mktemp(engine)
    target = out / "brief.mp3"
    run = run_cli("text2audio", ROUNDUPS / "top-stories-quick-hits.txt", "-o", target,
                  "--engine", engine, "--date", "2026-11-20", "--quiet")
    assert run.returncode == 0, run.stderr
    return engine, target


def test_writes_the_episode_and_its_sidecars(narrated):
    _, target = narrated
    assert target.stat().st_size > 100_000
    for suffix in SIDECARS:
        assert target.with_name("brief" + suffix).stat().st_size > 0
    assert not [p for p in target.parent.iterdir() if ".part" in p.name]


def test_mp3_is_podcast_ready(narrated):
    from text2audio.mastering import measure_loudness

    _, target = narrated
    info = MP3(target).info
    assert info.sample_rate == 44_100 and info.channels == 1
    integrated, true_peak = measure_loudness(target)
    assert -17.0 <= integrated <= -15.0
    assert true_peak <= -1.0


def test_id3_chapters_match_the_sections(narrated):
    _, target = narrated
    episode = episode_from_json(target.with_suffix(".json").read_text())
    tags = ID3(target)
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [s.title for s in episode.sections]
    assert [c.start_time for c in chapters] == [round(s.start * 1000) for s in episode.sections]
    toc = tags.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    assert tags["TIT2"].text[0] == episode.title and str(tags["TDRC"].text[0]) == "2026-11-20"
    json_chapters = json.loads(target.with_suffix(".chapters.json").read_text())["chapters"]
    assert [c["title"] for c in json_chapters] == [s.title for s in episode.sections]


def test_vtt_cues_follow_the_synthesis_timings(narrated):
    _, target = narrated
    episode = episode_from_json(target.with_suffix(".json").read_text())
    vtt = target.with_suffix(".vtt").read_text()
    first_cue = re.search(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) -->", vtt)
    h, m, s, ms = map(int, first_cue.groups())
    assert abs(h * 3600 + m * 60 + s + ms / 1000 - episode.sentences[0].start) < 0.002
    duration = MP3(target).info.length
    assert episode.sentences[-1].end <= duration + 0.05
    starts = [s.start for s in episode.sentences]
    assert starts == sorted(starts)


def test_script_is_clean_and_its_transitions_vary(narrated):
    _, target = narrated
    script = target.with_name("brief.script.md").read_text()
    spoken = "\n".join(line for line in script.splitlines() if not line.startswith(("<!--", "#")))
    assert not re.search(r"https?://|www\.|```|def |import |[\U0001F300-\U0001FAFF\u2600-\u27BF]", spoken)
    assert not re.search(r"[*_`#|{}\[\]<>]", spoken)
    episode = episode_from_json(target.with_suffix(".json").read_text())
    openers = [s.sentences[0].text.split(":")[0].split(",")[0] for s in episode.stories]
    assert len(openers) >= 5 and len(set(openers)) == len(openers)
    assert episode.sections[0].kind == "intro" and episode.sections[-1].kind == "outro"
    assert "2026" in episode.sections[0].text


def test_every_gold_story_becomes_a_chapter(narrated):
    _, target = narrated
    gold = json.loads((SAMPLES / "roundups-gold" / "top-stories-quick-hits.stories.json").read_text())["stories"]
    episode = episode_from_json(target.with_suffix(".json").read_text())
    assert [s.title for s in episode.stories] == gold


def test_brief_merges_a_story_two_roundups_share(tmp_path):
    target = tmp_path / "daily.mp3"
    run = run_cli("text2audio", ROUNDUPS / "weekly-ai-digest.md", ROUNDUPS / "model-news-numbered.txt",
                  "--brief", "-o", target, "--date", "2026-11-20", "--quiet")
    assert run.returncode == 0, run.stderr
    episode = episode_from_json(target.with_suffix(".json").read_text())
    merged = [s for s in episode.stories if len(s.sources) == 2]
    assert merged and "Corvid 3" in merged[0].title
    assert episode.stories[0] == merged[0]  # most-covered first
    titles = " ".join(s.title for s in episode.stories)
    assert titles.count("Corvid 3") == 1


def test_brief_keeps_within_max_minutes(tmp_path):
    target = tmp_path / "short.mp3"
    run = run_cli("text2audio", *sorted(ROUNDUPS.glob("*.md")), *sorted(ROUNDUPS.glob("*.txt")),
                  "--brief", "--max-minutes", "3", "-o", target, "--quiet")
    assert run.returncode == 0, run.stderr
    assert MP3(target).info.length <= 3 * 60 * 1.15


def test_round_trip_article_audio_article(tmp_path):
    """text2audio with the neural voice, then audio2text: the stories come back."""
    from bench.metrics import word_error_rate

    episode_mp3 = tmp_path / "digest.mp3"
    spoken = run_cli("text2audio", ROUNDUPS / "weekly-ai-digest.md", "-o", episode_mp3, "--engine", "piper", "--quiet")
    assert spoken.returncode == 0, spoken.stderr
    heard = run_cli("audio2text", episode_mp3, "--out-dir", tmp_path / "article", "--format", "json,md", "--quiet")
    assert heard.returncode == 0, heard.stderr
    script = episode_from_json(episode_mp3.with_suffix(".json").read_text())
    article = episode_from_json((tmp_path / "article" / "digest.json").read_text())
    assert abs(len(article.stories) - len(script.stories)) <= 1
    wer = word_error_rate(" ".join(s.text for s in script.sentences), " ".join(s.text for s in article.sentences))
    # Piper draws its phoneme timing and noise afresh on every run, so this error rate
    # moves between runs (8.1% to 10.2% over five benches, against the 10% target that
    # make bench reports); the bound here catches a regression beyond that spread.
    assert wer <= 0.12


@pytest.mark.parametrize("suffix", [".wav", ".ogg", ".m4a"])
def test_other_audio_formats_by_suffix(tmp_path, suffix):
    from text2audio.mastering import measure_loudness

    target = tmp_path / f"episode{suffix}"
    run = run_cli("text2audio", ROUNDUPS / "model-news-numbered.txt", "-o", target, "--quiet")
    assert run.returncode == 0, run.stderr
    integrated, true_peak = measure_loudness(target)
    assert abs(integrated + 16) <= 1 and true_peak <= -1
    # ffprobe reads the stream itself: mutagen takes an MP4's channel count from a header
    # field that ffmpeg leaves at 2 for mono AAC.
    probe = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
                            "-show_chapters", str(target)], capture_output=True, text=True, check=True)
    probed = json.loads(probe.stdout)
    stream = probed["streams"][0]
    assert (stream["sample_rate"], stream["channels"]) == ("44100", 1)
    episode = episode_from_json(target.with_suffix(".json").read_text())
    # Ogg keeps its tags on the stream, the other containers on the file.
    tags = {k.lower(): v for k, v in {**probed["format"].get("tags", {}), **stream.get("tags", {})}.items()}
    assert tags["title"] == episode.title
    if suffix != ".wav":  # WAV has no chapters; its .chapters.json has them
        assert [c["tags"]["title"] for c in probed["chapters"]] == [s.title for s in episode.sections]


def test_music_bed_plays_under_the_voice_and_fills_the_pauses(tmp_path):
    import numpy as np
    from pydub import AudioSegment

    from text2audio.mastering import measure_loudness
    from tests.audio_fixtures import ffmpeg_make

    bed = ffmpeg_make(tmp_path / "bed.wav", "sine=frequency=220:sample_rate=22050", 12)
    plain, scored = tmp_path / "plain.wav", tmp_path / "scored.wav"
    for target, extra in ((plain, []), (scored, ["--music", str(bed)])):
        run = run_cli("text2audio", ROUNDUPS / "model-news-numbered.txt", "-o", target, "--quiet", *extra)
        assert run.returncode == 0, run.stderr
    integrated, true_peak = measure_loudness(scored)
    assert abs(integrated + 16) <= 1 and true_peak <= -1
    # The pause before the second section: silent without a bed, the bed with one.
    sections = json.loads(scored.with_suffix(".json").read_text())["sections"]
    pause_end = sections[1]["paragraphs"][0]["sentences"][0]["start"]
    window = slice(int((pause_end - 0.5) * 1000), int((pause_end - 0.1) * 1000))

    def level(path):
        samples = np.array(AudioSegment.from_file(path)[window].get_array_of_samples(), dtype=float)
        return np.sqrt(np.mean(samples ** 2))

    assert level(plain) < 50 < level(scored)
