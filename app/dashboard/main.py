"""The dashboard's entry file (``kgn app`` runs ``streamlit run`` on it): it only routes."""

from pathlib import Path

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
