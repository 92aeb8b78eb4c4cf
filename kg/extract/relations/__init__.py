"""Relation methods, chosen by name through one registry.

``kg`` knows only the rule method. Other packages plug theirs in without ``kg`` importing them:

* at run time: ``register_method("neural", factory)``;
* when installed: an entry point in the ``kgn.relation_methods`` group (``pyproject.toml``),
  ``neural = "neural.relation.method:build_neural_method"``; it is loaded only when that name
  is asked for.

A factory is called with a :class:`MethodSpec`'s options as keyword arguments and returns a
:class:`RelationMethod`. Worker processes do not look names up again: the parent resolves each
name to its factory once and sends ``(spec, factory)`` (see
:class:`kg.extract.extractor.ExtractorRecipe`), so a method registered at run time in the parent
also runs in ``--jobs`` and Dask workers.
"""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any, Callable, Iterable

from kg.errors import KgnError, UnknownNameError
from kg.extract.relations.base import (CombinedMethod, MethodSpec, MethodSpecError, Relation,
                                       RelationMethod, parse_methods)
from kg.extract.relations.rules import RuleRelations

ENTRY_POINT_GROUP = "kgn.relation_methods"

Factory = Callable[..., RelationMethod]

# name -> factory (a RelationMethod class is a factory). The one table; entry points and
# register_method add to it.
RELATION_METHODS: dict[str, Factory] = {
    "rules": RuleRelations,
}


def register_method(name: str, factory: Factory, *, replace: bool = False) -> None:
    """Make ``name`` usable in ``--relations`` / :class:`MethodSpec`.

    Registering the same factory twice is harmless; another factory under a taken name needs
    ``replace=True``. For ``--jobs``/Dask the factory must be importable by its module path
    (a module-level function or class), because workers receive it by reference.
    """
    if not re.match(r"^[A-Za-z][\w-]*$", name):
        raise MethodSpecError(f"relation method name {name!r} is not a plain name")
    old = RELATION_METHODS.get(name)
    if old is not None and old is not factory and not replace:
        raise KgnError(f"relation method {name!r} is already registered ({_describe(old)})")
    RELATION_METHODS[name] = factory


def _describe(factory: Factory) -> str:
    return f"{getattr(factory, '__module__', '?')}.{getattr(factory, '__qualname__', factory)!s}"


def _entry_points() -> dict[str, Any]:
    try:
        return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    except Exception:  # broken metadata of some unrelated distribution must not break extraction
        return {}


def available_methods() -> list[str]:
    """Every name that can be asked for (registered or advertised by an entry point)."""
    return sorted(set(RELATION_METHODS) | set(_entry_points()))


def method_factory(name: str) -> Factory:
    """The factory registered for ``name`` (loading its entry point on first use)."""
    factory = RELATION_METHODS.get(name)
    if factory is not None:
        return factory
    ep = _entry_points().get(name)
    if ep is None:
        raise UnknownNameError("relation method", name, available_methods())
    try:
        factory = ep.load()
    except Exception as exc:
        raise KgnError(f"relation method {name!r}: its plug-in {ep.value!r} failed to load "
                       f"({type(exc).__name__}: {exc})") from None
    RELATION_METHODS.setdefault(name, factory)
    return factory


def resolve(specs: Iterable[MethodSpec]) -> tuple[tuple[MethodSpec, Factory], ...]:
    """``(spec, factory)`` pairs: what a worker needs to build the methods without a lookup."""
    return tuple((s, method_factory(s.name)) for s in specs)


def build_resolved(parts: Iterable[tuple[MethodSpec, Factory]]) -> RelationMethod:
    """The method (or the combination) described by resolved ``(spec, factory)`` pairs."""
    methods = []
    for spec, factory in parts:
        try:
            method = factory(**spec.kwargs)
        except TypeError as exc:
            raise MethodSpecError(f"relation method {str(spec)!r}: {exc}") from None
        method.spec = spec
        methods.append(method)
    if not methods:
        raise MethodSpecError("no relation method given")
    return methods[0] if len(methods) == 1 else CombinedMethod(methods)


def build_method(what: str | MethodSpec | Iterable[MethodSpec], **options: Any) -> RelationMethod:
    """A method from ``"rules"``, ``"rules+neural:PATH"``, a spec or several specs."""
    return build_resolved(resolve(method_specs(what, **options)))


def method_specs(what: str | MethodSpec | Iterable[MethodSpec], **options: Any) -> tuple[MethodSpec, ...]:
    if isinstance(what, str):
        return parse_methods(what, **options)
    if isinstance(what, MethodSpec):
        return (what.with_options(**options) if options else what,)
    return tuple(s.with_options(**options) if options else s for s in what)


def relation_method(name: str) -> RelationMethod:
    """An instance of the relation method called ``name`` (kept for callers of the old API)."""
    return build_method(name)


__all__ = ["ENTRY_POINT_GROUP", "CombinedMethod", "MethodSpec", "MethodSpecError", "RELATION_METHODS",
           "Relation", "RelationMethod", "RuleRelations", "available_methods", "build_method",
           "build_resolved", "method_factory", "method_specs", "parse_methods", "register_method",
           "relation_method", "resolve"]
