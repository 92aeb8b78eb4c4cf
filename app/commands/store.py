"""``kgn import | export | query | entity | stats | demo``: the store and its query layer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KgnError

QUERY_FORMATS = ("table", "csv", "json")
# `kgn query`'s default time limit, in seconds (README, "Limits").
DEFAULT_QUERY_TIMEOUT = 60.0


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", default=None, help="ttl, nt, nq, trig, jsonld, rdf (default: from extension).")
@click.option("--graph", default=None, help="Named graph IRI for triple files (default: one graph per file).")
@click.option("--labels", "labels_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="id<TAB>label file naming the entities of .tsv/.csv/.txt triple tables.")
@click.pass_obj
def import_cmd(obj, files, fmt, graph, labels_file):
    """Load RDF files, or head/relation/tail tables (.tsv, .csv, .txt); each file is loaded whole
    or not at all, into its own named graph, replacing what an earlier import of it left."""
    from tqdm import tqdm

    from kg.store._terms import iri
    from kg.store.base import check_rdf_file
    from kg.store.tsv import is_triple_table, load_table, read_labels

    for f in files:
        check_rdf_file(f)  # every path checked before anything is loaded (URLs, FIFOs, missing)
    files = [Path(f) for f in files]
    named = iri(graph) if graph else None  # checked: user text that is not an IRI is an error
    ws = obj.workspace(write=True)
    store, vocab = ws.store, ws.vocab
    labels = read_labels(labels_file) if labels_file else None
    failed = []
    sizes = {f: f.stat().st_size for f in files}
    with tqdm(total=sum(sizes.values()), unit="B", unit_scale=True, desc="import",
              disable=None, file=sys.stderr) as bar:
        for f in files:
            target = named or vocab.file_graph(str(f.resolve()))
            try:
                if fmt is None and is_triple_table(f):
                    load_table(store, f, vocab, target, labels)
                else:
                    store.load(f, format=fmt, graph=target)
            except KgnError as exc:
                if len(files) == 1:
                    raise  # one file: its own error is the one line
                failed.append(f)
                tqdm.write(f"not loaded: {exc}", file=sys.stderr)
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
    if output is not None and not output.parent.is_dir():
        raise KgnError(f"cannot write {output}: folder {output.parent} does not exist")
    store = obj.store()
    if output is not None and not output.resolve().parent.is_dir():
        raise KgnError(f"{output}: folder {output.resolve().parent} does not exist")
    if output is None:
        store.dump(sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
    else:
        try:
            store.dump(output, fmt)
        except OSError as exc:
            raise KgnError(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"wrote {output}", err=True)


@click.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r"), help="Read the query from a file ('-': stdin).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output.")
@click.option("--json", "as_json", is_flag=True, help="SPARQL results JSON output.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_QUERY_TIMEOUT, show_default=True,
              help="Stop the query after this many seconds (0: no limit). Ctrl-C also stops it.")
@click.option("--federated", is_flag=True,
              help="Allow SERVICE clauses (the store then sends HTTP requests to the URLs they name).")
@click.pass_obj
def query_cmd(obj, sparql, query_file, as_csv, as_json, timeout, federated):
    """Run a SPARQL query (kgn's prefixes rdf, rdfs, skos, prov, kgn, e, t, r are predeclared).

    Rows are printed as the engine produces them. Updates are not run here: see `kgn update`.
    """
    from kg.store.base import write_csv, write_json, write_table
    from kg.vocab import prefixes

    sparql = _statement(sparql, query_file)
    ws = obj.workspace()
    stream = ws.store.query_stream(sparql, prefixes=prefixes(ws.vocab), timeout=timeout,
                                   federated=federated)
    out = click.get_text_stream("stdout")
    (write_csv if as_csv else write_json if as_json else write_table)(stream, out)
    if as_json:
        out.write("\n")


@click.command("update")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r"), help="Read the update from a file ('-': stdin).")
@click.option("--yes", is_flag=True, help="Run it: updates change the store and cannot be undone.")
@click.option("--federated", is_flag=True, help="Allow LOAD and SERVICE (the store then fetches URLs).")
@click.pass_obj
def update_cmd(obj, sparql, query_file, yes, federated):
    """Run a SPARQL 1.1 update (INSERT, DELETE, DROP, ...) in one transaction; needs --yes."""
    from kg.store._sparql import statement_kind
    from kg.vocab import prefixes

    sparql = _statement(sparql, query_file)
    if statement_kind(sparql) == "query":
        raise click.UsageError("this is a query, not an update: run it with `kgn query`")
    if not yes:
        raise click.UsageError("an update changes the store and cannot be undone: add --yes to run it")
    ws = obj.workspace(write=True)
    store = ws.store
    before = len(store)
    decls = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes(ws.vocab).items())
    store.update(decls + sparql, federated=federated)
    click.echo(f"done; store holds {len(store)} quads (was {before})", err=True)


def _statement(text: str | None, file) -> str:
    if file is not None:
        text = file.read()
    if not text or not text.strip():
        raise click.UsageError("give a SPARQL statement or --file")
    return text


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
    for command in (import_cmd, export_cmd, query_cmd, update_cmd, entity_cmd, stats_cmd, demo_cmd):
        group.add_command(command)
