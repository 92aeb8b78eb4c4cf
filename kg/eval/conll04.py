"""CoNLL04 joint entity and relation extraction: reader, token/char alignment and strict scores.

Data: Roth & Yih (2004), in the JSON split used by SpERT (Eberts & Ulges, 2020), Table-Sequence
(Wang & Lu, 2020) and REBEL (Huguet Cabot & Navigli, 2021): ``{"tokens", "entities": [[start,
end_excl, type]], "relations": [[h_start, h_end, t_start, t_end, type]]}``.

Scores follow SpERT's evaluation: micro precision/recall/F1 over the whole corpus; an entity is
right when its token boundaries and type are; a relation is right ("strict") when both argument
spans with their entity types and the relation type are right. Per-type scores are reported for
every gold relation type, including those no prediction reached.
"""

from __future__ import annotations

import bisect
import collections
import json
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from kg.errors import KgnError
from kg.eval.prf import PRF

ENTITY_TYPES = ("Loc", "Org", "Peop", "Other")
# What the types mean to kgn's extractor (kg.extract.roles), saved with a CoNLL04-trained NER;
# "Loc" holds countries and cities as well as rivers and mountains: a place. "Other" has no role.
ENTITY_ROLES = (("Peop", "person"), ("Loc", "place"), ("Org", "organisation"))
RELATION_TYPES = ("Kill", "Live_In", "Located_In", "OrgBased_In", "Work_For")


class CoNLL04FormatError(KgnError):
    """A CoNLL04 JSON file is not in the expected shape."""


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    entities: tuple[tuple[int, int, str], ...]                  # (start, end_excl, type)
    relations: tuple[tuple[int, int, int, int, str], ...]       # (h_start, h_end, t_start, t_end, type)

    @property
    def text(self) -> str:
        """Tokens joined with single spaces (what the extractor reads)."""
        return " ".join(self.tokens)

    def token_starts(self) -> list[int]:
        starts, pos = [], 0
        for tok in self.tokens:
            starts.append(pos)
            pos += len(tok) + 1
        return starts

    def char_span_to_tokens(self, start: int, end: int) -> tuple[int, int] | None:
        """Token span ``(first, last_excl)`` of every token that the character span
        ``[start, end)`` of :attr:`text` touches; None if it touches none (only spaces)."""
        starts = self.token_starts()
        ends = [s + len(t) for s, t in zip(starts, self.tokens)]
        first = bisect.bisect_right(ends, start)       # first token ending after start
        last = bisect.bisect_left(starts, end)         # tokens starting before end
        if first >= last:
            return None
        return first, last


def _check_span(s, e, n, where):
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n):
        raise CoNLL04FormatError(f"{where}: span [{s}, {e}) is not inside the {n} tokens")


