"""Each relation pattern on a hand-written sentence: the exact triples it must give."""

from __future__ import annotations

import pytest

from tests.kg.extract.conftest import spo

CASES = {
    "active svo + coordination": (
        "Alice and Bob founded Acme and Initech.",
        {("Alice", "found", "Acme"), ("Alice", "found", "Initech"),
         ("Bob", "found", "Acme"), ("Bob", "found", "Initech")}),
    "passive with agent": (
        "The company was founded by Larry Page in 1998.",
        {("Larry Page", "found", "company"), ("company", "founded in", "1998")}),
    "passive verb + preposition": (
        "Berlin is located in Germany.",
        {("Berlin", "located in", "Germany")}),
    "active verb + preposition": (
        "Bob lives in Berlin.",
        {("Bob", "live in", "Berlin")}),
    "copular typing + relative clause": (
        "John Wilkes Booth, who assassinated President Lincoln, was an actor.",
        {("John Wilkes Booth", "assassinate", "Lincoln"), ("John Wilkes Booth", "type", "actor")}),
    "copular subclass": (
        "Dogs are mammals.",
        {("dog", "subclass of", "mammal")}),
    "copula + noun + preposition": (
        "Paris is the capital of France.",
        {("Paris", "capital of", "France")}),
    "inverse copula": (
        "The capital of France is Paris.",
        {("Paris", "capital of", "France")}),
    "appositive": (
        "Alan Turing, a professor at Harvard, was born in London.",
        {("Alan Turing", "type", "professor"), ("Alan Turing", "professor at", "Harvard"),
         ("Alan Turing", "born in", "London")}),
    "possessive appositive": (
        "Microsoft's founder, Bill Gates, is a philanthropist.",
        {("Bill Gates", "founder of", "Microsoft"), ("Bill Gates", "type", "philanthropist")}),
    "possessive subject of a copula": (
        "Alice Smith's profession is engineer.",
        {("Alice Smith", "profession", "engineer")}),
    "possessive": (
        "Google's headquarters are in Mountain View.",
        {("Google", "have", "headquarters"), ("headquarters", "be in", "Mountain View")}),
    "coordinated verbs share the subject": (
        "Aarhus Airport is located in Tirstrup and serves the city of Aarhus.",
        {("Aarhus Airport", "located in", "Tirstrup"), ("Aarhus Airport", "serve", "city"),
         ("Aarhus Airport", "serve city of", "Aarhus")}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pattern(extractor, name):
    text, expected = CASES[name]
    assert spo(extractor.extract(text, doc_id="t")) == expected


def test_negated_statement_is_not_asserted(extractor):
    result = extractor.extract("Berlin is not located in France.", doc_id="neg")
    assert result.triples == []
    assert [(t.subject, t.predicate, t.object, t.negated) for t in result.negated] == [
        ("Berlin", "located in", "France", True)]
    assert not any("located" in str(p) for _, p, _ in result.to_triples())


def test_triple_fields_point_into_the_text(extractor):
    text = "Some intro here. Bob lives in Berlin."
    (t,) = extractor.extract(text, doc_id="d").triples
    assert text[t.start:t.end] == "Bob lives in Berlin"
    assert t.sentence == "Bob lives in Berlin."
    assert (t.subject_type, t.object_type, t.method, t.kind) == ("PERSON", "GPE", "rules", "prep")
    assert 0 < t.confidence <= 1


def test_pronouns_are_not_entities_and_determiners_are_stripped(extractor):
    result = extractor.extract("He bought the old house. It was a gift.", doc_id="p")
    names = {e.name for e in result.entities}
    assert "old house" in names and "gift" in names
    assert not names & {"He", "he", "It", "it", "the old house"}


def test_unknown_relation_method_lists_choices(nlp):
    from kg.errors import UnknownNameError
    from kg.extract import Extractor, ExtractorSettings

    with pytest.raises(UnknownNameError, match="choose one of: rules"):
        Extractor(ExtractorSettings(relations="magic"), nlp=nlp)


def test_a_relation_method_object_can_be_passed_in(nlp):
    from kg.extract import Extractor, Relation, RelationMethod

    class FirstTwoMentions(RelationMethod):
        name, version = "toy", "0"

        def __call__(self, doc):
            a, b = list(doc.spans["kgn_mentions"])[:2]
            return [Relation(a, "near", b, 0.5)]

    result = Extractor(nlp=nlp, relation_method=FirstTwoMentions()).extract("Alice met Bob.", "x")
    assert spo(result) == {("Alice", "near", "Bob")}
    assert result.extractor == "toy" and result.version.startswith("0+")
