"""The cache of converted roster files, so that a rebuild skips the rows of unchanged files.

Converting a roster row to RDF is the costly part of reading at archive scale (27,519 rows,
about a million quads). Each file's result — its N-Quads and the line of every person — is
kept in ``.twentyfive-cache/roster/`` next to ``data/`` (never in ``dist/``), under a key
made of the CSV's bytes, its metadata's bytes and the converter's own source code: change any
of them and the file is converted afresh. Only a file that converted without a fault is kept.
Set ``TWENTYFIVE_CACHE=off`` to read every file afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from twentyfive.publish.atomic import write_atomic

CACHE_FOLDER = ".twentyfive-cache"
_CODE = [Path(__file__).with_name(name) for name in ("roster.py", "roster_format.py", "roster_cache.py")]


@dataclass(frozen=True)
class Converted:
    """One roster file as RDF: N-Quads text and the line on which each person stands."""

    nquads: bytes
    lines: dict[str, int]


def enabled() -> bool:
    return os.environ.get("TWENTYFIVE_CACHE", "on").lower() not in ("off", "0", "no")


def cache_key(csv_path: Path, metadata: Path) -> str:
    digest = hashlib.sha256()
    for path in (csv_path, metadata, *_CODE):
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
        return Converted(nquads.read_bytes(), json.loads(lines.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def store(data_dir: Path, csv_path: Path, key: str, converted: Converted) -> None:
    """Keep ``converted``, replacing what was kept for earlier versions of the same file."""
    if not enabled():
        return
    folder = _folder(data_dir)
    try:
        for old in folder.glob(f"{csv_path.stem}-*"):
            old.unlink()
        write_atomic(folder / f"{csv_path.stem}-{key}.nq", converted.nquads)
        write_atomic(folder / f"{csv_path.stem}-{key}.json", json.dumps(converted.lines).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs time
