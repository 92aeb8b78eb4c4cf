"""Every dashboard page under Streamlit's AppTest, on a tiny store the tests build."""

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
