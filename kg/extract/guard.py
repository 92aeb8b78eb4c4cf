"""Parsing that no single document can stop: long texts in pieces, failures as records.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters; error E088) and its memory
grows with the length of what it parses at once. A long text is therefore cut at paragraph or
sentence ends into pieces of at most :data:`PIECE_CHARS`, the pieces are parsed as a batch and
joined back into one ``Doc`` with ``Doc.from_docs``; the pieces concatenate to the original
text, so every character offset (mentions, provenance) is the same as for one parse.

A document whose parse or extraction raises becomes a :class:`FailedDoc` instead of an
exception, so the rest of its batch and the job go on; the job lists it in its report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator

PIECE_CHARS = 100_000  # at most this many characters are parsed at once
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"[.!?][\"')\]]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass
class FailedDoc:
    """A document that could not be extracted, and why (one line)."""

    doc_id: str
    source: str
    reason: str


def split_text(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters whose concatenation is ``text``.

    Each cut is at the last paragraph break before the limit, else the last sentence end, else
    the last whitespace, else (one enormous word) at the limit itself.
    """
    if limit < 1:
        raise ValueError(f"piece limit must be >= 1, got {limit}")
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = 0
        for pattern in (_PARAGRAPH, _SENTENCE, _SPACE):
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            if ends and ends[-1] > limit // 4:  # not a tiny first piece: fall to a finer cut
                cut = ends[-1]
                break
        cut = cut or limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def piece_limit(nlp, piece_chars: int | None = None) -> int:
    return max(1, min(piece_chars or PIECE_CHARS, nlp.max_length - 1))


def parse_long(nlp, text: str, piece_chars: int | None = None, batch_size: int = 8):
    """One ``Doc`` for a text of any length (pieces parsed separately, joined in order)."""
    from spacy.tokens import Doc

    pieces = split_text(text, piece_limit(nlp, piece_chars))
    if len(pieces) == 1:
        return nlp(text)
    doc = Doc.from_docs(list(nlp.pipe(pieces, batch_size=batch_size)), ensure_whitespace=False)
    if doc.text != text:  # from_docs must not add or drop characters: offsets depend on it
        raise RuntimeError("joined pieces do not reproduce the document text")
    return doc


def pipe_any_length(nlp, pairs: Iterable[tuple[str, object]], batch_size: int = 64,
                    piece_chars: int | None = None) -> Iterator[tuple[object, object]]:
    """``nlp.pipe(pairs, as_tuples=True)`` in input order, long texts parsed in pieces."""
    limit = piece_limit(nlp, piece_chars)
    short: list[tuple[str, object]] = []
    for text, ctx in pairs:
        if len(text) <= limit:
            short.append((text, ctx))
            continue
        yield from nlp.pipe(short, as_tuples=True, batch_size=batch_size)
        short = []
        yield parse_long(nlp, text, piece_chars), ctx
    yield from nlp.pipe(short, as_tuples=True, batch_size=batch_size)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"extraction failed: {type(exc).__name__}: {text[:200]}"


def extract_guarded(ex, chunk: list[tuple[str, str, str]], batch_size: int = 64,
                    piece_chars: int | None = None) -> list:
    """Results for ``(doc_id, text, source)`` triples, in order: a ``DocResult`` for each good
    document, a :class:`FailedDoc` for each one that raised (the batch is then redone one
    document at a time, so only the bad one is lost)."""
    pairs = [(text, (doc_id, source)) for doc_id, text, source in chunk]
    try:
        out: list = []
        parsed = pipe_any_length(ex.nlp, pairs, batch_size, piece_chars)
        # Batches through the relation method's ``pipe`` hook (a neural method classifies many
        # pairs per forward pass).
        while batch := list(islice(parsed, batch_size)):
            out += ex.from_docs([doc for doc, _ in batch], [ids for _, ids in batch])
        return out
    except Exception:  # noqa: BLE001 - which document it was is found below, one by one
        pass
    out: list = []
    for doc_id, text, source in chunk:
        try:
            out.append(ex.from_doc(parse_long(ex.nlp, text, piece_chars), doc_id, source))
        except Exception as exc:  # noqa: BLE001 - recorded, and the job goes on
            out.append(FailedDoc(doc_id, source, _reason(exc)))
    return out
