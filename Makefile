# Replikasi: `make run` starts the product with demo data, `make test` runs the whole suite.
# Only Python 3.11+ and make are needed; everything else comes from the locked requirements.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)

.PHONY: setup run test lint lock manage messages schema bench bench-reminders bench-import bench-dashboards bench-load bench-burst clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

run: setup
	$(BIN)/python scripts/stack.py run

test: setup
	$(BIN)/python scripts/stack.py test $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate requirements.lock from pyproject.toml (needs network access to the package index).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--output-file requirements.lock pyproject.toml

# Any manage.py command against the same services: make manage ARGS="createsuperuser"
manage: setup
	$(BIN)/python scripts/stack.py manage $(ARGS)

# Refresh the English catalogue from the source and compile it (needs GNU gettext).
messages: setup
	$(BIN)/python scripts/stack.py manage makemessages -l en --no-obsolete --no-location --ignore "tests/*" --ignore ".venv/*" --ignore ".data/*"
	$(BIN)/python scripts/stack.py manage compilemessages -l en -l id

# Regenerate the committed OpenAPI schema (tests/api/test_schema.py fails while it is stale).
schema: setup
	$(BIN)/python scripts/stack.py manage spectacular --validate --fail-on-warn --file openapi.yaml

# Fill a separate database with 100,000 innovations and measure the public pages.
bench: setup
	$(BIN)/python scripts/stack.py manage bench_bank $(ARGS)

# Fill a separate database with a million proposals and milestones and time the reminder sweep.
bench-reminders: setup
	$(BIN)/python scripts/stack.py manage bench_reminders $(ARGS)

# Import a 10,000-row spreadsheet of realistic innovations into a separate database and time it.
bench-import: setup
	$(BIN)/python scripts/stack.py manage bench_import $(ARGS)

# Fill a separate database with a national programme (50,000 proposals) and time the dashboards.
bench-dashboards: setup
	$(BIN)/python scripts/stack.py manage bench_dashboards $(ARGS)

# Browse the production server (gunicorn, DEBUG off) with 50 clients for two minutes.
bench-load: setup
	$(BIN)/python scripts/stack.py manage bench_load $(ARGS)

# Every regency creates and submits a proposal within one minute through the production server's API.
bench-burst: setup
	$(BIN)/python scripts/stack.py manage bench_burst $(ARGS)

clean:
	rm -rf $(VENV) .data

# Load the judged relevance set into a separate database and score the search against a plain peer.
relevance: setup
	$(BIN)/python scripts/stack.py manage relevance $(ARGS)
