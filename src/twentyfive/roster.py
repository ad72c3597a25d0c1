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
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from twentyfive import roster_cache
from twentyfive.graph import InputFile, KnowledgeGraph, Origin
from twentyfive.problems import Finding, Severity
from twentyfive.roster_format import (
    CellError,
    Column,
    TableSchema,
    CellReader,
    load_schema,
    mapping_problem,
    metadata_for,
)
from twentyfive.roster_rdf import FILE_REFERENCE, NEEDED_COLUMNS, RowWriter, passage_iri, picker, source_quads

ROSTER_FOLDER = "roster"
_FILE_REFERENCE = frozenset(FILE_REFERENCE)
#: Rows converted before their N-Quads go to the store and the cache: memory stays in
#: proportion to this, not to the roster.
ROWS_PER_BATCH = 2000

#: Where the N-Quads go, a piece at a time: text of whole lines, or a file of them (a cached file).
Sink = Callable[[bytes | Path], None]


@dataclass
class RosterResult:
    """What the roster files add to the graph (their N-Quads went to the sink)."""

    origins: dict[str, Origin] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    people: int = 0
    converted: list[Path] = field(default_factory=list)  # the files converted now, not cached


class _StoreLoader:
    """A sink into a store that loads on a thread of its own, in the order the pieces come:
    pyoxigraph lets go of the interpreter while it parses and inserts, so the next rows are
    converted meanwhile. Remembers the first piece the store refused (and loads no more)."""

    def __init__(self, store: ox.Store, waiting: int = 2):
        self.store = store
        self.error: SyntaxError | None = None
        self._failure: BaseException | None = None
        self._pieces: queue.Queue[bytes | Path | None] = queue.Queue(maxsize=waiting)  # memory stays small
        self._thread = threading.Thread(target=self._load, name="roster-loader", daemon=True)
        self._thread.start()

    def __call__(self, nquads: bytes | Path) -> None:
        self._pieces.put(nquads)

    def _load(self) -> None:
        while (nquads := self._pieces.get()) is not None:
            if self.error is not None or self._failure is not None:
                continue
            try:
                # every IRI is a checked template with safe cells (roster_format.mapping_problem):
                # no need to check a million of them again (a third of the time of the load)
                if isinstance(nquads, Path):  # read by the store itself, a block at a time
                    self.store.load(path=nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
                else:
                    self.store.load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
            except SyntaxError as error:  # an IRI template in the metadata that makes no valid IRI
                self.error = error
            except BaseException as failure:  # raised again by finish(), in the reading thread
                self._failure = failure

    def finish(self) -> None:
        """Wait until every piece is in the store."""
        self._pieces.put(None)
        self._thread.join()
        if self._failure is not None:
            raise self._failure


def add_rosters(kg: KnowledgeGraph, data_dir: Path, relative=lambda p: p) -> list[Finding]:
    """The read stage's hook: add every roster's quads to ``kg``; return the faults found.

    The quads are loaded while the rows are read, a batch at a time; on a fault the graph is
    incomplete, and the read stage refuses it as a whole."""
    loader = _StoreLoader(kg.store)
    try:
        result = read_rosters(data_dir, relative, loader)
    finally:
        loader.finish()
    if not result.errors:
        if loader.error is not None:
            return [_error(Path(ROSTER_FOLDER), None, "roster:bad-mapping", (
                f"the roster's metadata maps a row to invalid RDF ({loader.error}); check the aboutUrl, "
                "propertyUrl and valueUrl templates"))]
        kg.origins.update(result.origins)
        # the passage quoting a row comes from the same line of the same file
        stems = {path: Path(path).stem for path in {o.path for o in result.origins.values()}}
        kg.origins.update({passage_iri(stems[o.path], person): o for person, o in result.origins.items()})
    kg.inputs.extend(result.inputs)
    return result.errors


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


def read_rosters(data_dir: Path, relative=lambda p: p, sink: Sink = lambda nquads: None) -> RosterResult:
    """Read every ``data/roster/*.csv``, its N-Quads sent to ``sink`` a batch at a time (from
    the cache for an unchanged file); faults are collected in ``result.errors``, and what went
    to ``sink`` is then incomplete."""
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
            names = {c.name for c in schemas[metadata].physical}
            if missing := [name for name in NEEDED_COLUMNS if name not in names]:
                del schemas[metadata]
                result.errors.append(_error(relative(metadata), None, "roster:bad-metadata", (
                    f"no column {', '.join(missing)}: a roster needs {', '.join(NEEDED_COLUMNS)} (the "
                    "person's IRI, the citation of the file, the English label; see docs/roster.md)")))
                continue
            result.inputs.append(InputFile(relative(metadata), _sha256(metadata), "roster"))
        checksum = _sha256(path)
        result.inputs.append(InputFile(shown, checksum, "roster"))
        key = roster_cache.cache_key(checksum, metadata)
        cached = roster_cache.load(data_dir, path, key)
        if cached is not None:
            _use_cached(cached, shown, seen, result, sink)
            continue
        errors_before = len(result.errors)
        with roster_cache.Writer(data_dir, path, key) as cache:
            def send(nquads: bytes) -> None:
                cache.write(nquads)
                sink(nquads)

            people = _RosterFile(schemas[metadata], path, shown, seen, result).read(send)
            if len(result.errors) == errors_before:
                cache.keep(people)
        result.converted.append(path)
    return result


def _use_cached(cached: roster_cache.Converted, shown: Path, seen: dict[str, tuple[Path, int]],
                result: RosterResult, sink: Sink) -> None:
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
    sink(cached.nquads)


def _raw_lines(lines: Iterator[str], taken: list[str]) -> Iterator[str]:
    """The lines a csv reader consumes, kept in ``taken`` so each row can be quoted verbatim."""
    for line in lines:
        taken.append(line)
        yield line


def _row_text(taken: list[str]) -> str:
    """The row the csv reader has just consumed, as the file has it (without its line end)."""
    text = (taken[0] if len(taken) == 1 else "".join(taken)).rstrip("\r\n")
    taken.clear()
    return text


class _RosterFile:
    """One roster file being read: each row checked against its column, the good ones made into
    N-Quads (twentyfive.roster_rdf) and sent on a batch at a time, every fault recorded."""

    def __init__(self, schema: TableSchema, path: Path, shown: Path, seen: dict[str, tuple[Path, int]],
                 result: RosterResult):
        self.schema, self.path, self.shown, self.seen, self.result = schema, path, shown, seen, result
        self.columns = schema.physical
        self.names = tuple(c.name for c in self.columns)
        self.readers = [(c, CellReader(c)) for c in self.columns]
        self.reads = [read for _, read in self.readers]
        self.known = [read.known.get for read in self.reads]
        self.required = picker([i for i, c in enumerate(self.columns) if c.required])
        self.writer = RowWriter(schema, path.stem)
        #: the positions of the dates of dispatch and return, when the file has both
        self.dates = (self.names.index("dispatch_date"), self.names.index("return_date")) \
            if {"dispatch_date", "return_date"} <= set(self.names) else None

    def read(self, send: Sink) -> dict[str, int]:
        """Read the file; return the line of each person it adds."""
        shown, result = self.shown, self.result
        people: dict[str, int] = {}
        taken: list[str] = []
        try:
            handle = self.path.open(encoding="utf-8", newline="")
            reader = csv.reader(_raw_lines(iter(handle), taken), strict=True)
            header = next(reader, None)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            result.errors.append(_error(shown, 1, "roster:unreadable", f"cannot read the file as UTF-8 CSV: {error}"))
            return people
        _row_text(taken)
        expected = self.schema.header()
        if header != expected:
            result.errors.append(_error(shown, 1, "roster:header", (
                f"the header must be the column titles of {self.schema.metadata.name}, in order: "
                f"{','.join(expected)}"), value=",".join(header or [])))
            handle.close()
            return people
        batch: list[bytes] = []
        width = len(self.columns)
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
                    _row_text(taken)
                    result.errors.append(_error(shown, line, "roster:malformed-line", (
                        f"row {row_number}: not a well-formed CSV line ({error}); quote cells that "
                        "contain commas, quotes or line breaks, and double the quotes inside them")))
                    continue
                text = _row_text(taken)
                row_number += 1
                if not cells or cells == [""]:
                    continue  # blank lines are allowed between rows
                if len(cells) != width:
                    result.errors.append(_error(shown, line, "roster:malformed-line", (
                        f"row {row_number}: {len(cells)} cells, but the header has {width}; "
                        "quote cells that contain commas"), value=text))
                    continue
                person = self._read_row(cells, text, line, row_number, batch)
                if person is not None:
                    people[person] = line
                    if len(batch) == ROWS_PER_BATCH:
                        send(b"".join(batch))
                        batch.clear()
        if people:  # a file with rows is a source; a bare header is not
            batch.append(source_quads(self.writer.source, self.schema, self.path.stem).encode("utf-8"))
        if batch:
            send(b"".join(batch))
        return people

    def _read_row(self, cells: list[str], text: str, line: int, row_number: int, batch: list[bytes]) -> str | None:
        """Check one row; a good one goes to ``batch`` as N-Quads and its person is returned."""
        faulty: set[str] = set()
        try:  # the common case, a good row, at the cost of a lookup a cell (CellReader)
            literals: list[bytes | None] | None = [
                known(value) or read(value) if value else None for known, read, value in zip(self.known, self.reads, cells)]
        except CellError:
            literals = None
        if literals is None or not all(self.required(cells)) or self._returned_before_dispatch(cells, literals):
            literals, faulty = self._faults(cells, line, row_number)
        parts = self.writer.iri_parts(cells)
        person = None if faulty & _FILE_REFERENCE else self.writer.person(cells, parts)
        if person is not None:
            if person in self.seen:
                first_path, first_line = self.seen[person]
                values = dict(zip(self.names, cells))
                self.result.errors.append(_error(self.shown, line, "roster:duplicate-file", (
                    f"row {row_number}: the file reference {', '.join(values[k] for k in FILE_REFERENCE)} "
                    f"is also on {first_path}:{first_line}; each personal file is one row"),
                    value=",".join(values[k] for k in FILE_REFERENCE), focus=person))
                return None
            self.seen[person] = (self.shown, line)
        if literals is None:
            return None
        assert person is not None
        batch.append(self.writer.row(person, cells, parts, literals, text))
        self.result.origins[person] = Origin(self.shown, line)
        self.result.people += 1
        return person

    def _faults(self, cells: list[str], line: int, row_number: int) -> tuple[list[bytes | None] | None, set[str]]:
        """Check each cell of a row on its own, every fault recorded in the order of the columns;
        the literals (None when a fault was found) and the columns at fault."""
        shown = self.shown
        faults = []
        faulty: set[str] = set()
        literals: list[bytes | None] = [None] * len(cells)
        for position, ((column, read), value) in enumerate(zip(self.readers, cells)):
            if value == "":
                if column.required:
                    faulty.add(column.name)
                    faults.append(_cell_error(shown, line, row_number, column, value, (
                        "is empty but required" + (" (part of the file reference)" if column.name in FILE_REFERENCE else ""))))
                continue
            try:
                literals[position] = read(value)
            except CellError as error:
                faulty.add(column.name)
                faults.append(_cell_error(shown, line, row_number, column, value, f"is not valid: {error}"))
        if self._returned_before_dispatch(cells, literals):
            dispatch, back = cells[self.dates[0]], cells[self.dates[1]]  # type: ignore[index]
            faults.append(_cell_error(shown, line, row_number, self.columns[self.dates[1]], back,  # type: ignore[index]
                                      f"is before the date of dispatch {dispatch}"))
        self.result.errors.extend(faults)
        return (None if faults else literals), faulty

    def _returned_before_dispatch(self, cells: list[str], literals: list[bytes | None]) -> bool:
        """Whether the row's date of return (when both dates are there and valid) is the earlier."""
        if self.dates is None:
            return False
        dispatch, back = self.dates
        return bool(literals[dispatch] and literals[back] and cells[back] < cells[dispatch][: len(cells[back])])


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
