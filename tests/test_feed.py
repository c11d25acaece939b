"""The podcast feed, read back with feedparser: items, enclosures, Podcasting 2.0 tags."""

import datetime as dt

import feedparser
import pytest
from lxml import etree

from episodekit.errors import ConversionError
from episodekit.model import Episode, Paragraph, Section
from tests.conftest import run_cli
from text2audio.feed import PODCAST_NS, FeedOptions, add_episode, published_at, read_feed
from text2audio.pipeline import outputs_for

NOW = dt.datetime(2026, 11, 21, 7, 30, tzinfo=dt.timezone.utc)


def _episode(date: str) -> Episode:
    sections = (
        Section("intro", "Introduction", "intro", 0.0, 5.0, (Paragraph.of("Welcome."),)),
        Section("corvid", "Halvorsen Labs Ships Corvid 3", "story", 5.0, 60.0, (Paragraph.of("Corvid 3 is out."),)),
        Section("veltrix", "Veltrix Delays Its Card", "story", 60.0, 90.0, (Paragraph.of("Veltrix waits."),)),
        Section("outro", "Wrap-up", "outro", 90.0, 95.4, (Paragraph.of("Bye."),)),
    )
    return Episode("Daily Brief", sections, date=date, duration=3725.4)


def _written(folder, name: str, size: int, srt: bool = False) -> dict:
    """An episode's outputs as files of known sizes: the feed only reads their sizes."""
    outputs = outputs_for(folder / f"{name}.mp3")
    if srt:
        outputs["srt"] = folder / f"{name}.srt"
    for key, path in outputs.items():
        path.write_bytes(b"x" * (size if key == "audio" else 10))
    return outputs


def _options(tmp_path, **extra) -> FeedOptions:
    return FeedOptions(path=tmp_path / "feed.xml", base_url="https://example.com/pod/", title="The Daily Brief",
                       **extra)


