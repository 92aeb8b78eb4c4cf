from __future__ import annotations

from kg.query import describe_entity
from kg.vocab import Vocab

v = Vocab()


def test_describe_entity_types_neighbours_and_provenance(sample_store):
    a, b = v.entity("Yann LeCun"), v.entity("Convolutional neural network")
    p = v.relation("developed")
    doc = "lecun.txt"
    sample_store.replace_graph(v.doc_graph(doc), [
        (a, p, b), *v.document_triples(doc, source="docs/lecun.txt"), *v.agent_triples("rules", "1"),
        *v.provenance_triples(doc, (a, p, b), extractor="rules", version="1",
                              sentence="LeCun developed the CNN.", start=0, end=24, confidence=0.8)])
    info = describe_entity(sample_store, a)
    assert info.label == "Yann LeCun" and info.aliases == ["LeCun"]
    assert info.types == [(str(v.type("Person")), "Person")]
    outs = {(n.relation_label, n.other_label) for n in info.neighbours if n.direction == "out"}
    assert ("developed", "convolutional neural network") in outs and ("born in", "Paris") in outs
    [prov] = info.provenance
    assert (prov.source, prov.sentence, prov.start, prov.end, prov.confidence, prov.extractor) == \
        ("docs/lecun.txt", "LeCun developed the CNN.", 0, 24, 0.8, "rules")
