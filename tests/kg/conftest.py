"""Fixtures for the kg tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import MemoryStore
from kg.vocab import Vocab

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ai.ttl"


@pytest.fixture
def sample_store():
    """An in-memory store holding the bundled sample graph (data/sample/ai.ttl)."""
    s = MemoryStore()
    s.load(SAMPLE, graph=Vocab().file_graph("ai.ttl"))
    yield s
    s.close()
