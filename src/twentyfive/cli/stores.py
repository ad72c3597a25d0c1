"""Commands for triple stores: load."""

from __future__ import annotations

import argparse
import sys

from twentyfive.cli import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_STORE,
    Reporter,
    command,
    project_of,
)


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
