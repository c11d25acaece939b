"""Publishing: add a narrated episode to an RSS 2.0 podcast feed.

The feed carries what Apple Podcasts' feed requirements ask of a channel (``itunes:image``,
``itunes:category`` from Apple's list, ``itunes:explicit`` as ``true``/``false``,
``itunes:owner``) and the Podcasting 2.0 tags: the channel's ``podcast:guid`` and
``podcast:locked``, and each item's ``podcast:chapters`` and ``podcast:transcript``, which
point at the sidecars text2audio writes. feedgen writes the XML; it has no Podcasting 2.0
support and writes only the old ``yes``/``no`` explicit values, so a small extension adds
those tags. An existing feed is read back with lxml and every item it holds is written out
again with the new one, so the file is always one whole feed written by one library.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import difflib
import io
import os
import re
import uuid
from dataclasses import dataclass, replace
from email.utils import parseaddr
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import quote

from episodekit.errors import ConversionError
from episodekit.files import write_atomic
from episodekit.model import Episode
from episodekit.timecode import clock

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"

# The enclosure types Apple Podcasts lists for its audio formats (MP3 and M4A); it takes no
# Ogg or WAV, which keep their registered types for other apps.
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".ogg": "audio/ogg", ".wav": "audio/wav"}
CHAPTERS_TYPE = "application/json+chapters"
# Sidecar name (as in pipeline.outputs_for) -> transcript media type, in the order listed.
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}
# The Podcasting 2.0 namespace's own UUID: a channel's podcast:guid is the UUIDv5 of its
# feed address (scheme and trailing slashes stripped) in this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

# Apple Podcasts' categories and their subcategories, as Apple lists them.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "History": (),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
                "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
             "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion",
                                "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences",
                "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
               "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


@dataclass(frozen=True)
class Category:
    """One of Apple's categories, with one of its subcategories or none."""

    name: str
    sub: Optional[str] = None


@dataclass(frozen=True)
class Owner:
    """Who Apple and Podcast Index contact about the show (``itunes:owner``)."""

    name: str
    email: str


@dataclass(frozen=True)
class FeedOptions:
    """Where the feed lives and how its channel is described. ``base_url`` is the address
    the feed's folder is published at; episode files are linked relative to it. What is
    left unset keeps what the feed already says."""

    path: Path
    base_url: str
    title: str
    description: Optional[str] = None
    # The cover: an http(s) address, or a file (checked with check_cover, and linked like
    # the episodes). Without one the feed gets a generated cover beside it (cover_path).
    image: Optional[str] = None
    keep: Optional[int] = None  # newest items kept; None keeps all
    categories: tuple[Category, ...] = ()
    owner: Optional[Owner] = None
    explicit: Optional[bool] = None  # None keeps the feed's value (new feeds: false)


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
    categories: tuple[Category, ...] = ()
    owner: Optional[Owner] = None
    explicit: bool = False
    # Given once, from the feed's address when it is created, then kept even if the feed moves.
    guid: Optional[str] = None
    # podcast:locked: other platforms may not import the feed (the owner's email unlocks it there).
    locked: bool = True


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
        if channel.image == url_for(cover_path(options.path), options):
            write_atomic(cover_path(options.path), make_cover(channel.title))
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


def podcast_guid(feed_url: str) -> str:
    """The channel's podcast:guid as the Podcasting 2.0 namespace derives it."""
    seed = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, seed))


def _channel(existing: Optional[Channel], options: FeedOptions, language: str) -> Channel:
    """What is given now wins; what the feed already says is kept otherwise."""
    feed_url = url_for(options.path, options)
    base = existing or Channel(title=options.title, link=options.base_url,
                               description=options.description or f"{options.title}: a daily audio brief.",
                               language=language or "en")
    return replace(
        base,
        title=options.title or base.title,
        link=options.base_url,
        feed_url=feed_url,
        description=options.description or base.description,
        image=_image_url(options, base.image),
        categories=options.categories or base.categories,
        owner=options.owner or base.owner,
        explicit=base.explicit if options.explicit is None else options.explicit,
        guid=base.guid or podcast_guid(feed_url),
    )


def _image_url(options: FeedOptions, existing: Optional[str]) -> str:
    """The given cover, else the feed's own, else the generated one beside the feed."""
    if options.image:
        return options.image if _is_address(options.image) else url_for(Path(options.image), options)
    return existing or url_for(cover_path(options.path), options)


def _is_address(image: str) -> bool:
    return image.startswith(("http://", "https://"))


# --- the channel's options, checked ------------------------------------------------------

def parse_category(text: str) -> Category:
    """``"News/Tech News"`` or ``"Technology"`` as one of Apple's categories, spelled as Apple
    spells it (any case); ValueError names the nearest one when it is not on the list."""
    name, _, sub = (part.strip() for part in text.partition("/"))
    by_lower = {key.lower(): key for key in APPLE_CATEGORIES}
    if name.lower() not in by_lower:
        raise ValueError(f"{name!r} is not one of Apple's categories{_nearest(name, APPLE_CATEGORIES)}")
    name = by_lower[name.lower()]
    if not sub:
        return Category(name)
    subs = {key.lower(): key for key in APPLE_CATEGORIES[name]}
    if sub.lower() not in subs:
        choices = ", ".join(APPLE_CATEGORIES[name]) or "none"
        raise ValueError(f"{sub!r} is not a subcategory of {name} (Apple's: {choices})")
    return Category(name, subs[sub.lower()])


def _nearest(word: str, choices) -> str:
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {near[0]!r}?" if near else f" ({', '.join(choices)})"


