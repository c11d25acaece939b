"""The outputs through the programs people publish them with (`make test-consumers`):

- the feed through feedparser and podcast-partytime (the parser of Podcast Index), and
  against Apple Podcasts' documented feed requirements;
- the HTML page through html-validate and axe-core (in the system's Chromium);
- the Markdown through Hugo, Jekyll, Pelican and MkDocs, each building a site.

Each check returns what its consumer found wrong, so every test also feeds it an output it
must reject (the feed without its Podcasting 2.0 channel tags, a page with unnamed boxes,
another generator's front matter) and sees the rejection.
"""

import datetime as dt
import functools
import json
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html
from PIL import Image

from audio2text.outputs import render
from episodekit.markdown import FRONT_MATTER
from episodekit.model import Episode, KeyPoint, Link, Paragraph, Section
from episodekit.timed_text import to_chapters, to_vtt
from tests.conftest import ROOT, SAMPLES, run_cli
from tests import test_html_browser
from tests.test_html_browser import CHROMIUM, CHROMIUM_ARGS, RangeRequestHandler
from text2audio.feed import (APPLE_CATEGORIES, ITUNES_NS, PODCAST_NS, FeedOptions, add_episode, check_cover,
                             cover_path, parse_category, parse_owner, podcast_guid)
from text2audio.pipeline import outputs_for

pytestmark = [pytest.mark.consumers, pytest.mark.slow]

# The browser test's page: a narrated roundup turned back into an article by the commands.
published = test_html_browser.published

CONSUMERS = ROOT / "consumers"
NODE_MODULES = CONSUMERS / "node_modules"
BASE_URL = "https://example.com/daily"
NOW = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.timezone.utc)


def _node(script: str, *args) -> subprocess.CompletedProcess:
    if not NODE_MODULES.is_dir():
        pytest.fail("consumers/node_modules is missing: run make test-consumers (npm ci)")
    return subprocess.run(["node", str(CONSUMERS / script), *map(str, args)], capture_output=True, text=True,
                          cwd=CONSUMERS, timeout=120)


# An article the project writes itself: sections whose ids start with digits, key points
# in several of them, links, and every front-matter field.
ARTICLE = Episode(
    "The Workshop Hour: 3 chips and a budget",
    (Section("intro", "Welcome", kind="intro", start=0.0, end=20.0,
             paragraphs=(Paragraph.of("Good morning, this is The Workshop Hour."),)),
     Section("3-chips", "3 chips arrive at once", start=20.0, end=80.0,
             paragraphs=(Paragraph.of("Three inference chips were announced this week.",
                                      "Each claims to halve the cost of serving a model."),),
             key_points=(KeyPoint("Three chips were announced in one week.", label="Corvid"),
                         KeyPoint("Each claims half the serving cost.")),
             links=(Link("The announcement", "https://example.org/chips"),)),
     Section("2027-budget", "2027 budget for research", start=80.0, end=140.0,
             paragraphs=(Paragraph.of("The research budget for 2027 grows by a tenth."),),
             key_points=(KeyPoint("The budget grows by ten percent.", label="Tidewater"),)),
     Section("outro", "Goodbye", kind="outro", start=140.0, end=150.0,
             paragraphs=(Paragraph.of("That is all for today."),))),
    date="2026-11-20", duration=150.0, source="workshop-hour.mp3", metadata={"model": "tiny.en"},
)
AUDIO_URL = "https://cdn.example.org/workshop-hour.mp3"


# --- the feed ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def feed_site(tmp_path_factory):
    """A feed of two episodes, an MP3 and an M4A (the sample episode's audio), with every
    channel option given and no cover, so the generated one is published beside it."""
    site = tmp_path_factory.mktemp("feed-site")
    options = FeedOptions(path=site / "feed.xml", base_url=BASE_URL, title="The Workshop Hour",
                          description="Chips, budgets and tools, read aloud.",
                          categories=(parse_category("News/Tech News"), parse_category("technology")),
                          owner=parse_owner("Ada Byron <ada@example.com>"), explicit=False)
    for day, suffix in (("2026-11-19", ".mp3"), ("2026-11-20", ".m4a")):
        outputs = outputs_for(site / f"hour-{day}{suffix}")
        source = SAMPLES / "episodes" / "founders-interview.mp3"
        if suffix == ".mp3":
            shutil.copy(source, outputs["audio"])
        else:
            subprocess.run(["ffmpeg", "-v", "error", "-i", str(source), "-t", "20", "-c:a", "aac",
                            str(outputs["audio"])], check=True)
        episode = replace(ARTICLE, date=day)
        outputs["chapters"].write_text(to_chapters(episode))
        outputs["vtt"].write_text(to_vtt(episode))
        add_episode(options, episode, outputs, now=NOW)
    return options


