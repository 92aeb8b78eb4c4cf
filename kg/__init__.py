"""kgn's base layer: the RDF store, vocabulary, NetworkX view, extraction, reasoning and scorers.

Start with :func:`kg.workspace.open_workspace` (store, settings, graph index, entity resolver)
and :mod:`kg.query`; the RDF
shape kgn writes is documented in :mod:`kg.vocab`. This package never imports ``neural`` or ``app``.
"""

__version__ = "0.1.0"
