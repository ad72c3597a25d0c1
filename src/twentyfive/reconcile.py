"""The W3C Entity Reconciliation API (v0.2, the protocol OpenRefine speaks, and the batch
shape of the 1.0 draft: ``{"queries": [...]}`` → ``{"results": [{"candidates": [...]}]}``):
pure logic.

Identifiers are paths under the identifier space ``https://w3id.org/twentyfive/id/``
(``person/mikhail-sholokhov``), so ``identifierSpace + id`` is the entity's IRI; full IRIs
are accepted wherever an id is read. Types are class IRIs (``http://schema.org/Person``),
CURIEs (``schema:Person``) or our kinds (``person``).

Scores are 0–100 (:mod:`twentyfive.search.index`); with property constraints the score is
¾ name and ¼ the share of constraints met. ``match`` is true only when the best candidate
scores at least :data:`MATCH_SCORE` and leads the next one by at least :data:`MATCH_LEAD`:
an exact or near-exact name that nothing else comes close to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twentyfive import __version__
from twentyfive.namespaces import ID, KINDS, ONTOLOGY_IRI, PREFIXES
from twentyfive.search.index import Entity, Hit, Query, SearchIndex, score_name
from twentyfive.search.normalize import tokens

MATCH_SCORE = 90.0
MATCH_LEAD = 10.0
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_BATCH = 500
NAME_WEIGHT = 0.75


class BadQuery(ValueError):
    """A query that does not follow the protocol (the message says what to send)."""


def entity_id(entity: Entity) -> str:
    return entity.id[len(ID) :]


def to_iri(identifier: str) -> str:
    """A full IRI for an id, a CURIE or an IRI (``person/x``, ``schema:name``, ``http…``)."""
    if identifier.startswith(("http://", "https://")):
        return identifier
    prefix, colon, local = identifier.partition(":")
    if colon and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return ID + identifier


def type_name(index: SearchIndex, iri: str) -> str:
    labels = index.types.get(iri) or index.properties.get(iri) or {}
    return labels.get("en") or labels.get("") or _local_name(iri)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def manifest(index: SearchIndex, base_url: str) -> dict[str, Any]:
    """The service manifest; ``base_url`` is where this service is (``http://host``)."""
    counts: dict[tuple[str, str], int] = {}
    for entity in index.entities:
        for t in entity.types:
            counts[entity.kind, t] = counts.get((entity.kind, t), 0) + 1
    common = []  # the most common class of each kind, in the order of the kinds
    for kind in KINDS:
        ranked = sorted((-n, t) for (k, t), n in counts.items() if k == kind)
        if ranked and ranked[0][1] not in common:
            common.append(ranked[0][1])
    return {
        "versions": ["0.2", "1.0-draft"],
        "name": "The Twenty-five-thousanders (twentyfive)",
        "identifierSpace": ID,
        "schemaSpace": ONTOLOGY_IRI + "#",
        "serviceVersion": __version__,
        "documentation": f"{base_url}/",
        "defaultTypes": [{"id": t, "name": type_name(index, t)} for t in common],
        "view": {"url": f"{base_url}/id/{{{{id}}}}"},
        "preview": {
            "url": f"{base_url}/reconcile/preview?id={{{{id}}}}",
            "width": 400,
            "height": 160,
        },
        "suggest": {
            name: {"service_url": base_url, "service_path": f"/reconcile/suggest/{name}"}
            for name in ("entity", "type", "property")
        },
    }


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    score: float
    properties: dict[str, bool]


def reconcile_batch(index: SearchIndex, queries: Any) -> dict[str, Any]:
    """``{"q0": {...}, …}`` → ``{"q0": {"result": […]}, …}``."""
    if not isinstance(queries, dict):
        raise BadQuery('queries must be a JSON object: {"q0": {"query": "…"}, …}')
    if len(queries) > MAX_BATCH:
        raise BadQuery(f"at most {MAX_BATCH} queries in one batch; this one has {len(queries)}")
    return {key: {"result": reconcile_one(index, query)} for key, query in queries.items()}


def reconcile_draft(index: SearchIndex, body: Any) -> dict[str, Any]:
    """The 1.0 draft: ``{"queries": [{…}, …]}`` → ``{"results": [{"candidates": […]}, …]}``;
    names are lists of ``{"str": …}``."""
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, list):
        raise BadQuery('send {"queries": [{"query": "…"}, …]}')
    if len(queries) > MAX_BATCH:
        raise BadQuery(f"at most {MAX_BATCH} queries in one batch; this one has {len(queries)}")
    return {
        "results": [
            {"candidates": [{**c, "name": [{"str": c["name"]}]} for c in reconcile_one(index, q)]}
            for q in queries
        ]
    }


