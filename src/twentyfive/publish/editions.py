"""Which edition of the dataset a description is about: the current build, or one release.

A release lives in ``dist/releases/<VERSION>/`` and records itself in ``release.json``
(version, date, previous version, fingerprint). The build reads these records to say which
release came before it; when the graph it publishes is the very graph of the latest
release (same fingerprint), the build *is* that release and says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from twentyfive.namespaces import BASE, DATASET_IRI

RELEASES_DIR = "releases"
RELEASE_RECORD = "release.json"
#: Where the files of dist/ are downloaded from (dist/<file> is served at dist/<file>).
DOWNLOAD_BASE = BASE + "dist/"
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def release_iri(version: str) -> str:
    """The IRI of one release; its files are downloaded from this IRI plus ``/<file>``."""
    return f"{BASE}releases/{version}"


def semver_key(version: str) -> tuple:
    """Sort key of a semantic version (a pre-release sorts before its release)."""
    match = SEMVER.match(version)
    if not match:
        raise ValueError(f"{version!r} is not a semantic version such as 1.0.0 or 1.1.0-rc.1")
    major, minor, patch, pre = match.groups()
    pre_key = (
        (1,)
        if pre is None
        else (0, *[(0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")])
    )
    return (int(major), int(minor), int(patch), pre_key)


@dataclass(frozen=True)
class ReleaseRecord:
    """What ``release.json`` says about one release."""

    version: str
    issued: str  # xsd:date
    previous: str | None
    fingerprint: str
    folder: Path


def list_releases(dist_dir: Path) -> list[ReleaseRecord]:
    """Every release in ``dist/releases/``, oldest first (semantic-version order)."""
    records = []
    root = dist_dir / RELEASES_DIR
    if not root.is_dir():
        return []
    for folder in root.iterdir():
        record = folder / RELEASE_RECORD
        if folder.name.startswith(".") or not record.is_file() or not SEMVER.match(folder.name):
            continue
        data = json.loads(record.read_text(encoding="utf-8"))
        records.append(
            ReleaseRecord(
                data["version"], data["issued"], data.get("previous"), data["fingerprint"], folder
            )
        )
    return sorted(records, key=lambda r: semver_key(r.version))


@dataclass(frozen=True)
class Edition:
    """The dataset a description is about, and where its files are downloaded from."""

    iri: str = DATASET_IRI
    download_base: str = DOWNLOAD_BASE
    version: str | None = None
    issued: str | None = None  # xsd:date
    previous: str | None = None  # the version of the release before this one
    fingerprint: str | None = None


def current_edition(dist_dir: Path, fingerprint: str | Callable[[], str]) -> Edition:
    """The edition of a build: the latest release when the graph is the same, else after it.

    ``fingerprint`` may be a function: it is called only when there is a release to compare
    with (fingerprinting a million quads takes seconds).
    """
    releases = list_releases(dist_dir)
    if not releases:
        return Edition(fingerprint=fingerprint if isinstance(fingerprint, str) else None)
    if not isinstance(fingerprint, str):
        fingerprint = fingerprint()
    latest = releases[-1]
    if latest.fingerprint == fingerprint:
        return Edition(
            version=latest.version,
            issued=latest.issued,
            previous=latest.previous,
            fingerprint=fingerprint,
        )
    return Edition(previous=latest.version, fingerprint=fingerprint)
