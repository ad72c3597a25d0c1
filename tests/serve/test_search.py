"""``/search`` over HTTP against ``twentyfive serve`` on the real data."""

from __future__ import annotations

import httpx
import pytest

SHOLOKHOV = "https://w3id.org/twentyfive/id/person/mikhail-sholokhov"


@pytest.fixture(scope="module")
def http(real_server: str):
    with httpx.Client(base_url=real_server, timeout=30) as client:
        yield client


@pytest.mark.parametrize("text", ["Шолохов", "sholokhov", "Sholokhov, Mikhail"])
def test_json_results(http: httpx.Client, text: str) -> None:
    response = http.get("/search", params={"q": text}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "Accept" in response.headers["vary"]
    assert response.headers["access-control-allow-origin"] == "*"
    results = response.json()["results"]
    assert results[0]["id"] == SHOLOKHOV
    assert results[0]["path"] == "/id/person/mikhail-sholokhov"
    assert results[0]["kind"] == "person"


def test_html_results_page(http: httpx.Client) -> None:
    response = http.get("/search", params={"q": "kolkhoz"}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    first_link = response.text.index('href="/id/concept/kolkhoz"')
    assert first_link < response.text.index('href="/id/concept/kolkhoz-chairman"')


def test_html_escapes_the_query(http: httpx.Client) -> None:
    evil = '"><script>alert(1)</script>'
    response = http.get("/search", params={"q": evil}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_autocomplete_and_kind_filter(http: httpx.Client) -> None:
    plain = http.get("/search", params={"q": "shol"}).json()["results"]
    assert plain == []
    completed = http.get("/search", params={"q": "shol", "autocomplete": "1"}).json()["results"]
    assert completed[0]["id"] == SHOLOKHOV
    assert any(r["kind"] == "source" for r in completed)
    people = http.get(
        "/search", params={"q": "shol", "autocomplete": "1", "type": "person"}
    ).json()["results"]
    assert [r["id"] for r in people] == [SHOLOKHOV]


def test_refusals(http: httpx.Client) -> None:
    png = http.get("/search", params={"q": "x"}, headers={"Accept": "image/png"})
    assert png.status_code == 406
    assert http.get("/search", params={"q": "x" * 501}).status_code == 400
    assert http.get("/search", params={"q": "x", "limit": "many"}).status_code == 400
    head = http.head("/search", params={"q": "kolkhoz"})
    assert head.status_code == 200 and head.content == b""


def test_the_index_loads_beside_the_server_and_a_bad_one_leaves_search_off(dist, tmp_path, capsys) -> None:
    import asyncio
    import shutil

    from twentyfive.publish.search import SEARCH_FILE
    from twentyfive.serve.search import IndexLoader

    good = IndexLoader(dist)
    index = asyncio.run(good.ready())  # waits while it loads
    assert index is not None and index.search("Шолохов")[0].entity.id == SHOLOKHOV
    broken = tmp_path / "dist"
    broken.mkdir()
    shutil.copy(dist / SEARCH_FILE, broken / SEARCH_FILE)
    with (broken / SEARCH_FILE).open("r+b") as file:
        file.truncate(1000)  # cut in the middle of a record
    loader = IndexLoader(broken)
    assert asyncio.run(loader.ready()) is None and asyncio.run(loader.ready()) is None
    said = capsys.readouterr().err
    assert said.count(f"cannot load the search index {SEARCH_FILE}") == 1 and "twentyfive build" in said
    (broken / SEARCH_FILE).unlink()
    assert asyncio.run(IndexLoader(broken).ready()) is None  # a build without one
