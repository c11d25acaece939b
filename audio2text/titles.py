"""Headings for sections and the episode, and the date a host says aloud.

A section heading names what the section is about: its main named thing (company,
product, place) and its key phrase, found as in RAKE: runs of words between stopwords,
scored by how often their words recur in the section and how early they appear.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Mapping, Sequence

from episodekit.model import Section, Sentence

from episodekit.lexicon import STOPWORDS

from .spoken_cues import names, strip_cue

MIN_TITLE_WORDS = 3
MAX_TITLE_WORDS = 8
MAX_PHRASE_WORDS = 3
LEAD_SENTENCES = 3  # a news story names its subject in its first sentences

_TOKEN = re.compile(r"[A-Za-z0-9$][\w'’$%-]*|[^\w\s]")


def section_title(sentences: Sequence[Sentence], taken: set[str]) -> str:
    """A heading of 3 to 8 words, unlike any in ``taken``; it is added to ``taken``."""
    texts = [strip_cue(s.text) for s in sentences]
    used = {w for t in taken for w in t.lower().replace(":", " ").split()}
    phrases = _ranked_phrases(texts, used)
    main = main_subject(texts)
    rest = [p for p in phrases if not _overlaps(p, main)]
    title = None
    for candidate in _titles(main, rest):
        if candidate.lower() not in {t.lower() for t in taken}:
            title = candidate
            break
    if title is None:  # every wording is taken: number the repeat
        base = next(iter(_titles(main, rest)), "More from this episode")
        title = _numbered(base, taken)
    taken.add(title)
    return title


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
                   if capitalised[word.lower()] > 1 and word.lower() not in STOPWORDS | _HEADLINE_FILLER]
    if not candidates:
        return None
    joined = " ".join(texts)
    best: dict[str, tuple] = {}
    for index, name in candidates:
        person = bool(_PERSON_BEFORE.search(joined.split(name)[0][-40:] + " " + name.split()[0]) or re.search(
            rf"{re.escape(name)},?\s+(?:said|says|told|explained|added|argued)\b", joined))
        generic = all(w.lower() in _GENERIC_NAME_WORDS for w in name.split())
        repeats = max(capitalised[w.lower()] for w in name.split())
        rank = (person, generic, -(repeats + (index < LEAD_SENTENCES)), index)
        best[name] = min(best.get(name, rank), rank)
    subject = min(best, key=best.__getitem__)
    return None if best[subject][0] else subject


# Words that name a kind of organisation rather than which one ("the University of X").
_GENERIC_NAME_WORDS = frozenset(
    """university college institute institution labs lab museum company group team project
    capital partners ventures fund foundation agency ministry department government parliament
    council court act bill law association society school hospital center centre""".split()
)

_PERSON_BEFORE = re.compile(
    r"\b(?:professor|dr|doctor|chief|executive|ceo|cto|founder|co-founder|scientist|director|minister|"
    r"analyst|analysts|spokesperson|spokesman|spokeswoman|maintainer|researcher|engineer|reporter|"
    r"mr|ms|mrs|president|senator|author|host)\.?,?\s*$",
    re.I,
)


def _titles(main: str | None, rest: list[str]):
    """Headings from most to least specific: main name with each key phrase in turn."""
    parts = ([main] if main else []) + rest
    for i in range(len(parts)):
        lead = [parts[0], parts[i]] if main and i else [parts[i]]
        words = " ".join(lead).split()
        for extra in parts:
            if len(words) >= MIN_TITLE_WORDS:
                break
            if not any(_overlaps(extra, part) for part in lead):
                lead.append(extra)
                words = " ".join(lead).split()
        if len(words) >= MIN_TITLE_WORDS:
            yield _join(lead)


def _join(parts: list[str]) -> str:
    head = parts[0] if not parts[1:] else parts[0] + ": " + ", ".join(parts[1:])
    words = head.split()[:MAX_TITLE_WORDS]
    text = " ".join(words).rstrip(",:")
    return text[:1].upper() + text[1:]


def _numbered(base: str, taken: set[str]) -> str:
    words = base.split()[: MAX_TITLE_WORDS - 2]
    n = 2
    while f"{' '.join(words)}, part {n}".lower() in {t.lower() for t in taken}:
        n += 1
    return f"{' '.join(words)}, part {n}"


def _ranked_phrases(texts: list[str], used: set[str]) -> list[str]:
    """Candidate phrases, best first; words already heading another section count less."""
    runs: list[tuple[int, list[str]]] = []
    for index, text in enumerate(texts):
        current: list[str] = []
        for token in _TOKEN.findall(text) + ["."]:
            lowered = token.lower()
            if lowered in STOPWORDS or lowered in _HEADLINE_FILLER or not token[0].isalnum() and token[0] != "$":
                if current:
                    runs.append((index, current[:MAX_PHRASE_WORDS]))
                current = []
            else:
                current.append(token)
    counts = Counter(w.lower() for _, run in runs for w in run)
    named = {w.lower() for t in texts for n in names(t) for w in n.split()}
    best: dict[str, float] = {}
    for index, run in runs:
        if all(w.isdigit() for w in run):
            continue
        # A word heard once adds little: the heading should carry what recurs.
        score = sum(
            (counts[w.lower()] if counts[w.lower()] > 1 else 0.5)
            * (2.0 if w.lower() in named else 1.0)
            * (0.3 if w.lower() in used else 1.0)
            for w in run
        )
        score *= 1.5 if index < LEAD_SENTENCES else 1.0
        phrase = " ".join(run)
        best[phrase] = max(best.get(phrase, 0.0), score)
    unique: dict[str, str] = {}  # one spelling per phrase, ignoring case
    for phrase in sorted(best, key=lambda p: -best[p]):
        unique.setdefault(phrase.lower(), phrase)
    return list(unique.values())


# Verbs and vague words that make a key phrase read as a sentence fragment in a
# heading ("Brightwater builds picking", "Fernleaf come"); no tagger ships offline.
_HEADLINE_FILLER = frozenset(
    """build builds built come comes came receive received receives announce announced announces
    release released releases launch launched launches unveil unveiled unveils publish published
    call called calls report reported reports plan plans planned use uses used want wants wanted
    need needs needed run runs ran find finds found ask asked asks give gave gives keep keeps kept
    show shows showed start started starts become became becomes put take took takes work works
    worked help helps helped try tried tries seem seems seemed feel felt leave left bring brought
    begin began allow allows allowed expect expects expected include includes included cut cuts
    claim claims claimed point pointed note noted add added hold holds held sit sits sat stay
    quick quickly comfortably honestly literally probably already almost nearly roughly about
    able across along among another certain enough whole maybe yet though although however
    """.split()
)


def _overlaps(a: str, b: str | None) -> bool:
    return b is not None and bool(set(a.lower().split()) & set(b.lower().split()))


def episode_title(sections: Sequence[Section], tags: Mapping | None = None) -> str:
    """The tagged title, or the show's name heard in its welcome with the guest it
    introduces or its first stories' subjects. The date is added when known."""
    tags = tags or {}
    title = _tag(tags, "title")
    if not title:
        stories = [s for s in sections if s.kind == "story"] or list(sections)
        guest = _guest(sections)
        # A heading's subject comes before its colon ("Corvid 3: 1 million tokens").
        topics = f"with {guest}" if guest else _topics(
            [s.title.split(": ")[0] for s in stories[:2]], more=len(stories) > 2)
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