def partytime(feed: Path) -> dict:
    run = _node("parse-feed.js", feed)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def podcast_index_missing(parsed: dict) -> list[str]:
    """What Podcast Index's parser did not find of what the feed must carry."""
    support = {tag for tags in parsed["pc20support"].values() for tag in tags}
    wanted = {
        "guid (phase 3)": "guid" in support and bool(parsed.get("guid")),
        "locked with its owner (phase 1)": "locked" in support and parsed.get("locked") is True,
        "transcript": "transcript" in support,
        "chapters": "chapters" in support,
        "itunes:category": bool(parsed.get("itunesCategory")),
        "itunes:owner": bool(parsed.get("owner", {}).get("email")),
        "itunes:image": bool(parsed.get("itunesImage")),
        "itunes:explicit": "explicit" in parsed,
        "every item's enclosure": all(item.get("enclosure", {}).get("url") for item in parsed["items"]),
    }
    return [name for name, found in wanted.items() if not found]


def test_podcast_index_parser_reads_the_channel_guid_lock_and_every_tag(feed_site):
    parsed = partytime(feed_site.path)
    assert podcast_index_missing(parsed) == []
    assert parsed["guid"] == podcast_guid(f"{BASE_URL}/feed.xml")
    assert (parsed["locked"], parsed["podcastOwner"]) == (True, "ada@example.com")
    assert parsed["owner"] == {"name": "Ada Byron", "email": "ada@example.com"}
    assert parsed["itunesCategory"] == ["News > Tech News", "Technology"]
    assert parsed["explicit"] is False
    assert parsed["itunesImage"] == f"{BASE_URL}/feed-cover.png"
    assert [item["enclosure"]["type"] for item in parsed["items"]] == ["audio/x-m4a", "audio/mpeg"]
    for item in parsed["items"]:
        assert item["podcastChapters"]["type"] == "application/json+chapters"
        assert item["podcastTranscripts"][0]["type"] == "text/vtt"

    # The same feed without its channel guid and lock, as text2audio wrote it before: rejected.
    tree = etree.parse(str(feed_site.path))
    for tag in ("guid", "locked"):
        for element in tree.getroot().iter(f"{{{PODCAST_NS}}}{tag}"):
            element.getparent().remove(element)
    bare = feed_site.path.with_name("bare.xml")
    tree.write(str(bare))
    assert podcast_index_missing(partytime(bare)) == ["guid (phase 3)", "locked with its owner (phase 1)"]


def test_our_categories_are_the_ones_podcast_index_knows_as_apples():
    script = ("process.stdout.write(JSON.stringify(require('podcast-partytime/dist/parser/itunes-categories')"
              ".itunesCategoriesSourceOfTruth))")
    if not NODE_MODULES.is_dir():
        pytest.fail("consumers/node_modules is missing: run make test-consumers (npm ci)")
    run = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=CONSUMERS, timeout=60)
    assert run.returncode == 0, run.stderr
    theirs = {entry["name"]: sorted(entry["subCategories"]) for entry in json.loads(run.stdout)}
    assert theirs == {name: sorted(subs) for name, subs in APPLE_CATEGORIES.items()}


def test_feedparser_reads_the_channel_and_items(feed_site):
    parsed = feedparser.parse(str(feed_site.path))
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.image.href == f"{BASE_URL}/feed-cover.png"
    assert [(t.term, t.scheme) for t in channel.tags] == [("News", "http://www.itunes.com/"),
                                                          ("Tech News", "http://www.itunes.com/"),
                                                          ("Technology", "http://www.itunes.com/")]
    assert channel.publisher_detail == {"name": "Ada Byron", "email": "ada@example.com"}
    assert channel.podcast_guid == podcast_guid(f"{BASE_URL}/feed.xml")
    assert channel.podcast_locked == {"owner": "ada@example.com"}  # feedparser keeps only its attributes
    # feedparser knows only the old yes/clean values: Apple's true/false reads as "not explicit".
    assert "itunes_explicit" in channel and not channel.itunes_explicit
    assert [e.enclosures[0].type for e in parsed.entries] == ["audio/x-m4a", "audio/mpeg"]
    assert all(e.podcast_transcript["type"] == "text/vtt" for e in parsed.entries)


