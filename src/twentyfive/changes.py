"""What changed between two builds: quads added and removed, grouped by entity.

``twentyfive diff A B`` and every release use this. A build is compared as the quads of its
N-Quads dump (named graphs kept, so a statement moved to another passage shows as one quad
removed and one added); a triple-format file compares as triples in the default graph.
The changes are written as RDF (``added.nq``, ``removed.nq``: exactly the quads, loadable
anywhere) and as a readable Markdown summary (``CHANGES.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from twentyfive.graph import quad_sort_key
from twentyfive.namespaces import ID

ADDED_FILE = "added.nq"
REMOVED_FILE = "removed.nq"
SUMMARY_FILE = "CHANGES.md"


@dataclass(frozen=True)
class Changes:
    added: list[ox.Quad]
    removed: list[ox.Quad]

    def by_entity(self) -> dict[str, tuple[list[ox.Quad], list[ox.Quad]]]:
        """entity IRI -> (added, removed), entities sorted by IRI."""
        grouped: dict[str, tuple[list[ox.Quad], list[ox.Quad]]] = {}
        for quad in self.added:
            grouped.setdefault(entity_of(quad), ([], []))[0].append(quad)
        for quad in self.removed:
            grouped.setdefault(entity_of(quad), ([], []))[1].append(quad)
        return dict(sorted(grouped.items()))

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


def diff(old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> Changes:
    before, after = set(old), set(new)
    return Changes(sorted(after - before, key=quad_sort_key), sorted(before - after, key=quad_sort_key))


def entity_of(quad: ox.Quad) -> str:
    """The entity a statement is about: its subject without the ``#part``."""
    subject = quad.subject
    return subject.value.split("#", 1)[0] if isinstance(subject, ox.NamedNode) else str(subject)


def entities(quads: Iterable[ox.Quad]) -> set[str]:
    """Every entity (IRI in our space, without ``#part``) that is the subject of a quad."""
    return {e for e in (entity_of(q) for q in quads) if e.startswith(ID)}


def nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)


def markdown(changes: Changes, old_name: str, new_name: str) -> str:
    """A summary people read: counts, then each entity with its lines added (+) and removed (-)."""
    grouped = changes.by_entity()
    lines = [
        f"# Changes from {old_name} to {new_name}",
        "",
        f"{len(changes.added)} quad(s) added and {len(changes.removed)} removed, "
        f"in {len(grouped)} entit"
        f"{'y' if len(grouped) == 1 else 'ies'}.",
    ]
    if not changes:
        lines += ["", "No change: the two graphs are the same."]
    for entity, (added, removed) in grouped.items():
        lines += [
            "",
            f"## <{entity}>",
            "",
            f"{len(added)} added, {len(removed)} removed",
            "",
            "```diff",
        ]
        lines += [f"- {quad} ." for quad in removed] + [f"+ {quad} ." for quad in added]
        lines.append("```")
    return "\n".join(lines) + "\n"


def write_changes(changes: Changes, folder: Path, old_name: str, new_name: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, quads in ((ADDED_FILE, changes.added), (REMOVED_FILE, changes.removed)):
        (folder / name).write_bytes(nquads(quads))
        written.append(folder / name)
    (folder / SUMMARY_FILE).write_text(markdown(changes, old_name, new_name), encoding="utf-8")
    return [*written, folder / SUMMARY_FILE]
