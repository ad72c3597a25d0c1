"""SHACL validation through pyshacl, turned into findings that point at files and lines."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import PREFIXES
from twentyfive.problems import Finding, InputError, Severity

_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every ``*.ttl`` in ``shapes/`` as one shapes graph (syntax errors name file and line)."""
    shapes = rdflib.Graph()
    errors: list[Finding] = []
    for path in sorted(shapes_dir.glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as error:  # rdflib raises several parser error types
            errors.append(
                Finding(Severity.VIOLATION, "read:syntax", f"shapes file does not parse: {error}", path=path)
            )
    if errors:
        raise InputError(errors)
    return shapes


def run_shacl(kg: KnowledgeGraph | None, shapes: rdflib.Graph, data: rdflib.Graph | None = None) -> list[Finding]:
    """Validate the union of the graph's named graphs against ``shapes``."""
    if len(shapes) == 0:
        return []
    data_graph = data if data is not None else kg.to_rdflib()  # type: ignore[union-attr]
    import pyshacl  # here: about 0.1 s to import, and only the shapes the compiled engine cannot run need it

    _, results, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    return findings_from_report(results, kg, shapes)


def findings_from_report(
    results: rdflib.Graph, kg: KnowledgeGraph | None, shapes: rdflib.Graph
) -> list[Finding]:
    """Turn a SHACL validation report graph into findings."""
    findings = []
    # the report's own results: those nested under another by sh:detail (sh:node) explain it
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), Severity.VIOLATION)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        if shape is not None and not messages:
            messages = [str(m) for m in shapes.objects(shape, SH.message)]
        origin = kg.origin(str(focus)) if kg is not None and focus is not None else None
        findings.append(
            Finding(
                severity,
                compact(shape) if isinstance(shape, rdflib.URIRef) else "shape:(anonymous)",
                messages[0] if messages else "does not conform to the shape",
                path=origin.path if origin else None,
                line=origin.line if origin else None,
                focus=str(focus) if focus is not None else None,
                value=value.n3() if value is not None else None,
                predicate=str(path) if isinstance(path, rdflib.URIRef) else None,
            )
        )
    return findings


def compact(iri: rdflib.term.Node) -> str:
    """``tft:Cohort`` for a term in a known namespace, the full IRI otherwise."""
    text = str(iri)
    best = ""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{text[len(PREFIXES[best]):]}"
    for marker in ("#", "/"):
        if marker in text:
            return "shape:" + text.rsplit(marker, 1)[1]
    return text
