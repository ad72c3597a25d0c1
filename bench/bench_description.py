"""How long the description, the fingerprint and a release diff take on a synthetic graph.

    python bench/bench_description.py [PERSONS ...]     (default: 1000 10000 27519)

About 12 quads per person (types, labels in two languages, a birth year, a membership, a
source link), each in its own passage graph. Prints seconds per step; nothing is asserted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from twentyfive.changes import diff
from twentyfive.fingerprint import fingerprint
from twentyfive.graph import KnowledgeGraph
from twentyfive.publish.description import describe
from twentyfive.publish.dumps import write_dumps
from twentyfive.publish.editions import Edition
from twentyfive.publish.statistics import count

ID = "https://w3id.org/twentyfive/id/"
S, RDFS, RDF = (
    "http://schema.org/",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
)


def synthetic(persons: int) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    quads = []
    for i in range(persons):
        p = ox.NamedNode(f"{ID}person/p{i}")
        g = ox.NamedNode(f"{ID}passage/roster-p{i}")
        m = ox.NamedNode(f"{ID}person/p{i}#membership")
        org = ox.NamedNode(f"{ID}organization/o{i % 50}")
        for s, pr, o in (
            (p, RDF + "type", ox.NamedNode(S + "Person")),
            (p, RDFS + "label", ox.Literal(f"Person {i}", language="en")),
            (p, RDFS + "label", ox.Literal(f"Человек {i}", language="ru")),
            (
                p,
                S + "birthDate",
                ox.Literal(
                    str(1880 + i % 30),
                    datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"),
                ),
            ),
            (p, "http://www.w3.org/ns/org#memberOf", org),
            (m, RDF + "type", ox.NamedNode("http://www.w3.org/ns/org#Membership")),
            (m, "http://www.w3.org/ns/org#member", p),
            (m, "http://www.w3.org/ns/org#organization", org),
            (g, RDF + "type", ox.NamedNode("http://www.w3.org/ns/oa#SpecificResource")),
            (g, "http://www.w3.org/ns/oa#hasSource", ox.NamedNode(f"{ID}source/roster")),
            (p, S + "description", ox.Literal(f"A worker, number {i}.", language="en")),
            (
                p,
                "http://www.w3.org/2002/07/owl#sameAs" if i % 100 == 0 else S + "gender",
                ox.NamedNode(f"http://www.wikidata.org/entity/Q{i + 1}"),
            ),
        ):
            quads.append(ox.Quad(s, ox.NamedNode(pr), o, g))
    kg.add_quads(quads)
    return kg


def timed(label: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    print(f"  {label:<34} {time.perf_counter() - started:7.2f} s", flush=True)
    return result


def main(sizes: list[int]) -> None:
    for persons in sizes:
        kg = synthetic(persons)
        print(f"{persons} persons, {len(kg)} quads")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            timed("dumps (for the checksums)", write_dumps, kg, out)
            stats = timed("statistics (SPARQL counts)", count, kg)
            timed("description (VoID + DCAT)", describe, kg, out, Edition(), stats)
        timed("fingerprint (RDFC-1.0 + SHA-256)", fingerprint, kg.store)
        old = list(kg.store)
        new = old[: len(old) - len(old) // 100]
        timed("diff (1 % removed)", diff, old, new)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 27519])
