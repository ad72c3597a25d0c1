"""The pipeline: what counts as an input, and when dist/ is stale."""

from __future__ import annotations

import json

from twentyfive.pipeline import build, is_stale


def test_a_fresh_build_is_not_stale_and_records_every_input(mini):
    assert is_stale(mini)
    build(mini)
    assert not is_stale(mini)
    recorded = json.loads((mini.dist_dir / "build.json").read_text())["inputs"]
    assert "data/person/mikhail-sholokhov.trig" in recorded
    assert "shapes/checks/passage-declared.rq" in recorded


def test_changing_data_makes_it_stale(mini):
    build(mini)
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text() + "\n# a comment\n")
    assert is_stale(mini)


def test_changing_a_shape_or_check_makes_it_stale(mini):
    """A changed rule can make published data invalid: serve must rebuild and revalidate."""
    build(mini)
    path = mini.shapes_dir / "checks" / "passage-declared.rq"
    path.write_text(path.read_text() + "\n# stricter now\n")
    assert is_stale(mini)
