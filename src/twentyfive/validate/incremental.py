"""Incremental SHACL validation: after a change to a few data files, re-validate only the
focus nodes whose findings the change can alter, and keep the previous findings for the rest.

The cache (``.twentyfive-cache/validation/`` next to ``data/``, like the roster's) holds the
last run's findings of the compiled engine, the fingerprint of what every finding depends on
as a whole (the shapes, the ontology, the engine's code), the checksum of every data file, a
copy of each curated data file (to know what it said before) and the derived graph.

Which focus nodes a change reaches: a shape reads, from its focus node, triples one hop away
(its paths, its targets) and, for ``sh:class`` on a value or a nested shape on a value,
triples two hops away (:func:`far_reads`). So the focus nodes to re-validate are the nodes of
every statement of a changed file (old and new) and of the derived graph's changes, plus —
for a changed statement of a kind read two hops away — the neighbours of the node read there.
Anything this does not bound gives a full run: changed shapes, ontology or engine, a changed
roster file, a shape reading three hops or an unbounded path, a shape pyshacl runs, a change
to ``rdfs:subClassOf`` or involving blank nodes, or a blank focus node among the findings.
The integrity checks and the Data Cube checks always run whole (validate/__init__.py).
Set ``TWENTYFIVE_CACHE=off`` to validate everything afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import GRAPH_DERIVED
from twentyfive.problems import Finding, Severity
from twentyfive.publish.atomic import write_atomic
from twentyfive.roster_cache import CACHE_FOLDER, enabled
from twentyfive.validate.compiled import compile_shapes, run_compiled

_CODE = [Path(__file__).with_name(name) for name in ("compiled.py", "shape_sparql.py", "incremental.py", "shacl.py")]
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DATA_ROLES = ("data", "source")


#: Past this many focus nodes to re-validate (a changed region reaches every person sent there),
#: a full run costs less than each check's query on them (27,519 people: a full run 2.8 s CPU;
#: on 100 nodes 0.5 s, on 500 2.1 s, on 2,000 9 s).
MOST_FOCUS_NODES = 500


class _FullRun(Exception):
    """The change cannot be bounded: validate everything."""


def validate_shapes(kg: KnowledgeGraph, shapes: rdflib.Graph, root: Path, shapes_dir: Path) -> list[Finding]:
    """The compiled engine's findings, re-validating only what the changed files reach.

    ``root`` is the project folder: the input files' paths in ``kg.inputs`` are relative to it.
    """
    folder = root / CACHE_FOLDER / "validation"
    fingerprint = _fingerprint(kg, shapes_dir)
    files = {str(i.path): i.sha256 for i in kg.inputs if i.role != "ontology"}
    try:
        if not enabled():
            raise _FullRun
        focus = _affected(kg, shapes, root, folder, fingerprint, files)
        if len(focus) > MOST_FOCUS_NODES:
            raise _FullRun  # a whole run is cheaper then
        kept = [f for f in _cached(folder) if f.focus not in focus]
        findings = [_placed(kg, f) for f in kept]
        if focus:  # nothing changed: nothing to run (an empty VALUES still costs every query)
            findings += run_compiled(kg, shapes, focus=focus)
    except _FullRun:
        findings = run_compiled(kg, shapes)
    if enabled():
        _save(kg, root, folder, fingerprint, files, findings)
    return findings


# --- what a change reaches ---------------------------------------------------------------


def _affected(kg: KnowledgeGraph, shapes: rdflib.Graph, root: Path, folder: Path, fingerprint: str,
              files: dict[str, str]) -> set[str]:
    state_path = folder / "state.json"
    if not state_path.is_file():
        raise _FullRun
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except ValueError:
        raise _FullRun from None
    if state.get("fingerprint") != fingerprint or state.get("blank_focus") or compile_shapes(shapes).fallback:
        raise _FullRun
    far = far_reads(shapes)
    changed: list[ox.Quad] = []
    for name in sorted(set(files) | set(state["files"])):
        if files.get(name) == state["files"].get(name):
            continue
        if not name.endswith(".trig"):
            raise _FullRun  # a roster file: its previous rows are not kept
        if name in state["files"]:
            changed += _parse(folder / "trig" / f"{state['files'][name]}.trig")
        if name in files:
            changed += _parse(root / name)
    old_derived = _lines((folder / "derived.nq").read_bytes()) if (folder / "derived.nq").is_file() else None
    if old_derived is None:
        raise _FullRun
    new_derived = _lines(_derived(kg))
    changed += _parse_lines(old_derived ^ new_derived)
    focus: set[str] = set()
    for quad in changed:
        if quad.predicate.value == _SUBCLASS or any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
            raise _FullRun
        ends = [t for t in (quad.subject, quad.object) if isinstance(t, ox.NamedNode)]
        focus.update(t.value for t in ends)
        for side, predicates in far.items():  # the node, one hop from a focus, that reads this
            if quad.predicate.value in predicates:
                node = quad.subject if side == "subject" else quad.object
                if isinstance(node, ox.NamedNode):
                    focus.update(_neighbours(kg, node))
    return focus


def far_reads(shapes: rdflib.Graph) -> dict[str, set[str]]:
    """The predicates read two hops from a focus node, by the side of the statement that is the
    node one hop away (``subject``: read forward, ``object``: read inverse). Raises
    :class:`_FullRun` when a shape reads further, or along a path whose length is not one."""
    far: dict[str, set[str]] = {"subject": set(), "object": set()}
    targeted = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p, None)}
    targeted |= set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for shape in targeted:
        _reads(shapes, shape, 0, far, set())
    return far


def _reads(shapes: rdflib.Graph, shape: rdflib.term.Node, hop: int, far: dict[str, set[str]], seen: set) -> None:
    """Note what ``shape`` reads when applied to a node ``hop`` statements from the focus node."""
    if (shape, hop) in seen:
        return
    seen.add((shape, hop))
    value_hop = hop
    path = shapes.value(shape, SH.path)
    if path is not None:
        side, predicates = _step(shapes, path)
        if hop >= 2:
            raise _FullRun
        if hop == 1:
            far[side] |= predicates
        value_hop = hop + 1
    if any(shapes.objects(shape, SH["class"])):
        if value_hop >= 2:
            raise _FullRun
        if value_hop == 1:
            far["subject"].add(str(RDF.type))
    nested = [n for p in (SH.node, SH["not"], SH.qualifiedValueShape) for n in shapes.objects(shape, p)]
    nested += [n for p in (SH["or"], SH["and"], SH.xone) for items in shapes.objects(shape, p) for n in Collection(shapes, items)]
    for other in nested:
        _reads(shapes, other, value_hop, far, seen)
    if path is None:
        for property_shape in shapes.objects(shape, SH.property):
            _reads(shapes, property_shape, hop, far, seen)


def _step(shapes: rdflib.Graph, path: rdflib.term.Node) -> tuple[str, set[str]]:
    """The side of a one-step path's statement its start node is on, and its predicates."""
    if isinstance(path, rdflib.URIRef):
        return "subject", {str(path)}
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef):
        return "object", {str(inverse)}
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None and all(isinstance(a, rdflib.URIRef) for a in Collection(shapes, alternatives)):
        return "subject", {str(a) for a in Collection(shapes, alternatives)}
    raise _FullRun


