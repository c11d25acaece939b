"""Headings for sections and the episode, and the date a host says aloud.

A heading is what an editor would keep: a short phrase of the section's own that says
what it is about. News hosts read a headline as a story opens ("Entry-level jobs are
getting harder to find"), question shows read the question, and conversations name
their subject ("a tool called Retox"). So the candidates are the section's short
clauses and the names it introduces, cleaned of speech habits, and the heading is the
candidate most central to the section: the nearest to the mean of its sentence
embeddings, with a little weight for coming early and for naming something.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Mapping, Sequence

import numpy as np

from episodekit.lexicon import (GENERIC_NAME_WORDS, HEADLINE_FILLER, MONTH_ABBREVIATIONS, MONTHS, ORDINAL_WORDS,
                                PERSON_ROLES, SAYING_VERBS, STOPWORDS, TITLE_SMALL_WORDS,
                                WEEKDAYS)
from episodekit.model import Section, Sentence

from . import headings, labels
from .spoken_cues import names

LEAD_SENTENCES = 3  # a story names its subject in its first sentences
SAME_TITLE_OVERLAP = 0.6  # share of words two headings may share before they count as alike
# An intro or outro is named by its role: its words are a hook or a goodbye.
FIXED_TITLES = {"intro": "In This Episode", "outro": "Wrapping Up the Episode"}


def section_titles(parts: Sequence[tuple[str, Sequence[Sentence]]], vectors: np.ndarray, duration: float,
                   heading_model=None, label_model=None) -> list[tuple[str, labels.Label | None]]:
    """The title of every (kind, sentences) section, and the standing label it earned: an
    intro or outro is named by its role, a section a show titles the same way in every
    episode by that label ("Extras", "Sponsor: <its heading>"), any other by its best
    heading. ``vectors`` are the sentence embeddings of all the parts in order."""
    texts = [[s.text for s in part] for _kind, part in parts]
    centroid = vectors.mean(axis=0)
    taken = set(FIXED_TITLES.values())
    titled, a = [], 0
    for index, (kind, part) in enumerate(parts):
        b = a + len(part)
        label = None
        if kind in FIXED_TITLES:
            title = FIXED_TITLES[kind]
        else:
            place = labels.Place(index, len(parts), part[0].start, part[-1].end, duration)
            label = labels.best_label(texts[index], vectors[a:b], place, label_model)
            if label and not label.named:
                title = label.heading
            else:
                heading = choose_heading(part, vectors[a:b], texts, centroid, taken, heading_model)
                title = labels.labelled(label, heading) if label else heading
        titled.append((title, label))
        a = b
    return titled


def choose_heading(sentences: Sequence[Sentence], vectors: np.ndarray, all_sections: Sequence[Sequence[str]],
                   episode_centroid: np.ndarray, taken: set[str], model=None) -> str:
    """The best-ranked heading unlike any in ``taken`` (and added to it); the section's
    main name, or its first topic words, when it has no phrase to rank."""
    ranked = headings.ranked(sentences, vectors, all_sections, episode_centroid, model)
    title = next((t for t in ranked if not any(_alike(t, other) for other in taken)), None)
    if title is None:
        title = _fallback(sentences, taken)
    taken.add(title)
    return title


def _alike(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return a.lower() == b.lower() or bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > SAME_TITLE_OVERLAP


def _fallback(sentences: Sequence[Sentence], taken: set[str]) -> str:
    """A name or the first topic words of the section, the first words of one not yet used."""
    subject = main_subject([s.text for s in sentences])
    if subject and not any(_alike(subject, other) for other in taken):
        return subject
    words = [w.strip(".,?!") for s in sentences for w in s.text.split() if w.lower().strip(".,?!") not in STOPWORDS]
    for start in range(0, max(len(words) - 1, 1)):
        title = " ".join(words[start:start + 4]).capitalize()
        if title and not any(_alike(title, other) for other in taken):
            return title
    return " ".join(words[:4]).capitalize() or "Untitled section"


def main_subject(texts: Sequence[str]) -> str | None:
    """The named thing a section is about: the company or product named most often,
    earliest on a tie. A name scores by its most repeated word, so "Corvix" counts
    toward "Chipmaker Corvix". People are the story's sources, not its subject: a name
    after a role ("Professor", "chief executive") or before "said" is never chosen, and
    with nothing else named the heading is made of key phrases alone."""
    capitalised = Counter(
        word.lower() for text in texts for word in re.findall(r"\b[A-Z][\w'’-]+", text)
        if word.lower() not in STOPWORDS
    )
    candidates = [(index, name) for index, text in enumerate(texts) for name in names(text)]
    # "Brightwater builds ..." and "Brightwater trains ...": a word that opens several
    # sentences is a name too.
    candidates += [(index, word) for index, text in enumerate(texts)
                   for word in re.findall(r"^[A-Z][\w'’-]+", text.strip())
                   if capitalised[word.lower()] > 1 and word.lower() not in STOPWORDS | HEADLINE_FILLER]
    if not candidates:
        return None
    joined = " ".join(texts)
    best: dict[str, tuple] = {}
    for index, name in candidates:
        person = bool(_PERSON_BEFORE.search(joined.split(name)[0][-40:] + " " + name.split()[0]) or re.search(
            rf"{re.escape(name)},?\s+(?:{'|'.join(SAYING_VERBS)})\b", joined))
        generic = all(w.lower() in GENERIC_NAME_WORDS for w in name.split())
        repeats = max(capitalised[w.lower()] for w in name.split())
        rank = (person, generic, -(repeats + (index < LEAD_SENTENCES)), index)
        best[name] = min(best.get(name, rank), rank)
    subject = min(best, key=best.__getitem__)
    return None if best[subject][0] else subject


_PERSON_BEFORE = re.compile(r"\b(?:" + "|".join(PERSON_ROLES) + r")\.?,?\s*$", re.I)


def episode_title(sections: Sequence[Section], tags: Mapping | None = None) -> str:
    """The tagged title, or the show's name heard in its welcome with the guest it
    introduces or the headings of its longest stories (its main subjects). The date is
    added when known."""
    tags = tags or {}
    title = _tag(tags, "title")
    if not title:
        guest = _guest(sections)
        topics = f"with {guest}" if guest else _main_subjects(sections)
        show = _show_name(sections)
        if show:
            topics = f"{show} {topics}" if guest else f"{show}: {topics}"
        title = topics[:1].upper() + topics[1:]
    date = episode_date(sections, tags)
    if date:
        spoken = _spoken_form(date)
        if spoken.lower() not in title.lower() and date not in title:
            title = f"{title} — {spoken}"
    return title


MAX_SUBJECT_WORDS = 10  # two headings joined, or the longest story's alone


def _main_subjects(sections: Sequence[Section]) -> str:
    """The headings of the two stories that take the most words, in the order told."""
    stories = [s for s in sections if s.kind == "story"] or list(sections)
    longest = sorted(sorted(stories, key=lambda s: -s.word_count)[:2], key=stories.index)
    titles = [s.title for s in longest]
    # "A seed round and a drone ban"; a name keeps its capital ("... and Brannock bans ...").
    joined = " and ".join(t[:1].lower() + t[1:] if i and t.split()[0].lower() in STOPWORDS else t
                          for i, t in enumerate(titles))
    return joined if len(joined.split()) <= MAX_SUBJECT_WORDS else titles[0] if titles else "Episode"


def episode_date(sections: Sequence[Section], tags: Mapping | None = None) -> str | None:
    """ISO day of the episode: a full tagged date, else the first date said aloud."""
    tags = tags or {}
    tagged = _tag(tags, "date") or _tag(tags, "year") or ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", tagged):
        return tagged[:10]
    year = int(tagged[:4]) if tagged[:4].isdigit() else None
    for section in sections:
        for sentence in section.sentences:
            found = spoken_date(sentence.text, year=year)
            if found:
                return found
    return None


# How a show names itself, most certain first: "welcome to X", "you're listening to X",
# "I'm Ana and this is X". The name runs to where the sentence goes on ("for the week of").
_SHOW_NAMED = tuple(re.compile(rf"\b{lead}\s*([^.,!?;:]{{3,60}})", re.I) for lead in (
    r"welcome (?:back )?to (?:(?:another|this|today's) (?:episode|edition) of )?",
    r"(?:you're|you are) listening to",
    r"\band this is",
))
_NAME_ENDS = re.compile(r"\s+(?:for|with|where|from|on|recorded|episode|the podcast|a podcast|here)\b.*", re.I)
OPENING_SENTENCES = 6  # a show names itself, and its guest, in its first few sentences
_NOT_A_SHOW = frozenset("the a an our this show podcast episode program programme today's another my".split())
_NOT_A_SHOW_START = frozenset("a an our this episode my your".split())


def _show_name(sections: Sequence[Section]) -> str | None:
    """The show's name as its opening says it ("Welcome to Founders in Conversation",
    "this is Morning Circuit for ..."), in title case; None when the opening names none."""
    for pattern in _SHOW_NAMED:
        for match in _in_opening(sections, pattern, OPENING_SENTENCES):
            words = _NAME_ENDS.sub("", match.group(1)).split()
            if not words or len(words) > 6 or words[0].lower() in _NOT_A_SHOW_START or all(
                    w.lower() in _NOT_A_SHOW for w in words):
                continue
            return " ".join(
                w if w[:1].isupper() or (i and w.lower() in TITLE_SMALL_WORDS) else w[:1].upper() + w[1:]
                for i, w in enumerate(words)
            )
    return None


_GUEST = re.compile(
    r"\b(?:[Mm]y|[Oo]ur) guests? (?:today |this week )?(?:is|are) ((?:[A-Z][\w'’-]+ ?){1,3})|"
    r"\b[Jj]oining (?:me|us) (?:today |now )?is ((?:[A-Z][\w'’-]+ ?){1,3})"
)


def _guest(sections: Sequence[Section]) -> str | None:
    """The guest an interview's opening introduces by name ("My guest today is ...")."""
    for match in _in_opening(sections, _GUEST, OPENING_SENTENCES + 2):
        return (match.group(1) or match.group(2)).strip()
    return None


