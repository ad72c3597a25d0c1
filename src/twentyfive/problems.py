"""What every stage reports when something is wrong: one finding, said so a curator can act.

A finding names the rule, the file and line, the entity, the offending value, and what to do.
Stages collect all their findings before they stop, so one run shows every fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    VIOLATION = "Violation"  # nothing is published while one exists
    WARNING = "Warning"  # printed; publishing goes on
    INFO = "Info"


@dataclass(frozen=True)
class Finding:
    """One problem in the input or the graph."""

    severity: Severity
    rule: str  # a stable name: a shape IRI, a check name or a read rule
    message: str  # what is wrong and how to fix it
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    focus: str | None = None  # the entity (IRI)
    value: str | None = None  # the offending value
    predicate: str | None = None  # the property (path), when there is one

    @property
    def location(self) -> str:
        if self.path is None:
            return "<graph>"
        place = str(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def format(self) -> str:
        """Human-readable, one finding per block: ``file:line: Severity [rule] message``."""
        lines = [f"{self.location}: {self.severity.value} [{self.rule}] {self.message}"]
        if self.focus:
            lines.append(f"    entity:   <{self.focus}>")
        if self.predicate:
            lines.append(f"    property: <{self.predicate}>")
        if self.value is not None:
            lines.append(f"    value:    {self.value}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "file": str(self.path) if self.path else None,
            "line": self.line,
            "column": self.column,
            "focus": self.focus,
            "property": self.predicate,
            "value": self.value,
        }


class InputError(Exception):
    """The input cannot be used at all (missing folder, a file that does not parse).

    Carries every finding gathered before giving up, so the curator sees all of them.
    """

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(f.format() for f in findings))


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.VIOLATION]
