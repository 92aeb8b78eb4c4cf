"""A small hand-made graph shared by the reasoning tests.

    A -p-> B -q-> C      A -r-> C
    D -p-> E -q-> F      D -r-> F
    G -p-> H -q-> I      (no r: the rule p∘q ⇒ r predicts G r I)
    A -p-> B2 -q-> C2    (A has r facts, C2 is not one: a PCA counter-example)
"""

from __future__ import annotations

import pytest

from kg.reason.index import TripleIndex

FACTS = [("A", "p", "B"), ("B", "q", "C"), ("A", "r", "C"),
         ("D", "p", "E"), ("E", "q", "F"), ("D", "r", "F"),
         ("G", "p", "H"), ("H", "q", "I"),
         ("A", "p", "B2"), ("B2", "q", "C2")]


@pytest.fixture
def chain_index() -> TripleIndex:
    return TripleIndex.from_triples(FACTS)
