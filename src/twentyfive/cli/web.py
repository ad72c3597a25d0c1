"""Commands for the web: serve, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from twentyfive.cli import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_STORE,
    EXIT_VIOLATIONS,
    Reporter,
    command,
    project_of,
)
from twentyfive.cli.data import cmd_build


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
    if not args.store:  # made once per build; every query worker then opens it read-only
        from twentyfive.store_disk import prepare

        prepare(project.dist_dir, reporter.say)
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
