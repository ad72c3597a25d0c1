"""The query page, and an entity page as a person sees it in headless Chromium."""

from __future__ import annotations

import subprocess
from urllib.parse import quote

import pytest
from tests.tools import require


def test_query_page_lists_examples_and_shows_results_as_a_table(client):
    form = client.get("/query")
    assert form.status_code == 200
    assert "Who wrote which work?" in form.text and "<textarea" in form.text
    query = "SELECT ?s WHERE { ?s a <http://schema.org/Book> }"
    page = client.get("/query", params={"query": query})
    assert page.status_code == 200
    assert '<a href="/id/work/virgin-soil-upturned">work:virgin-soil-upturned</a>' in page.text
    assert f'href="/sparql?query={quote(query, safe="")}"' in page.text


def test_query_page_reports_errors_escaped(client):
    page = client.get("/query", params={"query": "SELECT <script>alert(1)</script>"})
    assert page.status_code == 400
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


def test_query_page_shows_a_construct_as_triples(client):
    page = client.get("/query", params={"query": "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"})
    assert page.status_code == 200
    assert '<th scope="col">subject</th>' in page.text


def test_every_example_query_runs(client, web_dist):
    import json

    for example in json.loads((web_dist / "doc/queries.json").read_text()):
        response = client.get("/sparql", params={"query": example["text"]})
        assert response.status_code == 200, example["name"]


@pytest.mark.slow
def test_entity_page_in_headless_chromium(server, tmp_path):
    chromium = require("chromium", "apt-get install -y chromium chromium-driver")
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        server + "/id/person/mikhail-sholokhov",
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    # the browser followed the 303 to the HTML page and shows what a person reads
    assert "<h1>Mikhail Sholokhov</h1>" in dom
    assert 'id="sources"' in dom
    assert "Mikhail Sholokhov wrote one of the most famous books on this subject" in dom
    assert "Virgin Soil Upturned" in dom
    # the <script> in the description is text: it did not run and made no element
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert dom.count("<script") == 1  # only the JSON-LD block the page ships


def test_home_page_counts_link_to_the_things_of_each_class(client):
    page = client.get("/").text
    start = page.index('href="/query?query=', page.index('id="in-graph"'))
    link = page[start + len('href="') : page.index('"', start + len('href="'))]
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert '<th scope="col">thing</th>' in listing.text
