"""SHA-256 of the files a build writes, computed once.

A writer that streams a file can hash it on the way (:class:`HashingFile`) and ``record`` the
digest; the dataset description, ``provenance.ttl`` and ``SHA256SUMS`` then ask
``sha256_file``, which reads a file again only when nothing was recorded for it, or when it
changed since (another size, modification time or inode): at archive scale the dumps are
several hundred megabytes, read three times over before.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_BLOCK = 1 << 20
_recorded: dict[str, tuple[tuple[int, int, int], str]] = {}


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def record(path: Path, digest: str) -> None:
    """``digest`` is the SHA-256 (hex) of ``path`` as it is now."""
    _recorded[str(path)] = (_identity(path.stat()), digest)


def forget(folder: Path) -> None:
    """Drop what was recorded for files under ``folder`` (a staging folder that is done)."""
    prefix = str(folder) + os.sep
    for name in [n for n in _recorded if n.startswith(prefix)]:
        del _recorded[name]


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of ``path``: as recorded when it was written, else read from disk."""
    found = _recorded.get(str(path))
    if found is not None and found[0] == _identity(path.stat()):
        return found[1]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


class HashingFile:
    """A binary file opened for writing that hashes what goes through it."""

    def __init__(self, path: Path):
        self.path = path
        self.digest = hashlib.sha256()
        self.size = 0
        self._handle = path.open("wb")

    def write(self, data: bytes) -> int:
        self._handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> str:
        """Close the file, record its digest and return it."""
        self._handle.close()
        digest = self.digest.hexdigest()
        record(self.path, digest)
        return digest
