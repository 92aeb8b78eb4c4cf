"""Readers: SemEval-2010 Task 8, CoNLL04 JSON, Re-DocRED and a plain JSONL format -> relation
examples split into train / val / test.

Splits (fixed, no randomness, so every run and every model sees the same ones):

* ``semeval``: the training file (8,000 sentences). test ("dev" in reports) = sentence id % 10 ==
  0 (800); val (epoch selection) = id % 10 == 5 (800); train = the other 6,400.
* ``conll04``: test = ``valid.CoNLL04.json``; val = every 10th sentence of the train file; train
  = the rest. Candidate pairs are all pairs of gold entities in a sentence.
* ``redocred``: ``dev_revised.json`` split BY DOCUMENT (position in the file): test = index % 5
  == 4 (100 documents), val = index % 10 == 3 (50), train = the other 350. Pairs are mentions of
  two different entities in the same sentence, labelled with the entities' relation (the first
  Wikidata property by id when there are several); cross-sentence relations are out of reach
  for a sentence classifier and are not examples.
* a JSONL file (or folder with train/valid/test .jsonl): see :func:`read_jsonl` and the README.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from neural.errors import DatasetError
from neural.relation.data import NO_RELATION, RelationExample, make_example

DATA_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEMEVAL_OTHER = "Other"


@dataclass
class RelationSplits:
    name: str
    train: list[RelationExample]
    val: list[RelationExample]
    test: list[RelationExample]
    negative: str = NO_RELATION
    candidates: str = "entities"  # which mentions the extractor pairs: 'entities' (named) or 'all'

    def labels(self) -> list[str]:
        """The negative label first, then the others sorted (from the training split)."""
        seen = {ex.label for ex in self.train} | {self.negative}
        return [self.negative] + sorted(seen - {self.negative})


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    # The rule-based English tokenizer only (the same rules as en_core_web_sm's tokenizer).
    return spacy.blank("en").tokenizer


def tokenize_with_spans(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[tuple[int, int]]]:
    """spaCy tokens of ``text`` and the token span (end exclusive) of each character span."""
    doc = _tokenizer()(text)
    out = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            raise DatasetError(f"character span [{s}, {e}) of {text[:60]!r} covers no token")
        out.append((span.start, span.end))
    return [t.text for t in doc], out


# -- SemEval-2010 Task 8 ----------------------------------------------------------------------

_TAGGED = re.compile(r"<(/?)(e[12])>")


def parse_semeval_sentence(tagged: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Text without the ``<e1>``/``<e2>`` tags and each tag's character span in it."""
    text, spans, open_at, pos = [], {}, {}, 0
    for m in _TAGGED.finditer(tagged):
        text.append(tagged[pos:m.start()])
        at = sum(len(t) for t in text)
        if m.group(1):
            spans[m.group(2)] = (open_at.pop(m.group(2)), at)
        else:
            open_at[m.group(2)] = at
        pos = m.end()
    text.append(tagged[pos:])
    if set(spans) != {"e1", "e2"}:
        raise DatasetError(f"SemEval sentence without both <e1> and <e2>: {tagged[:80]!r}")
    return "".join(text), spans


