"""What every dataset loader returns: three tensor splits and a small plain-typed spec."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import torch
from torch.utils.data import Dataset, TensorDataset


@dataclass
class DataSpec:
    """Shape of the inputs a model must accept; stored in checkpoints as plain values.

    ``kind`` is 'image' (float tensors [N, C, H, W] in [0, 1]), 'tokens' (int64 [N, T],
    0 = padding) or 'triples' (int64 [N, 3] head/relation/tail ids of a knowledge graph with
    ``num_entities`` entities and ``num_relations`` relations).
    """

    kind: str
    n_classes: int = 0
    channels: int = 0
    height: int = 0
    width: int = 0
    vocab_size: int = 0
    seq_len: int = 0
    num_entities: int = 0
    num_relations: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class BatchedDataset(Dataset):
    """A dataset that cuts its own batches: the Trainer calls ``loader`` instead of wrapping it
    in a ``DataLoader`` (which would index and collate one item at a time)."""

    def loader(self, batch_size: int, shuffle: bool, generator: torch.Generator | None = None):
        """An iterable of batches (re-iterable once per epoch)."""
        raise NotImplementedError


@dataclass
class DataBundle:
    """Train / validation / test splits of one dataset, plus what is needed to rebuild it."""

    name: str
    spec: DataSpec
    train: TensorDataset
    val: TensorDataset
    test: TensorDataset
    labels: list[str]
    vocab: list[str] | None = None
    # Arguments that rebuild the same splits (saved in checkpoints for `kgn evaluate`).
    params: dict[str, Any] = field(default_factory=dict)

    def tensors(self, split: str) -> tuple[torch.Tensor, torch.Tensor]:
        ds = getattr(self, split)
        return ds.tensors[0], ds.tensors[1]
