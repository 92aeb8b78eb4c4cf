"""spaCy's own token vectors as an optional relation-classifier input (``Encoding.spacy_vectors``).

The vectors are ``doc.tensor`` of kgn's spaCy pipeline (en_core_web_sm: the 96-d output of its
``tok2vec`` component, a CNN over hashed NORM/PREFIX/SUFFIX/SHAPE embeddings, so they carry
some context and morphology but no pretrained word vectors: the model ships none).

Two paths give the same vectors for the same tokens:

* training and scoring (:func:`token_vectors`): the data set's own tokens become a pre-tokenised
  ``Doc(nlp.vocab, words=tokens, spaces=...)`` and only the ``tok2vec`` component runs (no tagger,
  parser, NER), so no alignment between spaCy's tokenisation and the data set's is needed. One of
  tok2vec's inputs is SPACY (does whitespace follow the token?), which token lists do not keep:
  :func:`guess_spaces` puts it back the way spaCy's tokenizer leaves ordinary English;
* extraction (:func:`sentence_vectors`): the extractor's Docs already went through the whole
  pipeline, whose ``tok2vec`` set ``doc.tensor``; a sentence's rows are reused, nothing is parsed
  again. tok2vec's window reaches 4 tokens across a sentence boundary, so inside a longer document
  the first and last few tokens of a sentence see their neighbours (training sentences have none).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Sequence

import numpy as np

TOK2VEC = "tok2vec"
# No whitespace before these tokens (punctuation, clitics) nor after the openers.
_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "...", "n't", "'s", "'re", "'ve", "'ll", "'d",
                    "'m", "’s", "n’t"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


def guess_spaces(tokens: Sequence[str]) -> list[bool]:
    """Whether whitespace follows each token, as in the text the tokens came from (a guess: the
    last token has none; nothing before closing punctuation and clitics, nothing after openers,
    none around the hyphen of a compound spaCy split: "year - old" was "year-old")."""
    out = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        space = nxt is not None and tok not in _NO_SPACE_AFTER and nxt.lower() not in _NO_SPACE_BEFORE
        if space and nxt == "-" and i + 2 < len(tokens) and tok[-1:].isalnum() and tokens[i + 2][:1].isalnum():
            space = False
        if space and tok == "-" and 0 < i and tokens[i - 1][-1:].isalnum() and nxt[:1].isalnum():
            space = False
        out.append(space)
    return out


def spacy_model_id(nlp) -> str:
    from kg.extract.nlp import model_id

    return model_id(nlp)


def token_vectors(nlp, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> list[np.ndarray]:
    """float32 [len(tokens), dim] per sentence: the pipeline's tok2vec over the given tokens."""
    from spacy.tokens import Doc

    tok2vec = nlp.get_pipe(TOK2VEC)
    # spaCy refuses empty words; a blank token gets a placeholder (the row still lines up).
    docs = (Doc(nlp.vocab, words=[t if t.strip() else "_" for t in s], spaces=guess_spaces(s)) for s in sentences)
    return [np.ascontiguousarray(d.tensor, dtype=np.float32) for d in tok2vec.pipe(docs, batch_size=batch_size)]


def sentence_vectors(sent) -> np.ndarray | None:
    """A parsed sentence's rows of ``doc.tensor``, or None when the Doc has no tok2vec output."""
    tensor = getattr(sent.doc, "tensor", None)
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != len(sent.doc) or tensor.shape[1] == 0:
        return None
    return np.asarray(tensor[sent.start:sent.end], dtype=np.float32)


def cached_token_vectors(nlp, sentences: Sequence[Sequence[str]], cache_dir: str | Path | None = None,
                         log=None) -> list[np.ndarray]:
    """:func:`token_vectors` of the distinct sentences, kept in ``cache_dir`` (one ``.npz`` per
    set of sentences, keyed by the model id and every token), so a split is computed once."""
    distinct = list(dict.fromkeys(tuple(s) for s in sentences))
    path = None
    if cache_dir is not None:
        h = hashlib.sha256(spacy_model_id(nlp).encode())
        for s in distinct:
            h.update("\x1f".join(s).encode())
            h.update(b"\x1e")
        path = Path(cache_dir) / f"spacy-vectors-{h.hexdigest()[:20]}.npz"
        if path.exists():
            with np.load(path) as z:
                flat, offsets = z["vectors"], z["offsets"]
            table = {s: flat[offsets[i]:offsets[i + 1]] for i, s in enumerate(distinct)}
            return [table[tuple(s)] for s in sentences]
    started = time.perf_counter()
    vecs = token_vectors(nlp, distinct)
    if log is not None:
        log(f"spaCy token vectors: {len(distinct)} sentences in {time.perf_counter() - started:.1f} s")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        offsets = np.cumsum([0] + [len(v) for v in vecs])
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, vectors=np.concatenate(vecs) if vecs else np.zeros((0, 0), np.float32), offsets=offsets)
        tmp.replace(path)
    table = dict(zip(distinct, vecs))
    return [table[tuple(s)] for s in sentences]
