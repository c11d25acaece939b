"""Model files are third-party uploads: check each against its pinned sha256 before use."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ModelFileError

_verified: set[tuple[str, int, int]] = set()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(files: dict[Path, str], *, what: str) -> None:
    """Raise ModelFileError unless every file exists and matches its hash. A file already
    verified in this process (same size and mtime) is not hashed again."""
    for path, expected in files.items():
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(path, f"{what}: file is missing; reinstall the package")
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key in _verified:
            continue
        actual = sha256_of(path)
        if actual != expected:
            raise ModelFileError(
                path, f"{what}: sha256 mismatch (expected {expected[:12]}…, got {actual[:12]}…); reinstall the package"
            )
        _verified.add(key)
