"""Sentence embeddings shared by both sides: WordLlama's 256-dimension static model.

The model ships inside the ``wordllama`` wheel (pinned in pyproject.toml) and its two files
are checked against their sha256 before first use, like the Whisper models. It is a static
model (a token table averaged, then projected), so it embeds tens of thousands of sentences
a second on one core and loads in about a tenth of a second: cheap enough to run on every
article and every brief. The README records why it was chosen over the MiniLM ONNX package.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Sequence

import numpy as np

from .integrity import verify_sha256

MODEL_NAME = "wordllama l2_supercat_256"
_FILES = {
    "weights/l2_supercat_256.safetensors": "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    "tokenizers/l2_supercat_tokenizer_config.json": "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
}


@functools.lru_cache(maxsize=1)
def _model():
    # wordllama calls logging.basicConfig(level=INFO) when imported, which would print
    # every library's INFO lines (faster-whisper's among them) on the user's terminal;
    # the root logger is put back as it was.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama
    from wordllama import WordLlama

    root.handlers[:] = handlers
    root.setLevel(level)

    folder = Path(wordllama.__file__).parent
    verify_sha256({folder / name: digest for name, digest in _FILES.items()}, what=f"embedding model {MODEL_NAME}")
    # The wheel keeps its tokenizer in tokenizers/, while load(disable_download=True) looks
    # in cache_dir/tokenizer(s); pointing cache_dir at the package folder finds both files.
    return WordLlama.load(config="l2_supercat", dim=256, cache_dir=folder, disable_download=True)


def load() -> None:
    """Load (and hash-check) the model ahead of first use, e.g. while audio decodes."""
    _model()


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text (float32); an empty text gives a zero row."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    vectors = np.asarray(_model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity between rows of unit vectors (a matrix, or a number for two rows)."""
    return a @ b.T
