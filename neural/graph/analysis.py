"""What users do with trained embeddings: nearest entities, likely missing links, a 2-D map.

The map file (``kgn embed --map FILE``) is JSON::

    {"format": "kgn-embedding-map/1", "model": "rotate", "method": "pca",
     "explained_variance": [0.31, 0.12],          # share of variance on each axis
     "points": [{"id": "<entity IRI or name>", "label": "<display name>", "x": 0.12, "y": -1.3}, ...]}

one point per entity, coordinates in the units of the first two principal components of the
entity vectors (complex vectors as their real and imaginary parts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from neural.graph.train import LoadedModel

MAP_FORMAT = "kgn-embedding-map/1"


@dataclass(frozen=True)
class Neighbour:
    entity: str
    label: str
    score: float


def similar(loaded: LoadedModel, entity_id: int, top: int = 10) -> list[Neighbour]:
    """The ``top`` entities nearest to ``entity_id`` by cosine similarity of their vectors."""
    vec = loaded.model.entity_vectors()
    unit = torch.nn.functional.normalize(vec, dim=1)
    sims = unit @ unit[entity_id]
    sims[entity_id] = -float("inf")
    k = min(top, len(sims) - 1)
    vals, idx = torch.topk(sims, k) if k > 0 else (torch.zeros(0), torch.zeros(0, dtype=torch.long))
    return [Neighbour(loaded.ids.entities[i], loaded.labels[i], float(v)) for v, i in zip(vals.tolist(), idx.tolist())]


def predict_links(loaded: LoadedModel, entity_id: int, relation_id: int, heads: bool = False,
                  top: int = 10) -> list[Neighbour]:
    """Best-scored answers to (entity, relation, ?) (or (?, relation, entity)) that are not
    already train facts of the model, with their raw model scores."""
    model = loaded.model
    score = model.scorer()(np.array([entity_id]), np.array([relation_id]), heads)[0]
    g = model.graph.cpu().numpy()
    if heads:
        seen = g[(g[:, 1] == relation_id) & (g[:, 2] == entity_id), 0]
    else:
        seen = g[(g[:, 0] == entity_id) & (g[:, 1] == relation_id), 2]
    score[seen] = -np.inf
    order = np.argsort(-score, kind="stable")[:top]
    return [Neighbour(loaded.ids.entities[i], loaded.labels[i], float(score[i])) for i in order if np.isfinite(score[i])]


def pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) coordinates on the first two principal components and their variance shares."""
    x = np.asarray(vectors, dtype=np.float64)
    x = x - x.mean(axis=0, keepdims=True)
    if len(x) < 2:
        return np.zeros((len(x), 2)), np.zeros(2)
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    k = min(2, len(s))
    coords = np.zeros((len(x), 2))
    coords[:, :k] = x @ vt[:k].T
    var = s**2
    share = np.zeros(2)
    share[:k] = var[:k] / var.sum() if var.sum() > 0 else 0.0
    return coords, share


def export_map(loaded: LoadedModel, path) -> Path:
    """Write the entities' 2-D PCA map as JSON (format in the module docstring)."""
    coords, share = pca_2d(loaded.model.entity_vectors().numpy())
    points = [{"id": e, "label": lab, "x": round(float(x), 6), "y": round(float(y), 6)}
              for e, lab, (x, y) in zip(loaded.ids.entities, loaded.labels, coords)]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": MAP_FORMAT, "model": loaded.model.name, "method": "pca",
                                "explained_variance": [float(v) for v in share], "points": points}),
                    encoding="utf-8")
    return path
