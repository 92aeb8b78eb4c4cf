"""SemEval-2010 Task 8's official measure on hand-made cases."""

from __future__ import annotations

import pytest

from neural.relation.scoring import relation_scores

NINE = ["Cause-Effect", "Component-Whole", "Content-Container", "Entity-Destination", "Entity-Origin",
        "Instrument-Agency", "Member-Collection", "Message-Topic", "Product-Producer"]


def test_direction_counts_and_other_is_excluded():
    gold = ["Cause-Effect(e1,e2)", "Cause-Effect(e2,e1)", "Other", "Component-Whole(e1,e2)"]
    pred = ["Cause-Effect(e1,e2)", "Cause-Effect(e1,e2)", "Cause-Effect(e2,e1)", "Other"]
    s = relation_scores(gold, pred, negative="Other")
    # Cause-Effect: 1 right (direction too) of 3 predicted and 2 gold; the wrong-direction one
    # counts as predicted and gold Cause-Effect but not as correct.
    assert s.per_relation["Cause-Effect"] == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert s.per_relation["Component-Whole"] == (0.0, 0.0, 0.0)
    assert "Other" not in s.per_relation
    assert s.macro_f1 == pytest.approx(0.2)
    assert s.accuracy == pytest.approx(0.25)  # 19-way: exact label, Other included
    assert (s.micro_precision, s.micro_recall) == pytest.approx((1 / 3, 1 / 3))


def test_macro_over_the_nine_relations_when_given():
    gold = ["Message-Topic(e1,e2)", "Other"]
    pred = ["Message-Topic(e1,e2)", "Other"]
    assert relation_scores(gold, pred, relations=NINE).macro_f1 == pytest.approx(1 / 9)
    assert relation_scores(gold, pred).macro_f1 == 1.0 and relation_scores(gold, pred).accuracy == 1.0


def test_all_other_predictions_score_zero_and_lengths_must_match():
    gold = ["Entity-Origin(e2,e1)", "Other"]
    s = relation_scores(gold, ["Other", "Other"])
    assert s.macro_f1 == 0.0 and s.accuracy == 0.5
    with pytest.raises(ValueError):
        relation_scores(gold, ["Other"])
