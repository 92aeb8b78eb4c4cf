"""Workspace benchmark: whole ``kgn`` processes on a 1M-triple store, cold and warm, side by side.

Builds a store of labelled, typed entities related by a few relations (kgn's vocabulary, one
named graph per generated "file"), then times, as separate processes so that start-up counts:

- ``kgn stats`` (the reference: process start-up plus a store read),
- ``kgn entity NAME``, ``kgn path A B``, ``kgn path A B --k 5``, cold (first call after a write:
  the graph index is built) and warm (the saved index is loaded),
- the same look-ups through the Python API in one process,
- after one more document is extracted, the next ``kgn path`` (the index is updated, not rebuilt),
- the index build straight from the store next to the old route (store -> NetworkX -> index).

Targets (issue 12): warm ``path``/``entity`` <= 2x ``stats`` and < 1.5 s; after one more document
the next ``path`` <= 3x its warm time; index build <= 0.5x the NetworkX route.

    python bench/workspace_bench.py [--triples 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = "https://kgn.example/"
TYPES = ("Person", "Organization", "Place")
RELATIONS = ("knows", "works_at", "located_in", "part_of", "collaborates_with")
KGN = [str(Path(sys.executable).with_name("kgn"))]


def generate(folder: Path, n_triples: int, seed: int = 0, files: int = 20) -> tuple[int, list[str]]:
    """N-Triples files of entities with labels, aliases, types and relation edges.

    Returns the number of triples written and a few entity labels to look up.
    """
    rng = random.Random(seed)
    n_ent = max(50, n_triples // 8)
    written, names = 0, []
    outs = [(folder / f"part{i:02d}.nt").open("w", encoding="utf-8") for i in range(files)]

    def w(line: str) -> None:
        nonlocal written
        outs[written % files].write(line)
        written += 1

    ent = lambda i: f"<{BASE}entity/Entity_{i}>"  # noqa: E731
    for t in TYPES:
        w(f"<{BASE}type/{t}> <http://www.w3.org/2000/01/rdf-schema#label> \"{t}\" .\n")
    for r in RELATIONS:
        w(f"<{BASE}rel/{r}> <http://www.w3.org/2000/01/rdf-schema#label> \"{r.replace('_', ' ')}\" .\n")
    for i in range(n_ent):
        w(f"{ent(i)} <http://www.w3.org/2000/01/rdf-schema#label> \"Entity {i}\" .\n")
        w(f"{ent(i)} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}type/{TYPES[i % 3]}> .\n")
        if i % 5 == 0:
            w(f"{ent(i)} <http://www.w3.org/2004/02/skos/core#altLabel> \"E{i}\" .\n")
    while written < n_triples:
        h, t = rng.randrange(n_ent), rng.randrange(n_ent)
        w(f"{ent(h)} <{BASE}rel/{rng.choice(RELATIONS)}> {ent(t)} .\n")
    for f in outs:
        f.close()
    names = [f"Entity {rng.randrange(n_ent)}" for _ in range(6)]
    return written, names


def run(args: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(KGN + args, capture_output=True, text=True, env=env, timeout=900)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"kgn {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dt, proc.stdout


def median_of(n: int, args: list[str], env: dict) -> float:
    return statistics.median(run(args, env)[0] for _ in range(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per command (median)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the store in this folder")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kgn-wsbench-"))
    root = args.keep or tmp
    root.mkdir(parents=True, exist_ok=True)
    store = root / "store"
    env = {**os.environ, "KGN_STORE": str(store)}
    data = root / "data"
    if not store.exists():
        data.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        n, names = generate(data, args.triples)
        (root / "names.json").write_text(json.dumps(names))
        print(f"generated {n:,} triples in {time.perf_counter() - t0:.1f} s")
        dt, _ = run(["import", *sorted(map(str, data.glob("*.nt")))], env)
        print(f"imported in {dt:.1f} s")
    names = json.loads((root / "names.json").read_text())
    a, b = names[0], names[1]

    rows = []

    def row(label: str, seconds: float, ref: float | None = None) -> None:
        rows.append((label, seconds, ref))
        ratio = f"{seconds / ref:6.2f}x stats" if ref else ""
        print(f"  {label:<42} {seconds:7.3f} s  {ratio}", flush=True)

    print(f"\nwhole processes on {store} (median of {args.repeat} warm runs)")
    cold_stats, _ = run(["stats"], env)
    cold_entity, _ = run(["entity", a], env)
    stats = median_of(args.repeat, ["stats"], env)
    row("kgn stats (first call)", cold_stats, None)
    row("kgn entity (first call, builds the index)", cold_entity, None)
    row("kgn stats", stats)
    warm_entity = median_of(args.repeat, ["entity", a], env)
    row("kgn entity NAME", warm_entity, stats)
    warm_path = median_of(args.repeat, ["path", a, b], env)
    row("kgn path A B", warm_path, stats)
    row("kgn path A B --k 5", median_of(args.repeat, ["path", a, b, "--k", "5"], env), stats)

    doc = root / "one-more.txt"
    doc.write_text("Ada Lovelace worked with Charles Babbage in London.\n", encoding="utf-8")
    run(["extract", str(doc)], env)
    after, _ = run(["path", a, b], env)
    row("kgn path A B after one more document", after, stats)
    print(f"  ratio after-one-document / warm path: {after / warm_path:.2f}x (target <= 3x)")

    print("\nPython API in one process")
    code = f"""
