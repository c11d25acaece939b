"""The HTML page's links and head, rendered through the output-format table (the browser
checks of the same page are in test_html_browser.py)."""

from html.parser import HTMLParser

from audio2text.outputs import FORMATS, format_for, render
from episodekit.model import Episode, KeyPoint, Paragraph, Section


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
