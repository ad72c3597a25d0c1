"""Lexical forms of the XML Schema datatypes we use, checked as strict parsers check them.

Jena's riot rejects ``"P2W"^^xsd:duration`` (weeks are ISO 8601, not XML Schema); pyoxigraph
and rdflib accept it. Checking here, at read time, means a curator hears of it with the file
and line, before a store refuses the dump.

>>> well_formed("1905-05-24", XSD + "date")
True
>>> well_formed("P2W", XSD + "duration")
False
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_FLOAT = rf"(?:{_DECIMAL}(?:[eE][+-]?\d+)?|[+-]?INF|NaN)"

PATTERNS: dict[str, re.Pattern[str]] = {
    XSD + name: re.compile(rf"^{pattern}$")
    for name, pattern in {
        "date": rf"{_YEAR}-{_MONTH}-{_DAY}{_TZ}",
        "dateTime": rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}",
        "gYear": rf"{_YEAR}{_TZ}",
        "gYearMonth": rf"{_YEAR}-{_MONTH}{_TZ}",
        "integer": r"[+-]?\d+",
        "nonNegativeInteger": r"\+?\d+|-0+",
        "positiveInteger": r"\+?0*[1-9]\d*",
        "decimal": _DECIMAL,
        "double": _FLOAT,
        "float": _FLOAT,
        "boolean": r"true|false|1|0",
        "duration": r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?",
    }.items()
}


def well_formed(lexical: str, datatype: str) -> bool:
    """False when ``lexical`` is not in the lexical space of ``datatype`` (unknown types pass)."""
    pattern = PATTERNS.get(datatype)
    if pattern is None:
        return True
    if not pattern.match(lexical):
        return False
    if datatype == XSD + "date":  # the pattern allows 31 February; the calendar does not
        return _real_day(lexical)
    return True


def _real_day(lexical: str) -> bool:
    import datetime

    year, month, day = lexical.lstrip("-")[:10].split("-")
    try:
        datetime.date(2000 if int(year) == 0 else min(int(year), 9999), int(month), int(day))
    except ValueError:
        # 29 February: valid when the year is a leap year (year 0 is a leap year in XSD 1.1)
        return month == "02" and day == "29" and (int(year) % 4 == 0 and (int(year) % 100 != 0 or int(year) % 400 == 0))
    return True
