"""Canonicalisation within a document and linking to entities already in the graph."""

from __future__ import annotations

from kg.extract.job import run_job
from kg.extract.linking import acronym_matches
from kg.extract.mentions import is_acronym
from kg.view import GraphView
from kg.vocab import Vocab
from kg.workspace import open_workspace


def test_acronym_helpers():
    assert acronym_matches("CNN", "convolutional neural network")
    assert acronym_matches("DoD", "Department of Defense")
    assert not acronym_matches("CNN", "recurrent neural network")
    assert is_acronym("CNN") and is_acronym("ASEAN+3") and not is_acronym("Cat")
    # two capitals in a surname do not make an acronym
    assert not is_acronym("McNamara") and not is_acronym("DiCaprio")


def test_acronym_gives_one_entity_with_alias(extractor):
    text = ("The convolutional neural network (CNN) was invented by Yann LeCun. "
            "Facebook uses CNN for images.")
    result = extractor.extract(text, doc_id="a")
    cnn = [e for e in result.entities if "CNN" in e.aliases or e.name == "CNN"]
    assert len(cnn) == 1 and cnn[0].name == "convolutional neural network"
    assert len(cnn[0].mentions) >= 2
    assert ("Yann LeCun", "invent", "convolutional neural network") in {
        (t.subject, t.predicate, t.object) for t in result.triples}
    assert ("Facebook", "use", "convolutional neural network") in {
        (t.subject, t.predicate, t.object) for t in result.triples}


def test_case_variants_are_one_entity(extractor):
    result = extractor.extract("Neural networks learn. A neural network is a model.", doc_id="c")
    assert [e.name for e in result.entities].count("neural network") == 1


def test_linking_to_entities_already_in_the_graph(extractor, tmp_path):
    (tmp_path / "one.txt").write_text("The convolutional neural network (CNN) was invented by Yann LeCun.")
    (tmp_path / "two.txt").write_text("Google uses CNN. Yann Lecun lives in New York.")
    ws = open_workspace("memory")
    store = ws.store
    run_job(ws, [str(tmp_path / "one.txt")], extractor=extractor, ledger=None, report=None)
    run_job(ws, [str(tmp_path / "two.txt")], extractor=extractor, ledger=None, report=None)
    view = GraphView(store, vocab=Vocab())
    v = Vocab()
    assert view.lookup("CNN") == [str(v.entity("convolutional neural network"))]
    assert view.lookup("yann lecun") == [str(v.entity("Yann LeCun"))]  # case variant, same node
    g = view.graph
    cnn = str(v.entity("convolutional neural network"))
    assert g.has_edge(str(v.entity("Google")), cnn)
    assert g.has_edge(str(v.entity("Yann LeCun")), str(v.entity("New York")))
    assert str(v.entity("CNN")) not in g


def test_linking_does_not_depend_on_the_document_itself(extractor, tmp_path):
    """Re-extracting a document (no ledger) writes exactly what the first pass wrote."""
    (tmp_path / "a.txt").write_text("Bob lives in Berlin. BERLIN is big.")
    (tmp_path / "b.txt").write_text("The convolutional neural network (CNN) is used by bob.")
    ws = open_workspace("memory")
    store = ws.store
    run_job(ws, [str(tmp_path)], extractor=extractor, ledger=None, report=None)
    first = set(store.quads())
    run_job(ws, [str(tmp_path)], extractor=extractor, ledger=None, report=None)
    assert set(store.quads()) == first


def test_surname_alone_does_not_merge_across_documents(extractor, tmp_path):
    """Two documents about two people called Howard: one-word person names stay apart."""
    (tmp_path / "a.txt").write_text("Howard won the race in Leeds.")
    (tmp_path / "b.txt").write_text("Howard sold the company to Acme.")
    ws = open_workspace("memory")
    store = ws.store
    run_job(ws, [str(tmp_path)], extractor=extractor, ledger=None, report=None)
    view = GraphView(store, vocab=Vocab())
    assert len(view.lookup("Howard")) == 2


def test_full_name_of_the_same_type_links_and_the_decision_is_recorded(extractor, tmp_path):
    from kg.vocab import KGN

    (tmp_path / "a.txt").write_text("Geoffrey Hinton lives in Toronto.")
    (tmp_path / "b.txt").write_text("Geoffrey Hinton works at Google.")
    ws = open_workspace("memory")
    store = ws.store
    run_job(ws, [str(tmp_path / "a.txt")], extractor=extractor, ledger=None, report=None)
    run_job(ws, [str(tmp_path / "b.txt")], extractor=extractor, ledger=None, report=None)
    view = GraphView(store, vocab=Vocab())
    assert view.lookup("Geoffrey Hinton") == [str(Vocab().entity("Geoffrey Hinton"))]
    rows = store.query(f"SELECT ?d ?s WHERE {{ GRAPH ?g {{ ?l <{KGN.decision}> ?d ; "
                       f"<{KGN.score}> ?s }} }}").rows
    assert [(str(d), float(s)) for d, s in rows] == [("linked", 1.5)]
