"""Shared fixtures: the real project built once per session, and a small project to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from twentyfive.pipeline import Outcome, build
from twentyfive.project import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root_project() -> Project:
    """The repository itself (read only; never build into its dist/)."""
    return Project.at(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The real data built once into a temporary dist/ (the repository's dist/ is not touched)."""
    dist = tmp_path_factory.mktemp("build") / "dist"
    outcome = build(Project.at(ROOT, dist))
    assert outcome.conforms, "\n".join(f.format() for f in outcome.violations)
    return outcome


@pytest.fixture(scope="session")
def dist(built: Outcome) -> Path:
    assert built.published is not None
    return built.published


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """A copy of the small test project, free to break."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    shutil.copytree(ROOT / "shapes" / "checks", target / "shapes" / "checks")
    return Project.at(target)


def copy_of_root(tmp_path: Path) -> Project:
    """A copy of the real project's inputs (data, ontology, shapes, queries), free to break."""
    target = tmp_path / "project"
    for name in ("data", "ontology", "shapes", "queries"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    return Project.at(target)


@pytest.fixture
def oxigraph_server(tmp_path: Path):
    """A real Oxigraph server (PyPI ``oxigraph``) on a free loopback port, over its own folder."""
    from tests.stores import OxigraphServer

    server = OxigraphServer(tmp_path / "oxigraph-db").start()
    yield server
    server.stop()
