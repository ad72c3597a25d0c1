"""A small project with the roster format (fixture entities, real ontology and shapes files)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from twentyfive.project import Project

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import synthetic_roster  # noqa: E402  (bench/ is not a package)


def roster_project(target: Path) -> Project:
    """tests/fixtures/roster plus the repository's roster ontology, shapes and metadata."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "roster", target)
    shutil.copy(ROOT / "ontology" / "roster.ttl", target / "ontology" / "roster.ttl")
    (target / "shapes").mkdir()
    shutil.copy(ROOT / "shapes" / "roster.ttl", target / "shapes" / "roster.ttl")
    (target / "data" / "roster").mkdir()
    shutil.copy(ROOT / "data" / "roster" / "roster.csv-metadata.json", target / "data" / "roster")
    return Project.at(target)


@pytest.fixture
def roster(tmp_path: Path) -> Project:
    return roster_project(tmp_path / "project")


@pytest.fixture
def synthetic():
    return synthetic_roster
