"""The article as one standalone HTML page: inline styles, key-point boxes, and an audio
player (with the WebVTT transcript as its track) whose section timestamps seek it.

The page is meant to be published with its audio beside it: the player's source is the
audio file's name, or the address given as ``audio_url``; the track is the WebVTT file
written in the same run, by its path relative to the page.

What validators and screen readers ask of it: one ``<main>`` holding everything, every
landmark named by its own heading (each Key-points box by "Key points" and its section's
title), and ids that start with a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Optional

from episodekit.model import Episode, KeyPoint, Paragraph, Section
from episodekit.timecode import clock, short_clock

# Both colour schemes name their background, so every pair of text and background
# colours is known; each meets WCAG AA (4.5:1) for normal text. Measured ratios, light /
# dark: body text 15.9 / 14.3, timestamps 6.0 / 9.1, key-point heading 5.4 / 7.4 (on
# the box), date line 5.9 / 8.3.
_STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --ink: #1d2327; --muted: #5b6670;
  --accent: #2a6a89; --box: #eef5f8; }
@media (prefers-color-scheme: dark) { :root { --bg: #15191c; --ink: #e4e8ea; --muted: #a9b3ba;
  --accent: #7cc3e2; --box: #1f2b31; } }
body { max-width: 42rem; margin: 2.5rem auto; padding: 0 1.2rem; font: 1.08rem/1.65 Georgia,
  "Iowan Old Style", serif; color: var(--ink); background: var(--bg); }
h1 { font-size: 2rem; line-height: 1.2; margin-bottom: .3rem; }
.section-head { display: flex; align-items: baseline; gap: .6rem; margin-top: 2.4rem; }
h2 { font-size: 1.3rem; margin: 0; }
.meta { color: var(--muted); font: .9rem system-ui, sans-serif; }
.stamp { font: .8rem system-ui, sans-serif; color: var(--accent); text-decoration: none; white-space: nowrap; }
aside.key-points { background: var(--box); border-left: 4px solid var(--accent);
  border-radius: 4px; padding: .6rem 1rem; margin: 1.2rem 0; font: .95rem/1.5 system-ui, sans-serif; }
aside.key-points h3 { margin: .2rem 0 .4rem; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .06em; color: var(--accent); }
aside.key-points ul { margin: 0; padding-left: 1.2rem; }
audio { width: 100%; margin: 1rem 0; position: sticky; top: 0; }
"""

_SEEK_SCRIPT = """
document.querySelectorAll('a.stamp').forEach(function (a) {
  a.addEventListener('click', function (e) {
    var player = document.getElementById('player');
    if (!player) return;
    e.preventDefault();
    player.currentTime = parseFloat(a.dataset.seconds);
    player.play();
  });
});
"""

# Search results and link previews cut descriptions at about this many characters.
DESCRIPTION_LENGTH = 200
# ... and titles at about this many (html-validate's long-title rule); the page's heading and
# og:title keep the whole title.
TITLE_LENGTH = 70


@dataclass(frozen=True)
class PageLinks:
    """What the page points at: the audio (a file name beside the page or a full
    address) and the WebVTT transcript, by its path relative to the page."""

    audio: Optional[str] = None
    transcript: Optional[str] = None


