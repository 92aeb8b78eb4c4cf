"""`kgn path`, `kgn rules mine|show`, `kgn predict`, `kgn infer`: path reasoning over the store.

Mined rules are saved as JSON (``"format": "kgn-rules/1"``) in the workspace's side folder
(``ws.path("rules")``); ``--rules-file`` overrides it.
"""

from __future__ import annotations

from pathlib import Path as FsPath

import click


def _rules_path(ctx: click.Context, given: str | None) -> FsPath:
    return FsPath(given) if given else ctx.obj.workspace().path("rules")


def _index(ctx: click.Context, include_inferred: bool):
    """The one place reasoning commands get the graph index: the workspace's saved index."""
    return ctx.obj.workspace().index(include_inferred=include_inferred)


rules_file_option = click.option("--rules-file", default=None, help="Rules JSON (default: next to the store).")


@click.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--max-len", default=6, show_default=True, type=click.IntRange(1, 20), help="Most hops a path may have.")
@click.option("--k", "k", default=1, show_default=True, type=click.IntRange(min=1), help="How many shortest simple paths.")
@click.option("--all", "all_paths", is_flag=True, help="All simple paths up to --max-len instead.")
@click.option("--inverse/--no-inverse", default=True, show_default=True, help="Walk edges backwards too.")
@click.option("--relation", "relations", multiple=True, help="Only these relations (repeatable).")
@click.option("--entity-type", "entity_types", multiple=True, help="Intermediate entities of these types.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1), help="Most paths printed with --all.")
@click.pass_context
def path_cmd(ctx, source, target, max_len, k, all_paths, inverse, relations, entity_types, limit):
    """How SOURCE is related to TARGET: shortest path(s) between two entities."""
    from kg.reason.paths import all_simple_paths, k_shortest_paths, make_filter

    index = _index(ctx, include_inferred=True)
    flt = make_filter(index, inverse=inverse, relations=relations or None, entity_types=entity_types or None)
    if all_paths:
        paths = all_simple_paths(index, source, target, max_len=max_len, flt=flt, limit=limit)
    else:
        paths = k_shortest_paths(index, source, target, k=k, max_len=max_len, flt=flt)
    from app.render import path_text

    for p in paths:
        click.echo(path_text(p))


@click.group("rules")
def rules_group():
    """Mine and list path rules r1(X,A) ∧ r2(A,Y) ⇒ r(X,Y)."""


def _bytes(value: str) -> int:
    """'4G', '512M', '1.5GiB' or a plain number of bytes."""
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    scale = {"K": 2 ** 10, "M": 2 ** 20, "G": 2 ** 30, "T": 2 ** 40}.get(text[-1:], 1)
    try:
        return int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size such as 4G or 512M") from None


@rules_group.command("mine")
@click.option("--max-len", default=3, show_default=True, type=click.IntRange(1, 3), help="Most body atoms.")
@click.option("--acyclic-len", default=1, show_default=True, type=click.IntRange(0, 2),
              help="Most body atoms of rules with constants (AnyBURL's AC1/AC2); 0: none.")
@click.option("--min-support", default=2, show_default=True, type=click.IntRange(min=1),
              help="Least number of correct predictions.")
@click.option("--min-conf", default=0.1, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Least standard confidence.")
@click.option("--max-rules", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Most rules kept per head relation.")
@click.option("--max-rules-per-constant", default=None, type=click.IntRange(min=1),
              help="Most rules with constants kept per head relation and constant (default: they share "
                   "--max-rules with the closed rules).")
@click.option("--method", type=click.Choice(["auto", "dense", "sampled"]), default="auto", show_default=True,
              help="dense: exact matrix products (small graphs); sampled: path sampling, cost grows with edges.")
@click.option("--time-budget", type=click.FloatRange(min=0.001), default=None,
              help="Seconds of sampled mining (default: until sampling finds no new rules).")
@click.option("--max-memory", default="4G", show_default=True, help="Memory bound for mining (e.g. 4G, 512M).")
@click.option("--seed", default=0, show_default=True)
@rules_file_option
@click.pass_context
def rules_mine(ctx, max_len, acyclic_len, min_support, min_conf, max_rules, max_rules_per_constant, method,
               time_budget, max_memory, seed, rules_file):
    """Mine rules from the stored graph (inferred facts excluded) and save them."""
    from kg.reason.rules import MiningSettings, mine_rules

    index = _index(ctx, include_inferred=False)
    st = MiningSettings(max_len, min_support, min_conf, max_rules, acyclic_len=acyclic_len, method=method,
                        time_budget=time_budget, max_memory=_bytes(max_memory), seed=seed,
                        max_rules_per_constant=max_rules_per_constant)
    rs = mine_rules(index, st, progress=True)
    out = _rules_path(ctx, rules_file)
    rs.save(out)
    why = f", stopped: {rs.stopped}" if rs.stopped and rs.method != "dense" else ""
    click.echo(f"mined {len(rs.rules)} rules from {len(index)} facts in {rs.seconds:.2f} s "
               f"({rs.method}{why}); saved to {out}")


@rules_group.command("show")
@click.option("--relation", default=None, help="Only rules for this head relation.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1), help="Most rules shown.")
@rules_file_option
@click.pass_context
def rules_show(ctx, relation, top, rules_file):
    """List saved rules, best standard confidence first."""
    from kg.reason.errors import UnknownRelationError
    from kg.reason.rules import RuleSet

    rs = RuleSet.load(_rules_path(ctx, rules_file))
    rules = list(rs.rules)
    if relation:
        labels = {r.head_label for r in rules} | {r.head for r in rules}
        if relation not in labels:
            raise UnknownRelationError(relation, {r.head_label for r in rules})
        rules = [r for r in rules if relation in (r.head, r.head_label)]
    rules.sort(key=lambda r: (-r.std_confidence, -r.support, r.length, r.render()))
    click.echo(f"{'std conf':>8} {'pca conf':>8} {'support':>7} {'body':>6}  rule")
    for r in rules[:top]:
        est = "" if r.exact else "  (estimated)"
        click.echo(f"{r.std_confidence:8.3f} {r.pca_confidence:8.3f} {r.support:7d} {r.body_size:6d}  {r.render()}{est}")
    click.echo(f"({min(top, len(rules))} of {len(rules)} rules)")


@click.command("predict")
@click.argument("entity")
@click.argument("relation")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--explain", is_flag=True, help="Show the rules and paths behind each answer.")
@click.option("--heads", is_flag=True, help="Predict heads of (?, RELATION, ENTITY) instead of tails.")
@click.option("--method", type=click.Choice(["rules", "embed", "both"]), default="rules", show_default=True,
              help="rules: the saved rules; embed: the embedding model (kgn embed); both: their mix.")
@click.option("--weight", type=click.FloatRange(0.0, 1.0), default=None,
              help="both: the rules' share of the mix (1: rules first, the embedding ranks ties and the rest; "
                   "default: the weight kgn embed chose on its valid split, else 1).")
@click.option("--confidence", type=click.Choice(["std", "pca"]), default="std", show_default=True)
@click.option("--aggregation", type=click.Choice(["max", "noisy-or"]), default="max", show_default=True,
              help="max: AnyBURL's best rule then tie-breaks; noisy-or: 1 - Π(1 - conf).")
@rules_file_option
@click.option("--model-file", default=None, help="Embedding model file (default: next to the store).")
@click.pass_context
def predict_cmd(ctx, entity, relation, top, explain, heads, method, weight, confidence, aggregation, rules_file,
                model_file):
    """Rank answers to (ENTITY, RELATION, ?) with the saved rules, the embedding model, or both."""
    from app.render import prediction_lines

    if method == "embed":
        from app.commands.embed import embed_predictions

        for n in embed_predictions(ctx, entity, relation, heads, top, model_file):
            click.echo(f"{n.score:.3f}  {n.label}")
        return
    from kg.reason.predict import ApplySettings, RuleApplier, predict
    from kg.reason.rules import RuleSet

    rs = RuleSet.load(_rules_path(ctx, rules_file))
    index = _index(ctx, include_inferred=False)
    applier = RuleApplier(index, rs, ApplySettings(confidence, aggregation=aggregation))
    query = f"(?, {relation}, {entity})" if heads else f"({entity}, {relation}, ?)"
    if method == "both":
        from app.commands.embed import load_embeddings
        from neural.graph.combine import rank_both

        loaded = load_embeddings(ctx, model_file)
        w = weight if weight is not None else float(loaded.payload.get("combination", {}).get("weight", 1.0))
        answers = rank_both(index, applier, loaded, entity, relation, heads=heads, top=top, weight=w, explain=explain)
        click.echo(f"rules weight {w:g}; score = weight × rule confidence + (1 − weight) × embedding softmax")
        for a in answers:
            click.echo(f"{a.score:.3f}  {a.label}  (rule {a.rule_score:.3f}, embedding {a.embed:.3f})")
            if a.rule is not None and explain:
                click.echo("\n".join(prediction_lines(a.rule, explain, heads)[1:]))
        if not answers:
            click.echo(f"no new answer for {query}")
        return
    preds = predict(index, applier, entity, relation, top=top, heads=heads, explain=explain)
    if not preds:
        click.echo(f"no rule predicts a new answer for {query}")
    for p in preds:
        click.echo("\n".join(prediction_lines(p, explain, heads)))


@click.command("infer")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Accept predictions whose best rule has at least this confidence.")
@click.option("--remove", is_flag=True, help="Remove all inferred facts instead.")
@click.option("--dry-run", is_flag=True, help="Print what would be written.")
@click.option("--confidence", type=click.Choice(["std", "pca"]), default="std", show_default=True)
@rules_file_option
@click.pass_context
def infer_cmd(ctx, min_confidence, remove, dry_run, confidence, rules_file):
    """Write predicted facts into the 'inferred' named graph (or remove them all)."""
    from kg.errors import KgnError
    from kg.reason.predict import ApplySettings, infer
    from kg.reason.rules import RuleSet
    from kg.reason.writeback import remove_inferred, write_inferred

    if remove:
        ws = ctx.obj.workspace(write=True)
        vocab = ws.vocab
        remove_inferred(ws.store, vocab)
        click.echo(f"removed graph {vocab.inferred_graph}")
        return
    if min_confidence is None:
        raise KgnError("infer needs --min-confidence C (or --remove)")
    rs = RuleSet.load(_rules_path(ctx, rules_file))
    index = _index(ctx, include_inferred=False)
    preds = infer(index, rs, min_confidence=min_confidence, settings=ApplySettings(confidence))
    for p in preds:
        click.echo(f"{p.score:.3f}  {p.render()}")
    if dry_run:
        click.echo(f"{len(preds)} fact(s) would be written (dry run)")
        return
    ws = ctx.obj.workspace(write=True)
    vocab = ws.vocab
    n = write_inferred(ws.store, preds, vocab, min_confidence=min_confidence)
    click.echo(f"wrote {n} inferred fact(s) to {vocab.inferred_graph}")


def register(group: click.Group) -> None:
    """Add this module's commands to the `kgn` group."""
    for cmd in (path_cmd, rules_group, predict_cmd, infer_cmd):
        group.add_command(cmd)
