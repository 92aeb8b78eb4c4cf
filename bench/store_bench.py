"""Store benchmark: kgn's embedded store vs a plain in-memory ``rdflib.Graph``, side by side.

Generates a synthetic graph (default 1M triples) as N-Triples, then, in one run, loads it into
both and times a 2-hop join and a property-path query on each. Prints times and the ratios
(peer time / kgn time, so > 1 means kgn is faster). Targets (issue 2): load >= 5x, queries >= 10x.

    python bench/store_bench.py [--triples 1000000] [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

EX = "http://bench.example/"
JOIN = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  ?a <{EX}knows> ?b . ?b <{EX}worksAt> ?org }}"""
PATH = f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?p <{EX}worksAt>/<{EX}locatedIn>/<{EX}partOf>* <{EX}region0> }}"""


def generate(path: Path, n_triples: int, seed: int) -> int:
    """People who know each other and work at organisations located in cities within regions."""
    rng = random.Random(seed)
    n_people = max(10, n_triples // 8)
    n_orgs, n_cities, n_regions = max(2, n_people // 10), max(2, n_people // 100), 10
    written = 0
    with path.open("w", encoding="utf-8") as f:
        def w(s, p, o):
            nonlocal written
            f.write(f"{s} <{EX}{p}> {o} .\n")
            written += 1
        for r in range(n_regions):
            w(f"<{EX}region{r}>", "partOf", f"<{EX}region{r // 3}>" if r >= 3 else f"<{EX}world>")
        for c in range(n_cities):
            w(f"<{EX}city{c}>", "partOf", f"<{EX}region{rng.randrange(n_regions)}>")
        for o in range(n_orgs):
            w(f"<{EX}org{o}>", "locatedIn", f"<{EX}city{rng.randrange(n_cities)}>")
            w(f"<{EX}org{o}>", "name", f'"Organisation {o}"')
        for p in range(n_people):
            w(f"<{EX}person{p}>", "name", f'"Person {p}"')
            w(f"<{EX}person{p}>", "worksAt", f"<{EX}org{rng.randrange(n_orgs)}>")
        while written < n_triples:
            w(f"<{EX}person{rng.randrange(n_people)}>", "knows", f"<{EX}person{rng.randrange(n_people)}>")
    return written


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None, help="directory for the data and store (kept)")
    args = ap.parse_args(argv)

    import rdflib
    from rdflib import URIRef

    from kg.store import OxigraphStore

    tmp = tempfile.TemporaryDirectory() if args.keep is None else None
    work = Path(tmp.name) if tmp else args.keep
    work.mkdir(parents=True, exist_ok=True)
    data = work / "graph.nt"
    n = generate(data, args.triples, args.seed)
    print(f"generated {n:,} triples ({data.stat().st_size / 2**20:.0f} MiB N-Triples)", flush=True)

    rows = []
    store = OxigraphStore(work / "kgn-store")
    t_kgn_load, _ = timed(lambda: store.load(data, graph=URIRef(EX + "graph")))
    t_kgn_join, kgn_join = timed(lambda: int(store.query(JOIN).rows[0][0]))
    t_kgn_path, kgn_path = timed(lambda: int(store.query(PATH).rows[0][0]))
    print(f"kgn done (load {t_kgn_load:.1f}s)", flush=True)

    rss_before = rss_mib()
    g = rdflib.Graph()
    t_rdf_load, _ = timed(lambda: g.parse(str(data), format="nt"))
    t_rdf_join, rdf_join = timed(lambda: int(next(iter(g.query(JOIN)))[0]))
    t_rdf_path, rdf_path = timed(lambda: int(next(iter(g.query(PATH)))[0]))
    print(f"rdflib done (load {t_rdf_load:.1f}s, peak RSS grew to {rss_mib():.0f} MiB from {rss_before:.0f})",
          flush=True)

    if (kgn_join, kgn_path) != (rdf_join, rdf_path):
        print(f"MISMATCH: kgn {kgn_join}/{kgn_path} vs rdflib {rdf_join}/{rdf_path}", file=sys.stderr)
        return 1
    rows = [("load", t_kgn_load, t_rdf_load, 5), ("2-hop join", t_kgn_join, t_rdf_join, 10),
            ("property path", t_kgn_path, t_rdf_path, 10)]
    print(f"\n{n:,} triples; join rows {kgn_join:,}; path matches {kgn_path:,} (same on both)")
    print(f"{'operation':<15}{'kgn s':>10}{'rdflib s':>11}{'speed-up':>10}{'target':>8}  met")
    for name, ours, peer, target in rows:
        ratio = peer / ours
        print(f"{name:<15}{ours:>10.3f}{peer:>11.3f}{ratio:>9.1f}x{target:>7}x  {'yes' if ratio >= target else 'NO'}")
    print("(speed-up = rdflib time / kgn time; kgn time / rdflib time is its inverse)")
    store.close()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
