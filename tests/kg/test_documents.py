"""Entity descriptions kept once, maintained as documents come and go."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.documents import drop_document, write_document
from kg.workspace import open_workspace

LABELS = "SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


def doc(v, name: str, *, alias: str | None = None, typ: str = "Person"):
    e = v.entity("Tony Blair")
    out = [*v.entity_triples(e, "Tony Blair", aliases=[alias] if alias else [], types=[typ]),
           (e, v.relation("visited"), v.entity(name)), *v.entity_triples(v.entity(name), name)]
    return e, out


def test_a_label_is_one_row_however_many_documents_repeat_it():
    with open_workspace("memory") as ws:
        v, store = ws.vocab, ws.store
        for i, place in enumerate(["Paris", "Rome", "Oslo"]):
            e, triples = doc(v, place)
            write_document(store, v, v.doc_graph(f"d{i}"), triples)
        rows = store.query(LABELS, {"e": e}).rows
        assert rows == [(Literal("Tony Blair"),)]
        assert len(store.query(f"SELECT ?t WHERE {{ <{e}> <{RDF.type}> ?t }}").rows) == 1


def test_dropping_and_replacing_documents_leaves_no_orphans():
    with open_workspace("memory") as ws:
        v, store = ws.vocab, ws.store
        e, d0 = doc(v, "Paris", alias="Blair")
        _, d1 = doc(v, "Rome", typ="Politician")
        write_document(store, v, v.doc_graph("d0"), d0)
        write_document(store, v, v.doc_graph("d1"), d1)
        aliases = lambda: {str(r[0]) for r in store.query(f"SELECT ?a WHERE {{ ?e <{SKOS.altLabel}> ?a }}", {"e": e}).rows}  # noqa: E731
        types = lambda: {str(r[0]).rsplit("/", 1)[-1] for r in store.query(f"SELECT ?t WHERE {{ ?e <{RDF.type}> ?t }}", {"e": e}).rows}  # noqa: E731
        assert aliases() == {"Blair"} and types() == {"Person", "Politician"}
        # d0 again without the alias: the alias only d0 stated goes, the label stays.
        _, d0b = doc(v, "Paris")
        write_document(store, v, v.doc_graph("d0"), d0b)
        assert aliases() == set() and types() == {"Person", "Politician"}
        drop_document(store, v, v.doc_graph("d1"))
        assert types() == {"Person"}
        assert store.query(LABELS, {"e": v.entity("Rome")}).rows == []  # only d1 mentioned Rome
        drop_document(store, v, v.doc_graph("d0"))
        assert store.query(LABELS, {"e": e}).rows == []
        assert not store.query(f"ASK {{ GRAPH <{v.descriptions_graph}> {{ ?s ?p ?o }} }}").boolean


def test_the_index_reads_descriptions_and_new_documents(tmp_path):
    with open_workspace(tmp_path / "s") as ws:
        v = ws.vocab
        e, d0 = doc(v, "Paris", alias="Blair")
        write_document(ws.store, v, v.doc_graph("d0"), d0)
        assert ws.resolve("blair") == str(e)
        _, d1 = doc(v, "Rome")
        write_document(ws.store, v, v.doc_graph("d1"), d1)  # an update, not a rebuild
        assert ws.resolve("rome") == str(v.entity("Rome"))
        i = ws.index().entity_id[str(e)]
        assert ws.index().entity_labels[i] == "Tony Blair" and ws.index().entity_aliases[i] == ("Blair",)
        assert RDFS.label  # the records use kgn's own predicates, not rdfs:label, in document graphs
        assert not ws.store.query(f"ASK {{ GRAPH <{v.doc_graph('d0')}> {{ ?s <{RDFS.label}> ?l }} }}").boolean


def test_writing_documents_in_one_batch_equals_writing_them_one_by_one():
    from kg.documents import write_documents

    def state(store):
        return sorted(map(str, store.quads()))

    with open_workspace("memory") as one, open_workspace("memory") as batch:
        v = one.vocab
        docs = [(v.doc_graph(f"d{i}"), doc(v, place, alias="Blair" if i == 1 else None)[1])
                for i, place in enumerate(["Paris", "Rome", "Oslo"])]
        for graph, triples in docs:
            write_document(one.store, v, graph, triples)
        stamp = batch.store.stamp()
        counts = write_documents(batch.store, batch.vocab, docs)
        assert state(one.store) == state(batch.store) and all(c > 0 for c in counts)
        assert batch.store.changes_since(stamp) >= {str(g) for g, _ in docs}  # one write, every graph named
        # A new version of d1 (without the alias) and a new d3, in one batch: d1 is replaced.
        newer = [(v.doc_graph("d1"), doc(v, "Rome")[1]), (v.doc_graph("d3"), doc(v, "Bern")[1])]
        for graph, triples in newer:
            write_document(one.store, v, graph, triples)
        write_documents(batch.store, batch.vocab, newer)
        assert state(one.store) == state(batch.store)
        assert not batch.store.query(f"ASK {{ ?e <{SKOS.altLabel}> 'Blair' }}").boolean
