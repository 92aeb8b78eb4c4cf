"""Explore: find an entity, draw its neighbourhood, expand nodes, read details with provenance."""

import streamlit as st

from app.dashboard import graphview, state
from kg.errors import KgnError
from kg.vocab import local_name

st.title("Explore")
snap = state.require_graph()
index = snap.index
st.caption(f"{index.num_entities:,} entities, {len(index):,} relation triples · stamp {snap.stamp[:12]}")

picked = state.entity_picker(snap, "Entity", key="explore")
if picked is None:
    st.stop()
if st.session_state.get("explore_root") != picked:
    st.session_state.explore_root = picked
    st.session_state.explore_centres = [picked]
    st.session_state.explore_selected = picked
    st.session_state.explore_cap = 25
centres = st.session_state.explore_centres
cap = st.session_state.explore_cap

with st.sidebar:
    st.subheader("Filter the graph")
    rel_names = state.unique_names({i: index.relation_labels[i] for i in range(index.num_relations)})
    relations = [rel_names[r] for r in st.multiselect("Relations", list(rel_names), key="explore_rel")]
    types_text = st.text_input("Neighbour types (comma-separated, e.g. Person)", key="explore_types")

types = None
if types_text.strip():
    wanted = {w.strip().casefold() for w in types_text.split(",") if w.strip()}
    # Type IRIs named like the wanted ones, among the neighbours actually around the centres.
    seen_types = {t for c in centres
                  for n in index.neighbor[int(index.indptr[c]):int(index.indptr[c + 1])].tolist()
                  for t in index.entity_types[n]}
    types = {t for t in seen_types if local_name(t).casefold() in wanted or t.casefold() in wanted}
    if not types:
        st.info(f"No neighbour has type {types_text!r}.")
        types = {"-"}

hood = graphview.neighbourhood(index, centres, relations=relations, types=types, cap=cap)
selected = st.session_state.explore_selected
if selected not in hood.nodes:
    selected = st.session_state.explore_selected = centres[0]
event = st.plotly_chart(graphview.figure(index, hood, centres, selected), on_select="rerun",
                        selection_mode="points", key="explore_graph", width="stretch")
for point in ((event or {}).get("selection") or {}).get("points", []):
    cd = point.get("customdata")
    if cd is not None:
        node = int(cd[0] if isinstance(cd, list) else cd)
        if node != selected:
            st.session_state.explore_selected = node
            st.rerun()

cols = st.columns(4)
by_name = state.unique_names({n: index.entity_labels[n] for n in hood.nodes})
ids = list(by_name.values())
chosen = cols[0].selectbox("Node", list(by_name), index=ids.index(selected), key=f"explore_node_{selected}")
if by_name[chosen] != selected:
    selected = st.session_state.explore_selected = by_name[chosen]
if cols[1].button("Expand node", key="explore_expand", disabled=selected in centres):
    st.session_state.explore_centres = [*centres, selected]
    st.rerun()
if cols[2].button(f"Show more ({sum(hood.hidden.values())} hidden)", key="explore_more", disabled=not hood.hidden):
    st.session_state.explore_cap = cap * 2
    st.rerun()
if cols[3].button("Reset", key="explore_reset"):
    st.session_state.explore_centres = [picked]
    st.session_state.explore_cap = 25
    st.rerun()
st.caption(f"{len(hood.nodes)} nodes, {len(hood.edges)} edges around {len(centres)} expanded node(s); "
           "click a node to select it.")

st.subheader(index.entity_labels[selected])
try:
    from kg.query import describe_entity

    with state.reading() as ws:
        info = describe_entity(ws.store, index.entities[selected])
except KgnError as exc:  # e.g. a busy store: the graph above is still shown
    state.show_error(exc)
    st.stop()
st.markdown(f"`{info.iri}`")
if info.aliases:
    st.markdown("**Aliases:** " + ", ".join(info.aliases))
if info.types:
    st.markdown("**Types:** " + ", ".join(label for _, label in info.types))
if info.neighbours:
    st.dataframe([{"direction": "→" if n.direction == "out" else "←", "relation": n.relation_label,
                   "entity": n.other_label} for n in info.neighbours], hide_index=True, width="stretch")
if info.provenance:
    st.markdown("**Provenance** (document and sentence of each extracted statement)")
    st.dataframe([{"statement": " ".join(p.triple_labels), "document": p.source or p.document,
                   "sentence": p.sentence, "confidence": p.confidence, "extractor": p.extractor}
                  for p in info.provenance], hide_index=True, width="stretch")
else:
    st.caption("No extracted statement mentions this entity (it comes from an imported file).")
