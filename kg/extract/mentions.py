"""Entity mentions: named entities plus noun-chunk concepts, and their canonical names.

The component :func:`find_mentions` is a spaCy-style callable ``Doc -> Doc``; it stores the
mentions in ``doc.spans["kgn_mentions"]`` (label: the NER label, or ``CONCEPT``). Labels are read
through the document's label roles (:func:`kg.extract.roles.doc_roles`).
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc, Span, Token

from kg.extract.roles import doc_roles
from kg.vocab import canonical

SPAN_KEY = "kgn_mentions"
CONCEPT = "CONCEPT"

# Leading/trailing tokens that are not part of a name: articles, possessors, the possessive 's.
_STRIP_DEPS = {"det", "poss", "case", "predet", "punct", "cc", "preconj"}
_STRIP_POS = {"DET", "PRON", "PUNCT", "CCONJ", "PART", "SPACE"}
# Noun modifiers that belong to a concept's name when an argument token is not in a chunk.
_NAME_DEPS = {"compound", "amod", "nummod", "nmod", "flat"}


def trim(span: Span) -> Span | None:
    """``span`` without leading determiners/possessors and trailing possessive marks."""
    start, end = span.start, span.end
    doc = span.doc
    root = span.root
    while start < end and doc[start].i != root.i and (
            doc[start].dep_ in _STRIP_DEPS or doc[start].pos_ in _STRIP_POS
            # the possessor's own tokens: "[Microsoft 's] founder", but not in "[Akeem] Dent's"
            or (doc[start].head.dep_ == "poss" and doc[start].head.i != root.i)):
        start += 1
    while end > start and doc[end - 1].i != root.i and (
            doc[end - 1].pos_ in {"PUNCT", "PART", "SPACE"} or doc[end - 1].tag_ == "POS"):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def find_mentions(doc: Doc) -> Doc:
    """Add NER entities and noun-chunk concepts (no pronouns, determiners stripped) to ``doc``."""
    spans: list[Span] = []
    taken = set()
    numbered = _numbered_names(doc)
    for ent in doc.ents:
        if ent.start in numbered.values():
            continue  # the number is part of the next name
        t = trim(ent)
        if t is None:
            continue
        start = numbered.get(t.start, t.start)
        spans.append(Span(doc, start, t.end, label=ent.label_))
        taken.update(range(start, t.end))
    for chunk in doc.noun_chunks:
        if chunk.root.pos_ == "PRON" or chunk.root.i in taken:
            continue
        t = trim(chunk)
        if t is None or t.root.pos_ == "PRON":
            continue
        # Tokens already inside a named entity stay with it ("the [British] government").
        spans.append(Span(doc, t.start, t.end, label=CONCEPT))
    doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
    return doc


def _numbered_names(doc: Doc) -> dict[int, int]:
    """Entity start -> start of a digit string that is part of the name ("109 Felicitas",
    "1998 World Cup"): a bare number modifying a singular proper noun inside the entity."""
    out = {}
    roles = doc_roles(doc)
    for ent in doc.ents:
        i = ent.start - 1
        if roles.is_amount(ent.label_) or i < 0:
            continue
        num = doc[i]
        if num.is_digit and num.dep_ == "nummod" and ent.start <= num.head.i < ent.end \
                and num.head.tag_ == "NNP" and (not num.ent_type_ or roles.role(num.ent_type_) == "number"):
            out[ent.start] = i
    return out


def token_index(doc: Doc) -> dict[int, Span]:
    """Token index -> the mention that token belongs to (named entities win over concepts)."""
    index: dict[int, Span] = {}
    for span in doc.spans.get(SPAN_KEY, []):
        if span.label_ != CONCEPT:
            for i in range(span.start, span.end):
                index[i] = span
    for span in doc.spans.get(SPAN_KEY, []):
        if span.label_ == CONCEPT:
            index.setdefault(span.root.i, span)
            for i in range(span.start, span.end):
                index.setdefault(i, span)
    return index


def token_span(token: Token) -> Span | None:
    """A concept span for a noun that no mention covers: the noun with its name modifiers."""
    if token.pos_ not in {"NOUN", "PROPN", "NUM"}:
        return None
    start = token.i
    for child in reversed(list(token.lefts)):
        if child.dep_ in _NAME_DEPS and child.i == start - 1:
            start = child.i
    return token.doc[start:token.i + 1]


def canonical_name(span: Span) -> str:
    """Canonical name of a mention.

    Named entities keep their surface form. Concepts are lemmatised at the head ("neural
    networks" -> "neural network") and lower-cased except proper nouns, acronyms and words
    capitalised inside a sentence, so the same concept gets one name wherever it appears.
    """
    if span.label_ and span.label_ != CONCEPT:
        return canonical(span.text)
    words = []
    toks = list(span)
    # A count in front of a concept is not part of its name: "two medals" -> "medal".
    while len(toks) > 1 and toks[0].dep_ == "nummod" and toks[0].like_num:
        toks = toks[1:]
    for k, tok in enumerate(toks):
        # A capitalised word inside a sentence is a name even where the tagger says NOUN
        # ("the Aarhus Airport"); so is a sentence-initial one followed by a capitalised word of
        # the same phrase ("Wilfried Schneider ..."). It keeps its case and is not lemmatised.
        proper = tok.pos_ == "PROPN" or is_acronym(tok.text) or (
            tok.text[:1].isupper() and (not tok.is_sent_start or (
                k + 1 < len(toks) and toks[k + 1].text[:1].isupper())))
        text = tok.lemma_ if tok.i == span.root.i and tok.pos_ == "NOUN" and not proper else tok.text
        if not proper:
            text = text.lower()
        words.append(text + tok.whitespace_)
    return canonical("".join(words))


@functools.lru_cache(maxsize=1 << 16)
def is_acronym(text: str) -> bool:
    """An acronym or initialism ("CNN", "ASEAN+3", "PhD"): one word of 2-10 letters, at least
    two of them capitals and no fewer capitals than small letters, so "McNamara" or "DiCaprio"
    (two capitals in a name) is not one."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 2 <= len(letters) <= 10 and upper >= 2 and 2 * upper >= len(letters) and " " not in text
