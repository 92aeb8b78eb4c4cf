from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from kg.reason.index import TripleIndex
from kg.reason.predict import infer
from kg.reason.rules import MiningSettings, mine_rules
from kg.reason.writeback import RULE, remove_inferred, write_inferred
from kg.store import open_store
from kg.view import GraphView
from kg.vocab import KGN, Vocab
from tests.kg.reason.conftest import FACTS


def test_inferred_facts_have_provenance_and_are_removable():
    v = Vocab()
    store = open_store("memory")
    triples = []
    for h, r, t in FACTS:
        triples += [(v.entity(h), v.relation(r), v.entity(t))]
        triples += v.entity_triples(v.entity(h), h) + v.entity_triples(v.entity(t), t)
    store.add(triples, graph=v.doc_graph("d1"))
    view = GraphView(store, include_inferred=False, vocab=v)
    index = TripleIndex.from_graph(view.graph)
    rules = mine_rules(index, MiningSettings(max_len=2, min_support=2, min_conf=0.0))
    preds = [p for p in infer(index, rules, min_confidence=0.5) if p.tail_label == "I"]
    assert write_inferred(store, preds, v, min_confidence=0.5) == 1

    g, r, i = v.entity("G"), v.relation("r"), v.entity("I")
    assert list(store.triples(g, r, i, graph=v.inferred_graph)) == [(g, r, i)]
    (stmt,) = [s for s, _, _ in store.triples(None, RDF.subject, g, graph=v.inferred_graph)]
    assert list(store.triples(stmt, RDF.type, RDF.Statement))
    assert [o for _, _, o in store.triples(stmt, RULE, None)] == [Literal("p(X,A) ∧ q(A,Y) ⇒ r(X,Y)")]
    assert [float(o) for _, _, o in store.triples(stmt, KGN.confidence, None)] == [0.5]
    assert [str(o) for _, _, o in store.triples(stmt, KGN.evidence, None)] == ["G -[p]-> H -[q]-> I"]
    (activity,) = [o for _, _, o in store.triples(stmt, PROV.wasGeneratedBy, None)]
    assert list(store.triples(activity, RDF.type, PROV.Activity))

    full = GraphView(store, vocab=v).graph
    assert full.edges[str(g), str(i), str(r)]["inferred"] is True
    assert not view.refresh().has_edge(str(g), str(i))  # the reasoning view leaves inferred facts out

    remove_inferred(store, v)
    assert URIRef(v.inferred_graph) not in store.graphs()
    assert not list(store.triples(None, RULE, None))
    assert len(list(store.triples(None, None, None, graph=v.doc_graph("d1")))) == len(set(triples))
