"""Type-constrained decoding of a relation classifier's probabilities.

A relation schema says which entity types a relation joins (CoNLL04: Work_For is Peop -> Org,
Live_In Peop -> Loc, Located_In Loc -> Loc, OrgBased_In Org -> Loc, Kill Peop -> Peop). Given
the types of a pair's two spans, only the directed labels whose (relation, subject type, object
type) the schema allows can be chosen; the answer is the most probable of those and the negative
label (the relation/entity-type constraints of Roth & Yih, CoNLL 2004, "A Linear Programming
Formulation for Global Inference in Natural Language Tasks", with the entity types fixed), not
"argmax, then drop it if the types disagree", which loses the pair when a permitted relation is
the runner-up.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import torch

from neural.relation.data import split_label

Signature = tuple[str, str, str]  # (relation, subject type, object type)


def signatures(relations: Iterable[Signature]) -> frozenset[Signature]:
    """The allowed (relation, subject type, object type) triples, e.g. those seen in training."""
    return frozenset((str(r), str(h), str(t)) for r, h, t in relations)


def allowed_mask(labels: Sequence[str], negative: str, pair_types: Sequence[tuple[str, str]],
                 allowed: frozenset[Signature]) -> torch.Tensor:
    """bool [pairs, labels]: which labels each pair may take; the negative label always. A pair's
    types are those of its FIRST and SECOND span in the sentence; a label "R(e2,e1)" reads the
    second span as the subject."""
    parts = [split_label(label) for label in labels]
    out = torch.zeros((len(pair_types), len(labels)), dtype=torch.bool)
    for i, (first, second) in enumerate(pair_types):
        for k, (label, part) in enumerate(zip(labels, parts)):
            if label == negative:
                out[i, k] = True
            elif part is not None:
                rel, forward = part
                out[i, k] = (rel, first, second) in allowed if forward else (rel, second, first) in allowed
    return out


def constrained_argmax(probs: torch.Tensor, labels: Sequence[str], negative: str,
                       pair_types: Sequence[tuple[str, str]], allowed: frozenset[Signature]
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """(probability, label index) of the best allowed label of each pair ([pairs] each)."""
    if len(pair_types) != probs.shape[0]:
        raise ValueError(f"{probs.shape[0]} probability rows but {len(pair_types)} type pairs")
    mask = allowed_mask(labels, negative, pair_types, allowed)
    return probs.masked_fill(~mask, -1.0).max(-1)
