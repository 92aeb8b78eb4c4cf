"""Blank lines and headline lines end sentences; hard-wrapped prose does not."""

from __future__ import annotations

import pytest

from kg.extract.readers import html_text, markdown_text


def sentences(nlp, text):
    return [s.text.strip() for s in nlp(text).sents]


@pytest.mark.parametrize("text", [
    "Blair backs new plan\n\nTony Blair said on Monday that he backs the plan.",
    "Blair backs new plan\nTony Blair said on Monday that he backs the plan.",
    markdown_text("# Blair backs new plan\nTony Blair said on Monday that he backs the plan."),
    html_text("<h1>Blair backs new plan</h1><p>Tony Blair said on Monday that he backs the plan.</p>"),
])
def test_headline_is_its_own_sentence(nlp, text):
    assert sentences(nlp, text) == ["Blair backs new plan",
                                    "Tony Blair said on Monday that he backs the plan."]


def test_wrapped_line_continues_the_sentence(nlp):
    text = ("Tony Blair said on Monday that he backs the plan which\n"
            "the government proposed last week in London.")
    assert len(sentences(nlp, text)) == 1


def test_no_statement_spans_a_headline(extractor):
    text = "Blair backs new plan\n\nTony Blair said the plan works."
    result = extractor.extract(text, "h")
    assert all("\n" not in t.sentence for t in result.triples)
    assert ("Blair", "back", "Tony Blair") not in {(t.subject, t.predicate, t.object)
                                                   for t in result.triples}
