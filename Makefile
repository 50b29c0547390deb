# The two entry points of the README: `make demo` and `make test`. Both create .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck clean bench bench-mt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The whole pipeline on the sample issue, into output/.
demo: $(STAMP)
	$(BIN)/translate-flow extract
	$(BIN)/translate-flow update
	$(BIN)/translate-flow build
	-$(BIN)/translate-flow check
	$(BIN)/translate-flow memory export -l ru -o output/memory-ru.tmx
	@echo "open output/index.html (Russian edition: output/ru/2009-12/index.html)"

test: $(STAMP) lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/update.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/memory.py

# Machine translation throughput (builds a base-size model once into build/bench/).
bench-mt: $(STAMP)
	$(BIN)/python bench/mt.py

clean:
	rm -rf $(VENV) output .translate-flow .pytest_cache .mypy_cache .ruff_cache
