"""Validate stage: SHACL shapes, SPARQL integrity checks and the RDF Data Cube checks
(validate/datacube), one report.

The shapes run on the compiled engine (SHACL Core as SPARQL on pyoxigraph, validate/compiled.py)
unless ``TWENTYFIVE_SHACL_ENGINE=pyshacl`` asks for the reference engine. A build validates
incrementally (validate/incremental.py): after a change to a few data files only the focus
nodes the change reaches are validated again. Nothing is published while the report holds a
violation; warnings are printed.
"""

from __future__ import annotations

import os

from twentyfive.graph import KnowledgeGraph
from twentyfive.problems import Finding, Severity
from twentyfive.project import Project
from twentyfive.validate.compiled import run_compiled
from twentyfive.validate.datacube import check_cubes
from twentyfive.validate.incremental import validate_shapes
from twentyfive.validate.integrity import load_checks, run_checks
from twentyfive.validate.shacl import load_shapes, run_shacl

__all__ = ["validate", "Finding", "Severity"]


#: The environment variable that picks the SHACL engine: ``compiled`` (default) or ``pyshacl``.
ENGINE_VARIABLE = "TWENTYFIVE_SHACL_ENGINE"
ENGINES = {"compiled": run_compiled, "pyshacl": run_shacl}


def validate(kg: KnowledgeGraph, project: Project, engine: str | None = None, incremental: bool = False) -> list[Finding]:
    """Every finding of the shapes and the checks, with file and line where known.

    ``incremental``: ``kg`` is exactly what the project's files say (as a build reads it), so
    the findings of the files not changed since the last such run can come from the cache.
    """
    name = engine or os.environ.get(ENGINE_VARIABLE, "compiled")
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_VARIABLE}={name!r}: choose one of {', '.join(ENGINES)}")
    shapes = load_shapes(project.shapes_dir)
    if incremental and name == "compiled":
        findings = validate_shapes(kg, shapes, project.root, project.shapes_dir)
    else:
        findings = ENGINES[name](kg, shapes)
    findings += run_checks(kg, load_checks(project.shapes_dir / "checks"))
    findings += check_cubes(kg)
    # a check over the union default graph sees a statement once per passage graph holding
    # it, so the same finding can come twice: report each once
    return sorted(set(findings), key=_order)


_SEVERITY_RANK = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _order(finding: Finding) -> tuple:
    return (
        _SEVERITY_RANK[finding.severity],
        str(finding.path or ""),
        finding.line or 0,
        finding.rule,
        finding.focus or "",
        finding.value or "",
    )
