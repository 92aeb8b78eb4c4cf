"""CoNLL04: kgn's rule extractor, entity F1 and strict relation F1 on the validation split.

Each sentence's tokens are joined with spaces and run through kgn's extractor; entity mentions
(character offsets) go back to token spans. Two maps, both LEARNED FROM THE TRAIN SPLIT ONLY:

* entity type: spaCy NER label (or "concept" for noun-chunk entities) -> the CoNLL04 type
  (Peop/Loc/Org/Other) that a train mention with exactly the gold span has most often; a label
  whose mentions are most often not a gold entity is dropped;
* relation: (kgn predicate, head type, tail type), backing off to (head type, tail type) ->
  the CoNLL04 relation (and direction) between the two gold entities most often in train, kept
  only when right in at least ``tau`` of that key's train occurrences (``tau`` picked on train:
  learn on one half, score the other).

Scores are SpERT's: micro P/R/F1, entities by boundaries + type, relations strict (both
argument spans and types and the relation type). Every relation type is printed, zeros too.

    .venv/bin/python bench/conll04.py [--train ../shared/data/conll04/train.CoNLL04.json]
        [--valid ../shared/data/conll04/valid.CoNLL04.json]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from kg.eval.conll04 import (ENTITY_TYPES, RELATION_TYPES, MajorityMap, Prediction,
                             read_conll04, score)

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED_REL_F1 = [("SpERT", 71.5), ("Table-Sequence", 73.6), ("REBEL", 75.4)]
TAUS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
CONCEPT = "concept"
PRONOUNS = {"he", "she", "him", "his", "her", "hers", "it", "its", "they", "them", "their"}


def mentions_of(sentence, result):
    """{entity name: [(tok_start, tok_end, char_start, char_end)]} and {name: NER label}."""
    spans, labels = {}, {}
    # amounts are literals now (kept in result.literals); pronouns that stand for an entity are
    # in its mentions but are not entity mentions in CoNLL04's sense
    for e in result.entities + getattr(result, "literals", []):
        labels[e.name] = e.label or CONCEPT
        out = []
        for start, end, _text in e.mentions:
            if _text.casefold() in PRONOUNS:
                continue
            tok = sentence.char_span_to_tokens(start, end)
            if tok:
                out.append((tok[0], tok[1], start, end))
        spans[e.name] = out
    return spans, labels


def closest(mentions, start, end):
    """The mention inside (or nearest to) the statement's character span [start, end)."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: (not (start <= m[2] and m[3] <= end),
                                        abs(m[2] - start)))[:2]


def rel_keys(pred, ht, tt):
    return [(pred, ht, tt), ("*", ht, tt)]


def learn(rows, tau):
    """Type map and relation map from (sentence, result) train rows."""
    types = MajorityMap(min_count=3)
    for sent, res in rows:
        gold = {(s, e): t for s, e, t in sent.entities}
        spans, labels = mentions_of(sent, res)
        for name, ms in spans.items():
            for s, e, _, _ in ms:
                types.add([(labels[name],)], gold.get((s, e)))
    rels = MajorityMap(min_count=2, min_share=tau)
    for sent, res in rows:
        gold_rel = {}
        for a, b, c, d, r in sent.relations:
            gold_rel[((a, b), (c, d))] = (r, "fwd")
            gold_rel.setdefault(((c, d), (a, b)), (r, "inv"))
        for k, ht, h, tt, t in typed_args(sent, res, types):
            rels.add(rel_keys(k, ht, tt), gold_rel.get((h, t)))
    return types, rels


def typed_args(sent, res, types):
    """(predicate, head type, head span, tail type, tail span) of each extracted triple whose
    arguments have a mention and a CoNLL04 type."""
    spans, labels = mentions_of(sent, res)
    for t in res.triples:
        h = closest(spans.get(t.subject), t.start, t.end)
        o = closest(spans.get(t.object), t.start, t.end)
        ht, tt = types.get([(labels.get(t.subject),)]), types.get([(labels.get(t.object),)])
        if h and o and h != o and ht and tt:
            yield t.predicate, ht, tuple(h), tt, tuple(o)


