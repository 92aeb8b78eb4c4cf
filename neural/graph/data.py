"""A knowledge graph as tensors: id maps, train/valid/test id triples, and Trainer datasets.

Ids are positions in the sorted entity and relation names (``kg.datasets`` numbers benchmark
splits the same way), and every model file stores its own id maps, so a model keeps meaning the
same entities when the store changes. A user's graph is split per triple by a hash of its three
names, so a triple stays in its split across runs and as the graph grows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from neural.data.base import BatchedDataset, DataSpec
from neural.errors import DatasetError

SPLIT_NAMES = ("train", "valid", "test")


@dataclass(frozen=True)
class IdMap:
    """Entity and relation names by id, saved with every model."""

    entities: tuple[str, ...]
    relations: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "_eid", {e: i for i, e in enumerate(self.entities)})
        object.__setattr__(self, "_rid", {r: i for i, r in enumerate(self.relations)})

    def entity_id(self, name: str) -> int | None:
        return self._eid.get(name)

    def relation_id(self, name: str) -> int | None:
        return self._rid.get(name)

    def encode(self, triples) -> np.ndarray:
        """String triples to an (n, 3) id array; raises for a name the map does not hold."""
        rows = []
        for h, r, t in triples:
            ids = (self._eid.get(h), self._rid.get(r), self._eid.get(t))
            if None in ids:
                missing = h if ids[0] is None else r if ids[1] is None else t
                raise DatasetError(f"{missing!r} is not in this model's entities/relations")
            rows.append(ids)
        return np.array(rows, dtype=np.int64).reshape(-1, 3)

    def decode(self, ids: np.ndarray) -> list[tuple[str, str, str]]:
        return [(self.entities[h], self.relations[r], self.entities[t]) for h, r, t in np.asarray(ids).tolist()]

    def to_dict(self) -> dict[str, list[str]]:
        return {"entities": list(self.entities), "relations": list(self.relations)}

    @classmethod
    def from_dict(cls, d: dict) -> "IdMap":
        return cls(tuple(d["entities"]), tuple(d["relations"]))


@dataclass
class KGData:
    """One graph's id maps and its train/valid/test (n, 3) int64 id triples."""

    name: str
    ids: IdMap
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    labels: tuple[str, ...] = ()  # display names of the entities (default: the names)

    @property
    def num_entities(self) -> int:
        return len(self.ids.entities)

    @property
    def num_relations(self) -> int:
        return len(self.ids.relations)

    def spec(self) -> DataSpec:
        return DataSpec(kind="triples", num_entities=self.num_entities, num_relations=self.num_relations)

    def known(self) -> np.ndarray:
        """Every true triple (the filter of the filtered ranking protocol)."""
        return np.concatenate([self.train, self.valid, self.test])

    def split(self, name: str) -> np.ndarray:
        if name not in SPLIT_NAMES:
            from kg.errors import UnknownNameError

            raise UnknownNameError("split", name, SPLIT_NAMES)
        return getattr(self, name)


def from_splits(splits) -> KGData:
    """A :class:`kg.datasets.TripleSplits` (Kinships, UMLS, Nations, a folder) as tensors."""
    ids = IdMap(tuple(splits.entities), tuple(splits.relations))
    return KGData(splits.name, ids, splits.ids("train"), splits.ids("valid"), splits.ids("test"))


def _bucket(names: tuple[str, str, str], seed: int) -> float:
    digest = hashlib.blake2b("\t".join(names).encode("utf-8"), digest_size=8, key=str(seed).encode()).digest()
    return int.from_bytes(digest, "big") / 2.0**64


