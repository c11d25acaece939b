"""The voices on the real engines: audio for every sentence, never silence."""

import ctypes
import wave

import pytest

from episodekit.errors import ConversionError
from text2audio.voices import get_voice

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("engine", ["pyttsx3", "piper"])
def test_each_engine_speaks_a_sentence(engine):
    audio = get_voice(engine).say("Tidewater Robotics raised forty eight million dollars on Tuesday.")
    assert 2_000 < len(audio) < 8_000  # milliseconds of speech, edges trimmed
    assert audio.channels == 1 and audio.sample_width == 2


class _EmptyFirstFiles:
    """pyttsx3's engine, except that its first ``empty`` files come out with no samples,
    as pyttsx3 itself now and then writes them."""

    def __init__(self, engine, empty: int):
        self._engine, self.empty, self._pending = engine, empty, None

    def save_to_file(self, text, path):
        self._pending = path
        self._engine.save_to_file(text, path)

    def runAndWait(self):
        self._engine.runAndWait()
        if not self.empty:
            return
        self.empty -= 1
        with wave.open(self._pending, "wb") as empty_file:
            empty_file.setnchannels(1)
            empty_file.setsampwidth(2)
            empty_file.setframerate(22_050)

    def __getattr__(self, name):
        return getattr(self._engine, name)


def test_pyttsx3_keeps_the_samples_that_come_with_the_end_of_a_message(tmp_path):
    """espeak-ng, when busy, sends the last second of sound in the same report as the end
    of the message; pyttsx3 alone wrote the file before adding it."""
    from pyttsx3.drivers import _espeak

    voice = get_voice("pyttsx3")
    driver = voice._engine.proxy._driver
    events = (_espeak.EVENT * 2)()
    events[0].type, events[1].type = _espeak.EVENT_MSG_TERMINATED, _espeak.EVENT_LIST_TERMINATED
    samples = (ctypes.c_short * 22_050)(*([1000, -1000] * 11_025))
    driver._speaking, driver._data_buffer = True, b"\0\0" * 100
    driver._save_file = str(tmp_path / "end.wav")
    _espeak.SynthCallback(samples, len(samples), events)
    with wave.open(driver._save_file) as written:
        assert written.getnframes() == 100 + 22_050


def test_same_sentence_same_length_every_time():
    voice = get_voice("pyttsx3")
    lengths = [len(voice.say("Harbour cranes were idle for a week while the port upgraded its software."))
               for _ in range(12)]
    assert max(lengths) - min(lengths) < 60  # milliseconds: espeak-ng's own jitter, never a lost tail


def test_pyttsx3_speaks_again_when_a_file_comes_back_empty(monkeypatch):
    voice = get_voice("pyttsx3")
    monkeypatch.setattr(voice, "_engine", _EmptyFirstFiles(voice._engine, empty=1))
    assert len(voice.say("The second try is heard.")) > 500


def test_an_engine_that_stays_silent_is_an_error_not_an_episode(monkeypatch):
    voice = get_voice("pyttsx3")
    monkeypatch.setattr(voice, "_engine", _EmptyFirstFiles(voice._engine, empty=99))
    with pytest.raises(ConversionError, match="produced no audio"):
        voice.say("Nothing will be heard.")
