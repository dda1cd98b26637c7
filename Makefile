# The course's two commands: `make lab` opens the course, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test tools lint bench notebooks clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/k8scourse lab

# What the tests drive besides Python: Chromium for the browser test, kubectl for `k8scourse serve`.
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
tools:
	@command -v chromium >/dev/null || (apt-get update -qq && $(APT_INSTALL) chromium chromium-driver)
	@command -v kubectl >/dev/null || (apt-get update -qq && $(APT_INSTALL) kubernetes-client)

test: $(STAMP) tools
	$(BIN)/ruff check k8scourse tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest

# Re-execute every notebook in place (after a change to the simulator changes their outputs).
notebooks: $(STAMP)
	for nb in notebooks/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_apiserver.py

clean:
	rm -rf $(VENV)
