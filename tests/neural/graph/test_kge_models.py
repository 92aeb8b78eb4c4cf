import numpy as np
import pytest
import torch

from kg.errors import UnknownNameError
from neural.errors import ConfigError
from neural.graph.data import RankingSet, TripleBatches
from neural.graph.models import KGE_MODELS, get_kge_model
from neural.graph.models.base import neg_l1_each
from neural.graph.train import load_model, save_model, train_embeddings
from neural.trainer import Trainer, TrainerConfig, seed_everything

SETTINGS = {
    "transe": {}, "distmult": {}, "complex": {}, "rotate": {},
    "rgcn": {"decoder": "complex"}, "compgcn": {"decoder": "rotate"}, "gae": {"variational": True},
}


def build(name, data, **cfg):
    seed_everything(0)
    cfg = {"dim": 8, **SETTINGS[name], **cfg}
    return get_kge_model(name, data.spec(), graph=torch.as_tensor(data.train), **cfg)


@pytest.mark.parametrize("name", sorted(KGE_MODELS))
def test_score_shapes_and_all_entity_scores_agree_with_triple_scores(name, ring_data):
    model = build(name, ring_data).eval()
    ents, rels = model.representations()
    n = ring_data.num_entities
    tr = torch.as_tensor(ring_data.train[:5])
    h, r, t = tr[:, 0], tr[:, 1], tr[:, 2]
    with torch.no_grad():
        tails = model.score_queries(ents, rels, h, r, heads=False)
        heads = model.score_queries(ents, rels, t, r, heads=True)
        assert tails.shape == heads.shape == (5, n)
        if name != "gae":  # the autoencoder is untyped and symmetric
            one = model.triples(ents[h], rels[r], ents[t])
            assert torch.allclose(tails[torch.arange(5), t], one, atol=1e-4)
            if not model.reciprocal:
                assert torch.allclose(heads[torch.arange(5), h], one, atol=1e-4)
    loss, logs = model.loss((tr,))
    assert loss.ndim == 0 and np.isfinite(logs["loss"])
    loss.backward()


@pytest.mark.parametrize("name,training", [
    ("distmult", "1vsall"), ("complex", "kvsall"), ("rotate", "negatives"), ("transe", "negatives"),
    ("rgcn", "1vsall"), ("compgcn", "1vsall"), ("gae", "negatives"),
])
def test_training_raises_valid_mrr(name, training, cluster_data):
    model = build(name, cluster_data, training=training, dim=16, negatives=8)
    val = RankingSet(cluster_data.valid, cluster_data.known())
    before = model.evaluate(val)["MRR"]
    # The whole-graph encoders (and the autoencoder) run message passing every step: fewer, bigger steps.
    batch = 64 if name in ("rgcn", "compgcn", "gae") else 32
    trainer = Trainer(TrainerConfig(device="cpu", epochs=20, batch_size=batch, lr=0.02, grad_clip=None, eval_every=10))
    trainer.fit(model, TripleBatches(cluster_data.train), val)
    after = model.evaluate(val)["MRR"]
    assert after > before + 0.1, (before, after)


def test_adagrad_with_n3_trains_and_unknown_optimizers_list_the_choices(cluster_data):
    # Lacroix et al.'s (2018) recipe: 1vsall, N3, Adagrad
    model = build("complex", cluster_data, training="1vsall", dim=16, n3=0.01, optimizer="adagrad")
    (opt,) = model.configure_optimizers(TrainerConfig(lr=0.1))
    assert isinstance(opt, torch.optim.Adagrad)
    val = RankingSet(cluster_data.valid, cluster_data.known())
    before = model.evaluate(val)["MRR"]
    trainer = Trainer(TrainerConfig(device="cpu", epochs=20, batch_size=32, lr=0.1, grad_clip=None, eval_every=10))
    trainer.fit(model, TripleBatches(cluster_data.train), val)
    assert model.evaluate(val)["MRR"] > before + 0.1
    with pytest.raises(UnknownNameError, match="adagrad"):
        build("complex", cluster_data, optimizer="sgd")


