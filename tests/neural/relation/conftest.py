"""What the relation tests share: the installed spaCy pipeline (loaded once) and a tiny data set
whose label follows from the verb between a person and an organisation."""

from __future__ import annotations

import itertools

import pytest

from neural.relation.data import RelationExample
from neural.relation.readers import RelationSplits

PEOPLE = ["Tim Cook", "Angela Merkel", "Barack Obama", "Elon Musk"]
ORGS = ["Apple", "Google", "Microsoft", "IBM"]


def tiny_splits(reversed_too: bool = False) -> RelationSplits:
    """"P works for O" / "P met O" for every pair; with ``reversed_too`` also "O employs P"
    (the e2 -> e1 direction)."""
    out = []
    for p, o in itertools.product(PEOPLE, ORGS):
        pt, ot = p.split(), o.split()
        for verb, label in ((["works", "for"], "works_for(e1,e2)"), (["met"], "none")):
            tokens = (*pt, *verb, *ot, ".")
            k = len(pt) + len(verb)
            out.append(RelationExample(tokens, (0, len(pt)), (k, k + len(ot)), label))
        if reversed_too:
            tokens = (*ot, "employs", *pt, ".")
            out.append(RelationExample(tokens, (0, len(ot)), (len(ot) + 1, len(ot) + 1 + len(pt)),
                                       "works_for(e2,e1)"))
    return RelationSplits("tiny", train=out, val=out[::3], test=out[::4], negative="none")


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import load_nlp

    return load_nlp()
