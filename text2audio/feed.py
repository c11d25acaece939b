"""Publishing: add a narrated episode to an RSS 2.0 podcast feed.

The feed carries the iTunes tags podcast apps expect and the Podcasting 2.0 tags
(``podcast:chapters``, ``podcast:transcript``) that point at the sidecars text2audio writes.
feedgen writes the XML; it has no Podcasting 2.0 support, so a small extension adds those
tags. An existing feed is read back with lxml and every item it holds is written out again
with the new one, so the file is always one whole feed written by one library.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import quote

from episodekit.errors import ConversionError
from episodekit.files import write_atomic
from episodekit.model import Episode
from episodekit.timecode import clock

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"

AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav"}
CHAPTERS_TYPE = "application/json+chapters"
# Sidecar name (as in pipeline.outputs_for) -> transcript media type, in the order listed.
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}


@dataclass(frozen=True)
class FeedOptions:
    """Where the feed lives and how its channel is described. ``base_url`` is the address
    the feed's folder is published at; episode files are linked relative to it."""

    path: Path
    base_url: str
    title: str
    description: Optional[str] = None
    image: Optional[str] = None  # an image URL for the channel
    keep: Optional[int] = None  # newest items kept; None keeps all


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str


@dataclass(frozen=True)
class FeedItem:
    title: str
    guid: str
    published: dt.datetime  # timezone-aware
    enclosure_url: str
    enclosure_length: int
    enclosure_type: str
    duration: str  # itunes:duration, HH:MM:SS
    description: str
    chapters_url: Optional[str] = None
    transcripts: tuple[Transcript, ...] = ()
    language: Optional[str] = None


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    language: str = "en"
    image: Optional[str] = None
    feed_url: Optional[str] = None  # the feed's own address (atom:link rel="self")


def add_episode(options: FeedOptions, episode: Episode, outputs: dict[str, Path],
                now: dt.datetime | None = None) -> Path:
    """Add the episode written to ``outputs`` to the feed (creating it), newest first.

    An item with the same guid (the same episode file built again) is replaced rather than
    repeated. Parallel jobs adding to one feed take turns, so none of their items is lost.
    """
    item = item_for(episode, outputs, options, now=now)
    with _feed_lock(options.path):
        channel, items = read_feed(options.path) if options.path.exists() else (None, [])
        channel = _channel(channel, options, episode.language)
        items = [item] + [old for old in items if old.guid != item.guid]
        # Stable sort: of two items published at the same moment the one just added stays first.
        items.sort(key=lambda i: i.published, reverse=True)
        if options.keep is not None:
            items = items[: options.keep]
        write_atomic(options.path, render_feed(channel, items))
    return options.path


def item_for(episode: Episode, outputs: dict[str, Path], options: FeedOptions,
             now: dt.datetime | None = None) -> FeedItem:
    audio = outputs["audio"]
    audio_url = url_for(audio, options)
    transcripts = tuple(
        Transcript(url_for(outputs[name], options), media_type)
        for name, media_type in TRANSCRIPT_TYPES.items()
        if name in outputs and outputs[name].exists()
    )
    chapters = outputs.get("chapters")
    return FeedItem(
        title=episode.title,
        guid=audio_url,
        published=published_at(episode.date, now),
        enclosure_url=audio_url,
        enclosure_length=audio.stat().st_size,
        enclosure_type=AUDIO_TYPES.get(audio.suffix.lower(), "application/octet-stream"),
        duration=clock(episode.duration or 0.0),
        description=episode.description,
        chapters_url=url_for(chapters, options) if chapters and chapters.exists() else None,
        transcripts=transcripts,
        language=episode.language,
    )


def url_for(path: Path, options: FeedOptions) -> str:
    """The published address of an output: its place below the feed's folder, or its bare
    name when it was written elsewhere (to be uploaded beside the feed)."""
    folder = options.path.resolve().parent
    target = path.resolve()
    relative = target.relative_to(folder).as_posix() if target.is_relative_to(folder) else target.name
    return f"{options.base_url.rstrip('/')}/{quote(relative)}"


