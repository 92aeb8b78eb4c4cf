"""The demo behind ``make app``: fill the embedded store from the sample and answer questions.

It loads a small hand-written graph (``data/sample/ai.ttl``), extracts entities and relations from
three short texts (``data/sample/docs``) into the same store with spaCy, and queries the result.
Both steps are idempotent: running the demo again replaces what it wrote.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgnError
from kg.query import describe_entity
from kg.vocab import prefixes

from app.render import entity_text

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"

QUESTION = "Who worked at an organisation in Canada?"
QUERY = """
SELECT DISTINCT ?personLabel ?orgLabel WHERE {
  ?person r:worked_at ?org .
  ?org (r:located_in|r:based_in)+ e:Canada .
  ?person rdfs:label ?personLabel . ?org rdfs:label ?orgLabel .
} ORDER BY ?personLabel
"""


def run_demo(ws, echo=print, sample_dir: Path = SAMPLE_DIR) -> None:
    """Load ``sample_dir/ai.ttl`` into the workspace ``ws`` (idempotently: it replaces its own
    graph), extract the sample documents, and query the result."""
    ttl = sample_dir / "ai.ttl"
    if not ttl.is_file():
        raise KgnError(f"sample data not found at {ttl}: run the demo from a kgn source checkout")
    store, vocab = ws.store, ws.vocab
    store.load(ttl, graph=vocab.file_graph("sample/ai.ttl"))
    from kg.extract.job import run_job

    summary = run_job(ws, [str(sample_dir / "docs")], ledger=None, report=None)
    echo(f"extracted from {sample_dir / 'docs'}: {summary.line()}")
    stats = store.stats()
    echo(f"store: {stats['triples']} triples in {stats['graphs']} graph(s)")
    echo(f"\nQ: {QUESTION}")
    echo(store.query(QUERY, prefixes=prefixes(vocab)).to_table())
    for name in ("hinton", "CNN"):
        echo(f"\nQ: kgn entity {name}")
        echo(entity_text(describe_entity(store, ws.resolve(name))))
