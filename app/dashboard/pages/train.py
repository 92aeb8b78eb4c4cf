"""Train: a neural model on a data set, with live loss curves, the device, a stop button, and
the checkpoints trained so far."""

import time

import streamlit as st

from app.dashboard import state, training
from neural.data import DATASETS
from neural.device import resolve_device
from neural.models import MODELS

st.title("Train")

folder = state.models_dir()
if folder is None:
    state.offer_sample(missing=True)
    st.stop()

c1, c2, c3 = st.columns(3)
model = c1.selectbox("Model", list(MODELS), key="train_model")
dataset = c2.selectbox("Data set", list(DATASETS), key="train_dataset",
                       help="digits is built in; mnist/fashion-mnist/jsonl read files from their data folder.")
device = c3.selectbox("Device", ["auto", "cpu", "cuda"], key="train_device")
c4, c5, c6 = st.columns(3)
epochs = c4.number_input("Epochs", 1, 200, 3, key="train_epochs")
batch_size = c5.number_input("Batch size", 1, 4096, 64, key="train_batch")
lr = c6.number_input("Learning rate (0: the model's default)", 0.0, 1.0, 0.0, format="%.5f", key="train_lr")
settings_text = st.text_input("Model settings (JSON, e.g. {\"hidden\": 64}; empty: the model's defaults)", "",
                              key="train_settings")
try:
    import json

    model_config = json.loads(settings_text) if settings_text.strip() else {}
    if not isinstance(model_config, dict):
        raise ValueError("not a JSON object")
except ValueError as exc:
    st.error(f"error: model settings {settings_text!r} are not a JSON object ({exc})")
    st.stop()
try:
    st.caption(f"Device in use: **{resolve_device(device)}**")
except Exception as exc:
    state.show_error(exc)
    st.stop()

job = st.session_state.get("train_job")
running = job is not None and not job.done
a, b = st.columns(2)
if a.button("Start training", type="primary", disabled=running, key="train_start"):
    out = folder / f"{model}-{dataset}-{time.strftime('%Y%m%d-%H%M%S')}"
    job = training.start(model, dataset, str(out), epochs=int(epochs), batch_size=int(batch_size),
                         lr=float(lr) or None, device=device, model_config=model_config)
    st.session_state.train_job = job
    running = True
if b.button("Stop", disabled=not running, key="train_stop"):
    job.stop = True


@st.fragment(run_every=1.0)
def progress():
    job = st.session_state.get("train_job")
    if job is None:
        st.caption("No training run in this session yet.")
        return
    state_text = "stopped" if job.done and job.stop else "finished" if job.done else "running"
    st.markdown(f"**{job.model}** on **{job.dataset}**: {state_text}, {len(job.epochs)} epoch(s), "
                f"{len(job.batches)} batch(es), {time.time() - job.started:.0f} s")
    if job.batches:
        st.line_chart(job.batches[-2000:], height=220)
    if job.epochs:
        st.dataframe(job.epochs, hide_index=True, width="stretch")
    if job.error:
        st.error(f"error: {job.error}")
    elif job.done and job.test is not None:
        st.success("Test scores: " + ", ".join(f"{k} {v:.4f}" for k, v in job.test.items()
                                               if isinstance(v, (int, float))))
        st.caption(f"Checkpoint: {job.out_dir}/best.ckpt")


progress()

st.subheader("Checkpoints")
runs = state.checkpoints(folder)
if not runs:
    st.caption(f"None yet in {folder}.")
for run in runs[:20]:
    st.markdown(f"- `{run.name}` ({(run / 'best.ckpt').stat().st_size / 1e3:.0f} kB)")
