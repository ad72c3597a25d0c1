"""The server's view of a build (twentyfive/serve/site.py): what it keeps of the index."""

from __future__ import annotations

import json
from pathlib import Path

from twentyfive.namespaces import ID
from twentyfive.publish.documents import INDEX_FILE
from twentyfive.serve.site import Site
from twentyfive.serve.wellknown import minimal_void


def test_the_site_keeps_every_entity_of_the_index_in_order(web_dist: Path) -> None:
    listed = json.loads((web_dist / INDEX_FILE).read_text(encoding="utf-8"))["entities"]
    site = Site(web_dist)
    assert site.pages == [(e["kind"], e["slug"]) for e in listed]
    assert site.entities == set(site.pages)
    assert site.on_request == {(e["kind"], e["slug"]) for e in listed if not e.get("prebuilt", True)}
    first = listed[0]
    assert first["iri"] == f"{ID}{first['kind']}/{first['slug']}"  # what the VoID fallback names
    assert site.has_entity(first["kind"], first["slug"])
    assert not site.has_entity(first["kind"], first["slug"] + "-no-such-thing")


def test_the_void_fallback_names_the_first_entity_as_example(web_dist: Path) -> None:
    listed = json.loads((web_dist / INDEX_FILE).read_text(encoding="utf-8"))["entities"]
    assert f"void:exampleResource <{listed[0]['iri']}> ;" in minimal_void(Site(web_dist))
