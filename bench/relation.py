"""Relation classifiers: CNN, PCNN, Att-BLSTM, Transformer against kgn's rule method, one table.

Each model trains with a fixed seed on CPU (one torch thread: on the 2-core shared machines two
spinning intra-op threads are far slower) through the one Trainer; the best epoch is chosen on
the val split, never on the reported one. Splits are those of :mod:`neural.relation.readers`:

* SemEval-2010 Task 8: reported on "dev" = training-file sentences with id % 10 == 0 (800);
  official macro-F1 (9 relations, direction counted, Other excluded) and 19-way accuracy.
* CoNLL04: reported on valid.CoNLL04.json, STRICT relation F1 end to end: entities are kgn's
  extractor's mentions, typed by maps learned on train (the type a mention's text had most often
  as a gold entity, backing off to the NER-label map of bench/conll04.py) and moved to CoNLL04's
  boundary conventions by kg.eval.conll04.BoundaryFixes (learned on train); every pair of typed
  entities in a sentence is classified; decoding is type-constrained (neural.relation.decode:
  the best label whose (relation, subject type, object type) train has) or argmax-then-filter,
  with the "no relation" probability scaled by a weight (NEGATIVE_WEIGHTS); the pair of choices
  that is best end to end on the classifier's val sentences (every 10th of the train file) is
  used on valid. Also printed: the label-map-only entities (the earlier setting), and strict F1 with the
  GOLD entities as candidates (what the entity side costs). The rule row is bench/conll04.py's
  learned predicate map. With ``--ner train`` (the default) a second entity source is scored: spaCy's
  ner of en_core_web_sm trained further on the train file's gold entities (kg.extract.ner_training;
  every 10th train sentence, the classifier's val split, held out for early stopping), loaded by
  kgn's extractor as ``ExtractorSettings(model=FOLDER)``; its entities are either the extractor's
  mentions typed by their NER label or the pipeline's raw ``doc.ents``, whichever is better end
  to end on the val sentences ("MODEL+ner" rows, next to the spaCy-sm + maps rows).
* Re-DocRED: models train on same-sentence pairs of gold mentions of dev_revised.json documents
  with index % 5 not 4 (val: index % 10 == 3); reported on the documents with index % 5 == 4
  (100), END TO END: kgn's extractor reads each document's text, its entities map onto gold
  entities (mention IoU >= 0.5), and each typed, directed statement (h, t, relation) is scored
  against ALL gold statements of the document (micro P/R/F1; cross-sentence ones count as
  misses). The rule row maps kgn's rule predicates to Re-DocRED relations (with direction) by
  majority over the train documents. A second row gives pair F1 on gold mentions.

Rule rows for SemEval (and Re-DocRED's gold-mention row): kgn's rule extractor on each sentence; a triple whose two
arguments overlap the two marked spans gives the key (predicate, direction), mapped to the
label it has most often in train (kg.eval.conll04.MajorityMap); otherwise the negative label.
Word embeddings start random unless ``--word-vectors SPACY_MODEL`` gives static vectors (a
spaCy model with vectors, by name or folder; none is a project dependency).
``--tags pos,dep,ner,sdp`` adds spaCy parse tags as embedded inputs (POS, dependency label,
NER label, on the shortest dependency path). ``--spacy-vectors on|both`` adds
spaCy's own 96-d token vectors (tok2vec output of en_core_web_sm, installed locally; computed
once per split and cached under runs/bench-relation/cache); "both" prints each model without
and with them ("MODEL+spacy" rows).

    .venv/bin/python bench/relation.py [--data semeval,conll04,redocred]
        [--models cnn,pcnn,att-bilstm,transformer] [--epochs 10] [--seed 0]
        [--spacy-vectors off|on|both] [--tags pos,dep,ner,sdp] [--word-vectors SPACY_MODEL]
        [--set KEY=VALUE] [--patience N] [--ner train|off] [--ner-refit] [--ner-set KEY=VALUE]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time

import torch

from kg.eval.conll04 import MajorityMap, Prediction, read_conll04, score

NEGATIVE_WEIGHTS = (1.0, 0.7, 0.5, 0.35, 0.25)  # CoNLL04 decoding: chosen on val
PUBLISHED = "published SemEval macro-F1: CNN (Zeng 2014) 78.9, CR-CNN 84.1, Att-BLSTM 84.0 (pretrained word vectors)"


def spans_overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def rules_pair_baseline(ex_rules, splits):
    """Macro/micro scores of the rule method on pair data via a predicate->label map from train."""
    from neural.relation.scoring import relation_scores

    def keys(examples):
        texts = [" ".join(e.tokens) for e in examples]
        unique = list(dict.fromkeys(texts))  # Re-DocRED has many pairs per sentence: parse each once
        parsed = dict(zip(unique, ex_rules.extract_many(((str(i), t) for i, t in enumerate(unique)), batch_size=256)))
        out = []
        for e, res in zip(examples, (parsed[t] for t in texts)):
            starts, pos = [], 0
            for tok in e.tokens:
                starts.append(pos)
                pos += len(tok) + 1
            c1 = (starts[e.e1[0]], starts[e.e1[1] - 1] + len(e.tokens[e.e1[1] - 1]))
            c2 = (starts[e.e2[0]], starts[e.e2[1] - 1] + len(e.tokens[e.e2[1] - 1]))
            ment = {ent.name: [(s, t) for s, t, _ in ent.mentions] for ent in res.entities}
            found = None
            for t in res.triples:
                hs, os_ = ment.get(t.subject, []), ment.get(t.object, [])
                if any(spans_overlap(m, c1) for m in hs) and any(spans_overlap(m, c2) for m in os_):
                    found = (t.predicate, True)
                elif any(spans_overlap(m, c2) for m in hs) and any(spans_overlap(m, c1) for m in os_):
                    found = (t.predicate, False)
                if found:
                    break
            out.append(found)
        return out

    table = MajorityMap(min_count=2)
    for e, k in zip(splits.train, keys(splits.train)):
        if k is not None:
            table.add([k], e.label)
    pred = []
    for k in keys(splits.test):
        label = table.get([k]) if k is not None else None
        pred.append(label or splits.negative)
    return relation_scores([e.label for e in splits.test], pred, negative=splits.negative)


def conll04_entity_typer(train_rows, types):
    """kgn's CoNLL04-typed entities with two more maps learned on train: the type a mention's
    text had most often as a gold entity (backing off to bench/conll04.py's NER-label map), then
    kg.eval.conll04.BoundaryFixes (titles, "City , State", ...). Returns (sentence, result) ->
    {token span: type}."""
    from kg.eval.conll04 import BoundaryFixes
    from conll04 import mentions_of  # bench/conll04.py

    def spans(sent, res):
        found, labels = mentions_of(sent, res)
        out = {}
        for name, ms in found.items():
            for s, e, _, _ in ms:
                out.setdefault((s, e), labels[name])
        return out

    def keys(sent, span, label):
        return [("text", " ".join(sent.tokens[span[0]:span[1]]).lower()), (label,)]

    by_text = MajorityMap(min_count=2)
    for sent, res in train_rows:
        gold = {(s, e): t for s, e, t in sent.entities}
        for span, label in spans(sent, res).items():
            by_text.add(keys(sent, span, label), gold.get(span))

    def typed(sent, res):
        out = {}
        for span, label in spans(sent, res).items():
            t = by_text.get(keys(sent, span, label))
            if t:
                out[span] = t
        return out

    fixes = BoundaryFixes(min_gain=2).learn((sent, typed(sent, res)) for sent, res in train_rows)
    return lambda sent, res: fixes.apply(sent.tokens, typed(sent, res))


def conll04_train_ner(train, seed, out_dir, log, settings=(), dev=None):
    """spaCy's ner (from en_core_web_sm) trained on the CoNLL04 train file's gold entities
    (kg.extract.ner_training); early stopping on every 10th train sentence, the classifier's val
    split, so neither model trains on it. Saved as a spaCy pipeline folder under ``out_dir``.
    ``settings``: KEY=VALUE pairs for kg.extract.ner_training.NerTrainSettings. The pipeline saves
    CoNLL04's label roles (Peop: person, ...), so the extractor's rules read its labels."""
    from dataclasses import fields

    from kg.eval.conll04 import ENTITY_ROLES, ner_examples
    from kg.extract.ner_training import NerTrainSettings, train_ner
    from neural.models.base import parse_settings

    kinds = {f.name: type(getattr(NerTrainSettings(), f.name)) for f in fields(NerTrainSettings)}
    changes = {}
    for key, value in parse_settings(settings).items():
        if key not in kinds or kinds[key] not in (int, float, str):
            raise SystemExit(f"--ner-set {key}={value}: choose one of {', '.join(sorted(kinds))}")
        changes[key] = kinds[key](value)
    cfg = NerTrainSettings(**{"seed": seed, "dev_every": 10, "label_roles": ENTITY_ROLES, **changes})
    log(f"settings: {cfg}")
    return train_ner(ner_examples(train, "train"), dev, settings=cfg, out_dir=out_dir, log=log)


def conll04_ner_entities(model_dir, sentences):
    """Two entity maps (token span -> CoNLL04 type) per sentence from the trained NER pipeline:
    kgn's extractor run with it (``ExtractorSettings(model=model_dir)``; its mentions, typed by
    the NER label of their entity), and the pipeline's own ``doc.ents``."""
    from conll04 import mentions_of  # bench/conll04.py
    from kg.eval.conll04 import ENTITY_TYPES
    from kg.extract import Extractor, ExtractorSettings

    ex = Extractor(ExtractorSettings(relations="rules", model=str(model_dir)))
    via_kgn, raw = [], []
    texts = [s.text for s in sentences]
    for sent, res, doc in zip(sentences, ex.extract_many((str(i), t) for i, t in enumerate(texts)),
                              ex.nlp.pipe(texts)):
        spans, labels = mentions_of(sent, res)
        via_kgn.append({(s, e): labels[name] for name, ms in spans.items() if labels[name] in ENTITY_TYPES
                        for s, e, _, _ in ms})
        ents = {}
        for ent in doc.ents:
            tok = sent.char_span_to_tokens(ent.start_char, ent.end_char)
            if tok and ent.label_ in ENTITY_TYPES:
                ents[tok] = ent.label_
        raw.append(ents)
    return {"kgn extractor": via_kgn, "NER doc.ents": raw}


