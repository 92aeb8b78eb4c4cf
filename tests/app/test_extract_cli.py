"""`kgn extract`: a folder with good and bad files, exit codes, and a real SIGKILL + resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from app.cli import cli, main
from kg.extract import Extractor, load_nlp
from kg.extract.job import run_job
from kg.store import open_store
from kg.workspace import open_workspace

REPO = Path(__file__).resolve().parents[2]

PEOPLE = ["Alice Smith", "Bob Jones", "Carol White", "David Brown", "Emma Green", "Frank Black"]
PLACES = ["Paris", "Berlin", "Rome", "Madrid", "Vienna", "Prague", "Lisbon", "Dublin"]
ORGS = ["Acme", "Initech", "Globex", "Umbrella", "Hooli"]


def write_corpus(folder: Path, n: int, sentences: int = 12) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = []
        for j in range(sentences):
            p, q = PEOPLE[(i + j) % len(PEOPLE)], PEOPLE[(i * 3 + j + 1) % len(PEOPLE)]
            c, o = PLACES[(i * 7 + j) % len(PLACES)], ORGS[(i + 2 * j) % len(ORGS)]
            lines.append(f"{p} was born in {c} and works for {o}. {q}, a professor at {o}, "
                         f"lives in {c}. The {o} company (TC{i}) was founded by {p}.")
        (folder / f"doc{i:03d}.txt").write_text(" ".join(lines))


def all_quads(store_dir: Path) -> set:
    with open_store(str(store_dir)) as store:
        return set(store.quads())


def test_folder_with_good_and_bad_files(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 3, sentences=1)
    (docs / "bad.txt").write_bytes(b"\x00binary")
    (docs / "empty.md").write_text("")
    store = tmp_path / "kgn-data" / "store"
    result = CliRunner().invoke(cli, ["--store", str(store), "extract", str(docs), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "documents: 3 (already done: 0)" in result.output and "skipped: 2" in result.output
    report = [json.loads(line) for line in (store / "kgn" / "extract-report.jsonl").read_text().splitlines()]
    assert sorted(r["reason"] for r in report) == ["binary file (NUL bytes)", "empty document"]
    assert len(all_quads(store)) > 0
    again = CliRunner().invoke(cli, ["extract", "--store", str(store), str(docs), "--no-progress"])
    assert again.exit_code == 0 and "documents: 0 (already done: 3)" in again.output


def test_nothing_readable_exits_1(tmp_path, capsys):
    (tmp_path / "bad.txt").write_bytes(b"\x00")
    report = tmp_path / "r.jsonl"
    code = main(["--store", str(tmp_path / "s"), "extract", str(tmp_path / "bad.txt"),
                 str(tmp_path / "missing.txt"), "--report", str(report), "--no-progress"])
    assert code == 1
    assert "error: nothing could be read from" in capsys.readouterr().err
    assert len(report.read_text().splitlines()) == 2


def test_unknown_relation_method(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "s"), "extract", str(tmp_path), "--relations", "nope"]) == 1
    assert "unknown relation method 'nope'; choose one of: rules" in capsys.readouterr().err


def _kgn(store: Path, docs: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "--store", str(store), "extract", str(docs),
            "--no-progress", "--batch-size", "1", *extra]


def test_sigkill_and_resume_give_the_uninterrupted_graph(tmp_path):
    docs = tmp_path / "docs"
    write_corpus(docs, 40)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Reference: one uninterrupted run (in this process: the same job, minus a start-up).
    full = tmp_path / "full" / "store"
    with open_workspace(str(full)) as ws:
        run_job(ws, [str(docs)], batch_size=1, extractor=Extractor(nlp=load_nlp()))

    # Killed run: SIGKILL once the ledger shows a few finished documents.
    store = tmp_path / "killed" / "store"
    ledger = store / "kgn" / "extract-ledger.jsonl"
    proc = subprocess.Popen(_kgn(store, docs), cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    done_at_kill = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if ledger.exists():
            done_at_kill = ledger.read_text().count("\n")
            if done_at_kill >= 5:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the job finished before it could be killed"
    assert 5 <= done_at_kill < 40

    resumed = subprocess.run(_kgn(store, docs), cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "already done: " in resumed.stdout
    already = int(resumed.stdout.split("already done: ")[1].split(")")[0])
    assert already >= done_at_kill and already < 40
    assert all_quads(store) == all_quads(full)
