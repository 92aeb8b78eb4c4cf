"""Neural relation classification: a sentence with two marked spans -> a directed relation or
"no relation", with a probability.

Parts: :mod:`neural.relation.readers` (SemEval-2010 Task 8, CoNLL04, Re-DocRED, JSONL),
:mod:`neural.relation.data` (encoding), :mod:`neural.relation.models` (CNN, PCNN, Att-BLSTM,
Transformer over one base), :mod:`neural.relation.train` (the one Trainer),
:mod:`neural.relation.scoring` (SemEval's official measure) and :mod:`neural.relation.method`
(the ``neural`` relation method of kgn's extractor).

This module stays light (no torch import): the extractor's registry may load it to find the
``neural`` factory, which imports torch only when a method is built.
"""

from __future__ import annotations

METHOD_NAME = "neural"


def build_neural_method(path: str, min_confidence: float = 0.5, batch_size: int = 256, **options):
    """Factory behind ``--relations neural:CHECKPOINT`` (``kgn.relation_methods`` entry point)."""
    from neural.relation.method import NeuralRelations

    return NeuralRelations(path, min_confidence=float(min_confidence), batch_size=int(batch_size), **options)


def register() -> None:
    """Register the ``neural`` method with kgn's extractor (idempotent). Installed packages get
    it from the entry point too; this covers a source checkout that is not installed."""
    from kg.extract.relations import register_method

    register_method(METHOD_NAME, build_neural_method)
