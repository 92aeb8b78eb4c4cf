"""The one entity resolver: names (labels, aliases, any case), IRIs, ambiguity, "did you mean".

Every face (CLI, Python API, dashboard) and every reasoning function turns a user's name into
an entity through :class:`EntityResolver`, built once per graph index. Exact look-up is a dict
probe; suggestions and fuzzy search compare the query only with names sharing a word or a
prefix with it, so they stay fast on a million names.
"""

from __future__ import annotations

import difflib
import re
import weakref
from dataclasses import dataclass

from kg.errors import AmbiguousEntityError, UnknownEntityError
from kg.vocab import KGN, local_name

SUGGEST_CUTOFF = 0.6  # difflib ratio below which a name is no suggestion
MAX_CANDIDATES = 20000  # names compared with a very short query, at most
CONCEPT = str(KGN.Concept)  # the type the extractor gives generic-noun concepts
_WORD = re.compile(r"\w+")


def fold(name: str) -> str:
    """The comparison form of a name: case-folded, whitespace collapsed, '_' read as a space."""
    return " ".join(name.replace("_", " ").casefold().split())


@dataclass(frozen=True)
class Match:
    """One search hit: an entity id with its IRI, label, the name that matched and a score."""

    id: int
    iri: str
    label: str
    name: str
    score: float


class EntityResolver:
    """Name -> entity look-up over a :class:`~kg.reason.index.TripleIndex`."""

    def __init__(self, index, table: dict[str, list[int]] | None = None):
        self.index = index
        self._by_name = table if table is not None else resolver_table(index)
        self._words: dict[str, list[str]] | None = None

    # -- exact --------------------------------------------------------------------------------
    def lookup(self, name: str) -> list[int]:
        """Every entity whose IRI, label or alias equals ``name`` (any case), by id."""
        name = name.strip()
        if name in self.index.entity_id:
            return [self.index.entity_id[name]]
        return sorted(self._by_name.get(fold(name), ()))

    def resolve(self, name: str) -> int:
        """The one entity ``name`` denotes; :class:`UnknownEntityError` with suggestions when none
        does, :class:`AmbiguousEntityError` with the candidates (label, types) when several do."""
        hits = self.lookup(name)
        if not hits:
            raise UnknownEntityError(name, self.suggest(name))
        if len(hits) > 1:
            raise AmbiguousEntityError(name, [(self.index.entities[i], self.describe(i)) for i in hits])
        return hits[0]

    def resolve_iri(self, name: str) -> str:
        return self.index.entities[self.resolve(name)]

    def describe(self, i: int) -> str:
        """``label (Type, Type)``: how a candidate is shown in an ambiguity message."""
        types = ", ".join(local_name(t) for t in self.index.entity_types[i])
        return f"{self.index.entity_labels[i]} ({types})" if types else self.index.entity_labels[i]

    # -- fuzzy --------------------------------------------------------------------------------
    def _word_table(self) -> dict[str, list[str]]:
        """Names by the first three letters of each of their words (and by the first letter,
        for queries whose words are shorter than three)."""
        if self._words is None:
            words: dict[str, list[str]] = {}
            for name in self._by_name:
                for w in set(_WORD.findall(name)):
                    words.setdefault(w[:3], []).append(name)
                    if len(w) < 3:
                        continue
                    words.setdefault(w[:1], []).append(name)
            self._words = words
        return self._words

    def _candidates(self, query: str) -> set[str]:
        table = self._word_table()
        out: set[str] = set()
        for w in set(_WORD.findall(query)):
            out.update(table.get(w[:3], ()))
            if len(w) < 3:
                out.update(table.get(w[:1], ())[:MAX_CANDIDATES])
        return out

    def search(self, text: str, limit: int = 10) -> list[Match]:
        """Entities whose names best match ``text``: exact, then prefix, then similar, each hit
        once (by its best name)."""
        q = fold(text)
        if not q:
            return []
        scored: dict[int, tuple[float, str]] = {}
        for name in self._candidates(q) | ({q} if q in self._by_name else set()):
            if name == q:
                score = 1.0
            elif name.startswith(q):
                score = 0.9 + 0.1 * len(q) / len(name)
            elif q in name:
                score = 0.7 + 0.2 * len(q) / len(name)
            else:
                score = difflib.SequenceMatcher(None, q, name).ratio() * 0.8
            if score < 0.4:
                continue
            for i in self._by_name[name]:
                if score > scored.get(i, (0.0, ""))[0]:
                    scored[i] = (score, name)
        best = sorted(scored.items(), key=lambda kv: (-kv[1][0], self.index.entity_labels[kv[0]]))[:limit]
        return [Match(i, self.index.entities[i], self.index.entity_labels[i], name, round(score, 3))
                for i, (score, name) in best]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The known names closest to ``name`` (for "did you mean"), best first, as written."""
        q = fold(name)
        scored = []
        for cand in self._candidates(q):
            if all(self._is_concept(i) for i in self._by_name[cand]):
                continue  # generic nouns ("people", "government") are no "did you mean"
            # A name, or one of its words for a one-word query ("Hintn" -> "Geoffrey Hinton").
            score = difflib.SequenceMatcher(None, q, cand).ratio()
            if " " not in q:
                score = max([score, *(0.95 * difflib.SequenceMatcher(None, q, w).ratio()
                                      for w in _WORD.findall(cand))])
            if score >= SUGGEST_CUTOFF:
                scored.append((-score, cand))
        return [self._display(c) for _, c in sorted(scored)[:n]]

    def _is_concept(self, i: int) -> bool:
        return CONCEPT in self.index.entity_types[i]

    def _display(self, folded: str) -> str:
        i = self._by_name[folded][0]
        for name in (self.index.entity_labels[i], *self.index.entity_aliases[i]):
            if fold(name) == folded:
                return name
        return folded


def resolver_table(index) -> dict[str, list[int]]:
    """Folded name -> ids of the entities that carry it as label or alias (saved with the index)."""
    by_name: dict[str, list[int]] = {}
    for i, (label, aliases) in enumerate(zip(index.entity_labels, index.entity_aliases)):
        for name in {fold(label), *(fold(a) for a in aliases)}:
            by_name.setdefault(name, []).append(i)
    return by_name


_RESOLVERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_TABLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def attach_table(index, table: dict[str, list[int]]) -> None:
    """Give ``index`` a ready resolver table (one loaded from disk), used on first resolve."""
    _TABLES[index] = table


def resolver_for(index) -> EntityResolver:
    """The resolver of ``index``, built on first use and kept as long as the index lives."""
    r = _RESOLVERS.get(index)
    if r is None:
        r = _RESOLVERS[index] = EntityResolver(index, _TABLES.pop(index, None))
    return r
