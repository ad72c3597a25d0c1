"""Commands on the data: build, validate, query, stats, roster."""

from __future__ import annotations

import argparse
import dataclasses
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


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", help="output folder (default: dist/ in the project)")
    parser.add_argument(
        "--site-base", metavar="URL",
        help="where dist/site/ will be deployed, for robots.txt, the sitemap and the w3id.org "
        "redirects (default: https://twentyfive.example.org, a placeholder to set)",
    )
    parser.add_argument(
        "--all-pages", action="store_true",
        help="also prebuild the documents and pages of roster entities (people and their "
        "passages) in dist/doc/, for a static host; by default 'twentyfive serve' renders "
        "them on request (prebuilding costs ~30 ms per entity)",
    )


@command("build", "read, validate and publish dist/ (nothing is written on a violation)", _configure_build)
def cmd_build(args: argparse.Namespace) -> int:
    from twentyfive.pipeline import build

    reporter = Reporter(args.quiet)
    project = project_of(args)
    if getattr(args, "site_base", None):
        project = dataclasses.replace(project, site_base=args.site_base)
    if getattr(args, "all_pages", False):
        project = dataclasses.replace(project, all_pages=True)
    try:
        outcome = build(project, progress=reporter.files, on_writer=reporter.step)
    except InputError as error:
        return input_failed(error, reporter)
    print_findings(outcome.findings, stream=sys.stderr)
    if not outcome.conforms:
        reporter.say(f"not published: fix the violations above; {project.dist_dir} is unchanged")
        return EXIT_VIOLATIONS
    reporter.say(
        f"built {project.dist_dir} from {len(outcome.kg.inputs)} files: "
        f"{len(outcome.kg)} quads in {len(outcome.kg.graph_names())} graphs ({reporter.elapsed()})"
    )
    return EXIT_OK


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format")


@command("validate", "check data/ against the shapes and integrity checks; writes nothing", _configure_validate)
def cmd_validate(args: argparse.Namespace) -> int:
    from twentyfive.pipeline import check

    reporter = Reporter(args.quiet)
    try:
        outcome = check(project_of(args), progress=reporter.files)
    except InputError as error:
        if args.format == "json":
            print_findings(error.findings, as_json=True)
            return EXIT_INPUT
        return input_failed(error, reporter)
    print_findings(outcome.findings, as_json=args.format == "json")
    if outcome.conforms:
        reporter.say(f"conforms ({len(outcome.kg)} quads, {reporter.elapsed()})")
        return EXIT_OK
    return EXIT_VIOLATIONS


def _configure_query(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="a SPARQL query file (.rq)")
    source.add_argument("-e", "--expression", help="the query text itself")
    parser.add_argument(
        "--format",
        default=None,
        help="table (default for SELECT), json, xml, csv, tsv; for CONSTRUCT/DESCRIBE an RDF "
        "format: turtle (default), jsonld, ntriples, rdfxml",
    )
    parser.add_argument("--dist", help="the build to query (default: dist/ in the project)")


@command("query", "run a SPARQL query over the built graph (embedded store)", _configure_query)
def cmd_query(args: argparse.Namespace) -> int:
    from twentyfive.query import QueryFailed, run_query

    reporter = Reporter(args.quiet)
    text = args.expression if args.expression is not None else _read_query_file(args.file)
    if text is None:
        return EXIT_INPUT
    try:
        output = run_query(project_of(args), text, args.format, notice=reporter.say)
    except QueryFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except InputError as error:
        return input_failed(error, reporter)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return EXIT_OK


def _read_query_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"error: cannot read the query file {path}: {error.strerror}", file=sys.stderr)
        return None


def _configure_roster(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("figures",), help="figures: the social structure counted from data/roster/")
    parser.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")


@command("roster", "the roster of personal files: its social-structure figures beside the published ones", _configure_roster)
def cmd_roster(args: argparse.Namespace) -> int:
    from twentyfive.pipeline import load
    from twentyfive.roster_figures import figures_csv, figures_table, roster_figures

    reporter = Reporter(args.quiet)
    try:
        outcome = load(project_of(args), progress=reporter.files)
    except InputError as error:
        return input_failed(error, reporter)
    figures = roster_figures(outcome.kg)
    sys.stdout.write(figures_csv(figures) if args.format == "csv" else figures_table(figures))
    return EXIT_OK

def _configure_stats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", help="the build to read (default: dist/ in the project; data/ when not built)")


@command(
    "stats",
    "print the statistics (the RDF Data Cubes) as tables: category, figure, unit, approximate?, base, source",
    _configure_stats,
)
def cmd_stats(args: argparse.Namespace) -> int:
    from twentyfive.cubes import as_text, read_cubes
    from twentyfive.query import open_store

    reporter = Reporter(args.quiet)
    try:
        store = open_store(project_of(args), notice=reporter.say)
    except InputError as error:
        return input_failed(error, reporter)
    sys.stdout.write(as_text(read_cubes(store)))
    return EXIT_OK