def conll04_allowed(train_rows):
    """(relation, subject type, object type) of every train relation: the schema for decoding."""
    from neural.relation.decode import signatures

    out = set()
    for sent, _ in train_rows:
        t = {(s, e): ty for s, e, ty in sent.entities}
        for a, b, c, d, r in sent.relations:
            out.add((r, t[(a, b)], t[(c, d)]))
    return signatures(out)


def conll04_strict(loaded, sentences, entity_maps, allowed, nlp=None, constrained=True, negative_weight=1.0):
    """Strict relation F1 of the classifier over every pair of typed entities in each sentence
    (``entity_maps``: token span -> CoNLL04 type, per sentence). ``constrained``: the best label
    the pair's types allow (neural.relation.decode); otherwise the argmax, dropped when train
    never had that relation between those types. ``negative_weight`` scales the "no relation"
    probability before the choice (< 1 trades precision for recall)."""
    from neural.relation.data import RelationExample, split_label
    from neural.relation.decode import constrained_argmax
    from neural.relation.train import predict_examples

    pairs, where, pair_types = [], [], []
    for i, (sent, ents) in enumerate(zip(sentences, entity_maps)):
        ordered = sorted(ents)
        for x in range(len(ordered)):
            for y in range(x + 1, len(ordered)):
                a, b = ordered[x], ordered[y]
                if spans_overlap(a, b):
                    continue
                pairs.append(RelationExample(sent.tokens, a, b, loaded.negative))
                where.append((i, a, b))
                pair_types.append((ents[a], ents[b]))
    probs = predict_examples(loaded.model, loaded.vocab, loaded.encoding, pairs, nlp=nlp,
                             tag_vocab=loaded.tag_vocab)
    probs[:, loaded.labels.index(loaded.negative)] *= negative_weight
    if constrained:
        best = constrained_argmax(probs, loaded.labels, loaded.negative, pair_types, allowed)[1]
    else:
        best = probs.argmax(-1)
    rels = [set() for _ in sentences]
    for (i, a, b), k in zip(where, best.tolist()):
        parts = split_label(loaded.labels[k])
        if parts is None:
            continue
        r, first = parts
        h, t = (a, b) if first else (b, a)
        ht, tt = entity_maps[i][h], entity_maps[i][t]
        if (r, ht, tt) in allowed:
            rels[i].add((h[0], h[1], ht, t[0], t[1], tt, r))
    predictions = [Prediction(tuple((s, e, ty) for (s, e), ty in ents.items()), tuple(sorted(r)))
                   for ents, r in zip(entity_maps, rels)]
    return score(list(sentences), predictions)