def split_triples(ids: IdMap, triples: np.ndarray, valid: float = 0.1, test: float = 0.1,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split id triples into train/valid/test by a hash of their names (stable across runs and
    as triples are added); a valid/test triple whose entity or relation has no train triple goes
    back to train, since no embedding could be learnt for it."""
    if not 0 <= valid < 1 or not 0 <= test < 1 or valid + test >= 1:
        raise DatasetError(f"valid and test shares must be in [0, 1) with sum < 1; got {valid}, {test}")
    triples = np.asarray(triples, dtype=np.int64).reshape(-1, 3)
    u = np.array([_bucket(t, seed) for t in ids.decode(triples)])
    which = np.where(u < test, 2, np.where(u < test + valid, 1, 0))
    train = triples[which == 0]
    seen_e = np.zeros(len(ids.entities), dtype=bool)
    seen_r = np.zeros(len(ids.relations), dtype=bool)
    seen_e[train[:, 0]] = seen_e[train[:, 2]] = True
    seen_r[train[:, 1]] = True
    held = which > 0
    ok = seen_e[triples[:, 0]] & seen_e[triples[:, 2]] & seen_r[triples[:, 1]]
    which[held & ~ok] = 0
    return triples[which == 0], triples[which == 1], triples[which == 2]


def from_index(index, valid: float = 0.1, test: float = 0.1, seed: int = 0, name: str = "graph") -> KGData:
    """A :class:`kg.reason.index.TripleIndex` (the store's graph) as tensors, split for training.

    Ids follow the sorted entity and relation names, not the index's order, so that they do not
    depend on how the index was built.
    """
    if len(index) == 0:
        raise DatasetError("the graph has no relation triples between entities to train on")
    ent_order = sorted(range(index.num_entities), key=lambda i: index.entities[i])
    rel_order = sorted(range(index.num_relations), key=lambda i: index.relations[i])
    ids = IdMap(tuple(index.entities[i] for i in ent_order), tuple(index.relations[i] for i in rel_order))
    e_new = np.empty(index.num_entities, dtype=np.int64)
    e_new[ent_order] = np.arange(index.num_entities)
    r_new = np.empty(index.num_relations, dtype=np.int64)
    r_new[rel_order] = np.arange(index.num_relations)
    tr = index.triples
    triples = np.stack([e_new[tr[:, 0]], r_new[tr[:, 1]], e_new[tr[:, 2]]], axis=1)
    train, val, tst = split_triples(ids, triples, valid, test, seed)
    labels = tuple(index.entity_labels[i] for i in ent_order)
    return KGData(name, ids, train, val, tst, labels=labels)


# -- datasets for the one Trainer ------------------------------------------------------------------
class TripleBatches(BatchedDataset):
    """Training triples, cut into shuffled batches of one ``(B, 3)`` int64 tensor each."""

    def __init__(self, triples):
        self.triples = torch.as_tensor(np.asarray(triples), dtype=torch.long).reshape(-1, 3)

    def __len__(self) -> int:
        return len(self.triples)

    def __getitem__(self, i):
        return (self.triples[i],)

    def loader(self, batch_size: int, shuffle: bool, generator: torch.Generator | None = None):
        return _TripleLoader(self.triples, batch_size, shuffle, generator)


class _TripleLoader:
    def __init__(self, triples, batch_size, shuffle, generator):
        self.dataset_triples, self.batch_size, self.shuffle, self.generator = triples, batch_size, shuffle, generator

    def __len__(self) -> int:
        return -(-len(self.dataset_triples) // self.batch_size)

    def __iter__(self) -> Iterator[tuple[torch.Tensor]]:
        n = len(self.dataset_triples)
        order = torch.randperm(n, generator=self.generator) if self.shuffle else torch.arange(n)
        for s in range(0, n, self.batch_size):
            yield (self.dataset_triples[order[s:s + self.batch_size]],)


class RankingSet(BatchedDataset):
    """Triples to rank (valid or test) with the filter of all known triples; the model's
    ``evaluate`` ranks them all at once, so its 'loader' is the set itself."""

    def __init__(self, triples, known):
        self.triples = np.asarray(triples, dtype=np.int64).reshape(-1, 3)
        self.known = np.asarray(known, dtype=np.int64).reshape(-1, 3)

    def __len__(self) -> int:
        return len(self.triples)

    def __getitem__(self, i):
        return (torch.as_tensor(self.triples[i]),)

    def loader(self, batch_size: int, shuffle: bool, generator: torch.Generator | None = None):
        return self
