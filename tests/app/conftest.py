"""Shared by the CLI tests: the small reasoning graph of tests/kg/reason in an on-disk store."""

import pytest
from click.testing import CliRunner

from app.cli import cli
from kg.store import open_store
from kg.vocab import Vocab
from tests.kg.reason.conftest import FACTS


@pytest.fixture
def store_dir(tmp_path):
    v = Vocab()
    path = tmp_path / "store"
    with open_store(str(path)) as store:
        triples = []
        for h, r, t in FACTS:
            triples += [(v.entity(h), v.relation(r), v.entity(t))] + v.relation_triples(v.relation(r), r)
            triples += v.entity_triples(v.entity(h), h) + v.entity_triples(v.entity(t), t)
        store.add(triples, graph=v.doc_graph("d1"))
    return path


def run_ok(store_dir, *args) -> str:
    """`kgn --store STORE ARGS...` in-process; it must succeed. Returns its output."""
    res = CliRunner().invoke(cli, ["--store", str(store_dir), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output
