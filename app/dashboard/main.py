"""The dashboard's entry file (``kgn app`` runs ``streamlit run`` on it): it only routes."""

from pathlib import Path

# Imported here, once, before any page runs: Streamlit runs a new interaction's script while the
# old one is being stopped, and two threads importing pandas (through Plotly) at the same time
# fail with "partially initialized module".
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="kgn", layout="wide")
navigation = st.navigation([
    st.Page(PAGES / "explore.py", title="Explore", icon=":material/hub:", default=True),
    st.Page(PAGES / "query.py", title="Query", icon=":material/search:"),
    st.Page(PAGES / "extract.py", title="Extract", icon=":material/description:"),
    st.Page(PAGES / "reason.py", title="Reason", icon=":material/psychology:"),
    st.Page(PAGES / "train.py", title="Train", icon=":material/model_training:"),
    st.Page(PAGES / "visualise.py", title="Visualise", icon=":material/insights:"),
])
navigation.run()
