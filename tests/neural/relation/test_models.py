"""Every relation classifier: learns a tiny task through the one Trainer, ignores padding,
and comes back identical from its checkpoint."""

from __future__ import annotations

import random

import pytest
import torch

from neural.relation.data import Encoding, RelationExample
from neural.relation.models import RELATION_MODELS
from neural.relation.readers import RelationSplits
from neural.relation.train import load_relation_model, predict_examples, train_relation
from neural.trainer import TrainerConfig

SMALL = {"word_dim": 16, "pos_dim": 4, "marker_dim": 4, "dropout": 0.0}
EXTRA = {"cnn": {"filters": 32}, "pcnn": {"filters": 32}, "att-bilstm": {"hidden": 24, "embed_dropout": 0.0},
         "transformer": {"d_model": 32, "heads": 2, "layers": 1, "ff": 32, "attn_dropout": 0.0}}


def toy_splits(n: int = 72) -> RelationSplits:
    """The word between the entities decides the relation; its direction is in the label."""
    rng = random.Random(0)
    names = ["ann", "bob", "cid", "dan", "eve", "fay"]
    out = []
    for i in range(n):
        verb, label = [("hired", "employs(e1,e2)"), ("joined", "employs(e2,e1)"), ("met", "none")][i % 3]
        filler = ["the", "old"] * rng.randint(0, 3)
        tokens = (*filler, rng.choice(names), verb, rng.choice(names), ".")
        k = len(filler)
        out.append(RelationExample(tokens, (k, k + 1), (k + 2, k + 3), label))
    return RelationSplits("toy", train=out, val=out[:24], test=out[:24], negative="none")


@pytest.mark.parametrize("name", sorted(RELATION_MODELS))
def test_model_learns_ignores_padding_and_reloads(name, tmp_path):
    torch.set_num_threads(1)
    splits = toy_splits()
    tcfg = TrainerConfig(epochs=10, batch_size=24, lr=1e-2, device="cpu", seed=0, out_dir=str(tmp_path))
    run = train_relation(name, splits, trainer_config=tcfg, model_config={**SMALL, **EXTRA[name]},
                         encoding=Encoding(max_len=16, max_distance=8), min_freq=1)
    assert run.test.accuracy >= 0.95 and run.test.macro_f1 >= 0.95, run.history[-1]
    model = run.model.eval()
    x = torch.from_numpy(run.encoding.encode(run.vocab, splits.test[0].tokens, splits.test[0].e1,
                                             splits.test[0].e2))[None]
    wide = torch.cat([x, torch.zeros((1, 4, 9), dtype=x.dtype)], -1)
    assert torch.allclose(model(x), model(wide), atol=1e-5)
    loaded = load_relation_model(tmp_path / "best.ckpt")
    assert loaded.labels == model.label_names and loaded.negative == "none"
    again = predict_examples(loaded.model, loaded.vocab, loaded.encoding, splits.test[:8])
    assert torch.allclose(again, predict_examples(model, run.vocab, run.encoding, splits.test[:8]), atol=1e-6)
