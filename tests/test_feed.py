"""The podcast feed, read back with feedparser: items, enclosures, Podcasting 2.0 tags, and
the channel's Apple tags, guid, lock and cover (the same feed through podcast-partytime and
Apple's requirements is in test_consumers.py)."""

import datetime as dt

import feedparser
import pytest
from lxml import etree

from episodekit.errors import ConversionError
from episodekit.model import Episode, Paragraph, Section
from tests.conftest import run_cli
from text2audio.feed import (ITUNES_NS, PODCAST_NS, Category, FeedOptions, Owner, add_episode, check_cover,
                             cover_path, parse_category, parse_owner, podcast_guid, published_at, read_feed)
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


def test_the_channel_guid_is_the_uuid5_the_namespace_specifies():
    # The Podcasting 2.0 namespace's own worked example.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def _channel(path):
    return etree.parse(str(path)).getroot().find("channel")


def test_channel_options_are_written_and_kept_when_the_feed_grows(tmp_path):
    options = _options(tmp_path, categories=(parse_category("news/tech news"), parse_category("Technology")),
                       owner=parse_owner("Ada Byron <ada@example.com>"), explicit=True)
    add_episode(options, _episode("2026-11-20"), _written(tmp_path, "brief-2026-11-20", 10), now=NOW)
    channel = _channel(options.path)
    assert channel.findtext(f"{{{ITUNES_NS}}}explicit") == "true"
    assert [(c.get("text"), [s.get("text") for s in c]) for c in channel.findall(f"{{{ITUNES_NS}}}category")] == [
        ("News", ["Tech News"]), ("Technology", [])]
    assert channel.findtext(f"{{{ITUNES_NS}}}owner/{{{ITUNES_NS}}}email") == "ada@example.com"
    guid = channel.findtext(f"{{{PODCAST_NS}}}guid")
    assert guid == podcast_guid("https://example.com/pod/feed.xml")
    locked = channel.find(f"{{{PODCAST_NS}}}locked")
    assert (locked.text, locked.get("owner")) == ("yes", "ada@example.com")

    # A later run that gives none of them keeps them; the guid stays even when the feed moves.
    moved = FeedOptions(path=options.path, base_url="https://elsewhere.example.net/", title="The Daily Brief")
    add_episode(moved, _episode("2026-11-21"), _written(tmp_path, "brief-2026-11-21", 10), now=NOW)
    channel_again, items = read_feed(options.path)
    assert channel_again.categories == (Category("News", "Tech News"), Category("Technology"))
    assert channel_again.owner == Owner("Ada Byron", "ada@example.com")
    assert channel_again.explicit is True and channel_again.guid == guid and len(items) == 2


def test_without_an_image_a_cover_is_made_beside_the_feed(tmp_path):
    from PIL import Image

    options = _options(tmp_path)
    add_episode(options, _episode("2026-11-20"), _written(tmp_path, "brief", 10), now=NOW)
    cover = cover_path(options.path)
    with Image.open(cover) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (3000, 3000), "RGB")
    check_cover(cover)  # what the feed links to is what Apple takes
    channel = _channel(options.path)
    assert channel.find(f"{{{ITUNES_NS}}}image").get("href") == "https://example.com/pod/feed-cover.png"
    assert channel.findtext(f"{{{ITUNES_NS}}}explicit") == "false"


def test_a_given_cover_file_is_linked_and_a_wrong_one_refused(tmp_path):
    from PIL import Image

    good = tmp_path / "art.jpg"
    Image.new("RGB", (1400, 1400), (10, 20, 30)).save(good, "JPEG")
    check_cover(good)
    add_episode(_options(tmp_path, image=str(good)), _episode("2026-11-20"), _written(tmp_path, "brief", 10), now=NOW)
    assert _channel(tmp_path / "feed.xml").find(f"{{{ITUNES_NS}}}image").get("href") == "https://example.com/pod/art.jpg"
    assert not cover_path(tmp_path / "feed.xml").exists()

    wrong = {"small.png": ((800, 800), "RGB", "PNG", "800x800 pixels"),
             "wide.png": ((3000, 1500), "RGB", "PNG", "3000x1500 pixels"),
             "grey.png": ((1400, 1400), "L", "PNG", "in L colour"),
             "art.gif": ((1400, 1400), "RGB", "GIF", "a GIF image"),
             "named.png": ((1400, 1400), "RGB", "JPEG", "a JPEG image named .png"),
             "long.jpeg": ((1400, 1400), "RGB", "JPEG", "a JPEG image named .jpeg")}
    for name, (size, mode, kind, cause) in wrong.items():
        Image.new(mode, size).save(tmp_path / name, kind)
        with pytest.raises(ConversionError, match=cause):
            check_cover(tmp_path / name)


def test_categories_and_owners_are_read_as_apple_and_email_spell_them():
    assert parse_category(" leisure / video games ") == Category("Leisure", "Video Games")
    with pytest.raises(ValueError, match="did you mean 'Technology'"):
        parse_category("Tech")
    with pytest.raises(ValueError, match="not a subcategory of News"):
        parse_category("News/Gadgets")
    assert parse_owner("Ada Byron <ada@example.com>") == Owner("Ada Byron", "ada@example.com")
    for text in ("ada@example.com", "Ada Byron", "Ada <not-an-email>"):
        with pytest.raises(ValueError, match="NAME <EMAIL>"):
            parse_owner(text)


def test_m4a_enclosures_carry_the_type_apple_lists(tmp_path):
    outputs = _written(tmp_path, "brief", 10)
    m4a = outputs["audio"].with_suffix(".m4a")
    outputs["audio"].rename(m4a)
    add_episode(_options(tmp_path), _episode("2026-11-20"), {**outputs, "audio": m4a}, now=NOW)
    assert feedparser.parse(str(tmp_path / "feed.xml")).entries[0].enclosures[0].type == "audio/x-m4a"


@pytest.mark.parametrize("option, value, says", [
    ("--feed-category", "Gadgets", "not one of Apple's categories"),
    ("--feed-image", "https://example.com/cover?size=3000", "does not end in .jpg or .png"),
    ("--feed-owner", "ada@example.com", "NAME <EMAIL>"),
    ("--feed-explicit", "no", "neither true nor false"),
])
def test_wrong_channel_options_are_usage_errors(tmp_path, option, value, says):
    run = run_cli("text2audio", tmp_path / "missing.md", "--feed", tmp_path / "feed.xml",
                  "--base-url", "https://example.com/pod", option, value)
    assert run.returncode == 2 and says in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "feed.xml").exists()


def test_a_wrong_cover_file_fails_in_one_line_before_any_work(tmp_path):
    from PIL import Image

    Image.new("RGB", (600, 600)).save(tmp_path / "cover.png")
    run = run_cli("text2audio", tmp_path / "missing.md", "--feed", tmp_path / "feed.xml",
                  "--base-url", "https://example.com/pod", "--feed-image", tmp_path / "cover.png")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'cover.png'}: cover image is 600x600 pixels; Apple Podcasts needs a square cover "
        "from 1400x1400 to 3000x3000"]
