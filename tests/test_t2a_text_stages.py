"""The text stages of text2audio: reading roundups, cleaning, speech text, script, brief."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from episodekit.errors import ConversionError
from episodekit.model import Episode, Paragraph, Section
from text2audio.brief import fit_script, merge_roundups
from text2audio.cleaning import clean_text, code_in_words, is_page_chrome
from text2audio.metadata import document_metadata
from text2audio.readers import decode, read_roundup, read_roundup_text
from text2audio.script import build_script, render_script_markdown, transitions
from text2audio.speech_text import speakable
from text2audio.stories import StoryOptions
from text2audio.timing import estimated_seconds, script_seconds

ROUNDUPS = Path(__file__).resolve().parent.parent / "samples" / "roundups"
SAMPLES = ["weekly-ai-digest.md", "model-news-numbered.txt", "top-stories-quick-hits.txt"]
UNSPOKEN = re.compile(r"[$%&#@*_`~<>|{}\[\]^\\=]")
MARKUP_OR_CODE = re.compile(r"https?://|www\.|\*\*|__|`|\]\(|</?\w+>|\bimport\b|\bdef\s|pip install|>>>|load_model")


def gold_stories(name: str) -> list[str]:
    gold = ROUNDUPS.with_name("roundups-gold") / f"{name.rsplit('.', 1)[0]}.stories.json"
    return json.loads(gold.read_text())["stories"]


@pytest.fixture(scope="module")
def roundups() -> dict[str, Episode]:
    return {name: read_roundup(ROUNDUPS / name) for name in SAMPLES}


def spoken_sentences(script: Episode) -> list[str]:
    return [s.text for s in script.sentences]


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_stories_found_match_the_gold_list(roundups, name):
    assert [s.title for s in roundups[name].stories] == gold_stories(name)


def test_plain_text_structure_details(roundups):
    numbered = roundups["model-news-numbered.txt"]
    assert numbered.title.startswith("Model News Roundup")
    assert numbered.sections[0].kind == "intro"
    assert numbered.sections[-1].kind == "outro"  # the "Tools Mentioned" resource lines
    assert "Corvid 3 API: Long-context model" in numbered.sections[-1].text
    assert not any("English" in s.text or "Previous Post" in s.text for s in numbered.sentences)

    hits = roundups["top-stories-quick-hits.txt"]
    arbor = hits.stories[0].text
    # Sub-blocks fold into the story above them, in reading order.
    order = [arbor.index(label) for label in ("Key Points:", "Impact:", "Pros:", "Cons:", "Source:")]
    assert order == sorted(order)
    assert {k.label for k in hits.stories[0].key_points} >= {"Key Points", "Impact", "Pros", "Cons"}
    assert hits.sections[-1].kind == "outro" and hits.sections[-1].title == "Worth Watching"


def test_markdown_keeps_links_and_drops_code(roundups):
    digest = roundups["weekly-ai-digest.md"]
    assert digest.date == "2026-03-14"
    corvid = digest.stories[0]
    assert any(link.url.endswith("corvid-3-report") for link in corvid.links)
    assert "One million tokens" not in corvid.text and "Context window: one million tokens" in corvid.text
    assert not any("run_task" in s.text for s in digest.sentences)


def test_html_reads_the_main_content_only():
    page = """<html><head><title>Bits</title></head><body>
    <nav><a href="/">Home</a> | Archive</nav><header>Site name</header>
    <article><h1>Weekly Bits</h1><p>A short lead about the week.</p>
    <h2>Harbor Labs Opens a Model Garden</h2><p>It opened on Monday.<p>Visitors can
    <a href="https://harbor.example.com/garden">try it</a> now.</p><pre>import garden</pre>
    <h2>Quiet Week for Chips</h2><ul><li>Nothing shipped<li>Prices held</ul></article>
    <aside>Buy our course</aside><footer>Copyright 2026 Bits</footer><script>track()</script>
    </body></html>"""
    episode = read_roundup_text(page, ".html")
    assert episode.title == "Weekly Bits"
    assert [s.title for s in episode.stories] == ["Harbor Labs Opens a Model Garden", "Quiet Week for Chips"]
    assert episode.stories[0].links[0].url == "https://harbor.example.com/garden"
    text = " ".join(s.text for s in episode.sentences)
    for chrome in ("Home", "Archive", "Site name", "Buy our course", "Copyright", "track", "import"):
        assert chrome not in text


PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.mark.parametrize("structure", ["auto", "layout", "learned"])
def test_an_email_laid_out_in_tables_keeps_its_headings(structure):
    # No <article> or <main>: trafilatura falls back to loose paragraphs and drops every
    # heading, so the stories could only be guessed from paragraph shapes.
    episode = read_roundup(PAGES / "table-email.html", StoryOptions(structure=structure))
    assert episode.title == "Harbor Notes Issue 41: Tides, Cranes and Timetables"
    assert [s.title for s in episode.stories] == [
        "Harbour Board Installs a Solar Tide Gauge", "Winter Ferry Timetable Runs Until April",
        "Old Grain Crane Restored by Volunteers"]
    text = " ".join(s.text for s in build_script(episode).sentences)
    for said in ("north pier", "winter timetable", "spring fair"):
        assert said in text
    for unsaid in ("Story cards", "Unsubscribe", "Update your preferences", "utm_source", "On the Water"):
        assert unsaid not in text


def test_a_roundup_without_a_title_is_named_by_its_first_heading_never_a_hash(tmp_path):
    headed = "## Harbor Labs Opens a Garden\n\nIt opened on Monday to the public.\n"
    assert read_roundup_text(headed, ".md", source="002-a8ac9ccbfe25b118.md").title == "Harbor Labs Opens a Garden"
    bare = "it opened on monday to the public, and people came.\n"
    assert read_roundup_text(bare, ".txt", source="002-a8ac9ccbfe25b118.txt").title == "Roundup"
    assert read_roundup_text(bare, ".txt", source="harbor_notes-12.txt").title == "Harbor notes 12"


def test_invalid_utf8_is_decoded_not_refused(tmp_path):
    roundup = tmp_path / "legacy.txt"
    text = "Caf\u00e9 Robots Open a Second Lab\nThe caf\u00e9 chain \u2014 famous for robot baristas \u2014 expanded.\n"
    roundup.write_bytes(text.encode("cp1252"))
    episode = read_roundup(roundup)
    assert "Café" in episode.stories[0].title and "—" in episode.stories[0].text
    assert decode(b"\x81\x8d ok") == "\x81\x8d ok"


@pytest.mark.parametrize("text", ["", "   \n\n", "```\nimport os\n```", "12 Comments\nShare on X"])
def test_content_free_input_is_a_conversion_error(text):
    with pytest.raises(ConversionError, match="no text to read"):
        read_roundup_text(text, ".txt", source="empty.txt")


def test_unknown_suffix_and_missing_file_are_conversion_errors(tmp_path):
    with pytest.raises(ConversionError, match="cannot read '.pdf'"):
        read_roundup_text("Some text.", ".pdf", source="a.pdf")
    with pytest.raises(ConversionError, match="cannot read the file"):
        read_roundup(tmp_path / "missing.md")


@pytest.mark.parametrize("text, title, date", [
    ("---\ntitle: >-\n  Long Memory\n  and Loud Robots\ndate: 2026-03-14T09:00:00+01:00\n---\nBody.",
     "Long Memory and Loud Robots", "2026-03-14"),
    ("---\ntitle: 'Quoted: With a Colon'\ndate: 2026-03-14\n---\nBody.", "Quoted: With a Colon", "2026-03-14"),
    ('+++\ntitle = "Release 4.2"\ndate = 2026-02-27\n[extra]\nteam = "Build"\n+++\nBody.', "Release 4.2", "2026-02-27"),
    ("Title: Weekly Notes 12\nNumber: 12\nDate: 2026-08-19\n\nBody.", "Weekly Notes 12", "2026-08-19"),
    ("---\ntitle: [unclosed\n---\nBody.", None, None),
    ("No front matter: just a line.\n\nBody.", None, None),
])
def test_front_matter_gives_the_documents_own_title_and_day(text, title, date):
    meta = document_metadata(text)
    assert (meta.title, meta.date) == (title, date)
    assert meta.body.strip().endswith("Body.") and "title" not in meta.body.lower().replace("no front", "")


# --- cleaning ---------------------------------------------------------------------------


def test_cleaning_removes_code_urls_emoji_markup_and_chrome():
    page = "\n".join([
        "English | 中文 | Español",
        "The **new** release 🚀 is live at https://www.example.com/blog/post and [docs](https://docs.example.com).",
        "Install it first:",
        "pip install nimbus",
        "import nimbus",
        "client = nimbus.Client()  # ✨ ready",
        "{",
        "}",
        "Previous Post Next Post",
        "Share on X",
        "Follow us on Mastodon",
        "Subscribe to our newsletter",
        "© 2026 Example Media",
        "Read more",
        "It works well <em>offline</em>, see `nimbus.run()` for details.",
    ])
    cleaned = clean_text(page)
    assert cleaned.splitlines() == [
        "The new release is live at example and docs.",
        "Install it first:",
        "It works well offline, see nimbus.run for details.",
    ]


@pytest.mark.parametrize("code, before, spoken", [
    ("lantern build --cache-dir ./cache", "run ", "lantern build"),
    ("--locked", "pass ", "a flag"),
    ("--locked", "use the ", "flag"),
    ("./config/lantern.toml", "edit ", "a path"),
    ("retries = 3", "set ", "a setting"),
    ("<video>", "the ", "video"),
    ("/vendor_libs/", "from ", "vendor libs"),
])
def test_code_in_a_sentence_is_said_in_words(code, before, spoken):
    assert code_in_words(code, after=before) == spoken


def test_json_docstrings_and_compiler_output_are_code():
    page = "\n".join([
        "The settings file looks like this:",
        "{", '  "name": "harbor",', '  "retries": 3', "}",
        "The build then stops with",
        "error[E0599]: no method named `go` found",
        "  --> src/lib.rs:12:9", "   |", "12 |     boat.go();",
        "def launch():", '    """Start the boat."""', "    return True",
        "Traceback (most recent call last):", '  File "boat.py", line 3, in <module>',
        "Impact: 3 teams affected.",
    ])
    assert clean_text(page).splitlines() == [
        "The settings file looks like this:", "The build then stops with", "Impact: 3 teams affected.",
    ]


@pytest.mark.parametrize("written, spoken", [
    ("New contributors (⭐ = first patch)", "New contributors"),
    ("Run it with permissions (--sandbox) on Linux.", "Run it with permissions on Linux."),
    ("Use harbor_cache_dir, _not_ the old name.", "Use harbor_cache_dir, not the old name."),
    ("Notes at https://notes.example.co.uk/a/b and at lantern-tools.org today.",
     "Notes at example and at lantern tools today."),
])
def test_cleaning_leaves_no_orphan_symbols_flags_or_addresses(written, spoken):
    assert clean_text(written) == spoken


@pytest.mark.parametrize("line", ["en | ko | pt-BR | vi", "English / Deutsch / 日本語", "5 min read"])
def test_switchers_and_read_times_are_chrome(line):
    assert is_page_chrome(line)


@pytest.mark.parametrize("line", ["Comments are open on every post, and we read each one of them.",
                                  "Sharing models between labs is rare."])
def test_prose_is_not_mistaken_for_chrome(line):
    assert not is_page_chrome(line)


# --- speech text ------------------------------------------------------------------------


@pytest.mark.parametrize("written, spoken", [
    ("Capex of $115–135 billion", "Capex of 115 to 135 billion dollars"),
    ("a $21 billion deal", "a 21 billion dollars deal"),
    ("raised €5M", "raised 5 million euros"),
    ("$100M+ for research", "more than 100 million dollars for research"),
    ("grew 42.8% this year", "grew 42.8 percent this year"),
    ("the week of April 7-13", "the week of April 7 to 13"),
    ("released on 2026-04-07", "released on April 7, 2026"),
    ("GPT-5.4 beats v2.1", "GPT 5 point 4 beats version 2.1"),
    ("e.g. small models vs. large ones, approx. 3x faster",
     "for example small models versus large ones, approximately 3 times faster"),
    ("R&D + support @ scale for #1 users", "R and D plus support at scale for number 1 users"),
    ("input/output of ~30 tokens", "input or output of about 30 tokens"),
    ("revenue in Q1 2026", "revenue in Q1 2026"),
    ("fixed in CVE-2026-10492", "fixed in CVE 2026 10492"),
    ("It's 2026-01-21T03:00:00.000Z", "It's January 21, 2026"),
    ("merged in tools#4821", "merged in tools number 4821"),
    ("Tag us at @harbornotes (#) today", "Tag us at harbornotes today"),
])
def test_speakable_examples(written, spoken):
    assert speakable(written) == spoken


# --- script -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripts(roundups) -> dict[str, Episode]:
    return {name: build_script(episode, date="2026-04-07") for name, episode in roundups.items()}


@pytest.mark.parametrize("name", SAMPLES)
def test_script_speaks_no_code_url_emoji_or_markup(scripts, name):
    for sentence in spoken_sentences(scripts[name]):
        assert not MARKUP_OR_CODE.search(sentence), sentence
        assert not UNSPOKEN.search(sentence), sentence
        assert not any(ord(ch) >= 0x1F000 for ch in sentence), sentence


@pytest.mark.parametrize("name", SAMPLES)
def test_script_shape(scripts, roundups, name):
    script = scripts[name]
    intro, *stories, outro = script.sections
    assert (intro.kind, outro.kind) == ("intro", "outro")
    assert [s.title for s in stories] == [s.title for s in roundups[name].stories]
    assert "The Daily Brief" in intro.text and "April 7, 2026" in intro.text
    first_story = re.split(r" — ", stories[0].title)[0]
    assert speakable(first_story) in intro.text
    assert stories[-1].sentences[0].text.startswith("Finally")
    assert "Thanks for listening" in outro.text


@pytest.mark.parametrize("name", SAMPLES)
def test_transitions_vary_and_name_the_story(scripts, name):
    openings = [s.sentences[0].text for s in scripts[name].stories]
    phrases = [opening.split(":")[0] for opening in openings]
    assert len(set(phrases)) == len(phrases)
    for opening, story in zip(openings, scripts[name].stories):
        assert speakable(re.split(r" — ", story.title)[0]) in opening


def test_transitions_stay_unique_in_a_very_long_episode():
    openings = transitions([f"Story {n}" for n in range(30)], seed="long")
    assert len({o.split(":")[0] for o in openings}) == 30


def test_render_script_markdown_marks_sections(scripts):
    script = scripts["model-news-numbered.txt"]
    markdown = render_script_markdown(script)
    assert markdown.startswith("# Model News Roundup")
    assert "<!-- section: intro intro -->\n## Introduction" in markdown
    corvid = script.stories[0]
    assert f"<!-- section: {corvid.id} story -->\n## {corvid.title}" in markdown
    assert markdown.count("<!-- section:") == len(script.sections)


# --- brief ------------------------------------------------------------------------------


def test_brief_merges_the_same_event_from_different_roundups(roundups):
    brief = merge_roundups(list(roundups.values()))
    total = sum(len(e.stories) for e in roundups.values())
    assert len(brief.stories) == total - 2  # Corvid 3 and the Arbor Press deal, each told twice
    merged = [s for s in brief.stories if len(s.sources) == 2]
    assert len(merged) == 2
    assert brief.stories[:2] == tuple(merged)  # the most covered lead the brief
    corvid = next(s for s in merged if "Corvid" in s.title)
    assert corvid.sources == (roundups["weekly-ai-digest.md"].title, roundups["model-news-numbered.txt"].title)
    # The richest telling is kept.
    tellings = [s for e in roundups.values() for s in e.stories if "Corvid 3" in s.title]
    assert corvid.word_count == max(s.word_count for s in tellings)
    assert len({s.id for s in brief.sections}) == len(brief.sections)


def test_brief_merges_one_event_told_in_other_words():
    def roundup(source: str, title: str, sentence: str) -> Episode:
        return Episode(title=source, sections=(Section(id="s", title=title, paragraphs=(Paragraph.of(sentence),)),))

    brief = merge_roundups([
        roundup("Wire A", "Orbit Labs raises a new round",
                "Orbit Labs closed a 20 million dollar funding round led by Finch Capital on Monday."),
        roundup("Wire B", "Money for robot makers", "The robotics startup Orbit Labs has secured fresh capital, "
                "with investors led by Finch Capital putting in 20 million dollars."),
        roundup("Wire C", "Delta Foods tests shelf robots",
                "Delta Foods began testing shelf-scanning robots in three of its stores in Ohio."),
    ])
    assert [s.sources for s in brief.stories] == [("Wire A", "Wire B"), ("Wire C",)]


def test_brief_keeps_different_stories_apart():
    def story(title: str, *sentences: str) -> Episode:
        return Episode(title=title, sections=(Section(id="s", title=title, paragraphs=(Paragraph.of(*sentences),)),))

    apart = merge_roundups([
        story("Orbit Labs Raises Money", "Orbit Labs raised a new round led by Finch Capital."),
        story("Orbit Labs Ships a Robot", "Orbit Labs shipped its first robot to Delta Foods."),
    ])
    assert len(apart.stories) == 2


def test_max_minutes_is_a_ceiling_the_brief_never_exceeds(roundups):
    full = merge_roundups(list(roundups.values()))

    def script_of(brief: Episode) -> Episode:
        return build_script(brief, date="2026-04-07")

    whole = script_seconds(script_of(full), estimated_seconds)
    for minutes in (3, 1.5):
        short = fit_script(full, minutes * 60, script_of, estimated_seconds)
        assert script_seconds(short, estimated_seconds) <= minutes * 60 < whole
        # The best-covered stories stay, in order; the first keeps both its sources.
        titles = [s.title for s in short.stories]
        assert titles == [s.title for s in full.stories[: len(titles)]]
        assert short.stories[0].sources == full.stories[0].sources
    with pytest.raises(ConversionError, match="shortest brief"):
        fit_script(full, 10, script_of, estimated_seconds)


def test_a_story_told_twice_is_one_chapter_naming_both_sources(roundups):
    script = build_script(merge_roundups(list(roundups.values())), date="2026-04-07")
    corvid = next(s for s in script.stories if "Corvid" in s.title)
    sources = [speakable(roundups[name].title) for name in ("weekly-ai-digest.md", "model-news-numbered.txt")]
    assert all(source.split(":")[0] in corvid.paragraphs[0].text for source in sources)
    assert sum("Corvid 3" in s.title for s in script.stories) == 1


def test_merge_of_nothing_is_a_conversion_error():
    with pytest.raises(ConversionError):
        merge_roundups([])


# --- properties -------------------------------------------------------------------------

ROUNDUP_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,:;-—–•*#_`~<>|{}[]^\\=$€%&@+/!?()'\"\n\t") + ["🚀", "中文", "é", "```", "http://", "1. "]
)
roundup_text = st.lists(ROUNDUP_ALPHABET, max_size=80).map("".join) | st.text(max_size=200)


@settings(max_examples=150, deadline=None)
@given(text=roundup_text, suffix=st.sampled_from([".txt", ".md", ".html"]))
@example(text="http://[", suffix=".txt")
def test_reading_arbitrary_text_never_crashes(text, suffix):
    try:
        episode = read_roundup_text(text, suffix)
    except ConversionError as error:
        assert error.cause == "no text to read"
        return
    assert episode.sentences
    script = build_script(episode, date="2026-01-31")
    for sentence in spoken_sentences(script):
        assert not UNSPOKEN.search(sentence), sentence


@settings(max_examples=300, deadline=None)
@given(text=roundup_text)
def test_speakable_never_crashes_and_leaves_no_raw_symbols(text):
    spoken = speakable(text)
    assert not UNSPOKEN.search(spoken)
    assert speakable(spoken) == spoken or not UNSPOKEN.search(speakable(spoken))
