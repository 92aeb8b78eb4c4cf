"""Relation methods, chosen by name through one table."""

from __future__ import annotations

from kg.errors import UnknownNameError
from kg.extract.relations.base import Relation, RelationMethod
from kg.extract.relations.rules import RuleRelations

# name -> class; the neural relation issue adds its entry here.
RELATION_METHODS: dict[str, type[RelationMethod]] = {
    "rules": RuleRelations,
}


def relation_method(name: str) -> RelationMethod:
    """An instance of the relation method called ``name``."""
    if name not in RELATION_METHODS:
        raise UnknownNameError("relation method", name, RELATION_METHODS)
    return RELATION_METHODS[name]()


__all__ = ["RELATION_METHODS", "Relation", "RelationMethod", "RuleRelations", "relation_method"]
