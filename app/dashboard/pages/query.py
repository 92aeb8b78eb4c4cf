"""Query: a SPARQL editor with templates (table + CSV), and a path finder between two entities."""

import streamlit as st

from app.dashboard import graphview, state
from kg.errors import KgnError

TEMPLATES = {
    "Entities with their labels": "SELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n} LIMIT 50",
    "Triples of the graph": "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o .\n  FILTER(isIRI(?o))\n} LIMIT 50",
    "Entities by type": "SELECT ?type (COUNT(?e) AS ?n) WHERE {\n  ?e a ?type .\n} GROUP BY ?type ORDER BY DESC(?n)",
    "Who worked at an organisation in Canada?": (
        "SELECT DISTINCT ?personLabel ?orgLabel WHERE {\n  ?person r:worked_at ?org .\n"
        "  ?org (r:located_in|r:based_in)+ e:Canada .\n  ?person rdfs:label ?personLabel . "
        "?org rdfs:label ?orgLabel .\n} ORDER BY ?personLabel"),
}

st.title("Query")
snap = state.require_graph()
sparql_tab, path_tab = st.tabs(["SPARQL", "Paths"])

with sparql_tab:
    template = st.selectbox("Template", list(TEMPLATES), key="query_template")
    text = st.text_area("SPARQL (prefixes e:, r:, t:, rdfs:, ... are predeclared)", TEMPLATES[template],
                        height=180, key=f"query_text_{template}")
    if st.button("Run query", type="primary", key="query_run"):
        from kg.vocab import prefixes

        try:
            with state.reading() as ws:
                result = ws.store.query(text, prefixes=prefixes(ws.vocab))
        except KgnError as exc:
            state.show_error(exc)
        else:
            if result.form == "ASK":
                columns, cells = ["answer"], [(result.boolean,)]
            elif result.form == "SELECT":
                columns, cells = list(result.vars), result.rows
            else:
                columns, cells = ["subject", "predicate", "object"], result.triples
            rows = [dict(zip(columns, ("" if v is None else str(v) for v in row))) for row in cells]
            st.session_state.query_result = (columns, rows)
    if "query_result" in st.session_state:
        columns, rows = st.session_state.query_result
        st.caption(f"{len(rows)} row(s)")
        st.dataframe(rows, hide_index=True, width="stretch", column_order=columns)
        import csv
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        st.download_button("Download CSV", buf.getvalue(), file_name="kgn-query.csv", mime="text/csv",
                           key="query_csv")

with path_tab:
    left, right = st.columns(2)
    with left:
        source = state.entity_picker(snap, "From", key="path_from")
    with right:
        target = state.entity_picker(snap, "To", key="path_to")
    c1, c2, c3 = st.columns(3)
    k = c1.number_input("Paths", 1, 20, 3, key="path_k")
    max_len = c2.number_input("Most hops", 1, 8, 4, key="path_max_len")
    inverse = c3.checkbox("Walk edges backwards too", True, key="path_inverse")
    if st.button("Find paths", type="primary", key="path_run", disabled=source is None or target is None):
        from kg.reason.paths import k_shortest_paths, make_filter

        try:
            paths = k_shortest_paths(snap.index, source, target, k=int(k), max_len=int(max_len),
                                     flt=make_filter(snap.index, inverse=inverse))
        except KgnError as exc:
            state.show_error(exc)
        else:
            st.session_state.path_result = paths
    paths = st.session_state.get("path_result")
    if paths:
        st.caption(f"{len(paths)} path(s); a backwards arrow (←) walks a relation from its object to its subject.")
        for p in paths:
            st.markdown(f"- {len(p)} hop(s): `{p.render()}`")
        st.plotly_chart(graphview.path_figure(paths), width="stretch", key="path_fig")
