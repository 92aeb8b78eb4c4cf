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
from dataclasses import dataclass
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


def _cache_path(nlp, kind: str, distinct: Sequence[tuple[str, ...]], cache_dir) -> Path | None:
    if cache_dir is None:
        return None
    h = hashlib.sha256(f"{kind}\x1d{spacy_model_id(nlp)}".encode())
    for s in distinct:
        h.update("\x1f".join(s).encode())
        h.update(b"\x1e")
    return Path(cache_dir) / f"spacy-{kind}-{h.hexdigest()[:20]}.npz"


def _cached(nlp, kind: str, sentences: Sequence[Sequence[str]], compute, cache_dir, log) -> list[dict]:
    """``compute(nlp, distinct sentences)`` -> one {field: array with a row per token} each, for
    the distinct sentences, kept in ``cache_dir`` (one ``.npz`` per kind and set of sentences,
    keyed by the model id and every token, fields concatenated with their offsets)."""
    distinct = list(dict.fromkeys(tuple(s) for s in sentences))
    path = _cache_path(nlp, kind, distinct, cache_dir)
    if path is not None and path.exists():
        with np.load(path) as z:
            offsets = z["offsets"]
            flat = {k: z[k] for k in z.files if k != "offsets"}
        rows = [{k: v[offsets[i]:offsets[i + 1]] for k, v in flat.items()} for i in range(len(distinct))]
    else:
        started = time.perf_counter()
        rows = compute(nlp, distinct)
        if log is not None:
            log(f"spaCy {kind}: {len(distinct)} sentences in {time.perf_counter() - started:.1f} s")
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            offsets = np.cumsum([0] + [len(s) for s in distinct])
            fields = {k: np.concatenate([r[k] for r in rows]) for k in (rows[0] if rows else {})}
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, offsets=offsets, **fields)
            tmp.replace(path)
    table = dict(zip(distinct, rows))
    return [table[tuple(s)] for s in sentences]


def cached_token_vectors(nlp, sentences: Sequence[Sequence[str]], cache_dir: str | Path | None = None,
                         log=None) -> list[np.ndarray]:
    """:func:`token_vectors` of the distinct sentences, kept in ``cache_dir``, so a split is
    computed once."""
    rows = _cached(nlp, "vectors", sentences, lambda n, d: [{"vectors": v} for v in token_vectors(n, d)],
                   cache_dir, log)
    return [r["vectors"] for r in rows]


# -- parse features: POS, dependency label, NER label, shortest dependency path --------------------

TAG_NAMES = ("pos", "dep", "ner", "sdp")
# "sdp" is not a label of the token alone: whether it lies on the shortest dependency path
# between the two spans' head tokens (Xu et al., EMNLP 2015, "Classifying Relations via Long
# Short Term Memory Networks along Shortest Dependency Paths"), so it is computed per pair.
SDP_VALUES = ("<pad>", "off", "on")


@dataclass(frozen=True)
class TokenParse:
    """What spaCy's pipeline says about each token of one sentence; ``heads`` are indices inside
    the sentence (a root, or a token whose head lies outside the sentence, points at itself)."""

    pos: tuple[str, ...]
    dep: tuple[str, ...]
    ner: tuple[str, ...]
    heads: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.heads)

    @classmethod
    def of_span(cls, sent) -> "TokenParse":
        """A parsed sentence (a spaCy Span or Doc) of the extractor: nothing is parsed again."""
        s0, n = sent.start if hasattr(sent, "start") else 0, len(sent)
        heads = tuple(t.head.i - s0 if 0 <= t.head.i - s0 < n else t.i - s0 for t in sent)
        return cls(tuple(t.pos_ for t in sent), tuple(t.dep_ for t in sent),
                   tuple(t.ent_type_ or "O" for t in sent), heads)

    def as_arrays(self) -> dict:
        return {"pos": np.array(self.pos, dtype=str), "dep": np.array(self.dep, dtype=str),
                "ner": np.array(self.ner, dtype=str), "heads": np.array(self.heads, dtype=np.int32)}

    @classmethod
    def from_arrays(cls, a: dict) -> "TokenParse":
        return cls(tuple(a["pos"].tolist()), tuple(a["dep"].tolist()), tuple(a["ner"].tolist()),
                   tuple(int(h) for h in a["heads"]))


