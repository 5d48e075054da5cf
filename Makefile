# The two commands: `make run` starts the platform, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PACKAGES := libs/svckit libs/contracts services/crm services/parts services/reception \
            services/workshop services/quality services/training gateway
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)

.PHONY: run test demo install clean

run: install
	$(BIN)/python deploy/run.py

test: install
	$(BIN)/python -m pytest

demo: install
	$(BIN)/python deploy/demo.py

install: $(VENV)/.installed

$(VENV)/.installed: requirements/constraints.txt $(PYPROJECTS)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt \
		--config-settings editable_mode=compat $(foreach p,$(PACKAGES),-e $(p)) pytest testcontainers requests hypothesis
	@touch $@

clean:
	rm -rf $(VENV) var