def read_semeval(path: str | Path) -> list[tuple[int, RelationExample]]:
    """``(sentence id, example)`` of a SemEval-2010 Task 8 file (id TAB "sentence", label, comment)."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DatasetError(f"SemEval file {str(path)!r} cannot be read: {exc.strerror}") from None
    out = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or "\t" not in line:
            i += 1
            continue
        sid, _, quoted = line.partition("\t")
        if i + 1 >= len(lines):
            raise DatasetError(f"{path}: sentence {sid} has no label line")
        label = lines[i + 1].strip()
        text, spans = parse_semeval_sentence(quoted.strip().strip('"'))
        tokens, (e1, e2) = tokenize_with_spans(text, [spans["e1"], spans["e2"]])
        out.append((int(sid), RelationExample(tuple(tokens), e1, e2, label, group=sid)))
        i += 2
    if not out:
        raise DatasetError(f"SemEval file {str(path)!r} holds no sentences")
    return out


def semeval_splits(path: str | Path | None = None) -> RelationSplits:
    path = Path(path) if path else DATA_ROOT / "semeval2010_task8/SemEval2010_task8_training/TRAIN_FILE.TXT"
    if path.is_dir():
        path = path / "SemEval2010_task8_training" / "TRAIN_FILE.TXT"
    rows = read_semeval(path)
    pick = lambda r: [ex for sid, ex in rows if sid % 10 in r]  # noqa: E731
    return RelationSplits("semeval", train=pick({1, 2, 3, 4, 6, 7, 8, 9}), val=pick({5}), test=pick({0}),
                          negative=SEMEVAL_OTHER, candidates="all")


# -- CoNLL04 ------------------------------------------------------------------------------------

def conll04_pairs(tokens, entities, relations, group: str = "") -> list[RelationExample]:
    """Every pair of entities in a sentence, labelled with their relation (or none)."""
    rel = {}
    for a, b, c, d, r in relations:
        rel.setdefault(((a, b), (c, d)), r)
    spans = sorted({(s, e) for s, e, *_ in entities})
    out = []
    for i, x in enumerate(spans):
        for y in spans[i + 1:]:
            if (x, y) in rel:
                out.append(make_example(tokens, x, y, rel[(x, y)], group=group))
            else:
                out.append(make_example(tokens, y, x, rel.get((y, x)), group=group))
    return out


def conll04_splits(path: str | Path | None = None) -> RelationSplits:
    from kg.eval.conll04 import read_conll04

    root = Path(path) if path else DATA_ROOT / "conll04"
    train = read_conll04(str(root / "train.CoNLL04.json"))
    valid = read_conll04(str(root / "valid.CoNLL04.json"))

    def pairs(sents, prefix, keep=lambda i: True):
        return [ex for i, s in enumerate(sents) if keep(i)
                for ex in conll04_pairs(s.tokens, s.entities, s.relations, f"{prefix}{i}")]

    return RelationSplits("conll04", train=pairs(train, "train", lambda i: i % 10 != 9),
                          val=pairs(train, "train", lambda i: i % 10 == 9), test=pairs(valid, "valid"))


# -- Re-DocRED ----------------------------------------------------------------------------------

def redocred_document_pairs(doc: dict, group: str = "") -> list[RelationExample]:
    """Same-sentence mention pairs of two different entities of one Re-DocRED document."""
    rel: dict[tuple[int, int], str] = {}
    for lab in sorted(doc.get("labels", []), key=lambda x: x["r"]):
        rel.setdefault((lab["h"], lab["t"]), lab["r"])
    by_sent: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for ent, mentions in enumerate(doc["vertexSet"]):
        for m in mentions:
            by_sent.setdefault(m["sent_id"], []).append((ent, tuple(m["pos"])))
    out = []
    for sid, ms in sorted(by_sent.items()):
        tokens = doc["sents"][sid]
        ms = sorted(set(ms), key=lambda m: m[1])
        for i, (ea, a) in enumerate(ms):
            for eb, b in ms[i + 1:]:
                if ea == eb or a == b:
                    continue
                if (ea, eb) in rel:
                    out.append(make_example(tokens, a, b, rel[(ea, eb)], group=group))
                else:
                    out.append(make_example(tokens, b, a, rel.get((eb, ea)), group=group))
    return out


def read_redocred(path: str | Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"Re-DocRED file {str(path)!r} is not readable JSON ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) and "vertexSet" in d for d in data):
        raise DatasetError(f"Re-DocRED file {str(path)!r}: expected a list of documents with vertexSet")
    return data


def redocred_split_of(index: int) -> str:
    return "test" if index % 5 == 4 else "val" if index % 10 == 3 else "train"


def redocred_splits(path: str | Path | None = None) -> RelationSplits:
    path = Path(path) if path else DATA_ROOT / "redocred" / "dev_revised.json"
    if path.is_dir():
        path = path / "dev_revised.json"
    parts: dict[str, list[RelationExample]] = {"train": [], "val": [], "test": []}
    for i, doc in enumerate(read_redocred(path)):
        parts[redocred_split_of(i)] += redocred_document_pairs(doc, f"doc{i}")
    return RelationSplits("redocred", **parts)


# -- JSONL ----------------------------------------------------------------------------------------

def read_jsonl(path: str | Path) -> list[tuple[str | None, RelationExample]]:
    """One labelled pair a line, ``(split or None, example)``.

    ``{"text": "Ada worked at IBM.", "head": [0, 3], "tail": [14, 17], "relation": "works_for"}``
    (character offsets, end exclusive) or ``{"tokens": [...], "head": [0, 1], "tail": [3, 4],
    "relation": ...}`` (token offsets). ``relation`` null (or missing) means no relation;
    the relation reads head -> tail. Optional ``"split"``: train, valid or test.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"relation file {str(path)!r} cannot be read: {exc.strerror}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc})") from None
        try:
            head, tail = tuple(int(v) for v in obj["head"]), tuple(int(v) for v in obj["tail"])
            if len(head) != 2 or len(tail) != 2 or head[0] >= head[1] or tail[0] >= tail[1]:
                raise ValueError("spans are [start, end) with start < end")
            if "tokens" in obj:
                tokens = [str(t) for t in obj["tokens"]]
                if max(head[1], tail[1]) > len(tokens):
                    raise ValueError("a span ends after the last token")
            else:
                text = obj["text"]
                if not isinstance(text, str) or max(head[1], tail[1]) > len(text):
                    raise ValueError('"text" must be a string holding both spans')
                tokens, (head, tail) = tokenize_with_spans(text, [head, tail])
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(f'{where}: each line needs "text" or "tokens", "head" and "tail" '
                               f"spans, optional \"relation\" ({exc})") from None
        if head == tail or (head[0] < tail[1] and tail[0] < head[1]):
            raise DatasetError(f"{where}: head and tail spans overlap")
        relation = obj.get("relation")
        split = obj.get("split")
        if split not in (None, "train", "valid", "val", "dev", "test"):
            raise DatasetError(f"{where}: split must be train, valid or test, got {split!r}")
        split = {"valid": "val", "dev": "val"}.get(split, split)
        out.append((split, make_example(tokens, head, tail, None if relation is None else str(relation),
                                        group=f"{path.name}:{n}")))
    if not out:
        raise DatasetError(f"relation file {str(path)!r} holds no examples")
    return out