# Apple Podcasts' feed requirements: the tags a channel and an item must have, the
# enclosure types it plays, and its artwork rule (checked by check_cover).
APPLE_CHANNEL_TAGS = ("title", "description", "language", f"{{{ITUNES_NS}}}image", f"{{{ITUNES_NS}}}category",
                      f"{{{ITUNES_NS}}}explicit")
APPLE_ITEM_TAGS = ("title", "enclosure", "guid")
APPLE_ENCLOSURE_TYPES = {"audio/x-m4a", "audio/mpeg", "video/quicktime", "video/mp4", "video/x-m4v",
                         "application/pdf"}


def apple_problems(feed: Path) -> list[str]:
    channel = etree.parse(str(feed)).getroot().find("channel")
    problems = [f"channel has no {tag}" for tag in APPLE_CHANNEL_TAGS if channel.find(tag) is None]
    explicit = channel.findtext(f"{{{ITUNES_NS}}}explicit")
    if explicit not in ("true", "false"):
        problems.append(f"itunes:explicit is {explicit!r}, not true or false")
    for category in channel.iter(f"{{{ITUNES_NS}}}category"):
        parent = category.getparent()
        known = APPLE_CATEGORIES.get(parent.get("text"), ()) if parent.tag == category.tag else APPLE_CATEGORIES
        if category.get("text") not in known:
            problems.append(f"unknown category {category.get('text')!r}")
    image = channel.find(f"{{{ITUNES_NS}}}image")
    if image is not None:
        cover = feed.parent / image.get("href").removeprefix(BASE_URL + "/")
        try:
            check_cover(cover)
        except Exception as exc:
            problems.append(f"cover: {exc}")
    for item in channel.findall("item"):
        problems += [f"item has no {tag}" for tag in APPLE_ITEM_TAGS if item.find(tag) is None]
        enclosure = item.find("enclosure")
        if enclosure is not None and enclosure.get("type") not in APPLE_ENCLOSURE_TYPES:
            problems.append(f"enclosure type {enclosure.get('type')} is not one Apple lists")
    return problems


def test_the_feed_meets_apples_requirements_with_the_generated_cover_beside_it(feed_site):
    assert apple_problems(feed_site.path) == []
    cover = cover_path(feed_site.path)
    with Image.open(cover) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (3000, 3000), "RGB")
        # The show's name is drawn on it: more than the background colour.
        assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 2

    old = feed_site.path.with_name("old.xml")
    text = feed_site.path.read_text().replace("<itunes:explicit>false</itunes:explicit>",
                                              "<itunes:explicit>no</itunes:explicit>")
    old.write_text(re.sub(r"\s*<itunes:category text=\"Technology\"/>", "", text)
                   .replace('type="audio/x-m4a"', 'type="audio/mp4"'))
    assert apple_problems(old) == ["itunes:explicit is 'no', not true or false",
                                   "enclosure type audio/mp4 is not one Apple lists"]


ROUNDUP = """# Workshop notes

## Corvid ships three chips

Corvid announced three inference chips on Tuesday. Each one halves the cost of serving.

## Tidewater grows its budget

Tidewater's research budget grows by a tenth next year.
"""


def test_the_command_publishes_a_feed_podcast_index_and_apple_accept(tmp_path):
    roundup = tmp_path / "notes.md"
    roundup.write_text(ROUNDUP)
    site = tmp_path / "site"
    run = run_cli("text2audio", roundup, "-o", site / "notes.m4a", "--quiet", "--date", "2026-11-20",
                  "--show", "Workshop Notes", "--feed", site / "feed.xml", "--base-url", BASE_URL,
                  "--feed-category", "Technology", "--feed-owner", "Ada Byron <ada@example.com>",
                  "--feed-explicit", "true")
    assert run.returncode == 0, run.stderr
    assert apple_problems(site / "feed.xml") == []
    parsed = partytime(site / "feed.xml")
    assert podcast_index_missing(parsed) == []
    assert (parsed["explicit"], parsed["itunesCategory"]) == (True, ["Technology"])
    assert parsed["items"][0]["enclosure"]["type"] == "audio/x-m4a"
    assert (site / "feed-cover.png").is_file()


