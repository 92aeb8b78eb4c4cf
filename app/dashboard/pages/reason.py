"""Reason: mine path rules, list the facts they predict with supporting paths, accept or reject."""

import time

import pandas as pd
import streamlit as st

from app.dashboard import state
from kg.errors import KgnError

st.title("Reason")
snap = state.require_graph(include_inferred=False)  # rules are mined from stated facts only
index = snap.index

st.subheader("Mine rules")
st.caption("Closed path rules r1(X,A) ∧ r2(A,Y) ⇒ r(X,Y), ranked by confidence (AMIE/AnyBURL-style). "
           "Budget: longer bodies and more rules cost more time.")
c1, c2, c3, c4 = st.columns(4)
max_len = c1.selectbox("Most body atoms", [1, 2, 3], index=1, key="reason_len")
min_support = c2.number_input("Least support", 1, 1000, 2, key="reason_support")
min_conf = c3.number_input("Least confidence", 0.0, 1.0, 0.1, step=0.05, key="reason_conf")
max_rules = c4.number_input("Most rules per relation", 1, 10000, 200, key="reason_max")

rules_path = None
try:
    with state.reading() as ws:
        rules_path = ws.path("rules")
except KgnError as exc:
    state.show_error(exc)

if st.button("Mine rules", type="primary", key="reason_mine") and rules_path is not None:
    from kg.reason.rules import MiningSettings, mine_rules

    with st.status(f"Mining rules of up to {max_len} atoms over {len(index):,} facts ...") as status:
        t0 = time.perf_counter()
        try:
            rs = mine_rules(index, MiningSettings(int(max_len), int(min_support), float(min_conf), int(max_rules)))
        except KgnError as exc:
            state.show_error(exc)
            st.stop()
        rs.save(rules_path)
        status.update(label=f"Mined {len(rs.rules)} rules in {time.perf_counter() - t0:.2f} s; saved to "
                            f"{rules_path}", state="complete")

rules = None
if rules_path is not None and rules_path.exists():
    from kg.reason.rules import RuleSet

    try:
        rules = RuleSet.load(rules_path)
    except KgnError as exc:
        state.show_error(exc)
if rules is None:
    st.info("No rules yet: mine some above.")
    st.stop()
if not rules.rules:
    st.info("No rule meets these thresholds: lower the least support or confidence and mine again.")
    st.stop()
ranked = sorted(rules.rules, key=lambda r: (-r.std_confidence, -r.support, r.length, r.render()))
st.dataframe([{"rule": r.render(), "std conf": round(r.std_confidence, 3), "pca conf": round(r.pca_confidence, 3),
               "support": r.support, "body": r.body_size} for r in ranked[:500]],
             hide_index=True, width="stretch", height=240)

st.subheader("Predictions")
threshold = st.slider("Least confidence of the best rule", 0.0, 1.0, 0.5, 0.05, key="reason_threshold")


@st.cache_resource(max_entries=4, show_spinner="Applying the rules ...")
def _predictions(spec: str, stamp: str, rules_key: tuple, threshold: float, _index, _rules):
    from kg.reason.predict import infer

    return infer(_index, _rules, min_confidence=threshold, explain=True)


stat = rules_path.stat()
preds = _predictions(snap.spec, snap.stamp, (str(rules_path), stat.st_mtime_ns, stat.st_size), threshold, index, rules)
rejected = st.session_state.setdefault("reason_rejected", set())
preds = [p for p in preds if p.triple not in rejected][:200]
if not preds:
    st.caption("No new fact reaches this confidence.")
    st.stop()
table = st.data_editor(
    pd.DataFrame([{"accept": False, "fact": p.render(), "score": round(p.score, 3),
      "best rule": p.evidence[0].rule.render() if p.evidence else ""} for p in preds]),
    hide_index=True, width="stretch", disabled=["fact", "score", "best rule"], key="reason_table")
chosen = [p for p, ok in zip(preds, table["accept"]) if ok]
with st.expander("Supporting paths"):
    for p in preds[:50]:
        st.markdown(f"**{p.render()}** ({p.score:.3f})")
        for ev in p.evidence[:3]:
            st.markdown(f"- {ev.rule.render()} ({ev.confidence:.3f})")
            for path in ev.paths:
                st.markdown(f"    - `{path.render()}`")
a, b, c = st.columns(3)
if a.button(f"Accept {len(chosen)} into the inferred graph", disabled=not chosen, key="reason_accept"):
    from kg.reason.writeback import write_inferred

    try:
        with state.writing() as ws:
            n = write_inferred(ws.store, chosen, ws.vocab, min_confidence=threshold)
    except KgnError as exc:
        state.show_error(exc)
    else:
        st.success(f"Wrote {n} fact(s) to the inferred graph.")
if b.button(f"Reject {len(chosen)}", disabled=not chosen, key="reason_reject"):
    rejected.update(p.triple for p in chosen)
    st.rerun()
if c.button("Remove all inferred facts", key="reason_remove"):
    from kg.reason.writeback import remove_inferred

    try:
        with state.writing() as ws:
            remove_inferred(ws.store, ws.vocab)
    except KgnError as exc:
        state.show_error(exc)
    else:
        st.success("Removed the inferred graph.")
