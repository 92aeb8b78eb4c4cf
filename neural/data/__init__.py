"""Datasets by name: one table, each entry a loader returning a :class:`DataBundle`."""

from __future__ import annotations

from functools import partial

from kg.errors import UnknownNameError

from neural.data.base import DataBundle, DataSpec
from neural.data.digits import load_digits_bundle
from neural.data.idx import load_idx_bundle
from neural.data.order import load_order_bundle
from neural.data.text import load_jsonl_bundle

DATASETS = {
    "digits": load_digits_bundle,
    "mnist": partial(load_idx_bundle, "mnist"),
    "fashion-mnist": partial(load_idx_bundle, "fashion-mnist"),
    "order": load_order_bundle,
    "jsonl": load_jsonl_bundle,
}


def load_dataset(name: str, data_dir=None, **params) -> DataBundle:
    """Load dataset ``name``; ``params`` are the loader's keyword settings (split_seed, ...)."""
    try:
        loader = DATASETS[name]
    except KeyError:
        raise UnknownNameError("dataset", name, DATASETS) from None
    return loader(data_dir=data_dir, **params)


__all__ = ["DATASETS", "DataBundle", "DataSpec", "load_dataset"]
