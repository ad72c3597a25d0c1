"""The build's dataset as an on-disk store: made once per build, then opened read-only.

Loading the dumps into memory costs every process that queries the build: at 27,519 roster
people about 9 s and 700 MiB each, and ``twentyfive serve`` runs up to six such
processes (query workers and document renderers; a killed one is started again), while
``twentyfive query`` loads it on every run. So the first of them makes a store on disk
(pyoxigraph's RocksDB store) holding the dump's quads in their named graphs and their union,
each statement once, in the default graph (the N-Triples dump is exactly that union: see
:mod:`twentyfive.store`). Every process then opens it read-only, in a fraction of a second,
its pages shared through the system's file cache; nothing can write to it.

It lives in ``.twentyfive-cache/store/<key>/`` next to ``dist/``, under a key made of the
N-Quads dump's SHA-256 and pyoxigraph's version: another build, another store. It is made in a
temporary folder under a lock and renamed into place, so no process ever opens a half-made
store and two processes starting together make it once; the store of the build before is kept
(a server still running on it), older ones are removed. ``TWENTYFIVE_CACHE=off`` (or a folder
that cannot be written) loads the dump into memory instead, as does a build of fewer than
:data:`ON_DISK_FROM_QUADS` quads (``TWENTYFIVE_ON_DISK_FROM_QUADS`` sets another number; 0:
always on disk): it loads in well under a second, and opening a store on disk takes a fifth of one.

Measured at 27,519 roster people (1 million quads; ``bench/store_scale.py``): made in 33 s
(once per build; 500 MB), then ``twentyfive query`` takes 0.6 s and 88 MiB where loading into
memory took 9.4 s and 712 MiB; lookups are as fast as in memory, queries that scan everything
take two to four times as long (counting every statement: 0.64 s against 0.21 s).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from twentyfive.formats import N_QUADS, N_TRIPLES
from twentyfive.publish import CHECKSUMS_FILE, MANIFEST_FILE
from twentyfive.publish.checksums import read_sums, sha256_file
from twentyfive.publish.dumps import dump_name
from twentyfive.roster_cache import CACHE_FOLDER, enabled

#: What a store of this layout holds (named graphs, and their union in the default graph);
#: part of the key, so a change of layout makes new stores.
LAYOUT = "named graphs + union in the default graph + subjects.txt, 2"
STORES_KEPT = 2
#: The distinct subjects of the build, one a line (``<iri>``), kept beside the store: over ten
#: million quads the store's own DISTINCT takes longer than a request may (documents.entities).
SUBJECTS_FILE = "subjects.txt"
#: From this many quads a build is queried from a store on disk (about 5,000 roster people).
ON_DISK_FROM_QUADS = 200_000
THRESHOLD_VARIABLE = "TWENTYFIVE_ON_DISK_FROM_QUADS"


def on_disk_from_quads() -> int:
    """:data:`ON_DISK_FROM_QUADS`, or the number ``TWENTYFIVE_ON_DISK_FROM_QUADS`` gives."""
    value = os.environ.get(THRESHOLD_VARIABLE, "")
    try:
        return int(value) if value.strip() else ON_DISK_FROM_QUADS
    except ValueError:
        raise ValueError(f"{THRESHOLD_VARIABLE}={value!r} is not a number of quads; "
                         "set it to an integer such as 0 (always on disk), or unset it") from None
_LOCK = ".lock"


def stores_folder(dist_dir: Path) -> Path:
    return dist_dir.resolve().parent / CACHE_FOLDER / "store"


def store_key(dist_dir: Path) -> str:
    """The key of a build's store: its N-Quads dump (the SHA-256 ``SHA256SUMS`` lists, else
    read), pyoxigraph's version and the layout."""
    nquads = dump_name(N_QUADS)
    digest = read_sums(dist_dir / CHECKSUMS_FILE).get(nquads) or sha256_file(dist_dir / nquads)
    return hashlib.sha256(f"{digest}\0{ox.__version__}\0{LAYOUT}".encode()).hexdigest()[:32]


def prepare(dist_dir: Path, notice: Callable[[str], None] = lambda _: None,
            from_quads: int | None = None) -> Path | None:
    """The folder of the build's store, made if it is not there yet (``notice`` says so: at
    archive scale it takes a while); ``None`` for a build of fewer than ``from_quads`` quads
    (by default :func:`on_disk_from_quads`), or where the cache is off or cannot be written."""
    threshold = on_disk_from_quads() if from_quads is None else from_quads
    if not enabled() or quads_built(dist_dir) < threshold:
        return None
    folder = stores_folder(dist_dir)
    target = folder / store_key(dist_dir)
    if target.is_dir():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / _LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be making it: wait for it
            if not target.is_dir():
                notice(f"preparing the store of {dist_dir} for queries, once per build, in {target}")
                _make(dist_dir, target)
                _remove_older(folder, target)
    except OSError as error:
        notice(f"no store on disk ({error}): the build is loaded into memory instead")
        return None
    return target


def quads_built(dist_dir: Path) -> int:
    """The number of quads ``build.json`` records for a build (0 when it does not)."""
    try:
        return int(json.loads((dist_dir / MANIFEST_FILE).read_text(encoding="utf-8"))["quads"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _make(dist_dir: Path, target: Path) -> None:
    """Load the dumps into a new store in a temporary folder, then rename it to ``target``."""
    making = target.with_name(target.name + ".making")
    shutil.rmtree(making, ignore_errors=True)  # left by a process that was stopped
    store = ox.Store(str(making))
    try:
        store.bulk_load(path=str(dist_dir / dump_name(N_QUADS)), format=N_QUADS.oxigraph, lenient=True)
        store.bulk_load(path=str(dist_dir / dump_name(N_TRIPLES)), format=N_TRIPLES.oxigraph, lenient=True)
        store.optimize()
        store.flush()
    except BaseException:
        del store
        shutil.rmtree(making, ignore_errors=True)
        raise
    del store  # closed: a read-only instance must not open it while it can still be written
    _write_subjects(dist_dir / dump_name(N_TRIPLES), making / SUBJECTS_FILE)
    (making / "twentyfive-store.json").write_text(
        json.dumps({"dist": str(dist_dir.resolve()), "layout": LAYOUT, "pyoxigraph": ox.__version__}) + "\n",
        encoding="utf-8",
    )
    making.rename(target)


def _write_subjects(ntriples: Path, target: Path) -> None:
    """The distinct subjects of the N-Triples dump (sorted: a subject's lines stand together;
    the build's default graph is empty, so these are the named graphs' subjects)."""
    last = b""
    with ntriples.open("rb") as lines, target.open("wb") as out:
        for line in lines:
            subject = line[: line.find(b" ")]
            if subject != last:
                out.write(subject + b"\n")
                last = subject


def kept_subjects(folder: Path) -> bytes | None:
    """What :data:`SUBJECTS_FILE` holds beside the store in ``folder``, if it is there."""
    path = folder / SUBJECTS_FILE
    return path.read_bytes() if path.is_file() else None


def _remove_older(folder: Path, keep: Path) -> None:
    """Remove the stores of older builds, but the newest other one (a server may still use it)."""
    others = sorted(
        (p for p in folder.iterdir() if p.is_dir() and p != keep and not p.name.endswith(".making")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[STORES_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
