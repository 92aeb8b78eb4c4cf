"""Extract: text in, entities highlighted and triples with their sentences out; "add to graph"."""

import streamlit as st

from app.dashboard import state
from kg.errors import KgnError

st.title("Extract")
st.caption(f"Paste text or upload .txt / .md / .jsonl files (at most {state.MAX_UPLOAD_BYTES / 1e6:.0f} MB "
           "each). Nothing is written until you press “Add to graph”.")
pasted = st.text_area("Text", height=150, key="extract_text",
                      placeholder="Geoffrey Hinton worked at Google. He was born in London.")
uploads = st.file_uploader("Files", accept_multiple_files=True, key="extract_files")

if st.button("Extract", type="primary", key="extract_run"):
    docs: list[tuple[str, str]] = []
    refused: list[str] = []
    if pasted.strip():
        why = state.check_upload("pasted.txt", len(pasted.encode("utf-8")))
        if why:
            refused.append(why.replace("pasted.txt", "the pasted text"))
        else:
            docs.append(("pasted text", pasted))
    for f in uploads or []:
        why = state.check_upload(f.name, f.size)
        if why:
            refused.append(why)
            continue
        try:
            docs += state.upload_texts(f.name, f.getvalue())
        except KgnError as exc:
            refused.append(str(exc))
    for why in refused:
        st.error(f"refused: {why}")
    if not docs and not refused:
        st.warning("Paste some text or choose files first.")
    results = []
    if docs:
        from kg.extract.extractor import content_hash

        ex = state.extractor()
        bar = st.progress(0.0, text="Extracting ...")
        for i, (source, text) in enumerate(docs, 1):
            doc = ex.nlp(text)
            results.append((ex.from_doc(doc, content_hash(text), source), text))
            bar.progress(i / len(docs), text=f"Extracted {i} of {len(docs)} document(s)")
    st.session_state.extract_results = results

results = st.session_state.get("extract_results") or []
for result, text in results:
    with st.expander(f"{result.source}: {len(result.entities)} entities, {len(result.triples)} triples",
                     expanded=len(results) <= 3):
        spans = sorted({(s, e, ent.label or "CONCEPT") for ent in result.entities for s, e, _ in ent.mentions})
        ents, end = [], -1
        for s, e, label in spans:  # displaCy needs non-overlapping spans
            if s >= end:
                ents.append({"start": s, "end": e, "label": label})
                end = e
        from spacy import displacy

        st.html(displacy.render({"text": text, "ents": ents}, style="ent", manual=True, page=False))
        if result.triples:
            st.dataframe([{"subject": t.subject, "relation": t.predicate, "object": t.object,
                           "confidence": round(t.confidence, 3), "sentence": t.sentence}
                          for t in result.triples], hide_index=True, width="stretch")
        else:
            st.caption("No relation was found in this text.")

if results and st.button("Add to graph", key="extract_add"):
    try:
        with st.spinner("Writing ..."), state.writing() as ws:
            quads = state.add_documents(ws, [r for r, _ in results])
    except KgnError as exc:
        state.show_error(exc)
    else:
        st.success(f"Added {len(results)} document(s) ({quads} RDF triples with provenance) to the graph.")
        st.session_state.extract_results = []
