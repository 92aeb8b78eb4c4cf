"""Re-DocRED dev: kgn's extractor end to end on Wikipedia introductions.

Each document's tokens are joined into text (kg.eval.redocred.detokenize) and run through kgn's
extractor as one document. Printed: mention P/R/F1 (exact span, named mentions), grouping (MUC,
B-cubed, different-name link recall and precision, several-name cluster recall, merge rate), type
accuracy under the fixed map kg.eval.redocred.TYPE_MAP, and relation pair recall/precision (see
kg.eval.redocred for every definition). Nothing is learned from the data.

    .venv/bin/python bench/redocred.py [--data ../shared/data/redocred/dev_revised.json]
        [--limit N] [--part all|even|odd] [--sample FILE --sample-n 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from kg.eval.redocred import TYPE_MAP, PredDoc, Scores, read_redocred, score_doc

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [("diff_name_link_recall", ">=", 0.60), ("merge_rate", "<=", 0.03),
           ("muc_f1", ">=", 0.92), ("type_accuracy", ">=", 0.80), ("pair_recall", ">=", 0.20),
           ("pair_precision", ">=", 0.50)]
_AMOUNT = {"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"}
_META = {"type", "subclass of"}
# pronoun mentions of an entity (kept in its provenance) are not names
_PRONOUNS = {"he", "she", "him", "his", "her", "hers", "it", "its", "they", "them", "their"}


def prediction(result) -> PredDoc:
    """kgn's DocResult as the scorer's PredDoc (named mentions: those of entities with a named
    NER label, written with a capital and not a pronoun; "the ..." mentions are not names)."""
    mentions, types, spans_of = [], {}, {}
    for i, e in enumerate(result.entities):
        types[i] = e.label
        spans_of[e.name] = [(s, t) for s, t, _ in e.mentions]
        if e.label and e.label not in _AMOUNT:
            mentions += [(s, t, i) for s, t, text in e.mentions
                         if text[:1].isupper() and text.casefold() not in _PRONOUNS]
    pairs = []
    for t in result.triples:
        if t.predicate in _META:
            continue
        subj = spans_of.get(t.subject, [])
        obj = spans_of.get(t.object, [])
        span = getattr(t, "object_span", None)  # a literal object: its own span
        if span is not None:
            obj = [tuple(span)]
        if subj and obj:
            pairs.append((subj, obj))
    return PredDoc(mentions, types, pairs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/redocred/dev_revised.json"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument("--part", choices=("all", "even", "odd"), default="all",
                    help="documents by index: the even ones were read while developing the "
                    "grouping and typing rules, the odd ones were not")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--sample", help="write a random sample of extracted triples (JSON lines) here")
    ap.add_argument("--sample-n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.time()

    from kg.extract import Extractor, ExtractorSettings, load_nlp

    docs = read_redocred(args.data, args.limit)
    if args.part != "all":
        docs = [d for i, d in enumerate(docs) if i % 2 == (args.part == "odd")]
    ex = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
    scores = Scores()
    sample_pool = []
    n_ent = n_triples = n_words = 0
    results = ex.extract_many(((str(i), d.text) for i, d in enumerate(docs)),
                              batch_size=args.batch_size)
    for gold, res in zip(docs, results):
        score_doc(gold, prediction(res), scores)
        n_ent += len(res.entities)
        n_triples += len(res.triples)
        n_words += res.words
        sample_pool += [(res.doc_id, t) for t in res.triples]
    tab = scores.table()
    c = scores.counts

    print("Re-DocRED end to end, kgn rules extractor (spaCy en_core_web_sm)")
    print(f"command: {' '.join([os.path.relpath(sys.executable), *sys.argv])}")
    print(f"data: {args.data} ({args.part} documents): {len(docs)} documents, {n_words} words; kgn: {n_ent} entities, "
          f"{n_triples} statements; {time.time() - t0:.0f} s")
    print(f"type map (fixed): {', '.join(f'{k}->{v}' for k, v in TYPE_MAP.items())}")
    rows = [
        ("mentions (exact span, named)", f"P {tab['mention_p']:.3f}  R {tab['mention_r']:.3f}  "
         f"F1 {tab['mention_f1']:.3f}   ({c['mention_tp']}/{c['mention_gold']} gold found)"),
        ("grouping MUC", f"P {tab['muc_p']:.3f}  R {tab['muc_r']:.3f}  F1 {tab['muc_f1']:.3f}"),
        ("grouping B-cubed", f"P {tab['b3_p']:.3f}  R {tab['b3_r']:.3f}  F1 {tab['b3_f1']:.3f}"),
        ("different-name link recall", f"{tab['diff_name_link_recall']:.3f}   "
         f"({c['diff_linked']}/{c['diff_pairs']} same-entity pairs with different text)"),
        ("different-name link precision", f"{tab['diff_name_link_precision']:.3f}   "
         f"({c['diff_pred_right']}/{c['diff_pred']})"),
        ("several-name cluster recall", f"{tab['several_name_cluster_recall']:.3f}   "
         f"({c['multi_together']}/{c['multi_entities']} entities kept together)"),
        ("merge rate (wrong links)", f"{tab['merge_rate']:.3f}   ({c['links_wrong']}/{c['links_pred']})"),
        ("type accuracy", f"{tab['type_accuracy']:.3f}   ({c['type_right']}/{c['type_total']})"),
        ("relation pairs", f"P {tab['pair_precision']:.3f}  R {tab['pair_recall']:.3f}  "
         f"F1 {tab['pair_f1']:.3f}   ({c['pair_tp']} right; {c['pair_pred_mapped']} mapped of "
         f"{c['pair_pred']} predicted pairs; {c['pair_gold']} gold)"),
        ("relation pairs, unmapped = wrong", f"P {tab['pair_precision_all']:.3f}"),
    ]
    for name, value in rows:
        print(f"  {name:<34}{value}")
    for key, op, target in TARGETS:
        v = tab[key]
        ok = v >= target if op == ">=" else v <= target
        print(f"  target {key} {op} {target}: {v:.3f} {'met' if ok else 'NOT met'}")
    if args.sample:
        rng = random.Random(args.seed)
        picked = rng.sample(sample_pool, min(args.sample_n, len(sample_pool)))
        with open(args.sample, "w", encoding="utf-8") as fh:
            for doc_id, t in picked:
                fh.write(json.dumps({"doc": doc_id, "s": t.subject, "p": t.predicate,
                                     "o": t.object, "sentence": t.sentence}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
