# rcmmatrix: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := build/demo
N ?= 2000

.PHONY: demo test lint bench bench-smoke samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/rcmmatrix init $(DEMO) --round 2016 --deadline 2016-07-22
	$(BIN)/rcmmatrix -w $(DEMO) round add 2017 --opens 2017-06-21 --deadline 2017-07-21
	$(BIN)/rcmmatrix -w $(DEMO) members
	$(BIN)/rcmmatrix -w $(DEMO) template --all --round 2016 -o $(DEMO)/outbox_2016
	$(BIN)/rcmmatrix -w $(DEMO) members set GTM --name "Ana Pérez (ilustrativo)" --email enlace.gtm@example.org
	$(BIN)/rcmmatrix -w $(DEMO) round extend NIC --until 2017-08-15
	$(BIN)/rcmmatrix -w $(DEMO) ingest sample_data/2016 --round 2016 --received 2016-07-15
	@echo "--- 2017: Honduras' file has deliberate mistakes, so this ingest exits 1 (expected) ---"
	-$(BIN)/rcmmatrix -w $(DEMO) ingest sample_data/2017 --round 2017 --received 2017-07-15 --feedback $(DEMO)/feedback
	$(BIN)/rcmmatrix -w $(DEMO) ingest sample_data/2017_late --round 2017 --received 2017-07-27
	$(BIN)/rcmmatrix -w $(DEMO) history HND
	$(BIN)/rcmmatrix -w $(DEMO) template --all --round 2017 -o $(DEMO)/outbox_2017
	$(BIN)/rcmmatrix -w $(DEMO) gaps --as-of 2017-07-28 --reminders $(DEMO)/reminders
	@if [ -f ../shared/data/data_glotip.xlsx ]; then \
	  $(BIN)/rcmmatrix -w $(DEMO) stats import-unodc ../shared/data/data_glotip.xlsx && \
	  $(BIN)/rcmmatrix -w $(DEMO) stats --source both --years 2010-2021 --lang es -o $(DEMO)/estadisticas_2017.html -o $(DEMO)/estadisticas_2017.xlsx; \
	else echo "(../shared/data/data_glotip.xlsx absent: UNODC reference figures skipped)"; \
	  $(BIN)/rcmmatrix -w $(DEMO) stats --lang es -o $(DEMO)/estadisticas_2017.html; fi
	$(BIN)/rcmmatrix -w $(DEMO) compare --matrix all --lang es --since 2016 -o $(DEMO)/matrices_2017.xlsx -o $(DEMO)/matrices_2017.html
	$(BIN)/rcmmatrix -w $(DEMO) compare --matrix all --lang en --since 2016 -o $(DEMO)/matrices_2017_en.xlsx -o $(DEMO)/matrices_2017_en.html
	$(BIN)/rcmmatrix -w $(DEMO) scores --since 2016 --lang es -o $(DEMO)/cumplimiento_2017.xlsx -o $(DEMO)/cumplimiento_2017.html
	@echo "Demo workspace: $(DEMO) (illustrative sample data, not an assessment of any country's law)"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

samples: $(STAMP)
	$(BIN)/python sample_data/make_samples.py

clean:
	rm -rf build dist $(VENV)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py -n $(N)

bench-smoke: $(STAMP)
	$(BIN)/python benchmarks/bench.py -n 50 --work build/bench-smoke
