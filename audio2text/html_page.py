"""The article as one standalone HTML page: inline styles, key-point boxes, and an audio
player whose section timestamps seek it when the episode file is reachable."""

from __future__ import annotations

from html import escape

from episodekit.model import Episode, KeyPoint, Paragraph, Section
from episodekit.timecode import clock, short_clock

_STYLE = """
:root { color-scheme: light dark; --accent: #2f6f8f; --box: #eef5f8; --ink: #1d2327; }
@media (prefers-color-scheme: dark) { :root { --box: #1f2b31; --ink: #e4e8ea; } }
body { max-width: 42rem; margin: 2.5rem auto; padding: 0 1.2rem; font: 1.08rem/1.65 Georgia,
  "Iowan Old Style", serif; color: var(--ink); }
h1 { font-size: 2rem; line-height: 1.2; margin-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.4rem; }
.meta { color: #6b7780; font: .9rem system-ui, sans-serif; }
.stamp { font: .8rem system-ui, sans-serif; color: var(--accent); text-decoration: none;
  margin-right: .5rem; vertical-align: middle; }
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


class HtmlRenderer:
    """One method per block; ``audio_src`` is the episode's path relative to the page."""

    def __init__(self, *, audio_src: str | None = None):
        self.audio_src = audio_src

    def render(self, episode: Episode) -> str:
        body = [self.header(episode), self.player()]
        body += [self.section(s) for s in episode.sections]
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{escape(episode.language or "en")}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(episode.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            "<body>\n<article>\n" + "\n".join(b for b in body if b) + "\n</article>\n"
            + (f"<script>{_SEEK_SCRIPT}</script>\n" if self.audio_src else "")
            + "</body>\n</html>\n"
        )

    def header(self, episode: Episode) -> str:
        meta = [m for m in (
            episode.date,
            f"{clock(episode.duration)} listening" if episode.duration else None,
            f"from {episode.source}" if episode.source else None,
        ) if m]
        line = f'<p class="meta">{escape(" · ".join(meta))}</p>' if meta else ""
        return f"<header>\n<h1>{escape(episode.title)}</h1>\n{line}\n</header>"

    def player(self) -> str:
        if not self.audio_src:
            return ""
        return f'<audio id="player" controls preload="metadata" src="{escape(self.audio_src)}"></audio>'

    def section(self, section: Section) -> str:
        parts = [f'<section id="{escape(section.id)}" class="{escape(section.kind)}">', self.heading(section)]
        parts += [self.paragraph(p) for p in section.paragraphs]
        parts.append(self.key_points(section.key_points))
        parts.append("</section>")
        return "\n".join(p for p in parts if p)

    def heading(self, section: Section) -> str:
        stamp = ""
        if section.start is not None:
            stamp = (f'<a class="stamp" href="#{escape(section.id)}" data-seconds="{section.start:.2f}">'
                     f"{short_clock(section.start)}</a>")
        return f"<h2>{stamp}{escape(section.title)}</h2>"

    def paragraph(self, paragraph: Paragraph) -> str:
        return f"<p>{escape(paragraph.text)}</p>"

    def key_points(self, points: tuple[KeyPoint, ...]) -> str:
        if not points:
            return ""
        items = "\n".join(
            f"<li><strong>{escape(p.label)}:</strong> {escape(p.text)}</li>" if p.label
            else f"<li>{escape(p.text)}</li>"
            for p in points
        )
        return f'<aside class="key-points">\n<h3>Key points</h3>\n<ul>\n{items}\n</ul>\n</aside>'


def render_html(episode: Episode, *, audio_src: str | None = None) -> str:
    return HtmlRenderer(audio_src=audio_src).render(episode)
