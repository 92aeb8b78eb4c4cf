"""Throughput of `kgn extract` against raw spaCy on the same corpus, in one process.

    .venv/bin/python bench/extract_speed.py [--data ../shared/data/webnlg/train] [--min-words 200000]

Builds a corpus of >= --min-words words from WebNLG <lex> texts (a folder of WebNLG XML) or CoNLL04
sentences (a .json file), repeated if needed and grouped into documents of about --doc-words words,
written to a temporary folder (never into the repo). Then measures, side by side:

1. raw ``nlp.pipe`` of the same model (n_process=1): parse only;
2. the full job (``kg.extract.job.run_job``, what ``kgn extract`` runs): read files, parse,
   mentions, relations, linking, RDF, one ``replace_graph`` per document into an embedded store
   in a temporary directory, ledger with fsync; ``--jobs 1``;
3. the same with ``--jobs 2``.

Prints words/s of each, full/raw (target >= 0.7) and jobs2/jobs1 (target >= 1.6).
Words are whitespace-separated tokens, counted the same way everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "webnlg" / "train"


def sentences(path: Path) -> list[str]:
    if path.is_file() and path.suffix == ".json":
        return [" ".join(rec["tokens"]) for rec in json.loads(path.read_text())]
    out = []
    for xml in sorted(path.rglob("*.xml")):
        for lex in ET.parse(xml).getroot().iter("lex"):
            if lex.text and lex.text.strip():
                out.append(" ".join(lex.text.split()))
    if not out:
        raise SystemExit(f"no WebNLG <lex> texts or CoNLL04 sentences under {path}")
    return out


def build_corpus(sents: list[str], min_words: int, doc_words: int, folder: Path) -> tuple[list[str], int]:
    folder.mkdir(parents=True)
    docs, current, n_cur, total, i = [], [], 0, 0, 0
    while total < min_words or current:
        s = sents[i % len(sents)]
        i += 1
        current.append(s)
        n_cur += len(s.split())
        if n_cur >= doc_words or (total + n_cur >= min_words):
            docs.append(" ".join(current))
            total += n_cur
            current, n_cur = [], 0
            if total >= min_words:
                break
    for k, text in enumerate(docs):
        (folder / f"doc{k:05d}.txt").write_text(text, encoding="utf-8")
    return docs, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--min-words", type=int, default=200_000)
    ap.add_argument("--doc-words", type=int, default=500)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--jobs", type=int, default=2, help="the parallel run to compare with --jobs 1")
    ap.add_argument("--skip-parallel", action="store_true")
    args = ap.parse_args()

    from kg.extract import Extractor, ExtractorSettings, load_nlp
    from kg.extract.job import run_job
    from kg.store import open_store
    from kg.workspace import open_workspace

    tmp = Path(tempfile.mkdtemp(prefix="kgn-extract-bench-"))
    sents = sentences(args.data)
    docs, words = build_corpus(sents, args.min_words, args.doc_words, tmp / "docs")
    print(f"corpus: {len(docs)} documents, {words} words ({len(sents)} distinct sentences from {args.data}); "
          f"cpu cores: {os.cpu_count()}")

    nlp = load_nlp()
    print(f"model: {nlp.meta['name']} {nlp.meta['version']}, pipes: {nlp.pipe_names}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes on this machine slow every figure)")
    list(nlp.pipe(docs[:20]))  # warm-up
    t, c = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(docs, batch_size=args.batch_size):
        pass
    raw_s, raw_cpu = time.perf_counter() - t, time.process_time() - c
    raw = words / raw_s
    print(f"raw nlp.pipe (n_process=1):        {raw:10,.0f} words/s  ({raw_s:.1f}s wall, {raw_cpu:.1f}s cpu)")

    ex = Extractor(ExtractorSettings(), nlp=nlp)
    c = time.process_time()
    with open_workspace(tmp / "store1") as store:
        s1 = run_job(store, [str(tmp / "docs")], extractor=ex, batch_size=args.batch_size,
                     report=tmp / "report.jsonl")
    full1_cpu = time.process_time() - c
    full1 = s1.words / s1.seconds
    print(f"kgn extract --jobs 1 (to store):   {full1:10,.0f} words/s  ({s1.seconds:.1f}s wall, "
          f"{full1_cpu:.1f}s cpu; {s1.documents} docs, {s1.triples} triples, {s1.quads} RDF triples)")
    print(f"ratio full/raw: {full1 / raw:.2f} by wall time (target >= 0.7); "
          f"{raw_cpu / full1_cpu:.2f} by cpu time of this process")

    if not args.skip_parallel:
        import resource

        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        c = time.process_time()
        with open_workspace(tmp / "store2") as store:
            s2 = run_job(store, [str(tmp / "docs")], jobs=args.jobs, batch_size=args.batch_size,
                         report=tmp / "report.jsonl")
        parent_cpu = time.process_time() - c
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
        full2 = s2.words / s2.seconds
        print(f"kgn extract --jobs {args.jobs} (to store):   {full2:10,.0f} words/s  ({s2.seconds:.1f}s wall, "
              f"worker start-up included; cpu: {parent_cpu:.1f}s writer + {workers_cpu:.1f}s workers)")
        print(f"speed-up jobs {args.jobs} / jobs 1: {full2 / full1:.2f}x  (target >= 1.6x)")
        with open_store(tmp / "store1") as a, open_store(tmp / "store2") as b:
            same = set(a.quads()) == set(b.quads())
        print(f"same graph from --jobs 1 and --jobs {args.jobs}: {same}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