class HtmlRenderer:
    """One method per block."""

    def __init__(self, links: PageLinks = PageLinks()):
        self.links = links

    def render(self, episode: Episode) -> str:
        body = [self.header(episode), self.player(episode)]
        body += [self.section(s) for s in episode.sections]
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{escape(episode.language or "en")}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(_shorten(episode.title, TITLE_LENGTH))}</title>\n"
            f"{self.meta_tags(episode)}\n<style>{_STYLE}</style>\n</head>\n"
            # One <main>, named by the title, holds everything, so no content is outside a landmark.
            f'<body>\n<main aria-labelledby="{PAGE_TITLE_ID}">\n<article>\n' + "\n".join(b for b in body if b)
            + "\n</article>\n</main>\n"
            + (f"<script>{_SEEK_SCRIPT}</script>\n" if self.links.audio else "")
            + "</body>\n</html>\n"
        )

    def meta_tags(self, episode: Episode) -> str:
        """The description search engines show, and the Open Graph tags link previews read."""
        description = _shorten(episode.description, DESCRIPTION_LENGTH)
        tags = [("name", "description", description), ("property", "og:type", "article"),
                ("property", "og:title", episode.title), ("property", "og:description", description)]
        if episode.date:
            tags.append(("property", "article:published_time", episode.date))
        if self.links.audio and "://" in self.links.audio:  # Open Graph wants a full address
            tags.append(("property", "og:audio", self.links.audio))
        return "\n".join(f'<meta {kind}="{name}" content="{escape(value)}">' for kind, name, value in tags)

    def header(self, episode: Episode) -> str:
        meta = [m for m in (
            episode.date,
            f"{clock(episode.duration)} listening" if episode.duration else None,
            f"from {episode.source}" if episode.source else None,
            "times estimated from the words" if episode.metadata.get("times") == "estimated" else None,
        ) if m]
        line = f'<p class="meta">{escape(" · ".join(meta))}</p>' if meta else ""
        return f'<header>\n<h1 id="{PAGE_TITLE_ID}">{escape(episode.title)}</h1>\n{line}\n</header>'

    def player(self, episode: Episode) -> str:
        if not self.links.audio:
            return ""
        track = ""
        if self.links.transcript:
            track = (f'<track kind="captions" src="{escape(self.links.transcript)}" '
                     f'srclang="{escape(episode.language or "en")}" label="Transcript" default>')
        return f'<audio id="player" controls preload="metadata" src="{escape(self.links.audio)}">{track}</audio>'

    def section(self, section: Section) -> str:
        anchor = html_id(section.id)
        parts = [f'<section id="{anchor}" class="{escape(section.kind)}" '
                 f'aria-labelledby="{anchor}-title">', self.heading(section)]
        parts += [self.paragraph(p, speaker) for speaker, p in section.turns]
        parts.append(self.key_points(section.key_points, anchor))
        parts.append("</section>")
        return "\n".join(p for p in parts if p)

    def heading(self, section: Section) -> str:
        """The heading holds only the title (its accessible name, and what a screen
        reader's list of headings reads); the timestamp is a link beside it."""
        anchor = html_id(section.id)
        heading = f'<h2 id="{anchor}-title">{escape(section.title)}</h2>'
        if section.start is None:
            return heading
        when = short_clock(section.start)
        stamp = (f'<a class="stamp" href="#{anchor}" data-seconds="{section.start:.2f}" '
                 f'aria-label="{escape(f"Play {section.title} from {when}")}">{when}</a>')
        return f'<div class="section-head">{stamp}{heading}</div>'

    def paragraph(self, paragraph: Paragraph, speaker: str | None = None) -> str:
        """The paragraph, led by the speaker's name where their turn starts."""
        name = f'<strong class="speaker">{escape(speaker)}:</strong> ' if speaker else ""
        return f"<p>{name}{escape(paragraph.text)}</p>"

    def key_points(self, points: tuple[KeyPoint, ...], anchor: str) -> str:
        """A box named "Key points" and its section's title, so that each of the page's
        complementary landmarks has a name of its own."""
        if not points:
            return ""
        items = "\n".join(
            f"<li><strong>{escape(p.label)}:</strong> {escape(p.text)}</li>" if p.label
            else f"<li>{escape(p.text)}</li>"
            for p in points
        )
        return (f'<aside class="key-points" aria-labelledby="{anchor}-points {anchor}-title">\n'
                f'<h3 id="{anchor}-points">Key points</h3>\n<ul>\n{items}\n</ul>\n</aside>')


PAGE_TITLE_ID = "title"


def html_id(section_id: str) -> str:
    """A section's id as every validator accepts it: starting with a letter, and only
    letters, digits, '-' and '_' (a slug such as "2026-budget" becomes "s-2026-budget")."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", section_id).strip("-") or "section"
    return cleaned if cleaned[0].isalpha() and cleaned != PAGE_TITLE_ID else f"s-{cleaned}"


def audio_elsewhere_warning(page_folder: Path, audio: Path) -> Optional[str]:
    """What to say when a page is written away from the audio its player names: published
    as it is, the player would fail to load its audio."""
    if Path(page_folder).resolve() == Path(audio).resolve().parent:
        return None
    return (f"the page's player plays {audio.name} from beside the page, but the audio is not in "
            f"{page_folder}; publish {audio.name} beside the page, or give --audio-url URL")


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def render_html(episode: Episode, links: PageLinks = PageLinks()) -> str:
    return HtmlRenderer(links).render(episode)
