"""Validate stage: SHACL shapes (pyshacl), SPARQL integrity checks and the RDF Data Cube
checks (validate/datacube), one report.

Nothing is published while the report holds a violation; warnings are printed.
"""

from __future__ import annotations

from twentyfive.graph import KnowledgeGraph
from twentyfive.problems import Finding, Severity
from twentyfive.project import Project
from twentyfive.validate.datacube import check_cubes
from twentyfive.validate.integrity import load_checks, run_checks
from twentyfive.validate.shacl import load_shapes, run_shacl

__all__ = ["validate", "Finding", "Severity"]


def validate(kg: KnowledgeGraph, project: Project) -> list[Finding]:
    """Every finding of the shapes and the checks, with file and line where known."""
    shapes = load_shapes(project.shapes_dir)
    findings = run_shacl(kg, shapes)
    findings += run_checks(kg, load_checks(project.shapes_dir / "checks"))
    findings += check_cubes(kg)
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple:
    severity_rank = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return (
        severity_rank[finding.severity],
        str(finding.path or ""),
        finding.line or 0,
        finding.rule,
        finding.focus or "",
        finding.value or "",
    )