def _neighbours(kg: KnowledgeGraph, node: ox.NamedNode) -> set[str]:
    found = {q.object.value for q in kg.store.quads_for_pattern(node, None, None) if isinstance(q.object, ox.NamedNode)}
    found |= {q.subject.value for q in kg.store.quads_for_pattern(None, None, node) if isinstance(q.subject, ox.NamedNode)}
    return found


# --- the cache ---------------------------------------------------------------------------


def _fingerprint(kg: KnowledgeGraph, shapes_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in [*sorted(shapes_dir.glob("*.ttl")), *_CODE]:
        digest.update(path.read_bytes())
    for item in sorted((str(i.path), i.sha256) for i in kg.inputs if i.role == "ontology"):
        digest.update("\0".join(item).encode())
    return digest.hexdigest()


def _save(kg: KnowledgeGraph, root: Path, folder: Path, fingerprint: str, files: dict[str, str], findings: list[Finding]) -> None:
    try:
        copies = folder / "trig"
        copies.mkdir(parents=True, exist_ok=True)
        wanted = set()
        for item in kg.inputs:
            if item.role in _DATA_ROLES:
                wanted.add(f"{item.sha256}.trig")
                if not (copies / f"{item.sha256}.trig").is_file():
                    write_atomic(copies / f"{item.sha256}.trig", (root / item.path).read_bytes())
        for old in copies.glob("*.trig"):
            if old.name not in wanted:
                old.unlink()
        write_atomic(folder / "derived.nq", _derived(kg))
        rows = [{**asdict(f), "severity": f.severity.value, "path": None, "line": None} for f in findings]
        blank = any(f.focus is not None and not f.focus.startswith(("http:", "https:", "urn:")) for f in findings)
        write_atomic(folder / "findings.json", json.dumps(rows, ensure_ascii=False).encode("utf-8"))
        state = {"fingerprint": fingerprint, "files": files, "blank_focus": blank}
        write_atomic(folder / "state.json", json.dumps(state, indent=1).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs time


def _cached(folder: Path) -> list[Finding]:
    try:
        rows = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise _FullRun from None
    return [Finding(**{**row, "severity": Severity(row["severity"])}) for row in rows]


def _placed(kg: KnowledgeGraph, finding: Finding) -> Finding:
    """A kept finding with the file and line where its focus node stands today."""
    origin = kg.origin(finding.focus) if finding.focus else None
    return Finding(finding.severity, finding.rule, finding.message, path=origin.path if origin else None,
                   line=origin.line if origin else None, focus=finding.focus, value=finding.value,
                   predicate=finding.predicate)


def _derived(kg: KnowledgeGraph) -> bytes:
    quads = kg.store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_DERIVED))
    return b"".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n".encode() for q in quads))


def _lines(data: bytes) -> set[bytes]:
    return set(data.splitlines())


def _parse(path: Path) -> list[ox.Quad]:
    if not path.is_file():
        raise _FullRun
    return list(ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG))


def _parse_lines(lines: set[bytes]) -> list[ox.Quad]:
    triples = ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
