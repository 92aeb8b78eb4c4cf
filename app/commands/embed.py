"""`kgn embed`, `kgn similar`, `kgn embed-map`, `kgn embed-predict`: graph embeddings of the store.

The model file (default: ``embeddings.ckpt`` in the workspace's ``models`` side folder;
``--model-file`` overrides it) is a kgn checkpoint with the entity/relation id maps (format in :mod:`neural.graph.train`). torch is imported inside
the commands so that `kgn --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path as FsPath

import click

model_file_option = click.option("--model-file", default=None, help="Embedding model file (default: next to the store).")


# -- the glue to the workspace: the only two functions that know where the graph and files live -----
def _graph_index(ctx: click.Context):
    """The workspace's persistent graph index (stated facts only)."""
    return ctx.obj.workspace().index(include_inferred=False)


def _model_path(ctx: click.Context, given: str | None) -> FsPath:
    if given:
        return FsPath(given)
    return FsPath(ctx.obj.workspace().path("embeddings"))


def load_embeddings(ctx: click.Context, given: str | None):
    """The saved embedding model of the workspace (or ``--model-file``)."""
    from kg.errors import KgnError
    from neural.graph.train import load_model

    path = _model_path(ctx, given)
    if not given and not path.exists():
        raise KgnError(f"no embedding model at {path}: train one with `kgn embed`")
    return load_model(path)


def _resolve(loaded, index, name: str) -> int:
    """Model row of an entity given by IRI, label or alias (resolved on the store's index)."""
    from kg.reason.errors import UnknownEntityError

    iri = index.entities[index.resolve_entity(name)] if index is not None else name
    i = loaded.ids.entity_id(iri)
    if i is None:
        raise UnknownEntityError(name, [lab for lab in loaded.labels])
    return i


@click.command("embed")
@click.option("--model", "model_name", default="rotate", show_default=True,
              help="transe, distmult, complex, rotate, rgcn, compgcn or gae.")
@click.option("--dim", default=200, show_default=True, type=int)
@click.option("--epochs", default=200, show_default=True, type=int)
@click.option("--batch-size", default=512, show_default=True, type=int)
@click.option("--lr", default=0.01, show_default=True, type=float)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N or mps.")
@click.option("--valid", "valid_share", default=0.1, show_default=True, type=float, help="Share of facts held out for model selection.")
@click.option("--test", "test_share", default=0.1, show_default=True, type=float, help="Share of facts held out for the test score.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE", help="Model setting, e.g. --set training=1vsall.")
@click.option("--map", "map_file", default=None, help="Also write the 2-D PCA map of the entities (JSON) here.")
@click.option("--quiet", is_flag=True)
@click.option("--rules-file", default=None,
              help="Rules to mix with the embedding for `kgn predict --method both` (default: the saved rules, "
                   "if any); the mix weight is chosen on the valid split.")