def _in_opening(sections: Sequence[Section], pattern: re.Pattern, sentences: int):
    """Matches of ``pattern`` in the first sentences of the episode's first section."""
    opening = list(sections[0].sentences)[:sentences] if sections else []
    return (match for sentence in opening if (match := pattern.search(sentence.text)))


def _tag(tags: Mapping, key: str) -> str:
    for k, v in tags.items():
        if str(k).lower() == key:
            v = v[0] if isinstance(v, (list, tuple)) and v else v
            return str(v).strip() if v else ""
    return ""


def _spoken_form(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


_MONTHS = {m.lower(): i for names_ in (MONTHS, MONTH_ABBREVIATIONS) for i, m in enumerate(names_, start=1)}
_WEEKDAYS = WEEKDAYS
_ORDINALS = {w: i for i, w in enumerate(ORDINAL_WORDS, start=1)}
_ORDINALS.update({f"twenty {w}": 20 + i for w, i in list(_ORDINALS.items())[:9]})
_ORDINALS.update({"thirtieth": 30, "thirty first": 31})
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?|(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(" + "|".join(_WEEKDAYS) + r"),?\s+)?"
# "two thousand twenty six" can come back as "2000-26".
_YEAR = r"(?:,?\s+(?:of\s+)?(\d{4})(?:\s(\d{1,2})\b)?)?"
_MONTH_DAY = re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+(?:the\s+)?(?:{_DAY})\b{_YEAR}", re.I)
_DAY_MONTH = re.compile(rf"\b{_WEEKDAY}(?:the\s+)?(?:{_DAY})\s+(?:of\s+)?{_MONTH}{_YEAR}", re.I)


def spoken_date(text: str, *, year: int | None = None) -> str | None:
    """ISO date of the first date in ``text`` ("Friday, March 3", "November 20th, 2026").

    Without a spoken year, the weekday picks the year nearest ``year`` (default: this
    year) on which that day falls on that weekday; with neither, ``year`` is assumed.
    """
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        match = pattern.search(" ".join(text.replace("-", " ").split()))
        if not match:
            continue
        weekday, *rest, spoken_year, year_tail = match.groups()
        if spoken_year and year_tail and spoken_year.endswith("00"):
            spoken_year = str(int(spoken_year) + int(year_tail))
        month_name, digits, ordinal = rest if order == "md" else (rest[2], rest[0], rest[1])
        if month_name.lower() in ("may", "march") and month_name.islower():
            continue  # the verbs, not the months
        month = _MONTHS[month_name.lower().rstrip(".")]
        day = int(digits) if digits else _ORDINALS[" ".join(ordinal.lower().split())]
        found = _resolve(month, day, weekday, int(spoken_year) if spoken_year else None, year)
        if found:
            return found.isoformat()
    return None


def _resolve(month: int, day: int, weekday: str | None, spoken_year: int | None, near: int | None):
    near = near or datetime.date.today().year
    years = [spoken_year] if spoken_year else sorted(range(near - 6, near + 7), key=lambda y: abs(y - near))
    for y in years:
        try:
            date = datetime.date(y, month, day)
        except ValueError:
            continue
        if spoken_year or not weekday or _WEEKDAYS[date.weekday()] == weekday.lower():
            return date
    return None
