"""The roster's CSV on the Web metadata: what each column is, how it is checked, what RDF it makes.

A roster file ``data/roster/<name>.csv`` is described by ``<name>.csv-metadata.json`` (or by
the folder's ``csv-metadata.json``), a W3C CSVW table description. This module reads the part
of CSVW the roster uses — column names and titles, ``required``, datatypes with ``format``,
``minimum`` and ``maximum``, ``lang``, ``aboutUrl``/``propertyUrl``/``valueUrl`` templates and
virtual columns — and checks one cell against its column. docs/roster.md explains the format.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from twentyfive.namespaces import ONTOLOGY_IRI, PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
#: A date written as precisely as the file gives it: xsd:gYear, xsd:gYearMonth or xsd:date.
DATE_OF_GIVEN_PRECISION = ONTOLOGY_IRI + "#dateOfGivenPrecision"
_PRECISION_TYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}
_INTEGER_TYPES = {"integer", "nonNegativeInteger", "positiveInteger", "int", "long"}
_TEMPLATE_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SAFE = re.compile(r"^[A-Za-z0-9._~-]*$")
_DIGITS = re.compile(r"[0-9]+")


class CellError(ValueError):
    """A cell does not fit its column; the message says what is expected."""


@dataclass(frozen=True)
class Template:
    """A CSVW URI template (RFC 6570 level 1: ``{column}`` placeholders)."""

    text: str
    variables: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, text: str | None) -> Template | None:
        if text is None:
            return None
        return cls(expand_prefixed(text), tuple(_TEMPLATE_VARIABLE.findall(text)))

    def fill(self, parts: dict[str, str]) -> str:
        """The IRI with the cells of its variables already made IRI parts (none of them empty)."""
        return self._format.format_map(parts)

    def after(self, head: Template) -> Template | None:
        """What follows ``head`` in this template when it starts with it (``{person}#placement``
        after ``{person}``: ``#placement``), else None."""
        if not self.text.startswith(head.text):
            return None
        rest = self.text[len(head.text):]
        return Template(rest, tuple(_TEMPLATE_VARIABLE.findall(rest)))

    def pattern(self, field: str, constant: Callable[[str], str]) -> str:
        """The template with each variable as ``field.format(name)``, the rest through ``constant``."""
        pieces = _TEMPLATE_VARIABLE.split(self.text)  # text, name, text, name, …, text
        return "".join(field.format(piece) if number % 2 else constant(piece) for number, piece in enumerate(pieces))

    @cached_property
    def _format(self) -> str:
        """The text as a ``str.format`` pattern: the variables as fields, other braces doubled."""
        return self.pattern("{{{}}}", lambda text: text.replace("{", "{{").replace("}", "}}"))


def iri_part(value: str) -> str:
    """A cell as a part of an IRI: as it is when safe, else percent-encoded (so that every IRI a
    valid template makes is valid: see ``mapping_problem``)."""
    return value if _SAFE.match(value) else quote(value, safe="")


def mapping_problem(schema: TableSchema) -> str | None:
    """What in the metadata maps rows to invalid RDF (an IRI template, a property, a language,
    a datatype), else None. Checked once per file: with cells made safe by ``iri_part``, every
    IRI of every row is then valid, and the rows' N-Quads load without a check of each IRI."""
    templates = [("aboutUrl", schema.about)]
    for column in schema.columns:
        templates += [(f"the aboutUrl of column {column.name}", column.about),
                      (f"the valueUrl of column {column.name}", column.value)]
    try:
        for where, template in templates:
            if template is not None:
                sample = template.text
                for name in template.variables:
                    sample = sample.replace("{" + name + "}", "x")
                where = f"{where} ({template.text})"
                ox.NamedNode(sample)
        for column in schema.columns:
            where = f"the propertyUrl or datatype of column {column.name}"
            if column.property is not None:
                ox.NamedNode(column.property)
            ox.NamedNode(column.datatype_iri)
            if column.lang:
                where = f"the lang of column {column.name}"
                ox.Literal("x", language=column.lang)
    except ValueError as error:
        return f"{where} makes no valid RDF: {error}"
    return None


@dataclass(frozen=True)
class Column:
    """One column of the table schema."""

    name: str
    title: str
    index: int  # 1-based position in the file; 0 for a virtual column
    base: str = "string"
    datatype_iri: str = XSD + "string"
    format: re.Pattern[str] | None = None
    format_text: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    required: bool = False
    lang: str | None = None
    about: Template | None = None
    property: str | None = None
    value: Template | None = None
    virtual: bool = False
    suppress: bool = False

    def expected(self) -> str:
        """What the column accepts, in words (for error messages)."""
        if self.format_text and re.fullmatch(r"[A-Za-z0-9-]+(\|[A-Za-z0-9-]+)*", self.format_text):
            choices = self.format_text.split("|")
            return "one of: " + ", ".join(choices) if len(choices) > 1 else f"exactly {choices[0]}"
        parts = []
        if self.base in _INTEGER_TYPES:
            parts.append("a whole number")
        elif self.base == "gYear":
            parts.append("a four-digit year")
        elif self.datatype_iri == DATE_OF_GIVEN_PRECISION:
            parts.append("a date YYYY, YYYY-MM or YYYY-MM-DD")
        elif self.format_text:
            parts.append(f"text matching {self.format_text}")
        else:
            parts.append("text")
        if self.minimum is not None and self.maximum is not None:
            parts.append(f"from {self.minimum} to {self.maximum}")
        elif self.minimum is not None:
            parts.append(f"at least {self.minimum}")
        elif self.maximum is not None:
            parts.append(f"at most {self.maximum}")
        return " ".join(parts)

    def literal(self, value: str) -> str:
        """The cell as an RDF literal (N-Triples); raises :class:`CellError` when it does not fit."""
        if self.format is not None and not self.format.fullmatch(value):
            raise CellError(f"expected {self.expected()}")
        if self.base in _INTEGER_TYPES or self.base == "gYear":
            if not _DIGITS.fullmatch(value) or (self.base == "gYear" and len(value) != 4):
                raise CellError(f"expected {self.expected()}")
            number = int(value)
            if (self.minimum is not None and number < int(self.minimum)) or (
                self.maximum is not None and number > int(self.maximum)
            ):
                raise CellError(f"out of range: expected {self.expected()}")
            return nt_literal(value, self.datatype_iri)
        if self.datatype_iri == DATE_OF_GIVEN_PRECISION:
            datatype = _PRECISION_TYPES.get(len(value))
            try:
                year, month, day = (value.split("-") + ["01", "01"])[:3]
                datetime.date(int(year), int(month), int(day))
            except ValueError:
                datatype = None
            if datatype is None:
                raise CellError(f"expected {self.expected()} (a real calendar date)")
            return nt_literal(value, datatype)
        if self.lang:
            return nt_literal(value, language=self.lang)
        return nt_literal(value, self.datatype_iri)


class CellReader:
    """``column.literal``, UTF-8, keeping the literal of each of the first ``remember`` distinct
    valid cells in ``known``: most columns take few values (codes, years, dates), so most cells
    cost one lookup there."""

    def __init__(self, column: Column, remember: int = 4096):
        self.column, self.remember = column, remember
        self.known: dict[str, bytes] = {}

    def __call__(self, value: str) -> bytes:
        result = self.known.get(value)
        if result is None:
            result = self.column.literal(value).encode("utf-8")  # raises CellError: never kept
            if len(self.known) < self.remember:
                self.known[value] = result
        return result


@dataclass(frozen=True)
class TableSchema:
    """The columns of a roster file and the IRI template of the thing each row describes."""

    metadata: Path
    about: Template
    columns: tuple[Column, ...]
    title: str
    reliability: str | None = None  # the source's grade (tft:reliability), from the metadata

    @cached_property
    def physical(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.virtual)

    @property
    def virtual(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.virtual)

    def header(self) -> list[str]:
        return [c.title for c in self.physical]


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_literal(value: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal in N-Triples syntax (``"…"@lang`` or ``"…"^^<datatype>``; plain for xsd:string)."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.translate(_ESCAPES)  # rare: four searches in C are cheaper than translate
    quoted = '"' + value + '"'
    if language:
        return f"{quoted}@{language}"
    if datatype and datatype != XSD + "string":
        return f"{quoted}^^<{datatype}>"
    return quoted


def metadata_for(csv_path: Path) -> Path | None:
    """The metadata file of a CSV file: ``<file>.csv-metadata.json``, else ``csv-metadata.json``."""
    for candidate in (csv_path.with_name(csv_path.name + "-metadata.json"), csv_path.parent / "csv-metadata.json"):
        if candidate.is_file():
            return candidate
    return None


def load_schema(metadata: Path) -> TableSchema:
    """Read a CSVW metadata file; raises ``ValueError`` with a readable message if it is unusable."""
    try:
        description = json.loads(metadata.read_text(encoding="utf-8"))
        table_schema = description["tableSchema"]
        raw_columns = table_schema["columns"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"not a CSVW table description with tableSchema.columns: {error}") from error
    about = Template.of(table_schema.get("aboutUrl"))
    if about is None:
        raise ValueError("tableSchema.aboutUrl is missing: it says which IRI each row describes")
    columns = []
    position = 0
    for raw in raw_columns:
        virtual = bool(raw.get("virtual", False))
        if not virtual:
            position += 1
        datatype = raw.get("datatype", "string")
        if isinstance(datatype, str):
            datatype = {"base": datatype}
        base = datatype.get("base", "string")
        pattern = datatype.get("format")
        title = raw.get("titles", raw.get("name", ""))
        if isinstance(title, list):
            title = title[0]
        columns.append(
            Column(
                name=raw.get("name", f"_col{position}"),
                title=title,
                index=0 if virtual else position,
                base=base,
                datatype_iri=datatype.get("@id", XSD + base),
                format=re.compile(pattern) if pattern else None,
                format_text=pattern,
                minimum=datatype.get("minimum"),
                maximum=datatype.get("maximum"),
                required=bool(raw.get("required", False)),
                lang=raw.get("lang"),
                about=Template.of(raw.get("aboutUrl")),
                property=expand_prefixed(raw["propertyUrl"]) if "propertyUrl" in raw else None,
                value=Template.of(raw.get("valueUrl")),
                virtual=virtual,
                suppress=bool(raw.get("suppressOutput", False)),
            )
        )
    return TableSchema(metadata, about, tuple(columns), description.get("dc:title", metadata.stem),
                       description.get("tft:reliability"))


def expand_prefixed(text: str) -> str:
    """``schema:gender`` to its IRI through the one prefix table; IRIs stay as they are."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text
