"""The server over the real data: every entity dereferences, every competency query runs."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper
from tests.conftest import ROOT

from twentyfive import negotiation


@pytest.mark.slow
def test_every_entity_dereferences_in_every_format(real_server, dist):
    entities = json.loads((dist / "doc/index.json").read_text())["entities"]
    assert len(entities) > 50
    with httpx.Client(base_url=real_server, timeout=30) as client:
        for entity in entities:
            thing = f"/id/{entity['kind']}/{entity['slug']}"
            for variant in negotiation.DOCUMENT_VARIANTS:
                answer = client.get(thing, headers={"Accept": variant.media_type})
                assert answer.status_code == 303, thing
                document = client.get(answer.headers["location"])
                assert document.status_code == 200, answer.headers["location"]
                assert document.headers["content-type"] == variant.content_type
            turtle = client.get(f"/doc/{entity['kind']}/{entity['slug']}.ttl")
            graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
            assert (rdflib.URIRef(entity["iri"]), None, None) in graph, thing


@pytest.mark.parametrize("path", sorted((ROOT / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_competency_questions_over_the_sparql_protocol(real_server, path):
    wrapper = SPARQLWrapper(real_server + "/sparql")
    wrapper.setQuery(path.read_text(encoding="utf-8"))
    wrapper.setReturnFormat(JSON)
    wrapper.setMethod("POST")
    result = wrapper.queryAndConvert()
    text = path.with_suffix(".expected.csv").read_text(encoding="utf-8")
    expected = [row for row in csv.reader(io.StringIO(text)) if row]
    if "boolean" in result:
        assert str(result["boolean"]).lower() == expected[-1][0].lower()
    else:
        assert result["head"]["vars"] == expected[0], path.stem
        assert len(result["results"]["bindings"]) == len(expected) - 1, path.stem
