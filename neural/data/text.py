"""Text classification from JSONL files, one ``{"text": ..., "label": ...}`` object a line.

The tokenizer is a lower-casing regular expression; the vocabulary is built from the training
split only and saved inside the model's checkpoint, so evaluation encodes text the same way.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from neural.data.base import DataBundle, DataSpec
from neural.errors import DatasetError

PAD, UNK = "<pad>", "<unk>"
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class Vocab:
    """Token <-> id table; id 0 is padding and id 1 stands for unknown tokens."""

    def __init__(self, tokens: list[str]):
        if tokens[:2] != [PAD, UNK]:
            raise DatasetError(f"a vocabulary must start with {PAD!r}, {UNK!r}; got {tokens[:2]!r}")
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    @classmethod
    def build(cls, texts, min_freq: int = 1, max_size: int = 30000) -> "Vocab":
        counts = Counter(t for text in texts for t in tokenize(text))
        # Most frequent first, ties broken alphabetically so that the table is reproducible.
        kept = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        return cls([PAD, UNK] + kept[: max(0, max_size - 2)])

    def encode(self, text: str, max_len: int) -> list[int]:
        ids = [self.index.get(t, 1) for t in tokenize(text)][:max_len]
        return ids or [1]  # an empty text still gets one (unknown) token so it is never all padding

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps({"tokens": self.tokens}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Vocab":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(list(data["tokens"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"vocabulary file {str(path)!r} is unreadable: {exc}") from None


def encode_batch(ids: list[list[int]], max_len: int) -> torch.Tensor:
    out = np.zeros((len(ids), max_len), dtype=np.int64)
    for i, row in enumerate(ids):
        out[i, : len(row)] = row[:max_len]
    return torch.from_numpy(out)


def read_jsonl(path: str | Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"text file {str(path)!r} cannot be read: {exc.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise DatasetError(f"{path}:{n}: not valid JSON ({exc})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or "label" not in obj:
            raise DatasetError(f'{path}:{n}: each line must be an object with "text" (string) and "label"')
        texts.append(obj["text"])
        labels.append(str(obj["label"]))
    if not texts:
        raise DatasetError(f"text file {str(path)!r} holds no examples")
    return texts, labels


def load_jsonl_bundle(
    data_dir=None,
    split_seed: int = 0,
    max_len: int = 128,
    vocab: list[str] | None = None,
    labels: list[str] | None = None,
    min_freq: int = 1,
    **_ignored,
) -> DataBundle:
    """``data_dir`` is a .jsonl file (split 80/10/10 with ``split_seed``) or a folder holding
    ``train.jsonl`` and optionally ``valid.jsonl``/``val.jsonl`` and ``test.jsonl``."""
    if not data_dir:
        raise DatasetError("dataset 'jsonl' needs --data-dir (a .jsonl file or a folder with train.jsonl)")
    root = Path(data_dir)
    splits: dict[str, tuple[list[str], list[str]]] = {}
    if root.is_file():
        texts, labs = read_jsonl(root)
        perm = np.random.default_rng(split_seed).permutation(len(texts))
        n_te, n_va = max(1, len(texts) // 10), max(1, len(texts) // 10)
        parts = {"test": perm[:n_te], "val": perm[n_te : n_te + n_va], "train": perm[n_te + n_va :]}
        for key, idx in parts.items():
            splits[key] = ([texts[i] for i in idx], [labs[i] for i in idx])
    elif (root / "train.jsonl").is_file():
        splits["train"] = read_jsonl(root / "train.jsonl")
        for key, names in (("val", ("valid.jsonl", "val.jsonl", "dev.jsonl")), ("test", ("test.jsonl",))):
            found = next((root / n for n in names if (root / n).is_file()), None)
            if found is not None:
                splits[key] = read_jsonl(found)
        rng = np.random.default_rng(split_seed)
        for key in ("test", "val"):
            if key not in splits:  # carve the missing split out of train
                texts, labs = splits["train"]
                perm = rng.permutation(len(texts))
                k = max(1, len(texts) // 10)
                splits[key] = ([texts[i] for i in perm[:k]], [labs[i] for i in perm[:k]])
                splits["train"] = ([texts[i] for i in perm[k:]], [labs[i] for i in perm[k:]])
    else:
        raise DatasetError(f"dataset 'jsonl': {str(root)!r} is neither a .jsonl file nor a folder with train.jsonl")
    if not splits["train"][0]:
        raise DatasetError(f"dataset 'jsonl': {str(root)!r} leaves no training examples")

    voc = Vocab(vocab) if vocab is not None else Vocab.build(splits["train"][0], min_freq=min_freq)
    label_names = list(labels) if labels is not None else sorted(set(splits["train"][1]))
    label_index = {l: i for i, l in enumerate(label_names)}

    def ds(key: str) -> TensorDataset:
        texts, labs = splits[key]
        unknown = sorted(set(labs) - set(label_index))
        if unknown:
            raise DatasetError(f"dataset 'jsonl' {key} split has labels not seen in training: {unknown[:5]}")
        x = encode_batch([voc.encode(t, max_len) for t in texts], max_len)
        y = torch.tensor([label_index[l] for l in labs], dtype=torch.int64)
        return TensorDataset(x, y)

    return DataBundle(
        name="jsonl",
        spec=DataSpec(kind="tokens", n_classes=len(label_names), vocab_size=len(voc), seq_len=max_len),
        train=ds("train"),
        val=ds("val"),
        test=ds("test"),
        labels=label_names,
        vocab=voc.tokens,
        params={"data_dir": str(root), "split_seed": split_seed, "max_len": max_len, "min_freq": min_freq},
    )