def token_parses(nlp, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> list[TokenParse]:
    """The whole pipeline (tagger, parser, NER) over the given tokens, as pre-tokenised Docs with
    guessed spacing: the same tokens as the data set, no alignment needed."""
    from spacy.tokens import Doc

    docs = (Doc(nlp.vocab, words=[t if t.strip() else "_" for t in s], spaces=guess_spaces(s)) for s in sentences)
    return [TokenParse.of_span(d) for d in nlp.pipe(docs, batch_size=batch_size)]


def cached_token_parses(nlp, sentences: Sequence[Sequence[str]], cache_dir: str | Path | None = None,
                        log=None) -> list[TokenParse]:
    rows = _cached(nlp, "parses", sentences, lambda n, d: [p.as_arrays() for p in token_parses(n, d)],
                   cache_dir, log)
    return [TokenParse.from_arrays(r) for r in rows]


def span_head(heads: Sequence[int], span: tuple[int, int]) -> int:
    """The token of ``span`` whose head lies outside it (the first such; a span that is its own
    little tree has exactly one)."""
    s, e = span
    for i in range(s, e):
        if not s <= heads[i] < e or heads[i] == i:
            return i
    return s


def _ancestors(heads: Sequence[int], i: int) -> list[int]:
    out, seen = [i], {i}
    while heads[i] != i and heads[i] not in seen:
        i = heads[i]
        out.append(i)
        seen.add(i)
    return out


def shortest_path(heads: Sequence[int], e1: tuple[int, int], e2: tuple[int, int]) -> set[int]:
    """Tokens on the shortest dependency path between the head tokens of ``e1`` and ``e2`` (both
    ends included). Heads in different trees (the parser split the sentence): both paths up to
    their roots."""
    a, b = _ancestors(heads, span_head(heads, e1)), _ancestors(heads, span_head(heads, e2))
    on_b = {t: k for k, t in enumerate(b)}
    for k, t in enumerate(a):
        if t in on_b:
            return set(a[: k + 1]) | set(b[: on_b[t] + 1])
    return set(a) | set(b)


class TagVocab:
    """Values of each tag, from the training split: id 0 is padding, 1 an unseen value."""

    def __init__(self, values: dict[str, list[str]]):
        self.values = {k: list(v) for k, v in values.items()}
        self.index = {k: {t: i for i, t in enumerate(v)} for k, v in self.values.items()}

    @classmethod
    def build(cls, names: Sequence[str], parses: Sequence[TokenParse]) -> "TagVocab":
        out = {}
        for name in names:
            if name == "sdp":
                out[name] = list(SDP_VALUES)
            else:
                out[name] = ["<pad>", "<unk>"] + sorted({v for p in parses for v in getattr(p, name)})
        return cls(out)

    def sizes(self, names: Sequence[str]) -> list[int]:
        return [len(self.values[n]) for n in names]

    def rows(self, names: Sequence[str], parse: TokenParse, e1: tuple[int, int], e2: tuple[int, int],
             start: int, end: int) -> np.ndarray:
        """int64 [len(names), end - start]: each tag's ids over the token window."""
        out = np.zeros((len(names), end - start), dtype=np.int64)
        for r, name in enumerate(names):
            if name == "sdp":
                path = shortest_path(parse.heads, e1, e2)
                out[r] = [2 if i in path else 1 for i in range(start, end)]
            else:
                index = self.index[name]
                out[r] = [index.get(v, 1) for v in getattr(parse, name)[start:end]]
        return out


# -- static word vectors of a spaCy model as the word embeddings' starting point ------------------

def word_vector_table(source, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """(float32 [len(words), width], bool [len(words)] found, model id) of the static vectors of
    ``source``: a loaded spaCy pipeline, or the name or folder of an installed one (only its
    vocabulary is loaded). A word is looked up as given, lower-cased, then capitalised; a word without a
    vector gets a zero row (the caller keeps its random start)."""
    from kg.errors import KgnError

    nlp = source
    if isinstance(source, (str, Path)):
        import spacy

        try:
            nlp = spacy.load(source, exclude=["tok2vec", "tagger", "parser", "ner", "senter", "lemmatizer",
                                              "attribute_ruler", "morphologizer", "transformer"])
        except OSError as exc:
            raise KgnError(f"word vectors {str(source)!r}: not an installed spaCy model or model folder "
                           f"({str(exc).splitlines()[0][:200]})") from None
    vectors = nlp.vocab.vectors
    width = int(vectors.shape[1]) if vectors.shape[0] else 0
    if width == 0:
        raise KgnError(f"word vectors: spaCy model {spacy_model_id(nlp)!r} has no static vectors "
                       "(en_core_web_sm ships none; en_core_web_md and _lg do)")
    out = np.zeros((len(words), width), dtype=np.float32)
    found = np.zeros(len(words), dtype=bool)
    for i, w in enumerate(words):
        for form in (w, w.lower(), w.capitalize()):
            if form and nlp.vocab.has_vector(form):
                out[i] = nlp.vocab.get_vector(form)
                found[i] = True
                break
    return out, found, spacy_model_id(nlp)
