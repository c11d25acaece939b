"""The HTML page's links and head, rendered through the output-format table (the browser
checks of the same page are in test_html_browser.py)."""

import re
from html.parser import HTMLParser

import pytest

from audio2text.html_page import audio_elsewhere_warning
from audio2text.outputs import FORMATS, format_for, render
from episodekit.model import Episode, KeyPoint, Paragraph, Section
from tests.conftest import run_cli


class _Page(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.elements, self.headings, self._heading = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "h2":
            self._heading = ""

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data

    def handle_endtag(self, tag):
        if tag == "h2":
            self.headings.append(self._heading)
            self._heading = None

    def first(self, tag, **wanted):
        return next(attrs for t, attrs in self.elements
                    if t == tag and all(attrs.get(k) == v for k, v in wanted.items()))


EPISODE = Episode(
    "Wilmore Labs: House prices",
    (Section("intro", "Hello", kind="intro", start=0.0, paragraphs=(Paragraph.of("Hi."),)),
     Section("house", "Wilmore Labs: House", start=21.0, paragraphs=(Paragraph.of("A story."),),
             key_points=(KeyPoint("Prices rose.", label="Wilmore Labs"),))),
    date="2026-11-20", duration=95.0,
)


def test_the_page_plays_its_audio_by_file_name_with_the_transcript_as_its_track(tmp_path):
    # str paths, as a library user passes them; the audio lives far from the page.
    page = _Page(render(EPISODE, "html", target=str(tmp_path / "site" / "episode.html"),
                        audio=str(tmp_path / "recordings" / "2026" / "episode.mp3"),
                        transcript=str(tmp_path / "site" / "episode.vtt")))
    assert page.first("audio")["src"] == "episode.mp3"
    track = page.first("track")
    assert (track["src"], track["kind"], track["srclang"]) == ("episode.vtt", "captions", "en")


def test_an_audio_url_is_used_as_given_and_in_the_open_graph_tags():
    url = "https://cdn.example.org/shows/episode.mp3"
    page = _Page(render(EPISODE, "html", audio="episode.mp3", audio_url=url))
    assert page.first("audio")["src"] == url
    assert page.first("meta", property="og:audio")["content"] == url
    assert not [attrs for tag, attrs in page.elements if tag == "track"]  # no transcript written in this run


def test_head_describes_the_episode():
    page = _Page(render(EPISODE, "html"))
    description = page.first("meta", name="description")["content"]
    assert description == "Stories in this episode: Wilmore Labs: House."
    assert page.first("meta", property="og:description")["content"] == description
    assert page.first("meta", property="og:title")["content"] == EPISODE.title
    assert page.first("meta", property="article:published_time")["content"] == "2026-11-20"
    assert not [attrs for tag, attrs in page.elements if tag == "audio"]  # no audio, no player


def test_headings_hold_only_their_titles():
    page = _Page(render(EPISODE, "html", audio="episode.mp3"))
    assert page.headings == ["Hello", "Wilmore Labs: House"]
    stamp = page.first("a", href="#house")
    assert stamp["aria-label"] == "Play Wilmore Labs: House from 0:21" and stamp["data-seconds"] == "21.00"


def test_every_format_has_a_suffix_the_target_name_selects():
    for name, output in FORMATS.items():
        assert format_for(f"out/episode{output.suffix}") == name
        assert isinstance(render(EPISODE, name, target=f"out/episode{output.suffix}", audio="episode.mp3"), str)


NUMBERED = Episode(
    "Budget day",
    (Section("intro", "Hello", kind="intro", start=0.0, paragraphs=(Paragraph.of("Hi."),)),
     Section("2027-budget", "2027 budget", start=21.0, paragraphs=(Paragraph.of("A story."),),
             key_points=(KeyPoint("It grows."),)),
     Section("3-chips", "3 chips", start=50.0, paragraphs=(Paragraph.of("Another."),),
             key_points=(KeyPoint("They are fast."),))),
)


def test_one_main_holds_the_page_and_every_landmark_is_named_by_its_own_heading():
    page = _Page(render(NUMBERED, "html", audio="episode.mp3"))
    ids = [attrs["id"] for _, attrs in page.elements if "id" in attrs]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z][\w-]*", i) for i in ids), ids
    (main,) = [attrs for tag, attrs in page.elements if tag == "main"]
    assert main["aria-labelledby"] in ids and page.elements[0][0] == "html"
    asides = [attrs for tag, attrs in page.elements if tag == "aside"]
    sections = [attrs for tag, attrs in page.elements if tag == "section"]
    assert len(asides) == 2 and all(section.get("aria-labelledby") in ids for section in sections)
    names = [aside["aria-labelledby"] for aside in asides]
    assert len(set(names)) == 2  # each box is named "Key points" and its own section's title
    for name, section in zip(names, sections[1:]):
        points, title = name.split()
        assert title == section["aria-labelledby"] and points in ids
    assert page.first("a", href="#s-2027-budget")  # the timestamp still points at its section


def test_a_page_away_from_its_audio_is_said_with_the_fix(tmp_path):
    audio = tmp_path / "recordings" / "episode.mp3"
    assert audio_elsewhere_warning(tmp_path / "recordings", audio) is None
    warning = audio_elsewhere_warning(tmp_path / "site", audio)
    assert "episode.mp3" in warning and "beside the page" in warning and "--audio-url" in warning


@pytest.mark.slow
def test_the_command_says_once_when_its_pages_are_written_away_from_their_audio(tmp_path):
    # Two files that are not audio: the warning comes as the run is planned, before either fails.
    (tmp_path / "in").mkdir()
    for name in ("a.mp3", "b.mp3"):
        (tmp_path / "in" / name).write_text("not audio")
    run = run_cli("audio2text", tmp_path / "in", "--out-dir", tmp_path / "site", "--format", "html")
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "--audio-url" in warnings[0], run.stderr
    run = run_cli("audio2text", tmp_path / "in", "--out-dir", tmp_path / "site", "--format", "html",
                  "--audio-url", "https://cdn.example.org/a.mp3")
    assert not [line for line in run.stderr.splitlines() if line.startswith("warning:")], run.stderr


def test_a_long_title_is_shortened_for_the_browser_tab_and_kept_whole_in_the_heading():
    long = Episode("Model News Roundup: Corvid 3 Lands, Small Models Get Smarter and Budgets Grow Again",
                   EPISODE.sections)
    text = render(long, "html")
    tab = re.search(r"<title>(.*)</title>", text).group(1)
    assert len(tab) <= 70 and tab.endswith("…") and long.title.startswith(tab[:-1])
    assert f'<h1 id="title">{long.title}</h1>' in text
