# Two commands do all the set-up themselves:
#   make app   - build .venv if needed, then run the main job: the dashboard on the embedded store
#   make demo  - the command-line demo on the same store
#   make test  - build .venv if needed, then run the test suite
# .venv is rebuilt only when pyproject.toml changes (the stamp file tracks it).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kgn-installed
# torch==2.13.0 is a CPU wheel on this project's machines; elsewhere set TORCH='torch>=2.4'
# (or a CUDA/ROCm build) to taste. It is installed first so that nothing pulls another build.
TORCH  ?= torch==2.13.0

.PHONY: venv app demo test bench-store clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install -q --disable-pip-version-check "$(TORCH)"
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

app: $(STAMP)
	$(BIN)/kgn --store $${KGN_STORE:-./kgn-data/store} app $(if $(PORT),--port $(PORT))

demo: $(STAMP)
	$(BIN)/kgn --store $${KGN_STORE:-./kgn-data/store} demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench-store: $(STAMP)
	$(BIN)/python bench/store_bench.py

clean:
	rm -rf $(VENV) kgn-data build *.egg-info
