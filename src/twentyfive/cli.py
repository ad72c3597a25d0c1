"""The command line: one thin function per command; the work happens in the stages.

Exit codes: 0 success, 1 the data does not conform (violations), 2 unusable input or usage
error (a file that does not parse, a query with a syntax error, a missing folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

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


def print_findings(findings: list[Finding], as_json: bool = False, stream=None) -> None:
    stream = stream or sys.stdout
    if as_json:
        json.dump([f.as_dict() for f in findings], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    for finding in findings:
        print(finding.format(), file=stream)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    print(
        f"{counts[Severity.VIOLATION]} violation(s), {counts[Severity.WARNING]} warning(s)",
        file=stream,
    )


def input_failed(error: InputError, reporter: Reporter) -> int:
    print_findings(error.findings, stream=sys.stderr)
    reporter.say("the input cannot be used; nothing was written")
    return EXIT_INPUT


# --- commands ----------------------------------------------------------------------------


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", help="output folder (default: dist/ in the project)")
    parser.add_argument(
        "--site-base", metavar="URL",
        help="where dist/site/ will be deployed, for robots.txt, the sitemap and the w3id.org "
        "redirects (default: https://twentyfive.example.org, a placeholder to set)",
    )


@command("build", "read, validate and publish dist/ (nothing is written on a violation)", _configure_build)
def cmd_build(args: argparse.Namespace) -> int:
    from twentyfive.pipeline import build

    reporter = Reporter(args.quiet)
    project = project_of(args)
    if getattr(args, "site_base", None):
        project = dataclasses.replace(project, site_base=args.site_base)
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


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    from twentyfive.sparql_http import LAYOUTS

    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8025, help="port to listen on (default: 8025)")
    parser.add_argument(
        "--query-timeout", type=float, default=10.0, metavar="SECONDS",
        help="hard time limit of a SPARQL query; the query is stopped and the client gets 503 (default: 10)",
    )
    parser.add_argument(
        "--processes", type=int, default=2, metavar="N",
        help="server processes sharing the port (SO_REUSEPORT); 1 for a single process (default: 2)",
    )
    parser.add_argument(
        "--query-workers", type=int, default=2, metavar="N",
        help="worker processes per server process that run SPARQL queries, each with its own "
        "copy of the graph (default: 2)",
    )
    parser.add_argument("--dist", help="the build to serve (default: dist/ in the project)")
    parser.add_argument(
        "--store", metavar="URL",
        help="answer SPARQL from this remote store (loaded with 'twentyfive load'; its default "
        "graph must be the union of its graphs: oxigraph serve --union-default-graph) instead "
        "of the build's own; pages and documents still come from the build",
    )
    parser.add_argument("--store-layout", choices=sorted(LAYOUTS), default="oxigraph",
                        help="where the store keeps its query endpoint (default: oxigraph)")


def store_answers(url: str, layout: str, timeout: float) -> bool:
    """Whether the remote store answers a query; else say why, on stderr."""
    from twentyfive.serve.worker import remote_store
    from twentyfive.sparql_http import StoreError

    try:
        remote_store(url, layout, timeout).query("ASK { ?s ?p ?o }")
    except (StoreError, ValueError) as error:
        print(f"error: the store at {url} does not answer queries: {error}", file=sys.stderr)
        return False
    return True


@command(
    "serve",
    "serve the graph: dereferenceable URIs, HTML pages, SPARQL endpoint (builds dist/ first if "
    "missing or stale; refuses invalid data)",
    _configure_serve,
)
def cmd_serve(args: argparse.Namespace) -> int:
    from twentyfive.pipeline import is_stale
    from twentyfive.serve import missing_files, run

    reporter = Reporter(args.quiet)
    project = project_of(args)
    if is_stale(project) or missing_files(project.dist_dir):
        reporter.say(f"{project.dist_dir} is missing or older than the input: building it first")
        status = cmd_build(args)
        if status != EXIT_OK:
            reporter.say("not serving: the build failed (see above)")
            return status
    if args.store and not store_answers(args.store, args.store_layout, args.query_timeout):
        return EXIT_STORE
    reporter.say(f"serving {project.dist_dir} on http://{args.host}:{args.port}/ (Ctrl-C stops)")
    try:
        run(project.dist_dir, args.host, args.port, query_timeout=args.query_timeout,
            query_workers=args.query_workers, processes=args.processes,
            store=args.store, layout=args.store_layout)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror}; "
              "choose another --port or --host", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


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


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "base_url", metavar="BASE-URL", help="the deployment, e.g. http://127.0.0.1:8025"
    )
    parser.add_argument(
        "--junit", type=Path, metavar="FILE", help="also write the results as JUnit XML"
    )
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S",
                        help="seconds to wait for each answer (default: 30)")
    parser.add_argument("--sample", type=int, default=1, metavar="N",
                        help="things to check in each namespace of IRIs (default: 1)")
    parser.add_argument("--no-sparql", action="store_true",
                        help="skip the SPARQL checks (a static site has no endpoint)")
    parser.add_argument("--heavy-query", action="store_true",
                        help="also send a very expensive query: the endpoint must stop it with an "
                        "error before --timeout")


@command(
    "check",
    "run the Linked Data checklist against a deployment over HTTP (303, Vary, formats, 404, "
    "406, HEAD, ETag, CORS, Link, VoID, SPARQL); exit 0 all passed, 1 a check failed, "
    "2 unreachable",
    _configure_check,
)
def cmd_check(args: argparse.Namespace) -> int:
    from twentyfive.check import FAIL, Checker, Options
    from twentyfive.check.report import line, summary, write_junit

    base = args.base_url.rstrip("/")
    if not base.startswith(("http://", "https://")) or args.sample < 1:
        print(
            "error: BASE-URL must start with http:// or https://; --sample must be 1 or more",
            file=sys.stderr,
        )
        return EXIT_INPUT
    options = Options(base, args.sample, not args.no_sparql, args.heavy_query, args.timeout)
    checker = Checker(options)
    results = checker.run()
    for result in results:
        print(line(result), flush=True)
    print(summary(results))
    if args.junit:
        write_junit(args.junit, results, base)
    void = checker.results[0]
    if void.status == FAIL and void.response.startswith(("connection failed", "no answer")):
        print(f"error: {base} cannot be reached ({void.response})", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_VIOLATIONS if any(r.status == FAIL for r in results) else EXIT_OK


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


def _configure_load(parser: argparse.ArgumentParser) -> None:
    import os

    from twentyfive.sparql_http import LAYOUTS

    parser.epilog = (
        "Exit codes: 0 loaded, 2 no build or bad options, 3 the store could not be reached or "
        "refused (the live graphs are then as before). Credentials can also come from "
        "TWENTYFIVE_STORE_PASSWORD and TWENTYFIVE_STORE_TOKEN. Recipes for Fuseki, GraphDB, "
        "QLever, Virtuoso and Oxigraph: docs/loading.md."
    )
    parser.add_argument("--store", required=True, metavar="URL",
                        help="the store's base URL, e.g. http://127.0.0.1:7878 (Oxigraph) or "
                        "http://host:3030/DATASET with --layout fuseki")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="oxigraph",
                        help="where the store keeps its endpoints under --store (default: oxigraph: "
                        "/store /update /query; fuseki: /data /update /query; graphdb: "
                        "/rdf-graphs/service /statements and the repository URL itself)")
    parser.add_argument("--gsp", metavar="URL", help="the Graph Store Protocol endpoint (URL or path under --store)")
    parser.add_argument("--update", metavar="URL", help="the SPARQL Update endpoint (URL or path under --store)")
    parser.add_argument("--query", metavar="URL", help="the SPARQL query endpoint (URL or path under --store)")
    parser.add_argument("--graph", action="append", default=[], metavar="IRI",
                        help="load only this graph of the build (repeatable); other graphs in the "
                        "store are left alone")
    parser.add_argument("--into", metavar="IRI", help="load the union of the build's graphs into this one graph")
    parser.add_argument("--user", help="user name for HTTP basic authentication")
    parser.add_argument("--password", default=os.environ.get("TWENTYFIVE_STORE_PASSWORD"),
                        help="password for --user")
    parser.add_argument("--token", default=os.environ.get("TWENTYFIVE_STORE_TOKEN"),
                        help="bearer token (instead of --user/--password)")
    parser.add_argument("--force-insecure", action="store_true",
                        help="allow credentials over plain http:// to a host other than this machine")
    parser.add_argument("--verify", choices=("fingerprint", "count"), default="fingerprint",
                        help="how staged graphs are checked before the switch (default: fingerprint, "
                        "which also skips graphs already up to date); count: for stores that rewrite "
                        "literals (e.g. to canonical numbers), every graph is then uploaded")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="S",
                        help="seconds to wait for the store's answer to each request, such as "
                        "the switch of a big load (default: 300; connecting: at most 10)")
    parser.add_argument("--retries", type=int, default=3, metavar="N",
                        help="retries of a network error, with exponential backoff from 0.5 s (default: 3)")
    parser.add_argument("--dist", help="the build to load (default: dist/ in the project)")


@command("load", "push the build into a triple store (Graph Store Protocol + SPARQL Update), "
         "atomically switched", _configure_load)
def cmd_load(args: argparse.Namespace) -> int:
    from twentyfive.load import LoadError, load_build
    from twentyfive.sparql_http import Endpoints, SparqlClient, StoreError

    reporter = Reporter(args.quiet)
    try:
        endpoints = Endpoints.of(args.store, layout=args.layout, gsp=args.gsp, update=args.update, query=args.query)
        with SparqlClient(endpoints, user=args.user, password=args.password, token=args.token,
                          force_insecure=args.force_insecure, timeout=args.timeout,
                          retries=args.retries, notice=reporter.say) as client:
            report = load_build(project_of(args).dist_dir, client, graphs=args.graph, into=args.into,
                                fingerprints=args.verify == "fingerprint", progress=reporter.say)
    except ValueError as error:  # bad options: an unknown layout, credentials over http://
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except (StoreError, LoadError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_STORE if getattr(error, "store", True) else EXIT_INPUT
    reporter.say(f"loaded {report.triples:,} triples in {len(report.loaded)} graph(s), dropped "
                 f"{len(report.dropped)} stale graph(s) ({reporter.elapsed()})")
    return EXIT_OK


# --- entry point -------------------------------------------------------------------------


def make_parser() -> argparse.ArgumentParser:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
