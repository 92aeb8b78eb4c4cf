"""A custom NER's labels drive the extractor's rules through their roles (kg.extract.roles).

The fake NER is en_core_web_sm with its ``ner`` replaced by an entity ruler (named ``ner``, so kgn's
loader keeps it) that writes CoNLL04-style labels: ``Peop``, ``Loc``, ``Org`` and a ``Yr`` for
years. The same pipeline is read with the CoNLL04 map and with OntoNotes' (the default), where the
custom labels mean nothing to the rules.
"""

from __future__ import annotations

import json
import pickle

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import KgnError, UnknownNameError
from kg.extract import Extractor, ExtractorSettings
from kg.extract.extractor import ExtractorRecipe
from kg.extract.linking import GraphLinker
from kg.extract.model import NER_CLASSES, DocResult, Entity
from kg.extract.nlp import load_pipeline
from kg.extract.roles import META_KEY, ONTONOTES_ROLES, ROLE_CLASSES, LabelRoles, pipeline_roles
from kg.vocab import Vocab

PATTERNS = [("Peop", "Tony Blair"), ("Peop", "Blair"), ("Peop", "Bush"), ("Loc", "London"),
            ("Peop", "John Wilkes Booth"), ("Peop", "President Lincoln"), ("Peop", "Bob Dole"),
            ("Loc", "Kansas"), ("Org", "Acme Corporation"), ("Org", "Acme"), ("Yr", "1998")]
TEXT = ("Tony Blair met Bush in London in 1998. Mr Blair said he would stay. "
        "John Wilkes Booth (born 1838) shot President Lincoln. Bob Dole of Kansas spoke. "
        "Acme Corporation makes rockets. Acme sells them.")
CONLL = "Peop=person,Loc=place,Org=organisation,Yr=date"


@pytest.fixture(scope="module")
def fake_ner():
    nlp = load_pipeline()
    nlp.remove_pipe("ner")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in PATTERNS])
    return nlp


@pytest.fixture(scope="module")
def saved_ner(fake_ner, tmp_path_factory):
    """The fake NER saved as `kgn train ner` saves a pipeline: its label roles in meta.json."""
    path = tmp_path_factory.mktemp("roles") / "conll-ner"
    fake_ner.meta[META_KEY] = {"labels": ["Loc", "Org", "Peop", "Yr"],
                               "label_roles": LabelRoles.parse(CONLL).as_dict()}
    try:
        fake_ner.to_disk(path)
    finally:
        del fake_ner.meta[META_KEY]
    return path


def groups(result):
    return {e.name: (e.label, sorted(m[2] for m in e.mentions)) for e in result.entities}


def spo(result):
    return {(t.subject, t.predicate, t.object) for t in result.triples}


def rdf_types(result):
    v = Vocab()
    return {str(s).rsplit("/", 1)[-1]: str(o).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for s, p, o in result.to_triples(v)
            if p == RDF.type and str(s).startswith(v.base + "entity/")}


def test_custom_labels_group_and_type_through_their_roles(fake_ner):
    ex = Extractor(ExtractorSettings(label_roles=CONLL), nlp=fake_ner)
    r = ex.extract(TEXT, "d")
    assert groups(r) == {
        "Tony Blair": ("Peop", ["Blair", "Tony Blair", "he"]),   # "Mr Blair" and "he" join
        "Bush": ("Peop", ["Bush"]), "London": ("Loc", ["London"]),
        "John Wilkes Booth": ("Peop", ["John Wilkes Booth"]),    # "(born ...)" votes Peop
        "President Lincoln": ("Peop", ["President Lincoln"]),    # so does the honorific
        "Bob Dole": ("Peop", ["Bob Dole"]), "Kansas": ("Loc", ["Kansas"]),
        "Acme Corporation": ("Org", ["Acme", "Acme Corporation"]), "rocket": (None, ["rockets"]),
    }
    labels = {e.label for e in r.entities} | {k for e in r.entities for k in e.type_votes} | {
        x for t in r.triples for x in (t.subject_type, t.object_type)}
    assert not labels & set(NER_CLASSES), labels  # no OntoNotes label is invented
    assert r.entity("John Wilkes Booth").type_votes == {}  # one label, not Peop against PERSON
    # the relation rules see a person and a place: "Bob Dole of Kansas"
    assert ("Bob Dole", "from", "Kansas") in spo(r)
    # a Yr is a date: a typed literal
    (year,) = [t for t in r.triples if t.object == "1998"]
    assert (year.object_value, year.object_datatype) == ("1998", str(XSD.gYear))
    assert rdf_types(r) == {"Tony_Blair": "Person", "Bush": "Person", "London": "Place",
                            "John_Wilkes_Booth": "Person", "President_Lincoln": "Person",
                            "Bob_Dole": "Person", "Kansas": "Place", "Acme_Corporation": "Organization",
                            "rocket": "Concept"}
    assert r.label_roles == LabelRoles.parse(CONLL)
    assert ex.key.endswith(f"+roles:{LabelRoles.parse(CONLL).digest()}")


