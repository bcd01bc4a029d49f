# The two set-up commands of the README: `make demo` and `make test`.
# Both create the virtual environment on first use and install the package with what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: venv demo test lint typecheck unit fuzz bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/outcomes demo --out out --force

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: venv
	$(BIN)/mypy src

unit: venv
	$(BIN)/python -m pytest

test: lint typecheck unit

# The fuzz suite with the long hypothesis profile (`make test` runs it with the modest "ci" one).
fuzz: venv
	OUTCOMES_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py --durations=10

bench: venv
	$(BIN)/python -m pip install --quiet --disable-pip-version-check PHStatsMethods
	$(BIN)/python benchmarks/run.py

$(VENV)/.installed-docs: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[docs]'
	touch $@

docs: $(VENV)/.installed-docs
	$(BIN)/python docs/generate.py
	$(BIN)/python docs/make_notebook.py
	$(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) site out .pytest_cache .mypy_cache .ruff_cache
