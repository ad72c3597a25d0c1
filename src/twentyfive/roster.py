"""The roster of personal files: ``data/roster/*.csv`` into people, memberships and passages.

Each row is one personal file, and becomes (docs/roster.md):

- the person ``id/person/<archive>-<fond>-<opis>-<delo>`` (a ``tft:TwentyFiveThousander`` and
  ``schema:Person``), with the statements of the CSVW mapping of its columns;
- its memberships as ``org:Membership`` resources ``<person>#membership-<organization>``
  (party or Komsomol, trade union, and the kolkhoz or MTS it was sent to);
- a passage ``id/passage/roster-<file>-<person slug>``: every statement of the row sits in
  the named graph of that passage, which quotes the row verbatim and cites the personal file.
  The roster file itself is the source ``id/source/roster-<file>``.

Every cell is checked against its column; all faults of every file are collected and raised
together as one :class:`InputError`, each with file, line, column, value and what is expected.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from twentyfive import roster_cache
from twentyfive.graph import InputFile, KnowledgeGraph, Origin
from twentyfive.namespaces import ID, PREFIXES
from twentyfive.problems import Finding, Severity
from twentyfive.roster_format import (
    CellError,
    Column,
    TableSchema,
    iri_part,
    load_schema,
    mapping_problem,
    metadata_for,
    nt_literal,
)

ROSTER_FOLDER = "roster"
PARTY = f"{ID}organization/communist-party-of-the-soviet-union"
KOMSOMOL = f"{ID}organization/komsomol"
#: The columns that identify a personal file, in the order they make the person's slug.
FILE_REFERENCE = ("archive", "fond", "opis", "delo")

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


@dataclass
class RosterResult:
    """What the roster files add to the graph."""

    lines: list[str] = field(default_factory=list)  # N-Quads of the files converted now
    chunks: list[bytes] = field(default_factory=list)  # N-Quads of unchanged files, from the cache
    origins: dict[str, Origin] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    people: int = 0


def add_rosters(kg: KnowledgeGraph, data_dir: Path, relative=lambda p: p) -> list[Finding]:
    """The read stage's hook: add every roster's quads to ``kg``; return the faults found."""
    result = read_rosters(data_dir, relative)
    if not result.errors:
        try:
            data = b"".join([*result.chunks, "".join(result.lines).encode("utf-8")])
            # every IRI is a checked template with safe cells (roster_format.mapping_problem):
            # no need to check a million of them again (a third of the time of the load)
            kg.store.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        except SyntaxError as error:  # an IRI template in the metadata that makes no valid IRI
            return [_error(Path(ROSTER_FOLDER), None, "roster:bad-mapping", (
                f"the roster's metadata maps a row to invalid RDF ({error}); check the aboutUrl, "
                "propertyUrl and valueUrl templates"))]
        kg.origins.update(result.origins)
        # the passage quoting a row comes from the same line of the same file
        kg.origins.update({passage_iri(Path(o.path).stem, person): o for person, o in result.origins.items()})
    kg.inputs.extend(result.inputs)
    return result.errors


def passage_iri(stem: str, person: str) -> str:
    """The passage that quotes the row of ``person`` in the roster file named ``stem``."""
    return f"{ID}passage/roster-{stem}-{person.rsplit('/', 1)[1]}"


def roster_inputs(data_dir: Path) -> list[Path]:
    """Every roster file and the metadata describing it (what a rebuild depends on)."""
    files = roster_files(data_dir)
    metadata = {m for m in (metadata_for(p) for p in files) if m is not None}
    return sorted({*files, *metadata})


def read_from_roster(kg: KnowledgeGraph, iri: str) -> bool:
    """True for an entity a roster row made (a person, or the passage quoting its row): its
    origin is a roster file (``add_rosters`` records both)."""
    origin = kg.origin(iri)
    return origin is not None and str(origin.path).endswith(".csv")


def roster_files(data_dir: Path) -> list[Path]:
    folder = data_dir / ROSTER_FOLDER
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def read_rosters(data_dir: Path, relative=lambda p: p) -> RosterResult:
    """Read every ``data/roster/*.csv``; faults are collected in ``result.errors``."""
    result = RosterResult()
    schemas: dict[Path, TableSchema] = {}
    seen: dict[str, tuple[Path, int]] = {}
    for path in roster_files(data_dir):
        shown = relative(path)
        metadata = metadata_for(path)
        if metadata is None:
            result.errors.append(_error(shown, None, "roster:no-metadata", (
                f"no CSVW metadata for this roster file: add {path.name}-metadata.json "
                "next to it (copy data/roster/roster.csv-metadata.json and change its url)")))
            continue
        if metadata not in schemas:
            try:
                schemas[metadata] = load_schema(metadata)
            except ValueError as error:
                result.errors.append(_error(relative(metadata), None, "roster:bad-metadata", str(error)))
                continue
            if (problem := mapping_problem(schemas[metadata])) is not None:
                del schemas[metadata]  # each file it describes says so
                result.errors.append(_error(relative(metadata), None, "roster:bad-mapping", (
                    f"{problem}; check the aboutUrl, propertyUrl and valueUrl templates")))
                continue
            result.inputs.append(InputFile(relative(metadata), _sha256(metadata), "roster"))
        result.inputs.append(InputFile(shown, _sha256(path), "roster"))
        key = roster_cache.cache_key(path, metadata)
        cached = roster_cache.load(data_dir, path, key)
        if cached is not None:
            _use_cached(cached, shown, seen, result)
            continue
        before, errors_before = len(result.lines), len(result.errors)
        origins_before = set(result.origins)
        _read_file(path, shown, schemas[metadata], seen, result)
        if len(result.errors) == errors_before:
            converted = roster_cache.Converted(
                "".join(result.lines[before:]).encode("utf-8"),
                {iri: o.line for iri, o in result.origins.items() if iri not in origins_before},
            )
            roster_cache.store(data_dir, path, key, converted)
    return result


def _use_cached(cached: roster_cache.Converted, shown: Path, seen: dict[str, tuple[Path, int]],
                result: RosterResult) -> None:
    """An unchanged file: its converted quads as they were, after the cross-file duplicate check."""
    for person, line in cached.lines.items():
        if person in seen:
            first_path, first_line = seen[person]
            result.errors.append(_error(shown, line, "roster:duplicate-file", (
                f"the personal file of <{person}> is also on {first_path}:{first_line}; "
                "each personal file is one row"), focus=person))
        else:
            seen[person] = (shown, line)
        result.origins[person] = Origin(shown, line)
    result.people += len(cached.lines)
    result.chunks.append(cached.nquads)


class _RawLines:
    """The lines a csv reader consumes, kept so each row can be quoted verbatim."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self.taken: list[str] = []

    def __iter__(self) -> _RawLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line

    def row_text(self) -> str:
        text = "".join(self.taken).rstrip("\r\n")
        self.taken.clear()
        return text


def _read_file(path: Path, shown: Path, schema: TableSchema, seen: dict[str, tuple[Path, int]], result: RosterResult) -> None:
    stem = path.stem
    source = f"{ID}source/roster-{stem}"
    try:
        handle = path.open(encoding="utf-8", newline="")
        raw = _RawLines(iter(handle))
        reader = csv.reader(raw, strict=True)
        header = next(reader, None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        result.errors.append(_error(shown, 1, "roster:unreadable", f"cannot read the file as UTF-8 CSV: {error}"))
        return
    raw.row_text()
    expected = schema.header()
    if header != expected:
        result.errors.append(_error(shown, 1, "roster:header", (
            f"the header must be the column titles of {schema.metadata.name}, in order: "
            f"{','.join(expected)}"), value=",".join(header or [])))
        handle.close()
        return
    first_line = len(result.lines)
    columns = schema.physical
    row_number = 0
    with handle:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                row_number += 1
                raw.row_text()
                result.errors.append(_error(shown, line, "roster:malformed-line", (
                    f"row {row_number}: not a well-formed CSV line ({error}); quote cells that "
                    "contain commas, quotes or line breaks, and double the quotes inside them")))
                continue
            text = raw.row_text()
            row_number += 1
            if not cells or cells == [""]:
                continue  # blank lines are allowed between rows
            if len(cells) != len(columns):
                result.errors.append(_error(shown, line, "roster:malformed-line", (
                    f"row {row_number}: {len(cells)} cells, but the header has {len(columns)}; "
                    "quote cells that contain commas"), value=text))
                continue
            _read_row(schema, dict(zip((c.name for c in columns), cells, strict=True)), text,
                      shown, line, row_number, stem, source, seen, result)
    if len(result.lines) > first_line:  # a file with rows is a source; a bare header is not
        result.lines += _source_quads(source, schema, stem)


def _read_row(schema: TableSchema, values: dict[str, str], text: str, shown: Path, line: int,
              row_number: int, stem: str, source: str, seen: dict[str, tuple[Path, int]],
              result: RosterResult) -> None:
    faults = []
    faulty: set[str] = set()
    literals: dict[str, str] = {}
    for column in schema.physical:
        value = values[column.name]
        if value == "":
            if column.required:
                faulty.add(column.name)
                faults.append(_cell_error(shown, line, row_number, column, value, (
                    "is empty but required" + (" (part of the file reference)" if column.name in FILE_REFERENCE else ""))))
            continue
        try:
            literals[column.name] = column.literal(value)
        except CellError as error:
            faulty.add(column.name)
            faults.append(_cell_error(shown, line, row_number, column, value, f"is not valid: {error}"))
    dispatch, back = values.get("dispatch_date", ""), values.get("return_date", "")
    if dispatch and back and "dispatch_date" in literals and "return_date" in literals and back < dispatch[: len(back)]:
        column = next(c for c in schema.physical if c.name == "return_date")
        faults.append(_cell_error(shown, line, row_number, column, back, f"is before the date of dispatch {dispatch}"))
    person = None if faulty & set(FILE_REFERENCE) else schema.about.expand(values)
    if person is not None:
        if person in seen:
            first_path, first_line = seen[person]
            faults.append(_error(shown, line, "roster:duplicate-file", (
                f"row {row_number}: the file reference {', '.join(values[k] for k in FILE_REFERENCE)} "
                f"is also on {first_path}:{first_line}; each personal file is one row"),
                value=",".join(values[k] for k in FILE_REFERENCE), focus=person))
        else:
            seen[person] = (shown, line)
    if faults:
        result.errors.extend(faults)
        return
    assert person is not None
    result.lines += _row_quads(schema, values, literals, person, text, stem, source)
    result.origins[person] = Origin(shown, line)
    result.people += 1


def _row_quads(schema: TableSchema, values: dict[str, str], literals: dict[str, str],
               person: str, text: str, stem: str, source: str) -> list[str]:
    """The row's statements as N-Quads lines (parsed in one go by pyoxigraph: fast at scale)."""
    passage = passage_iri(stem, person)
    graph = f"<{passage}> .\n"
    subject = f"<{person}>"
    lines: list[str] = []
    status = None
    for column in schema.columns:
        if column.suppress or column.property is None:
            continue
        if column.virtual:
            about = column.about.expand(values) if column.about else person
            value_iri = column.value.expand(values) if column.value is not None else None
            if about is not None and value_iri is not None:
                lines.append(f"<{about}> <{column.property}> <{value_iri}> {graph}")
            continue
        if column.name not in literals:
            continue
        about = column.about.expand(values) if column.about else person
        if about is None:
            continue
        if column.value is not None:
            obj = column.value.expand(values)
            if column.property == PARTY_STATUS and about == person:
                status = obj
            lines.append(f"<{about}> <{column.property}> <{obj}> {graph}")
        else:
            lines.append(f"<{about}> <{column.property}> {literals[column.name]} {graph}")
    # beyond CSVW (docs/roster.md): the English label, and the memberships as resources
    lines.append(f"{subject} {LABEL} {nt_literal(values['name_latin'], language='en')} {graph}")
    if status in _MEMBERSHIP_OF_STATUS:
        organization, role = _MEMBERSHIP_OF_STATUS[status]
        membership = f"<{person}#membership-{organization.rsplit('/', 1)[1]}>"
        lines += [f"{membership} {TYPE} {MEMBERSHIP} {graph}", f"{membership} {MEMBER} {subject} {graph}",
                  f"{membership} {ORGANIZATION} <{organization}> {graph}"]
        if role is not None:
            lines.append(f"{membership} {ROLE} {role} {graph}")
    if values.get("trade_union"):
        membership = f"<{person}#membership-{iri_part(values['trade_union'])}>"
        lines += [f"{membership} {TYPE} {MEMBERSHIP} {graph}", f"{membership} {MEMBER} {subject} {graph}"]
    if any(values.get(k) for k in ("placement", "role", "dispatch_date", "return_date")):
        membership, placement = f"<{person}#membership-placement>", f"<{person}#placement>"
        lines += [f"{membership} {TYPE} {MEMBERSHIP} {graph}", f"{membership} {MEMBER} {subject} {graph}",
                  f"{membership} {ORGANIZATION} {placement} {graph}"]
        if values.get("region"):
            lines.append(f"{placement} {LOCATION} <{ID}place/{iri_part(values['region'])}> {graph}")
    # the passage: the row quoted verbatim, citing the personal file (in the source's graph)
    in_source = f"<{source}> .\n"
    node, quote = f"<{passage}>", f"<{passage}#quote>"
    reference = values["archive"].upper() + f", f. {values['fond']}, op. {values['opis']}, d. {values['delo']}"
    lines += [
        f"{node} {TYPE} <{_OA}SpecificResource> {in_source}",
        f"{node} {TYPE} <{_TFT}Passage> {in_source}",
        f"{node} <{_OA}hasSource> <{source}> {in_source}",
        f"{node} <{_OA}hasSelector> {quote} {in_source}",
        f"{node} <{_DCT}bibliographicCitation> {nt_literal(reference)} {in_source}",
        f"{quote} {TYPE} <{_OA}TextQuoteSelector> {in_source}",
        f"{quote} <{_OA}exact> {nt_literal(text)} {in_source}",
    ]
    return lines


def _source_quads(source: str, schema: TableSchema, stem: str) -> list[str]:
    node = f"<{source}>"
    graph = f"{node} .\n"
    title = schema.title
    reliability = [f"{node} <{_TFT}reliability> {nt_literal(schema.reliability)} {graph}"] if schema.reliability else []
    return reliability + [
        f"{node} {TYPE} <{_TFT}Source> {graph}",
        f"{node} {TYPE} <{_SCHEMA}Dataset> {graph}",
        f"{node} {LABEL} {nt_literal(f'{title} ({stem}.csv)', language='en')} {graph}",
        f"{node} {LABEL} {nt_literal(f'Реестр личных дел двадцатипятитысячников ({stem}.csv)', language='ru')} {graph}",
    ]


def _cell_error(shown: Path, line: int, row_number: int, column: Column, value: str, problem: str) -> Finding:
    return Finding(
        Severity.VIOLATION,
        "roster:cell",
        f"row {row_number}, column '{column.title}': {value!r} {problem}"
        if value else f"row {row_number}, column '{column.title}' {problem}",
        path=shown,
        line=line,
        column=column.index,
        value=value,
    )


def _error(shown: Path, line: int | None, rule: str, message: str, value: str | None = None,
           focus: str | None = None) -> Finding:
    return Finding(Severity.VIOLATION, rule, message, path=shown, line=line, value=value, focus=focus)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