_WELCOME = re.compile(
    r"\bwelcome (?:back )?to (?:(?:another|this|today's) (?:episode|edition) of )?([^.,!?;:]{3,60})", re.I
)
OPENING_SENTENCES = 6  # a show names itself, and its guest, in its first few sentences
_NOT_A_SHOW = frozenset("the a our this show podcast episode program programme today's another".split())
_LOWER_IN_TITLES = frozenset("a an and at for in of on or the to with".split())


def _show_name(sections: Sequence[Section]) -> str | None:
    """The show's name from its welcome ("Welcome to Founders in Conversation"), in
    title case, as the opening says it; None when the opening names no show."""
    for match in _in_opening(sections, _WELCOME, OPENING_SENTENCES):
        words = match.group(1).split()
        if len(words) > 6 or all(w.lower() in _NOT_A_SHOW for w in words):
            continue
        return " ".join(
            w if w[:1].isupper() or (i and w.lower() in _LOWER_IN_TITLES) else w[:1].upper() + w[1:]
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


def _topics(titles: list[str], more: bool) -> str:
    if not titles:
        return "Episode"
    if more:
        return f"{', '.join(titles)} and more"
    return " and ".join(titles)


def _tag(tags: Mapping, key: str) -> str:
    for k, v in tags.items():
        if str(k).lower() == key:
            v = v[0] if isinstance(v, (list, tuple)) and v else v
            return str(v).strip() if v else ""
    return ""


def _spoken_form(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


_MONTHS = {
    m.lower(): i
    for i, names_ in enumerate(
        zip(
            "January February March April May June July August September October November December".split(),
            "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
        ),
        start=1,
    )
    for m in names_
}
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_ORDINALS = {
    w: i
    for i, w in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split(),
        start=1,
    )
}
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