def published_at(date: Optional[str], now: dt.datetime | None = None) -> dt.datetime:
    """Today's episode is published now; a brief dated another day is dated at the start of
    that day (UTC), so a back-filled episode sorts under its own day."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if not date or date == now.date().isoformat():
        return now.replace(microsecond=0)
    day = dt.date.fromisoformat(date)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _channel(existing: Optional[Channel], options: FeedOptions, language: str) -> Channel:
    """What is given now wins; what the feed already says is kept otherwise."""
    base = existing or Channel(title=options.title, link=options.base_url,
                               description=options.description or f"{options.title}: a daily audio brief.",
                               language=language or "en")
    return replace(
        base,
        title=options.title or base.title,
        link=options.base_url,
        feed_url=url_for(options.path, options),
        description=options.description or base.description,
        image=options.image or base.image,
    )


# --- writing ---------------------------------------------------------------------------

def render_feed(channel: Channel, items: list[FeedItem]) -> bytes:
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from feedgen.feed import FeedGenerator
    from lxml import etree

    class PodcastIndexExtension(BaseExtension):
        def extend_ns(self):
            return {"podcast": PODCAST_NS}

    class PodcastIndexEntryExtension(BaseEntryExtension):
        """podcast:chapters and podcast:transcript, as the Podcasting 2.0 namespace
        documents them: empty elements with url and type attributes."""

        def __init__(self):
            self.item: Optional[FeedItem] = None

        def extend_rss(self, entry):
            if self.item.chapters_url:
                etree.SubElement(entry, f"{{{PODCAST_NS}}}chapters",
                                 url=self.item.chapters_url, type=CHAPTERS_TYPE)
            for transcript in self.item.transcripts:
                attrs = {"url": transcript.url, "type": transcript.type}
                if self.item.language:
                    attrs["language"] = self.item.language
                # Both files are timed cues: the namespace calls such a transcript captions.
                attrs["rel"] = "captions"
                etree.SubElement(entry, f"{{{PODCAST_NS}}}transcript", **attrs)
            return entry

    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    feed.title(channel.title)
    # feedgen takes the RSS <link> from the last link given, so the self link goes first.
    if channel.feed_url:
        feed.link(href=channel.feed_url, rel="self")
    feed.link(href=channel.link, rel="alternate")
    feed.description(channel.description)
    feed.language(channel.language)
    feed.generator("text2audio")
    if channel.image:
        feed.image(url=channel.image, title=channel.title, link=channel.link)
        feed.podcast.itunes_image(channel.image)
    feed.podcast.itunes_author(channel.title)
    feed.podcast.itunes_explicit("no")
    if items:
        feed.lastBuildDate(max(i.published for i in items))
    # feedgen prepends by default; appending oldest-last keeps the order given.
    for item in items:
        entry = feed.add_entry(order="append")
        entry.title(item.title)
        entry.guid(item.guid, permalink=False)
        entry.pubDate(item.published)
        entry.description(item.description)
        entry.enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)
        entry.podcast.itunes_duration(item.duration)
        entry.podcastindex.item = item
    return feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


# --- reading back ----------------------------------------------------------------------

def read_feed(path: Path) -> tuple[Channel, list[FeedItem]]:
    """The channel and items of a feed this module wrote (or one like it)."""
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ConversionError(path, f"cannot read the feed to add to it: {exc}") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ConversionError(path, "not an RSS feed (no rss/channel element); choose another --feed")
    try:
        items = [_read_item(element) for element in channel.findall("item")]
    except (ValueError, TypeError) as exc:
        raise ConversionError(path, f"cannot read an item of the feed: {exc}") from None
    image = channel.find("image/url")
    return Channel(
        title=channel.findtext("title", ""),
        link=channel.findtext("link", ""),
        description=channel.findtext("description", ""),
        language=channel.findtext("language", "en"),
        image=image.text if image is not None else None,
    ), items


def _read_item(element) -> FeedItem:
    from email.utils import parsedate_to_datetime

    enclosure = element.find("enclosure")
    if enclosure is None:
        raise ValueError(f"item {element.findtext('title')!r} has no enclosure")
    chapters = element.find(f"{{{PODCAST_NS}}}chapters")
    transcripts = element.findall(f"{{{PODCAST_NS}}}transcript")
    return FeedItem(
        title=element.findtext("title", ""),
        guid=element.findtext("guid") or enclosure.get("url"),
        published=parsedate_to_datetime(element.findtext("pubDate")),
        enclosure_url=enclosure.get("url"),
        enclosure_length=int(enclosure.get("length")),
        enclosure_type=enclosure.get("type"),
        duration=element.findtext(f"{{{ITUNES_NS}}}duration", "00:00:00"),
        description=element.findtext("description", ""),
        chapters_url=chapters.get("url") if chapters is not None else None,
        transcripts=tuple(Transcript(t.get("url"), t.get("type")) for t in transcripts),
        language=transcripts[0].get("language") if transcripts else None,
    )


@contextlib.contextmanager
def _feed_lock(path: Path) -> Iterator[None]:
    """An advisory lock on the feed's folder: locking the folder rather than a lock file
    leaves nothing behind."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise ConversionError(path, f"cannot open the feed's folder: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
