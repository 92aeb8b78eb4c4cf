"""A tiny store built once per test session: the sample graph (hand-written part only, no spaCy)."""

from pathlib import Path

import pytest

from app.demo import SAMPLE_DIR
from kg.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[3]
MAIN = ROOT / "app" / "dashboard" / "main.py"
PAGES = ROOT / "app" / "dashboard" / "pages"


def build_store(folder: Path) -> str:
    spec = str(folder / "store")
    with open_workspace(spec) as ws:
        ws.store.load(SAMPLE_DIR / "ai.ttl", graph=ws.vocab.file_graph("sample/ai.ttl"))
    return spec


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> str:
    """Read by the tests (they never write to it)."""
    return build_store(tmp_path_factory.mktemp("dash"))


@pytest.fixture()
def own_store(tmp_path) -> str:
    """For a test that writes."""
    return build_store(tmp_path)


@pytest.fixture(autouse=True)
def keep_main_module():
    """AppTest runs a page as ``__main__`` and leaves it there; worker processes started later in
    the session (multiprocessing's spawn re-imports ``__main__``) would then run the dashboard
    page instead of the test runner. Put the real one back after each test."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
