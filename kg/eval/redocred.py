"""Re-DocRED (Tan et al., EMNLP 2022; revised DocRED, Yao et al., ACL 2019): a reader and the
document-level scores of an end-to-end extractor.

The documents come as tokens per sentence; :func:`read_redocred` joins them into plain text (a
light detokeniser: no space before closing punctuation and clitics, none after opening brackets)
and keeps each gold mention's character span. Scores (see :func:`score`):

* **mentions**: exact character spans of *named* gold mentions (PER, ORG, LOC, MISC) against the
  predicted named mentions (exact match, micro P/R/F1);
* **grouping**, over the gold named mentions found exactly: MUC (Vilain et al. 1995) and B-cubed
  (Bagga & Baldwin 1998) F1 of the predicted entities against the gold entities; *different-name
  link recall*: of the pairs of found mentions of one gold entity whose texts differ
  (case-insensitively), the share the prediction puts in one entity; *several-name cluster
  recall*: of the gold entities whose found mentions have two or more different texts, the share
  kept wholly together; *merge rate*: of the mention pairs the prediction puts together, the share
  that belong to two different gold entities (1 - pairwise link precision);
* **types**: for each found gold named mention, the type of the predicted entity holding it, under
  the fixed map :data:`TYPE_MAP` (kgn/spaCy label -> PER/ORG/LOC/MISC/TIME/NUM), against the
  mention's gold type;
* **relation pairs**: each predicted statement (``type``/``subclass of`` excluded) whose two
  arguments both map onto gold entities (a predicted mention maps onto the gold mention it overlaps
  with IoU >= 0.5; an entity onto the gold entity most of its mentions map onto) gives an unordered
  gold entity pair; recall is over the gold pairs that have any relation, precision over the
  mapped predicted pairs (a second precision counts unmapped pairs as wrong too).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

NAMED = ("PER", "ORG", "LOC", "MISC")

# kgn entity label (spaCy NER label) -> Re-DocRED type, the same for every run. FAC is a place;
# NORP is LOC because DocRED annotates nationality adjectives ("German", "Canadian") as LOC (this
# was set after a first look at dev: it lifts before and after alike);
# EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE are DocRED's MISC.
TYPE_MAP = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "LOC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC",
    "LANGUAGE": "MISC", "DATE": "TIME", "TIME": "TIME", "CARDINAL": "NUM", "QUANTITY": "NUM",
    "MONEY": "NUM", "PERCENT": "NUM", "ORDINAL": "NUM",
}

_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "?", "!", "%", "'s", "'", "n't", "'re",
                    "'ve", "'ll", "'d", "'m", "’s"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass
class GoldMention:
    start: int
    end: int
    type: str
    text: str
    sent: int


@dataclass
class GoldDoc:
    title: str
    text: str
    entities: list[list[GoldMention]]
    relations: set[tuple[int, int, str]] = field(default_factory=set)


def detokenize(sents: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text of the tokenised sentences and each token's character span in it."""
    parts: list[str] = []
    pos = 0
    offsets: list[list[tuple[int, int]]] = []
    prev = None
    for sent in sents:
        spans = []
        for tok in sent:
            if prev is not None and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
            prev = tok
        offsets.append(spans)
    return "".join(parts), offsets


def read_redocred(path: str, limit: int = 0) -> list[GoldDoc]:
    """The documents of a Re-DocRED/DocRED JSON file (the first ``limit`` when > 0)."""
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    if limit:
        raw = raw[:limit]
    docs = []
    for d in raw:
        text, offsets = detokenize(d["sents"])
        entities = []
        for vertex in d["vertexSet"]:
            ms = []
            for m in vertex:
                a, b = m["pos"]
                s, e = offsets[m["sent_id"]][a][0], offsets[m["sent_id"]][b - 1][1]
                ms.append(GoldMention(s, e, m["type"], text[s:e], m["sent_id"]))
            entities.append(ms)
        rels = {(r["h"], r["t"], r["r"]) for r in d.get("labels", [])}
        docs.append(GoldDoc(d["title"], text, entities, rels))
    return docs


@dataclass
class PredDoc:
    """What an extractor found in one document.

    ``mentions``: (start, end, entity id) of named mentions; ``types``: entity id -> label;
    ``pairs``: (subject span list, object span list) per statement, each argument given as the
    character spans of its mentions (an entity's mentions, or a literal's one span).
    """

    mentions: list[tuple[int, int, int]]
    types: dict[int, str | None]
    pairs: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]


