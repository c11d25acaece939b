"""Checks that model files are the ones their package was pinned to.

Model packages are third-party uploads; a swapped file would run on users' own
recordings, so every model file is hashed against a pinned sha256 before first use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ModelFileError

_CHUNK_BYTES = 1 << 20

# (resolved path, size, mtime in ns) of files already found intact in this process:
# loading the same model twice should not rehash hundreds of megabytes.
_verified: set[tuple[str, int, int]] = set()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sha256(files: dict[Path, str], *, what: str) -> None:
    """Raise ModelFileError unless every file exists and has its expected sha256."""
    for path, expected in files.items():
        path = Path(path)
        try:
            stat = path.resolve().stat()
        except OSError:
            raise ModelFileError(path, f"{what}: file is missing; reinstall the package") from None
        fingerprint = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if fingerprint in _verified:
            continue
        actual = sha256_of(path)
        if actual != expected.lower():
            raise ModelFileError(
                path,
                f"{what}: sha256 mismatch (expected {expected}, got {actual}); "
                "reinstall the package",
            )
        _verified.add(fingerprint)
