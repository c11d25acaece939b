"""The packages as a library: what each exports, typed, and paths given as plain strings."""

from importlib import resources

import audio2text
import episodekit
import text2audio


def test_each_package_exports_its_api_and_ships_py_typed():
    for package in (episodekit, audio2text, text2audio):
        assert package.__all__ and all(hasattr(package, name) for name in package.__all__)
        assert resources.files(package.__name__).joinpath("py.typed").is_file()
    assert {"convert", "render", "transcribe_file", "FORMATS"} <= set(audio2text.__all__)
    assert {"convert", "outputs_for", "master", "VOICES"} <= set(text2audio.__all__)


def test_paths_may_be_strings():
    outputs = text2audio.outputs_for("episodes/daily.mp3")
    assert str(outputs["vtt"]) == "episodes/daily.vtt" and str(outputs["chapters"]) == "episodes/daily.chapters.json"
    episode = episodekit.Episode("T", (episodekit.Section("s", "S", start=0.0),))
    page = audio2text.render(episode, "html", target="site/x.html", audio="recordings/x.mp3",
                             transcript="site/x.vtt")
    assert 'src="x.mp3"' in page and 'src="x.vtt"' in page
    assert audio2text.format_for("site/x.chapters.json") == "chapters"