@dataclass
class Scores:
    counts: Counter = field(default_factory=Counter)
    b3_p: list[float] = field(default_factory=list)
    b3_r: list[float] = field(default_factory=list)

    @staticmethod
    def _ratio(a: float, b: float) -> float:
        return a / b if b else 0.0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def table(self) -> dict[str, float]:
        c, r = self.counts, self._ratio
        mp, mr = r(c["mention_tp"], c["mention_pred"]), r(c["mention_tp"], c["mention_gold"])
        mucp, mucr = r(c["muc_p_num"], c["muc_p_den"]), r(c["muc_r_num"], c["muc_r_den"])
        bp = sum(self.b3_p) / len(self.b3_p) if self.b3_p else 0.0
        br = sum(self.b3_r) / len(self.b3_r) if self.b3_r else 0.0
        pp, pr = r(c["pair_tp"], c["pair_pred_mapped"]), r(c["pair_tp"], c["pair_gold"])
        return {
            "mention_p": mp, "mention_r": mr, "mention_f1": self._f1(mp, mr),
            "muc_p": mucp, "muc_r": mucr, "muc_f1": self._f1(mucp, mucr),
            "b3_p": bp, "b3_r": br, "b3_f1": self._f1(bp, br),
            "diff_name_link_recall": r(c["diff_linked"], c["diff_pairs"]),
            "diff_name_link_precision": r(c["diff_pred_right"], c["diff_pred"]),
            "several_name_cluster_recall": r(c["multi_together"], c["multi_entities"]),
            "merge_rate": r(c["links_wrong"], c["links_pred"]),
            "type_accuracy": r(c["type_right"], c["type_total"]),
            "pair_recall": pr, "pair_precision": pp, "pair_f1": self._f1(pp, pr),
            "pair_precision_all": r(c["pair_tp"], c["pair_pred"]),
        }


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def _muc(key: list[list], response_of: dict) -> tuple[int, int]:
    """MUC numerator/denominator of ``key`` clusters partitioned by ``response_of``."""
    num = den = 0
    for cluster in key:
        parts = {response_of[m] for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def score_doc(gold: GoldDoc, pred: PredDoc, scores: Scores) -> None:
    c = scores.counts
    gold_named = {(m.start, m.end): (ei, m) for ei, ms in enumerate(gold.entities)
                  for m in ms if m.type in NAMED}
    pred_named = {(s, e): ent for s, e, ent in pred.mentions}
    c["mention_gold"] += len(gold_named)
    c["mention_pred"] += len(pred_named)
    found = [span for span in gold_named if span in pred_named]
    c["mention_tp"] += len(found)

    # -- grouping over the found gold mentions
    gold_of = {span: gold_named[span][0] for span in found}
    pred_of = {span: pred_named[span] for span in found}
    key, response = defaultdict(list), defaultdict(list)
    for span in found:
        key[gold_of[span]].append(span)
        response[pred_of[span]].append(span)
    n, d = _muc(list(key.values()), pred_of)
    c["muc_r_num"] += n
    c["muc_r_den"] += d
    n, d = _muc(list(response.values()), gold_of)
    c["muc_p_num"] += n
    c["muc_p_den"] += d
    for span in found:
        g, p = set(key[gold_of[span]]), set(response[pred_of[span]])
        scores.b3_p.append(len(g & p) / len(p))
        scores.b3_r.append(len(g & p) / len(g))
    text = {span: gold_named[span][1].text.casefold() for span in found}
    for spans in key.values():
        for a, b in combinations(spans, 2):
            if text[a] != text[b]:
                c["diff_pairs"] += 1
                c["diff_linked"] += pred_of[a] == pred_of[b]
        if len({text[s] for s in spans}) >= 2:
            c["multi_entities"] += 1
            c["multi_together"] += len({pred_of[s] for s in spans}) == 1
    for spans in response.values():
        for a, b in combinations(spans, 2):
            c["links_pred"] += 1
            c["links_wrong"] += gold_of[a] != gold_of[b]
            if text[a] != text[b]:
                c["diff_pred"] += 1
                c["diff_pred_right"] += gold_of[a] == gold_of[b]

    # -- types
    for span in found:
        c["type_total"] += 1
        label = pred.types.get(pred_of[span])
        c["type_right"] += TYPE_MAP.get(label or "", "none") == gold_named[span][1].type

    # -- relation pairs
    all_gold = [((m.start, m.end), ei) for ei, ms in enumerate(gold.entities) for m in ms]

    def entity_of(spans: list[tuple[int, int]]) -> int | None:
        votes = Counter()
        for s in spans:
            best = max(all_gold, key=lambda g: _iou(s, g[0]), default=None)
            if best is not None and _iou(s, best[0]) >= 0.5:
                votes[best[1]] += 1
        return votes.most_common(1)[0][0] if votes else None

    gold_pairs = {frozenset((h, t)) for h, t, _ in gold.relations if h != t}
    c["pair_gold"] += len(gold_pairs)
    mapped, unmapped = set(), set()
    for subj, obj in pred.pairs:
        h, t = entity_of(subj), entity_of(obj)
        if h is None or t is None or h == t:
            unmapped.add((tuple(subj), tuple(obj)))
        else:
            mapped.add(frozenset((h, t)))
    c["pair_pred_mapped"] += len(mapped)
    c["pair_pred"] += len(mapped) + len(unmapped)
    c["pair_tp"] += len(mapped & gold_pairs)
