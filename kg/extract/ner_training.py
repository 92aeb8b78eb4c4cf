"""Train spaCy's entity recognizer on a user's annotated spans; save a normal spaCy pipeline.

The result is a copy of the base pipeline (en_core_web_sm by default) whose ``ner`` component has
been trained further on the user's entity types, saved with ``nlp.to_disk``: a folder that
``spacy.load`` reads, so kgn loads it wherever it loads a spaCy model
(``ExtractorSettings(model=FOLDER)``, :func:`kg.extract.nlp.load_nlp`). It is spaCy's own recipe
for new entity types (``nlp.update`` over :class:`spacy.training.Example` batches, the
"resume training" optimizer) with a fixed seed and early stopping on a dev split. Only ``ner``
is updated: in the small English pipeline it has its own tok2vec (hash embeddings of NORM,
PREFIX, SUFFIX, SHAPE), which starts from the OntoNotes-trained weights, so the tagger and
parser the extractor relies on are untouched.

The saved pipeline's ``meta.json`` also says what its labels mean to kgn's extractor (a label ->
role map, :mod:`kg.extract.roles`: ``Peop`` is a person), so the extractor's rules treat a
``Peop`` as they treat OntoNotes' ``PERSON`` when the folder is loaded.

This lives in ``kg`` and not in ``neural`` because it is spaCy (thinc), not torch: the neural
package's one Trainer drives torch modules, and spaCy's model is trained through spaCy's own
``nlp.update``. Nothing is downloaded: the base model is an installed package or a folder.

Examples are text with character spans, or tokens with token spans (the CoNLL04 shape); a span
that does not fall on token boundaries, overlaps another or lies outside the text is an error
that names the example.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.errors import KgnError
from kg.eval.prf import PRF
from kg.extract.nlp import load_pipeline
from kg.extract.roles import META_KEY, LabelRoles, pipeline_roles


class NerDataError(KgnError):
    """Annotated entity data is not usable for training (names the example and the span)."""


@dataclass(frozen=True)
class NerExample:
    """One annotated text: ``spans`` are ``(char_start, char_end_excl, label)`` in ``text``.

    ``words``: the text's tokens when the data set fixes them (the text is then the words
    joined by single spaces, and spans must fall on word boundaries); otherwise spans must fall
    on the boundaries of the base pipeline's own tokens. ``source`` names the example in errors.
    """

    text: str
    spans: tuple[tuple[int, int, str], ...]
    words: tuple[str, ...] | None = None
    source: str = ""

    @classmethod
    def from_tokens(cls, tokens: Sequence[str], spans: Iterable[tuple[int, int, str]],
                    source: str = "") -> "NerExample":
        """From tokens and token spans ``(start, end_excl, label)`` (CoNLL04's entities)."""
        tokens = tuple(str(t) for t in tokens)
        where = source or "example"
        starts, pos = [], 0
        for tok in tokens:
            if not tok or any(c.isspace() for c in tok):
                raise NerDataError(f"{where}: token {tok!r} is empty or holds white space")
            starts.append(pos)
            pos += len(tok) + 1
        out = []
        for span in spans:
            s, e, label = _unpack(span, where)
            if not 0 <= s < e <= len(tokens):
                raise NerDataError(f"{where}: token span [{s}, {e}) {label!r} is not inside the "
                                   f"{len(tokens)} tokens")
            out.append((starts[s], starts[e - 1] + len(tokens[e - 1]), label))
        return cls(" ".join(tokens), tuple(out), tokens, source)

    def labels(self) -> set[str]:
        return {label for _, _, label in self.spans}


def _unpack(span, where: str) -> tuple[int, int, str]:
    try:
        s, e, label = span
    except (TypeError, ValueError):
        raise NerDataError(f"{where}: span {span!r} is not (start, end, label)") from None
    if not isinstance(s, int) or not isinstance(e, int) or isinstance(s, bool) or isinstance(e, bool):
        raise NerDataError(f"{where}: span {span!r} has non-integer offsets")
    if not isinstance(label, str) or not label.strip():
        raise NerDataError(f"{where}: span {span!r} has no label")
    return s, e, label


def read_ner_jsonl(path: str | Path) -> list[NerExample]:
    """Examples from a JSON Lines file, one object a line: ``{"text": ..., "entities": [[start,
    end, label], ...]}`` (character offsets, end exclusive) or ``{"tokens": [...], "entities":
    [[start, end, label], ...]}`` (token offsets, end exclusive)."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NerDataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NerDataError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("entities", []), list):
            raise NerDataError(f"{where}: expected an object with \"text\" or \"tokens\" and \"entities\"")
        if isinstance(item.get("tokens"), list):
            out.append(NerExample.from_tokens(item["tokens"], item.get("entities", []), where))
        elif isinstance(item.get("text"), str):
            out.append(NerExample(item["text"], tuple(_unpack(s, where) for s in item.get("entities", [])),
                                  source=where))
        else:
            raise NerDataError(f"{where}: expected \"text\" (a string) or \"tokens\" (a list)")
    return out


@dataclass(frozen=True)
class NerTrainSettings:
    """How to train. ``base``: spaCy model package or folder to start from (default: the first
    of :data:`kg.extract.nlp.MODEL_NAMES` installed). ``dev_every``: with no dev examples given,
    every ``dev_every``-th training example (index % n == n - 1) is held out for early stopping.
    ``name``: the saved pipeline's name (its provenance id is ``name-version``, the version
    carrying a digest of the trained weights). ``label_roles``: ``(label, role)`` pairs saying
    what the trained labels mean to the extractor (:mod:`kg.extract.roles`, e.g. ``(("Peop",
    "person"),)``); saved with the pipeline, completed by the base pipeline's own map, so that
    ``kgn extract --spacy-model`` reads the labels right without being told."""

    base: str | None = None
    max_epochs: int = 30
    patience: int = 4          # epochs without a better dev F1 before stopping
    dropout: float = 0.2
    batch_size: int = 8
    learn_rate: float = 0.001   # Adam's, as in en_core_web_sm's own training
    seed: int = 0
    dev_every: int = 10
    name: str = "core_web_sm_ner"
    label_roles: tuple[tuple[str, str], ...] = ()


@dataclass
class NerTrainResult:
    nlp: object                                   # the trained spaCy Language (best epoch)
    labels: tuple[str, ...]
    best_epoch: int
    dev: PRF
    history: list[dict] = field(default_factory=list)  # per epoch: loss, dev P/R/F1
    seconds: float = 0.0
    path: Path | None = None
    n_train: int = 0
    n_dev: int = 0
    roles: LabelRoles | None = None               # the label-role map saved with the pipeline


def make_examples(nlp, examples: Sequence[NerExample]) -> list:
    """spaCy :class:`~spacy.training.Example` objects (the base tokenizer's doc against the
    annotated reference), checking every span; raises :class:`NerDataError` naming the example."""
    from spacy.tokens import Doc
    from spacy.training import Example

    out = []
    for i, ex in enumerate(examples):
        where = ex.source or f"example {i}"
        if not isinstance(ex.text, str) or not ex.text.strip():
            raise NerDataError(f"{where}: empty text")
        if ex.words is not None:
            ref = Doc(nlp.vocab, words=list(ex.words), spaces=[True] * (len(ex.words) - 1) + [False])
            if ref.text != ex.text:
                raise NerDataError(f"{where}: the text is not the words joined by single spaces")
        else:
            ref = nlp.make_doc(ex.text)
        ents = []
        for span in ex.spans:
            s, e, label = _unpack(span, where)
            if not 0 <= s < e <= len(ex.text):
                raise NerDataError(f"{where}: span [{s}, {e}) {label!r} is outside the text "
                                   f"({len(ex.text)} characters)")
            ent = ref.char_span(s, e, label=label, alignment_mode="strict")
            if ent is None:
                raise NerDataError(f"{where}: span [{s}, {e}) {ex.text[s:e]!r} ({label}) does not start "
                                   "and end on token boundaries")
            ents.append(ent)
        ents.sort(key=lambda x: (x.start, x.end))
        for a, b in zip(ents, ents[1:]):
            if b.start < a.end:
                raise NerDataError(f"{where}: spans {a.text!r} ({a.label_}) and {b.text!r} ({b.label_}) overlap")
        ref.ents = ents  # every other token is "outside" (O): the data is fully annotated
        out.append(Example(nlp.make_doc(ex.text), ref))
    return out


def ner_scores(nlp, examples: Sequence[NerExample], labels: Iterable[str] | None = None,
               batch_size: int = 64) -> PRF:
    """Micro P/R/F1 of ``nlp``'s entities against ``examples`` (exact character span + label).
    Only predictions with a label in ``labels`` (default: the examples' labels) count: labels
    the base model kept from its own training are outside the annotation scheme."""
    keep = set(labels) if labels is not None else set().union(*(ex.labels() for ex in examples))
    sc = PRF()
    docs = nlp.pipe((ex.text for ex in examples), batch_size=batch_size)
    for ex, doc in zip(examples, docs):
        gold = set(ex.spans)
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in keep}
        sc.tp += len(gold & pred)
        sc.n_pred += len(pred)
        sc.n_gold += len(gold)
    return sc


def train_ner(train: Sequence[NerExample], dev: Sequence[NerExample] | None = None,
              settings: NerTrainSettings | None = None, out_dir: str | Path | None = None,
              log: Callable[[str], None] | None = None) -> NerTrainResult:
    """Train the base pipeline's ``ner`` on ``train``; keep the epoch with the best dev F1.

    ``dev``: examples for early stopping; default: every ``settings.dev_every``-th of ``train``
    (those are then not trained on); an empty list: no dev, train ``settings.max_epochs`` epochs
    and keep the last (the refit on all data once the epoch count was chosen on a dev split).
    ``out_dir``: where to save the pipeline (``nlp.to_disk``).
    """
    import spacy
    from spacy.util import minibatch

    cfg = settings or NerTrainSettings()
    if cfg.max_epochs < 1 or cfg.batch_size < 1 or cfg.patience < 1 or cfg.dev_every < 2:
        raise KgnError(f"NER training settings out of range: {cfg}")
    LabelRoles(tuple(cfg.label_roles))  # an unknown role fails here, before any work
    train = list(train)
    fixed = dev is not None and len(dev) == 0
    if dev is None:
        n = cfg.dev_every
        dev = [ex for i, ex in enumerate(train) if i % n == n - 1]
        train = [ex for i, ex in enumerate(train) if i % n != n - 1]
    dev = list(dev)
    t0 = time.time()
    spacy.util.fix_random_seed(cfg.seed)
    nlp = load_pipeline(cfg.base)
    if "ner" not in nlp.pipe_names:
        raise KgnError(f"spaCy model {cfg.base or nlp.meta.get('name')!r} has no ner component to train")
    # every example is checked first, so a bad span is reported whatever else is wrong
    train_ex = make_examples(nlp, train)
    make_examples(nlp, dev)  # the same checks for dev; scored from raw text below
    if not train or not (dev or fixed):
        raise NerDataError(f"NER training needs training and dev examples (got {len(train)} and {len(dev)})")
    labels = tuple(sorted(set().union(*(ex.labels() for ex in train))))
    if not labels:
        raise NerDataError("the training examples hold no entity span")
    ner = nlp.get_pipe("ner")
    for label in labels:
        ner.add_label(label)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = cfg.learn_rate
    rng = random.Random(cfg.seed)
    history, best, best_epoch, best_bytes, stale = [], PRF(), 0, None, 0
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(1, cfg.max_epochs + 1):
            rng.shuffle(train_ex)
            losses: dict = {}
            for batch in minibatch(train_ex, size=cfg.batch_size):
                nlp.update(batch, drop=cfg.dropout, sgd=optimizer, losses=losses)
            if fixed:
                history.append({"epoch": epoch, "loss": losses.get("ner", 0.0)})
                if log:
                    log(f"epoch {epoch}: loss {losses.get('ner', 0.0):.1f} (no dev)")
                best_epoch = epoch  # no dev: the last epoch is kept (serialised once, below)
                continue
            sc = ner_scores(nlp, dev, labels)
            history.append({"epoch": epoch, "loss": losses.get("ner", 0.0), "dev_p": sc.precision,
                            "dev_r": sc.recall, "dev_f1": sc.f1})
            if log:
                log(f"epoch {epoch}: loss {losses.get('ner', 0.0):.1f}, dev P {100 * sc.precision:.1f} "
                    f"R {100 * sc.recall:.1f} F1 {100 * sc.f1:.1f}")
            if best_bytes is None or sc.f1 > best.f1:
                best, best_epoch, best_bytes, stale = sc, epoch, ner.to_bytes(), 0
            else:
                stale += 1
                if stale >= cfg.patience:
                    break
    if fixed:
        best_bytes = ner.to_bytes()
    else:
        ner.from_bytes(best_bytes)
    digest = hashlib.sha256(best_bytes).hexdigest()[:8]
    nlp.meta["name"] = cfg.name
    nlp.meta["version"] = f"{nlp.meta.get('version', '0')}+{digest}"
    # the trained labels' roles first, then the base pipeline's (its saved map, else OntoNotes')
    roles = LabelRoles.of(dict(cfg.label_roles), base=pipeline_roles(nlp))
    nlp.meta[META_KEY] = {"labels": list(labels), "best_epoch": best_epoch, "dev_f1": round(best.f1, 4),
                          "n_train": len(train), "n_dev": len(dev), "seed": cfg.seed,
                          "label_roles": roles.as_dict()}
    result = NerTrainResult(nlp, labels, best_epoch, best, history, time.time() - t0,
                            n_train=len(train), n_dev=len(dev), roles=roles)
    if out_dir is not None:
        result.path = Path(out_dir)
        result.path.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(result.path)
    return result
