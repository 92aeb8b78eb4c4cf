"""Type-constrained decoding on hand-made probabilities."""

from __future__ import annotations

import pytest
import torch

from neural.relation.decode import allowed_mask, constrained_argmax, signatures

LABELS = ["none", "Live_In(e1,e2)", "Live_In(e2,e1)", "Work_For(e1,e2)", "Work_For(e2,e1)"]
ALLOWED = signatures([("Live_In", "Peop", "Loc"), ("Work_For", "Peop", "Org")])


def test_mask_reads_direction_from_the_label():
    mask = allowed_mask(LABELS, "none", [("Peop", "Loc"), ("Loc", "Peop"), ("Org", "Org")], ALLOWED)
    assert mask.tolist() == [[True, True, False, False, False],   # Peop ... Loc: Live_In(e1,e2)
                             [True, False, True, False, False],   # Loc ... Peop: Live_In(e2,e1)
                             [True, False, False, False, False]]  # no relation joins Org and Org


def test_the_runner_up_wins_when_the_best_label_breaks_the_types():
    probs = torch.tensor([[0.2, 0.1, 0.0, 0.6, 0.1],    # Work_For first, but the pair is Peop ... Loc
                          [0.5, 0.0, 0.0, 0.4, 0.1],    # negative is best among the allowed
                          [0.1, 0.0, 0.0, 0.0, 0.9]])   # Org ... Peop: Work_For(e2,e1) is allowed
    p, k = constrained_argmax(probs, LABELS, "none", [("Peop", "Loc"), ("Peop", "Org"), ("Org", "Peop")], ALLOWED)
    assert k.tolist() == [0, 0, 4] and p.tolist() == pytest.approx([0.2, 0.5, 0.9])
    p, k = constrained_argmax(probs[:1], LABELS, "none", [("Peop", "Loc")],
                              signatures([("Live_In", "Peop", "Loc"), ("Work_For", "Peop", "Loc")]))
    assert k.tolist() == [3]
    with pytest.raises(ValueError):
        constrained_argmax(probs, LABELS, "none", [("Peop", "Loc")], ALLOWED)
