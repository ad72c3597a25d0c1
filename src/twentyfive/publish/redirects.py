"""``dist/redirects.json``: what a server answers for entities that left the graph.

``{"gone": {IRI: {...}}, "moved": {IRI: IRI}}``: an entity recorded in a release's
``tombstones.json`` (it was in one release and not in a later one) and still absent is
*gone* (answer ``410 Gone``, with its last description from the tombstone); an entity whose
curated data says ``dcterms:isReplacedBy <other>`` (the curator writes it when two entities
are merged) has *moved* (answer ``301 Moved Permanently`` to the other's IRI).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.project import Project
from twentyfive.publish.editions import list_releases

REDIRECTS_FILE = "redirects.json"
TOMBSTONES_FILE = "tombstones.json"
IS_REPLACED_BY = PREFIXES["dcterms"] + "isReplacedBy"


def moved(kg: KnowledgeGraph) -> dict[str, str]:
    """Every ``dcterms:isReplacedBy`` in the graph: old IRI -> new IRI."""
    found = {}
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(IS_REPLACED_BY), None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            found[quad.subject.value] = quad.object.value
    return dict(sorted(found.items()))


def gone(kg: KnowledgeGraph, dist_dir: Path, moved_away: dict[str, str]) -> dict[str, object]:
    """Tombstones of every release whose entity is still absent and not moved."""
    tombstones: dict[str, object] = {}
    for release in list_releases(dist_dir):
        path = release.folder / TOMBSTONES_FILE
        if path.is_file():
            tombstones.update(json.loads(path.read_text(encoding="utf-8")))
    present = {
        iri
        for iri in tombstones
        if next(iter(kg.store.quads_for_pattern(ox.NamedNode(iri), None, None)), None) is not None
        and iri not in moved_away
    }
    return {
        iri: tombstones[iri]
        for iri in sorted(tombstones)
        if iri not in present and iri not in moved_away
    }


def redirects(kg: KnowledgeGraph, dist_dir: Path) -> dict[str, object]:
    moved_away = moved(kg)
    return {"gone": gone(kg, dist_dir, moved_away), "moved": moved_away}


def write_redirects(data: dict[str, object], out: Path) -> Path:
    path = out / REDIRECTS_FILE
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path


def redirects_writer(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    return [write_redirects(redirects(kg, project.dist_dir), out)]
