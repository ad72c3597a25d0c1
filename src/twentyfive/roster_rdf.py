"""What a roster row becomes in RDF: N-Quads text, with the metadata's mappings compiled once.

A row that passed every check (twentyfive.roster) becomes the statements of docs/roster.md:
the CSVW mapping of each column, then what CSVW cannot express (the English label, the
memberships as resources, the passage quoting the row). Everything that is the same for each
row of a file — properties, constant IRIs, the parts of templates that name no cell — is made
into text once, by :class:`RowWriter`; a row then costs a few string joins per statement.
The text is N-Quads, parsed in one go by pyoxigraph (fast at scale).
"""

from __future__ import annotations

from dataclasses import dataclass

from twentyfive.namespaces import ID, PREFIXES
from twentyfive.roster_format import Column, IriParts, TableSchema, Template, iri_part, nt_literal

PARTY = f"{ID}organization/communist-party-of-the-soviet-union"
KOMSOMOL = f"{ID}organization/komsomol"

_RDF, _RDFS, _SCHEMA, _ORG = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["schema"], PREFIXES["org"]
_OA, _DCT, _TFT = PREFIXES["oa"], PREFIXES["dcterms"], PREFIXES["tft"]

TYPE = f"<{_RDF}type>"
LABEL = f"<{_RDFS}label>"
MEMBERSHIP = f"<{_ORG}Membership>"
MEMBER = f"<{_ORG}member>"
ORGANIZATION = f"<{_ORG}organization>"
ROLE = f"<{_ORG}role>"
LOCATION = f"<{_SCHEMA}location>"
PARTY_STATUS = _TFT + "partyStatus"
_MEMBERSHIP_OF_STATUS = {
    _TFT + "PartyMember": (PARTY, None),
    _TFT + "PartyCandidate": (PARTY, None),
    _TFT + "KomsomolMember": (KOMSOMOL, None),
}
#: The cells any of which makes the placement membership (docs/roster.md).
_PLACEMENT_CELLS = ("placement", "role", "dispatch_date", "return_date")


def passage_iri(stem: str, person: str) -> str:
    """The passage that quotes the row of ``person`` in the roster file named ``stem``."""
    return f"{ID}passage/roster-{stem}-{person.rsplit('/', 1)[1]}"


@dataclass(frozen=True)
class _Statement:
    """What one column states for each row whose ``cell`` is not empty (None: every row): the
    subject (the row's person when ``about`` is None; a template, or what follows the person's
    IRI in it), the property (N-Triples text between spaces) and the object (the cell's literal
    when ``value`` is None, else the IRI of a template, constant when it names no cell)."""

    cell: int | None  # the position of the column among the physical ones
    about: Template | None
    about_rest: Template | None  # the part of ``about`` after the person's IRI
    predicate: str
    value: Template | None
    party_status: bool = False  # the person's tft:partyStatus, which makes a membership

    def needs(self) -> set[str]:
        """The cells (by name) the statement's templates name."""
        return {*(self.about.variables if self.about else ()), *(self.value.variables if self.value else ())}


