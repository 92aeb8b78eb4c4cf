"""WebNLG+ 2020 scorer on hand-made triples; every expected number is worked out by hand in the
comments (span positions as the official script lays them out, then nervaluate's counts)."""

import numpy as np
import pytest

from kg.errors import KgnError
from kg.eval.webnlg import (
    WebNLGFormatError,
    _first_best_permutation,
    full_triple_scores,
    normalise_triple,
    read_webnlg,
    score_corpus,
    score_pair,
    word_tokenize,
)


def f1s(pair):
    return {s: round(pair.prf(s)[2], 6) for s in ("exact", "partial", "strict", "ent_type")}


def test_normalisation_splits_camel_case_underscores_and_object_parenthesis():
    assert normalise_triple("Alan_Bean | birthPlace | Wheeler,_Texas") == \
        "alan bean | birth place | wheeler, texas"
    # Only the object's trailing "(...)" goes; the subject keeps it.
    assert normalise_triple(("Twilight_(band)", "height", "1.2 (metres)")) == \
        "twilight (band) | height | 1.2"


def test_treebank_tokens():
    assert word_tokenize('"nevada"') == ["``", "nevada", "''"]
    assert word_tokenize("u.s. navy.") == ["u.s.", "navy", "."]
    assert word_tokenize("1,000 people, inc") == ["1,000", "people", ",", "inc"]
    assert word_tokenize("don't (x)") == ["do", "n't", "(", "x", ")"]


def test_identical_triple_scores_one_everywhere():
    t = normalise_triple("Alan_Bean | birthPlace | Wheeler,_Texas")
    assert f1s(score_pair(t, t)) == {"exact": 1, "partial": 1, "strict": 1, "ent_type": 1}


def test_one_word_object_prefix_is_spurious_not_partial():
    # ref object [wheeler, texas] at positions 4-5; candidate [wheeler] links to position 4,
    # and the unlinked ref word closes a candidate span (4,4). nervaluate tests overlap with
    # range(start, end), empty for a one-token span -> spurious + missed, never "partial".
    # Subject and predicate: 2 correct. All schemes: P = R = 2/3.
    p = score_pair(normalise_triple("Alan_Bean | birthPlace | Wheeler,_Texas"),
                   normalise_triple("Alan_Bean | birthPlace | Wheeler"))
    assert f1s(p) == {s: round(2 / 3, 6) for s in ("exact", "partial", "strict", "ent_type")}
    c = p.counts["exact"]
    assert (c.correct, c.incorrect, c.partial, c.missed, c.spurious) == (2, 0, 0, 1, 1)


def test_two_word_overlap_is_partial():
    # ref object [wheeler, texas, usa] (4-6), candidate span (4,5) overlaps with the same label:
    # strict/exact incorrect -> 2/3; partial (2 + 0.5)/3 = 5/6; type counts it correct -> 1.
    p = score_pair(normalise_triple("Alan_Bean | birthPlace | Wheeler_Texas_USA"),
                   normalise_triple("Alan_Bean | birthPlace | Wheeler_Texas"))
    assert f1s(p) == {"exact": round(2 / 3, 6), "strict": round(2 / 3, 6),
                      "partial": round(5 / 6, 6), "ent_type": 1.0}


def test_swapped_subject_object_counts_for_exact_not_strict():
    # No subject/object match -> the official retry compares ref subject with cand object and
    # vice versa; spans land on the same offsets with the other role: exact/partial correct,
    # strict/type incorrect. Official quirk: the predicate is then re-scored on the object
    # lists, so even the wrong predicate "q" counts as correct. Exact 3/3, strict 1/3.
    p = score_pair(normalise_triple("A_B | p | C_D"), normalise_triple("C_D | q | A_B"))
    assert f1s(p) == {"exact": 1.0, "partial": 1.0, "strict": round(1 / 3, 6),
                      "ent_type": round(1 / 3, 6)}


def test_quotes_in_a_candidate_spoil_its_object():
    # The reference drops punctuation-only tokens (`` and ''), the candidate only one-character
    # ones, so the quotes stay, attach to "nevada" and make the span 3 wide vs 1: spurious +
    # missed. Subject and predicate correct -> 2/3.
    ref = normalise_triple('X | state | "Nevada"')
    assert f1s(score_pair(ref, normalise_triple("X | state | Nevada")))["exact"] == 1.0
    assert f1s(score_pair(ref, normalise_triple('X | state | "Nevada"')))["exact"] == round(2 / 3, 6)


