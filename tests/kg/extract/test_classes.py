"""Types from definitions (kg.extract.classes): each pattern on a hand-written sentence."""

from __future__ import annotations

import pytest

from kg.extract.classes import _ROLE_NOUNS, CLASS_NOUNS, defined_label, head_role
from kg.extract.mentions import SPAN_KEY, find_mentions

CASES = [
    ("Leonessa is a town in Italy.", "Leonessa", "GPE"),
    ("Foots Creek is an unincorporated community and census-designated place in Oregon.",
     "Foots Creek", "GPE"),
    ("Metallica, an American heavy metal band, released an album.", "Metallica", "ORG"),
    ("Amandeep Khare (born 5 August 1997) is a cricketer.", "Amandeep Khare", "PERSON"),
    ("Kerstin Thorborg died in 1970.", "Kerstin Thorborg", "PERSON"),
    ("They drove to the village of Vigra.", "Vigra", "GPE"),
    # the king is not Spain; a member of a band is not the band
    ("The king of Spain spoke.", "Spain", None),
    ("Lars Ulrich is a member of Metallica.", "Metallica", None),
    # a class noun the table does not know types nothing
    ("Ilkhanate was a khanate.", "Ilkhanate", None),
]


@pytest.mark.parametrize("text,name,label", CASES)
def test_defined_label(nlp, text, name, label):
    doc = find_mentions(nlp(text))
    (span,) = [s for s in doc.spans[SPAN_KEY] if s.text == name]
    assert defined_label(span) == label


def test_every_class_noun_has_one_role():
    listed = [n for nouns in _ROLE_NOUNS.values() for n in nouns.split()]
    assert len(listed) == len(set(listed)) == len(CLASS_NOUNS)
    assert CLASS_NOUNS["village"] == "place" and CLASS_NOUNS["river"] == "location"
    assert CLASS_NOUNS["band"] == "organisation" and CLASS_NOUNS["album"] == "work"
    assert "station" not in CLASS_NOUNS  # a place or a broadcaster: left out


HEAD_CASES = [
    ("They shopped at Crossgates Mall.", "Crossgates Mall", "facility"),
    ("He raced at the FIBT World Championships.", "FIBT World Championships", "event"),
    ("She studied at the University of Toronto.", "University of Toronto", "organisation"),
    ("They swam in Lake Tahoe.", "Lake Tahoe", "location"),
    ("Rain fell over the Lindi Regions.", "Lindi Regions", "place"),
    # people, weak heads and names without a class noun are not typed by their head
    ("Damon Hill won.", "Damon Hill", None),
    ("Manchester City won.", "Manchester City", None),
    ("The Catholic Church spoke.", "Catholic Church", None),
    ("Tony Blair spoke.", "Tony Blair", None),
    ("The Mall closed.", "Mall", None),
]


@pytest.mark.parametrize("text,name,role", HEAD_CASES)
def test_head_role(nlp, text, name, role):
    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert head_role(span) == role
