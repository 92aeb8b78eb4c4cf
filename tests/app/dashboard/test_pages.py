"""Every dashboard page under Streamlit's AppTest, on a tiny store the tests build."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.dashboard.conftest import MAIN, PAGES

TIMEOUT = 60


def page(name: str, spec: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=TIMEOUT)
    at.session_state["store_spec"] = spec
    return at.run()


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_main_routes_to_explore(tiny_store):
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.session_state["store_spec"] = tiny_store
    at.run()
    no_errors(at)
    assert at.title[0].value == "Explore"


def test_missing_store_offers_the_sample(tmp_path):
    at = page("explore", str(tmp_path / "nothing"))
    no_errors(at)
    assert any(b.label == "Build the sample graph" for b in at.button)
    assert "There is no store" in at.info[0].value


def test_explore_search_expand_and_details(tiny_store):
    at = page("explore", tiny_store)
    no_errors(at)
    at.text_input(key="explore_text").input("hintn").run()  # fuzzy: a typo still finds him
    no_errors(at)
    assert at.selectbox(key="explore_pick").value.startswith("Geoffrey Hinton")
    assert at.subheader[0].value == "Geoffrey Hinton"
    neighbours = at.dataframe[0].value
    assert "Yann LeCun" in set(neighbours["entity"])
    before = _drawn(at)
    # Select a neighbour and expand it: the drawn neighbourhood grows.
    node_box = next(s for s in at.selectbox if s.label == "Node")
    node_box.set_value("Yann LeCun").run()
    no_errors(at)
    assert at.subheader[0].value == "Yann LeCun"
    at.button(key="explore_expand").click().run()
    no_errors(at)
    after = _drawn(at)
    assert after[0] > before[0] and after[2] == 2


def _drawn(at: AppTest) -> tuple[int, int, int]:
    """(nodes, edges, expanded) from the caption under the graph."""
    import re

    text = next(c.value for c in at.caption if "expanded node" in c.value)
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_query_returns_rows_and_csv(tiny_store):
    at = page("query", tiny_store)
    no_errors(at)
    at.selectbox(key="query_template").set_value("Entities with their labels").run()
    at.button(key="query_run").click().run()
    no_errors(at)
    rows = at.dataframe[0].value
    assert len(rows) > 10 and "Geoffrey Hinton" in set(rows["label"])
    assert at.get("download_button")


def test_query_syntax_error_is_a_message(tiny_store):
    at = page("query", tiny_store)
    at.text_area[0].input("SELECT ?x WHERE { ?x").run()
    at.button(key="query_run").click().run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("error:")


def test_path_finder_finds_a_path(tiny_store):
    at = page("query", tiny_store)
    at.text_input(key="path_from_text").input("Ian Goodfellow").run()
    at.text_input(key="path_to_text").input("Canada").run()
    at.button(key="path_run").click().run()
    no_errors(at)
    found = [m.value for m in at.markdown if "hop(s)" in m.value]
    assert found and "Ian Goodfellow" in found[0] and "Canada" in found[0]


TEXT = "Geoffrey Hinton worked at Google in Mountain View. Demis Hassabis founded DeepMind in London."


def test_extract_highlights_and_adds_to_graph(own_store):
    at = page("extract", own_store)
    no_errors(at)
    at.text_area(key="extract_text").input(TEXT).run()
    at.button(key="extract_run").click().run()
    no_errors(at)
    html = "".join(h.proto.body for h in at.get("html"))
    assert "Demis Hassabis" in html and "<mark" in html  # displaCy's entity marks
    triples = at.dataframe[0].value
    assert "found" in set(triples["relation"]) and "DeepMind" in set(triples["object"])
    at.button(key="extract_add").click().run()
    no_errors(at)
    assert at.success and at.success[0].value.startswith("Added 1 document")
    from kg.workspace import open_workspace

    with open_workspace(own_store, read_only=True) as ws:
        assert ws.resolver().lookup("Demis Hassabis")


def test_extract_refuses_too_much_text(tiny_store):
    from app.dashboard.state import MAX_UPLOAD_BYTES

    at = page("extract", tiny_store)
    at.text_area(key="extract_text").input("word " * (MAX_UPLOAD_BYTES // 5 + 1)).run()
    at.button(key="extract_run").click().run()
    assert not at.exception
    assert at.error and "over the" in at.error[0].value and "limit" in at.error[0].value
    assert not at.get("html")


def test_upload_checks():
    from app.dashboard.state import MAX_UPLOAD_BYTES, check_upload, upload_texts
    from kg.errors import KgnError

    assert check_upload("a.txt", 10) is None
    assert "type .pdf" in check_upload("a.pdf", 10)
    assert "limit" in check_upload("big.md", MAX_UPLOAD_BYTES + 1)
    assert upload_texts("d.jsonl", b'{"id": "x", "text": "Hi there."}\n') == [("d.jsonl#x", "Hi there.")]
    import pytest

    with pytest.raises(KgnError, match="line 1"):
        upload_texts("d.jsonl", b"not json\n")
    with pytest.raises(KgnError, match="UTF-8"):
        upload_texts("d.txt", b"\xff\xfe\x00")


def test_reason_mines_rules_and_lists_predictions(own_store):
    at = page("reason", own_store)
    no_errors(at)
    assert "No rules yet" in at.info[0].value
    at.number_input(key="reason_support").set_value(1)
    at.button(key="reason_mine").click().run()
    no_errors(at)
    rules = at.dataframe[0].value
    assert len(rules) > 0 and all("⇒" in r for r in rules["rule"])
    at.slider(key="reason_threshold").set_value(0.1).run()
    no_errors(at)
    facts = at.dataframe[1].value  # the editable table of predicted facts
    assert len(facts) > 0 and "fact" in facts.columns and not facts["accept"].any()
    assert any("⇒" in m.value for m in at.markdown)  # supporting rules and paths


def test_train_then_visualise(own_store):
    """Train a small CNN through the page (live curve, checkpoint listed), then see its confusion
    matrix and an embedding map on the Visualise page."""
    at = page("train", own_store)
    no_errors(at)
    assert "Device in use" in at.caption[0].value
    at.selectbox(key="train_model").set_value("cnn")
    at.selectbox(key="train_dataset").set_value("digits")
    at.text_input(key="train_settings").input('{"channels1": 4, "channels2": 8, "hidden": 16}')
    at.number_input(key="train_epochs").set_value(1).run()
    at.button(key="train_start").click().run()
    job = at.session_state["train_job"]
    job.thread.join(180)
    assert job.done and job.error is None, job.error
    assert job.batches and "loss" in job.batches[0] and len(job.epochs) == 1
    at.run()
    no_errors(at)
    listed = [m.value for m in at.markdown if "kB" in m.value]
    assert listed and Path(job.out_dir).name in listed[0]

    from click.testing import CliRunner

    from app.cli import cli

    res = CliRunner().invoke(cli, ["--store", str(own_store), "embed", "--model", "distmult", "--dim", "4",
                                   "--epochs", "1", "--device", "cpu", "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    at = page("visualise", own_store)
    no_errors(at)
    assert len(at.get("plotly_chart")) == 2  # the embedding map and the confusion matrix
    assert "Confusion matrix" in "".join(m.value for m in at.markdown)


def test_visualise_without_anything_says_so(tiny_store):
    at = page("visualise", tiny_store)
    no_errors(at)
    texts = [i.value for i in at.info]
    assert any("No embeddings yet" in t for t in texts) and any("No trained model yet" in t for t in texts)
