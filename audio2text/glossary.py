"""Terms the transcriber should expect: the field's names that small Whisper models
mishear ("Claude" heard as "cloud"), and a user's own list (--glossary FILE).

faster-whisper takes them as hotwords, a prompt placed before every window it decodes.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from episodekit.errors import ConversionError

# Whisper's prompt holds at most half of its 448-token context; terms past this many
# characters would be cut off mid-word anyway.
MAX_PROMPT_CHARS = 600


def parse_terms(text: str) -> tuple[str, ...]:
    """One term per line; blank lines and lines starting with # are skipped."""
    terms = (" ".join(line.split()) for line in text.splitlines())
    return tuple(dict.fromkeys(t for t in terms if t and not t.startswith("#")))


@functools.lru_cache(maxsize=1)
def built_in() -> tuple[str, ...]:
    return parse_terms(resources.files(__package__).joinpath("glossary.txt").read_text("utf-8"))


def read_glossary(path: str | Path) -> tuple[str, ...]:
    """The terms in a user's glossary file."""
    path = Path(path)
    try:
        return parse_terms(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ConversionError(path, f"cannot read the glossary: {cause}") from None


def hotwords(terms: tuple[str, ...]) -> str | None:
    """The terms as one hotwords prompt, the user's first, cut to what Whisper keeps."""
    prompt = ""
    for term in terms:
        if len(prompt) + len(term) + 2 > MAX_PROMPT_CHARS:
            break
        prompt = f"{prompt}, {term}" if prompt else term
    return prompt or None
