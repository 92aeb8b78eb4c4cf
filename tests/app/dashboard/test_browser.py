"""The dashboard in a real browser: `kgn app` on a loopback port, Chromium driven by Playwright.

Visits every page, runs a query and a path search, refuses an upload that is too big, and sees a
document that a separate `kgn extract` process writes while the dashboard runs. Screenshots are
saved under the test's tmp dir (printed; kept by pytest as artifacts).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.app.dashboard.conftest import ROOT, build_store

CHROMIUM = "/usr/bin/chromium"
KGN = str(Path(sys.executable).with_name("kgn"))
WAIT_MS = 120_000  # one interaction on a loaded machine (first use imports spaCy or torch)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [out.get("PYTHONPATH")])])
    return out


@pytest.fixture()
def dashboard(tmp_path):
    spec = build_store(tmp_path)
    port = free_port()
    log = open(tmp_path / "app.log", "w")
    proc = subprocess.Popen([KGN, "--store", spec, "app", "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, env=env(), cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "app.log").read_text()
            assert time.time() < deadline, "dashboard did not start"
            time.sleep(0.3)
        yield url, spec
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_dashboard_in_chromium(dashboard, tmp_path):
    url, spec = dashboard
    shots = tmp_path / "screenshots"
    shots.mkdir()
    doc = tmp_path / "curie.txt"
    doc.write_text("Marie Curie worked at the University of Paris. Marie Curie was born in Warsaw.\n")
    # A separate writer while the dashboard serves: it waits for the dashboard's short reads.
    writer = subprocess.Popen([KGN, "--store", spec, "extract", str(doc)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env(), text=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        expect.set_options(timeout=WAIT_MS)

        def visit(path: str, title: str):
            page.goto(f"{url}/{path}")
            expect(page.get_by_role("heading", name=title).first).to_be_visible()

        # Explore: search with a typo, the neighbourhood graph and the details appear.
        visit("", "Explore")
        box = page.get_by_label("Entity", exact=True)
        box.fill("hintn")
        box.press("Enter")
        expect(page.get_by_role("heading", name="Geoffrey Hinton")).to_be_visible()
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        page.screenshot(path=str(shots / "explore.png"), full_page=True)

        # Query: a template query returns rows; then a path search draws a path.
        visit("query", "Query")
        page.get_by_role("button", name="Run query").click()
        expect(page.get_by_text("row(s)")).to_be_visible()
        page.get_by_role("tab", name="Paths").click()
        for label, name in (("From", "Ian Goodfellow"), ("To", "Canada")):
            field = page.get_by_label(label, exact=True)
            field.fill(name)
            field.press("Enter")
            expect(page.get_by_label(f"{label}: match", exact=False).first).to_be_visible()
        page.get_by_role("button", name="Find paths").click()
        expect(page.get_by_text("hop(s)").first).to_be_visible()
        page.screenshot(path=str(shots / "query-paths.png"), full_page=True)

        # Extract: an upload over the size limit is refused with a message.
        visit("extract", "Extract")
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "big.txt", "mimeType": "text/plain", "buffer": b"word " * 500_000}])
        # The click must come after the upload has reached the server (a cold first run raced it).
        expect(page.get_by_text("big.txt").first).to_be_visible()
        page.get_by_role("button", name="Extract", exact=True).click()
        expect(page.get_by_text("limit per file")).to_be_visible()
        page.screenshot(path=str(shots / "extract-refused.png"), full_page=True)

        for path, title in (("reason", "Reason"), ("train", "Train"), ("visualise", "Visualise")):
            visit(path, title)
            page.screenshot(path=str(shots / f"{path}.png"), full_page=True)

        # The separate writer has finished: its document is now in the dashboard.
        out, _ = writer.communicate(timeout=180)
        assert writer.returncode == 0, out
        visit("", "Explore")
        box = page.get_by_label("Entity", exact=True)
        box.fill("Marie Curie")
        box.press("Enter")
        expect(page.get_by_role("heading", name="Marie Curie")).to_be_visible()
        expect(page.get_by_text("curie.txt").first).to_be_attached()  # provenance (a grid cell): its document
        page.screenshot(path=str(shots / "explore-new-document.png"), full_page=True)
        browser.close()
    print(f"screenshots: {shots}")
