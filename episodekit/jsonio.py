"""The segment model as JSON, with a schema version; reading names the field that does not fit."""

from __future__ import annotations

import json
from typing import Any

from .errors import ConversionError
from .model import SECTION_KINDS, Episode, KeyPoint, Link, Paragraph, Section, Sentence

SCHEMA = "episodekit/1"


def episode_to_dict(episode: Episode) -> dict:
    return {
        "schema": SCHEMA,
        "title": episode.title,
        "date": episode.date,
        "language": episode.language,
        "source": episode.source,
        "duration": episode.duration,
        "metadata": dict(episode.metadata),
        "sections": [_section_to_dict(s) for s in episode.sections],
    }


def _section_to_dict(section: Section) -> dict:
    return {
        "id": section.id,
        "title": section.title,
        "kind": section.kind,
        "start": section.start,
        "end": section.end,
        "paragraphs": [
            {"sentences": [_sentence_to_dict(s) for s in p.sentences]} for p in section.paragraphs
        ],
        "key_points": [
            {k: v for k, v in (("label", kp.label), ("text", kp.text), ("source", kp.source)) if v}
            for kp in section.key_points
        ],
        "links": [{"text": link.text, "url": link.url} for link in section.links],
        "sources": list(section.sources),
    }


def _sentence_to_dict(sentence: Sentence) -> dict:
    out: dict[str, Any] = {"text": sentence.text, "start": sentence.start, "end": sentence.end}
    if sentence.speaker:
        out["speaker"] = sentence.speaker
    return out


def episode_to_json(episode: Episode) -> str:
    return json.dumps(episode_to_dict(episode), ensure_ascii=False, indent=2) + "\n"


class _Fields:
    """Reads typed fields from a JSON object, naming the dotted path of any misfit."""

    def __init__(self, obj: Any, where: str):
        if not isinstance(obj, dict):
            raise _Misfit(where or "top level", "is not an object")
        self.obj, self.where = obj, where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, kind: type | tuple, *, required: bool = False, default=None):
        if key not in self.obj or self.obj[key] is None:
            if required:
                raise _Misfit(self._path(key), "is missing")
            return default
        value = self.obj[key]
        if kind is float and isinstance(value, bool) or not isinstance(value, kind):
            raise _Misfit(self._path(key), f"should be {_kind_name(kind)}")
        return value

    def number(self, key: str) -> float | None:
        value = self.get(key, (int, float))
        if isinstance(value, bool):
            raise _Misfit(self._path(key), "should be a number or null")
        return None if value is None else float(value)

    def items(self, key: str, *, required: bool = False):
        values = self.get(key, list, required=required, default=[])
        return [(f"{self._path(key)}[{i}]", v) for i, v in enumerate(values)]


def _kind_name(kind) -> str:
    names = {str: "a string", list: "a list", dict: "an object", (int, float): "a number"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


class _Misfit(Exception):
    def __init__(self, field: str, problem: str):
        super().__init__(f"field {field} {problem}")


def episode_from_dict(data: Any) -> Episode:
    top = _Fields(data, "")
    schema = top.get("schema", str)
    if schema is not None and not schema.startswith("episodekit/"):
        raise _Misfit("schema", f"is {schema!r}, not an episodekit schema")
    return Episode(
        title=top.get("title", str, required=True),
        sections=tuple(_section_from(where, s) for where, s in top.items("sections", required=True)),
        date=top.get("date", str),
        language=top.get("language", str, default="en"),
        source=top.get("source", str),
        duration=top.number("duration"),
        metadata=top.get("metadata", dict, default={}),
    )


def _section_from(where: str, obj: Any) -> Section:
    f = _Fields(obj, where)
    kind = f.get("kind", str, default="story")
    if kind not in SECTION_KINDS:
        raise _Misfit(f"{where}.kind", f"should be one of {', '.join(SECTION_KINDS)}")
    title = f.get("title", str, required=True)
    for key in ("start", "end", "key_points"):
        if key not in obj:
            raise _Misfit(f"{where}.{key}", "is missing")
    return Section(
        id=f.get("id", str, default="") or f"section-{where.split('[')[-1].rstrip(']')}",
        title=title,
        kind=kind,
        start=f.number("start"),
        end=f.number("end"),
        paragraphs=tuple(_paragraph_from(w, p) for w, p in f.items("paragraphs")),
        key_points=tuple(_key_point_from(w, k) for w, k in f.items("key_points")),
        links=tuple(
            Link(text=lf.get("text", str, default=""), url=lf.get("url", str, required=True))
            for lf in (_Fields(o, w) for w, o in f.items("links"))
        ),
        sources=tuple(_Fields({"s": s}, w).get("s", str) for w, s in f.items("sources")),
    )


def _paragraph_from(where: str, obj: Any) -> Paragraph:
    f = _Fields(obj, where)
    sentences = []
    for w, s in f.items("sentences", required=True):
        sf = _Fields(s, w)
        sentences.append(
            Sentence(
                text=sf.get("text", str, required=True),
                start=sf.number("start"),
                end=sf.number("end"),
                speaker=sf.get("speaker", str),
            )
        )
    return Paragraph(tuple(sentences))


def _key_point_from(where: str, obj: Any) -> KeyPoint:
    f = _Fields(obj, where)
    return KeyPoint(
        text=f.get("text", str, required=True), label=f.get("label", str), source=f.get("source", str)
    )


def episode_from_json(text: str, path=None) -> Episode:
    """Parse a segment-model JSON; a misfit raises ConversionError naming the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConversionError(path, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    try:
        return episode_from_dict(data)
    except _Misfit as exc:
        raise ConversionError(path, f"not a segment-model JSON: {exc}") from None
