"""The HTML page in a real browser: headless Chromium (the system's /usr/bin/chromium,
driven by Playwright), with the page published beside its audio and transcript on a
web server. Run with `make test-browser`; screenshots land in $BROWSER_SCREENSHOTS
when it is set."""

import functools
import os
import re
import shutil
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from episodekit.jsonio import episode_from_json
from tests.conftest import SAMPLES, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
# Chromium as root in a container: no sandbox, no GPU, and nothing fetched from the network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WCAG_AA = 4.5


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """A static server that answers byte ranges, as every web host does: browsers seek
    in audio only where the server can send a part of the file."""

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start, end = int(match.group(1)), int(match.group(2) or size - 1)
        end = min(end, size - 1)
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.range_left = end - start + 1
        return handle

    def copyfile(self, source, outputfile):
        left = getattr(self, "range_left", None)
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            chunk = source.read(min(64 * 1024, left))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A narrated roundup turned back into an article in another folder, then published:
    page, transcript and audio copied side by side into the site's folder."""
    work = tmp_path_factory.mktemp("browser")
    studio, build, site = work / "studio", work / "build", work / "site"
    studio.mkdir()
    episode_audio = studio / "episode.mp3"
    run = run_cli("text2audio", SAMPLES / "roundups" / "model-news-numbered.txt", "-o", episode_audio, "--quiet")
    assert run.returncode == 0, run.stderr
    run = run_cli("audio2text", episode_audio, "--out-dir", build, "--format", "html,vtt,json", "--quiet")
    assert run.returncode == 0, run.stderr
    site.mkdir()
    for source in (build / "episode.html", build / "episode.vtt", episode_audio):
        shutil.copy(source, site / source.name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RangeRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/episode.html", episode_from_json(
        (build / "episode.json").read_text())
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def test_player_loads_its_audio_and_transcript_and_timestamps_seek(published, page):
    url, episode = published
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("document.getElementById('player').readyState >= 1", timeout=15_000)
    player = page.evaluate("(() => { const p = document.getElementById('player');"
                           " return {error: p.error && p.error.code, duration: p.duration}; })()")
    assert player["error"] is None and abs(player["duration"] - episode.duration) < 1.0
    # The WebVTT written in the same run is the player's track, loaded with its cues.
    page.wait_for_function("document.querySelector('#player track').readyState === 2", timeout=15_000)
    assert page.evaluate("document.getElementById('player').textTracks[0].cues.length") > 10

    stamps = page.locator("a.stamp")
    assert stamps.count() == len(episode.sections)
    third = stamps.nth(2)
    seconds = float(third.get_attribute("data-seconds"))
    assert seconds > 30
    third.click()
    page.wait_for_function(f"Math.abs(document.getElementById('player').currentTime - {seconds}) < 1.5",
                           timeout=10_000)
    assert errors == []


def test_headings_are_named_by_their_titles(published, page):
    url, episode = published
    page.goto(url)
    for section in episode.sections:
        # The accessible name, as a screen reader's list of headings reads it.
        assert page.get_by_role("heading", level=2, name=section.title, exact=True).count() == 1
        assert page.get_by_role("link", name=re.compile(f"^Play {re.escape(section.title)} from ")).count() == 1


def test_page_describes_itself_to_search_engines_and_link_previews(published, page):
    url, episode = published
    page.goto(url)
    meta = page.evaluate("Object.fromEntries([...document.querySelectorAll('meta[name], meta[property]')]"
                         ".map(m => [m.getAttribute('name') || m.getAttribute('property'), m.content]))")
    assert meta["og:title"] == episode.title
    assert meta["description"] == meta["og:description"] and meta["description"].startswith("Stories in this episode")
    assert meta["og:type"] == "article"


_COLOURS = """
(selector) => [...document.querySelectorAll(selector)].slice(0, 3).map(element => {
  let back = element, colour = 'rgba(0, 0, 0, 0)';
  while (back && (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent')) {
    colour = getComputedStyle(back).backgroundColor;
    back = back.parentElement;
  }
  return [getComputedStyle(element).color, colour];
})
"""


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_meets_wcag_aa_contrast_in_both_colour_schemes(published, page, scheme):
    url, _ = published
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    ratios = {}
    for selector in ("a.stamp", "aside.key-points h3", ".meta", "article p", "h2", "aside.key-points li"):
        pairs = page.evaluate(_COLOURS, selector)
        assert pairs, selector
        ratios[selector] = min(contrast(fg, bg) for fg, bg in pairs)
    assert all(ratio >= WCAG_AA for ratio in ratios.values()), ratios
    screenshot = page.screenshot(full_page=True)
    assert screenshot.startswith(b"\x89PNG") and len(screenshot) > 20_000
    if os.environ.get("BROWSER_SCREENSHOTS"):
        folder = Path(os.environ["BROWSER_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"episode-page-{scheme}.png").write_bytes(screenshot)
