"""System programs the converters run, found or explained."""

from __future__ import annotations

import shutil

from .errors import MissingToolError

_INSTALL = {
    "ffmpeg": "sudo apt-get install ffmpeg (macOS: brew install ffmpeg)",
    "espeak-ng": "sudo apt-get install espeak-ng (macOS: brew install espeak-ng)",
}


def require(program: str) -> str:
    """The program's path, or a MissingToolError that says how to install it."""
    found = shutil.which(program)
    if not found:
        raise MissingToolError(None, f"{program} is not installed; run: {_INSTALL.get(program, program)}")
    return found
