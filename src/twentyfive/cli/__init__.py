"""The command line: one thin function per command; the work happens in the stages.

The commands live in this package's modules by theme (``data``, ``web``, ``releases``,
``stores``); each registers itself with ``@command``. This module holds the registry, the
shared helpers and ``main``.

Exit codes: 0 success, 1 the data does not conform (violations), 2 unusable input or usage
error (a file that does not parse, a query with a syntax error, a missing folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence

from twentyfive import __version__
from twentyfive.problems import Finding, InputError, Severity
from twentyfive.project import Project

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_STORE = 0, 1, 2, 3

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register ``function`` as the command ``name``."""

    def register(function: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = (function, configure, help_text)
        return function

    return register


# --- shared helpers ----------------------------------------------------------------------


class Reporter:
    """Progress and messages on stderr, so stdout stays clean for results."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.started = time.perf_counter()
        self.interactive = sys.stderr.isatty()

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def files(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.interactive:
            print(f"\rreading {done}/{total} files", end="" if done < total else "\n", file=sys.stderr, flush=True)
        elif done == total:
            print(f"read {total} files", file=sys.stderr, flush=True)

    def checked(self, done: int, total: int) -> None:
        if not self.quiet and self.interactive:
            end = "" if done < total else "\n"
            print(f"\rchecked {done}/{total}", end=end, file=sys.stderr, flush=True)

    def step(self, name: str) -> None:
        self.say(f"writing {name} …")

    def elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:.2f} s"


def project_of(args: argparse.Namespace) -> Project:
    return Project.at(args.project, getattr(args, "dist", None))


#: Warnings of one rule printed before the rest are only counted (a roster of 27,519 people
#: without descriptions would otherwise print 27,519 alike).
WARNINGS_PER_RULE = 10


def print_findings(findings: list[Finding], as_json: bool = False, stream=None) -> None:
    stream = stream or sys.stdout
    if as_json:
        json.dump([f.as_dict() for f in findings], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    shown: Counter[str] = Counter()
    for finding in findings:  # every violation; warnings up to WARNINGS_PER_RULE of a rule
        if finding.severity is Severity.VIOLATION or shown[finding.rule] < WARNINGS_PER_RULE:
            print(finding.format(), file=stream)
        shown[finding.rule] += finding.severity is not Severity.VIOLATION
    for rule, count in sorted(shown.items()):
        if count > WARNINGS_PER_RULE:
            print(
                f"… and {count - WARNINGS_PER_RULE:,} more warning(s) of {rule} "
                "('twentyfive validate --format json' lists every finding)",
                file=stream,
            )
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    print(
        f"{counts[Severity.VIOLATION]} violation(s), {counts[Severity.WARNING]} warning(s)",
        file=stream,
    )


def input_failed(error: InputError, reporter: Reporter) -> int:
    print_findings(error.findings, stream=sys.stderr)
    reporter.say("the input cannot be used; nothing was written")
    return EXIT_INPUT

def _load_commands() -> None:
    """Import the command modules (each registers its commands, in the order of ``--help``)."""
    from twentyfive.cli import data, releases, stores, web  # noqa: F401


def make_parser() -> argparse.ArgumentParser:
    _load_commands()
    parser = argparse.ArgumentParser(
        prog="twentyfive",
        description="The Twenty-five-thousanders as Linked Data: build, validate, query, "
        "serve and load the knowledge graph.",
        epilog="Exit codes: 0 success, 1 the data has violations, 2 unusable input or usage "
        "error. Run 'twentyfive COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"twentyfive {__version__}")
    parser.add_argument(
        "--project", default=".", help="the project folder with data/ ontology/ shapes/ (default: .)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    # the same options after the command name too ("twentyfive build --project X")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", default=argparse.SUPPRESS, help="the project folder")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, configure, help_text) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text, parents=[common]))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    function = COMMANDS[args.command][0]
    try:
        return function(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


