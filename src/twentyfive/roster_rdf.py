"""What a roster row becomes in RDF: N-Quads text, laid out once for each shape of row.

A row that passed every check (twentyfive.roster) becomes the statements of docs/roster.md:
the CSVW mapping of each column, then what CSVW cannot express (the English label, the
memberships as resources, the passage quoting the row). Which statements a row makes depends
only on which of its cells are filled (and on its party status); so :class:`RowWriter` lays
out the N-Quads of each such *shape* of row once — every property, constant IRI and constant
part of a template as text, a field for everything else — and a row then costs one
``bytes % fields``. The text is N-Quads, parsed in one go by pyoxigraph (fast at scale).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from twentyfive.namespaces import ID, PREFIXES
from twentyfive.roster_format import Column, TableSchema, Template, iri_part, nt_literal

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
#: The columns that identify a personal file, in the order they make the person's slug (and
#: the citation of the file).
FILE_REFERENCE = ("archive", "fond", "opis", "delo")
#: The columns every roster needs beyond its mapping: the file reference and the English label.
NEEDED_COLUMNS = (*FILE_REFERENCE, "name_latin")
#: The cells any of which makes the placement membership (docs/roster.md).
_PLACEMENT_CELLS = ("placement", "role", "dispatch_date", "return_date")
#: The cells of the memberships beyond CSVW that are parts of IRIs.
_PART_CELLS = ("trade_union", "region")


def passage_iri(stem: str, person: str) -> str:
    """The passage that quotes the row of ``person`` in the roster file named ``stem``."""
    return f"{ID}passage/roster-{stem}-{person.rsplit('/', 1)[1]}"


#: :func:`iri_part` of the cells met most often (codes, numbers): one lookup each
kept_iri_part = lru_cache(maxsize=4096)(iri_part)


@lru_cache(maxsize=4096)
def _encoded_iri_part(value: str) -> bytes:
    return iri_part(value).encode("utf-8")


@dataclass(frozen=True)
class _Statement:
    """What one column states for each row whose ``cell`` is not empty (None: every row): the
    subject (the row's person when ``about`` is None, else a template), the property and the
    object (the cell's literal when ``value`` is None, else the IRI a template makes)."""

    cell: int | None  # the position of the column among the physical ones
    about: Template | None
    property: str
    value: Template | None

    def needs(self) -> set[str]:
        """The cells (by name) the statement's templates name."""
        return {*(self.about.variables if self.about else ()), *(self.value.variables if self.value else ())}


class RowWriter:
    """The N-Quads of the rows of one roster file (its name ``stem``, its table ``schema``)."""

    def __init__(self, schema: TableSchema, stem: str):
        self.schema, self.stem = schema, stem
        self.source = f"{ID}source/roster-{stem}"
        self._names = [c.name for c in schema.physical]
        self._statements = [s for s in (_statement(self._names, c) for c in schema.columns) if s is not None]
        self._plans: dict[tuple[bool, ...], tuple[list[_Statement], list[_Statement]]] = {}
        self._layouts: dict[tuple[tuple[bool, ...], str | None], bytes] = {}
        # the cells that templates name (and those of the memberships), made IRI parts once a row
        templates = [schema.about, *(t for s in self._statements for t in (s.about, s.value) if t is not None)]
        cells = {v for t in templates for v in t.variables} | set(_PART_CELLS)
        self._variables = tuple(name for name in self._names if name in cells)
        self._variable_cells = picker([self._names.index(v) for v in self._variables])
        self._part_fields = tuple(f"part:{name}".encode("utf-8") for name in self._variables)
        self._literal_fields = tuple(f"literal:{position}".encode("utf-8") for position in range(len(self._names)))
        self._about_cells = picker([self._names.index(v) for v in schema.about.variables if v in self._names])
        self._about_complete = set(schema.about.variables) <= set(self._names)
        self._label = self._names.index("name_latin")
        self._reference = picker([self._names.index(name) for name in FILE_REFERENCE])

    def iri_parts(self, cells: list[str]) -> dict[str, str]:
        """The cells that templates name, as IRI parts (by name)."""
        return dict(zip(self._variables, map(kept_iri_part, self._variable_cells(cells))))

    def person(self, cells: list[str], parts: dict[str, str]) -> str | None:
        """The IRI of the row's person (the table's aboutUrl); None when a cell it names is empty."""
        if not self._about_complete or not all(self._about_cells(cells)):
            return None
        return self.schema.about.fill(parts)

    def row(self, person: str, cells: list[str], parts: dict[str, str], literals: list[bytes | None],
            text: str) -> bytes:
        """The N-Quads of one row: the person's IRI, its cells, those that templates name as IRI
        parts, the literals (N-Triples, UTF-8) of its non-empty cells, and its text as the file
        has it."""
        filled = tuple(map(bool, cells))
        statements, statuses = self._plan(filled)
        status = None
        for statement in statuses:  # the last one counts, as a statement each would say
            status = statement.value.fill(parts)  # type: ignore[union-attr]
        layout = self._layouts.get((filled, status))
        if layout is None:
            layout = self._layouts[(filled, status)] = self._layout(filled, statements, status)
        archive, fond, opis, delo = self._reference(cells)
        fields = {
            b"person": person.encode("utf-8"),
            b"passage": passage_iri(self.stem, person).encode("utf-8"),
            b"label": nt_literal(cells[self._label], language="en").encode("utf-8"),
            b"reference": nt_literal(f"{archive.upper()}, f. {fond}, op. {opis}, d. {delo}").encode("utf-8"),
            b"exact": nt_literal(text).encode("utf-8"),
        }
        fields.update(zip(self._literal_fields, literals))
        fields.update(zip(self._part_fields, map(_encoded_iri_part, self._variable_cells(cells))))
        return layout % fields

    def _plan(self, filled: tuple[bool, ...]) -> tuple[list[_Statement], list[_Statement]]:
        """The statements of a row whose non-empty cells are ``filled``, and those among them
        that give the person's party status."""
        plan = self._plans.get(filled)
        if plan is None:
            named = {name for name, full in zip(self._names, filled) if full}
            statements = [s for s in self._statements if (s.cell is None or filled[s.cell]) and s.needs() <= named]
            statuses = [s for s in statements if s.property == PARTY_STATUS and s.cell is not None
                        and s.value is not None and (s.about is None or s.about.text == self.schema.about.text)]
            plan = self._plans[filled] = (statements, statuses)
        return plan

    def _layout(self, filled: tuple[bool, ...], statements: list[_Statement], status: str | None) -> bytes:
        """The N-Quads of every row of this shape and party status, as a ``bytes % fields``
        pattern (the fields: see :meth:`row`; every other ``%`` doubled)."""
        person, graph = "<%(person)s>", " <%(passage)s> .\n"
        lines = []
        for statement in statements:
            subject = person if statement.about is None else f"<{self._pattern(statement.about)}>"
            obj = f"%(literal:{statement.cell})s" if statement.value is None else f"<{self._pattern(statement.value)}>"
            lines.append(f"{subject} {_text(f'<{statement.property}>')} {obj}{graph}")
        filled_names = {name for name, full in zip(self._names, filled) if full}
        # beyond CSVW (docs/roster.md): the English label, and the memberships as resources
        lines.append(f"{person} {_text(LABEL)} %(label)s{graph}")
        if status in _MEMBERSHIP_OF_STATUS:
            organization, role = _MEMBERSHIP_OF_STATUS[status]
            membership = f"<%(person)s#membership-{_text(organization.rsplit('/', 1)[1])}>"
            lines += [f"{membership} {_text(TYPE)} {_text(MEMBERSHIP)}{graph}",
                      f"{membership} {_text(MEMBER)} {person}{graph}",
                      f"{membership} {_text(ORGANIZATION)} {_text(f'<{organization}>')}{graph}"]
            if role is not None:
                lines.append(f"{membership} {_text(ROLE)} {_text(role)}{graph}")
        if "trade_union" in filled_names:
            membership = "<%(person)s#membership-%(part:trade_union)s>"
            lines += [f"{membership} {_text(TYPE)} {_text(MEMBERSHIP)}{graph}",
                      f"{membership} {_text(MEMBER)} {person}{graph}"]
        if filled_names & set(_PLACEMENT_CELLS):
            membership, placement = "<%(person)s#membership-placement>", "<%(person)s#placement>"
            lines += [f"{membership} {_text(TYPE)} {_text(MEMBERSHIP)}{graph}",
                      f"{membership} {_text(MEMBER)} {person}{graph}",
                      f"{membership} {_text(ORGANIZATION)} {placement}{graph}"]
            if "region" in filled_names:
                lines.append(f"{placement} {_text(LOCATION)} <{_text(ID)}place/%(part:region)s>{graph}")
        # the passage: the row quoted verbatim, citing the personal file (in the source's graph)
        in_source = f"<{_text(self.source)}> .\n"
        node, quote = "<%(passage)s>", "<%(passage)s#quote>"
        lines += [
            f"{node} {_text(TYPE)} {_text(f'<{_OA}SpecificResource>')} {in_source}",
            f"{node} {_text(TYPE)} {_text(f'<{_TFT}Passage>')} {in_source}",
            f"{node} {_text(f'<{_OA}hasSource>')} <{_text(self.source)}> {in_source}",
            f"{node} {_text(f'<{_OA}hasSelector>')} {quote} {in_source}",
            f"{node} {_text(f'<{_DCT}bibliographicCitation>')} %(reference)s {in_source}",
            f"{quote} {_text(TYPE)} {_text(f'<{_OA}TextQuoteSelector>')} {in_source}",
            f"{quote} {_text(f'<{_OA}exact>')} %(exact)s {in_source}",
        ]
        return "".join(lines).encode("utf-8")

    def _pattern(self, template: Template) -> str:
        """A template as part of a layout: the person's IRI where the template starts with the
        table's aboutUrl, a field for each other cell it names."""
        rest = template.after(self.schema.about)
        if rest is not None:
            return "%(person)s" + rest.pattern("%(part:{})s", _text)
        return template.pattern("%(part:{})s", _text)


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


def picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at ``positions`` of a row, as a tuple (one C call when there are several)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda cells: tuple(cells[p] for p in positions)


def _text(constant: str) -> str:
    """Constant text in a layout (a ``%`` of a percent-encoded IRI must stay one)."""
    return constant.replace("%", "%%")


def _statement(names: list[str], column: Column) -> _Statement | None:
    """What ``column`` states for each row (None: nothing, it is suppressed or has no property)."""
    if column.suppress or column.property is None or (column.virtual and column.value is None):
        return None
    return _Statement(None if column.virtual else names.index(column.name), column.about, column.property, column.value)
