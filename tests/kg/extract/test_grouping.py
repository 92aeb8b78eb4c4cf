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
    "initials of the full name, then the surname typed otherwise": (
        "John Henry Dearle or J. H. Dearle was a British designer. Dearle designed wallpapers "
        "for the firm.",
        {"John Henry Dearle": ["Dearle", "J. H. Dearle", "John Henry Dearle"]}),
    "a surname with two capitals is not an acronym": (
        "Mark McNamara is an American basketball player. McNamara played in eight seasons.",
        {"Mark McNamara": ["Mark McNamara", "McNamara"]}),
    "longest names first: a chain of legal suffixes": (
        "US Airways Group Inc. was an airline holding company. US Airways Group owned US Airways. "
        "US Airways flew to Boston.",
        {"US Airways Group Inc.": ["US Airways", "US Airways", "US Airways Group",
                                   "US Airways Group Inc."]}),
    "a later surname of a long person name typed a person": (
        "Guillermo David Endara Galimany was a Panamanian politician. Endara was president from 1989.",
        {"Guillermo David Endara Galimany": ["Endara", "Guillermo David Endara Galimany"]}),
    "the town of X is X": (
        "Yandina is a town in Queensland. The town of Yandina grew.",
        {"Yandina": ["Yandina", "Yandina", "town"], "Queensland": ["Queensland"]}),
    "the village of X is X, not the place named before": (
        "The king of Spain visited the village of Vigra.",
        {"Spain": ["Spain"], "Vigra": ["Vigra", "village"]}),
    "a team by its nickname": (
        "The Minnesota Vikings won the game on Sunday. The Vikings scored twice.",
        {"Minnesota Vikings": ["Minnesota Vikings", "Vikings"]}),
    "a Nordic sports club without its club suffix": (
        "Fyllingen IL is a sports club from Bergen. Fyllingen played in the top league.",
        {"Fyllingen IL": ["Fyllingen", "Fyllingen IL"], "Bergen": ["Bergen"]}),
    "a river is not a county": (
        "Foots Creek is an unincorporated community in Jackson County. Foots Creek lies along the "
        "river.",
        {"Foots Creek": ["Foots Creek", "Foots Creek"], "Jackson County": ["Jackson County"]}),
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


def test_a_definition_outvotes_the_name_typed_the_same_way_many_times(extractor):
    # the small model types "Foots Creek" PERSON at every mention; one string typed five times is
    # one vote (2, for two words), the definition another (3)
    text = ("Foots Creek is an unincorporated community in Jackson County. Foots Creek lies along "
            "the river. Foots Creek has a post office. Foots Creek grew.")
    (e,) = [e for e in extractor.extract(text, "f").entities if e.name == "Foots Creek"]
    assert e.label == "GPE"
    assert e.type_votes.get("GPE") == 3.0


def test_a_class_noun_heading_the_name_outvotes_the_models_label(extractor):
    # the small model types the championships a facility; its head noun names an event
    text = "Martin Rettl competed at the FIBT World Championships in 2005."
    (e,) = [e for e in extractor.extract(text, "h").entities if e.name == "FIBT World Championships"]
    assert e.label == "EVENT"
    assert e.type_votes == {"FAC": 3.0, "EVENT": 3.5}


def test_the_object_of_a_bare_in_votes_for_a_place(extractor):
    # the small model types "Pwani" ORG here; "studied in Pwani" says where
    text = "Amy Grant grew up in Pleasanton and studied in Pwani."
    (e,) = [e for e in extractor.extract(text, "p").entities if e.name == "Pwani"]
    assert e.label == "GPE"
    assert e.type_votes == {"ORG": 1.0, "GPE": 1.5}
