"""Remove what must never be read aloud: code, URLs, emoji, markup and page chrome.

Two pipelines of small named rules. The block rules work on whole lines and run before
structure is found, so a share bar is never mistaken for a heading and a code listing
never for prose. The inline rules work inside a sentence and run before speech.
"""

from __future__ import annotations

import html
import re
import unicodedata

from episodekit.lexicon import DETERMINERS, LANGUAGE_NAMES

# --- code -------------------------------------------------------------------------------

# Lines that are code whatever surrounds them.
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:from\s+[\w.]+\s+)?import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+)*\s*$
      | (?:async\s+)?def\s+\w+\s*\(
      | class\s+\w+\s*[(:]
      | (?:return|yield|await|raise)\b(?!\s+(?:of|to|the|a|an)\b)
      | (?:if|elif|for|while|with|try|except|else|finally)\b[^.]*:\s*$
      | (?:pip3?|npm|npx|yarn|pnpm|brew|apt(?:-get)?|conda|uv|poetry|cargo|docker|git|curl|wget)\s+\S
      | python3?\s+-?\S
      | \$\s+\S
      | >>>
      | \#!
      | @\w+(?:\.\w+)*(?:\(.*\))?\s*$
      | [\w.\[\]'"]+\s*(?:[-+*/]?=)\s*(?!=)\S.*[^.!?]\s*$
      | [\w.]+\(.*\)\s*;?\s*$
      | [{}\[\]()]+[,;]?\s*$
      | .*[{;]\s*$
      | "[^"\n]+"\s*:\s*\S                           # a JSON member
      | (?:\"\"\"|\'\'\')                              # a docstring's quotes
      | (?:error|warning)\[\w+\]:                      # compiler diagnostics and their arrows
      | -->\s*\S+:\d+
      | \d*\s*\|(?:\s|$)
      | Traceback\s\(most\srecent\scall\slast\):
      | File\s"[^"]+",\sline\s\d+
    )""",
    re.X,
)
# Lines that are code only when next to code: comments, indented continuation, blanks.
_CODE_CONTINUATION = re.compile(r"^\s*(?:#.*|//.*|$)|^(?:\t| {2,})\S")


def drop_code_blocks(text: str) -> str:
    """Fenced blocks, then listings recognised by their syntax and indentation."""
    lines = text.split("\n")
    return "\n".join(line for line, code in zip(lines, code_lines(lines)) if not code)


_FENCE_LINE = re.compile(r"^[ \t]*(```|~~~)")


def code_lines(lines: list[str]) -> list[bool]:
    """Which lines are code: inside a fence (the fence lines too), or code by their own
    syntax, with the comments and indented lines next to them. Blank lines are never code:
    they separate paragraphs."""
    is_code, fence = [], None
    for line in lines:
        opener = _FENCE_LINE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
            is_code.append(True)
        elif fence is not None:
            is_code.append(True)
            if line.strip() == fence or (line.strip().startswith(fence) and not line.strip().strip(fence[0])):
                fence = None
        else:
            is_code.append(bool(_CODE_LINE.match(line)))
    _spread_to_continuations(lines, is_code)
    return is_code


def _spread_to_continuations(lines: list[str], is_code: list[bool]) -> None:
    # Forward then backward, so a comment heading a listing and an indented body both join it.
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        previous = None
        for i in order:
            if not is_code[i] and previous is not None and is_code[previous]:
                is_code[i] = bool(_CODE_CONTINUATION.match(lines[i]))
            previous = i
    # Blank lines let the spread bridge a listing's gaps, but they stay: they separate paragraphs.
    for i, line in enumerate(lines):
        if not line.strip():
            is_code[i] = False


# Template and attribute syntax a site generator expands or hides: Liquid and Nunjucks
# tags, comments and output ({% include x %}, {# note #}, {{ page.title }}) and kramdown
# attribute lists after a heading ({: #anchor }).
_TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}|\{\{.*?\}\}|\{:[^}\n]*\}", re.S)


def drop_template_tags(text: str) -> str:
    return _TEMPLATE_TAG.sub("", text)


# Inline code that is a command line, a flag, a path or an assignment, not a name.
_INLINE_CODE = re.compile(
    r"""^(?:
        -{1,2}[A-Za-z]            # a flag
      | [~.]{0,2}/\S             # a path
      | \$\s                     # a shell prompt
    )
    | ^\S+/\S+/                  # a path with folders
    | [=;{}<>|]                   # an assignment, a block, a redirection
    | \s-{1,2}[A-Za-z]            # a command with its flags
    """,
    re.X,
)


def is_code_text(text: str) -> bool:
    return bool(_INLINE_CODE.search(text.strip()))


def code_in_words(code: str, after: str = "") -> str:
    """What a narrator says for code in a sentence: a command's leading words ("cargo
    check" for ``cargo check --workspace``), else what it is ("a flag", "a path", "a
    setting"); after "the" or "your" the noun stands alone."""
    if tag := re.fullmatch(r"\s*</?([A-Za-z][\w-]*)\s*/?>\s*", code):
        return tag.group(1)  # an element's name: "the <video> element"
    if folder := re.fullmatch(r"\s*[~.]?/?([A-Za-z][\w-]*)/\s*", code):
        return re.sub(r"[_-]+", " ", folder.group(1))  # one folder's name: "/node_modules/"
    words = []
    for token in code.split():
        if not re.fullmatch(r"[A-Za-z][\w.]*", token):
            break
        words.append(token)
    if words and len(words) < len(code.split()) and not re.search(r"[=;{}<>|]", code):
        return " ".join(words)
    stripped = code.strip()
    noun = "flag" if stripped.startswith("-") else "path" if "/" in stripped else "setting"
    previous = after.split()[-1].lower() if after.split() else ""
    return noun if previous in DETERMINERS else f"a {noun}"


# --- page chrome -----------------------------------------------------------------------

_CHROME_LINE = re.compile(
    r"""^\W*(?:
        (?:«\s*)?(?:previous|older|newer|next)\s+(?:post|article|story|entry)\b.*
      | \d+\s+(?:comments?|replies|responses|shares|likes)
      | (?:no|leave\s+a|add\s+a|view|show)\s+(?:comments?|reply)\b.*
      | (?:share|tweet|post)(?:\s+(?:this|it|on|to|via|article|story|post))*\s*
        (?:[:|]|x\b|twitter|facebook|linkedin|reddit|email|bluesky|threads|mastodon|whatsapp).*
      | share\s*[:|]?
      | follow\s+(?:us|me)\b.*
      | (?:subscribe|sign\s+up|join|get)\b.{0,40}\b(?:newsletter|inbox|updates|mailing\s+list)\b.*
      | subscribe(?:\s+now|\s+for\s+free)?
      | (?:©|\(c\)|copyright\b).*
      | all\s+rights\s+reserved.*
      | \d+\s*(?:min(?:ute)?s?|hours?)\s+(?:read|listen|watch)(?:ing\s+time)?
      | (?:read|continue\s+reading|read\s+the\s+full\s+(?:story|article|post)|learn\s+more)(?:\s+more)?\W*
      | (?:skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|table\s+of\s+contents
         |related\s+(?:posts|articles|stories)|you\s+may\s+also\s+like|advertisement|sponsored)\W*
      | (?:tags|filed\s+under|posted\s+in|categories)\s*:.*
    )\W*$""",
    re.X | re.I,
)
_LONGEST_CHROME_WORDS = 16  # chrome is short; a longer line is prose that happens to match


def is_page_chrome(line: str) -> bool:
    """A line of site furniture: navigation, share bars, comment counters, footers."""
    line = line.strip()
    if not line:
        return False
    if _is_language_switcher(line):
        return True
    return len(line.split()) <= _LONGEST_CHROME_WORDS and bool(_CHROME_LINE.match(line))


def _is_language_switcher(line: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s*[|/·•]\s*", line) if p.strip()]
    # Language codes have one shape ("en | ja | pt-BR"); names are looked up.
    codes = len(parts) >= 3 and all(re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?", p) for p in parts)
    return codes or (len(parts) >= 2 and sum(p.lower() in LANGUAGE_NAMES for p in parts) * 2 > len(parts))


# A hashtag, a handle, or a forum's name ("/r/python", "r/LocalLLaMA").
_TAG_TOKEN = re.compile(r"^(?:[#@]|/?r/)[\w.@-]*[A-Za-z][\w.@-]*,?$")


def is_tag_soup(line: str) -> bool:
    """Hashtags, handles and forum names, bare or after a short label ("Tags: #ai #funding", "By: @lee"):
    metadata for a site's index, not something a narrator reads."""
    head, colon, value = line.partition(":")
    tokens = (value if colon and len(head.split()) <= 3 else line).split()
    return bool(tokens) and all(_TAG_TOKEN.match(t) for t in tokens)


def drop_page_chrome(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not is_page_chrome(line))


# --- inline ----------------------------------------------------------------------------

_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>", re.S)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]", re.I)
_BRACKETED_URL = re.compile(r"\s*[(\[<]\s*(?:https?://|www\.)[^\s)\]>]*\s*[)\]>]", re.I)
_READ_MORE_TAIL = re.compile(r"\s*(?:read|continue reading|learn)\s+more\W*$", re.I)
# Underscores inside a word ("x_google_ignoreList") are part of a name, not emphasis.
_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1|(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\3(?!\w)")
_LEFTOVER_MARKS = re.compile(r"\*\*|__|`+|^\s*#{1,6}\s+|^\s*>\s?|\s#{1,6}\s*$", re.M)
_KEPT_SYMBOLS = {"°"}  # a unit, spoken by the speech stage


def strip_html_tags(text: str) -> str:
    return html.unescape(_HTML_TAG.sub(" ", text))


def unwrap_markdown_links(text: str) -> str:
    return _MARKDOWN_LINK.sub(r"\1", _MARKDOWN_IMAGE.sub("", text))


def replace_urls(text: str) -> str:
    """A URL in brackets is a citation and goes; one in the prose, or a bare domain
    ("example.org"), becomes the site's name ("example"), as a narrator would say it."""
    text = _URL.sub(lambda m: site_name(m.group()), _BRACKETED_URL.sub("", text))
    return _DOMAIN.sub(lambda m: site_name(m.group()), text)


# Top-level domains seen in prose; a name with one of these endings is a web address.
_TLDS = "com org net io dev ai fm cc rs info gov edu app co me uk de fr jp tv ly gg xyz news blog page site"
_DOMAIN = re.compile(rf"\b(?:www\.)?(?:[A-Za-z0-9-]+\.)+(?:{'|'.join(_TLDS.split())})\b(?![.\w-]*\()", re.I)


_SECOND_LEVELS = frozenset("co com org ac gov net edu".split())


def site_name(url: str) -> str:
    """``https://www.news.example.co.uk/a/b`` -> ``example``: the name a site goes by."""
    # Parsed by hand: a URL pasted from a page may be malformed, and urllib refuses those.
    host = re.sub(r"^[a-z]+://", "", url, flags=re.I).split("/")[0].split("?")[0].split("#")[0]
    host = host.rpartition("@")[2].split(":")[0].strip("[]")
    labels = [label for label in host.split(".") if label and label.lower() != "www" and re.search(r"\w", label)]
    if len(labels) > 1:
        labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1].lower() in _SECOND_LEVELS:
        labels = labels[:-1]  # a second level such as ".co.uk"
    return labels[-1].replace("-", " ") if labels else ""


def drop_emoji(text: str) -> str:
    return "".join(ch for ch in text if not _is_pictograph(ch))


def _is_pictograph(ch: str) -> bool:
    code = ord(ch)
    return (
        0x1F000 <= code <= 0x1FAFF  # emoji, pictographs, flags, skin tones
        or 0x2600 <= code <= 0x27BF  # dingbats and miscellaneous symbols
        or 0x2B00 <= code <= 0x2BFF
        or code in (0x200D, 0xFE0E, 0xFE0F, 0x20E3)  # joiners and presentation selectors
        or (unicodedata.category(ch) == "So" and ch not in _KEPT_SYMBOLS)
    )


# What is left of "(🌟 = first patch)" once the emoji is gone: a legend for a symbol.
_ORPHAN_LEGEND = re.compile(r"\s*\(\s*[=:]\s*[^()]*\)")
# A command-line flag in prose: "(--permission)", "pass --verbose".
_BARE_FLAG = re.compile(r"\s*\(\s*--?[A-Za-z][\w-]*(?:=[^\s)]*)?\s*\)|(?<![\w-])--[A-Za-z][\w-]*(?:=\S*)?")


def drop_orphans(text: str) -> str:
    """Legends whose symbol was removed, and flags set in running prose."""
    return _BARE_FLAG.sub("", _ORPHAN_LEGEND.sub("", text))


def strip_markup(text: str) -> str:
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
    return _READ_MORE_TAIL.sub("", _LEFTOVER_MARKS.sub(" ", text))


def tidy_whitespace(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\(\s*\)|\[\s*\]", "", text))


BLOCK_RULES = (drop_code_blocks, drop_page_chrome)
INLINE_RULES = (
    strip_html_tags, unwrap_markdown_links, replace_urls, drop_emoji, drop_orphans, strip_markup, tidy_whitespace,
)


def clean_blocks(text: str) -> str:
    """Whole lines that are not prose removed; what remains keeps its line structure."""
    for rule in BLOCK_RULES:
        text = rule(text)
    return text


def clean_inline(text: str) -> str:
    for rule in INLINE_RULES:
        text = rule(text)
    return text


def clean_text(text: str) -> str:
    """Everything that must not be spoken removed, prose kept as written."""
    return clean_inline(clean_blocks(text))
