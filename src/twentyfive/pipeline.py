"""The data flow, stage after stage: read -> assemble -> validate -> publish.

Each function returns what the next needs; the CLI and the server call these, never the
stages out of order. Nothing is published while validation reports a violation.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from twentyfive.assemble import assemble
from twentyfive.graph import InputFile, KnowledgeGraph
from twentyfive.problems import Finding, violations
from twentyfive.project import Project
from twentyfive.publish import MANIFEST_FILE, publish, sha256_file
from twentyfive.read import read_project
from twentyfive.roster import roster_inputs
from twentyfive.validate import validate


@dataclass
class Outcome:
    """What a run found and made."""

    kg: KnowledgeGraph
    findings: list[Finding] = field(default_factory=list)
    derived: dict[str, int] = field(default_factory=dict)
    published: Path | None = None

    @property
    def violations(self) -> list[Finding]:
        return violations(self.findings)

    @property
    def conforms(self) -> bool:
        return not self.violations


def load(project: Project, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Read and assemble (no validation): the graph as the build would see it."""
    kg, findings = read_project(
        project.data_dir, project.ontology_dir, relative=project.relative, progress=progress
    )
    derived = assemble(kg)
    return Outcome(kg, findings, derived)


def check(project: Project, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Read, assemble and validate. Raises ``InputError`` when the input is unusable."""
    outcome = load(project, progress)
    _add_rule_inputs(outcome.kg, project)  # before validating, as build does: the same cache state
    outcome.findings += validate(outcome.kg, project, incremental=True)
    return outcome


def _add_rule_inputs(kg: KnowledgeGraph, project: Project) -> None:
    # the shapes decide what is published and the queries appear on the home page: inputs too
    kg.inputs += [
        InputFile(project.relative(path), sha256_file(path), role)
        for role, path in _rule_files(project)
    ]


def _rule_files(project: Project) -> list[tuple[str, Path]]:
    shapes = sorted(p for p in project.shapes_dir.rglob("*") if p.suffix in (".ttl", ".rq"))
    queries = sorted(project.queries_dir.glob("*.rq")) if project.queries_dir.is_dir() else []
    return [("shapes", p) for p in shapes if p.is_file()] + [("query", p) for p in queries]


def build(
    project: Project,
    progress: Callable[[int, int], None] | None = None,
    on_writer: Callable[[str], None] | None = None,
) -> Outcome:
    """Read, assemble, validate, and publish only if nothing violates the shapes.

    Validation runs in a second, forked process (:mod:`twentyfive.forked`) while this one
    writes ``dist/`` into its staging folder (:func:`publish`); the staging folder takes the
    place of ``dist/`` only when validation found no violation, and is thrown away otherwise —
    so nothing is ever published from invalid data, and validating costs no wall time of its
    own while the writers take longer.
    """
    from twentyfive.publish.provenance import build_time

    started = build_time()
    outcome = load(project, progress)
    _add_rule_inputs(outcome.kg, project)
    # What was read lives to the end of the build: out of the cycle collector's sight meanwhile
    # (it would walk it again and again, and its walks make forked processes copy the pages)
    gc.freeze()
    try:
        _validate_and_publish(outcome, project, on_writer, started)
    finally:
        gc.unfreeze()  # collectable again once the caller lets go of it
    return outcome


def _validate_and_publish(
    outcome: Outcome, project: Project, on_writer: Callable[[str], None] | None, started: datetime
) -> None:
    kg = outcome.kg
    if not outcome.conforms:  # the read stage found what forbids publishing: validate only
        outcome.findings += validate(kg, project, incremental=True)
        return
    publication = publish(
        kg, project, progress=on_writer, started=started,
        check=lambda: validate(kg, project, incremental=True),
    )
    outcome.findings += publication.findings
    outcome.published = publication.path


def is_stale(project: Project) -> bool:
    """True when ``dist/`` is missing or was built from other input files than today's."""
    manifest_path = project.dist_dir / MANIFEST_FILE
    if not manifest_path.is_file():
        return True
    try:
        built = json.loads(manifest_path.read_text(encoding="utf-8"))["inputs"]
    except (ValueError, KeyError):
        return True
    inputs = [
        *project.ontology_dir.glob("*.ttl"),
        *project.data_dir.rglob("*.trig"),
        *roster_inputs(project.data_dir),
        *(path for _, path in _rule_files(project)),
    ]
    current = {str(project.relative(p)): sha256_file(p) for p in inputs if p.is_file()}
    return current != built