import time, json
from kg.workspace import open_workspace
from kg.reason.paths import k_shortest_paths
t0 = time.perf_counter(); ws = open_workspace({str(store)!r}, read_only=True); t1 = time.perf_counter()
idx = ws.index(); t2 = time.perf_counter()
iri = ws.resolve({a!r}); t3 = time.perf_counter()
p = k_shortest_paths(idx, {a!r}, {b!r}, k=1, max_len=6); t4 = time.perf_counter()
p5 = k_shortest_paths(idx, {a!r}, {b!r}, k=5, max_len=6); t5 = time.perf_counter()
print(json.dumps({{"open": t1 - t0, "index": t2 - t1, "resolve": t3 - t2, "path": t4 - t3, "path k=5": t5 - t4}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    for k, v in json.loads(out.stdout).items():
        row(f"api {k}", v)

    print("\nindex build from the store (in one process)")
    code = f"""
import time, json
from collections import defaultdict
from rdflib.namespace import RDF, RDFS, SKOS
from kg.indexing import build_index
from kg.reason.index import TripleIndex
from kg.view import build_graph
from kg.vocab import is_meta
from kg.workspace import open_workspace
ws = open_workspace({str(store)!r}, read_only=True)
store, vocab = ws.store, ws.vocab

def old_route():
    # What kgn did before the workspace (GraphView.refresh, then TripleIndex.from_graph).
    edges = {{}}
    for s, p, o, g in store.select_values("SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?o)) }} }}"):
        if is_meta(p):
            continue
        is_inf = g == str(vocab.inferred_graph)
        edges[(s, p, o)] = edges.get((s, p, o), True) and is_inf
    labels, aliases, types = {{}}, defaultdict(set), defaultdict(set)
    for s, l in store.select_values(f"SELECT ?s ?l WHERE {{{{ ?s <{{RDFS.label}}> ?l FILTER(isLiteral(?l)) }}}}"):
        labels.setdefault(s, l)
    for s, l in store.select_values(f"SELECT ?s ?l WHERE {{{{ ?s <{{SKOS.altLabel}}> ?l }}}}"):
        aliases[s].add(l)
    for s, t in store.select_values(f"SELECT ?s ?t WHERE {{{{ ?s <{{RDF.type}}> ?t }}}}"):
        types[s].add(t)
    prefix = vocab.base + "entity/"
    g = build_graph(edges, labels=labels, types=types, aliases=aliases, inferred={{k for k, v in edges.items() if v}},
                    relation_labels=labels, isolated=[n for n in labels if n.startswith(prefix)])
    return TripleIndex.from_graph(g)

t0 = time.perf_counter(); old = old_route(); t1 = time.perf_counter()
new = build_index(store, vocab).index; t2 = time.perf_counter()
assert len(old) == len(new) and old.num_entities == new.num_entities, (len(old), len(new))
print(json.dumps({{"networkx route": t1 - t0, "direct": t2 - t1}}))
"""
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                    check=True).stdout)
    row("store -> NetworkX -> index (old route)", out["networkx route"])
    row("store -> index (direct)", out["direct"])
    ratio = out["direct"] / out["networkx route"]
    print(f"  ratio direct / old route: {ratio:.2f}x (target <= 0.5x)")

    print("\ntargets")
    print(f"  entity {warm_entity:.2f} s = {warm_entity / stats:.2f}x stats; path {warm_path:.2f} s = "
          f"{warm_path / stats:.2f}x stats (target <= 2x and < 1.5 s): "
          f"{'met' if max(warm_entity, warm_path) < 1.5 and max(warm_entity, warm_path) <= 2 * stats else 'NOT met'}")
    print(f"  after one document {after / warm_path:.2f}x warm (<= 3x): {'met' if after <= 3 * warm_path else 'NOT met'}")
    print(f"  index build {ratio:.2f}x old route (<= 0.5x): {'met' if ratio <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
