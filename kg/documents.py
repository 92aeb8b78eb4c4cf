"""Writing and dropping document graphs with entity descriptions kept once.

An extracted document states facts (relation triples, provenance) and *describes* the entities,
types, relations and agents it mentions (``rdfs:label``, ``skos:altLabel``, ``rdf:type``,
``kgn:version``). Facts stay in the document's named graph. Descriptions go to one shared graph
(``B graph/descriptions``, :attr:`kg.vocab.Vocab.descriptions_graph`), where each is a single
triple however many documents repeat it, so ``SELECT ?org ?label`` returns one row per label and
not one per mentioning document. The document graph keeps its own copy of what it contributed as
``kgn:docLabel`` / ``kgn:docAltLabel`` / ``kgn:docType`` / ``kgn:docVersion`` records, so that
when a document is replaced or dropped the descriptions of the entities it described are
recomputed from the documents that remain: no orphan label, alias or type is left behind.

Each write is one transaction: the document graph, its records, and the descriptions it changes.
"""

from __future__ import annotations

from typing import Iterable

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.store._terms import nt
from kg.store.base import Store, data_update, to_ox_quads
from kg.vocab import KGN, Vocab

# Description predicate -> the predicate of the per-document record of it.
RECORDS = {RDFS.label: KGN.docLabel, SKOS.altLabel: KGN.docAltLabel, RDF.type: KGN.docType,
           KGN.version: KGN.docVersion}
_FROM_RECORD = {v: k for k, v in RECORDS.items()}


def split_descriptions(vocab: Vocab, triples: Iterable[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(facts, descriptions): descriptions are the label/alias/type/version triples of things
    that outlive one document (entities, types, relations, agents)."""
    local = (vocab.base + "stmt/", vocab.base + "doc/", vocab.base + "graph/")
    facts, descriptions = [], []
    for s, p, o in triples:
        if p in RECORDS and isinstance(s, URIRef) and not str(s).startswith(local):
            descriptions.append((s, p, o))
        else:
            facts.append((s, p, o))
    return facts, descriptions


def _described_by(store: Store, graph: URIRef) -> list[URIRef]:
    preds = "|".join(f"<{p}>" for p in RECORDS.values())
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s {preds} ?v }} }}", {"g": graph}).rows
    return [r[0] for r in rows]


def _recompute(vocab: Vocab, subjects: list) -> str:
    """SPARQL that rebuilds the descriptions of ``subjects`` from every document's records."""
    if not subjects:
        return ""
    d = nt(vocab.descriptions_graph)
    values = " ".join(nt(s) for s in subjects)
    ops = [f"DELETE {{ GRAPH {d} {{ ?s ?p ?v }} }} WHERE {{ VALUES ?s {{ {values} }} GRAPH {d} {{ ?s ?p ?v }} }}"]
    for record, pred in _FROM_RECORD.items():
        ops.append(f"INSERT {{ GRAPH {d} {{ ?s <{pred}> ?v }} }} WHERE {{ VALUES ?s {{ {values} }} "
                   f"GRAPH ?g {{ ?s <{record}> ?v }} }}")
    return " ;\n".join(ops)


def _document_quads(vocab: Vocab, graph: URIRef, triples: Iterable[tuple]) -> list:
    """One document's quads: its facts and description records in ``graph``, its descriptions in
    the shared descriptions graph."""
    facts, descriptions = split_descriptions(vocab, triples)
    own = facts + [(s, RECORDS[p], o) for s, p, o in descriptions]
    return to_ox_quads([*((s, p, o, graph) for s, p, o in own),
                        *((s, p, o, vocab.descriptions_graph) for s, p, o in descriptions)])


def write_document(store: Store, vocab: Vocab, graph: URIRef, triples: Iterable[tuple]) -> int:
    """Make ``graph`` hold one document's triples (replacing what it held), with descriptions kept
    once in the shared graph; one transaction. Returns the number of quads written."""
    quads = _document_quads(vocab, graph, triples)
    shared = vocab.descriptions_graph
    previous = _described_by(store, graph) if store.has_graph(graph) else None
    if previous is None:
        store.insert_quads(quads, touched=[graph, shared])
    else:
        # What the old version described is recomputed after the new records are in, so that a
        # label, alias or type it alone stated goes, and whatever another document (or the new
        # version) states stays.
        stale = sorted(previous, key=str)
        text = data_update(quads, drop=[graph])
        if stale:
            text += " ;\n" + _recompute(vocab, stale)
        store.update(text, touched=[graph, shared])
    return len(quads)


def write_documents(store: Store, vocab: Vocab, docs: list[tuple[URIRef, Iterable[tuple]]]) -> list[int]:
    """:func:`write_document` for many documents: the ones the store does not hold yet go in one
    transaction (a batch job pays one write, not one per short document); a document that
    replaces an earlier version is written alone, as :func:`write_document` does. Returns the
    quads written per document."""
    counts: list[int] = [0] * len(docs)
    new_quads, new_graphs = [], []
    for i, (graph, triples) in enumerate(docs):
        if store.has_graph(graph):
            counts[i] = write_document(store, vocab, graph, triples)
            continue
        quads = _document_quads(vocab, graph, triples)
        new_quads.extend(quads)
        new_graphs.append(graph)
        counts[i] = len(quads)
    if new_graphs:
        store.insert_quads(new_quads, touched=[*new_graphs, vocab.descriptions_graph])
    return counts


def drop_document(store: Store, vocab: Vocab, graph: URIRef) -> None:
    """Remove a document graph and the descriptions only it supported; one transaction."""
    described = _described_by(store, graph)
    text = f"DROP SILENT GRAPH {nt(graph)}"
    if described:
        text += " ;\n" + _recompute(vocab, described)
    store.update(text, touched=[graph, vocab.descriptions_graph])
