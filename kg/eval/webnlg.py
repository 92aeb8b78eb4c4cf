"""WebNLG+ 2020 text-to-RDF scoring (Exact, Partial, Strict, Type) and a WebNLG 3.0 XML reader.

Re-implements, in kgn's own code, the rules of the challenge's official scorer
(github.com/WebNLG/WebNLG-Text-to-triples, ``Evaluation_script.py`` at commit 6a40950; counts as in
nervaluate 0.1.7, after SemEval-2013 task 9.1; Castro Ferreira et al., "The 2020 Bilingual,
Bi-Directional WebNLG+ Shared Task", 2020). The rules, as that script applies them:

* Normalisation of each ``s | p | o`` string: a space between a lower- and an upper-case letter
  (camelCase), lower-case, ``_`` -> space, runs of white space -> one space, and a trailing
  `` (...)`` removed from the object only.
* Each element is word-tokenised (Penn Treebank rules, as ``nltk.word_tokenize``); punctuation-only
  tokens are dropped from the reference, single punctuation characters from the candidate.
* Candidate words are linked to reference words, longest n-gram first; the element becomes one
  reference span and one or more candidate spans (unlinked candidate words form extra spans), and
  nervaluate counts correct / incorrect / partial / missed / spurious spans for the four schemes.
  If two elements find no match, the script retries with the elements swapped (subject/object,
  then subject/predicate, then predicate/object), labelling spans with their own role so that
  Exact (role ignored) and Strict (role required) differ.
* Per text, the shorter triple list is padded with empty triples and candidates are assigned to
  references one-to-one, maximising the summed mean of the four F1 scores (ties: the first
  permutation in ``itertools.permutations`` order; enumerated like the official script up to 8
  triples, the Hungarian method with the same tie order beyond).
* Corpus precision, recall and F1 of each scheme are the unweighted means over all assigned
  (candidate, reference) pairs of the whole corpus; F1 is the mean of pair F1s, not the harmonic
  mean of the means. The "full triple" score (Liu et al., 2018) is sklearn's macro average over
  distinct lower-cased triple strings, one multi-label sample per text.

Quirks of the official script are kept on purpose so that numbers are comparable, e.g. the
predicate of a subject/object swap is re-scored on the object's token lists, and nervaluate's
overlap test uses ``range(start, end)`` so a one-token span never counts as a partial overlap.
Difference: no Punkt sentence splitting before word tokenisation (elements are single names or
values; the official script needs NLTK's downloaded Punkt model for it).
"""

from __future__ import annotations

import functools
import glob
import itertools
import os
import re
import statistics
import string
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from kg.errors import KgnError

SCHEMES = ("exact", "partial", "strict", "ent_type")
ROLES = ("SUB", "PRED", "OBJ")


class WebNLGFormatError(KgnError):
    """A WebNLG file or triple string is not in the expected shape."""


# ---------------------------------------------------------------------------------------------
# Normalisation and word tokenisation
# ---------------------------------------------------------------------------------------------

_CAMEL = re.compile(r"([a-z])([A-Z])")
_SPACES = re.compile(r"\s+")
_TRAILING_PAREN = re.compile(r"^(.*?)(\s\((.*?)\))$")


def normalise_triple(triple: str | Sequence[str]) -> str:
    """The official scorer's string normalisation of one triple (see module docstring)."""
    text = triple if isinstance(triple, str) else " | ".join(triple)
    text = _CAMEL.sub(r"\1 \2", text).lower().replace("_", " ")
    text = _SPACES.sub(" ", text)
    parts = text.split(" | ")
    m = _TRAILING_PAREN.search(parts[-1])
    if m:
        parts[-1] = m.group(1)
    return " | ".join(parts)


