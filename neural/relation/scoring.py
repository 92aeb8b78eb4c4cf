"""Relation classification scores.

:func:`relation_scores` is the official measure of SemEval-2010 Task 8 (Hendrickx et al. 2010;
the task's scorer ``semeval2010_task8_scorer-v1.2.pl``, result (iii) "(9+1)-way classification
with directionality taken into account"): for each relation R of the 9 (direction ignored when
grouping), a prediction is correct only with the right direction; precision is correct /
predicted as R (either direction), recall is correct / gold R (either direction); the macro-F1 is
the mean of the 9 per-relation F1 scores, "Other" excluded. Also: accuracy over all 19 labels and
micro precision/recall/F1 over every non-negative label. The same function scores any labelled
pair data (CoNLL04, Re-DocRED, JSONL) given its negative label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from neural.relation.data import split_label


def undirected(label: str) -> str:
    parts = split_label(label)
    return parts[0] if parts else label


@dataclass
class RelationScores:
    accuracy: float
    macro_f1: float
    micro_precision: float
    micro_recall: float
    micro_f1: float
    per_relation: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # R -> (P, R, F1)

    def as_dict(self) -> dict[str, float]:
        return {"accuracy": self.accuracy, "macro_f1": self.macro_f1, "micro_precision": self.micro_precision,
                "micro_recall": self.micro_recall, "micro_f1": self.micro_f1}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def relation_scores(gold: Sequence[str], pred: Sequence[str], negative: str = "Other",
                    relations: Sequence[str] | None = None) -> RelationScores:
    """Scores of predicted labels against gold labels (one per example, same order).

    ``relations``: the undirected relations to average over (default: those in ``gold`` and
    ``pred`` other than ``negative``).
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    rels = sorted(relations) if relations is not None else sorted(
        {undirected(label) for label in list(gold) + list(pred)} - {negative})
    tp = dict.fromkeys(rels, 0)
    n_pred = dict.fromkeys(rels, 0)
    n_gold = dict.fromkeys(rels, 0)
    correct = 0
    for g, p in zip(gold, pred):
        correct += g == p
        ug, up = undirected(g), undirected(p)
        if up in n_pred:
            n_pred[up] += 1
        if ug in n_gold:
            n_gold[ug] += 1
        if g == p and ug in tp:
            tp[ug] += 1
    per = {}
    for r in rels:
        precision = tp[r] / n_pred[r] if n_pred[r] else 0.0
        recall = tp[r] / n_gold[r] if n_gold[r] else 0.0
        per[r] = (precision, recall, _f1(precision, recall))
    all_tp, all_pred, all_gold = sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())
    micro_p = all_tp / all_pred if all_pred else 0.0
    micro_r = all_tp / all_gold if all_gold else 0.0
    return RelationScores(
        accuracy=correct / len(gold) if gold else 0.0,
        macro_f1=sum(f for _, _, f in per.values()) / len(per) if per else 0.0,
        micro_precision=micro_p, micro_recall=micro_r, micro_f1=_f1(micro_p, micro_r), per_relation=per)
