"""Atomic output: a whole folder appears at once, or not at all.

Everything is written into a staging folder next to the target; only when every writer
has finished is the old folder swapped out and the new one renamed into place. A build that
fails leaves the previous output untouched, and a reader never sees half a build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target``."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read dist/
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _keep_releases(target, staging)
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, retired / target.name)
    os.rename(staging, target)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _keep_releases(target: Path, staging: Path) -> None:
    """Releases are immutable: carry ``releases/`` (and the ``latest`` symlink) over unchanged."""
    old = target / "releases"
    if old.is_dir() and not (staging / "releases").exists():
        os.rename(old, staging / "releases")
    latest = target / "latest"
    if latest.is_symlink() and not (staging / "latest").exists():
        os.rename(latest, staging / "latest")


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
