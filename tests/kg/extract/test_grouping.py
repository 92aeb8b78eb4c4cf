"""Mention grouping within a document: exact entities on hand-written sentences."""

from __future__ import annotations

import pytest


def groups(result):
    """{entity name: sorted mention texts} of the named and grouped entities."""
    return {e.name: sorted(m[2] for m in e.mentions) for e in result.entities}


def test_hinton_is_one_entity(extractor):
    text = ("Geoffrey Hinton worked at the University of Toronto. He moved to Canada in 1987. "
            "In 2018 Hinton was awarded the Turing Award.")
    result = extractor.extract(text, "hinton")
    hinton = [e for e in result.entities if "Hinton" in e.name]
    assert len(hinton) == 1
    assert hinton[0].name == "Geoffrey Hinton" and hinton[0].label == "PERSON"
    assert sorted(m[2] for m in hinton[0].mentions) == ["Geoffrey Hinton", "He", "Hinton"]
    spo = {(t.subject, t.predicate, t.object) for t in result.triples}
    assert ("Geoffrey Hinton", "awarded", "Turing Award") in spo
    assert ("Geoffrey Hinton", "work at", "University of Toronto") in spo


CASES = {
    "surname and honorific after the full name": (
        "Tony Blair met Gordon Brown on Monday. Mr Blair said Brown was right. Blair's office agreed.",
        {"Tony Blair": ["Blair", "Blair", "Tony Blair"], "Gordon Brown": ["Brown", "Gordon Brown"]}),
    "untyped full name and a surname typed otherwise": (
        "Wilfried Schneider is a German skeleton racer. Schneider won two medals.",
        {"Wilfried Schneider": ["Schneider", "Wilfried Schneider"]}),
    "middle initial dropped": (
        "George W. Bush spoke in Texas. George Bush then left.",
        {"George W. Bush": ["George Bush", "George W. Bush"]}),
    "organisation without its legal suffix, and a definite description": (
        "Acme Corporation makes rockets. The company is based in Ohio. Acme sells them.",
        {"Acme Corporation": ["Acme", "Acme Corporation", "company"]}),
    "acronym after its long form, not in parentheses": (
        "The United Nations Security Council met in New York. The UNSC voted.",
        {"United Nations Security Council": ["UNSC", "United Nations Security Council"]}),
    "parenthesised acronym": (
        "The Latin American School of Medicine (LASM) opened. LASM trains doctors.",
        {"Latin American School of Medicine": ["LASM", "LASM", "Latin American School of Medicine"]}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_grouping(extractor, name):
    text, expected = CASES[name]
    got = groups(extractor.extract(text, "g"))
    for entity, mentions in expected.items():
        assert got.get(entity) == mentions, got


def test_a_place_is_not_a_part_of_a_longer_place(extractor):
    got = groups(extractor.extract("Albany County lies north of Albany. Albany is old.", "a"))
    assert "Albany" in got and "Albany County" in got


def test_surname_shared_by_two_people_is_left_alone(extractor):
    text = "Harry Alger met Ross Alger in Boston. Alger spoke first."
    got = groups(extractor.extract(text, "a"))
    assert got["Harry Alger"] == ["Harry Alger"] and got["Ross Alger"] == ["Ross Alger"]


def test_conflicting_types_are_voted_and_kept(extractor):
    text = "Wilfried Schneider raced. Schneider won. Schneider retired."
    result = extractor.extract(text, "v")
    (e,) = [e for e in result.entities if e.name == "Wilfried Schneider"]
    assert e.label == "PERSON"
    assert e.type_confidence is not None and 0 < e.type_confidence <= 1
    if len({m[2] for m in e.mentions}) > 1 and e.type_votes:
        assert "PERSON" in e.type_votes
