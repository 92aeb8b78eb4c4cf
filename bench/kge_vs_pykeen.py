"""kgn's embedding models against PyKEEN's pipeline, on the same split, in one run.

    python bench/kge_vs_pykeen.py --dataset nations --model rotate
    python bench/kge_vs_pykeen.py --dataset ../shared/data/fb15k237 --model complex --training 1vsall \\
        --no-peer --max-minutes 30 --batch-size 1024

Both sides get the same model, dimension (PyKEEN's ``embedding_dim``: complex numbers for
ComplEx/RotatE), epochs, negatives per positive (sLCWA) and filtered evaluation (realistic
ranks, both directions, train+valid+test filter; kgn's through ``kg.eval.linkpred``). PyKEEN
runs with its defaults otherwise (Adam, the model's default loss) at the same batch size as kgn
(``--batch-size``; ``--peer-batch-size`` sets PyKEEN's alone); kgn with its own ``--lr``.
Ranked split: test when the data set has one, else valid. ``--set KEY=VALUE`` passes any other
model setting (``KGEConfig``) to kgn's side, e.g. ``--set optimizer=adagrad --n3 0.01`` with
``--training 1vsall`` (Lacroix et al. 2018).

``--rules`` adds rules and "both" (``kgn predict --method both``): rules mined on train (as
``bench/linkpred.py`` does, with its default settings, no tuning), applied over train, and the
rules/embedding mix weight chosen on valid (``neural.graph.combine.choose_weight``); the table
then has rows for kgn's embedding, rules and mix on the ranked split.
Prints MRR, Hits@10, wall time (training + evaluation) and the ratios ours/peer; peak RSS of the
process at the end (it holds both sides when the peer runs).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import torch

from kg.datasets import load_splits
from neural.graph.data import from_splits
from neural.graph.train import train_embeddings
from neural.models.base import parse_settings
from neural.trainer import Callback, TrainerConfig

PYKEEN_NAMES = {"rotate": "RotatE", "complex": "ComplEx", "distmult": "DistMult", "transe": "TransE"}


def run_pykeen(splits, data, model: str, dim: int, epochs: int, negatives: int, seed: int, batch_size: int) -> dict:
    from pykeen.pipeline import pipeline
    from pykeen.triples import TriplesFactory

    ent = {e: i for i, e in enumerate(data.ids.entities)}
    rel = {r: i for i, r in enumerate(data.ids.relations)}

    def factory(split):
        return TriplesFactory.from_labeled_triples(np.array(splits.splits[split], dtype=str), entity_to_id=ent,
                                                   relation_to_id=rel)

    ranked = "test" if "test" in splits.splits else "valid"
    t0 = time.perf_counter()
    result = pipeline(
        training=factory("train"), validation=factory("valid"), testing=factory(ranked),
        model=PYKEEN_NAMES[model], model_kwargs=dict(embedding_dim=dim),
        training_loop="sLCWA", negative_sampler_kwargs=dict(num_negs_per_pos=negatives),
        training_kwargs=dict(num_epochs=epochs, batch_size=batch_size, use_tqdm=False), evaluation_kwargs=dict(use_tqdm=False),
        random_seed=seed, device="cpu",
    )
    wall = time.perf_counter() - t0
    mr = result.metric_results
    return {"MRR": float(mr.get_metric("both.realistic.inverse_harmonic_mean_rank")),
            "Hits@10": float(mr.get_metric("both.realistic.hits_at_10")), "wall": wall, "split": ranked}


class Budget(Callback):
    """Stops training after ``minutes`` (checked at each epoch's end) and echoes progress."""

    def __init__(self, minutes: float | None, verbose: bool):
        self.limit = minutes * 60 if minutes else None
        self.verbose = verbose
        self.t0 = time.perf_counter()

    def on_epoch_end(self, trainer, metrics):
        elapsed = time.perf_counter() - self.t0
        if self.verbose and "val_MRR" in metrics:
            print(f"  kgn epoch {metrics['epoch']:>4}  loss {metrics.get('train_loss', 0):.4f}  "
                  f"valid MRR {metrics['val_MRR']:.4f}  ({elapsed:.0f} s)", flush=True)
        if self.limit is not None and elapsed > self.limit:
            trainer.should_stop = True


def run_kgn(data, args) -> dict:
    cfg = dict(dim=args.dim, negatives=args.negatives, training=args.training)
    if args.margin:
        cfg["margin"] = args.margin
    if args.n3:
        cfg["n3"] = args.n3
    cfg.update(parse_settings(args.set))  # any other KGEConfig field, e.g. optimizer=adagrad
    tcfg = TrainerConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, device=args.device,
                         seed=args.seed, grad_clip=None, eval_every=args.eval_every)
    t0 = time.perf_counter()
    res = train_embeddings(data, args.model, tcfg, cfg, [Budget(args.max_minutes, args.verbose)])
    wall = time.perf_counter() - t0
    ranked = res.test if res.test else res.valid
    return {"MRR": ranked["MRR"], "Hits@10": ranked["Hits@10"], "wall": wall, "train": res.seconds,
            "epochs": res.trainer.epoch, "best_epoch": res.trainer.best["epoch"], "valid_MRR": res.valid.get("MRR"),
            "split": "test" if res.test else "valid", "training": res.model.training_mode, "result": res}


