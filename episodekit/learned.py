"""Learned models shipped as small JSON files: a standardised logistic regression.

Both sides learn their structure from real corpora (``make train``) and ship only the
weights: a list of feature names, the training mean and scale of each feature, and the
coefficients. Inference is a dot product in numpy, so the converter needs no scikit-learn
at run time and never unpickles anything. Every file is pinned by its sha256 in the
``PINS`` table of the package that ships it, and checked before first use, like the Whisper
and embedding models; ``write_model`` rewrites that pin when the model is retrained.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .integrity import sha256_of, verify_sha256

FORMAT = "episodekit-logistic/1"


@dataclass(frozen=True)
class LinearModel:
    """P(label) = sigmoid(intercept + sum(coef * (x - mean) / scale)) over named features."""

    features: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    # What was learned besides the weights (a length prior, a decision threshold, the
    # cross-validated figures): read by the stage that owns the model.
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def logit(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        return self.intercept + ((rows - self.mean) / self.scale) @ self.coef

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(rows)))

    def without(self, names: Sequence[str]) -> "LinearModel":
        """The same model with some features switched off: each is held at its training
        mean, so it adds nothing to any decision (the ablation of a named rule)."""
        keep = np.array([name not in set(names) for name in self.features], dtype=np.float64)
        return LinearModel(self.features, self.coef * keep, self.intercept, self.mean, self.scale, self.extra)


def model_from_dict(data: Mapping) -> LinearModel:
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} model")
    return LinearModel(
        features=tuple(data["features"]),
        coef=np.asarray(data["coef"], dtype=np.float64),
        intercept=float(data["intercept"]),
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        extra=dict(data.get("extra", {})),
    )


def model_to_dict(model: LinearModel) -> dict:
    def rounded(values) -> list[float]:
        return [round(float(v), 6) for v in values]

    return {"format": FORMAT, "features": list(model.features), "coef": rounded(model.coef),
            "intercept": round(float(model.intercept), 6), "mean": rounded(model.mean),
            "scale": rounded(model.scale), "extra": model.extra}


@functools.lru_cache(maxsize=None)
def load_model(path: Path, sha256: str, what: str) -> LinearModel:
    """Load a shipped model after checking its pinned sha256."""
    verify_sha256({Path(path): sha256}, what=what)
    return model_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def fit_standardised(estimator, rows: np.ndarray, targets: np.ndarray, features: Sequence[str],
                     sample_weight: np.ndarray | None = None, extra: dict | None = None) -> LinearModel:
    """Fit a scikit-learn linear estimator (logistic or ridge) on standardised rows and
    keep it as a LinearModel. Used by the training scripts only."""
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    estimator.fit((rows - mean) / scale, targets, sample_weight=sample_weight)
    return LinearModel(tuple(features), np.ravel(estimator.coef_), float(np.ravel(estimator.intercept_)[0]),
                       mean, scale, extra or {})


_PIN = re.compile(r'^(\s*"(?P<name>[^"]+)":\s*)"[0-9a-f]{64}"', re.MULTILINE)


def write_model(model: LinearModel, path: Path, pins_file: Path) -> str:
    """Write a trained model and rewrite its pin in ``pins_file`` (a module whose PINS
    table maps the model's file name to its sha256). Used by the training scripts only."""
    path = Path(path)
    path.write_text(json.dumps(model_to_dict(model), indent=1) + "\n", encoding="utf-8")
    digest = sha256_of(path)
    source = Path(pins_file).read_text(encoding="utf-8")
    replaced, _ = _PIN.subn(
        lambda m: f'{m.group(1)}"{digest}"' if m.group("name") == path.name else m.group(0), source)
    if not any(m.group("name") == path.name for m in _PIN.finditer(source)):
        raise ValueError(f"{pins_file}: no pin for {path.name}")
    Path(pins_file).write_text(replaced, encoding="utf-8")
    load_model.cache_clear()
    return digest
