"""The segment model both converters share, and its file formats."""

from .errors import ConversionError
from .jsonio import episode_from_json, episode_to_json
from .markdown import parse_markdown, render_markdown
from .model import Episode, KeyPoint, Link, Paragraph, Section, Sentence
from .timed_text import to_chapters, to_srt, to_transcript, to_vtt

__all__ = [
    "ConversionError", "Episode", "KeyPoint", "Link", "Paragraph", "Section", "Sentence",
    "episode_from_json", "episode_to_json", "parse_markdown", "render_markdown",
    "to_chapters", "to_srt", "to_transcript", "to_vtt",
]
