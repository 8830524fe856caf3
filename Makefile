# shenbao: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: run serve install install-test system-deps browser-deps test test-postgres test-two-servers lint format clean bench mutation

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "需要 Python 3.11 或更高版本 (Python 3.11+ is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements/base.txt requirements/constraints.txt
	$(PIP_INSTALL) -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP_INSTALL) -r requirements/test.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install system-deps
	@# First, so no command warns that official PDFs cannot be signed (documents.W001).
	$(MANAGE) make_signing_certificate
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "打开 http://127.0.0.1:8000 （Ctrl+C 停止） Open http://127.0.0.1:8000 (Ctrl+C stops)"
	@# The document worker (汇总表 PDF and other slow exports, the signed official PDFs; docs/documents.md)
	@# runs beside the server.
	$(MANAGE) run_document_jobs & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:8000

# Debian packages the project needs, installed with apt-get when missing (as root):
# PDFs need Pango and the Noto CJK fonts (宋体/黑体-style, embedded in every PDF); the tests also
# drive Debian's Chromium (never a downloaded browser), read PDFs back with poppler-utils, open the DOCX and
# XLSX in LibreOffice and read the printed QR codes with zbarimg (tests/office.py, tests/test_office_rendering.py,
# test_workbook_import.py), and start a private redis-server for the scale-out tests (tests/scaleout,
# tests/browser/test_two_servers.py).
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_TEST := chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui zbar-tools redis-server

define apt_ensure
	@missing=""; for pkg in $(1); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing$$missing with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "缺少系统软件包：$$missing。请以 root 运行 apt-get install$$missing"; \
			echo "Missing Debian packages:$$missing. Install them with: sudo apt-get install$$missing"; \
			exit 1; \
		fi; \
	fi
endef

system-deps:
	$(call apt_ensure,$(APT_RUNTIME))

browser-deps: system-deps
	$(call apt_ensure,$(APT_TEST))
	@[ -x "$(CHROMIUM)" ] || { echo "未找到 Chromium：$(CHROMIUM)"; exit 1; }

# The suite runs on every core (pytest-xdist; worksteal evens out the slow browser tests) and measures branch
# coverage of the apps (pyproject.toml [tool.coverage]). The run fails below COVERAGE_FLOOR, and below
# CORE_COVERAGE_FLOOR on the modules every page relies on: scoping, the workflow and the schema engine. Floors
# are the measured figures rounded down: raise them when coverage rises, never lower them to pass.
# A plain `pytest path/to/test_x.py` stays serial and unmeasured (docs/testing.md).
COVERAGE_FLOOR := 92
CORE_COVERAGE_FLOOR := 94
CORE_MODULES := accounts/scoping.py,applications/workflow.py,calls/schema/*
PYTEST_SUITE := $(BIN)/pytest -n auto --dist worksteal --ignore=tests/browser/test_two_servers.py \
	--cov --cov-report=term-missing:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
CORE_COVERAGE := $(BIN)/coverage report --include='$(CORE_MODULES)' --no-skip-covered --fail-under=$(CORE_COVERAGE_FLOOR)
POSTGRES_URL := postgres://postgres@127.0.0.1:5432/test

test: install-test browser-deps
	$(PYTEST_SUITE)
	$(CORE_COVERAGE)

test-postgres: install-test browser-deps
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(PYTEST_SUITE)
	$(CORE_COVERAGE)

# Two gunicorn servers sharing one PostgreSQL database, Redis and an S3-compatible bucket, one browser
# alternating between them (tests/browser/test_two_servers.py, docs/deployment.md). Run on its own: it starts
# five processes and is left out of the parallel runs above. A missing prerequisite (PostgreSQL, redis-server,
# gunicorn, Chromium) fails it here rather than skipping it.
test-two-servers: install-test browser-deps
	SHENBAO_REQUIRE_TWO_SERVERS=1 DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} \
		$(BIN)/pytest tests/browser/test_two_servers.py

# The benchmarks (docs/performance.md): each prints its table; nothing is asserted. The load runs start
# gunicorn on loopback and need the load generator of requirements/bench.txt. PostgreSQL runs use
# BENCH_DATABASE_URL, a database the benchmarks create and drop (its name must start with bench_);
# `make bench BENCH_DATABASE_URL=` skips them. Takes about 30 minutes on 2 cores.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_load

$(VENV)/.installed-bench: $(VENV)/.installed requirements/bench.txt
	$(PIP_INSTALL) -r requirements/bench.txt
	@touch $@

bench: $(VENV)/.installed-bench system-deps
	$(BIN)/python bench/validation.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/official_documents.py
	$(BIN)/python bench/pinning.py
	$(BIN)/python bench/summary.py
	$(BIN)/python bench/reviews.py
	$(BIN)/python bench/data.py
	$(BIN)/python bench/autosave_load.py
	$(BIN)/python bench/submission_burst.py
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then \
		$(BIN)/python bench/data.py --database-url "$(BENCH_DATABASE_URL)" && \
		$(BIN)/python bench/autosave_load.py --database-url "$(BENCH_DATABASE_URL)" && \
		$(BIN)/python bench/submission_burst.py --database-url "$(BENCH_DATABASE_URL)"; \
	fi

# Mutation testing (docs/testing.md) of the rules deciding who sees, does and submits what: accounts/scoping.py,
# applications/workflow.py and the schema engine's values, rules and checks ([tool.mutmut] in pyproject.toml).
# mutmut changes one operator or constant at a time in a copy under mutants/ and runs those modules' own unit
# tests against each change; a change no test notices survives. Starts afresh, on SQLite, two at a time, and
# prints each module's counts. About 75 minutes on a 2-core machine shared with other jobs; not in `make test` or CI.
mutation: install-test
	rm -rf mutants
	env -u DATABASE_URL $(BIN)/mutmut run --max-children 2
	@echo "Mutants by module and outcome (docs/testing.md lists the equivalent survivors):"
	@$(BIN)/mutmut results --all true | sed -E 's/^ *//; s/\.x[_ǁ][^:]*:/:/' | sort | uniq -c

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The apps' layers (.importlinter, docs/architecture.md): no upward or two-way import between apps.
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	@# Types (pyproject.toml [tool.mypy], with django-stubs): the apps holding the rules, their tests included.
	$(BIN)/mypy calls accounts applications reviews

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.*
