"""RDF serialisation formats by short name or file extension."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import UnknownNameError

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "json-ld": "jsonld", "json": "jsonld",
            "xml": "rdf", "owl": "rdf", "rdfxml": "rdf"}


def rdf_format(name: str) -> ox.RdfFormat:
    """The format called ``name`` ('ttl', 'nt', 'nq', 'trig', 'jsonld', ...)."""
    key = _ALIASES.get(name.lower().lstrip("."), name.lower().lstrip("."))
    try:
        return FORMATS[key]
    except KeyError:
        raise UnknownNameError("RDF format", name, FORMATS) from None


def guess_format(path: str | Path) -> ox.RdfFormat:
    """The format of a file from its extension (``.gz`` is not supported: decompress first)."""
    suffix = Path(path).suffix
    if not suffix:
        raise UnknownNameError(f"RDF format (no extension on {path})", "", FORMATS)
    return rdf_format(suffix)


def is_dataset_format(fmt: ox.RdfFormat) -> bool:
    return bool(fmt.supports_datasets)