def read_conll04(path: str) -> list[Sentence]:
    """Sentences of a CoNLL04 JSON file (a list of objects, see module docstring)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise CoNLL04FormatError(f"{path}: not a readable CoNLL04 JSON file ({exc})") from exc
    if not isinstance(data, list):
        raise CoNLL04FormatError(f"{path}: expected a JSON list of sentences")
    out = []
    for i, item in enumerate(data):
        where = f"{path} sentence {i}"
        try:
            tokens = tuple(str(t) for t in item["tokens"])
            ents = tuple((int(s), int(e), str(t)) for s, e, t in item.get("entities", []))
            rels = tuple((int(a), int(b), int(c), int(d), str(t))
                         for a, b, c, d, t in item.get("relations", []))
        except (KeyError, TypeError, ValueError) as exc:
            raise CoNLL04FormatError(f"{where}: malformed entry ({exc!r})") from exc
        for s, e, _ in ents:
            _check_span(s, e, len(tokens), where)
        spans = {(s, e) for s, e, _ in ents}
        for a, b, c, d, _ in rels:
            if (a, b) not in spans or (c, d) not in spans:
                raise CoNLL04FormatError(f"{where}: relation argument is not a listed entity")
        out.append(Sentence(tokens, ents, rels))
    return out


# -- scoring -------------------------------------------------------------------------------------

@dataclass
class CoNLL04Scores:
    entities: PRF
    relations: PRF
    entities_by_type: dict[str, PRF] = field(default_factory=dict)
    relations_by_type: dict[str, PRF] = field(default_factory=dict)

    @property
    def relation_macro_f1(self) -> float:
        per = [self.relations_by_type[t].f1 for t in self.relations_by_type]
        return sum(per) / len(per) if per else 0.0


@dataclass(frozen=True)
class Prediction:
    """What a system says about one sentence, in token spans (end exclusive)."""

    entities: tuple[tuple[int, int, str], ...] = ()
    relations: tuple[tuple[int, int, str, int, int, str, str], ...] = ()
    # relation: (h_start, h_end, h_type, t_start, t_end, t_type, relation type)


def _gold_relations(s: Sentence) -> set:
    types = {(a, b): t for a, b, t in s.entities}
    return {(a, b, types[(a, b)], c, d, types[(c, d)], r) for a, b, c, d, r in s.relations}


def score(gold: Sequence[Sentence], predicted: Sequence[Prediction]) -> CoNLL04Scores:
    """Micro entity F1 (boundaries + type) and strict relation F1 over the corpus."""
    if len(gold) != len(predicted):
        raise CoNLL04FormatError(f"{len(gold)} gold sentences but {len(predicted)} predictions; "
                                 "they must pair up one to one")
    ent, rel = PRF(), PRF()
    ent_t = {t: PRF() for t in ENTITY_TYPES}
    rel_t = {t: PRF() for t in RELATION_TYPES}
    for g, p in zip(gold, predicted):
        ge, pe = set(g.entities), set(p.entities)
        gr, pr = _gold_relations(g), set(p.relations)
        for counts, gs, ps, type_of in ((ent, ge, pe, lambda x: x[2]), (rel, gr, pr, lambda x: x[6])):
            counts.tp += len(gs & ps)
            counts.n_pred += len(ps)
            counts.n_gold += len(gs)
            table = ent_t if counts is ent else rel_t
            for x in gs:
                table.setdefault(type_of(x), PRF()).n_gold += 1
            for x in ps:
                table.setdefault(type_of(x), PRF()).n_pred += 1
            for x in gs & ps:
                table[type_of(x)].tp += 1
    return CoNLL04Scores(ent, rel, ent_t, rel_t)


# -- learning type / relation maps from the train split ---------------------------------------

class MajorityMap:
    """key -> an outcome counted for it in train (None counts as "no gold answer").

    With ``min_share=None`` the most frequent outcome wins, None included (None: emit nothing).
    With a number, the most frequent real outcome wins if it was right in at least that share
    of the key's train occurrences. Keys are tried in order (specific first, then back-off);
    a key seen fewer than ``min_count`` times is skipped.
    """

    def __init__(self, min_count: int = 2, min_share: float | None = None):
        self.counts: dict = collections.defaultdict(collections.Counter)
        self.min_count, self.min_share = min_count, min_share

    def add(self, keys: Iterable, outcome) -> None:
        for k in keys:
            self.counts[k][outcome] += 1

    def get(self, keys: Iterable):
        for k in keys:
            c = self.counts.get(k)
            total = sum(c.values()) if c else 0
            if total < self.min_count:
                continue
            real = [(n, str(o), o) for o, n in c.items() if o is not None]
            if not real:
                return None
            n, _, best = max(real)
            if self.min_share is None:
                return best if n >= c.get(None, 0) else None
            return best if n / total >= self.min_share else None
        return None

    def table(self, key_len: int = 1) -> dict:
        return {k: self.get([k]) for k in sorted(self.counts, key=str) if len(k) == key_len}


# -- mention boundaries: CoNLL04's conventions learned from train ---------------------------------

class BoundaryFixes:
    """Edits that move predicted entity boundaries to the data set's conventions, LEARNED FROM
    TRAIN: CoNLL04 spans keep titles ("President Lincoln"), "City , State" as one location
    ("Columbus , Ohio") and a closing abbreviation dot, where a general extractor's mentions
    stop at the name. Three kinds of edit, each keyed by the entity type and the token involved:

    * ``("left", type, word)``: take in the token before the span when it is ``word``;
    * ``("right", type, word)``: take in the token after it;
    * ``("merge", type, word)``: join two spans of the same type that only ``word`` separates.

    An edit is kept when, over the train sentences, the spans it would make are gold entities
    at least ``min_gain`` times more often than it would break spans that already were.
    """

    def __init__(self, min_gain: int = 2):
        self.min_gain = min_gain
        self.gain: collections.Counter = collections.Counter()
        self.kept: set = set()

    @staticmethod
    def edits(tokens: Sequence[str], ents: dict) -> list:
        """(key, old spans, new span, type) of every edit that applies to ``ents`` (span -> type)."""
        out = []
        spans = sorted(ents)
        taken = set(spans)
        for (a, b) in spans:
            t = ents[(a, b)]
            if a > 0 and not any(s <= a - 1 < e for s, e in taken):
                out.append((("left", t, tokens[a - 1].lower()), [(a, b)], (a - 1, b), t))
            if b < len(tokens) and not any(s <= b < e for s, e in taken):
                out.append((("right", t, tokens[b].lower()), [(a, b)], (a, b + 1), t))
        for (a, b), (c, d) in zip(spans, spans[1:]):
            if c == b + 1 and ents[(a, b)] == ents[(c, d)]:
                out.append((("merge", ents[(a, b)], tokens[b].lower()), [(a, b), (c, d)], (a, d), ents[(a, b)]))
        return out

    def learn(self, rows: Iterable[tuple[Sentence, dict]]) -> "BoundaryFixes":
        """``rows``: (gold sentence, predicted span -> type) of the train split."""
        for sent, ents in rows:
            gold = {(s, e, t) for s, e, t in sent.entities}
            for key, old, new, t in self.edits(sent.tokens, ents):
                self.gain[key] += ((*new, t) in gold) - sum((*o, ents[o]) in gold for o in old)
        self.kept = {k for k, g in self.gain.items() if g >= self.min_gain}
        return self

    def apply(self, tokens: Sequence[str], ents: dict) -> dict:
        """``ents`` with the kept edits made (merges first; an edit whose spans an earlier one
        changed, or whose new span would overlap another entity, is skipped)."""
        out = dict(ents)
        todo = sorted((e for e in self.edits(tokens, ents) if e[0] in self.kept), key=lambda e: e[0][0] != "merge")
        for _key, old, new, t in todo:
            if any(o not in out for o in old):
                continue
            rest = [s for s in out if s not in old]
            if any(s < new[1] and new[0] < e for s, e in rest):
                continue
            for o in old:
                del out[o]
            out[new] = t
        return out


def ner_examples(sentences: Sequence[Sentence], source: str = "conll04"):
    """The sentences as entity-recognizer training data (:mod:`kg.extract.ner_training`): the
    text kgn reads (tokens joined by spaces) with each gold entity as a typed span."""
    from kg.extract.ner_training import NerExample

    return [NerExample.from_tokens(s.tokens, s.entities, f"{source} sentence {i}")
            for i, s in enumerate(sentences)]
