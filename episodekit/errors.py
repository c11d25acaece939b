"""Errors a user can act on. The CLI prints them as ``error: <file>: <cause>``."""

from __future__ import annotations

from pathlib import Path

# Set to 1 to see the traceback behind an error line.
TRACEBACK_ENV = "CONVERTER_TRACEBACK"


class ConversionError(Exception):
    """A file could not be converted; ``cause`` is one line a user can act on."""

    def __init__(self, path: str | Path | None, cause: str):
        self.path = str(path) if path is not None else None
        self.cause = " ".join(str(cause).split())
        super().__init__(f"{self.path}: {self.cause}" if self.path else self.cause)

    def for_file(self, path: str | Path) -> "ConversionError":
        """The same cause, attributed to ``path`` when the raiser did not know it."""
        return self if self.path else ConversionError(path, self.cause)


class ModelFileError(ConversionError):
    """A model file is missing or does not match its pinned hash."""


class MissingToolError(ConversionError):
    """A system program (ffmpeg, espeak-ng) is not installed."""