def test_two_episodes_make_a_feed_podcast_apps_read(tmp_path):
    options = _options(tmp_path, description="AI news, read aloud.", image="https://example.com/cover.png")
    first = _written(tmp_path, "brief-2026-11-20", 12345)
    second = _written(tmp_path, "brief-2026-11-21", 23456, srt=True)
    add_episode(options, _episode("2026-11-20"), first, now=NOW)
    add_episode(options, _episode("2026-11-21"), second, now=NOW)

    parsed = feedparser.parse(str(options.path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.namespaces["itunes"] == "http://www.itunes.com/dtds/podcast-1.0.dtd"
    assert parsed.namespaces["podcast"] == PODCAST_NS
    channel = parsed.feed
    assert (channel.title, channel.subtitle, channel.language) == ("The Daily Brief", "AI news, read aloud.", "en")
    assert channel.image.href == "https://example.com/cover.png"

    newest, oldest = parsed.entries
    assert newest.id == "https://example.com/pod/brief-2026-11-21.mp3"
    assert newest.published_parsed[:6] == (2026, 11, 21, 7, 30, 0)  # today's episode: now
    assert oldest.published_parsed[:6] == (2026, 11, 20, 0, 0, 0)  # another day's: that day
    for entry, outputs in ((newest, second), (oldest, first)):
        (enclosure,) = entry.enclosures
        assert int(enclosure.length) == outputs["audio"].stat().st_size
        assert enclosure.type == "audio/mpeg" and enclosure.href.endswith(outputs["audio"].name)
        assert entry.itunes_duration == "01:02:05"
        assert entry.summary == "Stories in this episode: Halvorsen Labs Ships Corvid 3; Veltrix Delays Its Card."
        assert entry.podcast_chapters == {"url": f"https://example.com/pod/{outputs['chapters'].name}",
                                          "type": "application/json+chapters"}

    # feedparser keeps one podcast:transcript per item; the XML holds both of the newest one's.
    item = etree.parse(str(options.path)).find("channel/item")
    transcripts = [(t.get("url"), t.get("type")) for t in item.iter(f"{{{PODCAST_NS}}}transcript")]
    assert transcripts == [("https://example.com/pod/brief-2026-11-21.vtt", "text/vtt"),
                           ("https://example.com/pod/brief-2026-11-21.srt", "application/x-subrip")]


def test_a_rebuilt_episode_replaces_its_item_and_keep_drops_the_oldest(tmp_path):
    options = _options(tmp_path)
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        add_episode(options, _episode(day), _written(tmp_path, f"brief-{day}", 100), now=NOW)
    rebuilt = _written(tmp_path, "brief-2026-11-19", 999)
    add_episode(options, _episode("2026-11-19"), rebuilt, now=NOW)
    _, items = read_feed(options.path)
    assert [i.enclosure_url.rsplit("/", 1)[1] for i in items] == [
        "brief-2026-11-20.mp3", "brief-2026-11-19.mp3", "brief-2026-11-18.mp3"]
    assert items[1].enclosure_length == 999

    add_episode(_options(tmp_path, keep=2), _episode("2026-11-21"), _written(tmp_path, "brief-2026-11-21", 100),
                now=NOW)
    _, items = read_feed(options.path)
    assert [i.enclosure_url.rsplit("/", 1)[1] for i in items] == ["brief-2026-11-21.mp3", "brief-2026-11-20.mp3"]


def test_files_below_the_feed_folder_keep_their_place_in_the_address(tmp_path):
    (tmp_path / "episodes").mkdir()
    outputs = _written(tmp_path / "episodes", "brief 1", 10)
    add_episode(_options(tmp_path), _episode("2026-11-20"), outputs, now=NOW)
    _, (item,) = read_feed(tmp_path / "feed.xml")
    assert item.enclosure_url == "https://example.com/pod/episodes/brief%201.mp3"


def test_a_file_that_is_not_a_feed_is_refused_and_left_alone(tmp_path):
    options = _options(tmp_path)
    options.path.write_text("<html><body>not a feed</body></html>")
    with pytest.raises(ConversionError, match="not an RSS feed") as error:
        add_episode(options, _episode("2026-11-20"), _written(tmp_path, "brief", 10), now=NOW)
    assert error.value.path == str(options.path)
    assert options.path.read_text() == "<html><body>not a feed</body></html>"


def test_publication_time():
    assert published_at("2026-11-21", NOW) == NOW
    assert published_at(None, NOW) == NOW
    assert published_at("2026-11-02", NOW) == dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)


ROUNDUP = """# Tiny Roundup

## Halvorsen Labs ships Corvid 3

Halvorsen Labs released Corvid 3 on Tuesday. It reads a million tokens.

## Veltrix delays its card

Veltrix pushed its inference card back to next spring.
"""


@pytest.mark.slow
def test_a_brief_built_twice_with_feed_gives_two_items(tmp_path):
    roundup = tmp_path / "roundup.md"
    roundup.write_text(ROUNDUP)
    site = tmp_path / "site"
    feed = site / "feed.xml"
    for day in ("2026-11-20", "2026-11-21"):
        run = run_cli("text2audio", roundup, "--brief", "--date", day, "--out-dir", site, "--quiet",
                      "--feed", feed, "--base-url", "https://example.com/daily")
        assert run.returncode == 0, run.stderr
    parsed = feedparser.parse(str(feed))
    assert not parsed.bozo and len(parsed.entries) == 2
    for entry, day in zip(parsed.entries, ("2026-11-21", "2026-11-20")):
        audio = site / f"brief-{day}.mp3"
        assert entry.enclosures[0].href == f"https://example.com/daily/{audio.name}"
        assert int(entry.enclosures[0].length) == audio.stat().st_size
        assert entry.podcast_chapters["url"].endswith(f"brief-{day}.chapters.json")
        assert entry.podcast_transcript["type"] == "text/vtt"
    assert not [p for p in site.iterdir() if ".part" in p.name]


def test_feed_without_base_url_is_a_usage_error(tmp_path):
    run = run_cli("text2audio", tmp_path / "missing.md", "--feed", tmp_path / "feed.xml")
    assert run.returncode == 2
    assert "--base-url" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "feed.xml").exists()