def jsonl_splits(path: str | Path) -> RelationSplits:
    """A .jsonl file (rows without a split: every 10th is val, the next every 10th test) or a
    folder with ``train.jsonl`` and optional ``valid.jsonl`` / ``test.jsonl``."""
    path = Path(path)
    parts: dict[str, list[RelationExample]] = {"train": [], "val": [], "test": []}
    if path.is_dir():
        files = {"train": path / "train.jsonl", "val": path / "valid.jsonl", "test": path / "test.jsonl"}
        if not files["train"].is_file():
            raise DatasetError(f"relation data folder {str(path)!r} has no train.jsonl")
        for key, f in files.items():
            if f.is_file():
                parts[key] += [ex for _, ex in read_jsonl(f)]
    else:
        for n, (split, ex) in enumerate(read_jsonl(path)):
            parts[split or ("val" if n % 10 == 8 else "test" if n % 10 == 9 else "train")].append(ex)
    if not parts["train"]:
        raise DatasetError(f"relation data {str(path)!r} leaves no training examples")
    return RelationSplits(path.stem, **parts)


READERS = {"semeval": semeval_splits, "conll04": conll04_splits, "redocred": redocred_splits}


def load_splits(data: str, path: str | Path | None = None) -> RelationSplits:
    """``data``: semeval, conll04, redocred (``path``: where the files are, default
    ``../shared/data``) or the path of a JSONL file / folder."""
    if data in READERS:
        return READERS[data](path)
    p = Path(data)
    if p.exists():
        return jsonl_splits(p)
    from kg.errors import UnknownNameError

    raise UnknownNameError("relation data set (or a path that exists)", data, READERS)

