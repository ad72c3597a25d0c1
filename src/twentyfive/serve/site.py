"""The built site as the server sees it: prebuilt files, their ETags, the index.

Everything comes from ``dist/``: bytes from the prebuilt files (read once, then kept in
memory up to a budget), ETags from ``SHA256SUMS`` (the content hash the build wrote), and
``Last-Modified`` from the time ``build.json`` was written — the moment this build was
published. Files are byte-identical for the same input, but a build has no clock of its own
(no timestamps in the output, so builds stay reproducible); the publication time of the
build is the honest "last modified" of every document in it, and it is what a static web
server serving the same files reports too.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path, PurePosixPath

from twentyfive.publish import CHECKSUMS_FILE, MANIFEST_FILE
from twentyfive.publish.checksums import read_sums
from twentyfive.publish.documents import INDEX_FILE, QUERIES_FILE
from twentyfive.publish.redirects import REDIRECTS_FILE

#: Keep at most this many bytes of prebuilt files in memory (the rest is read per request).
CACHE_BUDGET = 256 * 1024 * 1024
#: Keep at most this many bytes of documents rendered on request (least recently used go first).
RENDERED_BUDGET = 64 * 1024 * 1024
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Prebuilt:
    """One file of the build, ready to send."""

    path: str
    body: bytes
    etag: str


def missing_files(dist: Path) -> list[str]:
    """The files the server needs that ``dist`` lacks (a build by an older version, say)."""
    from twentyfive.formats import N_QUADS
    from twentyfive.publish.dumps import dump_name

    needed = [MANIFEST_FILE, CHECKSUMS_FILE, INDEX_FILE, QUERIES_FILE, dump_name(N_QUADS)]
    return [name for name in needed if not (dist / name).is_file()]


class Site:
    """Read-only view of one build; no module-level state, one per app."""

    def __init__(self, dist: Path):
        self.dist = dist.resolve()
        manifest = self.dist / MANIFEST_FILE
        if not manifest.is_file():
            raise FileNotFoundError(
                f"{self.dist} holds no build ({MANIFEST_FILE} is missing): "
                "run 'twentyfive build' first"
            )
        self.last_modified_epoch = int(manifest.stat().st_mtime)
        self.last_modified = formatdate(self.last_modified_epoch, usegmt=True)
        self.etags = read_sums(self.dist / CHECKSUMS_FILE)
        self.queries = json.loads((self.dist / QUERIES_FILE).read_text(encoding="utf-8"))
        #: every entity as ``(kind, slug)``, in the index's order (IRI order)
        self.pages: list[tuple[str, str]] = []
        #: entities whose documents the build left to the server (roster people, passages)
        self.on_request: set[tuple[str, str]] = set()
        self._read_index(self.dist / INDEX_FILE)
        self.entities = set(self.pages)
        redirects = self.dist / REDIRECTS_FILE
        changes = json.loads(redirects.read_text(encoding="utf-8")) if redirects.is_file() else {}
        #: old IRI -> new IRI (301), and IRIs of entities that left the graph (410)
        self.moved: dict[str, str] = changes.get("moved", {})
        self.gone: dict[str, object] = changes.get("gone", {})
        self._cache: dict[str, Prebuilt] = {}
        self._cached_bytes = 0
        self._rendered: OrderedDict[str, Prebuilt] = OrderedDict()
        self._rendered_bytes = 0

    def _read_index(self, path: Path) -> None:
        """What the server needs of ``doc/index.json``: each entity's kind and slug, and
        whether it is prebuilt. Not the labels and counts: every server process holds this,
        and at 275,190 roster people the whole index held as dictionaries is half a gigabyte
        a process (retained at 27,519 people: 45 MiB as dictionaries, 12 MiB as this)."""
        for entry in json.loads(path.read_text(encoding="utf-8"))["entities"]:
            page = (sys.intern(entry["kind"]), entry["slug"])  # a few kinds, held once
            self.pages.append(page)
            if not entry.get("prebuilt", True):
                self.on_request.add(page)

    def has_entity(self, kind: str, slug: str) -> bool:
        return (kind, slug) in self.entities

    def file(self, relative: str) -> Prebuilt | None:
        """The prebuilt file at ``relative`` (a path inside ``dist/``), or ``None``.

        Only plain names are accepted (no ``..``, no hidden files, no absolute paths), and the
        resolved path must still lie inside ``dist/``.
        """
        if relative in self._cache:
            return self._cache[relative]
        if relative in self._rendered:
            self._rendered.move_to_end(relative)
            return self._rendered[relative]
        found = self._load(relative)
        if found is not None and self._cached_bytes + len(found.body) <= CACHE_BUDGET:
            self._cache[relative] = found  # only files that exist: bad paths cannot fill it
            self._cached_bytes += len(found.body)
        return found

    def needs_rendering(self, kind: str, slug: str) -> bool:
        """True for an entity rendered on request whose files are not in memory now."""
        return (kind, slug) in self.on_request and f"doc/{kind}/{slug}.ttl" not in self._rendered

    def add_rendered(self, kind: str, files: list[tuple[str, bytes]]) -> None:
        """Keep the files of a document rendered on request (``(name in doc/<kind>/, bytes)``);
        their ETags are content hashes, like those of prebuilt files."""
        for name, body in files:
            relative = f"doc/{kind}/{name}"
            old = self._rendered.pop(relative, None)
            self._rendered_bytes -= len(old.body) if old else 0
            etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
            self._rendered[relative] = Prebuilt(relative, body, etag)
            self._rendered_bytes += len(body)
        while self._rendered_bytes > RENDERED_BUDGET and len(self._rendered) > len(files):
            _, dropped = self._rendered.popitem(last=False)
            self._rendered_bytes -= len(dropped.body)

    def _load(self, relative: str) -> Prebuilt | None:
        parts = PurePosixPath(relative).parts
        if not parts or not all(_SAFE_PART.match(p) for p in parts):
            return None
        path = (self.dist / Path(*parts)).resolve()
        if not path.is_relative_to(self.dist) or not path.is_file():
            return None
        body = path.read_bytes()
        digest = self.etags.get(relative) or hashlib.sha256(body).hexdigest()
        return Prebuilt(relative, body, f'"{digest[:32]}"')
