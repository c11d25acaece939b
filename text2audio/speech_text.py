"""Written text -> text a voice reads naturally: money, numbers, dates, versions, symbols.

``speakable`` runs a pipeline of small rules in order; earlier rules see the richer
written forms ("$115–135 billion") before later ones take the symbols apart. The last
rule removes any symbol still left, so a voice never spells out "dollar sign" or
"underscore" whatever the input was.
"""

from __future__ import annotations

import re

MONTHS = (
    "January February March April May June July August September October November December"
).split()

_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_DASH = r"\s?(?:[-–—]|to)\s?"
_CURRENCIES = {"$": "dollar", "US$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "₹": "rupee"}
_SCALES = {
    "k": "thousand", "thousand": "thousand",
    "m": "million", "mn": "million", "mm": "million", "million": "million",
    "b": "billion", "bn": "billion", "billion": "billion",
    "t": "trillion", "tn": "trillion", "trillion": "trillion",
}
_MONEY = re.compile(
    rf"(?P<cur>US\$|[$€£¥₹])\s?(?P<low>{_NUMBER})"
    rf"(?:\s?(?P<low_scale>[KMBT]|bn|mn)\b)?"
    rf"(?:{_DASH}(?:US\$|[$€£¥₹])?(?P<high>{_NUMBER}))?"
    rf"(?:\s?(?P<scale>[kKmMbBtT]|bn|mn|mm|tn|(?i:thousand|million|billion|trillion))\b)?"
    rf"(?P<plus>\+)?"
)


def spoken_money(match: re.Match) -> str:
    low, high = match["low"], match["high"]
    scale = _SCALES.get((match["scale"] or "").lower())
    low_scale = _SCALES.get((match["low_scale"] or "").lower())
    amount = f"{low} {low_scale}" if low_scale and high else low
    if high:
        amount = f"{amount} to {high}"
    if scale or low_scale:
        amount = f"{amount} {scale or low_scale}"
    unit = _CURRENCIES[match["cur"]]
    plural = unit if (unit == "yen" or (low == "1" and not high and not scale and not low_scale)) else unit + "s"
    spoken = f"{amount} {plural}"
    return f"more than {spoken}" if match["plus"] else spoken


def money(text: str) -> str:
    """"$115–135 billion" -> "115 to 135 billion dollars", "€5M" -> "5 million euros"."""
    return _MONEY.sub(spoken_money, text)


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_DAY_START = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|[T ]\d)")


def spoken_date(iso_day: str) -> str:
    """"2026-04-07" -> "April 7, 2026"; text that is not a valid day comes back unchanged."""
    match = _ISO_DATE.fullmatch(iso_day.strip()[:10]) if _ISO_DAY_START.match(iso_day.strip()) else None
    if not match:
        return iso_day
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return iso_day
    return f"{MONTHS[month - 1]} {day}, {year}"


# A timestamp is said as its day: "2025-01-21T03:00:00.000Z" -> "January 21, 2025".
_ISO_TIMESTAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?!\w)")


def dates(text: str) -> str:
    text = _ISO_TIMESTAMP.sub(lambda m: spoken_date(m.group(1)), text)
    return _ISO_DATE.sub(lambda m: spoken_date(m.group()), text)


def identifiers(text: str) -> str:
    """"CVE-2025-23083" -> "CVE 2025 23083": letters and two or more number groups name
    one thing; read as a range or a version it would say something else."""
    return re.sub(r"\b[A-Za-z]+(?:-\d+){2,}\b", lambda m: m.group().replace("-", " "), text)


def percentages(text: str) -> str:
    return re.sub(rf"({_NUMBER})\s?%", r"\1 percent", text)


def versions(text: str) -> str:
    """"GPT-5.4" -> "GPT 5 point 4", "v2.1" -> "version 2.1"."""
    text = re.sub(r"\b[vV](\d+(?:\.\d+)*)\b", r"version \1", text)
    return re.sub(
        r"\b([A-Za-z]+)-(\d+(?:\.\d+)*)(?!\d|[.,]\d)",
        lambda m: f"{m[1]} {m[2].replace('.', ' point ')}",
        text,
    )


def ranges(text: str) -> str:
    """"7-13" -> "7 to 13": a dash between two numbers is a range."""
    return re.sub(rf"(?<![\w.-])({_NUMBER})\s?[-–—]\s?({_NUMBER})(?![\w-])", r"\1 to \2", text)


_ABBREVIATIONS = (
    (r"\be\.\s?g\.,?", "for example"),
    (r"\bi\.\s?e\.,?", "that is"),
    (r"\bvs\.?(?=\s)", "versus"),
    (r"\bapprox\.", "approximately"),
    (r"\betc\.", "et cetera"),
    (r"\best\.", "estimated"),
    (r"\bincl\.", "including"),
    (r"\bavg\.", "average"),
    (r"\band/or\b", "and or"),
    (r"\bw/o\b", "without"),
    (r"\bw/(?=\s)", "with"),
    (r"\baka\b", "also known as"),
    (r"\bNo\.\s?(?=\d)", "number "),
    (r"\b24/7\b", "around the clock"),
)


def abbreviations(text: str) -> str:
    for pattern, spoken in _ABBREVIATIONS:
        text = re.sub(pattern, spoken, text)
    return text


_SYMBOLS = (
    (r"(?<=\d)\s?[x×]\b", " times"),
    (r"~\s?(?=\d)", "about "),
    (r"≈", " about "),
    (rf"({_NUMBER})\+", r"more than \1"),
    (r"\+(?=\s|$|[.,;:!?)])", " plus"),  # "C++", "Disney+": a trailing plus is still said
    (r"\+", " plus "),
    (r"&", " and "),
    (r"\bat\s+@(?=\w)", "at "),  # "tag us at @name": the at is already said
    (r"@", " at "),
    (r"#(?=\d)", " number "),  # "rust#1234" is issue 1234 of rust
    (r"(?<=\d)\s?/\s?(?=\d)", " slash "),
    (r"(?<=[A-Za-z])\s?/\s?(?=[A-Za-z])", " or "),
    (r"\s?(?:->|→|⇒)\s?", " to "),
    (r"(?<=\d)\s?°\s?C\b", " degrees Celsius"),
    (r"(?<=\d)\s?°\s?F\b", " degrees Fahrenheit"),
    (r"°", " degrees"),
    (r"\s?(?:<=|≤)\s?", " at most "),
    (r"\s?(?:>=|≥)\s?", " at least "),
    (r"\s<\s?(?=\d)", " under "),
    (r"\s>\s?(?=\d)", " over "),
    (r"(?<=\s)=(?=\s)", "equals"),
    (r"\s?\|\s?", ", "),
    (r"%", " percent"),
    (r"(?<=\d)\s?\$", " dollars"),
)
_UNSPOKEN = re.compile(r"[$%&#@*_`~<>|{}\[\]^\\=]+")


def symbols(text: str) -> str:
    for pattern, spoken in _SYMBOLS:
        text = re.sub(pattern, spoken, text)
    return _UNSPOKEN.sub(" ", text)


def tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)", "", text)  # brackets whose symbols were all taken out
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    return re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)


RULES = (dates, identifiers, money, percentages, versions, ranges, abbreviations, symbols, tidy)


def speakable(text: str) -> str:
    """Text normalised for a voice; never contains ``$ % & # @ * _ ` ~ < > | { } [ ] ^ \\ =``."""
    for rule in RULES:
        text = rule(text)
    return text