def reconcile_one(index: SearchIndex, query: Any) -> list[dict[str, Any]]:
    """One reconciliation query → its candidates, best first."""
    if not isinstance(query, dict):
        raise BadQuery("each query must be a JSON object with 'query' and/or 'properties'")
    text = query.get("query", "")
    constraints = query.get("properties") or []
    if not isinstance(text, str) or not isinstance(constraints, list):
        raise BadQuery("'query' must be a string and 'properties' a list of {pid, v}")
    if not text.strip() and not constraints:
        raise BadQuery("a query needs a 'query' string or 'properties'")
    limit = _limit(query.get("limit"))
    kinds, types = parse_types(query.get("type"))
    strict_all = query.get("type_strict") == "all"
    pairs, required = [], set()
    for constraint in constraints:
        if not isinstance(constraint, dict) or "pid" not in constraint or "v" not in constraint:
            raise BadQuery('each property constraint is an object {"pid": …, "v": …}')
        pairs.append((str(constraint["pid"]), constraint["v"]))
        if constraint.get("required") is True:  # 1.0 draft
            required.add(str(constraint["pid"]))
    if text.strip():
        hits = index.search(text, kinds=kinds, types=types, limit=max(limit * 5, 50))
    else:  # properties alone: every entity is a candidate, scored on its values
        hits = [Hit(e, 0.0, e.label()) for e in index.entities if _type_ok(e, kinds, types)]
    if strict_all and types:
        hits = [h for h in hits if types.issubset(h.entity.types)]
    candidates = [_with_properties(index, hit, pairs, bool(text.strip())) for hit in hits]
    candidates = [
        c for c in candidates if c.score > 0 and all(c.properties[pid] for pid in required)
    ]
    candidates.sort(key=lambda c: (-c.score, c.hit.entity.label(), c.hit.entity.id))
    candidates = candidates[:limit]
    return [
        _result(index, c, matched=i == 0 and _is_match(candidates))
        for i, c in enumerate(candidates)
    ]


def _is_match(candidates: list[Candidate]) -> bool:
    if not candidates or candidates[0].score < MATCH_SCORE:
        return False
    return len(candidates) == 1 or candidates[0].score - candidates[1].score >= MATCH_LEAD


def _limit(value: Any) -> int:
    if value is None:
        return DEFAULT_LIMIT
    try:
        return max(1, min(MAX_LIMIT, int(value)))
    except (TypeError, ValueError):
        raise BadQuery(f"'limit' must be a number, not {value!r}") from None


def parse_types(value: Any) -> tuple[set[str] | None, set[str] | None]:
    if value in (None, "", []):
        return None, None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BadQuery("'type' must be a type id or a list of type ids")
    kinds = {v for v in values if v in KINDS}
    types = {to_iri(v) for v in values if v not in KINDS}
    return kinds or None, types or None


def _type_ok(entity: Entity, kinds: set[str] | None, types: set[str] | None) -> bool:
    if not kinds and not types:
        return True
    return bool((kinds and entity.kind in kinds) or (types and types.intersection(entity.types)))


def _with_properties(
    index: SearchIndex, hit: Hit, pairs: list[tuple[str, Any]], named: bool
) -> Candidate:
    met = {pid: _property_met(index, hit.entity, pid, v) for pid, v in pairs}
    if not pairs:
        return Candidate(hit, hit.score, met)
    share = sum(met.values()) / len(met)
    if not named:
        return Candidate(hit, round(100 * share, 1), met)
    return Candidate(hit, round(NAME_WEIGHT * hit.score + (1 - NAME_WEIGHT) * 100 * share, 1), met)


def _property_met(index: SearchIndex, entity: Entity, pid: str, wanted: Any) -> bool:
    """Whether one of the entity's values of ``pid`` equals one of ``wanted``: the same IRI
    (for ``{"id": …}``), or text that folds to the same words (for an IRI value, any of the
    names of the entity it points to, scoring at least :data:`MATCH_SCORE`)."""
    values = entity.values.get(to_iri(pid), [])
    for item in wanted if isinstance(wanted, list) else [wanted]:
        if isinstance(item, dict) and "id" in item:
            if to_iri(str(item["id"])) in values:
                return True
            continue
        query = Query.of(str(item).lower() if isinstance(item, bool) else str(item))
        for value in values:
            target = index.by_id.get(value)
            names = [n[0] for n in target.names] if target else [value]
            person = target is not None and target.is_person
            if any(score_name(query, name, person=person) >= MATCH_SCORE for name in names):
                return True
    return False


def _result(index: SearchIndex, candidate: Candidate, *, matched: bool) -> dict[str, Any]:
    entity = candidate.hit.entity
    result: dict[str, Any] = {
        "id": entity_id(entity),
        "name": entity.label(),
        "score": candidate.score,
        "match": matched,
        "type": [{"id": t, "name": type_name(index, t)} for t in entity.types],
        "features": [{"id": "name", "name": "name score", "value": candidate.hit.score}]
        + [
            {"id": f"property:{pid}", "name": f"{pid} matches", "value": ok}
            for pid, ok in candidate.properties.items()
        ],
    }
    description = entity.description.get("en") or next(iter(entity.description.values()), None)
    if description:
        result["description"] = description
    return result


def suggest_entities(index: SearchIndex, prefix: str, kinds=None, types=None, limit=10):
    hits = index.search(prefix, kinds=kinds, types=types, limit=limit, prefix=True)
    return [
        {
            "id": entity_id(h.entity),
            "name": h.entity.label(),
            **({"description": d} if (d := h.entity.description.get("en")) else {}),
            "notable": [{"id": t, "name": type_name(index, t)} for t in h.entity.types],
        }
        for h in hits
    ]


def suggest_vocabulary(
    index: SearchIndex, labels: dict[str, dict[str, str]], prefix: str, limit: int = 10
) -> list[dict[str, str]]:
    """Types or properties whose name or IRI starts with (a word starting with) ``prefix``."""
    wanted = tokens(prefix)
    found = []
    for iri in sorted(labels):
        name = type_name(index, iri)
        words = tokens(name) + tokens(_local_name(iri))
        if not wanted or all(any(w.startswith(x) for w in words) for x in wanted):
            found.append({"id": iri, "name": name})
    return found[:limit]
