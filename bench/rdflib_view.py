"""kgn's rdflib view vs rdflib's own memory ``Dataset``, side by side in one run.

    python bench/rdflib_view.py [--triples 100000] [--backend memory|oxigraph]

Both sides get the same quads (``--triples`` distinct triples spread over 10 named graphs; with
``--duplicates`` 1 in 20 is also put in a second graph, where Oxigraph's union default graph counts
it twice in SPARQL while rdflib counts it once, so the answers line then differs), then: ``addN``; ``len`` (the
union's distinct triples; first call after the load, then again); a full iteration over the union
(first, then again);
a union count by SPARQL; a 2-pattern join by SPARQL. Prints seconds for each and the ratio
kgn / rdflib (below 1: kgn is faster). Target: no ratio above 1.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from kg.store import MemoryStore, OxigraphStore
from kg.store.rdflib_view import dataset_for

EX = "http://example.org/bench/"
JOIN = (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}p0> ?b . ?b <{EX}p1> ?c }}")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def make_quads(n: int, ds: Dataset, duplicates: bool = False) -> list:
    """``n`` distinct triples over ``n // 5`` entities and 10 predicates, in 10 graphs."""
    entities = [URIRef(f"{EX}e{i}") for i in range(max(n // 5, 2))]
    preds = [URIRef(f"{EX}p{i}") for i in range(10)]
    graphs = [Graph(store=ds.store, identifier=URIRef(f"{EX}g{i}")) for i in range(10)]
    quads = []
    for i in range(n):
        s = entities[i % len(entities)]
        o = Literal(f"value {i}") if i % 4 == 3 else entities[(i * 7 + i // len(entities)) % len(entities)]
        quads.append((s, preds[i % 10], o, graphs[i % 10]))
        if duplicates and i % 20 == 0 and len(quads) < n:
            quads.append((s, preds[i % 10], o, graphs[(i + 1) % 10]))
    return quads[:n]


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(ds: Dataset, n: int, duplicates: bool) -> dict:
    quads = make_quads(n, ds, duplicates)
    out = {}
    out["addN"], _ = timed(lambda: ds.addN(quads))
    out["len (first)"], size = timed(lambda: len(ds))
    out["len (again)"], _ = timed(lambda: len(ds))
    out["iterate union (first)"], seen = timed(lambda: sum(1 for _ in ds.triples((None, None, None))))
    out["iterate union (again)"], _ = timed(lambda: sum(1 for _ in ds.triples((None, None, None))))
    out["union count (SPARQL)"], count = timed(lambda: int(next(iter(ds.query(COUNT)))[0]))
    out["2-pattern join (SPARQL)"], join = timed(lambda: int(next(iter(ds.query(JOIN)))[0]))
    out["_answers"] = (size, seen, count, join)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=100_000)
    ap.add_argument("--backend", choices=["memory", "oxigraph"], default="memory")
    ap.add_argument("--duplicates", action="store_true", help="put 1 triple in 20 in two graphs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgn-rdflib-bench-") as tmp:
        kgn = MemoryStore() if args.backend == "memory" else OxigraphStore(Path(tmp) / "store")
        ours = run(dataset_for(kgn), args.triples, args.duplicates)
        kgn.close()
    theirs = run(Dataset(default_union=True), args.triples, args.duplicates)
    print(f"{args.triples} quads, kgn view on the {args.backend} backend vs rdflib memory Dataset")
    print(f"{'operation':26} {'kgn s':>9} {'rdflib s':>9} {'kgn/rdflib':>11}")
    for op in ours:
        if op.startswith("_"):
            continue
        ratio = ours[op] / theirs[op] if theirs[op] > 0 else float("inf")
        print(f"{op:26} {ours[op]:9.4f} {theirs[op]:9.4f} {ratio:11.2f}")
    print(f"answers (len, iterated, count, join): kgn {ours['_answers']}  rdflib {theirs['_answers']}")
    if ours["_answers"] != theirs["_answers"]:
        print("MISMATCH: the two stores answered differently")


if __name__ == "__main__":
    main()
