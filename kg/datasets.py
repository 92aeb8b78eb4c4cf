"""Link-prediction data sets as head/relation/tail files: one reader for every face.

A data set is a folder with ``train``, ``valid`` and optionally ``test`` files (``.txt``,
``.tsv`` or ``.csv``), one triple a line, tab-separated (comma for ``.csv``). PyKEEN's wheel ships
Kinships, UMLS and Nations in that layout (``pykeen/datasets/<name>/``), FB15k-237 comes the same
way (Toutanova & Chen, 2015). Both the rule miner and the embedding models read splits through
:func:`load_splits`, so they see the same ids.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import KgnError, UnknownNameError

# Data sets shipped inside the pykeen wheel, by kgn's name -> pykeen's folder name.
PYKEEN_DATASETS = {"kinships": "kinships", "umls": "umls", "nations": "nations"}
SPLITS = ("train", "valid", "test")
_SUFFIXES = (".txt", ".tsv", ".csv")


class DatasetError(KgnError):
    """A triple file or data-set folder that cannot be read."""


def read_triples(path: str | Path, delimiter: str | None = None) -> list[tuple[str, str, str]]:
    """Triples of one head/relation/tail file; a malformed line names the file and line."""
    path = Path(path)
    if delimiter is None:
        delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    out: list[tuple[str, str, str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.reader(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL), 1):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != 3 or not all(c.strip() for c in row):
                    raise DatasetError(f"{path}: line {n}: expected head, relation, tail "
                                       f"separated by {delimiter!r}, got {len(row)} field(s)")
                out.append((row[0].strip(), row[1].strip(), row[2].strip()))
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return out


def pykeen_dir(name: str) -> Path:
    """The folder of a data set shipped in the installed pykeen wheel."""
    if name not in PYKEEN_DATASETS:
        raise UnknownNameError("data set", name, PYKEEN_DATASETS)
    spec = importlib.util.find_spec("pykeen")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError(f"data set {name!r} comes with pykeen, which is not installed "
                           "(pip install 'kgn[bench]'), or give a folder with train/valid/test files")
    return Path(list(spec.submodule_search_locations)[0]) / "datasets" / PYKEEN_DATASETS[name]


def _split_file(folder: Path, split: str) -> Path | None:
    for suffix in _SUFFIXES:
        if (folder / f"{split}{suffix}").is_file():
            return folder / f"{split}{suffix}"
    return None


@dataclass(frozen=True)
class TripleSplits:
    """String triples per split with one id space over all splits (entities/relations sorted)."""

    name: str
    splits: dict[str, list[tuple[str, str, str]]]
    entities: tuple[str, ...]
    relations: tuple[str, ...]

    def ids(self, split: str) -> np.ndarray:
        """The split as an ``(n, 3)`` int64 array of (head, relation, tail) ids, lines kept."""
        eid = {e: i for i, e in enumerate(self.entities)}
        rid = {r: i for i, r in enumerate(self.relations)}
        rows = self.splits.get(split, [])
        return np.array([(eid[h], rid[r], eid[t]) for h, r, t in rows], dtype=np.int64).reshape(-1, 3)

    def known(self) -> np.ndarray:
        """Every true triple of every split (the filter of the filtered protocol)."""
        return np.concatenate([self.ids(s) for s in self.splits])


def load_splits(source: str | Path) -> TripleSplits:
    """A data set by pykeen name (``kinships``) or folder (``../shared/data/fb15k237``)."""
    source_s = str(source)
    folder = pykeen_dir(source_s) if source_s in PYKEEN_DATASETS else Path(source)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: not a folder with train/valid/test triple files "
                           f"(or one of {', '.join(sorted(PYKEEN_DATASETS))})")
    splits = {}
    for split in SPLITS:
        path = _split_file(folder, split)
        if path is not None:
            splits[split] = read_triples(path)
    if "train" not in splits:
        raise DatasetError(f"{folder}: no train file (train.txt, train.tsv or train.csv)")
    ents = sorted({x for rows in splits.values() for h, _, t in rows for x in (h, t)})
    rels = sorted({r for rows in splits.values() for _, r, _ in rows})
    return TripleSplits(source_s if source_s in PYKEEN_DATASETS else folder.name, splits, tuple(ents), tuple(rels))
