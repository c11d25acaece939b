"""The spoken script: a roundup rewritten as one host reads it aloud.

An intro names the show, the day, the episode's subject and its first story; each
story opens with a spoken transition that names it (and, in a brief, every roundup that
told it), and no transition phrase is heard twice in one episode; every sentence is
cleaned and normalised for speech; an outro recaps and signs off.
The script is itself an episode, so the voice stage and the chapter markers read it
like any other.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace

from episodekit.lexicon import HANDOVERS
from episodekit.model import Episode, Paragraph, Section, slugify
from episodekit.sentences import split_sentences

from .cleaning import clean_inline, clean_text
from .drafting import as_sentence
from .speech_text import speakable, spoken_date

FIRST = "First up: {title}."
FINALLY = "Finally: {title}."
ONLY = "Our story today: {title}."
MIDDLE = tuple(f"{phrase[:1].upper()}{phrase[1:]}: {{title}}." for phrase in HANDOVERS)
# Numbered, so it stays unique once the phrase pool runs out in a very long episode.
NUMBERED = "Story number {number}: {title}."
HEADLINES_IN_RECAP = 3


def spoken(text: str) -> str:
    """One written sentence as the voice should read it; empty when nothing is left."""
    text = speakable(clean_text(text))
    return as_sentence(text) if re.search(r"\w", text) else ""


_DECK = re.compile(r"\s[—–-]\s")


def spoken_title(title: str) -> str:
    """A headline inside a sentence: its deck after a dash and its closing mark dropped."""
    headline = _DECK.split(title, maxsplit=1)[0]
    return speakable(clean_inline(headline)).rstrip(" .!?:;,")


def _deck(section: Section) -> list[str]:
    """The deck a transition leaves out ("Title — and what it means"), as a sentence of
    its own when the story does not already say it."""
    parts = _DECK.split(section.title, maxsplit=1)
    if len(parts) < 2 or parts[1].lower() in section.text.lower():
        return []
    deck = spoken(parts[1])
    return [deck[:1].upper() + deck[1:]] if deck else []


def transitions(titles: list[str], seed: str = "") -> list[str]:
    """One opening sentence per story, no phrase used twice; ``seed`` varies the order by episode."""
    if len(titles) == 1:
        return [ONLY.format(title=titles[0])]
    offset = zlib.crc32(seed.encode("utf-8")) % len(MIDDLE)
    opening = []
    for number, title in enumerate(titles, start=1):
        if number == 1:
            template = FIRST
        elif number == len(titles):
            template = FINALLY
        elif number - 2 < len(MIDDLE):
            template = MIDDLE[(offset + number - 2) % len(MIDDLE)]
        else:
            template = NUMBERED
        opening.append(template.format(title=title, number=number))
    return opening


def _listing(items: list[str]) -> str:
    # Headlines often hold commas themselves; semicolons keep them apart when read aloud.
    separator = "; " if any("," in item for item in items) else ", "
    if len(items) <= 2:
        return " and ".join(items)
    return f"{separator.join(items[:-1])}{separator.rstrip()} and {items[-1]}"


def _spoken_paragraphs(section: Section) -> list[Paragraph]:
    paragraphs = []
    for paragraph in section.paragraphs:
        sentences = [s for s in (spoken(sentence.text) for sentence in paragraph.sentences) if s]
        if sentences:
            paragraphs.append(Paragraph.of(*sentences))
    return paragraphs


def _sources(section: Section) -> list[str]:
    """A story several roundups told names them all."""
    if len(section.sources) < 2:
        return []
    return [f"Reported by {_listing([spoken_title(s) for s in section.sources])}."]


def _subject(episode: Episode) -> str:
    """What the episode is about, in a few words: the roundup's own title, or for a brief
    the roundups it brings together."""
    sources = episode.metadata.get("sources") or []
    if len(sources) > 1:
        return f"the day's stories from {len(sources)} roundups"
    return spoken_title(episode.title) if episode.title else ""


def _intro(show: str, day: str | None, subject: str, headlines: list[str], leads: list[Section]) -> list[Paragraph]:
    welcome = [f"Welcome to {speakable(show)}."]
    if day:
        welcome.append(f"It's {spoken_date(day)}.")
    if subject:
        welcome.append(f"This episode: {subject}.")
    if headlines:
        count = "One story" if len(headlines) == 1 else f"{len(headlines)} stories"
        welcome.append(f"{count}, starting with {headlines[0]}.")
    lead = [p for section in leads for p in _spoken_paragraphs(section)]
    return [Paragraph.of(*welcome), *lead, Paragraph.of("Let's get into it.")]


def _outro(show: str, headlines: list[str], closings: list[Section]) -> list[Paragraph]:
    closing = [p for section in closings for p in _spoken_paragraphs(section)]
    named = headlines[:HEADLINES_IN_RECAP]
    rest = len(headlines) - len(named)
    recap = f"That's the brief: {_listing(named)}"
    recap += f", plus {rest} more {'story' if rest == 1 else 'stories'}." if rest else "."
    sign_off = f"Thanks for listening to {speakable(show)}. See you next time."
    return [*closing, Paragraph.of(recap if headlines else "That's all for today.", sign_off)]


def build_script(episode: Episode, *, show: str = "The Daily Brief", date: str | None = None) -> Episode:
    """The episode as a spoken script: intro, one section per story, outro."""
    stories = list(episode.stories)
    headlines = [spoken_title(s.title) for s in stories]
    day = date or episode.date
    taken = {s.id for s in stories}
    sections = [
        Section(
            id=slugify("intro", taken),
            title="Introduction",
            kind="intro",
            paragraphs=tuple(
                _intro(show, day, _subject(episode), headlines, [s for s in episode.sections if s.kind == "intro"])
            ),
        )
    ]
    for story, opening in zip(stories, transitions(headlines, seed=episode.title)):
        body = _spoken_paragraphs(story)
        sections.append(
            replace(
                story,
                title=clean_inline(story.title),
                paragraphs=(Paragraph.of(opening, *_deck(story), *_sources(story)), *body),
            )
        )
    outros = [s for s in episode.sections if s.kind == "outro"]
    sections.append(
        Section(
            id=slugify("outro", taken),
            title="Wrap-up",
            kind="outro",
            paragraphs=tuple(_outro(show, headlines, outros)),
        )
    )
    return replace(
        episode,
        sections=tuple(sections),
        date=day,
        metadata={**episode.metadata, "show": show},
    )


SCRIPT_MARK = "script"  # metadata key: the episode is a spoken script, read back from its Markdown


def is_script(episode: Episode) -> bool:
    return bool(episode.metadata.get(SCRIPT_MARK))


_SECTION_MARK = re.compile(r"^<!-- section: (\S+) (intro|story|outro) -->\s*$", re.M)


def parse_script_markdown(text: str, source: str | None = None) -> Episode | None:
    """A script as ``render_script_markdown`` writes it (perhaps edited since), or None when
    the text is not one. Each paragraph is read as written, one sentence after another."""
    marks = list(_SECTION_MARK.finditer(text))
    head = text[: marks[0].start()].strip() if marks else ""
    if not marks or not head.startswith("# "):
        return None
    sections, taken = [], set()
    for mark, following in zip(marks, [*marks[1:], None]):
        body = text[mark.end(): following.start() if following else len(text)].strip()
        title, _, rest = body.partition("\n")
        paragraphs = [Paragraph.of(*split_sentences(" ".join(p.split())))
                      for p in re.split(r"\n\s*\n", rest) if p.strip()]
        if paragraphs:
            sections.append(Section(id=slugify(mark.group(1), taken), title=title.removeprefix("## ").strip(),
                                    kind=mark.group(2), paragraphs=tuple(paragraphs)))
    return Episode(title=head[2:].strip(), sections=tuple(sections), source=source, metadata={SCRIPT_MARK: True})


def render_script_markdown(script: Episode) -> str:
    """The script as Markdown: each section marked ``<!-- section: id kind -->`` for re-reading."""
    blocks = [f"# {script.title}"]
    for section in script.sections:
        blocks.append(f"<!-- section: {section.id} {section.kind} -->\n## {section.title}")
        blocks.extend(paragraph.text for paragraph in section.paragraphs)
    return "\n\n".join(blocks) + "\n"
