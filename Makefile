# The two commands a new user needs (see README): `make demo` and `make test`.
# Both set up the environment first; setup is idempotent.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.deid-setup-done
BASE := models/base/smollm2-135m-instruct/model.safetensors

.PHONY: setup demo test test-fast clean-setup

$(STAMP): pyproject.toml scripts/setup.sh
	PY=$(PY) bash scripts/setup.sh
	touch $(STAMP)

$(BASE): $(STAMP)
	$(BIN)/deid models prepare

setup: $(STAMP) $(BASE)

demo: setup
	bash scripts/demo.sh

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not spark"

clean-setup:
	rm -rf $(VENV)
