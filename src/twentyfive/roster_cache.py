"""The cache of converted roster files, so that a rebuild skips the rows of unchanged files.

Converting a roster row to RDF is the costly part of reading at archive scale (27,519 rows,
about a million quads). Each file's result — its N-Quads and the line of every person — is
kept in ``.twentyfive-cache/roster/`` next to ``data/`` (never in ``dist/``), under a key
made of the CSV's checksum, its metadata's bytes and the converter's own source code: change any
of them and the file is converted afresh. Only a file that converted without a fault is kept.
Set ``TWENTYFIVE_CACHE=off`` to read every file afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from twentyfive.publish.atomic import write_atomic

CACHE_FOLDER = ".twentyfive-cache"
_CODE = [Path(__file__).with_name(name) for name in ("roster.py", "roster_format.py", "roster_rdf.py", "roster_cache.py")]
_KEPT = re.compile(r"[0-9a-f]{64}\.(nq|json)")


@dataclass(frozen=True)
class Converted:
    """One roster file as RDF: N-Quads text (in a file) and the line on which each person stands."""

    nquads: Path
    lines: dict[str, int]


def enabled() -> bool:
    return os.environ.get("TWENTYFIVE_CACHE", "on").lower() not in ("off", "0", "no")


def cache_key(csv_sha256: str, metadata: Path) -> str:
    """The key of a roster file's cache: its checksum, its metadata and the converter's code."""
    digest = hashlib.sha256(csv_sha256.encode("ascii") + b"\0")
    for path in (metadata, *_CODE):
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _folder(data_dir: Path) -> Path:
    return data_dir.parent / CACHE_FOLDER / "roster"


def load(data_dir: Path, csv_path: Path, key: str) -> Converted | None:
    folder = _folder(data_dir)
    nquads, lines = folder / f"{csv_path.stem}-{key}.nq", folder / f"{csv_path.stem}-{key}.json"
    if not enabled() or not nquads.is_file() or not lines.is_file():
        return None
    try:
        return Converted(nquads, json.loads(lines.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


class Writer:
    """The cache of one file, written while it is converted: kept (replacing what was kept for
    earlier versions of the file) only by :meth:`keep`, else thrown away. A cache that cannot
    be written only costs time."""

    def __init__(self, data_dir: Path, csv_path: Path, key: str):
        self._folder, self._stem, self._key = _folder(data_dir), csv_path.stem, key
        self._handle = None
        self._temporary: Path | None = None
        if enabled():
            try:
                self._folder.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{self._stem}-", suffix=".nq", dir=self._folder)
                self._handle, self._temporary = os.fdopen(fd, "wb"), Path(name)
            except OSError:
                self._handle = None

    def write(self, nquads: bytes) -> None:
        if self._handle is not None:
            try:
                self._handle.write(nquads)
            except OSError:
                self._drop()

    def keep(self, lines: dict[str, int]) -> None:
        """The file converted without a fault: its N-Quads and the line of each person."""
        if self._handle is None or self._temporary is None:
            return
        try:
            self._handle.close()
            for old in self._folder.glob(f"{self._stem}-*"):
                if _KEPT.fullmatch(old.name[len(self._stem) + 1:]):  # not another file's: a-b.csv
                    old.unlink()
            os.replace(self._temporary, self._folder / f"{self._stem}-{self._key}.nq")
            self._handle = self._temporary = None
            write_atomic(self._folder / f"{self._stem}-{self._key}.json", json.dumps(lines).encode("utf-8"))
        except OSError:
            self._drop()

    def _drop(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._temporary is not None:
            self._temporary.unlink(missing_ok=True)
            self._temporary = None

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._drop()  # whatever :meth:`keep` did not keep