@model_file_option
@click.pass_context
def embed_cmd(ctx, model_name, dim, epochs, batch_size, lr, device, valid_share, test_share, seed, settings,
              map_file, quiet, rules_file, model_file):
    """Train graph embeddings on the store and save them (with their id maps)."""
    from neural.graph.analysis import export_map
    from neural.graph.data import from_index
    from neural.graph.models import kge_class
    from neural.graph.train import load_model, save_model, train_embeddings
    from neural.models.base import parse_settings
    from neural.trainer import Callback, TrainerConfig

    kge_class(model_name)  # unknown names fail before the store is read
    data = from_index(_graph_index(ctx), valid=valid_share, test=test_share, seed=seed, name="store")

    class Echo(Callback):
        def on_epoch_end(self, trainer, metrics):
            if not quiet and "val_MRR" in metrics:
                click.echo(f"epoch {metrics['epoch']:>4}  loss {metrics.get('train_loss', 0.0):.4f}  "
                           f"valid MRR {metrics['val_MRR']:.4f}")

    click.echo(f"training {model_name} on {data.num_entities} entities, {data.num_relations} relations, "
               f"{len(data.train)}/{len(data.valid)}/{len(data.test)} train/valid/test facts")
    cfg = {"dim": dim, **parse_settings(settings)}
    tcfg = TrainerConfig(epochs=epochs, batch_size=batch_size, lr=lr, device=device, seed=seed, grad_clip=None,
                         eval_every=max(1, epochs // 20))
    res = train_embeddings(data, model_name, tcfg, cfg, [Echo()])
    for split, m in (("valid", res.valid), ("test", res.test)):
        if m:
            click.echo(f"{split}: MRR {m['MRR']:.4f}  Hits@1 {m['Hits@1']:.4f}  Hits@3 {m['Hits@3']:.4f}  "
                       f"Hits@10 {m['Hits@10']:.4f}")
    rules_path = FsPath(rules_file) if rules_file else FsPath(ctx.obj.workspace().path("rules"))
    if len(data.valid) and (rules_file or rules_path.exists()):
        _choose_mix(res, rules_path)
    path = save_model(_model_path(ctx, model_file), res)
    click.echo(f"saved {path} ({res.seconds:.1f} s training)")
    if map_file:
        click.echo(f"map: {export_map(load_model(path), map_file)}")


MIX_SAMPLE = 2000  # most valid facts the rules/embedding weight is chosen on


def _choose_mix(res, rules_path: FsPath) -> None:
    """Choose the rules/embedding mix weight on the valid split, with the rules applied over the
    train facts only, and keep it with the model (``combination``)."""
    from kg.eval.linkpred import filtered_ranks
    from kg.reason.predict import RuleApplier
    from kg.reason.rules import RuleSet
    from neural.graph.combine import combined_scorer, mix_on_valid, train_index

    import numpy as np

    data = res.data
    valid = data.valid
    if len(valid) > MIX_SAMPLE:  # a big store: the weight is chosen on a fixed random sample
        valid = valid[np.sort(np.random.default_rng(0).choice(len(valid), MIX_SAMPLE, replace=False))]
    applier = RuleApplier(train_index(data), RuleSet.load(rules_path))
    combo, rule_fn, embed_fn = mix_on_valid(data, res.model, applier, valid)
    res.extra["combination"] = combo.to_dict()
    line = (f"rules + embedding: weight {combo.weight:g} chosen on valid (valid MRR: rules first "
            f"{combo.valid_mrr[1.0]:.4f}, embedding {combo.valid_mrr[0.0]:.4f}, mix {combo.best_mrr:.4f})")
    if 0 < len(data.test) <= MIX_SAMPLE:
        test = filtered_ranks(combined_scorer(rule_fn, embed_fn, combo.weight), data.test, data.known(),
                              batched=True)
        res.extra["combination"]["test_MRR"] = test.metrics()["MRR"]
        line += f"; test MRR of the mix {test.metrics()['MRR']:.4f}"
    click.echo(line)


@click.command("similar")
@click.argument("entity")
@click.option("--top", default=10, show_default=True)
@model_file_option
@click.pass_context
def similar_cmd(ctx, entity, top, model_file):
    """Entities nearest to ENTITY in the embedding space (cosine similarity)."""
    from neural.graph.analysis import similar

    loaded = load_embeddings(ctx, model_file)
    for n in similar(loaded, _resolve(loaded, _graph_index(ctx), entity), top):
        click.echo(f"{n.score:.3f}  {n.label}")


@click.command("embed-map")
@click.argument("out")
@model_file_option
@click.pass_context
def embed_map_cmd(ctx, out, model_file):
    """Write the entities' 2-D PCA map (JSON: format kgn-embedding-map/1) to OUT."""
    from neural.graph.analysis import export_map

    click.echo(f"wrote {export_map(load_embeddings(ctx, model_file), out)}")


def embed_predictions(ctx, entity: str, relation: str, heads: bool, top: int, model_file: str | None = None):
    """Embedding answers to (ENTITY, RELATION, ?) as (label, score) pairs; `kgn predict --method
    embed` calls this (and neural.graph.combine for --method both)."""
    from kg.reason.errors import UnknownRelationError
    from neural.graph.analysis import predict_links

    loaded = load_embeddings(ctx, model_file)
    index = _graph_index(ctx)
    e = _resolve(loaded, index, entity)
    r = loaded.ids.relation_id(index.relations[index.resolve_relation(relation)])
    if r is None:
        raise UnknownRelationError(relation, loaded.ids.relations)
    return predict_links(loaded, e, r, heads=heads, top=top)


@click.command("embed-predict")
@click.argument("entity")
@click.argument("relation")
@click.option("--top", default=10, show_default=True)
@click.option("--heads", is_flag=True, help="Predict heads of (?, RELATION, ENTITY) instead of tails.")
@model_file_option
@click.pass_context
def embed_predict_cmd(ctx, entity, relation, top, heads, model_file):
    """Likely missing answers to (ENTITY, RELATION, ?) by the embedding model, with its scores."""
    for n in embed_predictions(ctx, entity, relation, heads, top, model_file):
        click.echo(f"{n.score:.3f}  {n.label}")


def register(group: click.Group) -> None:
    """Add this module's commands to the `kgn` group."""
    for cmd in (embed_cmd, similar_cmd, embed_map_cmd, embed_predict_cmd):
        group.add_command(cmd)
