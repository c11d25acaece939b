"""Mastering on real ffmpeg: loudness and true peak of the encoded file."""

import dataclasses

import pytest
from pydub import AudioSegment

from tests.audio_fixtures import ffmpeg_make

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bursts(tmp_path_factory):
    """Twenty seconds of speech-like bursts: band-limited noise, gated on and off."""
    path = ffmpeg_make(
        tmp_path_factory.mktemp("bursts") / "bursts.wav",
        "anoisesrc=color=pink:sample_rate=22050:amplitude=0.5:seed=3", 20,
        "-af", "lowpass=f=5000,volume='if(lt(mod(t,0.7),0.45),1,0.02)':eval=frame",
    )
    return AudioSegment.from_file(path)


def test_an_encoder_that_overshoots_is_measured_and_held_under_the_limit(tmp_path, bursts, monkeypatch):
    from text2audio import mastering

    # A ceiling far too close to full scale: AAC's own peaks go over -1 dBTP, so the
    # encoded file must be measured and levelled again with a lower ceiling.
    loose = dataclasses.replace(mastering.AUDIO_FORMATS[".m4a"], ceiling_db=-0.3)
    monkeypatch.setitem(mastering.AUDIO_FORMATS, ".m4a", loose)
    measured = []
    real_measure = mastering.measure_loudness
    monkeypatch.setattr(mastering, "measure_loudness", lambda path: measured.append(real_measure(path)) or measured[-1])

    target = mastering.master(bursts, tmp_path / "loose.m4a", title="t", show="s", date=None, chapters=[])
    integrated, true_peak = real_measure(target)
    assert measured[0][1] > -1.0, "the loose ceiling should overshoot on the first try"
    assert len(measured) >= 2
    assert abs(integrated + 16) <= 1 and true_peak <= -1.0


@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".m4a", ".wav"])
def test_every_format_meets_loudness_and_true_peak(tmp_path, bursts, suffix):
    from text2audio.mastering import master, measure_loudness

    target = master(bursts, tmp_path / f"episode{suffix}", title="t", show="s", date=None, chapters=[])
    integrated, true_peak = measure_loudness(target)
    assert abs(integrated + 16) <= 1 and true_peak <= -1.0
