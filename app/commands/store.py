"""``kgn import | export | query | entity | stats | demo``: the store and its query layer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KgnError

QUERY_FORMATS = ("table", "csv", "json")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default=None, help="ttl, nt, nq, trig, jsonld, rdf (default: from extension).")
@click.option("--graph", default=None, help="Named graph IRI for triple files (default: one graph per file).")
@click.pass_obj
def import_cmd(obj, files, fmt, graph):
    """Load RDF files; each file is loaded whole or not at all."""
    from rdflib import URIRef
    from tqdm import tqdm

    ws = obj.workspace(write=True)
    store, vocab = ws.store, ws.vocab
    failed = []
    sizes = {f: f.stat().st_size if f.is_file() else 0 for f in files}
    with tqdm(total=sum(sizes.values()), unit="B", unit_scale=True, desc="import",
              disable=None, file=sys.stderr) as bar:
        for f in files:
            target = URIRef(graph) if graph else vocab.file_graph(str(f.resolve()))
            try:
                store.load(f, format=fmt, graph=target)
            except KgnError as exc:
                failed.append(f)
                tqdm.write(f"error: {exc}", file=sys.stderr)
            bar.update(sizes[f])
    loaded = len(files) - len(failed)
    click.echo(f"loaded {loaded} file{'s' if loaded != 1 else ''}; store holds {len(store)} quads", err=True)
    if failed:
        raise KgnError(f"{len(failed)} of {len(files)} files not loaded: {', '.join(map(str, failed))}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "jsonld", "trig"]), default="nq",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.pass_obj
def export_cmd(obj, fmt, output):
    """Write the whole graph (nq, trig, jsonld keep named graphs; ttl, nt merge them)."""
    store = obj.store()
    if output is not None and not output.resolve().parent.is_dir():
        raise KgnError(f"{output}: folder {output.resolve().parent} does not exist")
    if output is None:
        store.dump(sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
    else:
        store.dump(output, fmt)
        click.echo(f"wrote {output}", err=True)


@click.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r"), help="Read the query from a file ('-': stdin).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output.")
@click.option("--json", "as_json", is_flag=True, help="SPARQL results JSON output.")
@click.pass_obj
def query_cmd(obj, sparql, query_file, as_csv, as_json):
    """Run a SPARQL query (kgn's prefixes rdf, rdfs, skos, prov, kgn, e, t, r are predeclared)."""
    from kg.vocab import prefixes

    if query_file is not None:
        sparql = query_file.read()
    if not sparql:
        raise click.UsageError("give a SPARQL query or --file")
    ws = obj.workspace()
    result = ws.store.query(sparql, prefixes=prefixes(ws.vocab))
    if as_csv:
        click.echo(result.to_csv(), nl=False)
    elif as_json:
        click.echo(result.to_json())
    else:
        click.echo(result.to_table())


@click.command("entity")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.pass_obj
def entity_cmd(obj, name, as_json):
    """Look an entity up by label, alias (any case) or IRI: types, neighbours, provenance.

    A name several entities share shows each of them."""
    import dataclasses
    import json

    from kg.errors import UnknownEntityError
    from kg.query import describe_entity

    from app.render import entity_text

    ws = obj.workspace()
    resolver = ws.resolver()
    hits = resolver.lookup(name)
    if not hits:
        raise UnknownEntityError(name, resolver.suggest(name))
    infos = [describe_entity(ws.store, ws.index().entities[i]) for i in hits]
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(i) for i in infos], indent=2, ensure_ascii=False))
        return
    click.echo("\n\n".join(entity_text(info) for info in infos))


@click.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats_cmd(obj, as_json):
    """Counts: quads, distinct triples, graphs, subjects, predicates."""
    import json

    from app.render import stats_text

    stats = obj.store().stats()
    click.echo(json.dumps(stats) if as_json else stats_text(stats))


@click.command("demo")
@click.pass_obj
def demo_cmd(obj):
    """Fill the store from the bundled sample and answer a few questions about it."""
    from app.demo import run_demo

    run_demo(obj.workspace(write=True), echo=click.echo)


def register(group: click.Group) -> None:
    for command in (import_cmd, export_cmd, query_cmd, entity_cmd, stats_cmd, demo_cmd):
        group.add_command(command)
