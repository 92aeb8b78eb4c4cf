"""Head/relation/tail files (``.tsv``, ``.txt``, ``.csv``) as RDF in kgn's vocabulary.

The format of every link-prediction data set and of many user exports: one triple a line,
``head<TAB>relation<TAB>tail`` (comma-separated for ``.csv``), read by the one reader
:func:`kg.datasets.read_triples`. Each id becomes an entity IRI minted by :class:`kg.vocab.Vocab`
from the id (so the same id always gives the same IRI, whatever its label), each relation a
relation IRI with an ``rdfs:label``. An optional label file (``id<TAB>label``) gives entities
readable ``rdfs:label``s; the id itself is then kept as a ``skos:altLabel``, so both find it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kg.datasets import DatasetError, read_triples
from kg.vocab import Vocab

TSV_SUFFIXES = (".tsv", ".csv", ".txt")


def is_triple_table(path: str | Path) -> bool:
    """True for files kgn reads as head/relation/tail tables rather than RDF."""
    return Path(path).suffix.lower() in TSV_SUFFIXES


def read_labels(path: str | Path) -> dict[str, str]:
    """``id -> label`` from an ``id<TAB>label`` file (comma for ``.csv``); later lines win."""
    path = Path(path)
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    out: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.reader(fh, delimiter=delimiter), 1):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != 2 or not row[0].strip() or not row[1].strip():
                    raise DatasetError(f"{path}: line {n}: expected id and label separated by {delimiter!r}, "
                                       f"got {len(row)} field(s)")
                out[row[0].strip()] = row[1].strip()
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return out


def table_triples(path: str | Path, vocab: Vocab, labels: dict[str, str] | None = None) -> list[tuple]:
    """The RDF triples for one head/relation/tail file: the facts, entity labels (and the id as an
    alias when a label file renames it), relation declarations. Deterministic, duplicates dropped."""
    labels = labels or {}
    rows = read_triples(path)
    out: dict[tuple, None] = {}
    entities: dict[str, None] = {}
    relations: dict[str, None] = {}
    for h, r, t in rows:
        out[(vocab.entity(h), vocab.relation(r), vocab.entity(t))] = None
        entities[h] = entities[t] = None
        relations[r] = None
    for name in entities:
        label = labels.get(name, name)
        for triple in vocab.entity_triples(vocab.entity(name), label, aliases=(name,) if label != name else ()):
            out[triple] = None
    for name in relations:
        for triple in vocab.relation_triples(vocab.relation(name), name):
            out[triple] = None
    return list(out)


def load_table(store, path: str | Path, vocab: Vocab, graph, labels: dict[str, str] | None = None) -> int:
    """Replace ``graph`` with the triples of one head/relation/tail file (re-import is idempotent);
    returns how many facts the file holds."""
    triples = table_triples(path, vocab, labels)
    store.replace_graph(graph, triples)
    return sum(1 for _, p, _ in triples if str(p).startswith(vocab.base + "rel/"))
