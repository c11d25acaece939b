"""audio2text: a spoken episode in, an article out (Markdown, HTML, JSON, transcript,
subtitles, chapters)."""

__version__ = "0.1.0"

from .outputs import FORMATS, format_for, render, write_outputs  # noqa: E402  (after the version the CLI reads)
from .pipeline import Options, convert, transcribe_file  # noqa: E402

__all__ = ["FORMATS", "Options", "__version__", "convert", "format_for", "render", "transcribe_file", "write_outputs"]
