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


@rules_group.command("mine")
@click.option("--max-len", default=3, show_default=True, type=click.IntRange(1, 3), help="Most body atoms.")
@click.option("--min-support", default=2, show_default=True, type=click.IntRange(min=1),
              help="Least number of correct predictions.")
@click.option("--min-conf", default=0.1, show_default=True, type=click.FloatRange(0.0, 1.0),
              help="Least standard confidence.")
@click.option("--max-rules", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Most rules kept per head relation.")
@rules_file_option
@click.pass_context
def rules_mine(ctx, max_len, min_support, min_conf, max_rules, rules_file):
    """Mine rules from the stored graph (inferred facts excluded) and save them."""
    from kg.reason.rules import MiningSettings, mine_rules

    index = _index(ctx, include_inferred=False)
    rs = mine_rules(index, MiningSettings(max_len, min_support, min_conf, max_rules))
    out = _rules_path(ctx, rules_file)
    rs.save(out)
    click.echo(f"mined {len(rs.rules)} rules from {len(index)} facts in {rs.seconds:.2f} s; saved to {out}")


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
        click.echo(f"{r.std_confidence:8.3f} {r.pca_confidence:8.3f} {r.support:7d} {r.body_size:6d}  {r.render()}")
    click.echo(f"({min(top, len(rules))} of {len(rules)} rules)")


@click.command("predict")
@click.argument("entity")
@click.argument("relation")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--explain", is_flag=True, help="Show the rules and paths behind each answer.")
@click.option("--heads", is_flag=True, help="Predict heads of (?, RELATION, ENTITY) instead of tails.")
@click.option("--confidence", type=click.Choice(["std", "pca"]), default="std", show_default=True)
@rules_file_option
@click.pass_context
def predict_cmd(ctx, entity, relation, top, explain, heads, confidence, rules_file):
    """Rank answers to (ENTITY, RELATION, ?) with the saved rules."""
    from kg.reason.predict import ApplySettings, predict
    from kg.reason.rules import RuleSet

    rs = RuleSet.load(_rules_path(ctx, rules_file))
    index = _index(ctx, include_inferred=False)
    preds = predict(index, rs, entity, relation, top=top, heads=heads, explain=explain,
                    settings=ApplySettings(confidence))
    if not preds:
        click.echo(f"no rule predicts a new answer for ({entity}, {relation}, ?)" if not heads
                   else f"no rule predicts a new answer for (?, {relation}, {entity})")
    from app.render import prediction_lines

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
