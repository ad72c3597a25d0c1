"""The search index over the real data: names in any script or order find the same entity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twentyfive.namespaces import ID
from twentyfive.pipeline import Outcome
from twentyfive.publish.search import SEARCH_FILE, search_records
from twentyfive.search.index import SearchIndex

SHOLOKHOV = ID + "person/mikhail-sholokhov"


@pytest.fixture(scope="module")
def index(dist: Path) -> SearchIndex:
    return SearchIndex.from_file(dist / SEARCH_FILE)


@pytest.mark.parametrize(
    "text",
    [
        "Шолохов",
        "sholokhov",
        "Sholokhov, Mikhail",
        "Sholokhov, M. A.",
        "SHOLOHOV",
        "Михаил Александрович Шолохов",
        "Шолохов Михаил Александрович",
        "M. Sholokhov",
    ],
)
def test_every_spelling_finds_sholokhov_first(index: SearchIndex, text: str) -> None:
    hits = index.search(text)
    assert hits and hits[0].entity.id == SHOLOKHOV, [(h.entity.id, h.score) for h in hits[:3]]


def test_exact_names_rank_first(index: SearchIndex) -> None:
    hits = index.search("kolkhoz")
    assert hits[0].entity.id == ID + "concept/kolkhoz" and hits[0].exact
    assert len(hits) > 1 and not any(h.exact for h in hits[1:])  # "kolkhoz chairman" etc. follow
    assert hits[1].score < hits[0].score


def test_alternative_labels_in_other_scripts(index: SearchIndex) -> None:
    assert index.search("Нижне-Волжский край")[0].entity.id == ID + "place/lower-volga"
    assert index.search("MTS")[0].entity.id == ID + "concept/machine-and-tractor-station"
    assert index.search("Podnyataya tselina")[0].entity.id == ID + "work/virgin-soil-upturned"


def test_prefix_only_when_autocompleting(index: SearchIndex) -> None:
    assert index.search("shol") == []
    hits = index.search("shol", prefix=True)
    assert hits[0].entity.id == SHOLOKHOV


def test_filter_by_kind_and_by_class(index: SearchIndex) -> None:
    everything = {h.entity.kind for h in index.search("Sholokhov", limit=50)}
    assert {"person", "source"} <= everything
    people = index.search("Sholokhov", kinds={"person"}, limit=50)
    assert [h.entity.id for h in people] == [SHOLOKHOV]
    books = index.search("Virgin Soil Upturned", types={"http://schema.org/Book"}, limit=50)
    assert books and all("http://schema.org/Book" in h.entity.types for h in books)


def test_nothing_found_for_nonsense(index: SearchIndex) -> None:
    assert index.search("qwxyzzy") == []
    assert index.search("") == []
    assert index.search("  ,.;  ") == []


def test_search_file_is_the_graph_sorted(built: Outcome, dist: Path) -> None:
    """What the build wrote is what the graph gives now (deterministic, no hidden state)."""
    on_disk = json.loads((dist / SEARCH_FILE).read_text(encoding="utf-8"))
    assert on_disk == search_records(built.kg)
    ids = [r["id"] for r in on_disk["entities"]]
    assert ids == sorted(ids)
    sholokhov = next(r for r in on_disk["entities"] if r["id"] == SHOLOKHOV)
    languages = {language for _, language, _ in sholokhov["names"]}
    assert {"en", "ru"} <= languages
