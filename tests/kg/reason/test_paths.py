import pytest

from kg.errors import UnknownNameError
from kg.reason.errors import NoPathError, UnknownEntityError, UnknownRelationError
from kg.reason.index import TripleIndex
from kg.reason.paths import (
    PathFilter,
    all_simple_paths,
    k_shortest_paths,
    make_filter,
    shortest_path,
    shortest_paths,
)
from kg.view import build_graph

E = "https://kgn.example/entity/"
R = "https://kgn.example/rel/"
T = "https://kgn.example/type/"


@pytest.fixture
def academia() -> TripleIndex:
    edges = [(E + "Hinton", R + "worked_at", E + "Toronto"), (E + "Toronto", R + "located_in", E + "Canada"),
             (E + "Montreal", R + "located_in", E + "Canada"), (E + "Bengio", R + "worked_at", E + "Montreal"),
             (E + "Hinton", R + "coauthor", E + "LeCun"), (E + "LeCun", R + "coauthor", E + "Bengio"),
             (E + "Hinton", R + "worked_at", E + "Google")]
    labels = {E + n: n.replace("_", " ") for n in ("Hinton", "Toronto", "Canada", "Montreal", "Bengio", "LeCun", "Google")}
    labels[E + "Toronto"] = "University of Toronto"
    types = {E + "Hinton": {T + "Person"}, E + "Bengio": {T + "Person"}, E + "LeCun": {T + "Person"},
             E + "Toronto": {T + "Organization"}, E + "Montreal": {T + "Organization"}, E + "Google": {T + "Organization"},
             E + "Canada": {T + "Place"}}
    g = build_graph(edges, labels=labels, types=types, aliases={E + "Hinton": {"Geoffrey Hinton"}},
                    relation_labels={R + "worked_at": "worked at", R + "located_in": "located in", R + "coauthor": "coauthor"})
    return TripleIndex.from_graph(g)


def test_shortest_path_walks_edges_backwards_and_renders(academia):
    p = shortest_path(academia, "Geoffrey Hinton", "bengio")
    assert len(p) == 2
    assert p.render() == "Hinton -[coauthor]-> LeCun -[coauthor]-> Bengio"
    p = shortest_path(academia, "Hinton", "Montreal", flt=make_filter(academia, relations=["worked at", "located in"]))
    assert p.render() == ("Hinton -[worked at]-> University of Toronto -[located in]-> Canada "
                          "<-[located in]- Montreal")
    assert p.relation_sequence == ("worked at", "located in", "^located in")
    assert p.steps[2].inverse and p.steps[2].relation == R + "located_in"


def test_k_shortest_paths_in_length_order(academia):
    paths = k_shortest_paths(academia, "Hinton", "Montreal", k=5)
    assert [p.render() for p in paths] == [
        "Hinton -[coauthor]-> LeCun -[coauthor]-> Bengio -[worked at]-> Montreal",
        "Hinton -[worked at]-> University of Toronto -[located in]-> Canada <-[located in]- Montreal",
    ]


def test_all_simple_paths_and_all_shortest(academia):
    paths = all_simple_paths(academia, "Hinton", "Canada", max_len=4)
    assert [len(p) for p in paths] == [2, 4]
    assert paths[1].render() == ("Hinton -[coauthor]-> LeCun -[coauthor]-> Bengio -[worked at]-> Montreal "
                                 "-[located in]-> Canada")
    assert len(all_simple_paths(academia, "Hinton", "Canada", max_len=3)) == 1
    assert [str(p) for p in shortest_paths(academia, "Hinton", "Canada")] == [
        "Hinton -[worked at]-> University of Toronto -[located in]-> Canada"]


def test_parallel_relations_are_distinct_paths():
    ix = TripleIndex.from_triples([("a", "x", "b"), ("a", "y", "b"), ("b", "z", "c")])
    assert [p.render() for p in k_shortest_paths(ix, "a", "c", k=5)] == ["a -[x]-> b -[z]-> c", "a -[y]-> b -[z]-> c"]


def test_filters_directions_and_types(academia):
    # Forward only: from Montreal one reaches Canada and stops there.
    with pytest.raises(NoPathError, match="no path within 6 hops between Montreal and Hinton"):
        shortest_path(academia, "Montreal", "Hinton", flt=PathFilter(inverse=False))
    assert len(shortest_path(academia, "Hinton", "Montreal", flt=PathFilter(inverse=False))) == 3
    # Only people in between: Hinton -> LeCun -> Bengio is allowed; through Toronto is not.
    flt = make_filter(academia, entity_types=["Person"])
    assert shortest_path(academia, "Hinton", "Montreal", flt=flt).render() == \
        "Hinton -[coauthor]-> LeCun -[coauthor]-> Bengio -[worked at]-> Montreal"
    with pytest.raises(NoPathError):
        shortest_path(academia, "Hinton", "Montreal", max_len=2)
    with pytest.raises(UnknownNameError, match="entity type 'Robot'"):
        make_filter(academia, entity_types=["Robot"])


def test_unknown_names_suggest_close_ones(academia):
    with pytest.raises(UnknownEntityError, match=r"unknown entity 'Hintn'; did you mean: Hinton"):
        shortest_path(academia, "Hintn", "Canada")
    with pytest.raises(UnknownRelationError, match=r"did you mean: worked at"):
        make_filter(academia, relations=["workd at"])