def strict_line(sc) -> str:
    """One CoNLL04 score as printed on the progress lines: entity F1, relation P/R/F1."""
    return (f"entities F1 {100 * sc.entities.f1:.1f}; relations P {100 * sc.relations.precision:.1f} "
            f"R {100 * sc.relations.recall:.1f} F1 {100 * sc.relations.f1:.1f}")


def _gold_entity(gold, spans):
    """The gold entity most of ``spans`` overlap with IoU >= 0.5 (kg.eval.redocred's mapping)."""
    from kg.eval.redocred import _iou

    votes = collections.Counter()
    for s in spans:
        best = max(((_iou(s, (m.start, m.end)), ei) for ei, ms in enumerate(gold.entities) for m in ms), default=None)
        if best is not None and best[0] >= 0.5:
            votes[best[1]] += 1
    return votes.most_common(1)[0][0] if votes else None


def _statements(result, gold):
    """(subject gold entity, object gold entity, triple) for each triple both of whose arguments
    map onto two different gold entities."""
    spans_of = {e.name: [(s, t) for s, t, _ in e.mentions] for e in result.entities}
    for t in result.triples:
        subj = spans_of.get(t.subject, [])
        obj = [tuple(t.object_span)] if t.object_span is not None else spans_of.get(t.object, [])
        h, o = _gold_entity(gold, subj), _gold_entity(gold, obj)
        if h is not None and o is not None and h != o:
            yield h, o, t