# --- the HTML page -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The article's page published beside its audio and transcript, on a web server."""
    site = tmp_path_factory.mktemp("page-site")
    page = site / "workshop-hour.html"
    audio = site / "workshop-hour.mp3"
    shutil.copy(SAMPLES / "episodes" / "founders-interview.mp3", audio)
    (site / "workshop-hour.vtt").write_text(to_vtt(ARTICLE))
    page.write_text(render(ARTICLE, "html", target=page, audio=audio, transcript=site / "workshop-hour.vtt"))
    # A page as it was written before: unnamed Key-points boxes, ids starting with digits and
    # the player outside any landmark.
    old = render(ARTICLE, "html", target=page, audio=audio).replace(' aria-labelledby="title"', "")
    old = re.sub(r'<aside class="key-points" aria-labelledby="[^"]*"', '<aside class="key-points"', old)
    (site / "old.html").write_text(old.replace("<main", "<div").replace("</main>", "</div>")
                                   .replace('id="s-', 'id="').replace('href="#s-', 'href="#'))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RangeRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()
    server.server_close()


def html_validate(path: Path) -> list[str]:
    """html-validate's errors, with its recommended rules (consumers/.htmlvalidate.json)."""
    run = _node("node_modules/html-validate/bin/html-validate.mjs", "--formatter", "json", path)
    assert run.returncode in (0, 1), run.stderr
    return [f"{m['ruleId']}: {m['message']}" for result in json.loads(run.stdout or "[]")
            for m in result["messages"]]


def test_html_validate_accepts_the_page_and_rejects_the_old_one(rendered):
    _, site = rendered
    assert html_validate(site / "workshop-hour.html") == []
    found = html_validate(site / "old.html")
    assert sum(e.startswith("unique-landmark") for e in found) >= 2, found
    assert sum(e.startswith("valid-id") for e in found) >= 2, found


def test_html_validate_accepts_the_page_the_command_writes(published, tmp_path):
    import urllib.request

    url, _ = published
    page = tmp_path / "published.html"
    with urllib.request.urlopen(url) as response:  # the page as its site serves it
        page.write_bytes(response.read())
    assert html_validate(page) == []


