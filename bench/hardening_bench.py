"""Hardening benchmark: re-importing a big N-Triples file, and importing it into a remote server.

1. Loads a generated N-Triples file (default ~200 MB, bench/store_bench.py's generator) into a
   fresh embedded store, then loads the same file again over itself, and prints both times and
   their ratio (target: re-import <= 1.5x the first load). With --changed it also loads a copy
   with 1% of the lines replaced and checks the graph then holds exactly the new file.
2. Starts ``oxigraph serve`` on 127.0.0.1 and imports the same file through ``RemoteStore`` in a
   child process, which prints its own peak RSS (target: it works, with bounded client memory;
   the server refuses single updates over 128 MB).

    python -m bench.hardening_bench [--triples 2050000] [--keep DIR] [--changed] [--skip-remote]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

GRAPH = URIRef("http://bench.example/graph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(store) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])


def local(data: Path, work: Path, changed: bool) -> dict:
    from kg.store import OxigraphStore

    out = {}
    with OxigraphStore(work / "store") as store:
        t0 = time.perf_counter()
        store.load(data, graph=GRAPH)
        out["first_load_s"] = time.perf_counter() - t0
        out["quads"] = len(store)
        t0 = time.perf_counter()
        store.load(data, graph=GRAPH)
        out["reimport_same_s"] = time.perf_counter() - t0
        out["quads_after_reimport"] = len(store)
        if changed:
            edited = work / "edited.nt"
            rng = random.Random(1)
            with data.open() as src, edited.open("w") as dst:
                for i, line in enumerate(src):
                    dst.write(f"<http://bench.example/new{i}> <http://bench.example/p> \"{i}\" .\n"
                              if rng.random() < 0.01 else line)
            t0 = time.perf_counter()
            store.load(edited, graph=GRAPH)
            out["reimport_1pct_changed_s"] = time.perf_counter() - t0
            # Correct when changed: the graph holds exactly the new file's distinct triples.
            out["quads_after_change"] = len(store)
            with edited.open() as fh:
                out["distinct_triples_in_changed_file"] = len(set(fh))
    out["ratio_reimport_over_first"] = out["reimport_same_s"] / out["first_load_s"]
    return out


def _own_peak_mib() -> float:
    """This process's peak RSS. Linux's ``ru_maxrss`` survives ``execve`` (a child started from a
    big parent reports the parent's size), so read the memory map's own high-water mark."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def remote_child(data: Path, url: str) -> None:
    """Run in a child process, so that the peak RSS printed is the import's own."""
    from kg.store import RemoteStore

    store = RemoteStore(url)
    t0 = time.perf_counter()
    store.load(data, graph=GRAPH)
    seconds = time.perf_counter() - t0
    peak_mib = _own_peak_mib()
    print(json.dumps({"remote_import_s": seconds, "client_peak_rss_mib": peak_mib,
                      "request_bytes": store.remote.request_bytes, "remote_quads": _count(store)}))


def remote(data: Path, work: Path) -> dict:
    exe = Path(sys.executable).with_name("oxigraph")
    exe = str(exe) if exe.exists() else shutil.which("oxigraph")
    port = _free_port()
    server = subprocess.Popen([exe, "serve", "--location", str(work / "server"), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.2)
        child = subprocess.run([sys.executable, __file__, "--remote-child", str(data), url],
                               capture_output=True, text=True)
        if child.returncode != 0:
            return {"remote_error": child.stderr.strip().splitlines()[-1] if child.stderr else "failed"}
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=2_050_000, help="about 97 bytes each: 2.05M ~ 200 MB")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None, help="folder for the data and stores (kept)")
    ap.add_argument("--changed", action="store_true", help="also re-import a copy with 1%% of lines changed")
    ap.add_argument("--skip-remote", action="store_true")
    ap.add_argument("--skip-local", action="store_true")
    ap.add_argument("--remote-child", nargs=2, metavar=("FILE", "URL"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.remote_child:
        remote_child(Path(args.remote_child[0]), args.remote_child[1])
        return 0

    from bench.store_bench import generate

    tmp = tempfile.TemporaryDirectory() if args.keep is None else None
    work = Path(tmp.name) if tmp else args.keep
    work.mkdir(parents=True, exist_ok=True)
    data = work / "graph.nt"
    if not data.exists():
        generate(data, args.triples, args.seed)
    result = {"file_mb": round(data.stat().st_size / 1e6, 1), "triples_in_file": sum(1 for _ in data.open())}
    print(json.dumps(result), flush=True)
    if not args.skip_local:
        shutil.rmtree(work / "store", ignore_errors=True)
        result.update(local(data, work, args.changed))
        print(json.dumps(result), flush=True)
    if not args.skip_remote:
        shutil.rmtree(work / "server", ignore_errors=True)
        result.update(remote(data, work))
    print(json.dumps(result, indent=1))
    if "ratio_reimport_over_first" in result:
        verdict = "met" if result["ratio_reimport_over_first"] <= 1.5 else "NOT met"
        print(f"re-import / first load = {result['ratio_reimport_over_first']:.2f} (target <= 1.5: {verdict})")
    if "client_peak_rss_mib" in result:
        print(f"remote import: {result['remote_import_s']:.1f} s, client peak RSS "
              f"{result['client_peak_rss_mib']:.0f} MiB, {result['remote_quads']} quads on the server")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
