"""The cube fixture project (tests/fixtures/cube) with the repository's ontology/cube.ttl."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

from twentyfive.project import Project

CUBE_FIXTURE = FIXTURES / "cube"


def cube_project(tmp_path: Path) -> Project:
    """A copy of the cube fixture, free to break, with the statistics terms of ontology/cube.ttl."""
    target = tmp_path / "cube"
    shutil.copytree(CUBE_FIXTURE, target)
    shutil.copy(ROOT / "ontology" / "cube.ttl", target / "ontology" / "cube.ttl")
    return Project.at(target)


def edit(project: Project, relative: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in one file of the project."""
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
