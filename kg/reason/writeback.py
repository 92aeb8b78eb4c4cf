"""Write accepted predictions into the named graph ``vocab.inferred_graph``, with provenance.

Shape (following kg.vocab's contract for reified statements)::

    <h> <r> <t> .                                   # the inferred fact itself
    <stmt> a rdf:Statement ; rdf:subject <h> ; rdf:predicate <r> ; rdf:object <t> ;
        prov:wasGeneratedBy <activity> ; prov:wasAttributedTo <agent> ;
        kgn:confidence 0.83 ;                       # the best rule's confidence
        kgn:rule "b1(X,A) ∧ b2(A,Y) ⇒ r(X,Y)" ;     # one per supporting rule (best first)
        kgn:evidence "H -[b1]-> A -[b2]-> T" .      # some grounding paths
    <activity> a prov:Activity ; prov:wasAssociatedWith <agent> ; kgn:minConfidence 0.5 .

Everything lives in the one graph, so ``store.remove_graph(vocab.inferred_graph)`` removes it all.
The terms kgn:rule, kgn:evidence and kgn:minConfidence are listed in kg.vocab's docstring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.reason.predict import Prediction
from kg.vocab import KGN, Vocab

RULE = KGN.rule
EVIDENCE = KGN.evidence
MIN_CONFIDENCE = KGN.minConfidence
AGENT = ("kgn-rules", "1")


def _hash(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def inferred_triples(predictions: Iterable[Prediction], vocab: Vocab, *, min_confidence: float,
                     max_rules: int = 5) -> list[tuple]:
    """The triples that record ``predictions`` (deterministic: same input, same IRIs)."""
    predictions = list(predictions)
    agent = vocab.agent(*AGENT)
    activity = URIRef(vocab.base + "activity/infer/" + _hash(min_confidence, *sorted(p.triple for p in predictions)))
    out = list(vocab.agent_triples(*AGENT))
    out += [(activity, RDF.type, PROV.Activity), (activity, PROV.wasAssociatedWith, agent),
            (activity, MIN_CONFIDENCE, Literal(float(min_confidence), datatype=XSD.double))]
    for p in predictions:
        s, r, o = URIRef(p.head), URIRef(p.relation), URIRef(p.tail)
        stmt = URIRef(vocab.base + "stmt/" + _hash("inferred", s, r, o))
        out += [(s, r, o), (stmt, RDF.type, RDF.Statement), (stmt, RDF.subject, s), (stmt, RDF.predicate, r),
                (stmt, RDF.object, o), (stmt, PROV.wasGeneratedBy, activity), (stmt, PROV.wasAttributedTo, agent),
                (stmt, KGN.confidence, Literal(round(float(p.score), 6), datatype=XSD.double))]
        for ev in p.evidence[:max_rules]:
            out.append((stmt, RULE, Literal(ev.rule.render())))
            out += [(stmt, EVIDENCE, Literal(path.render())) for path in ev.paths]
    return out


def write_inferred(store, predictions: Iterable[Prediction], vocab: Vocab, *, min_confidence: float) -> int:
    """Add ``predictions`` to the inferred graph; returns how many facts were written."""
    predictions = list(predictions)
    if predictions:
        store.add(inferred_triples(predictions, vocab, min_confidence=min_confidence), graph=vocab.inferred_graph)
    return len(predictions)


def remove_inferred(store, vocab: Vocab) -> None:
    """Drop every inferred fact and its provenance (the whole inferred graph)."""
    store.remove_graph(vocab.inferred_graph)
