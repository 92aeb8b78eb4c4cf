"""`kgn extract`: documents to the knowledge graph (issue 3)."""

from __future__ import annotations

import click


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes that parse (this process writes).")
@click.option("--batch-size", "-b", type=click.IntRange(min=1), default=64, show_default=True,
              help="Documents per nlp.pipe batch / per task.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786): parse on the cluster, write here.")
@click.option("--relations", default="rules", show_default=True, metavar="METHOD[+METHOD]",
              help="Relation method(s): rules, neural:CHECKPOINT (from `kgn train relation`), or a "
                   "combination such as rules+neural:CHECKPOINT.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Learned methods: keep a relation only at this probability or above (default 0.5).")
@click.option("--schema", "schema", type=click.Path(dir_okay=False), default=None,
              help="YAML or Turtle file mapping relation patterns onto your own properties.")
@click.option("--spacy-model", "spacy_model", default=None, metavar="NAME|DIR",
              help="spaCy pipeline to parse with: a package name or a folder, e.g. one from `kgn train ner` "
                   "(default: en_core_web_sm).")
@click.option("--label-roles", "label_roles", default=None, metavar="LABEL=ROLE[,...]",
              help="What the spaCy model's entity labels are to the extractor, e.g. "
                   "Peop=person,Loc=place,Org=organisation (default: the map saved by `kgn train ner`, "
                   "else en_core_web_sm's OntoNotes labels).")
@click.option("--report", "report", type=click.Path(dir_okay=False), default=None,
              help="Where to write skipped documents and why (default: the workspace's side folder).")
@click.option("--ledger", "ledger", type=click.Path(dir_okay=False), default=None,
              help="Ledger of finished documents (default: the workspace's side folder).")
@click.option("--doc-id", "identity", type=click.Choice(["path", "content"]), default="path", show_default=True,
              help="What makes two documents the same: the resolved file path, or the text's hash.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="Skip documents larger than this.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
@click.pass_obj
def extract(obj, paths, jobs, batch_size, scheduler, relations, min_confidence, schema, spacy_model, label_roles,
            report, ledger, identity, max_bytes, progress):
    """Extract entities and relations from PATHS (files, directories, globs, .jsonl) into the store.

    One named graph per document; a ledger makes a killed job resume; bad documents are skipped
    and listed in the report. Exits 0 unless nothing could be read.
    """
    import os
    import sys

    from kg.errors import KgnError

    specs = _relation_specs(relations, min_confidence)
    from kg.extract import ExtractorSettings
    from kg.extract.job import run_job
    from kg.extract.roles import LabelRoles

    roles = LabelRoles.parse(label_roles) if label_roles else None  # a bad map fails before any work
    if schema is not None:
        from kg.extract.schema import load_schema

        load_schema(schema)  # a bad file fails here, with one line, before any work
        schema = os.path.abspath(schema)
    if spacy_model is not None:
        from kg.extract.nlp import load_nlp

        if os.path.isdir(spacy_model):  # workers (other folders, Dask) get the same pipeline
            spacy_model = os.path.abspath(spacy_model)
        elif os.sep in spacy_model or os.path.exists(spacy_model):
            raise KgnError(f"--spacy-model {spacy_model}: not a spaCy pipeline folder")
        load_nlp(spacy_model)  # a missing model fails here, with one line, before any work
    ws = obj.workspace(write=True)
    if progress is None:
        progress = sys.stderr.isatty()
    settings = ExtractorSettings(relations=specs, schema=schema, model=spacy_model, label_roles=roles)
    summary = run_job(ws, paths, settings, jobs=jobs,
                      batch_size=batch_size, scheduler=scheduler,
                      ledger=ledger if ledger else True, report=report if report else True,
                      max_bytes=max_bytes, progress=progress, identity=identity)
    click.echo(summary.line())
    for s in summary.skipped[:20]:
        click.echo(f"skipped {s.source}: {s.reason}", err=True)
    if len(summary.skipped) > 20:
        click.echo(f"... and {len(summary.skipped) - 20} more skipped (see the report)", err=True)
    if summary.read == 0:
        raise KgnError(f"nothing could be read from {', '.join(paths)}")


def _relation_specs(relations: str, min_confidence: float | None):
    """The relation methods asked for, checked before anything starts. The neural package
    registers its ``neural`` method here (kg itself never imports neural)."""
    from kg.errors import KgnError
    from kg.extract.relations import method_factory, parse_methods
    from neural.relation import register as register_neural

    register_neural()
    specs = parse_methods(relations)
    for spec in specs:
        method_factory(spec.name)  # unknown names: one line listing the choices
    if min_confidence is not None:
        learned = [s for s in specs if s.name != "rules"]
        if not learned:
            raise KgnError(f"--min-confidence applies to learned methods (e.g. neural:CHECKPOINT), not to {relations!r}")
        specs = tuple(s.with_options(min_confidence=min_confidence) if s.name != "rules" else s for s in specs)
    return specs


def register(group: click.Group) -> None:
    """Add this module's commands to the `kgn` group."""
    group.add_command(extract)