# Penn Treebank tokenisation rules as NLTK 3.4.5 (the official scorer's pinned version) applies
# them in word_tokenize: (pattern, replacement), in order.
_TB_START = [
    (re.compile(r"([«“‘„]|[`]+)"), r" \1 "),
    (re.compile(r'^"'), r"``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ (\[{<])(\"|'{2})"), r"\1 `` "),
    (re.compile(r"(?i)(')(?!re|ve|ll|m|t|s|d)(\w)\b"), r"\1 \2"),
]
_TB_PUNCT = [
    (re.compile(r'([^.])(\.)([\]\)}>"\'»”’ ]*)\s*$'), r"\1 \2 \3 "),
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.\.\."), r" ... "),
    (re.compile(r"[;@#$%&]"), r" \g<0> "),
    (re.compile(r'([^.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
    (re.compile(r"[\]\[(){}<>]"), r" \g<0> "),
    (re.compile(r"--"), r" -- "),
]
_TB_END = [
    (re.compile(r"([»”’])"), r" \1 "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"(\S)('')"), r"\1 \2 "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]
_TB_SPLIT = [re.compile(p) for p in (
    r"(?i)\b(can)(not)\b", r"(?i)\b(d)('ye)\b", r"(?i)\b(gim)(me)\b", r"(?i)\b(gon)(na)\b",
    r"(?i)\b(got)(ta)\b", r"(?i)\b(lem)(me)\b", r"(?i)\b(mor)('n)\b", r"(?i)\b(wan)(na)\s",
    r"(?i) ('t)(is)\b", r"(?i) ('t)(was)\b")]


def word_tokenize(text: str) -> list[str]:
    """Penn Treebank word tokens of ``text`` (what the official scorer gets from NLTK)."""
    for pattern, repl in _TB_START + _TB_PUNCT:
        text = pattern.sub(repl, text)
    text = f" {text} "
    for pattern, repl in _TB_END:
        text = pattern.sub(repl, text)
    for pattern in _TB_SPLIT:
        text = pattern.sub(r" \1 \2 ", text)
    return text.split()


_PUNCT = re.escape(string.punctuation)
_ALL_PUNCT = re.compile(rf"^[{_PUNCT}]+$")
_ONE_PUNCT = re.compile(rf"^[{_PUNCT}]$")
_ANY_PUNCT = re.compile(rf"[{_PUNCT}]")


def _words(text: str, drop: re.Pattern) -> list:
    return [t.lower() for t in word_tokenize(text) if not drop.search(t)]


# ---------------------------------------------------------------------------------------------
# One element: link candidate words to reference words, then build nervaluate spans
# ---------------------------------------------------------------------------------------------
# Token lists hold plain words (str) or markers: ("R", n, i) a reference word linked by match n,
# ("C", n, i) a candidate word linked to reference position i by match n, ("L", n) a candidate
# word attached to match n because it precedes/follows the whole reference.

def _find(seq: Sequence, sub: Sequence) -> int | None:
    n = len(sub)
    for i in range(len(seq) - n + 1):
        if seq[i] == sub[0] and list(seq[i:i + n]) == list(sub):
            return i
    return None


def _link(ref: list, cand: list, num: int, n: int) -> None:
    """Greedy n-gram linking, longest first, leftmost first (the official ``nonrefwords``)."""
    while n > 0:
        grams = [tuple(cand[i:i + n]) for i in range(len(cand) - n + 1)]
        for gram in grams:
            r = _find(ref, gram)
            if r is None:
                continue
            c = _find(cand, gram)
            if c is None:  # the official script crashes here; never seen on WebNLG data
                continue
            for k in range(n):
                ref[r + k] = ("R", num, r + k)
                cand[c + k] = ("C", num, r + k)
            num += 1
            # The caller's counter is not advanced by the recursion: match numbers can repeat,
            # exactly as in the official script.
            _link(ref, cand, num, n)
        n -= 1


def _is_linked(tok) -> bool:
    return isinstance(tok, tuple) and tok[0] in ("C", "L")


def _group(tok):
    """Span key of a token of the merged list; None for an unlinked reference word."""
    if isinstance(tok, tuple):
        return ("C", tok[1]) if tok[0] in ("C", "R", "L") else tok
    return None


@dataclass
class _ElementSpans:
    found: bool
    ref: list          # [(label, start, end)] inclusive ends
    cand: list
    width: int         # how many positions the element occupies


def _element_spans(ref: list, cand: list, ref_label: str, cand_label: str, base: int) -> _ElementSpans:
    """Reference and candidate spans of one linked element (the official ``getrefdict``).

    Mutates ``cand`` (attached words become ("L", n)) as the official script does.
    """
    linked = [i for i, t in enumerate(cand) if _is_linked(t)]
    if not linked:
        if not ref:
            return _ElementSpans(False, [], [(cand_label, base, base + len(cand) - 1)], len(cand))
        if not cand:
            # The official script returns its span list here, so the element is 1 position wide.
            return _ElementSpans(False, [(ref_label, base, base + len(ref) - 1)], [], 1)
        width = len(ref) + len(cand)
        return _ElementSpans(False, [(ref_label, base, base + len(ref) - 1)],
                             [(cand_label, base + len(ref), base + width - 1)], width)

    first = linked[0]
    head = cand[first]
    before_num = head[1] if head[0] == "C" and head[2] == 0 else None
    after_num, last_at = None, None
    last_ref = ref[-1]
    if isinstance(last_ref, tuple) and not _is_linked(cand[-1]):
        last = cand[linked[-1]]
        if last[0] == "C" and last[1:] == last_ref[1:]:
            after_num, last_at = last[1], linked[-1]

    before, after, unlinked = [], [], []
    block = 1
    for i, tok in enumerate(cand):
        if _is_linked(tok):
            block += 1
        elif i < first and before_num is not None:
            cand[i] = ("L", before_num)
            before.append(cand[i])
        elif after_num is not None and i > last_at:
            cand[i] = ("L", after_num)
            after.append(cand[i])
        else:
            unlinked.append(("N", block))
    merged = before + ref + after + unlinked
    start = base + len(before)
    ref_spans = [(ref_label, start, start + len(ref) - 1)]

    # Candidate spans: runs of one key; an unlinked reference word closes the current run. The
    # official state machine never stops "collecting", so every later unlinked reference word
    # closes the run again (one more, longer span): kept for parity.
    spans, current, begin, collecting = [], None, 0, False
    last_i = len(merged) - 1
    for i, tok in enumerate(merged):
        key = _group(tok)
        if key is not None:
            collecting = True
            if key != current:
                if current is not None:
                    spans.append((cand_label, base + begin, base + i - 1))
                current, begin = key, i
            if i == last_i:
                spans.append((cand_label, base + begin, base + i))
        elif collecting:
            spans.append((cand_label, base + begin, base + i - 1))
    return _ElementSpans(True, ref_spans, spans, len(merged))


def _compare(ref_text: str, cand_text: str, ref_label: str, cand_label: str, base: int,
             ref_drop: re.Pattern, cand_drop: re.Pattern):
    ref, cand = _words(ref_text, ref_drop), _words(cand_text, cand_drop)
    _link(ref, cand, 1, len(cand))
    return _element_spans(ref, cand, ref_label, cand_label, base), ref, cand


# ---------------------------------------------------------------------------------------------
# nervaluate counts (SemEval-2013 task 9.1)
# ---------------------------------------------------------------------------------------------

@dataclass
class MatchCounts:
    correct: float = 0
    incorrect: float = 0
    partial: float = 0
    missed: float = 0
    spurious: float = 0

    @property
    def possible(self) -> float:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> float:
        return self.correct + self.incorrect + self.partial + self.spurious

    def prf(self, half_partial: bool) -> tuple[float, float, float]:
        hit = self.correct + (0.5 * self.partial if half_partial else 0)
        p = hit / self.actual if self.actual > 0 else 0.0
        r = hit / self.possible if self.possible > 0 else 0.0
        return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


def _count(true: list, pred: list) -> dict[str, MatchCounts]:
    c = {s: MatchCounts() for s in SCHEMES}
    overlapped = []

    def add(strict, ent_type, partial, exact):
        for scheme, what in (("strict", strict), ("ent_type", ent_type), ("partial", partial),
                             ("exact", exact)):
            setattr(c[scheme], what, getattr(c[scheme], what) + 1)

    for p in pred:
        if p in true:
            overlapped.append(p)
            add("correct", "correct", "correct", "correct")
            continue
        hit = False
        for t in true:
            if t[1] == p[1] and t[2] == p[2] and t[0] != p[0]:
                add("incorrect", "incorrect", "correct", "correct")
            elif set(range(t[1], t[2])) & set(range(p[1], p[2])):  # nervaluate: end excluded
                add("incorrect", "correct" if t[0] == p[0] else "incorrect", "partial", "incorrect")
            else:
                continue
            overlapped.append(t)
            hit = True
            break
        if not hit:
            add("spurious", "spurious", "spurious", "spurious")
    for t in true:
        if t not in overlapped:
            add("missed", "missed", "missed", "missed")
    return c


@dataclass
class PairScore:
    """nervaluate counts of one (candidate, reference) triple pair, per scheme."""

    counts: dict[str, MatchCounts]

    def prf(self, scheme: str) -> tuple[float, float, float]:
        return self.counts[scheme].prf(half_partial=scheme in ("partial", "ent_type"))

    @property
    def mean_f1(self) -> float:
        # statistics.mean (exact, rounded once), as the official script: assignment ties are
        # decided on these floats, so the rounding must be the same.
        return statistics.mean(self.prf(s)[2] for s in ("ent_type", "partial", "strict", "exact"))


def score_pair(reference: str, candidate: str) -> PairScore:
    """Score one candidate triple against one reference triple (both already normalised).

    An empty string stands for a padding triple (the official ``evaluaterefcand``).
    """
    return _score_pair_cached(reference, candidate)


@functools.lru_cache(maxsize=1 << 17)
def _score_pair_cached(reference: str, candidate: str) -> PairScore:
    # Texts of one WebNLG entry share references and often candidates: score each pair once.
    ref, cand = reference.split(" | "), candidate.split(" | ")
    if len(ref) > 1 and len(cand) > 1:
        pass
    elif len(ref) == 1:
        ref = ["", "", ""]
    else:
        cand = ["", "", ""]
    for name, parts in (("reference", ref), ("candidate", cand)):
        if len(parts) != 3:
            raise WebNLGFormatError(f"{name} triple {' | '.join(parts)!r} does not have 3 parts "
                                    "separated by ' | '")

    el = []
    base = 0
    for i, role in enumerate(ROLES):
        spans, _, _ = _compare(ref[i], cand[i], role, role, base, _ALL_PUNCT, _ONE_PUNCT)
        el.append(spans)
        base += spans.width
    sub, pred, obj = el

    swapped = False
    if not sub.found and not obj.found:
        a, _, _ = _compare(ref[0], cand[2], "SUB", "OBJ", 0, _ANY_PUNCT, _ANY_PUNCT)
        b, rlist, clist = _compare(ref[2], cand[0], "OBJ", "SUB", a.width + pred.width,
                                   _ANY_PUNCT, _ANY_PUNCT)
        if a.found or b.found:
            sub, obj = a, b
            # Official quirk: the predicate is re-scored on the object/subject lists just used.
            pred = _element_spans(rlist, clist, "PRED", "PRED", a.width)
            swapped = True
    if not sub.found and not pred.found and not swapped:
        a, _, _ = _compare(ref[0], cand[1], "SUB", "PRED", 0, _ANY_PUNCT, _ANY_PUNCT)
        b, _, _ = _compare(ref[1], cand[0], "PRED", "SUB", a.width, _ANY_PUNCT, _ANY_PUNCT)
        if a.found or b.found:
            sub, pred, swapped = a, b, True
    if not pred.found and not obj.found and not swapped:
        a, _, _ = _compare(ref[1], cand[2], "PRED", "OBJ", sub.width, _ANY_PUNCT, _ANY_PUNCT)
        b, _, _ = _compare(ref[2], cand[1], "OBJ", "PRED", sub.width + a.width,
                           _ANY_PUNCT, _ANY_PUNCT)
        if a.found or b.found:
            pred, obj = a, b
    return PairScore(_count(sub.ref + pred.ref + obj.ref, sub.cand + pred.cand + obj.cand))


# ---------------------------------------------------------------------------------------------
# Assignment and corpus scores
# ---------------------------------------------------------------------------------------------

# Up to this size every permutation is scored, exactly as the official script does (float sums
# in the same order, first maximum wins); beyond it (where the official script would have to
# enumerate n! permutations) the Hungarian method finds the optimum and ties are broken in the
# same lexicographic order up to a 1e-9 tolerance.
BRUTE_FORCE_MAX = 8


def _first_best_permutation(gain: np.ndarray) -> list[int]:
    """The permutation maximising ``sum(gain[i, perm[i]])`` that comes first in lexicographic
    order (= ``itertools.permutations`` order, which the official script enumerates)."""
    n = gain.shape[0]
    if n == 0:
        return []
    if n <= BRUTE_FORCE_MAX:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
        total = np.zeros(len(perms))
        for i in range(n):  # sequential float additions, in the official order
            total += gain[i, perms[:, i]]
        return perms[int(np.argmax(total))].tolist()  # argmax: first of the maxima
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(gain, maximize=True)
    best = gain[rows, cols].sum()
    perm, free = [], list(range(n))
    for i in range(n):
        for j in free:
            rest_rows = list(range(i + 1, n))
            rest_cols = [k for k in free if k != j]
            total = sum(gain[r, c] for r, c in zip(range(i), perm)) + gain[i, j]
            if rest_rows:
                sub = gain[np.ix_(rest_rows, rest_cols)]
                rr, cc = linear_sum_assignment(sub, maximize=True)
                total += sub[rr, cc].sum()
            if total >= best - 1e-9:
                perm.append(j)
                free.remove(j)
                break
    return perm


@dataclass
class SchemeScore:
    precision: float
    recall: float
    f1: float
    counts: MatchCounts


@dataclass
class WebNLGScores:
    """Corpus scores: one :class:`SchemeScore` per scheme, plus the full-triple macro scores."""

    exact: SchemeScore
    partial: SchemeScore
    strict: SchemeScore
    ent_type: SchemeScore
    full_triple: tuple[float, float, float]
    pairs: int
    texts: int
    assignments: list[list[tuple[int, int]]] = field(default_factory=list, repr=False)

    def scheme(self, name: str) -> SchemeScore:
        if name not in SCHEMES:
            from kg.errors import UnknownNameError

            raise UnknownNameError("WebNLG match scheme", name, SCHEMES)
        return getattr(self, name)


def _as_string(t) -> str:
    if isinstance(t, str):
        return t
    if len(t) != 3:
        raise WebNLGFormatError(f"triple {t!r} does not have 3 elements")
    return " | ".join(t)


def score_text(references: Sequence, candidates: Sequence) -> tuple[list[PairScore], list[tuple[int, int]]]:
    """Assigned pair scores of one text: returns the pair scores and (candidate, reference)
    indices (an index past the end of a list is a padding triple)."""
    refs = [normalise_triple(_as_string(t)) for t in references]
    cands = [normalise_triple(_as_string(t)) for t in candidates]
    n = max(len(refs), len(cands))
    refs += [""] * (n - len(refs))
    cands += [""] * (n - len(cands))
    table = [[score_pair(r, c) for r in refs] for c in cands]
    gain = np.array([[p.mean_f1 for p in row] for row in table], dtype=float).reshape(n, n)
    perm = _first_best_permutation(gain)
    return [table[i][j] for i, j in enumerate(perm)], list(enumerate(perm))


def full_triple_scores(references: Sequence[Sequence], candidates: Sequence[Sequence]) -> tuple[float, float, float]:
    """Macro precision/recall/F1 over distinct lower-cased triple strings (Liu et al., 2018), as
    the official script gets them from sklearn's MultiLabelBinarizer (zero when undefined)."""
    refs = [{_as_string(t).lower() for t in ts} for ts in references]
    cands = [{_as_string(t).lower() for t in ts} for ts in candidates]
    classes = set().union(*refs, *cands) if refs or cands else set()
    if not classes:
        return 0.0, 0.0, 0.0
    p_sum = r_sum = f_sum = 0.0
    for c in classes:
        tp = sum(1 for r, k in zip(refs, cands) if c in r and c in k)
        n_pred = sum(1 for k in cands if c in k)
        n_true = sum(1 for r in refs if c in r)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_true if n_true else 0.0
        p_sum, r_sum = p_sum + p, r_sum + r
        f_sum += 2 * p * r / (p + r) if p + r > 0 else 0.0
    k = len(classes)
    return p_sum / k, r_sum / k, f_sum / k


def score_corpus(references: Sequence[Sequence], candidates: Sequence[Sequence]) -> WebNLGScores:
    """Score a corpus: ``references[i]`` and ``candidates[i]`` are the triples of text i, each
    triple a ``"s | p | o"`` string or a 3-tuple in DBpedia style (``Alan_Bean | birthPlace | ...``)."""
    if len(references) != len(candidates):
        raise WebNLGFormatError(f"{len(references)} reference texts but {len(candidates)} "
                                "candidate texts; they must pair up one to one")
    pairs: list[PairScore] = []
    assignments = []
    for refs, cands in zip(references, candidates):
        chosen, assigned = score_text(refs, cands)
        pairs += chosen
        assignments.append(assigned)
    out = {}
    for scheme in SCHEMES:
        total = MatchCounts()
        for p in pairs:
            for k in ("correct", "incorrect", "partial", "missed", "spurious"):
                setattr(total, k, getattr(total, k) + getattr(p.counts[scheme], k))
        prf = np.array([p.prf(scheme) for p in pairs], dtype=float).reshape(-1, 3)
        means = prf.mean(axis=0) if len(pairs) else np.zeros(3)
        out[scheme] = SchemeScore(float(means[0]), float(means[1]), float(means[2]), total)
    return WebNLGScores(**out, full_triple=full_triple_scores(references, candidates),
                        pairs=len(pairs), texts=len(references), assignments=assignments)


# ---------------------------------------------------------------------------------------------
# WebNLG 3.0 XML
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WebNLGEntry:
    """One entry: its modified (gold) triple set and its verbalisations."""

    eid: str
    category: str
    size: int
    triples: tuple[tuple[str, str, str], ...]
    texts: tuple[str, ...]
    source: str


def _split_triple(text: str, where: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in text.split(" | ")]
    if len(parts) != 3:
        raise WebNLGFormatError(f"{where}: triple {text!r} does not have 3 parts separated by ' | '")
    return parts[0], parts[1], parts[2]


def read_webnlg_file(path: str) -> list[WebNLGEntry]:
    """Entries of one WebNLG 3.0 XML file (``benchmark/entries/entry``)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise WebNLGFormatError(f"{path}: not a readable WebNLG XML file ({exc})") from exc
    entries = []
    for entry in root.iter("entry"):
        where = f"{path} entry {entry.get('eid')}"
        mset = entry.find("modifiedtripleset")
        if mset is None:
            raise WebNLGFormatError(f"{where}: no <modifiedtripleset>")
        triples = tuple(_split_triple(m.text or "", where) for m in mset.findall("mtriple"))
        texts = tuple((lex.text or "").strip() for lex in entry.findall("lex")
                      if (lex.text or "").strip())
        entries.append(WebNLGEntry(entry.get("eid", ""), entry.get("category", ""),
                                   int(entry.get("size", len(triples))), triples, texts, path))
    return entries


def read_webnlg(path: str) -> list[WebNLGEntry]:
    """Entries of a WebNLG XML file or of every ``*.xml`` under a directory (sorted paths)."""
    if os.path.isfile(path):
        return read_webnlg_file(path)
    if not os.path.isdir(path):
        raise WebNLGFormatError(f"{path}: no such WebNLG file or directory")
    files = sorted(glob.glob(os.path.join(path, "**", "*.xml"), recursive=True))
    if not files:
        raise WebNLGFormatError(f"{path}: no *.xml files below this directory")
    out: list[WebNLGEntry] = []
    for f in files:
        out += read_webnlg_file(f)
    return out


def iter_texts(entries: Iterable[WebNLGEntry]) -> Iterable[tuple[str, WebNLGEntry, str]]:
    """(text id, entry, text) for every verbalisation; the id is ``<file>#<eid>#<n>``."""
    for e in entries:
        for i, text in enumerate(e.texts):
            yield f"{os.path.basename(os.path.dirname(e.source))}/{os.path.basename(e.source)}#{e.eid}#{i}", e, text