def axe_violations(url: str, scheme: str, width: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)
            page.goto(url)
            page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        finally:
            browser.close()
    return [f"{v['id']} ({len(v['nodes'])})" for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violation_in_either_scheme_and_width(rendered, scheme, width):
    base, _ = rendered
    assert axe_violations(f"{base}/workshop-hour.html", scheme, width) == []
    assert {v.split(" ")[0] for v in axe_violations(f"{base}/old.html", scheme, width)} >= {
        "landmark-one-main", "region"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_the_page_the_command_writes(published, scheme):
    url, _ = published
    for width in (1280, 390):
        assert axe_violations(url, scheme, width) == []


# --- the Markdown through the site generators ----------------------------------------------

def _visible_text(element) -> str:
    for hidden in element.xpath(".//script|.//style|.//head"):
        hidden.getparent().remove(hidden)
    return " ".join(element.text_content().split())


def page_problems(page_html: str, episode: Episode, date_shown: str) -> list[str]:
    """What a reader of the built page would miss or see that is not the article's."""
    root = html.fromstring(page_html)
    problems = []
    h1 = [" ".join(h.text_content().split()) for h in root.iter("h1")]
    if episode.title not in h1:
        problems.append(f"no title heading (h1: {h1})")
    h2 = {" ".join(h.text_content().split()) for h in root.iter("h2")}
    problems += [f"no section {s.title!r}" for s in episode.sections if s.title not in h2]
    body = root.find(".//body")
    text = _visible_text(root if body is None else body)
    if date_shown not in text:
        problems.append(f"no date {date_shown!r}")
    problems += [f"no tag {tag!r}" for tag in ("Corvid", "Tidewater") if tag not in text]
    # Front matter that is not the page's to show: the audio's address, the length, the model.
    problems += [f"front matter in the page: {leak!r}" for leak in
                 (AUDIO_URL, "00:02:30", "tiny.en", "workshop-hour.mp3", "---", "layout:") if leak in text]
    return problems


def _markdown(preset: str) -> str:
    return render(ARTICLE, "md", audio_url=AUDIO_URL, front_matter=preset)


def hugo_page(folder: Path, markdown: str) -> str:
    """Hugo with a bare layout that shows what Hugo read: the title, the date it parsed and
    the tags it filed in its taxonomy."""
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "config.toml").write_text('baseURL = "https://example.org/"\ntitle = "Site"\n'
                                        'disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]\n')
    (folder / "layouts" / "_default" / "single.html").write_text(
        "<html><body><h1>{{ .Title }}</h1><p>{{ if not .Date.IsZero }}{{ .Date.Format \"2006-01-02\" }}{{ end }}</p>"
        "<ul>{{ range .GetTerms \"tags\" }}<li>{{ .LinkTitle }}</li>{{ end }}</ul>{{ .Content }}</body></html>")
    (folder / "layouts" / "_default" / "list.html").write_text("<html><body></body></html>")
    (folder / "content" / "posts" / "article.md").write_text(markdown)
    run = subprocess.run(["hugo", "--quiet"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return (folder / "public" / "posts" / "article" / "index.html").read_text()


PELICAN_SETTINGS = """SITENAME = "Site"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
LOAD_CONTENT_CACHE = False
"""


def pelican_page(folder: Path, markdown: str) -> str:
    """Pelican with its default theme."""
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "article.md").write_text(markdown)
    (folder / "pelicanconf.py").write_text(PELICAN_SETTINGS)
    run = subprocess.run([sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                         cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr + run.stdout
    pages = [p for p in (folder / "output").glob("*.html")
             if p.name not in ("index.html", "archives.html", "authors.html", "categories.html", "tags.html")]
    assert len(pages) == 1, pages
    return pages[0].read_text()


def mkdocs_page(folder: Path, markdown: str) -> str:
    """MkDocs with its default theme."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "article.md").write_text(markdown)
    (folder / "mkdocs.yml").write_text("site_name: Site\n")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return (folder / "site" / "article" / "index.html").read_text()


def jekyll_page(folder: Path, markdown: str) -> str:
    """Jekyll with a bare "post" layout (the one the preset names) showing the title, the
    date and the tags Jekyll read."""
    (folder / "_posts").mkdir(parents=True)
    (folder / "_layouts").mkdir()
    (folder / "_config.yml").write_text("title: Site\n")
    (folder / "_layouts" / "post.html").write_text(
        '<html><body><h1>{{ page.title }}</h1><p>{{ page.date | date: "%Y-%m-%d" }}</p>'
        "<ul>{% for tag in page.tags %}<li>{{ tag }}</li>{% endfor %}</ul>{{ content }}</body></html>")
    (folder / "_posts" / "2026-11-20-article.md").write_text(markdown)
    run = subprocess.run(["jekyll", "build", "--quiet"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return (folder / "_site" / "2026" / "11" / "20" / "article.html").read_text()


# generator -> how it builds a page, and the date as its page shows it
GENERATORS = {
    "hugo": (hugo_page, "2026-11-20"),
    "jekyll": (jekyll_page, "2026-11-20"),
    "pelican": (pelican_page, "Fri 20 November 2026"),
    "mkdocs": (mkdocs_page, "2026-11-20"),
}


@pytest.mark.parametrize("generator", GENERATORS)
def test_each_generator_shows_its_presets_article_whole_and_nothing_else(tmp_path, generator):
    build, date_shown = GENERATORS[generator]
    assert page_problems(build(tmp_path / generator, _markdown(generator)), ARTICLE, date_shown) == []


@pytest.mark.parametrize("generator, wrong", [("pelican", "hugo"), ("mkdocs", "hugo"), ("hugo", "pelican"),
                                              ("jekyll", "hugo")])
def test_another_generators_front_matter_is_rejected(tmp_path, generator, wrong):
    build, date_shown = GENERATORS[generator]
    assert page_problems(build(tmp_path / generator, _markdown(wrong)), ARTICLE, date_shown) != []


def test_the_command_writes_markdown_pelican_builds(tmp_path):
    markdown = tmp_path / "daily.md"
    run = run_cli("audio2text", SAMPLES / "episodes" / "daily-ai-brief.mp3", "-o", markdown, "--quiet",
                  "--front-matter", "pelican")
    assert run.returncode == 0, run.stderr
    text = markdown.read_text()
    assert text.startswith("Title: ") and "\n---" not in text.split("\n\n")[0]
    page = html.fromstring(pelican_page(tmp_path / "pelican", text))
    content = _visible_text(page.find_class("entry-content")[0])
    assert "Audio:" not in content and "Duration:" not in content and "daily-ai-brief.mp3" not in content
    assert len(page.findall(".//h2")) >= 3


def test_the_presets_are_the_generators_tested():
    assert set(FRONT_MATTER) == set(GENERATORS)
