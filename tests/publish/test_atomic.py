"""A failed build leaves the previous dist/ untouched; a good one replaces it whole."""

from __future__ import annotations

import pytest

from twentyfive import publish as publish_module
from twentyfive.pipeline import build


def test_a_violation_publishes_nothing_and_keeps_the_old_dist(mini):
    first = build(mini)
    before = _files(first.published)
    # a statement outside any passage graph is a violation
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text() + '\nperson:mikhail-sholokhov schema:name "x" .\n')
    second = build(mini)
    assert not second.conforms and second.published is None
    assert _files(mini.dist_dir) == before


def _files(folder):
    """Every file under ``folder`` (the build has sub-folders, e.g. doc/), with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("lane", ["main", "second"])
def test_a_writer_that_crashes_leaves_the_old_dist_and_no_staging_folder(mini, monkeypatch, lane):
    """In either lane: the second runs in a forked process, whose exception comes back here."""
    build(mini)
    before = sorted(p.name for p in mini.dist_dir.iterdir())

    def broken(kg, out, project):
        (out / "half-written.ttl").write_text("@prefix")
        raise RuntimeError("disk full")

    writers = list(publish_module.WRITERS)
    if lane == "main":
        writers.append(("broken", broken))
    else:
        writers[[n for n, _ in writers].index("search index")] = ("search index", broken)
    monkeypatch.setattr(publish_module, "WRITERS", writers)
    with pytest.raises(RuntimeError, match="disk full"):
        build(mini)
    assert sorted(p.name for p in mini.dist_dir.iterdir()) == before
    leftovers = [p.name for p in mini.root.iterdir() if p.name.startswith(".dist.")]
    assert leftovers == []
