"""Our vocabulary as a closed namespace, and the one prefix table.

``TFT`` lists exactly the terms that ``ontology/`` declares (a test holds the two
together); a misspelt term raises ``AttributeError`` instead of minting a new IRI.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

BASE = "https://w3id.org/twentyfive/"
ID = BASE + "id/"
DOC = BASE + "doc/"
ONTOLOGY_IRI = BASE + "ontology"
GRAPH_DERIVED = BASE + "graph/derived"
GRAPH_DESCRIPTION = BASE + "graph/description"
DATASET_IRI = ID + "dataset/twentyfive"

#: The kinds of thing, each with its own IRI space ``id/<kind>/`` and prefix ``<kind>:``.
KINDS: tuple[str, ...] = (
    "person",
    "organization",
    "event",
    "place",
    "work",
    "concept",
    "group",
    "source",
    "passage",
    "dataset",
    "observation",
)

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class TFT(DefinedNamespace):
    """The twentyfive ontology, ``https://w3id.org/twentyfive/ontology#``."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # --- terms: keep in the same order as ontology/twentyfive.ttl ---
    Cohort: URIRef  # cohort
    TwentyFiveThousander: URIRef  # twenty-five-thousander
    Kolkhoz: URIRef  # kolkhoz
    Sovkhoz: URIRef  # sovkhoz
    MachineTractorStation: URIRef  # machine and tractor station
    MobilisationCampaign: URIRef  # mobilisation campaign
    Decree: URIRef  # decree
    Plenum: URIRef  # plenum
    GrainRegion: URIRef  # grain region
    FictionalCharacter: URIRef  # fictional character
    Source: URIRef  # source
    Passage: URIRef  # passage
    Resistance: URIRef  # resistance
    targetSize: URIRef  # target size
    selectedCount: URIRef  # number selected
    volunteersAtLeast: URIRef  # volunteers, at least
    personalFileCount: URIRef  # number of personal files
    reliability: URIRef  # reliability grade
    approximate: URIRef  # approximate
    share: URIRef  # share (per cent)
    personCount: URIRef  # number of persons
    socialCategory: URIRef  # social category
    mandatedBy: URIRef  # mandated by
    mobilised: URIRef  # mobilised
    sentTo: URIRef  # sent to
    task: URIRef  # task
    roleHeld: URIRef  # role held
    resistedBy: URIRef  # resisted by
    resisted: URIRef  # resisted
    fictionalMemberOf: URIRef  # fictional member of

    # --- statistics: ontology/cube.ttl (docs/data-model.md, "Statistics") ---
    campaignFigure: URIRef  # campaign figure (dimension)
    sex: URIRef  # sex (dimension)
    partyAffiliation: URIRef  # party affiliation (dimension)
    workExperience: URIRef  # work experience (dimension)
    tradeUnion: URIRef  # trade union (dimension)
    # --- ontology/roster.ttl: the roster of personal files ---
    PartyStatus: URIRef  # party status
    partyStatus: URIRef  # party status
    workExperienceYears: URIRef  # years of work experience
    homeCity: URIRef  # home city
    homeFactory: URIRef  # factory
    lowerBound: URIRef  # lower bound (attribute)
    base: URIRef  # base population (attribute)
    derived: URIRef  # derived (attribute)
    PartitioningDimension: URIRef  # partitioning dimension


#: The one prefix table: dumps, documents, JSON-LD contexts and queries all use it.
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
    "spdx": "http://spdx.org/rdf/terms#",
    "wd": "http://www.wikidata.org/entity/",
    "dbpedia": "http://dbpedia.org/resource/",
    "unit": "http://qudt.org/vocab/unit/",
}

SHAPES = BASE + "shapes#"

PREFIXES: dict[str, str] = {
    "tft": ONTOLOGY_IRI + "#",
    "shape": SHAPES,
    **{kind: f"{ID}{kind}/" for kind in KINDS},
    **STANDARD_PREFIXES,
}


def entity_iri(kind: str, slug: str) -> URIRef:
    """The IRI of a thing: ``entity_iri("person", "mikhail-sholokhov")``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
    return URIRef(f"{ID}{kind}/{slug}")


def sparql_prologue(prefixes: dict[str, str] = PREFIXES) -> str:
    """``PREFIX`` lines for every prefix in the table, for queries written by hand."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