def parse_owner(text: str) -> Owner:
    """``"NAME <EMAIL>"`` as the show's owner."""
    name, email = parseaddr(text)
    if not name or not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", email):
        raise ValueError(f"{text!r} is not NAME <EMAIL>, e.g. 'Ada Byron <ada@example.com>'")
    return Owner(name.strip(), email)


# Apple Podcasts' artwork: a square JPEG or PNG from 1400 to 3000 pixels a side, in RGB,
# its address ending in .jpg or .png (feedgen leaves out an itunes:image that does not).
COVER_SIDES = (1400, 3000)
COVER_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


def check_cover_address(url: str) -> None:
    """ValueError unless ``url`` ends the way Apple Podcasts (and feedgen) want a cover's."""
    if not url.endswith(tuple(COVER_FORMATS.values())):
        raise ValueError(f"{url!r} does not end in .jpg or .png, as Apple Podcasts needs a cover's address to")


def check_cover(path: Path) -> None:
    """A cover file Apple Podcasts accepts, or a ConversionError saying what is wrong."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
    except FileNotFoundError:
        raise ConversionError(path, "cover image not found") from None
    except (OSError, UnidentifiedImageError):
        raise ConversionError(path, "not an image; Apple Podcasts needs a square JPEG or PNG cover") from None
    low, high = COVER_SIDES
    if COVER_FORMATS.get(kind) != path.suffix:
        named = path.suffix or "without a suffix"
        cause = f"a {kind} image named {named}; Apple Podcasts needs a .jpg JPEG or .png PNG"
    elif width != height or not low <= width <= high:
        cause = f"{width}x{height} pixels; Apple Podcasts needs a square cover from {low}x{low} to {high}x{high}"
    elif mode not in ("RGB", "RGBA", "P"):
        cause = f"in {mode} colour; Apple Podcasts needs an RGB cover"
    else:
        return
    raise ConversionError(path, f"cover image is {cause}")


def cover_path(feed: Path) -> Path:
    """Where the generated cover is published: beside the feed."""
    return feed.with_name(f"{feed.stem}-cover.png")


# The generated cover: the page's accent colour with the show's name in white (contrast 6.3:1).
COVER_SIZE = 3000
COVER_BACKGROUND = (42, 106, 137)
COVER_INK = (255, 255, 255)


def make_cover(title: str) -> bytes:
    """A 3000x3000 PNG with the show's name, as large as fits in four lines."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (COVER_SIZE, COVER_SIZE), COVER_BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = COVER_SIZE * 0.8
    for size in range(420, 80, -20):
        font = ImageFont.load_default(size=size)
        lines = _wrap(title, font, width)
        if len(lines) <= 4 and all(font.getlength(line) <= width for line in lines):
            break
    text = "\n".join(lines)
    draw.multiline_text((COVER_SIZE / 2, COVER_SIZE / 2), text, font=font, fill=COVER_INK, anchor="mm",
                        align="center", spacing=size // 4)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(text: str, font, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


# --- writing ---------------------------------------------------------------------------

def render_feed(channel: Channel, items: list[FeedItem]) -> bytes:
    from feedgen.ext.base import BaseEntryExtension, BaseExtension
    from feedgen.feed import FeedGenerator
    from lxml import etree

    class PodcastIndexExtension(BaseExtension):
        """The channel's tags feedgen cannot write: Apple's true/false itunes:explicit,
        podcast:guid and podcast:locked (with the owner's email, which Podcast Index reads
        as who may move the feed)."""

        def extend_ns(self):
            return {"podcast": PODCAST_NS}

        def extend_rss(self, rss_feed):
            element = rss_feed[0]
            etree.SubElement(element, f"{{{ITUNES_NS}}}explicit").text = "true" if channel.explicit else "false"
            if channel.guid:
                etree.SubElement(element, f"{{{PODCAST_NS}}}guid").text = channel.guid
            locked = etree.SubElement(element, f"{{{PODCAST_NS}}}locked")
            locked.text = "yes" if channel.locked else "no"
            if channel.owner:
                locked.set("owner", channel.owner.email)
            return rss_feed

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
    if channel.categories:
        feed.podcast.itunes_category([{"cat": c.name, **({"sub": c.sub} if c.sub else {})}
                                      for c in channel.categories])
    if channel.owner:
        feed.podcast.itunes_owner(name=channel.owner.name, email=channel.owner.email)
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
    owner = channel.find(f"{{{ITUNES_NS}}}owner")
    locked = channel.findtext(f"{{{PODCAST_NS}}}locked")
    return Channel(
        title=channel.findtext("title", ""),
        link=channel.findtext("link", ""),
        description=channel.findtext("description", ""),
        language=channel.findtext("language", "en"),
        image=image.text if image is not None else None,
        categories=tuple(
            Category(top.get("text"), sub.get("text") if sub is not None else None)
            for top in channel.findall(f"{{{ITUNES_NS}}}category")
            for sub in (top.findall(f"{{{ITUNES_NS}}}category") or [None])
        ),
        owner=Owner(owner.findtext(f"{{{ITUNES_NS}}}name", ""), owner.findtext(f"{{{ITUNES_NS}}}email", ""))
        if owner is not None else None,
        # The old "yes" counts as explicit, as Apple reads it.
        explicit=channel.findtext(f"{{{ITUNES_NS}}}explicit", "false").strip().lower() in ("true", "yes"),
        guid=channel.findtext(f"{{{PODCAST_NS}}}guid"),
        locked=locked is None or locked.strip().lower() in ("yes", "true"),
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