def typed_entities(sent, res, types) -> dict:
    """Token span -> predicted CoNLL04 type of the mentions kgn extracted (the first type wins)."""
    spans, labels = mentions_of(sent, res)
    ents = {}
    for name, ms in spans.items():
        ty = types.get([(labels[name],)])
        if ty:
            for s, e, _, _ in ms:
                ents.setdefault((s, e), ty)
    return ents


def predict(sent, res, types, rels) -> Prediction:
    ents = typed_entities(sent, res, types)
    out = set()
    for k, ht, h, tt, t in typed_args(sent, res, types):
        got = rels.get(rel_keys(k, ht, tt))
        if got:
            r, direction = got
            if direction == "inv":
                (h, ht), (t, tt) = (t, tt), (h, ht)
            out.add((h[0], h[1], ht, t[0], t[1], tt, r))
    return Prediction(tuple((s, e, ty) for (s, e), ty in ents.items()), tuple(sorted(out)))


def choose_tau(rows, seed):
    rng = random.Random(seed)
    idx = list(range(len(rows)))
    rng.shuffle(idx)
    half = set(idx[: len(idx) // 2])
    fit = [r for i, r in enumerate(rows) if i not in half]
    test = [r for i, r in enumerate(rows) if i in half]
    f1 = {}
    for tau in TAUS:
        types, rels = learn(fit, tau)
        f1[tau] = score([s for s, _ in test], [predict(s, r, types, rels) for s, r in test]).relations.f1
    return max(f1, key=lambda t: (f1[t], -t)), f1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data = ROOT.parent / "shared/data/conll04"
    ap.add_argument("--train", default=str(data / "train.CoNLL04.json"))
    ap.add_argument("--valid", default=str(data / "valid.CoNLL04.json"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.time()

    from kg.extract import Extractor, ExtractorSettings, load_nlp

    ex = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
    train, valid = read_conll04(args.train), read_conll04(args.valid)

    def run(sents):
        res = ex.extract_many(((str(i), s.text) for i, s in enumerate(sents)))
        return list(zip(sents, res))

    train_rows, valid_rows = run(train), run(valid)
    tau, tau_f1 = choose_tau(train_rows, args.seed)
    types, rels = learn(train_rows, tau)
    preds = [predict(s, r, types, rels) for s, r in valid_rows]
    sc = score(valid, preds)

    print("CoNLL04 (valid split), kgn rules extractor (spaCy en_core_web_sm, no transformer)")
    print(f"command: {' '.join([os.path.relpath(sys.executable), *sys.argv])}")
    print(f"valid: {args.valid}: {len(valid)} sentences, {sc.entities.n_gold} entities, "
          f"{sc.relations.n_gold} relations; kgn triples "
          f"{sum(len(r.triples) for _, r in valid_rows)}")
    print(f"maps learned from train ({len(train)} sentences): entity types "
          + ", ".join(f"{k[0]}->{v}" for k, v in types.table().items() if v)
          + "; dropped: " + ", ".join(k[0] for k, v in types.table().items() if not v))
    print(f"relation map: tau={tau} chosen on held-out train (relation F1 by tau: "
          + ", ".join(f"{t}: {f:.3f}" for t, f in tau_f1.items()) + "); learned keys: "
          + ", ".join(f"{k[0]}({k[1]},{k[2]})->{v[0]}{'^-1' if v[1] == 'inv' else ''}"
                      for k, v in sorted(rels.table(3).items(), key=str) if v and k[0] == "*"))
    print(f"{'':<22}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}{'tp':>5}")

    def row(name, c):
        print(f"{name:<22}{100 * c.precision:>7.1f}{100 * c.recall:>7.1f}{100 * c.f1:>7.1f}"
              f"{c.n_gold:>6}{c.n_pred:>6}{c.tp:>5}")

    row("entities (micro)", sc.entities)
    for t in ENTITY_TYPES:
        row(f"  {t}", sc.entities_by_type[t])
    row("relations strict", sc.relations)
    for t in RELATION_TYPES:
        row(f"  {t}", sc.relations_by_type[t])
    print(f"relations strict macro F1: {100 * sc.relation_macro_f1:.1f}")
    print("published strict relation F1 (micro), all with pretrained transformers:")
    for name, ref in PUBLISHED_REL_F1:
        print(f"  {name:<16}{ref:>6.1f}   kgn/ref = {100 * sc.relations.f1 / ref:.2f}")
    print(f"time {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
