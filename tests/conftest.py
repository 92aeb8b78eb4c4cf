"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    if exe.exists():
        return str(exe)
    found = shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` server (PyPI package oxigraph, in the dev extra) is not installed")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real `oxigraph serve` on a free loopback port, stopped at the end of the session."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"oxigraph serve did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def kgn_env(tmp_path, monkeypatch):
    """Environment for CLI subprocesses: a private store location."""
    env = dict(os.environ)
    env["KGN_STORE"] = str(tmp_path / "store")
    monkeypatch.setenv("KGN_STORE", env["KGN_STORE"])
    return env
