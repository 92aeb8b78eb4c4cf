"""Visualise: embeddings as a 2-D map, generator samples, confusion matrices, attention maps."""

import json

import numpy as np
import streamlit as st

from app.dashboard import state

st.title("Visualise")
folder = state.models_dir()
if folder is None:
    state.offer_sample(missing=True)
    st.stop()

st.subheader("Entity embeddings")


@st.cache_resource(max_entries=2, show_spinner="Loading the embedding model ...")
def _entity_map(path: str, mtime: float, limit: int = 20000):
    """The first ``limit`` entities of the `kgn embed` model on their first two principal axes."""
    from neural.graph.analysis import pca_2d
    from neural.graph.train import load_model

    loaded = load_model(path)
    coords, share = pca_2d(loaded.model.entity_vectors().numpy()[:limit])
    return loaded.ids.entities[:limit], loaded.labels[:limit], coords, share, loaded.model.name


with state.reading() as ws:
    model_file = ws.path("embeddings")
if not model_file.is_file():
    st.info(f"No embeddings yet: `kgn embed` trains them ({model_file} does not exist).")
else:
    import plotly.express as px

    iris, labels, xy, share, name = _entity_map(str(model_file), model_file.stat().st_mtime)
    snap = state.snapshot()
    from kg.vocab import local_name

    types = []
    for iri in iris:
        i = snap.index.entity_id.get(iri) if snap else None
        ts = snap.index.entity_types[i] if i is not None else ()
        types.append(local_name(ts[0]) if ts else "(untyped)")
    st.caption(f"{name} embeddings of {len(iris)} entities; PCA explains {share[0]:.0%} + {share[1]:.0%} of the variance.")
    st.plotly_chart(px.scatter(x=xy[:, 0], y=xy[:, 1], color=types, hover_name=list(labels),
                               labels={"x": "PC 1", "y": "PC 2", "color": "type"}, height=520),
                    width="stretch")

st.subheader("Trained models")
runs = state.checkpoints(folder)
if not runs:
    st.info("No trained model yet: train one on the Train page.")
    st.stop()
run = st.selectbox("Run", runs, format_func=lambda p: p.name, key="vis_run")
ckpt = run / "best.ckpt"
metrics = run / "test_metrics.json"
report = json.loads(metrics.read_text(encoding="utf-8")) if metrics.is_file() else {}
scores = {k: v for k, v in report.items() if isinstance(v, (int, float))}
if scores:
    st.dataframe([scores], hide_index=True)
if "confusion_matrix" in report:
    import plotly.express as px

    cm = np.asarray(report["confusion_matrix"])
    st.markdown("**Confusion matrix** (test split; rows: true class, columns: predicted)")
    st.plotly_chart(px.imshow(cm, text_auto=True, color_continuous_scale="Blues",
                              labels={"x": "predicted", "y": "true", "color": "count"}), width="stretch")


@st.cache_resource(max_entries=4, show_spinner="Loading the checkpoint ...")
def _load(path: str, mtime: float):
    from neural.runs import load_model

    return load_model(path, "cpu")


model, meta = _load(str(ckpt), ckpt.stat().st_mtime)
kind = meta["model"]
if kind in ("vae", "gan"):
    import tempfile

    from neural.runs import sample_grid

    seed = st.number_input("Seed", 0, 10_000, 0, key="vis_seed")
    with tempfile.TemporaryDirectory() as tmp:
        png = sample_grid(ckpt, f"{tmp}/grid.png", n=64, seed=int(seed), device="cpu")
        st.image(png.read_bytes(), caption=f"64 samples from the {kind}", width=360)
        if kind == "vae":
            png = sample_grid(ckpt, f"{tmp}/interp.png", n=32, seed=int(seed), device="cpu", interpolate=True)
            st.image(png.read_bytes(), caption="latent interpolations between test images", width=360)
elif kind == "attention":
    import plotly.express as px
    import torch

    from neural.runs import load_data_for

    bundle = load_data_for(meta)
    i = st.number_input("Test example", 0, len(bundle.test) - 1, 0, key="vis_example")
    x = bundle.test.tensors[0][int(i): int(i) + 1]
    with torch.no_grad():
        _, attentions = model(x, return_attention=True)
    w = attentions[-1][0]
    w = w.mean(dim=0) if w.dim() == 3 else w  # heads averaged
    vocab = bundle.vocab or []
    tokens = [vocab[t] if t < len(vocab) else str(t) for t in x[0].tolist()]
    keep = [j for j, t in enumerate(x[0].tolist()) if t != 0] or list(range(len(tokens)))
    w = w.numpy()[np.ix_(keep, keep)]
    st.markdown("**Attention of the last layer** (heads averaged; padding left out)")
    st.plotly_chart(px.imshow(w, x=[tokens[j] for j in keep], y=[tokens[j] for j in keep],
                              color_continuous_scale="Viridis"), width="stretch")
else:
    st.caption(f"A {kind} has no sample grid or attention map; its scores are above.")