def redocred_end_to_end(extractor, gold_docs, relation_of):
    """Micro P/R/F1 of typed, directed document-level statements (h, t, relation) against all of
    Re-DocRED's gold statements of ``gold_docs`` (cross-sentence ones included): kgn's extractor
    reads each document's text; ``relation_of(triple)`` -> (relation, forward) or None."""
    tp = n_pred = n_gold = 0
    results = extractor.extract_many(((str(i), g.text) for i, g in enumerate(gold_docs)), batch_size=16)
    for gold, res in zip(gold_docs, results):
        pred = set()
        for h, o, t in _statements(res, gold):
            found = relation_of(t)
            if found is not None:
                r, forward = found
                pred.add((h, o, r) if forward else (o, h, r))
        tp += len(pred & gold.relations)
        n_pred += len(pred)
        n_gold += len(gold.relations)
    p, r = tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def redocred_rule_map(rules, gold_docs):
    """kgn's rule predicates -> (Re-DocRED relation, forward) by majority over the train documents'
    statements whose argument pair has a gold relation (kg.eval.conll04.MajorityMap)."""
    table = MajorityMap(min_count=2)
    for gold, res in zip(gold_docs, rules.extract_many(((str(i), g.text) for i, g in enumerate(gold_docs)),
                                                        batch_size=16)):
        for h, o, t in _statements(res, gold):
            rels = sorted([(r, True) for a, b, r in gold.relations if (a, b) == (h, o)]
                          + [(r, False) for a, b, r in gold.relations if (a, b) == (o, h)])
            table.add([t.predicate], rels[0] if rels else None)
    return lambda t: table.get([t.predicate])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="semeval,conll04,redocred")
    ap.add_argument("--models", default="cnn,pcnn,att-bilstm,transformer")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1,
                    help="SemEval: train this many seeds (seed, seed+1, ...) and also score the mean of their "
                         "probabilities (an ensemble, printed as such)")
    ap.add_argument("--no-rules", action="store_true", help="skip the rule-method rows")
    ap.add_argument("--spacy-vectors", choices=("off", "on", "both"), default="off",
                    help="spaCy's tok2vec token vectors as an extra input")
    ap.add_argument("--tags", default="",
                    help="spaCy parse tags as extra inputs, comma-separated: pos,dep,ner,sdp")
    ap.add_argument("--word-vectors", default=None, metavar="SPACY_MODEL",
                    help="start word embeddings from this spaCy model's static vectors (name or folder)")
    ap.add_argument("--docs", type=int, default=0, help="Re-DocRED: only the first N test documents")
    ap.add_argument("--patience", type=int, default=None, help="early stopping on the val split")
    ap.add_argument("--ner", choices=("train", "off"), default="train",
                    help="CoNLL04: also train spaCy's ner on the train file's entities and classify its entities")
    ap.add_argument("--ner-refit", action="store_true",
                    help="CoNLL04: also train the NER again on all train sentences for the epochs chosen on val, "
                         "and score valid with it too (val choices stay with the held-out NER)")
    ap.add_argument("--ner-set", dest="ner_settings", action="append", default=[], metavar="KEY=VALUE",
                    help="CoNLL04 NER training setting (kg.extract.ner_training.NerTrainSettings), e.g. dropout=0.35")
    ap.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                    help="model setting for every model, e.g. --set dropout=0.3")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    t_start = time.time()

    from kg.extract import Extractor, ExtractorSettings, load_nlp
    from neural.relation.data import Encoding
    from neural.relation.readers import load_splits
    from neural.relation.train import load_relation_model, train_relation
    from neural.trainer import TrainerConfig

    print(f"command: {' '.join([os.path.relpath(sys.executable), *sys.argv])}")
    variants = {"off": [False], "on": [True], "both": [False, True]}[args.spacy_vectors]
    print(f"word vectors: {args.word_vectors or 'none (random init)'}; "
          "input: word + 2 distance + entity-indicator embeddings"
          + ("; +spacy rows add en_core_web_sm's 96-d tok2vec doc.tensor" if True in variants else ""))
    model_config = dict(kv.split("=", 1) for kv in args.settings)
    tags = tuple(t for t in args.tags.split(",") if t)
    if tags:
        print(f"parse tags: {','.join(tags)} (en_core_web_sm's tagger/parser/NER on the data set's tokens)")
    print(f"{'data':<9} {'method':<12} {'metric':<34} {'value':>6} {'epochs':>6} {'train s':>8}", flush=True)

    def row(data, method, metric, value, epochs="", seconds=""):
        sec = f"{seconds:.0f}" if isinstance(seconds, float) else seconds
        print(f"{data:<9} {method:<12} {metric:<34} {100 * value:>6.1f} {str(epochs):>6} {sec:>8}", flush=True)

    ex_rules = None
    conll = None
    for data in args.data.split(","):
        splits = load_splits(data)
        metric = {"semeval": "macro-F1 dev (9 rel, dir, -Other)", "conll04": "strict rel F1 valid (end to end)",
                  "redocred": "rel F1 test docs (end to end)"}[data]
        if data == "conll04":
            if ex_rules is None:
                ex_rules = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
            from conll04 import choose_tau, learn, predict, typed_entities  # bench/conll04.py

            root = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "conll04")
            train = read_conll04(os.path.join(root, "train.CoNLL04.json"))
            valid = read_conll04(os.path.join(root, "valid.CoNLL04.json"))
            train_rows, valid_rows = (list(zip(ss, ex_rules.extract_many((str(i), s.text) for i, s in enumerate(ss))))
                                      for ss in (train, valid))
            tau, _ = choose_tau(train_rows, args.seed)
            types, rmap = learn(train_rows, tau)
            ner_maps = None
            if args.ner == "train":
                ner = conll04_train_ner(train, args.seed, "runs/bench-relation/conll04-ner",
                                        lambda m: print(f"  (conll04) ner {m}", flush=True), args.ner_settings)
                print(f"  (conll04) ner: en_core_web_sm's ner trained on {ner.n_train} train sentences, "
                      f"best epoch {ner.best_epoch} by entity F1 on {ner.n_dev} val sentences (every 10th of "
                      f"train): {100 * ner.dev.f1:.1f}; saved to {ner.path} ({ner.seconds:.0f} s)", flush=True)
                val_sents = [s for i, s in enumerate(train) if i % 10 == 9]
                ner_maps = (conll04_ner_entities(ner.path, val_sents), conll04_ner_entities(ner.path, valid), None)
                if args.ner_refit:
                    refit = conll04_train_ner(train, args.seed, "runs/bench-relation/conll04-ner-refit",
                                              lambda m: print(f"  (conll04) ner refit {m}", flush=True),
                                              [*args.ner_settings, f"max_epochs={ner.best_epoch}"], dev=[])
                    print(f"  (conll04) ner refit: the same training on all {refit.n_train} train sentences for "
                          f"the {ner.best_epoch} epochs chosen above; saved to {refit.path}", flush=True)
                    ner_maps = (*ner_maps[:2], conll04_ner_entities(refit.path, valid))
            conll = (train_rows, valid_rows, types)
            retype = conll04_entity_typer(train_rows, types)
            if not args.no_rules:
                sc = score(valid, [predict(s, r, types, rmap) for s, r in valid_rows])
                row(data, "rules", metric, sc.relations.f1)
        elif data == "redocred":
            if ex_rules is None:
                ex_rules = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
            from kg.eval.redocred import read_redocred as read_gold
            from neural.relation.readers import DATA_ROOT, redocred_split_of

            gold_all = read_gold(str(DATA_ROOT / "redocred" / "dev_revised.json"))
            test_gold = [g for i, g in enumerate(gold_all) if redocred_split_of(i) == "test"][: args.docs or None]
            print(f"  (redocred) end to end on {len(test_gold)} test documents of dev_revised.json "
                  f"(index % 5 == 4), {sum(len(g.relations) for g in test_gold)} gold statements", flush=True)
            if not args.no_rules:
                train_gold = [g for i, g in enumerate(gold_all) if redocred_split_of(i) == "train"]
                p, r, f = redocred_end_to_end(ex_rules, test_gold, redocred_rule_map(ex_rules, train_gold))
                row(data, "rules", metric, f)
                print(f"  (redocred) rules P {100 * p:.1f} R {100 * r:.1f}", flush=True)
                sc = rules_pair_baseline(ex_rules, splits)
                row(data, "rules", "  pair F1 on gold mentions (test)", sc.micro_f1)
        elif not args.no_rules:
            if ex_rules is None:
                ex_rules = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
            sc = rules_pair_baseline(ex_rules, splits)
            row(data, "rules", metric, sc.macro_f1)
        for model, spacy in ((m, v) for m in args.models.split(",") for v in variants):
            name = model + ("+spacy" if spacy else "")
            if (spacy or tags) and ex_rules is None:
                ex_rules = Extractor(ExtractorSettings(relations="rules"), nlp=load_nlp())
            seeds = range(args.seed, args.seed + (args.seeds if data == "semeval" else 1))
            probs = []
            for seed in seeds:
                out = f"runs/bench-relation/{data}-{name}" + (f"-seed{seed}" if len(seeds) > 1 else "")
                tcfg = TrainerConfig(epochs=args.epochs, batch_size=args.batch_size, device="cpu", seed=seed,
                                     out_dir=out, patience=args.patience)
                result = train_relation(model, splits, trainer_config=tcfg, model_config=model_config,
                                        encoding=Encoding(spacy_vectors=spacy, tags=tags),
                                        nlp=ex_rules.nlp if spacy or tags else None,
                                        feature_cache="runs/bench-relation/cache", word_vectors=args.word_vectors,
                                        log=lambda m, d=data: print(f"  ({d}) {m}", flush=True))
                if len(seeds) > 1:
                    from neural.relation.train import predict_examples

                    probs.append(predict_examples(result.model, result.vocab, result.encoding, splits.test,
                                                  nlp=ex_rules.nlp if spacy or tags else None,
                                                  tag_vocab=result.tag_vocab))
                    best = max(h.get("val_macro_f1", 0.0) for h in result.history)
                    print(f"  (semeval) {name} seed {seed}: val macro-F1 {100 * best:.1f}, dev macro-F1 "
                          f"{100 * result.test.macro_f1:.1f}", flush=True)
            model = name
            if data == "semeval" and len(seeds) > 1:
                from neural.relation.scoring import relation_scores

                names = result.model.label_names
                mean = torch.stack(probs).mean(0).argmax(-1).tolist()
                ens = relation_scores([e.label for e in splits.test], [names[i] for i in mean], negative=splits.negative)
                row(data, f"{model} x{len(seeds)}", metric + " ENSEMBLE", ens.macro_f1, len(result.history))
                row(data, f"{model} x{len(seeds)}", "  19-way accuracy (ensemble)", ens.accuracy)
            elif data == "semeval":
                row(data, model, metric, result.test.macro_f1, len(result.history), result.seconds)
                row(data, model, "  19-way accuracy", result.test.accuracy)
            elif data == "redocred":
                from neural.relation import register

                register()
                neural = Extractor(ExtractorSettings(relations=f"neural:{result.checkpoint}"), nlp=ex_rules.nlp)
                p, r, f = redocred_end_to_end(neural, test_gold, lambda t: (t.kind.split(":", 1)[1], True)
                                              if t.method == "neural" and ":" in t.kind else None)
                row(data, model, metric, f, len(result.history), result.seconds)
                print(f"  (redocred) {model} P {100 * p:.1f} R {100 * r:.1f}", flush=True)
                row(data, model, "  pair F1 on gold mentions (test)", result.test.micro_f1)
            else:
                loaded = load_relation_model(result.checkpoint)
                train_rows, valid_rows, types = conll
                allowed = conll04_allowed(train_rows)
                # decoding (constrained or argmax-then-filter) chosen on the val sentences of the
                # train file (every 10th: the classifier's val split), end to end
                val_rows = [r for i, r in enumerate(train_rows) if i % 10 == 9]
                val_ents = [retype(s, r) for s, r in val_rows]
                on_val = {(c, w): conll04_strict(loaded, [s for s, _ in val_rows], val_ents, allowed, ex_rules.nlp,
                                                 constrained=c, negative_weight=w).relations.f1
                          for c in (False, True) for w in NEGATIVE_WEIGHTS}
                constrained, weight = max(on_val, key=lambda k: (on_val[k], k[1], k[0]))
                print(f"  (conll04) {model} val strict F1 end to end (negative weight: argmax+filter / "
                      "type-constrained): " + ", ".join(f"{w}: {100 * on_val[(False, w)]:.1f} / "
                                                        f"{100 * on_val[(True, w)]:.1f}" for w in NEGATIVE_WEIGHTS)
                      + f" -> {'constrained' if constrained else 'filter'}, {weight}")
                valid_sents = [s for s, _ in valid_rows]
                for how, ents in (("label map", [typed_entities(s, r, types) for s, r in valid_rows]),
                                  ("+text map+boundary fixes", [retype(s, r) for s, r in valid_rows])):
                    sc = conll04_strict(loaded, valid_sents, ents, allowed, ex_rules.nlp, constrained=constrained,
                                        negative_weight=weight)
                    print(f"  (conll04) {model} end to end, kgn entities typed by {how}: "
                          f"{strict_line(sc)}", flush=True)
                row(data, model, metric, sc.relations.f1, len(result.history), result.seconds)
                row(data, model, "  entity F1 valid (spaCy sm + maps)", sc.entities.f1)
                if ner_maps is not None:
                    # the trained NER's entities (kgn's mentions or its raw doc.ents) and the decoding
                    # for them, chosen together: the best end to end on the val sentences
                    val_sents = [s for s, _ in val_rows]
                    on_val = {(how, c, w): conll04_strict(loaded, val_sents, ents, allowed, ex_rules.nlp,
                                                          constrained=c, negative_weight=w).relations.f1
                              for how, ents in ner_maps[0].items() for c in (False, True) for w in NEGATIVE_WEIGHTS}
                    pick, ner_c, ner_w = max(on_val, key=lambda k: (on_val[k], k[2], k[1], k[0]))
                    print(f"  (conll04) {model} val strict F1 end to end with the trained NER, best per entity "
                          "source: " + ", ".join(f"{h}: {100 * max(f for k, f in on_val.items() if k[0] == h):.1f}"
                                                 for h in ner_maps[0])
                          + f" -> {pick}, {'constrained' if ner_c else 'filter'}, {ner_w}")
                    for how, ents in ner_maps[1].items():
                        sc = conll04_strict(loaded, valid_sents, ents, allowed, ex_rules.nlp, constrained=ner_c,
                                            negative_weight=ner_w)
                        print(f"  (conll04) {model} end to end, entities of the trained NER ({how}): "
                              f"{strict_line(sc)}", flush=True)
                        if how == pick:
                            row(data, model + "+ner", metric, sc.relations.f1)
                            row(data, model + "+ner", "  entity F1 valid (trained NER)", sc.entities.f1)
                    if ner_maps[2] is not None:
                        ents = ner_maps[2][pick]
                        sc = conll04_strict(loaded, valid_sents, ents, allowed, ex_rules.nlp, constrained=ner_c,
                                            negative_weight=ner_w)
                        print(f"  (conll04) {model} end to end, entities of the refit NER ({pick}): "
                              f"{strict_line(sc)}", flush=True)
                        row(data, model + "+ner-refit", metric, sc.relations.f1)
                        row(data, model + "+ner-refit", "  entity F1 valid (refit NER)", sc.entities.f1)
                gold = conll04_strict(loaded, valid_sents, [{(a, b): t for a, b, t in s.entities} for s in valid_sents],
                                      allowed, ex_rules.nlp, constrained=constrained, negative_weight=weight)
                row(data, model, "  strict rel F1 valid (gold entities)", gold.relations.f1)
                row(data, model, "  pair F1 on gold entities (valid)", result.test.micro_f1)
    print(PUBLISHED)
    print(f"time {time.time() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
