"""spaCy is loaded once per test session (it is the slow part)."""

from __future__ import annotations

import pytest

from kg.extract import Extractor, ExtractorSettings, load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def extractor(nlp):
    return Extractor(ExtractorSettings(relations="rules"), nlp=nlp)


def spo(result):
    return {(t.subject, t.predicate, t.object) for t in result.triples}