def test_padding_and_optimal_assignment():
    t1, t2 = "A | p | B", "C | q | D"
    # One correct candidate for two references: pairs (t2, t2) = 1 and (padding, t1) = 0.
    res = score_corpus([[t1, t2]], [[t2]])
    assert res.pairs == 2 and res.exact.f1 == pytest.approx(0.5)
    assert res.exact.precision == pytest.approx(0.5) and res.exact.recall == pytest.approx(0.5)
    assert res.assignments == [[(0, 1), (1, 0)]]
    # An extra wrong candidate pairs with a padding reference: (1 + 0) / 2.
    res = score_corpus([[t1]], [["E | r | F", t1]])
    assert res.exact.f1 == pytest.approx(0.5) and res.assignments == [[(0, 1), (1, 0)]]


def test_corpus_scores_are_means_over_triple_pairs_not_texts():
    # Text 1: one perfect pair (1.0); text 2: three references, no candidates -> three zero
    # pairs. Mean over 4 pairs = 0.25 (a per-text mean would give 0.5).
    res = score_corpus([["A | p | B"], ["C | p | D", "E | p | F", "G | p | H"]],
                       [[("A", "p", "B")], []])
    assert res.pairs == 4 and res.texts == 2
    for s in ("exact", "partial", "strict", "ent_type"):
        assert res.scheme(s).f1 == pytest.approx(0.25)
    assert res.exact.counts.correct == 3 and res.exact.counts.missed == 9


def test_full_triple_macro_scores():
    # classes a, b, c: a is right (P=R=F1=1), b never predicted, c never true -> 1/3 each.
    p, r, f = full_triple_scores([["A | p | B"], ["B | p | C"]], [["a | P | b"], ["C | p | D"]])
    assert (p, r, f) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_first_best_permutation_breaks_ties_like_itertools_order():
    assert _first_best_permutation(np.ones((2, 2))) == [0, 1]
    assert _first_best_permutation(np.array([[0.0, 1.0], [1.0, 0.0]])) == [1, 0]
    g = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    assert _first_best_permutation(g) == [0, 1, 2]
    g = np.array([[0.2, 0.9, 0.1], [0.8, 0.7, 0.0], [0.3, 0.0, 0.6]])
    assert _first_best_permutation(g) == [1, 0, 2]  # 0.9 + 0.8 + 0.6


def test_hungarian_path_agrees_with_enumeration(monkeypatch):
    # Ties are common (padding rows are all zero): both paths must pick the same first-best
    # permutation. Quarters keep every sum exact; with thirds the enumeration, like the official
    # script, also tells apart sums that differ only by float rounding.
    import kg.eval.webnlg as w

    rng = np.random.default_rng(0)
    cases = [rng.integers(0, 5, size=(n, n)) / 4 for n in (1, 2, 3, 4, 5, 6) for _ in range(20)]
    expected = [w._first_best_permutation(g) for g in cases]
    monkeypatch.setattr(w, "BRUTE_FORCE_MAX", 0)
    assert [w._first_best_permutation(g) for g in cases] == expected


def test_bad_input_raises_kgn_errors():
    with pytest.raises(WebNLGFormatError, match="3 parts"):
        score_corpus([["A | p | B"]], [["A | p"]])
    with pytest.raises(KgnError, match="pair up"):
        score_corpus([["A | p | B"]], [])
    with pytest.raises(KgnError, match="choose one of"):
        score_corpus([["A | p | B"]], [["A | p | B"]]).scheme("fuzzy")


XML = """<?xml version='1.0' encoding='utf-8'?>
<benchmark><entries>
  <entry category="Astronaut" eid="Id7" size="2">
    <originaltripleset><otriple>Alan_Bean | birthPlace | Wheeler,_Texas</otriple></originaltripleset>
    <modifiedtripleset>
      <mtriple>Alan_Bean | birthPlace | Wheeler,_Texas</mtriple>
      <mtriple>Alan_Bean | occupation | Test_pilot</mtriple>
    </modifiedtripleset>
    <lex comment="good" lid="Id1">Alan Bean, born in Wheeler, Texas, was a test pilot.</lex>
    <lex comment="good" lid="Id2">Test pilot Alan Bean was born in Wheeler, Texas.</lex>
  </entry>
</entries></benchmark>
"""


def test_reader(tmp_path):
    (tmp_path / "2triples").mkdir()
    (tmp_path / "2triples" / "Astronaut.xml").write_text(XML, encoding="utf-8")
    [e] = read_webnlg(str(tmp_path))
    assert (e.eid, e.category, e.size) == ("Id7", "Astronaut", 2)
    assert e.triples == (("Alan_Bean", "birthPlace", "Wheeler,_Texas"),
                         ("Alan_Bean", "occupation", "Test_pilot"))
    assert e.texts[1] == "Test pilot Alan Bean was born in Wheeler, Texas."
    (tmp_path / "bad.xml").write_text("<benchmark><entries><entry", encoding="utf-8")
    with pytest.raises(WebNLGFormatError, match="bad.xml"):
        read_webnlg(str(tmp_path / "bad.xml"))
    with pytest.raises(WebNLGFormatError, match="no such"):
        read_webnlg(str(tmp_path / "missing"))
