"""Run the rdflib peers' own test suites with kgn's rdflib view plugged in as the store.

    python bench/rdflib_suites.py --rdflib PATH --oxrdflib PATH [--stores kgn,native] [--details]

PATH is a checkout of the peer's sources at the version installed here (e.g.
``git clone -b 7.6.0 https://github.com/RDFLib/rdflib`` and
``git clone -b v0.5.0 https://github.com/oxigraph/oxrdflib``); nothing of them is copied into kgn.

- oxrdflib's ``tests/``: its tests ask for ``Graph(store="Oxigraph")``; in the ``kgn`` run that
  name gives kgn's view over a fresh in-memory kgn store, in the ``native`` run oxrdflib's own.
- rdflib's graph, dataset, conjunctive-graph and SPARQL tests: in the ``kgn`` run rdflib's
  ``default``/``Memory`` store names give kgn's view, in the ``native`` run rdflib's memory store.
  Other installed plugin stores (oxrdflib's) are hidden in both runs so that rdflib's
  store-parametrised tests collect exactly as in a plain rdflib install. Tests marked ``webtest``
  (they need the internet) are deselected.

The pytest plugin doing the swap is written into a temporary directory at run time. With a kgn
checkout from before issue 19 on ``PYTHONPATH`` the same script measures the old hand-written
plugin (``KgnRdflibStore``).

Prints passed/failed/error/skipped per suite and store, and the failures of the kgn runs grouped
by their first message line.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHIM = '''\
import rdflib.plugin as plugin
from rdflib.store import Store

KGN_NAMES = {kgn_names!r}
HIDDEN = {hidden!r}


class KgnViewStore(Store):
    """Stands for kgn's view under rdflib's plugin names: each instance is a view of a fresh
    in-memory kgn store (a class, because rdflib's suites read plugin class attributes)."""

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __new__(cls, configuration=None, identifier=None):
        from kg.store import MemoryStore
        try:
            from kg.store.rdflib_view import view_for
        except ImportError:  # kgn before issue 19: the hand-written plugin
            from kg.store.rdflib_view import KgnRdflibStore as view_for
        return view_for(MemoryStore())


def pytest_configure(config):
    for name in HIDDEN:
        plugin._plugins.pop((name, Store), None)
    for name in KGN_NAMES:
        plugin.register(name, Store, "kgn_suite_shim", "KgnViewStore")
'''

RDFLIB_TESTS = ["test/test_graph", "test/test_dataset", "test/test_conjunctivegraph", "test/test_sparql"]
SUITES = {
    # suite: (test paths, store names kgn takes over, store names hidden)
    "oxrdflib": (["tests"], ["Oxigraph", "oxigraph"], []),
    "rdflib": (RDFLIB_TESTS, ["default", "Memory"], ["Oxigraph", "oxigraph"]),
}


def run_suite(suite: str, checkout: Path, store: str, tmp: Path) -> dict:
    paths, kgn_names, hidden = SUITES[suite]
    shim_dir = tmp / f"{suite}-{store}"
    shim_dir.mkdir()
    (shim_dir / "kgn_suite_shim.py").write_text(
        SHIM.format(kgn_names=kgn_names if store == "kgn" else [], hidden=hidden))
    xml = shim_dir / "junit.xml"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(shim_dir), env.get("PYTHONPATH") or str(ROOT)])
    cmd = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "kgn_suite_shim", "-p", "no:cacheprovider",
           "-m", "not webtest", "--timeout", "120", f"--junitxml={xml}"]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    counts = collections.Counter()
    failures = []
    if not xml.exists():
        return {"counts": counts, "failures": [("(no report)", "pytest did not run")], "seconds": seconds}
    for case in ET.parse(xml).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                if child.tag != "skipped":
                    msg = (child.get("message") or child.text or "").strip().splitlines()
                    failures.append((f"{case.get('classname')}::{case.get('name')}",
                                     msg[0][:150] if msg else "(no message)"))
                break
        counts[outcome] += 1
    return {"counts": counts, "failures": failures, "seconds": seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rdflib", type=Path, help="checkout of RDFLib/rdflib (the installed version)")
    ap.add_argument("--oxrdflib", type=Path, help="checkout of oxigraph/oxrdflib (the installed version)")
    ap.add_argument("--stores", default="kgn,native", help="kgn, native, or both (comma separated)")
    ap.add_argument("--details", action="store_true", help="list every failing test of the kgn runs")
    args = ap.parse_args()
    checkouts = {"oxrdflib": args.oxrdflib, "rdflib": args.rdflib}
    if not any(checkouts.values()):
        ap.error("give --rdflib and/or --oxrdflib")
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    results = {}
    with tempfile.TemporaryDirectory(prefix="kgn-suites-") as tmp:
        for suite, checkout in checkouts.items():
            if checkout is None:
                continue
            if not checkout.is_dir():
                sys.exit(f"error: {checkout}: no such checkout directory for {suite}")
            for store in stores:
                results[suite, store] = run_suite(suite, checkout.resolve(), store, Path(tmp))
    print(f"{'suite':9} {'store':7} {'passed':>7} {'failed':>7} {'errors':>7} {'skipped':>8} {'seconds':>8}")
    for (suite, store), r in results.items():
        c = r["counts"]
        print(f"{suite:9} {store:7} {c['passed']:7d} {c['failed']:7d} {c['error']:7d} {c['skipped']:8d} "
              f"{r['seconds']:8.1f}")
    for (suite, store), r in results.items():
        if not r["failures"]:
            continue
        print(f"\n{suite} / {store}: failures by first message line")
        by_msg = collections.Counter(msg for _, msg in r["failures"])
        for msg, n in by_msg.most_common():
            print(f"  {n:4d}  {msg}")
        if args.details:
            for name, msg in r["failures"]:
                print(f"        {name}: {msg}")


if __name__ == "__main__":
    main()
