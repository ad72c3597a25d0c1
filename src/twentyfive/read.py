"""Read stage: ``ontology/`` and ``data/`` into one :class:`KnowledgeGraph`.

Each data file holds one entity (``data/<kind>/<slug>.trig``), every statement in the named
graph of the passage that supports it (docs/data-model.md). Reading checks what only the
files can tell: syntax (file, line, column), that the file describes the entity its name
says, that nothing sits outside a passage graph, and where each entity is written, so later
stages can point at the line. Every file is read before anything is reported.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import InputFile, KnowledgeGraph, Origin
from twentyfive.literals import well_formed
from twentyfive.namespaces import ID, KINDS, ONTOLOGY_IRI, PREFIXES, SLUG_PATTERN
from twentyfive.problems import Finding, InputError, Severity
from twentyfive.roster import add_rosters

DATA_SUFFIX = ".trig"
ONTOLOGY_SUFFIX = ".ttl"
_SLUG = re.compile(rf"^{SLUG_PATTERN}$")
_PART = re.compile(rf"^{SLUG_PATTERN}$")
PASSAGES = f"{ID}passage/"  # a source file also holds its passages

#: Called with (files done, files in all) while reading; for progress bars.
Progress = Callable[[int, int], None]


def read_project(
    data_dir: Path,
    ontology_dir: Path,
    *,
    relative: Callable[[Path], Path] = lambda p: p,
    progress: Progress | None = None,
) -> tuple[KnowledgeGraph, list[Finding]]:
    """Read the ontology and every data file.

    Returns the graph and the findings of the file rules (violations and warnings). Raises
    :class:`InputError` with every syntax error found when any file cannot be parsed.
    """
    for folder in (data_dir, ontology_dir):
        if not folder.is_dir():
            raise InputError(
                [
                    Finding(
                        Severity.VIOLATION,
                        "read:missing-folder",
                        f"folder {folder} not found: run twentyfive in the project folder "
                        "(the one with data/ and ontology/), or pass --project DIR",
                        path=folder,
                    )
                ]
            )
    kg = KnowledgeGraph()
    errors: list[Finding] = []
    findings: list[Finding] = []

    ontology_files = sorted(ontology_dir.glob(f"*{ONTOLOGY_SUFFIX}"))
    data_files = sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix == DATA_SUFFIX)
    stray = sorted(
        p
        for p in data_dir.rglob("*")
        if p.is_file() and p.suffix != DATA_SUFFIX and "roster" not in p.parts and not p.name.startswith(".")
    )
    for path in stray:
        findings.append(
            Finding(
                Severity.WARNING,
                "read:unknown-file",
                f"not read: data files end in {DATA_SUFFIX} (see docs/data-model.md)",
                path=relative(path),
            )
        )
    total = len(ontology_files) + len(data_files)
    done = 0
    for path in ontology_files:
        quads = _parse(path, ox.RdfFormat.TURTLE, relative(path), errors, graph=ONTOLOGY_IRI)
        if quads is not None:
            kg.add_quads(quads)
            kg.inputs.append(InputFile(relative(path), _sha256(path), "ontology"))
        done += 1
        if progress:
            progress(done, total)
    for path in data_files:
        quads = _parse(path, ox.RdfFormat.TRIG, relative(path), errors)
        if quads is not None:
            role = "source" if path.parent.name == "source" else "data"
            findings.extend(_check_entity_file(path, relative(path), quads, kg))
            kg.add_quads(quads)
            kg.inputs.append(InputFile(relative(path), _sha256(path), role))
        done += 1
        if progress:
            progress(done, total)
    errors += add_rosters(kg, data_dir, relative)
    if errors:
        raise InputError(errors)
    return kg, findings


def _parse(
    path: Path, fmt: ox.RdfFormat, shown: Path, errors: list[Finding], graph: str | None = None
) -> list[ox.Quad] | None:
    """Parse one file; on a syntax error, add a finding with its line and column."""
    try:
        text = path.read_bytes()
        quads = list(ox.parse(text, format=fmt, base_iri=None))
    except SyntaxError as error:
        message = str(error.args[0]) if error.args else str(error)
        message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", message)
        errors.append(
            Finding(
                Severity.VIOLATION,
                "read:syntax",
                f"{message}. Fix the syntax at this place (the file is "
                f"{'Turtle' if fmt == ox.RdfFormat.TURTLE else 'TriG'}).",
                path=shown,
                line=error.lineno,
                column=error.offset,
            )
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        errors.append(Finding(Severity.VIOLATION, "read:unreadable", str(error), path=shown))
        return None
    if graph is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)) for q in quads]
    return quads


def _check_entity_file(
    path: Path, shown: Path, quads: list[ox.Quad], kg: KnowledgeGraph
) -> list[Finding]:
    """The file rules: name matches entity, subjects are the entity or its parts, sourced."""
    findings: list[Finding] = []
    kind, slug = path.parent.name, path.stem
    entity = f"{ID}{kind}/{slug}"
    text = path.read_text(encoding="utf-8")

    def where(iri: str) -> int | None:
        return _line_of_subject(text, iri)

    if kind not in KINDS:
        findings.append(
            Finding(
                Severity.VIOLATION,
                "read:unknown-kind",
                f"data/{kind}/ is not a kind; move the file under one of: {', '.join(KINDS)}",
                path=shown,
            )
        )
    if not _SLUG.match(slug):
        findings.append(
            Finding(
                Severity.VIOLATION,
                "read:bad-slug",
                "a slug is lowercase ASCII letters and digits joined by single hyphens; "
                "rename the file (and the entity IRI)",
                path=shown,
                value=slug,
            )
        )
    subjects = {q.subject for q in quads}
    if ox.NamedNode(entity) not in subjects:
        findings.append(
            Finding(
                Severity.VIOLATION,
                "read:entity-missing",
                f"the file {shown} must describe <{entity}> (its name says so); "
                "rename the file or the entity",
                path=shown,
                line=1,
                focus=entity,
            )
        )
    else:
        kg.origins[entity] = Origin(shown, where(entity) or 1)
    reported: set[str] = set()
    for quad in quads:
        subject = quad.subject
        if isinstance(subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            key = f"blank:{subject}"
            if key not in reported:
                reported.add(key)
                findings.append(
                    Finding(
                        Severity.VIOLATION,
                        "read:blank-node",
                        "blank nodes are not allowed (they cannot be cited and change "
                        f"between builds); give the node an IRI such as <{entity}#part>",
                        path=shown,
                        focus=entity,
                    )
                )
            continue
        iri = subject.value
        base, _, part = iri.partition("#")
        if kind == "source" and base.startswith(PASSAGES):
            if base not in kg.origins:
                kg.origins[base] = Origin(shown, where(base) or 1)
        elif base != entity or (part and not _PART.match(part)):
            if iri not in reported:
                reported.add(iri)
                findings.append(
                    Finding(
                        Severity.VIOLATION,
                        "read:foreign-subject",
                        f"one entity per file: <{iri}> belongs in its own file "
                        f"(data/<kind>/<slug>{DATA_SUFFIX}); here only <{entity}> and "
                        f"its parts <{entity}#…> may be subjects (and, in a source file, "
                        "its passages)",
                        path=shown,
                        line=where(iri),
                        focus=iri,
                    )
                )
            continue
        if isinstance(quad.object, ox.Literal) and not well_formed(
            quad.object.value, quad.object.datatype.value
        ):
            findings.append(
                Finding(
                    Severity.VIOLATION,
                    "read:ill-typed-literal",
                    f"the value is not a valid {quad.object.datatype.value.split('#')[-1]} "
                    "(XML Schema lexical form); strict parsers such as Jena reject it. "
                    "Write e.g. dates as 1929-11-17, durations as P14D (no weeks)",
                    path=shown,
                    line=where(iri),
                    focus=iri,
                    predicate=quad.predicate.value,
                    value=str(quad.object),
                )
            )
        if part and iri not in kg.origins:
            kg.origins[iri] = Origin(shown, where(iri) or 1)
        if isinstance(quad.graph_name, ox.DefaultGraph) and kind != "source":
            key = f"default:{iri}"
            if key not in reported:
                reported.add(key)
                findings.append(
                    Finding(
                        Severity.VIOLATION,
                        "read:no-source",
                        "statements outside a GRAPH block have no source; put them in "
                        "GRAPH passage:<…> { … } naming the passage that supports them",
                        path=shown,
                        line=where(iri),
                        focus=iri,
                        predicate=quad.predicate.value,
                        value=str(quad.object),
                    )
                )
        elif kind == "source" and quad.graph_name != ox.NamedNode(entity):
            key = f"sourcegraph:{iri}"
            if key not in reported:
                reported.add(key)
                findings.append(
                    Finding(
                        Severity.VIOLATION,
                        "read:source-graph",
                        f"a source file keeps everything in GRAPH <{entity}> {{ … }}",
                        path=shown,
                        line=where(iri),
                        focus=iri,
                    )
                )
    return findings


def _line_of_subject(text: str, iri: str) -> int | None:
    """The first line on which ``iri`` is written (full or as a prefixed name)."""
    forms = [f"<{iri}>"]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(f"{prefix}:{iri[len(namespace):].replace('#', chr(92) + '#')}")
    best: int | None = None
    for form in forms:
        position = _find_token(text, form)
        if position is not None and (best is None or position < best):
            best = position
    return None if best is None else text.count("\n", 0, best) + 1


def _find_token(text: str, token: str) -> int | None:
    """Where ``token`` first stands on its own (not inside a longer name or a comment line)."""
    start = 0
    while (position := text.find(token, start)) != -1:
        start = position + 1
        before = text[position - 1] if position else "\n"
        after_index = position + len(token)
        after = text[after_index] if after_index < len(text) else "\n"
        if before.isalnum() or before in ":/-_" or after.isalnum() or after in "-_\\#":
            continue
        line_start = text.rfind("\n", 0, position) + 1
        if text[line_start:position].lstrip().startswith("#"):
            continue
        return position
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