@pytest.mark.parametrize("p_norm", [1, 2])
def test_transe_keeps_entities_on_the_unit_sphere_and_scores_with_its_norm(p_norm, cluster_data):
    # Bordes et al.'s constraint, applied after every update (and at initialisation).
    model = build("transe", cluster_data, dim=16, negatives=8, p_norm=p_norm)
    ones = torch.ones(cluster_data.num_entities)
    assert torch.allclose(model.entity.weight.norm(dim=-1), ones, atol=1e-5)
    trainer = Trainer(TrainerConfig(device="cpu", epochs=2, batch_size=32, lr=0.05, grad_clip=None))
    trainer.fit(model, TripleBatches(cluster_data.train))
    assert torch.allclose(model.entity.weight.norm(dim=-1), ones, atol=1e-5)
    assert not torch.allclose(model.relation.weight.norm(dim=-1), torch.ones(model.num_rel_slots))  # only entities
    ents, rels = model.representations()
    tr = torch.as_tensor(cluster_data.train[:4])
    with torch.no_grad():
        one = model.triples(ents[tr[:, 0]], rels[tr[:, 1]], ents[tr[:, 2]])
        all_tails = model.score_queries(ents, rels, tr[:, 0], tr[:, 1], heads=False)
    expected = -torch.linalg.vector_norm(ents[tr[:, 0]] + rels[tr[:, 1]] - ents[tr[:, 2]], ord=p_norm, dim=-1)
    assert torch.allclose(one, expected, atol=1e-4)
    assert torch.allclose(all_tails[torch.arange(4), tr[:, 2]], expected, atol=1e-4)
    with pytest.raises(ConfigError, match="p_norm"):
        build("transe", cluster_data, p_norm=3)


def test_the_hand_written_l1_gradient_is_exact():
    q = torch.randn(3, 5, dtype=torch.double, requires_grad=True)
    cand = torch.randn(3, 4, 5, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(neg_l1_each, (q, cand))
    assert torch.allclose(neg_l1_each(q, cand), -(q[:, None] - cand).abs().sum(-1))


def test_neighbour_sampling_trains_an_encoder(ring_data):
    model = build("rgcn", ring_data, training="negatives", fanouts="3", negatives=4, decoder="distmult")
    batch = torch.as_tensor(ring_data.train[:6])
    ents, _ = model.training_representations(batch)
    pool = model.negative_pool
    assert pool is not None and set(batch[:, 0].tolist()) <= set(pool.tolist())
    untouched = torch.ones(ring_data.num_entities, dtype=torch.bool)
    untouched[pool] = False
    assert float(ents[untouched].abs().sum()) == 0.0 or len(pool) == ring_data.num_entities
    loss, _ = model.loss((batch,))
    loss.backward()
    assert model.entity.weight.grad is not None
    with pytest.raises(ConfigError):
        build("rgcn", ring_data, training="1vsall", fanouts="3")


def test_checkpoint_reload_gives_the_same_scores_and_ids(tmp_path, ring_data):
    res = train_embeddings(ring_data, "complex", TrainerConfig(device="cpu", epochs=3, batch_size=32, lr=0.02),
                           {"dim": 8, "training": "1vsall"})
    path = save_model(tmp_path / "m.ckpt", res)
    loaded = load_model(path)
    assert loaded.ids == ring_data.ids and loaded.payload["metrics"]["test"]["MRR"] == pytest.approx(res.test["MRR"])
    q = (np.array([0, 3]), np.array([1, 0]))
    for heads in (False, True):
        assert np.allclose(res.model.scorer()(*q, heads), loaded.model.scorer()(*q, heads), atol=1e-6)
    # weights_only: the file holds tensors and plain values only.
    raw = torch.load(path, weights_only=True)
    assert raw["ids"]["entities"] == list(ring_data.ids.entities)


def test_unknown_names_list_the_choices(ring_data):
    with pytest.raises(UnknownNameError, match="rotate"):
        get_kge_model("nope", ring_data.spec())
    with pytest.raises(UnknownNameError, match="distmult"):
        build("rgcn", ring_data, decoder="nope")
    with pytest.raises(UnknownNameError, match="1vsall"):
        build("rotate", ring_data, training="nope")
