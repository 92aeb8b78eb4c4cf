"""The one entity resolver: names, IRIs, case, ambiguity, suggestions, search."""

from __future__ import annotations

import pytest

from kg.errors import AmbiguousEntityError, UnknownEntityError
from kg.indexing import build_index
from kg.reason.index import TripleIndex
from kg.resolve import EntityResolver
from kg.vocab import Vocab

v = Vocab()


@pytest.fixture
def resolver(sample_store):
    return EntityResolver(build_index(sample_store, v).index)


def test_label_alias_iri_any_case(resolver):
    ix = resolver.index
    hinton = ix.entity_id[str(v.entity("Geoffrey Hinton"))]
    assert resolver.lookup("geoffrey HINTON") == [hinton]
    assert resolver.lookup("  Geoffrey   Hinton ") == [hinton]
    assert resolver.lookup(str(v.entity("Geoffrey Hinton"))) == [hinton]
    assert resolver.lookup("Geoffrey_Hinton") == [hinton]
    assert resolver.resolve_iri("cnn") == str(v.entity("Convolutional neural network"))
    assert resolver.lookup('x" } UNION { ?e ?p ?l } #') == []


def test_unknown_name_suggests_close_names(resolver):
    with pytest.raises(UnknownEntityError, match=r"unknown entity 'Geoffrey Hintn'; did you mean: Geoffrey Hinton"):
        resolver.resolve("Geoffrey Hintn")
    with pytest.raises(UnknownEntityError, match=r"unknown entity 'Hintn'; did you mean: .*Hinton") as err:
        resolver.resolve("Hintn")
    assert "Geoffrey Hinton" in err.value.suggestions
    with pytest.raises(UnknownEntityError, match=r"unknown entity 'zzzz'$"):
        resolver.resolve("zzzz")


def test_shared_name_lists_candidates_with_types():
    ix = TripleIndex(("http://x/Paris_city", "http://x/Paris_person"), ("http://x/r",), [(0, 0, 1)],
                     entity_labels=("Paris", "Paris"),
                     entity_types=(("http://x/type/City",), ("http://x/type/Person",)))
    r = EntityResolver(ix)
    with pytest.raises(AmbiguousEntityError, match=r"'paris' is ambiguous; use one of: Paris \(City\)") as err:
        r.resolve("paris")
    assert [iri for iri, _ in err.value.candidates] == ["http://x/Paris_city", "http://x/Paris_person"]
    assert r.resolve("http://x/Paris_person") == 1


def test_search_ranks_exact_then_prefix_then_similar(resolver):
    hits = resolver.search("geoffrey", limit=3)
    assert hits[0].label == "Geoffrey Hinton" and 0.9 < hits[0].score < 1.0
    assert resolver.search("Geoffrey Hinton")[0].score == 1.0
    assert resolver.search("") == []
