"""Entities that moved (merged into another) or left the graph: 301 and 410."""

from __future__ import annotations

import json
import shutil

import httpx
import pytest
from tests.conftest import FIXTURES
from tests.serve.conftest import running_server

ID = "https://w3id.org/twentyfive/id/"


@pytest.fixture(scope="module")
def changed_server(web_dist, tmp_path_factory):
    """The web build with a redirects.json as publish/redirects.py writes it."""
    dist = tmp_path_factory.mktemp("changed") / "dist"
    shutil.copytree(web_dist, dist)
    (dist / "redirects.json").write_text(json.dumps({
        "moved": {ID + "person/m-sholokhov": ID + "person/mikhail-sholokhov"},
        "gone": {ID + "work/lost-novel": {"label": "A lost novel"}},
    }))  # fmt: skip
    with running_server(FIXTURES / "web", dist) as base:
        yield base


def test_a_moved_entity_answers_301_to_its_new_iri(changed_server):
    answer = httpx.get(changed_server + "/id/person/m-sholokhov")
    assert answer.status_code == 301
    assert answer.headers["location"] == "/id/person/mikhail-sholokhov"


def test_an_entity_that_left_the_graph_answers_410(changed_server):
    for path in ("/id/work/lost-novel", "/doc/work/lost-novel.ttl"):
        answer = httpx.get(changed_server + path)
        assert answer.status_code == 410
        assert "no longer in the graph" in answer.text
    assert httpx.get(changed_server + "/id/work/never-was").status_code == 404
