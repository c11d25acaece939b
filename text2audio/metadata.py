"""A document's own description of itself: title and date from its front matter.

YAML front matter (``---``) is read by python-frontmatter, TOML front matter (``+++``)
by the standard library's TOML parser, and a Pelican or MultiMarkdown header (``Title:
...`` lines before the first blank line) by its one-key-per-line rule. Dates and
datetimes become ISO days, which the script speaks as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import frontmatter
from frontmatter.default_handlers import BaseHandler, YAMLHandler

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, as the tomli package
    import tomli as tomllib

_HEADER_LINE = re.compile(r"^([A-Z][\w -]{0,30}):\s+(\S.*)$")
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


class _TomlHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs) -> dict:
        return tomllib.loads(fm)

    def export(self, metadata: dict, **kwargs) -> str:
        raise NotImplementedError("front matter is only read here")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    date: str | None
    body: str


def document_metadata(text: str) -> Metadata:
    """The title and date a document declares, and the text after its front matter."""
    handler = _TomlHandler() if text.startswith("+++") else YAMLHandler() if text.startswith("---") else None
    fields: dict = {}
    body = text
    if handler is not None:
        try:
            post = frontmatter.loads(text, handler=handler)
            fields, body = dict(post.metadata), post.content
        except Exception:  # a malformed block is still front matter: drop it, read the rest
            match = re.match(r"\A(---|\+\+\+)\s*\n.*?\n\1\s*(?:\n|\Z)", text, re.S)
            body = text[match.end():] if match else text
    elif header := _pelican_header(text):
        fields, body = header
    return Metadata(title=_text(fields.get("title")), date=iso_day(fields.get("date")), body=body)


def _pelican_header(text: str) -> tuple[dict, str] | None:
    head, _, rest = text.partition("\n\n")
    lines = head.strip().splitlines()
    matches = [_HEADER_LINE.match(line) for line in lines]
    if len(lines) < 2 or not all(matches):
        return None
    return {m.group(1).strip().lower(): m.group(2).strip() for m in matches}, rest


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def iso_day(value) -> str | None:
    """"2025-01-21" for a date, a datetime or an ISO timestamp string; None otherwise."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if value is None:
        return None
    match = _ISO_DAY.match(str(value).strip())
    return match.group(1) if match else None
