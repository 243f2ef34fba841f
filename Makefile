# The two commands of the README: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= warehouse/imc.duckdb
PORT ?= 8501

.PHONY: run test lint format bench demo browser-deps clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(DB): | $(STAMP)
	IMC_DB=$(DB) $(PY) -m etl demo --db $(DB)

demo: $(STAMP)
	IMC_DB=$(DB) $(PY) -m etl demo --db $(DB)

run: $(STAMP) $(DB)
	IMC_DB=$(DB) $(PY) -m streamlit run server.py --server.port $(PORT) --server.headless true

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy etl warehouse auth ru reports demo cli
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(DB)
