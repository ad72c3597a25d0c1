"""The dataset description: VoID and DCAT 3 (``void.*``), a schema.org Dataset (``dataset.jsonld``).

Written after the dumps, from their bytes: each ``dcat:Distribution`` carries the size and
SHA-256 of the file it describes, and the VoID statistics are counted from the graph the
dumps hold. To avoid describing itself, the description is **not** in the dumps: it lives
in its own files (``void.ttl .jsonld .nt .rdf``), and a store that loads it should put it in
the named graph ``https://w3id.org/twentyfive/graph/description``.

Every node has an IRI (no blank nodes, so the build stays byte-identical): the parts of the
description are fragments of the dataset IRI (``…/id/dataset/twentyfive#class-schema-person``).
Download URLs are ``https://w3id.org/twentyfive/dist/<file>`` for a build and
``https://w3id.org/twentyfive/releases/<VERSION>/<file>`` for a release.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from twentyfive import formats
from twentyfive.fingerprint import fingerprint
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import BASE, DATASET_IRI, ID, PREFIXES
from twentyfive.project import Project
from twentyfive.publish import jsonld
from twentyfive.publish.checksums import sha256_file
from twentyfive.publish.dumps import dump_name
from twentyfive.publish.editions import Edition, current_edition, release_iri
from twentyfive.publish.graphfiles import write_triples
from twentyfive.publish.statistics import (
    LINK_TARGETS,
    Statistics,
    count,
    vocabularies,
)

DESCRIPTION_STEM = "void"
SCHEMA_DATASET_FILE = "dataset.jsonld"
SPARQL_ENDPOINT = BASE + "sparql"
SHAPES_IRI = BASE + "shapes"
SERIES_IRI = DATASET_IRI + "#releases"
LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
SOVIET_UNION = ID + "place/soviet-union"
IANA = "https://www.iana.org/assignments/media-types/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language"
#: The W3C's IRIs for the formats themselves (https://www.w3.org/ns/formats/).
FORMAT_SPECS = {
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
    "trig": "http://www.w3.org/ns/formats/TriG",
}
TITLE = {"en": "Twenty-five-thousanders", "ru": "Двадцатипятитысячники"}
DESCRIPTION = {
    "en": "The Twenty-five-thousanders as Linked Data: the industrial workers the Communist "
    "Party sent to the kolkhozy in 1929–30, the decree, the party, the kolkhozy and Machine "
    "and Tractor Stations, the grain regions, the historians and the novel; every statement "
    "in the named graph of the source passage that supports it.",
    "ru": "Двадцатипятитысячники как связанные данные: промышленные рабочие, направленные "
    "партией в колхозы в 1929–1930 годах, постановление, партия, колхозы и машинно-тракторные "
    "станции, зерновые районы, историки и роман; каждое утверждение — в именованном графе "
    "подтверждающего его отрывка источника.",
}
KEYWORDS = {
    "en": (
        "Twenty-five-thousanders",
        "collectivisation",
        "kolkhoz",
        "Soviet Union",
        "prosopography",
        "Linked Data",
    ),
    "ru": ("двадцатипятитысячники", "коллективизация", "колхоз", "СССР"),
}
PUBLISHER_NAME = "The twentyfive project"


def _ns(prefix: str) -> str:
    return PREFIXES[prefix]


def _iri(prefixed: str) -> ox.NamedNode:
    prefix, local = prefixed.split(":", 1)
    return ox.NamedNode(_ns(prefix) + local)


A = _iri("rdf:type")
XSD = _ns("xsd")


class _Triples(list):
    """A list of triples with shorthands for adding them."""

    def add(self, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal | str) -> None:
        value = ox.NamedNode(obj) if isinstance(obj, str) else obj
        self.append(ox.Triple(ox.NamedNode(subject), _iri(predicate), value))

    def typed(self, subject: str, *classes: str) -> None:
        for name in classes:
            self.append(ox.Triple(ox.NamedNode(subject), A, _iri(name)))

    def text(self, subject: str, predicate: str, texts: dict[str, str]) -> None:
        for language, value in texts.items():
            self.add(subject, predicate, ox.Literal(value, language=language))

    def number(self, subject: str, predicate: str, value: int, datatype: str = "integer") -> None:
        self.add(subject, predicate, ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype)))


def fragment_slug(iri: str) -> str:
    """A readable fragment for a class or property: ``schema:Person`` -> ``schema-person``."""
    compact = jsonld.compact_iri(iri, PREFIXES)
    slug = re.sub(r"[^a-z0-9]+", "-", compact.lower()).strip("-")
    return slug + "-" + hashlib.sha256(iri.encode()).hexdigest()[:6] if compact == iri else slug


def describe(
    kg: KnowledgeGraph, files_dir: Path, edition: Edition, stats: Statistics | None = None
) -> list[ox.Triple]:
    """The VoID and DCAT description of ``kg`` as published in ``files_dir``."""
    stats = stats or count(kg)
    t = _Triples()
    d = edition.iri
    t.typed(d, "void:Dataset", "dcat:Dataset")
    t.text(d, "dcterms:title", TITLE)
    t.text(d, "dcterms:description", DESCRIPTION)
    t.add(d, "dcterms:license", LICENSE)
    t.add(d, "dcterms:publisher", DATASET_IRI + "#publisher")
    t.add(d, "dcat:landingPage", BASE)
    t.add(d, "foaf:homepage", BASE)
    t.add(d, "void:uriSpace", ox.Literal(ID))
    t.add(d, "void:sparqlEndpoint", SPARQL_ENDPOINT)
    t.add(d, "dcterms:conformsTo", SHAPES_IRI)
    for language in ("en", "ru"):
        t.add(
            d,
            "dcterms:language",
            f"{EU_LANGUAGE}/{'ENG' if language == 'en' else 'RUS'}",
        )
        for word in KEYWORDS[language]:
            t.add(d, "dcat:keyword", ox.Literal(word, language=language))
    for example in stats.examples:
        t.add(d, "void:exampleResource", example)
    for vocabulary in vocabularies(stats):
        t.add(d, "void:vocabulary", vocabulary)
    _statistics(t, d, stats)
    _linksets(t, d, stats)
    _coverage(t, d)
    _versions(t, d, edition)
    _distributions(t, d, files_dir, edition)
    _agent_and_standards(t, d)
    _catalog_and_service(t, d)
    return t


def _statistics(t: _Triples, d: str, stats: Statistics) -> None:
    for name, value in stats.counts.items():
        t.number(d, f"void:{name}", value)
    partitions = (("class", "entities", stats.classes), ("property", "triples", stats.properties))
    for kind, measure, counts in partitions:
        seen: set[str] = set()
        for term, number in sorted(counts.items()):
            slug = fragment_slug(term)
            if slug in seen:  # two terms that differ only in case (tft:Share, tft:share)
                slug += "-" + hashlib.sha256(term.encode()).hexdigest()[:6]
            seen.add(slug)
            part = f"{d}#{kind}-{slug}"
            t.add(d, f"void:{kind}Partition", part)
            t.typed(part, "void:Dataset")
            t.add(part, f"void:{kind}", term)
            t.number(part, f"void:{measure}", number)


def _linksets(t: _Triples, d: str, stats: Statistics) -> None:
    for target in LINK_TARGETS:
        links = stats.links.get(target.slug, 0)
        if not links:
            continue
        other = f"{d}#{target.slug}"
        t.typed(other, "void:Dataset")
        t.add(other, "dcterms:title", ox.Literal(target.title, language="en"))
        t.add(other, "foaf:homepage", target.homepage)
        t.add(other, "void:uriSpace", ox.Literal(target.uri_space))
        linkset = f"{d}#linkset-{target.slug}"
        t.typed(linkset, "void:Linkset")
        t.add(d, "void:subset", linkset)
        t.add(linkset, "void:subjectsTarget", d)
        t.add(linkset, "void:objectsTarget", other)
        t.add(linkset, "void:target", d)
        t.add(linkset, "void:target", other)
        t.add(linkset, "void:linkPredicate", target.predicate)
        t.number(linkset, "void:triples", links)


def _coverage(t: _Triples, d: str) -> None:
    period = d + "#period"
    t.add(d, "dcterms:temporal", period)
    t.typed(period, "dcterms:PeriodOfTime")
    t.add(period, "dcat:startDate", ox.Literal("1929", datatype=ox.NamedNode(XSD + "gYear")))
    t.add(period, "dcat:endDate", ox.Literal("1930", datatype=ox.NamedNode(XSD + "gYear")))
    t.add(d, "dcterms:spatial", SOVIET_UNION)
    t.typed(SOVIET_UNION, "dcterms:Location")


def _versions(t: _Triples, d: str, edition: Edition) -> None:
    t.add(d, "dcat:inSeries", SERIES_IRI)
    t.typed(SERIES_IRI, "dcat:DatasetSeries")
    t.text(
        SERIES_IRI,
        "dcterms:title",
        {"en": f"{TITLE['en']}: releases", "ru": f"{TITLE['ru']}: выпуски"},
    )
    t.add(
        SERIES_IRI,
        "dcterms:description",
        ox.Literal(
            "Every release of the dataset, each immutable, with its changes against the previous.",
            language="en",
        ),
    )
    t.add(SERIES_IRI, "dcterms:publisher", DATASET_IRI + "#publisher")
    if edition.version:
        t.add(d, "dcat:version", ox.Literal(edition.version))
    if edition.issued:
        t.add(d, "dcterms:issued", ox.Literal(edition.issued, datatype=ox.NamedNode(XSD + "date")))
    if edition.previous:
        t.add(d, "dcat:previousVersion", release_iri(edition.previous))


def _distributions(t: _Triples, d: str, files_dir: Path, edition: Edition) -> None:
    for fmt in formats.FORMATS:
        for compressed in (False, True):
            name = dump_name(fmt) + (".gz" if compressed else "")
            path = files_dir / name
            if not path.is_file():
                continue
            dist = f"{d}#dump-{fmt.name}{'-gz' if compressed else ''}"
            url = edition.download_base + name
            t.add(d, "dcat:distribution", dist)
            t.add(d, "void:dataDump", url)
            t.typed(dist, "dcat:Distribution")
            t.add(
                dist,
                "dcterms:title",
                ox.Literal(f"{fmt.label} dump{' (gzip)' if compressed else ''}", language="en"),
            )
            t.add(dist, "dcat:downloadURL", url)
            t.add(dist, "dcat:accessURL", url)
            t.add(dist, "dcat:mediaType", IANA + fmt.media_type)
            t.typed(IANA + fmt.media_type, "dcterms:MediaType")
            if compressed:
                t.add(dist, "dcat:compressFormat", IANA + "application/gzip")
                t.typed(IANA + "application/gzip", "dcterms:MediaType")
            t.add(dist, "dcterms:conformsTo", SHAPES_IRI)
            t.add(dist, "dcterms:conformsTo", FORMAT_SPECS[fmt.name])
            t.typed(FORMAT_SPECS[fmt.name], "dcterms:Standard")
            t.add(dist, "dcterms:license", LICENSE)
            t.number(dist, "dcat:byteSize", path.stat().st_size, "nonNegativeInteger")
            checksum = dist + "-sha256"
            t.add(dist, "spdx:checksum", checksum)
            t.typed(checksum, "spdx:Checksum")
            t.add(checksum, "spdx:algorithm", _ns("spdx") + "checksumAlgorithm_sha256")
            t.add(
                checksum,
                "spdx:checksumValue",
                ox.Literal(sha256_file(path), datatype=ox.NamedNode(XSD + "hexBinary")),
            )
    t.typed(_ns("spdx") + "checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm")


def _agent_and_standards(t: _Triples, d: str) -> None:
    publisher = DATASET_IRI + "#publisher"
    t.typed(publisher, "foaf:Agent", "foaf:Organization")
    t.add(publisher, "foaf:name", ox.Literal(PUBLISHER_NAME))
    t.add(publisher, "foaf:homepage", BASE)
    t.typed(LICENSE, "dcterms:LicenseDocument")
    t.add(
        LICENSE,
        "dcterms:title",
        ox.Literal("Creative Commons Attribution-ShareAlike 4.0", language="en"),
    )
    t.typed(SHAPES_IRI, "dcterms:Standard")
    t.add(SHAPES_IRI, "dcterms:title", ox.Literal("twentyfive SHACL shapes", language="en"))
    t.typed(BASE, "foaf:Document")
    for language in ("ENG", "RUS"):
        code = f"{EU_LANGUAGE}/{language}"
        t.typed(code, "dcterms:LinguisticSystem")
        t.add(code, "skos:inScheme", EU_LANGUAGE)


def _catalog_and_service(t: _Triples, d: str) -> None:
    catalog = DATASET_IRI + "#catalog"
    t.typed(catalog, "dcat:Catalog")
    t.text(
        catalog,
        "dcterms:title",
        {"en": f"{TITLE['en']}: catalogue", "ru": f"{TITLE['ru']}: каталог"},
    )
    t.text(catalog, "dcterms:description", DESCRIPTION)
    t.add(catalog, "dcterms:publisher", DATASET_IRI + "#publisher")
    t.add(catalog, "dcterms:license", LICENSE)
    t.add(catalog, "foaf:homepage", BASE)
    t.add(catalog, "dcat:dataset", d)
    service = DATASET_IRI + "#sparql"
    t.add(catalog, "dcat:service", service)
    t.typed(service, "dcat:DataService")
    t.add(service, "dcterms:title", ox.Literal("SPARQL 1.1 endpoint", language="en"))
    t.add(service, "dcat:endpointURL", SPARQL_ENDPOINT)
    t.add(service, "dcat:servesDataset", d)
    t.add(service, "dcterms:conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
    t.typed("https://www.w3.org/TR/sparql11-protocol/", "dcterms:Standard")
    t.add(service, "dcterms:license", LICENSE)


def schema_dataset(
    kg: KnowledgeGraph, files_dir: Path, edition: Edition, triples: list[ox.Triple]
) -> dict[str, object]:
    """A schema.org ``Dataset`` (JSON-LD, embedded ``@vocab``) for search engines and home page."""
    same_as = sorted(
        t.object.value
        for t in kg.store.quads_for_pattern(ox.NamedNode(SOVIET_UNION), _iri("owl:sameAs"), None)
        if isinstance(t.object, ox.NamedNode)
    )
    downloads = []
    sizes = {
        str(t.subject.value): t.object.value
        for t in triples
        if t.predicate == _iri("dcat:byteSize")
    }
    for fmt in formats.FORMATS:
        name = dump_name(fmt)
        if (files_dir / name).is_file():
            downloads.append(
                {
                    "@type": "DataDownload",
                    "encodingFormat": fmt.media_type,
                    "contentUrl": edition.download_base + name,
                    "contentSize": sizes.get(f"{edition.iri}#dump-{fmt.name}"),
                }
            )
    names = [
        q.object.value
        for q in kg.store.quads_for_pattern(ox.NamedNode(SOVIET_UNION), _iri("rdfs:label"), None)
        if isinstance(q.object, ox.Literal) and q.object.language == "en"
    ]
    place: dict[str, object] = {"@type": "Place", "@id": SOVIET_UNION}
    if names:
        place["name"] = sorted(names)[0]
    if same_as:
        place["sameAs"] = same_as
    document: dict[str, object] = {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Dataset",
        "@id": edition.iri,
        "name": TITLE["en"],
        "alternateName": TITLE["ru"],
        "description": DESCRIPTION["en"],
        "url": BASE,
        "license": LICENSE,
        "isAccessibleForFree": True,
        "inLanguage": ["en", "ru"],
        "keywords": list(KEYWORDS["en"]),
        "creator": {"@type": "Organization", "name": PUBLISHER_NAME, "url": BASE},
        "publisher": {"@type": "Organization", "name": PUBLISHER_NAME, "url": BASE},
        "temporalCoverage": "1929/1930",
        "spatialCoverage": place,
        "distribution": downloads,
    }
    if edition.version:
        document["version"] = edition.version
    if edition.issued:
        document["datePublished"] = edition.issued
    return document


def write_description(kg: KnowledgeGraph, out: Path, edition: Edition) -> list[Path]:
    """``void.*`` and ``dataset.jsonld`` in ``out``, describing the dumps already in it."""
    triples = describe(kg, out, edition)
    written = write_triples(triples, out, DESCRIPTION_STEM)
    path = out / SCHEMA_DATASET_FILE
    path.write_bytes(jsonld.dumps(schema_dataset(kg, out, edition, triples)))
    return [*written, path]


def description_writer(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    """The publish writer: the edition is read from the releases already in ``dist/``."""
    edition = current_edition(project.dist_dir, lambda: fingerprint(kg.store))
    return write_description(kg, out, edition)