def test_ontonotes_map_leaves_custom_labels_alone(fake_ner):
    """The default map: the rules know OntoNotes' labels only, and vote in them (the old behaviour
    with a custom NER: Blair is not grouped, Booth is typed PERSON against the NER's Peop)."""
    ex = Extractor(ExtractorSettings(label_roles=LabelRoles()), nlp=fake_ner)
    r = ex.extract(TEXT, "d")
    g = groups(r)
    assert g["Tony Blair"] == ("Peop", ["Tony Blair"]) and g["Blair"] == ("Peop", ["Blair"])
    assert g["John Wilkes Booth"] == ("PERSON", ["John Wilkes Booth"])
    assert r.entity("John Wilkes Booth").type_votes == {"PERSON": 3.0, "Peop": 3.0}
    assert g["President Lincoln"][0] == "PERSON"
    assert ("Bob Dole", "from", "Kansas") not in spo(r)
    (year,) = [t for t in r.triples if t.object == "1998"]
    assert year.object_datatype is None
    assert rdf_types(r)["Tony_Blair"] == "Peop" and rdf_types(r)["John_Wilkes_Booth"] == "Person"
    assert r.label_roles is None and "roles" not in ex.key


def test_en_core_web_sm_reads_with_the_ontonotes_map(extractor):
    r = extractor.extract("Tony Blair met Bush in London. Mr Blair said he would stay.", "d")
    assert extractor.roles is ONTONOTES_ROLES and r.label_roles is None and "roles" not in extractor.key
    assert groups(r)["Tony Blair"] == ("PERSON", ["Blair", "Tony Blair", "he"])
    assert rdf_types(r)["Tony_Blair"] == "Person" and rdf_types(r)["London"] == "Place"


def test_saved_map_is_found_and_travels_to_workers(saved_ner, fake_ner):
    settings = ExtractorSettings(model=str(saved_ner))
    ex = Extractor(settings)
    assert ex.roles == LabelRoles.parse(CONLL) and settings.label_roles is None
    assert groups(ex.extract(TEXT, "d"))["Tony Blair"] == ("Peop", ["Blair", "Tony Blair", "he"])
    # a worker gets the recipe pickled and rebuilds the same extractor, map included
    recipe = pickle.loads(pickle.dumps(ExtractorRecipe.for_settings(settings)))
    worker = recipe.build()
    assert worker.roles == ex.roles and worker.key == ex.key
    # a map given by hand wins over the saved one, and is part of the keys
    given = ExtractorSettings(model=str(saved_ner), label_roles=LabelRoles())
    assert ExtractorRecipe.for_settings(given).key != recipe.key
    worker = pickle.loads(pickle.dumps(ExtractorRecipe.for_settings(given))).build()
    assert worker.roles == ONTONOTES_ROLES and worker.key != ex.key
    assert groups(worker.extract(TEXT, "d"))["Blair"] == ("Peop", ["Blair"])


def test_map_parsing_completion_and_refusals():
    roles = LabelRoles.parse(" Peop=person , Loc=Place,Org=organisation,")
    assert roles.role("Peop") == "person" and roles.role("Loc") == "place" and roles.role("Other") is None
    # completed with OntoNotes: a fine-tuned pipeline's leftover DATE stays a date; the given
    # label is the one the rules vote in
    assert roles.role("PERSON") == "person" and roles.label("person") == "Peop"
    assert roles.labels("person") == {"Peop", "PERSON"} and roles.is_amount("DATE")
    assert roles.class_of("Peop") == "Person" and roles.class_of("Other") == "Other"
    assert ExtractorSettings(label_roles={"Peop": "person", "Loc": "place", "Org": "organisation"}).label_roles \
        == LabelRoles.parse("Peop=person,Loc=place,Org=organisation")
    assert ONTONOTES_ROLES.default and not roles.default
    assert {label: ONTONOTES_ROLES.class_of(label) for label in NER_CLASSES} == NER_CLASSES
    with pytest.raises(UnknownNameError) as err:
        LabelRoles.parse("Peop=persn")
    assert str(err.value) == f"unknown entity role 'persn'; choose one of: {', '.join(sorted(ROLE_CLASSES))}"
    for bad, message in (("Peop", "'Peop' is not LABEL=ROLE"), ("=person", "is not LABEL=ROLE"),
                         ("Peop=person,Peop=place", "'Peop' is given a role twice"), (",", "names no label")):
        with pytest.raises(KgnError, match=message):
            LabelRoles.parse(bad)
    with pytest.raises(KgnError, match="label_roles is not a LABEL -> ROLE object"):
        pipeline_roles(type("P", (), {"meta": {META_KEY: {"label_roles": ["Peop"]}}})())


def test_linker_reads_classes_and_one_word_people_by_role():
    roles = LabelRoles.parse(CONLL)
    v = Vocab()
    linker = GraphLinker(v)
    # a lone "Blair" typed Peop is a one-word person name: an IRI of its own document
    (e,) = linker.link(DocResult("a", [Entity("Blair", "Peop")], [], label_roles=roles)).entities
    assert e.iri == str(v.entity("Blair", "Person in a"))
    # read with OntoNotes' map the label is no person, and the rule does not apply
    (e,) = linker.link(DocResult("a", [Entity("Blair", "Peop")], [])).entities
    assert e.iri is None
    # an entity typed PERSON in one document and Peop in another is of one class: linked
    third = linker.link(DocResult("c", [Entity("Tony Blair", "PERSON")], []))
    linker.learn(third)
    fourth = linker.link(DocResult("d", [Entity("Tony Blair", "Peop")], [], label_roles=roles))
    assert fourth.entities[0].link["decision"] == "linked" and "same type" in fourth.entities[0].link["reason"]
    assert (URIRef(v.entity("Tony Blair")), RDF.type, v.type("Person")) in fourth.to_triples(v)


def test_meta_file_holds_the_map(saved_ner):
    meta = json.loads((saved_ner / "meta.json").read_text())
    assert meta[META_KEY]["label_roles"]["Peop"] == "person"
