"""A tiny store built once per test session: the sample graph (hand-written part only, no spaCy)."""

from pathlib import Path

import pytest

from app.demo import SAMPLE_DIR
from kg.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[3]
MAIN = ROOT / "app" / "dashboard" / "main.py"
PAGES = ROOT / "app" / "dashboard" / "pages"


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> str:
    spec = str(tmp_path_factory.mktemp("dash") / "store")
    with open_workspace(spec) as ws:
        ws.store.load(SAMPLE_DIR / "ai.ttl", graph=ws.vocab.file_graph("sample/ai.ttl"))
    return spec