def run_rules(data, res, seed: int) -> dict:
    """Rules mined on train and their mix with the trained embedding, the weight chosen on valid."""
    from kg.eval.linkpred import filtered_ranks
    from kg.reason.predict import ApplySettings, RuleApplier
    from kg.reason.rules import MiningSettings, mine_rules
    from neural.graph.combine import combined_scorer, mix_on_valid, train_index

    train = train_index(data)
    t0 = time.perf_counter()
    rules = mine_rules(train, MiningSettings(3, 2, 0.01, 2000, 5.0, acyclic_len=1, seed=seed))
    mine_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    combo, rule_fn, embed_fn = mix_on_valid(data, res.model, RuleApplier(train, rules, ApplySettings("std", 5.0)))
    known = data.known()
    ranked = data.test if len(data.test) else data.valid
    out = {}
    for name, w in (("kgn rules", 1.0), ("kgn both", combo.weight)):
        fn = rule_fn if name == "kgn rules" else combined_scorer(rule_fn, embed_fn, w)
        out[name] = filtered_ranks(fn, ranked, known, batched=True).metrics()
    return {"rows": out, "weight": combo.weight, "valid": combo.valid_mrr, "rules": len(rules.rules),
            "mine_s": mine_s, "apply_s": time.perf_counter() - t0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="nations", help="kinships, umls, nations or a folder of train/valid/test files")
    ap.add_argument("--model", default="rotate", choices=sorted(PYKEEN_NAMES))
    ap.add_argument("--dim", type=int, default=200)
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--negatives", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--training", default="negatives", help="kgn's regime: negatives (as the peer), 1vsall, kvsall")
    ap.add_argument("--batch-size", type=int, default=512, help="kgn's batch size")
    ap.add_argument("--lr", type=float, default=0.01, help="kgn's learning rate")
    ap.add_argument("--margin", type=float, default=0.0, help="kgn's loss margin (0: the model's default)")
    ap.add_argument("--n3", type=float, default=0.0, help="kgn's N3 regulariser weight")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="kgn model setting (KGEConfig), e.g. --set optimizer=adagrad --set dropout=0.3")
    ap.add_argument("--eval-every", type=int, default=20, help="kgn validates every N epochs (model selection)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="torch threads for both sides (0: torch's default)")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop kgn's training after this long")
    ap.add_argument("--no-peer", action="store_true", help="run kgn only (e.g. FB15k-237 under a time budget)")
    ap.add_argument("--peer-batch-size", type=int, default=None, help="PyKEEN's batch size (default: --batch-size)")
    ap.add_argument("--rules", action="store_true", help="also rules on train and the rules/embedding mix")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    splits = load_splits(args.dataset)
    data = from_splits(splits)
    print(f"{splits.name}: {data.num_entities} entities, {data.num_relations} relations, "
          f"{len(data.train)}/{len(data.valid)}/{len(data.test)} train/valid/test; model {args.model}, "
          f"dim {args.dim}, {args.epochs} epochs, {args.negatives} negatives, {torch.get_num_threads()} threads",
          flush=True)
    peer = None
    if not args.no_peer:
        peer = run_pykeen(splits, data, args.model, args.dim, args.epochs, args.negatives, args.seed,
                          args.peer_batch_size or args.batch_size)
        print(f"  pykeen done: MRR {peer['MRR']:.4f} in {peer['wall']:.1f} s", flush=True)
    ours = run_kgn(data, args)
    mix = run_rules(data, ours["result"], args.seed) if args.rules else None
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"\n{'system':<10}{'split':>7}{'MRR':>8}{'Hits@10':>9}{'wall s':>9}")
    if peer:
        print(f"{'pykeen':<10}{peer['split']:>7}{peer['MRR']:>8.4f}{peer['Hits@10']:>9.4f}{peer['wall']:>9.1f}")
    print(f"{'kgn':<10}{ours['split']:>7}{ours['MRR']:>8.4f}{ours['Hits@10']:>9.4f}{ours['wall']:>9.1f}")
    if mix:
        for name, m in mix["rows"].items():
            print(f"{name:<10}{ours['split']:>7}{m['MRR']:>8.4f}{m['Hits@10']:>9.4f}{'':>9}")
    if peer:
        print(f"{'ours/peer':<10}{'':>7}{ours['MRR'] / peer['MRR']:>8.3f}{ours['Hits@10'] / peer['Hits@10']:>9.3f}"
              f"{ours['wall'] / peer['wall']:>9.3f}")
    print(f"kgn: training {ours['training']}, {ours['epochs']} epochs run ({ours['train']:.1f} s training), "
          f"best valid MRR {ours['valid_MRR']:.4f} at epoch {ours['best_epoch']}; "
          f"batch {args.batch_size}, lr {args.lr}{''.join(' ' + s for s in args.set)}")
    if mix:
        print(f"kgn rules: {mix['rules']} mined on train in {mix['mine_s']:.1f} s; mix weight {mix['weight']:g} "
              f"chosen on valid (valid MRR at weight 0 / 1 / chosen: {mix['valid'][0.0]:.4f} / "
              f"{mix['valid'][1.0]:.4f} / {mix['valid'][mix['weight']]:.4f}; {mix['apply_s']:.1f} s)")
    print(f"peak RSS {rss_gib:.2f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
