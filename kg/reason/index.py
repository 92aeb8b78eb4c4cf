"""An integer-indexed, read-only copy of the graph's relation triples, built once per graph.

Path search and rule mining run over this index rather than over NetworkX: entities and
relations become integers, triples an ``(n, 3)`` array, and adjacency a CSR array pair in which
every triple ``(h, r, t)`` appears twice, as step code ``2r`` from ``h`` to ``t`` and as code
``2r + 1`` (the inverse relation ``^r``) from ``t`` to ``h``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from kg.reason.errors import UnknownRelationError
from kg.vocab import local_name


@dataclass(frozen=True, eq=False)
class TripleIndex:
    """Entities, relations and unique ``(head, relation, tail)`` id triples, with CSR adjacency."""

    entities: tuple[str, ...]
    relations: tuple[str, ...]
    triples: np.ndarray  # (n, 3) int64, unique rows
    entity_labels: tuple[str, ...] = ()
    relation_labels: tuple[str, ...] = ()
    entity_types: tuple[tuple[str, ...], ...] = ()
    entity_aliases: tuple[tuple[str, ...], ...] = ()
    # Derived in __post_init__ (never passed in).
    entity_id: dict = field(init=False, repr=False)
    relation_id: dict = field(init=False, repr=False)
    indptr: np.ndarray = field(init=False, repr=False)
    neighbor: np.ndarray = field(init=False, repr=False)
    code: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self._normalise()
        self._derive_csr()

    @classmethod
    def restore(cls, entities, relations, triples, *, indptr, neighbor, code, **names) -> "TripleIndex":
        """An index from saved parts (see :mod:`kg.indexing`): the CSR arrays are taken as given
        (e.g. memory-mapped), not recomputed."""
        self = cls.__new__(cls)
        setter = object.__setattr__
        for key, value in (("entities", entities), ("relations", relations), ("triples", triples),
                           ("entity_labels", names.get("entity_labels", ())),
                           ("relation_labels", names.get("relation_labels", ())),
                           ("entity_types", names.get("entity_types", ())),
                           ("entity_aliases", names.get("entity_aliases", ())),
                           ("indptr", indptr), ("neighbor", neighbor), ("code", code)):
            setter(self, key, value)
        self._normalise()
        return self

    def _normalise(self) -> None:
        n = len(self.entities)
        setter = object.__setattr__
        if not self.entity_labels:
            setter(self, "entity_labels", tuple(local_name(e) for e in self.entities))
        if not self.relation_labels:
            setter(self, "relation_labels", tuple(local_name(r) for r in self.relations))
        if not self.entity_types:
            setter(self, "entity_types", ((),) * n)
        if not self.entity_aliases:
            setter(self, "entity_aliases", ((),) * n)
        tr = self.triples
        if not (isinstance(tr, np.ndarray) and tr.dtype == np.int64 and tr.ndim == 2):
            tr = np.asarray(tr, dtype=np.int64).reshape(-1, 3)
        setter(self, "triples", tr)
        setter(self, "entity_id", {e: i for i, e in enumerate(self.entities)})
        setter(self, "relation_id", {r: i for i, r in enumerate(self.relations)})

    def _derive_csr(self) -> None:
        n, setter, tr = len(self.entities), object.__setattr__, self.triples
        h, r, t = tr[:, 0], tr[:, 1], tr[:, 2]
        src = np.concatenate([h, t])
        dst = np.concatenate([t, h])
        code = np.concatenate([2 * r, 2 * r + 1])
        order = np.lexsort((dst, code, src))  # per node: by step code, then neighbour (deterministic)
        setter(self, "neighbor", dst[order])
        setter(self, "code", code[order])
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        setter(self, "indptr", indptr)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_graph(cls, graph) -> "TripleIndex":
        """Index a view graph (``networkx.MultiDiGraph`` keyed by relation IRI), e.g. ``GraphView.graph``."""
        entities = sorted(graph.nodes)
        eid = {e: i for i, e in enumerate(entities)}
        rel_labels: dict[str, str] = {}
        rows = []
        for u, v, key, data in graph.edges(keys=True, data=True):
            rel_labels.setdefault(key, data.get("label") or local_name(key))
            rows.append((eid[u], key, eid[v]))
        relations = sorted(rel_labels)
        rid = {r: i for i, r in enumerate(relations)}
        arr = np.array([(h, rid[r], t) for h, r, t in rows], dtype=np.int64).reshape(-1, 3)
        arr = np.unique(arr, axis=0) if len(arr) else arr
        nodes = graph.nodes
        return cls(tuple(entities), tuple(relations), arr,
                   entity_labels=tuple(nodes[e].get("label") or local_name(e) for e in entities),
                   relation_labels=tuple(rel_labels[r] for r in relations),
                   entity_types=tuple(tuple(nodes[e].get("types", ())) for e in entities),
                   entity_aliases=tuple(tuple(nodes[e].get("aliases", ())) for e in entities))

    @classmethod
    def from_triples(cls, triples: Iterable[tuple[str, str, str]], entities: Sequence[str] = (),
                     relations: Sequence[str] = (), **labels) -> "TripleIndex":
        """Index plain ``(head, relation, tail)`` strings; ids follow first appearance after the
        given ``entities``/``relations`` (so benchmark splits can share one numbering)."""
        eid: dict[str, int] = {e: i for i, e in enumerate(dict.fromkeys(entities))}
        rid: dict[str, int] = {r: i for i, r in enumerate(dict.fromkeys(relations))}
        rows = []
        for h, r, t in triples:
            rows.append((eid.setdefault(h, len(eid)), rid.setdefault(r, len(rid)), eid.setdefault(t, len(eid))))
        arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
        arr = np.unique(arr, axis=0) if len(arr) else arr
        return cls(tuple(eid), tuple(rid), arr, **labels)

    @classmethod
    def from_arrays(cls, heads, rels, tails, num_entities: int, num_relations: int) -> "TripleIndex":
        """Index integer arrays directly (for generated benchmark graphs); names are the ids."""
        arr = np.unique(np.stack([np.asarray(heads), np.asarray(rels), np.asarray(tails)], axis=1), axis=0)
        ents = tuple(f"e{i}" for i in range(num_entities))
        rels_ = tuple(f"r{i}" for i in range(num_relations))
        return cls(ents, rels_, arr, entity_labels=ents, relation_labels=rels_)

    # -- sizes and names ------------------------------------------------------------------------
    @property
    def num_entities(self) -> int:
        return len(self.entities)

    @property
    def num_relations(self) -> int:
        return len(self.relations)

    def __len__(self) -> int:
        return len(self.triples)

    def code_label(self, code: int) -> str:
        """``located in`` for a forward step code, ``^located in`` for its inverse."""
        label = self.relation_labels[code >> 1]
        return "^" + label if code & 1 else label

    def names(self) -> list[str]:
        return sorted({n for i in range(self.num_entities) for n in (self.entity_labels[i], *self.entity_aliases[i])})

    # -- name resolution ------------------------------------------------------------------------
    def resolve_entity(self, name: str) -> int:
        """Entity id for an IRI, label or alias (any case), through the one resolver
        (:mod:`kg.resolve`): unknown names get suggestions, shared names list the candidates."""
        from kg.resolve import resolver_for

        return resolver_for(self).resolve(name)

    def resolve_relation(self, name: str) -> int:
        """Relation id for an IRI or label (case-insensitive, '_' or ' ' alike)."""
        if name in self.relation_id:
            return self.relation_id[name]
        folded = name.strip().casefold().replace("_", " ")
        for i, label in enumerate(self.relation_labels):
            if label.casefold().replace("_", " ") == folded or local_name(self.relations[i]).casefold() == folded:
                return i
        raise UnknownRelationError(name, self.relation_labels)

    def type_mask(self, types: Sequence[str]) -> np.ndarray:
        """Boolean mask of entities having one of ``types`` (type IRIs or their local names)."""
        wanted = {t.casefold() for t in types}
        known = {ty for tys in self.entity_types for ty in tys}
        matched = {ty for ty in known if ty.casefold() in wanted or local_name(ty).casefold() in wanted}
        missing = [t for t in types if not any(t.casefold() in (m.casefold(), local_name(m).casefold()) for m in matched)]
        if missing:
            from kg.errors import UnknownNameError

            raise UnknownNameError("entity type", missing[0], sorted({local_name(k) for k in known}) or ["(none)"])
        return np.array([any(ty in matched for ty in tys) for tys in self.entity_types], dtype=bool)
