"""Integrity checks: SPARQL queries that must return no rows, run once on pyoxigraph.

Each check is a file ``shapes/checks/<name>.rq`` whose first comment lines say what it
means and what to do::

    # message: every named graph of the data is a declared passage; declare it in data/source/
    # severity: Violation
    SELECT ?focus ?value WHERE { ... }

Rows bind ``?focus`` (the entity) and optionally ``?value`` and ``?property``. Set-based
checks run here once instead of per focus node in SHACL-SPARQL, which is what keeps
validation linear at archive scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import sparql_prologue
from twentyfive.problems import Finding, InputError, Severity

_HEADER = re.compile(r"^#\s*(message|severity):\s*(.+?)\s*$")


@dataclass(frozen=True)
class Check:
    name: str
    message: str
    severity: Severity
    query: str
    path: Path | None = None


def load_checks(folder: Path) -> list[Check]:
    checks = []
    for path in sorted(folder.glob("*.rq")):
        header: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _HEADER.match(line)
            if match:
                header[match.group(1)] = match.group(2)
        checks.append(
            Check(
                name=f"check:{path.stem}",
                message=header.get("message", f"integrity check {path.stem} failed"),
                severity=Severity(header.get("severity", "Violation")),
                query=path.read_text(encoding="utf-8"),
                path=path,
            )
        )
    return checks


def run_checks(kg: KnowledgeGraph, checks: list[Check]) -> list[Finding]:
    findings: list[Finding] = []
    prologue = sparql_prologue()
    broken: list[Finding] = []
    for check in checks:
        try:
            solutions = kg.query(prologue + check.query)
        except SyntaxError as error:
            broken.append(
                Finding(Severity.VIOLATION, check.name, f"the check does not parse: {error}", path=check.path)
            )
            continue
        variables = {v.value for v in solutions.variables}
        for row in solutions:
            focus = _value(row, "focus", variables)
            origin = kg.origin(focus) if focus else None
            findings.append(
                Finding(
                    check.severity,
                    check.name,
                    check.message,
                    path=origin.path if origin else None,
                    line=origin.line if origin else None,
                    focus=focus,
                    value=_shown(row, "value", variables),
                    predicate=_value(row, "property", variables),
                )
            )
    if broken:
        raise InputError(broken)
    return findings


def _value(row: ox.QuerySolution, name: str, variables: set[str]) -> str | None:
    if name not in variables or row[name] is None:
        return None
    term = row[name]
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _shown(row: ox.QuerySolution, name: str, variables: set[str]) -> str | None:
    if name not in variables or row[name] is None:
        return None
    return str(row[name])
