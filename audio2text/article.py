"""The text side of audio2text: a transcript in, a sectioned episode out."""

from __future__ import annotations

from typing import Mapping

from episodekit import embeddings
from episodekit.errors import ConversionError
from episodekit.model import Episode, Section, slugify
from hearing.transcript import Transcript

from .keypoints import key_points
from .paragraphs import group_paragraphs
from .sectioning import SectioningOptions, find_sections
from .sentences import build_sentences
from .titles import episode_date, episode_title, section_titles


def build_article(
    transcript: Transcript, *, tags: Mapping | None = None, source: str | None = None,
    sectioning: SectioningOptions = SectioningOptions(),
) -> Episode:
    """Sentences, sections, paragraphs, headings and key points from a transcript. The
    sentences are embedded once; every stage reads its section's rows."""
    sentences = build_sentences(transcript)
    if not sentences:
        raise ConversionError(source, "no speech was recognised in the audio")
    vectors = embeddings.embed([s.text for s in sentences])
    parts = find_sections(sentences, sectioning, vectors)
    spans, start = [], 0
    for _kind, part in parts:
        spans.append((start, start + len(part)))
        start += len(part)
    titled = section_titles(parts, vectors, transcript.duration)
    ids: set[str] = set()
    sections = []
    for (kind, part), (a, b), (title, _label) in zip(parts, spans, titled):
        sections.append(
            Section(
                id=slugify(title, ids),
                title=title,
                kind=kind,
                start=part[0].start,
                end=part[-1].end,
                paragraphs=tuple(group_paragraphs(part)),
                key_points=key_points(part, vectors[a:b]) if kind == "story" else (),
            )
        )
    tags = dict(tags or {})
    # A sponsor read or the extras is no subject of the episode: its title leaves them out.
    subjects = [s for s, (_title, label) in zip(sections, titled) if label is None]
    return Episode(
        title=episode_title(subjects, tags),
        sections=tuple(sections),
        date=episode_date(sections, tags),
        language=transcript.language,
        source=source,
        duration=transcript.duration,
        metadata={"model": transcript.model},
    )
