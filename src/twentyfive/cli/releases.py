"""Commands for trust and citation: links check, release, diff."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from twentyfive.cli import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_VIOLATIONS,
    Reporter,
    command,
    input_failed,
    print_findings,
    project_of,
)
from twentyfive.problems import InputError


def _configure_links(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("check",), help="check: dereference every link out")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for each answer (default 10)"
    )
    parser.add_argument(
        "--endpoint-base",
        default="https://www.wikidata.org",
        help="where Wikidata's entity-data service is (default https://www.wikidata.org)",
    )
    parser.add_argument(
        "--web-base", help="fetch other links (Wikipedia, DBpedia) at WEB_BASE/<host><path>"
    )
    parser.add_argument(
        "--dist", help="the build whose links to check (default: dist/ in the project)"
    )


@command(
    "links",
    "check the links out (Wikidata, Wikipedia, DBpedia): exit 0 all good, 1 problems, "
    "3 network unreachable",
    _configure_links,
)
def cmd_links(args: argparse.Namespace) -> int:
    from twentyfive import links
    from twentyfive.query import open_store

    reporter = Reporter(args.quiet)
    try:
        store = open_store(project_of(args), notice=reporter.say).oxigraph
    except InputError as error:
        return input_failed(error, reporter)
    found = links.find_links(store)
    reporter.say(f"checking {len(found)} link(s) out …")
    checker = links.Checker(args.timeout, args.endpoint_base, args.web_base)
    done = iter(range(1, len(found) + 1))
    outcomes = links.check_links(
        found, checker, progress=lambda _: reporter.checked(next(done), len(found))
    )
    if links.network_unreachable(outcomes):
        print(
            f"network unreachable: none of the {len(outcomes)} link(s) could be reached "
            f"(first error: {outcomes[0].detail}); check the connection and run again",
            file=sys.stderr,
        )
        return links.EXIT_UNREACHABLE
    sys.stdout.write(links.report(outcomes))
    return links.EXIT_PROBLEMS if any(o.problem for o in outcomes) else EXIT_OK


def _configure_release(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", help="the semantic version of the release, e.g. 1.0.0")
    parser.add_argument(
        "--date", help="release date YYYY-MM-DD (default: SOURCE_DATE_EPOCH's day, else today, UTC)"
    )
    parser.add_argument("--dist", help="output folder (default: dist/ in the project)")


@command(
    "release",
    "build and write the immutable dist/releases/VERSION/ (with changelog and citation); "
    "point dist/latest at it",
    _configure_release,
)
def cmd_release(args: argparse.Namespace) -> int:
    from twentyfive.releases import ReleaseError, make_release

    reporter = Reporter(args.quiet)
    try:
        released = make_release(project_of(args), args.version, args.date, progress=reporter.step)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except InputError as error:
        return input_failed(error, reporter)
    print_findings(released.outcome.findings, stream=sys.stderr)
    if released.record is None:
        reporter.say("not released: fix the violations above; nothing was changed")
        return EXIT_VIOLATIONS
    record = json.loads((released.folder / "release.json").read_text(encoding="utf-8"))
    reporter.say(
        f"released {record['version']} ({record['issued']}) in {released.folder}: "
        f"{record['added']} quad(s) added, {record['removed']} removed since "
        f"{record['previous'] or 'nothing'}; fingerprint {record['fingerprint']}"
    )
    return EXIT_OK


def _configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", type=Path, help="the older build: a dist/ or release folder, or a dump file"
    )
    parser.add_argument("new", type=Path, help="the newer build: a folder or a dump file")
    parser.add_argument(
        "--out", type=Path, help="also write added.nq, removed.nq and CHANGES.md into this folder"
    )


@command(
    "diff",
    "quads added and removed between two builds, grouped by entity (Markdown)",
    _configure_diff,
)
def cmd_diff(args: argparse.Namespace) -> int:
    from twentyfive.changes import diff, markdown, write_changes
    from twentyfive.fingerprint import read_quads

    graphs = []
    for path in (args.old, args.new):
        try:
            graphs.append(read_quads(path))
        except (OSError, KeyError) as error:
            print(
                f"error: cannot read {path}: {error}; give a dist/ or release folder, "
                "or a dump file (.nq .trig .ttl .nt .jsonld .rdf, optionally .gz)",
                file=sys.stderr,
            )
            return EXIT_INPUT
        except SyntaxError as error:
            print(f"error: {path} does not parse: {error}", file=sys.stderr)
            return EXIT_INPUT
    changes = diff(*graphs)
    if args.out:
        write_changes(changes, args.out, str(args.old), str(args.new))
    sys.stdout.write(markdown(changes, str(args.old), str(args.new)))
    return EXIT_OK