class RowWriter:
    """The N-Quads of the rows of one roster file (its name ``stem``, its table ``schema``)."""

    def __init__(self, schema: TableSchema, stem: str):
        self.stem = stem
        self.source = f"{ID}source/roster-{stem}"
        self._in_source = f"<{self.source}> .\n"
        self._names = [c.name for c in schema.physical]
        self._statements = [s for s in (_statement(schema, c) for c in schema.columns) if s is not None]
        self._plans: dict[tuple[bool, ...], list[_Statement]] = {}

    def _plan(self, filled: tuple[bool, ...]) -> list[_Statement]:
        """The statements of a row whose non-empty cells are ``filled`` (the same for many rows)."""
        plan = self._plans.get(filled)
        if plan is None:
            named = {name for name, full in zip(self._names, filled) if full}
            plan = self._plans[filled] = [
                s for s in self._statements if (s.cell is None or filled[s.cell]) and s.needs() <= named
            ]
        return plan

    def row(self, person: str, values: dict[str, str], cells: list[str], parts: IriParts,
            literals: list[str | None], text: str) -> bytes:
        """The N-Quads of one row: the person's IRI, its cells (by name, and in order), the same
        as IRI parts, the literals of its non-empty cells, and the row's text as the file has it."""
        passage = passage_iri(self.stem, person)
        graph = f" <{passage}> .\n"
        subject = f"<{person}>"
        lines: list[str] = []
        status = None
        for statement in self._plan(tuple(map(bool, cells))):
            if statement.about is None:
                about = subject
            elif statement.about_rest is not None:
                about = f"<{person}{statement.about_rest.expand_parts(parts)}>"
            else:
                about = f"<{statement.about.expand_parts(parts)}>"
            if statement.value is None:
                obj = literals[statement.cell]  # type: ignore[index]
            else:
                iri = statement.value.expand_parts(parts)
                obj = f"<{iri}>"
                if statement.party_status and about == subject:
                    status = iri
            lines.append(about + statement.predicate + obj + graph)  # type: ignore[operator]
        # beyond CSVW (docs/roster.md): the English label, and the memberships as resources
        lines.append(f"{subject} {LABEL} {nt_literal(values['name_latin'], language='en')}{graph}")
        if status in _MEMBERSHIP_OF_STATUS:
            organization, role = _MEMBERSHIP_OF_STATUS[status]
            membership = f"<{person}#membership-{organization.rsplit('/', 1)[1]}>"
            lines += [f"{membership} {TYPE} {MEMBERSHIP}{graph}", f"{membership} {MEMBER} {subject}{graph}",
                      f"{membership} {ORGANIZATION} <{organization}>{graph}"]
            if role is not None:
                lines.append(f"{membership} {ROLE} {role}{graph}")
        if values.get("trade_union"):
            membership = f"<{person}#membership-{iri_part(values['trade_union'])}>"
            lines += [f"{membership} {TYPE} {MEMBERSHIP}{graph}", f"{membership} {MEMBER} {subject}{graph}"]
        if any(values.get(k) for k in _PLACEMENT_CELLS):
            membership, placement = f"<{person}#membership-placement>", f"<{person}#placement>"
            lines += [f"{membership} {TYPE} {MEMBERSHIP}{graph}", f"{membership} {MEMBER} {subject}{graph}",
                      f"{membership} {ORGANIZATION} {placement}{graph}"]
            if values.get("region"):
                lines.append(f"{placement} {LOCATION} <{ID}place/{iri_part(values['region'])}>{graph}")
        # the passage: the row quoted verbatim, citing the personal file (in the source's graph)
        in_source = self._in_source
        node, quote = f"<{passage}>", f"<{passage}#quote>"
        reference = values["archive"].upper() + f", f. {values['fond']}, op. {values['opis']}, d. {values['delo']}"
        lines += [
            f"{node} {TYPE} <{_OA}SpecificResource> {in_source}",
            f"{node} {TYPE} <{_TFT}Passage> {in_source}",
            f"{node} <{_OA}hasSource> <{self.source}> {in_source}",
            f"{node} <{_OA}hasSelector> {quote} {in_source}",
            f"{node} <{_DCT}bibliographicCitation> {nt_literal(reference)} {in_source}",
            f"{quote} {TYPE} <{_OA}TextQuoteSelector> {in_source}",
            f"{quote} <{_OA}exact> {nt_literal(text)} {in_source}",
        ]
        # encoded line by line: most lines are ASCII, which encodes as a copy, while the row as
        # one string would be as wide as its widest (Cyrillic) character throughout
        return b"".join([line.encode("utf-8") for line in lines])


def source_quads(source: str, schema: TableSchema, stem: str) -> str:
    """The roster file as a source (described only when it has rows)."""
    node = f"<{source}>"
    graph = f"{node} .\n"
    title = schema.title
    reliability = [f"{node} <{_TFT}reliability> {nt_literal(schema.reliability)} {graph}"] if schema.reliability else []
    return "".join(reliability + [
        f"{node} {TYPE} <{_TFT}Source> {graph}",
        f"{node} {TYPE} <{_SCHEMA}Dataset> {graph}",
        f"{node} {LABEL} {nt_literal(f'{title} ({stem}.csv)', language='en')} {graph}",
        f"{node} {LABEL} {nt_literal(f'Реестр личных дел двадцатипятитысячников ({stem}.csv)', language='ru')} {graph}",
    ])


def _statement(schema: TableSchema, column: Column) -> _Statement | None:
    """What ``column`` states for each row (None: nothing, it is suppressed or has no property)."""
    if column.suppress or column.property is None or (column.virtual and column.value is None):
        return None
    return _Statement(
        cell=None if column.virtual else schema.physical.index(column),
        about=column.about,
        about_rest=None if column.about is None else column.about.after(schema.about),
        predicate=f" <{column.property}> ",
        value=column.value,
        party_status=column.property == PARTY_STATUS,
    )
