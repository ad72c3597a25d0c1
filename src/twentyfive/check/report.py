"""The check's report: one readable line per check, a summary, and JUnit XML for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from twentyfive.check.checks import FAIL, SKIP, Result
from twentyfive.publish.atomic import write_atomic


def line(result: Result) -> str:
    """``FAIL vary /id/person/x: GET … → Vary: (none) — fix: send Vary: Accept …``"""
    text = f"{result.status} {result.check} {result.subject}: {result.request} → {result.response}"
    return f"{text} — fix: {result.fix}" if result.fix else text


def summary(results: list[Result]) -> str:
    counts = Counter(r.status for r in results)
    return f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped"


def junit(results: list[Result], base: str) -> bytes:
    """JUnit XML: one test case per check, named by check and subject."""
    counts = Counter(r.status for r in results)
    suite = ET.Element(
        "testsuite",
        name=f"twentyfive check {base}",
        tests=str(len(results)),
        failures=str(counts[FAIL]),
        skipped=str(counts[SKIP]),
        errors="0",
    )
    for result in results:
        case = ET.SubElement(
            suite, "testcase", classname=f"linked-data.{result.check}", name=result.subject
        )
        if result.status == FAIL:
            failure = ET.SubElement(case, "failure", message=result.fix)
            failure.text = f"{result.request}\n→ {result.response}"
        elif result.status == SKIP:
            ET.SubElement(case, "skipped", message=result.response)
        else:
            ET.SubElement(case, "system-out").text = f"{result.request}\n→ {result.response}"
    ET.indent(suite)
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(path: Path, results: list[Result], base: str) -> None:
    write_atomic(path, junit(results, base))
