"""SHA-256 of the files a build writes, computed once.

A writer that streams a file can hash it on the way (:class:`HashingFile`) and ``record`` the
digest; the dataset description, ``provenance.ttl`` and ``SHA256SUMS`` then ask
``sha256_file``, which reads a file again only when nothing was recorded for it, or when it
changed since (another size or modification time). What is recorded is the file (its device
and inode), not its name: a hard link to it (``site/`` links every file of the build) has the
same digest. At archive scale the dumps are several hundred megabytes, read three times over
before, and once more through their links in ``site/``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_BLOCK = 1 << 20
#: (device, inode) -> (size, modification time, the name it was recorded under, SHA-256)
_recorded: dict[tuple[int, int], tuple[int, int, str, str]] = {}


def record(path: Path, digest: str) -> None:
    """``digest`` is the SHA-256 (hex) of ``path`` as it is now."""
    stat = path.stat()
    _recorded[(stat.st_dev, stat.st_ino)] = (stat.st_size, stat.st_mtime_ns, str(path), digest)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and record its SHA-256, from the bytes in hand."""
    path.write_bytes(data)
    record(path, hashlib.sha256(data).hexdigest())
    return path


Records = list[tuple[tuple[int, int], tuple[int, int, str, str]]]


def recorded_under(folder: Path) -> Records:
    """What was recorded for files under ``folder``: for :func:`adopt` in another process."""
    prefix = str(folder) + os.sep
    return [(key, found) for key, found in _recorded.items() if found[2].startswith(prefix)]


def adopt(records: Records) -> None:
    """Take what another process recorded (:func:`recorded_under`) as recorded here: the files
    a forked writer made are not read again to be listed (still checked: same size and time)."""
    _recorded.update(records)


def forget(folder: Path) -> None:
    """Drop what was recorded for files under ``folder`` (a staging folder that is done)."""
    prefix = str(folder) + os.sep
    for key in [k for k, (_, _, name, _) in _recorded.items() if name.startswith(prefix)]:
        del _recorded[key]


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of ``path``: as recorded when it (or a hard link to it) was
    written, else read from disk."""
    stat = path.stat()
    found = _recorded.get((stat.st_dev, stat.st_ino))
    if found is not None and found[:2] == (stat.st_size, stat.st_mtime_ns):
        return found[3]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sums(path: Path) -> dict[str, str]:
    """A ``SHA256SUMS`` file (as ``sha256sum`` writes it) read back: file name -> SHA-256;
    empty when there is no such file."""
    sums = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name:
                sums[name] = digest
    return sums


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
