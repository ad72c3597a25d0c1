"""``/reconcile``: the shapes of the Reconciliation Service API 0.2, and a client that speaks
it the way OpenRefine does, against ``twentyfive serve`` on the real data."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

ID = "https://w3id.org/twentyfive/id/"

#: Strings from the source's vocabulary, the entity each names, and whether it is unambiguous.
VOCABULARY = [
    ("Sholokhov", None, "person/mikhail-sholokhov", True),
    ("Lynne Viola", None, "person/lynne-viola", True),
    ("Komsomol", None, "organization/komsomol", True),
    ("kolkhoz", None, "concept/kolkhoz", True),
    ("Lower Volga", None, "place/lower-volga", True),
    ("North Caucasus", None, "place/north-caucasus", True),
    ("Virgin Soil Upturned", None, "work/virgin-soil-upturned", True),
    # the organisation and the plenum both carry these two words: not a certain match
    ("Central Committee", "organization", "organization/central-committee-of-the-communist-party", False),  # noqa: E501
    ("MTS", None, "concept/machine-and-tractor-station", True),
    ("двадцатипятитысячники", None, "group/twenty-five-thousanders", True),
]  # fmt: skip


# --- the specification's shapes, checked by hand (reconciliation-api/specs 0.2 schemas) ---


def check_manifest(manifest: dict) -> None:
    assert isinstance(manifest["versions"], list) and "0.2" in manifest["versions"]
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert isinstance(manifest[key], str) and manifest[key]
    assert "{{id}}" in manifest["view"]["url"]
    preview = manifest["preview"]
    assert "{{id}}" in preview["url"]
    assert isinstance(preview["width"], int) and isinstance(preview["height"], int)
    types = manifest["defaultTypes"]
    assert types and all(isinstance(t["id"], str) and isinstance(t["name"], str) for t in types)
    assert len({t["id"] for t in types}) == len(types)  # uniqueItems
    for service in ("entity", "type", "property"):
        definition = manifest["suggest"][service]
        allowed = {"service_url", "service_path", "flyout_service_url", "flyout_service_path"}
        assert set(definition) <= allowed
        assert all(isinstance(v, str) for v in definition.values())


def check_candidate(candidate: dict) -> None:
    assert isinstance(candidate["id"], str) and isinstance(candidate["name"], str)
    assert isinstance(candidate["score"], int | float) and 0 <= candidate["score"] <= 100
    assert isinstance(candidate["match"], bool)
    for t in candidate["type"]:
        assert isinstance(t, str) or isinstance(t["id"], str)
    for feature in candidate.get("features", []):
        assert isinstance(feature["id"], str)
        assert isinstance(feature["value"], bool | int | float)
    assert isinstance(candidate.get("description", ""), str)


def check_result_batch(batch: dict, keys: set[str]) -> None:
    assert set(batch) == keys
    for answer in batch.values():
        assert isinstance(answer["result"], list)
        for candidate in answer["result"]:
            check_candidate(candidate)
        assert sum(c["match"] for c in answer["result"]) <= 1


def check_suggest(answer: dict) -> None:
    assert isinstance(answer["result"], list)
    for item in answer["result"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http(real_server: str):
    with httpx.Client(base_url=real_server, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def manifest(http: httpx.Client) -> dict:
    response = http.get("/reconcile")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    return response.json()


def test_manifest(manifest: dict, real_server: str) -> None:
    check_manifest(manifest)
    assert manifest["identifierSpace"] == ID
    assert manifest["schemaSpace"] == "https://w3id.org/twentyfive/ontology#"
    assert manifest["view"]["url"] == real_server + "/id/{{id}}"
    assert "http://schema.org/Person" in {t["id"] for t in manifest["defaultTypes"]}


def test_vocabulary_batch_as_openrefine_sends_it(http: httpx.Client, manifest: dict) -> None:
    """GET manifest, POST the batch form-encoded (queries=…), follow view and preview."""
    queries = {}
    for number, (text, kind, _, _) in enumerate(VOCABULARY):
        query = {"query": text, "limit": 5}
        if kind:
            query["type"] = kind
        queries[f"q{number}"] = query
    response = http.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200
    batch = response.json()
    check_result_batch(batch, set(queries))
    for number, (text, _, expected, unambiguous) in enumerate(VOCABULARY):
        result = batch[f"q{number}"]["result"]
        assert result[0]["id"] == expected, (text, result[:2])
        assert result[0]["match"] is unambiguous, (text, result[:2])
    first = batch["q0"]["result"][0]["id"]
    view_url = manifest["view"]["url"].replace("{{id}}", first)
    view = http.get(view_url, headers={"Accept": "text/turtle"})
    assert view.status_code == 303
    preview = http.get(manifest["preview"]["url"].replace("{{id}}", quote(first, safe="")))
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "Mikhail Sholokhov" in preview.text


def test_property_constraints_boost(http: httpx.Client) -> None:
    def top(properties: list[dict]) -> dict:
        queries = {"q0": {"query": "Virgin Soil Upturned", "properties": properties}}
        response = http.post("/reconcile", data={"queries": json.dumps(queries)})
        check_result_batch(response.json(), {"q0"})
        return response.json()["q0"]["result"][0]

    right = top([{"pid": "schema:author", "v": "Sholokhov, Mikhail"}])
    by_id = top([{"pid": "http://schema.org/author", "v": {"id": "person/mikhail-sholokhov"}}])
    wrong = top([{"pid": "schema:author", "v": "Lynne Viola"}])
    assert right["id"] == by_id["id"] == "work/virgin-soil-upturned"
    assert right["match"] and by_id["match"]
    assert wrong["score"] < right["score"] and not wrong["match"]
    author = [f for f in wrong["features"] if f["id"] == "property:schema:author"]
    assert [f["value"] for f in author] == [False]


def test_other_ways_to_send_queries(http: httpx.Client) -> None:
    batch = {"a": {"query": "Шолохов", "type": "http://schema.org/Person"}}
    as_get = http.get("/reconcile", params={"queries": json.dumps(batch)}).json()
    as_json = http.post("/reconcile", json=batch).json()
    assert as_get == as_json
    check_result_batch(as_get, {"a"})
    assert as_get["a"]["result"][0]["id"] == "person/mikhail-sholokhov"
    single = http.get("/reconcile", params={"query": "kolkhoz"}).json()
    assert single["result"][0]["id"] == "concept/kolkhoz"


@pytest.mark.parametrize(
    "queries",
    ["not json", '["q0"]', '{"q0": {}}', '{"q0": {"query": "x", "limit": "lots"}}',
     '{"q0": {"query": "x", "properties": [{"pid": "schema:author"}]}}'],
)  # fmt: skip
def test_bad_queries_get_400_with_a_reason(http: httpx.Client, queries: str) -> None:
    response = http.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert len(response.text) > 20


def test_suggest_services(http: httpx.Client, manifest: dict) -> None:
    def suggest(service: str, **params: str) -> list[dict]:
        definition = manifest["suggest"][service]
        response = httpx.get(definition["service_url"] + definition["service_path"], params=params)
        assert response.status_code == 200
        check_suggest(response.json())
        return response.json()["result"]

    assert suggest("entity", prefix="shol")[0]["id"] == "person/mikhail-sholokhov"
    assert suggest("entity", prefix="шол", type="person")[0]["id"] == "person/mikhail-sholokhov"
    assert "http://schema.org/Person" in {t["id"] for t in suggest("type", prefix="pers")}
    assert "http://schema.org/author" in {p["id"] for p in suggest("property", prefix="auth")}
    everything = suggest("type", prefix="")
    assert suggest("type", prefix="", cursor="2")[0] == everything[2]


def test_preview_of_unknown_id_is_404(http: httpx.Client) -> None:
    assert http.get("/reconcile/preview", params={"id": "person/nobody"}).status_code == 404


def test_draft_batch_shape(http: httpx.Client) -> None:
    """The 1.0 draft: a JSON list of queries in, a list of candidate lists out, in order;
    a ``required`` property constraint filters."""
    queries = [
        {"query": "kolkhoz"},
        {"query": "Virgin Soil Upturned",
         "properties": [{"pid": "schema:author", "v": "Lynne Viola", "required": True}]},
        {"query": "Lynne Viola", "type": "person"},
    ]  # fmt: skip
    answer = http.post("/reconcile", json={"queries": queries}).json()
    assert set(answer) == {"results"} and len(answer["results"]) == 3
    for result in answer["results"]:
        for candidate in result["candidates"]:
            assert isinstance(candidate["id"], str)
            assert all(set(n) <= {"str", "lang", "dir"} and n["str"] for n in candidate["name"])
            assert all({"id", "name", "value"} <= set(f) for f in candidate["features"])
    first, required, person = (r["candidates"] for r in answer["results"])
    assert first[0]["id"] == "concept/kolkhoz" and first[0]["name"] == [{"str": "kolkhoz"}]
    assert required == []  # no work by that title has Lynne Viola as author
    assert person[0]["id"] == "person/lynne-viola" and person[0]["match"]
