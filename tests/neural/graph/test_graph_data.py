import numpy as np
import pytest
import torch

from kg.reason.index import TripleIndex
from neural.errors import DatasetError
from neural.graph.data import IdMap, RankingSet, TripleBatches, from_index, from_splits, split_triples



def test_id_map_round_trip_and_unknown_names():
    ids = IdMap(("a", "b", "c"), ("r", "s"))
    rows = [("a", "r", "c"), ("c", "s", "b")]
    arr = ids.encode(rows)
    assert arr.tolist() == [[0, 0, 2], [2, 1, 1]] and ids.decode(arr) == rows
    assert IdMap.from_dict(ids.to_dict()) == ids
    with pytest.raises(DatasetError, match="'zzz'"):
        ids.encode([("a", "r", "zzz")])


def test_ids_do_not_depend_on_the_index_order(ring_index):
    names = [(ring_index.entities[h], ring_index.relations[r], ring_index.entities[t]) for h, r, t in ring_index.triples]
    reordered = TripleIndex.from_triples(names[::-1])
    a, b = from_index(ring_index), from_index(reordered)
    assert a.ids == b.ids and list(a.ids.entities) == sorted(a.ids.entities)
    for split in ("train", "valid", "test"):
        assert sorted(map(tuple, a.ids.decode(a.split(split)))) == sorted(map(tuple, b.ids.decode(b.split(split))))


def test_split_is_stable_when_the_graph_grows_and_held_out_entities_are_trained(ring_index):
    data = from_index(ring_index, valid=0.2, test=0.2)
    ids, known = data.ids, data.known()
    extra = np.array([[h, r, t] for h in range(0, 24, 3) for r in range(4) for t in range(1, 24, 5)])
    extra = extra[~(extra[:, None, :] == known[None]).all(-1).any(1)]
    grown = np.concatenate([known, extra])
    before = split_triples(ids, known, 0.2, 0.2)
    after = split_triples(ids, grown, 0.2, 0.2)
    # Train only grows, so a held-out triple stays in its split: hashing decides, not position.
    for b, a in zip(before, after):
        assert set(map(tuple, b.tolist())) <= set(map(tuple, a.tolist())) or b is before[0]
    assert set(map(tuple, before[0].tolist())) <= set(map(tuple, after[0].tolist()))
    train_ents = set(data.train[:, 0]) | set(data.train[:, 2])
    for s in ("valid", "test"):
        assert len(data.split(s)) > 0 and set(data.split(s)[:, 0]) | set(data.split(s)[:, 2]) <= train_ents
    assert len(known) == len(ring_index) and split_triples(ids, known, 0.2, 0.2, seed=1)[1].tolist() != before[1].tolist()


def test_split_shares_are_checked():
    ids = IdMap(("a", "b"), ("r",))
    with pytest.raises(DatasetError):
        split_triples(ids, np.array([[0, 0, 1]]), valid=0.6, test=0.5)


def test_batches_cover_the_triples_once(ring_data):
    ds = TripleBatches(ring_data.train)
    batches = list(ds.loader(7, shuffle=True, generator=torch.Generator().manual_seed(0)))
    assert all(b[0].shape[1] == 3 and b[0].dtype == torch.long for b in batches)
    assert sorted(map(tuple, torch.cat([b[0] for b in batches]).tolist())) == sorted(map(tuple, ring_data.train.tolist()))
    rs = RankingSet(ring_data.valid, ring_data.known())
    assert rs.loader(4, shuffle=False) is rs and len(rs) == len(ring_data.valid)


def test_from_splits_uses_the_shared_reader(tmp_path):
    from kg.datasets import load_splits

    for split, rows in {"train": ["a\tr\tb", "b\tr\tc"], "valid": ["a\tr\tc"], "test": ["c\tr\ta"]}.items():
        (tmp_path / f"{split}.txt").write_text("\n".join(rows) + "\n")
    data = from_splits(load_splits(tmp_path))
    assert data.ids.entities == ("a", "b", "c") and data.test.tolist() == [[2, 0, 0]]
    assert data.spec().kind == "triples" and data.spec().num_entities == 3
