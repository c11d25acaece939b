"""Where one story ends and the next begins in a spoken show.

Lexical similarity alone (TextTiling) barely beats an even split on news shows: stories
share the vocabulary of the beat. Hosts, though, say out loud where they turn
("Meanwhile ...", "Turning to ..."), a new story brings new names, and speakers pause
between stories. Each gap between sentences gets a score from these four signals;
the best-scoring gaps, spaced at least a minimum section apart, become boundaries.
"""

from __future__ import annotations

import bisect
import functools
import re
import statistics
from typing import Sequence

from episodekit.model import Sentence
from episodekit.sentences import words

# Said at the start of a sentence that opens a new story or topic. Strong cues almost
# only occur at a turn; weak ones also start ordinary sentences inside a story.
STRONG_CUES = (
    "first up", "first off", "up first", "to start", "to begin", "we begin", "let's begin",
    "let's start", "starting with", "our top story", "our first story", "top story",
    "meanwhile", "turning to", "turning now to", "in other news", "next up", "our next story",
    "next story", "elsewhere", "also today", "also in the news", "moving on", "moving to",
    "over in", "over at", "over to", "switching gears", "shifting gears", "now to",
    "and now", "now for", "now on to", "on to", "onto", "in related news", "finally",
    "and finally", "last but not least", "lastly", "one more story", "one last story",
    "closing out", "in business news", "in research news", "in policy news",
    "in tech news", "in science news", "in health news", "let's talk about",
    "let's turn to", "let's move on", "let's get to", "i want to ask about",
    "i want to talk about", "tell me about", "talk to me about", "speaking of",
)
WEAK_CUES = (
    "next", "now", "also", "another", "on the", "separately", "in addition", "plus",
    "what about", "how about", "let's", "so let's",
)
# Phrases that open a show's closing part: plug, recap, sign-off.
OUTRO_CUES = (
    "that's all for", "that's it for", "that is all for", "that's our show",
    "that wraps up", "that's a wrap", "to wrap up", "before we go", "before we wrap",
    "before i let you go", "before we let you go", "to recap", "to sum up", "in summary",
    "quick recap", "a quick word from our sponsor", "brought to you by", "our sponsor",
    "thanks for listening", "thank you for listening", "thanks for joining",
    "thank you for joining", "thank you so much for joining", "see you tomorrow",
    "see you next", "until next time", "join us again", "one last question",
    "final question", "what comes next", "what's next for", "what is next for",
    "that's the brief", "that's the show", "that's today's", "that's this week's",
    "that's everything", "that's all from", "tell us what you", "let us know what you",
    "reply to this email", "replying to this email", "write to us", "send us your",
)
# Phrases of a show's opening, and those that hand over to the first story.
INTRO_CUES = (
    "welcome to", "welcome back", "i'm your host", "this is", "good morning", "good evening",
    "hello and welcome", "hi and welcome", "today on", "coming up", "on today's show",
    "on today's episode", "my guest", "joining me",
)
INTRO_ENDS = (
    "let's get started", "let's dive in", "let's get into it", "let's jump in",
    "let's get straight into it", "let's get going", "here we go", "let's begin",
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most much
    mustn't my myself no nor not now of off on once only or other ought our ours ourselves out
    over own really same she she'd she'll she's should shouldn't so some such than that that's
    the their theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up very was wasn't we we'd we'll we're we've
    were weren't what what's when when's where where's which while who who's whom why why's
    will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves yes yeah okay ok oh um uh well like actually basically right sure thing things
    lot lots kind sort get got go going gone say said says told tell think know mean want
    make made way one two also today next first meanwhile finally elsewhere new news story
    stories time year years day week month people something anything everything still even
    back again per cent percent every may might must many good great big just around
    hello welcome thanks thank show episode host guest let look lets monday tuesday
    wednesday thursday friday saturday sunday january february march april june july
    august september october november december""".split()
)

MIN_SECTION_SECONDS = 15.0
# A closing part often opens with a thought of the host's own before its first cue
# ("Long memory is the theme of the spring. ... That's the brief"): it starts at the
# longest pause this far before the cue, when that pause is a section's, not a sentence's.
OUTRO_LEAD_SECONDS = 45.0
OUTRO_PAUSE_RATIO = 1.8  # times the median pause between sentences
WORDS_PER_SECOND = 2.5  # used to place sentences in time when they carry no timings
WINDOW = 4  # sentences compared on each side of a gap
THRESHOLD = 0.5
LONG_SECTION_SECONDS = 150.0  # stories in a news show run one to two minutes
LONG_THRESHOLD = 0.3
LONG_SPACING = 40.0
AFTER_QUESTION = 0.5
QUESTION_CUE = 0.6  # as strong as a cue phrase, short of a sure one
_CLOSERS = "\"'”’)]"
WEIGHTS = {"cue": 0.5, "lexical": 0.25, "names": 0.2, "pause": 0.15}


def find_sections(sentences: Sequence[Sentence]) -> list[tuple[str, list[Sentence]]]:
    """Cut sentences into ``(kind, sentences)`` sections: intro, stories, outro."""
    sentences = list(sentences)
    if not sentences:
        return []
    times = _times(sentences)
    intro_end = _intro_end(sentences, times)
    outro_start = _outro_start(sentences, times, after=intro_end or 0)
    if outro_start is not None:
        outro_start = _outro_lead_in(sentences, times, outro_start, after=intro_end or 0)
    stop = outro_start if outro_start is not None else len(sentences)
    boundaries = _choose(boundary_scores(sentences), times, (intro_end or 0), stop)
    cuts = sorted({b for b in (intro_end, *boundaries, outro_start) if b})
    spans = list(zip([0, *cuts], [*cuts, len(sentences)]))
    sections = []
    for i, (a, b) in enumerate(spans):
        kind = "story"
        if i == 0 and intro_end is not None and len(spans) > 1:
            kind = "intro"
        elif i == len(spans) - 1 and outro_start is not None and len(spans) > 1:
            kind = "outro"
        sections.append((kind, sentences[a:b]))
    return sections


def boundary_scores(sentences: Sequence[Sentence]) -> list[float]:
    """How likely a new section starts at each sentence (index 0 always scores 0)."""
    signals = {
        "cue": [max(c, q) for c, q in zip(map(cue_strength, (s.text for s in sentences)), _question_turns(sentences))],
        "lexical": _lexical_depths(sentences),
        "names": _name_novelty(sentences),
        "pause": _pause_ranks(sentences),
    }
    scores = [sum(WEIGHTS[k] * signals[k][i] for k in WEIGHTS) for i in range(len(sentences))]
    # An answer belongs with its question, so a topic rarely starts right after one.
    for i in range(1, len(sentences)):
        if _asks(sentences[i - 1]):
            scores[i] *= AFTER_QUESTION
    scores[0] = 0.0
    return scores


def _question_turns(sentences: Sequence[Sentence]) -> list[float]:
    """Interviews turn to a new topic with a question after an answer.

    The asking turn may open with a statement ("You moved to Leeds. Why?"); it starts
    at whichever of the two follows the longer pause, as speakers change in a pause.
    """
    asks = [_asks(s) for s in sentences]
    gaps = _gaps(sentences)
    turns = [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        if asks[i] and not asks[i - 1]:
            lead_in = i - 1 if i > 1 and not asks[i - 2] and gaps[i - 1] > gaps[i] else i
            turns[lead_in] = QUESTION_CUE
    return turns


def _asks(sentence: Sentence) -> bool:
    return sentence.text.rstrip(_CLOSERS).endswith("?")


def cue_strength(text: str) -> float:
    """1 for a strong spoken transition at the sentence start, 0.4 for a weak one."""
    opening = _opening(text)
    if any(_starts_with(opening, cue) for cue in STRONG_CUES):
        return 1.0
    if any(_starts_with(opening, cue) for cue in WEAK_CUES):
        return 0.4
    return 0.0


def strip_cue(text: str) -> str:
    """The sentence without its leading transition ("First up, Acme ..." -> "Acme ...").

    A cue's topic words run to the first comma ("Turning to policy, the ..."); a weak
    cue counts only when a comma follows it ("Next, ..." but not "Next year ...").
    """
    opening = _opening(text)
    for cue in sorted(STRONG_CUES + WEAK_CUES, key=len, reverse=True):
        if not _starts_with(opening, cue):
            continue
        head = text.lstrip()
        after = head[len(cue) :]
        comma = after.find(",")
        if 0 <= comma and len(after[:comma].split()) <= 3:
            rest = after[comma + 1 :]
        elif cue in STRONG_CUES:
            rest = after
        else:
            return text
        rest = rest.lstrip(" ,:;-—")
        return rest[:1].upper() + rest[1:] if rest else text
    return text


def content_words(text: str) -> list[str]:
    """Stemmed words that carry topic: stopwords, numbers and short words dropped."""
    stem = _stemmer().stem
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]


_NAME = re.compile(r"\b[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|\d+))*")


def names(text: str) -> list[str]:
    """Capitalised runs ("Lumora Labs", "Halcyon 3") that are not just a sentence start."""
    found = []
    for match in _NAME.finditer(text):
        parts = match.group().rstrip(".").split()
        while parts and parts[0].lower() in STOPWORDS:  # "The", "Meanwhile", "I"
            parts = parts[1:]
        # A lone capitalised first word is just how sentences start.
        opens_sentence = match.start() == 0 or text[: match.start()].rstrip().endswith((".", "?", "!"))
        if parts and not (opens_sentence and len(parts) == 1) and parts[0].lower() not in _common():
            found.append(" ".join(parts))
    return found


def _times(sentences: Sequence[Sentence]) -> list[float]:
    """Start time of each sentence, estimated from word counts where none is given."""
    times, clock = [], 0.0
    for s in sentences:
        clock = s.start if s.start is not None else clock
        times.append(clock)
        clock = s.end if s.end is not None else clock + len(s.text.split()) / WORDS_PER_SECOND
    return times


def _intro_end(sentences: Sequence[Sentence], times: list[float]) -> int | None:
    """Index of the first story's sentence, if the show opens with a hook or welcome."""
    horizon = times[0] + max(90.0, (times[-1] - times[0]) * 0.2)
    opening = [i for i, t in enumerate(times) if t <= horizon]
    welcomed = any(_contains(sentences[i].text, INTRO_CUES) for i in opening)
    for i in opening[1:]:
        if _contains(sentences[i - 1].text, INTRO_ENDS):
            return i
        if welcomed and cue_strength(sentences[i].text) == 1.0:
            return i
    return None


def _outro_start(sentences: Sequence[Sentence], times: list[float], after: int) -> int | None:
    """Index where the closing plug, recap or sign-off begins, if there is one."""
    span = times[-1] - times[0]
    horizon = times[-1] - max(60.0, span * 0.25)
    for i in range(max(after + 1, 1), len(sentences)):
        if times[i] < horizon or not _contains(sentences[i].text, OUTRO_CUES):
            continue
        # A story announced after this point means it was a mid-show plug.
        if not any(cue_strength(s.text) == 1.0 for s in sentences[i + 1 :]):
            return i
    return None


def _outro_lead_in(sentences: Sequence[Sentence], times: list[float], cue: int, after: int) -> int:
    """Where the closing part begins: at ``cue``, or at a section-length pause shortly
    before it. The last story keeps its announcement and at least one sentence more."""
    gaps = _gaps(sentences)
    announced = max((i for i in range(after, cue) if cue_strength(sentences[i].text) == 1.0), default=after)
    window = [i for i in range(announced + 2, cue) if times[i] >= times[cue] - OUTRO_LEAD_SECONDS
              and not _asks(sentences[i - 1])]  # an answer stays with its question
    if not window or len(gaps) < 3:
        return cue
    longest = max(window, key=gaps.__getitem__)
    section_pause = OUTRO_PAUSE_RATIO * statistics.median(gaps[1:])
    return longest if gaps[longest] >= section_pause and gaps[longest] > gaps[cue] else cue


def _choose(scores: list[float], times: list[float], lo: int, hi: int) -> list[int]:
    """Best-scoring gaps above the threshold, no two closer than a minimum section.

    A span still longer than a story usually runs is then cut at its best gaps on
    weaker evidence: shows without spoken transitions still change topic.
    """
    end_time = times[hi] if hi < len(times) else times[-1] + MIN_SECTION_SECONDS
    bounds = {lo: times[lo], hi: end_time}
    for threshold, spacing, longer_than in (
        (THRESHOLD, MIN_SECTION_SECONDS, 0.0),
        (LONG_THRESHOLD, LONG_SPACING, LONG_SECTION_SECONDS),
    ):
        for i in sorted(range(lo + 1, hi), key=lambda i: -scores[i]):
            if scores[i] < threshold:
                break
            before = max(t for t in bounds.values() if t <= times[i])
            after = min(t for t in bounds.values() if t >= times[i])
            if after - before > longer_than and min(times[i] - before, after - times[i]) >= spacing:
                bounds[i] = times[i]
    return sorted(c for c in bounds if lo < c < hi)


def _lexical_depths(sentences: Sequence[Sentence]) -> list[float]:
    """TextTiling depth: how far similarity across a gap dips below its neighbours."""
    bags = [content_words(s.text) for s in sentences]
    sims = [_cosine(_window(bags, i - WINDOW, i), _window(bags, i, i + WINDOW)) for i in range(len(bags))]
    depths = []
    for i, sim in enumerate(sims):
        left = max(sims[max(1, i - WINDOW) : i + 1], default=sim)
        right = max(sims[i : i + WINDOW + 1], default=sim)
        depths.append(left + right - 2 * sim)
    top = max(depths[1:], default=0.0) or 1.0
    return [d / top for d in depths]


def _name_novelty(sentences: Sequence[Sentence]) -> list[float]:
    """Share of the names just after a gap that were not heard just before it."""
    found = [{n.lower() for n in names(s.text)} for s in sentences]
    novelty = []
    for i in range(len(sentences)):
        before = set().union(*found[max(0, i - 2 * WINDOW) : i])
        after = set().union(*found[i : i + 2])
        novelty.append(len(after - before) / len(after) if after and before else 0.0)
    return novelty


def _pause_ranks(sentences: Sequence[Sentence]) -> list[float]:
    """Each gap's rank among all gaps, kept only for the longer half of them."""
    gaps = _gaps(sentences)
    ordered = sorted(gaps[1:])
    if not ordered or ordered[-1] <= ordered[0]:
        return [0.0] * len(gaps)
    median = statistics.median(ordered)
    return [
        max(0.0, 2 * bisect.bisect_left(ordered, g) / (len(ordered) - 1) - 1) if g > median else 0.0
        for g in gaps
    ]


def _gaps(sentences: Sequence[Sentence]) -> list[float]:
    """Silence before each sentence (0 for the first, or where timings are missing)."""
    return [0.0] + [
        (b.start - a.end) if a.end is not None and b.start is not None else 0.0
        for a, b in zip(sentences, sentences[1:])
    ]


def _window(bags: list[list[str]], a: int, b: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for bag in bags[max(0, a) : max(0, b)]:
        for w in bag:
            counts[w] = counts.get(w, 0) + 1
    return counts


def _cosine(a: dict[str, int], b: dict[str, int]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
    return dot / norm


def _opening(text: str) -> str:
    return " ".join(words(text.replace("’", "'")[:80]))


def _starts_with(opening: str, cue: str) -> bool:
    cue = " ".join(words(cue))
    return opening == cue or opening.startswith(cue + " ")


def _contains(text: str, phrases: Sequence[str]) -> bool:
    flat = " " + " ".join(words(text.replace("’", "'"))) + " "
    return any(" " + " ".join(words(p)) + " " in flat for p in phrases)


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@functools.lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """Words that start sentences in capitals without being names."""
    cues = {w for cue in STRONG_CUES + WEAK_CUES for w in cue.split()}
    return STOPWORDS | cues
