# shenbao: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: run serve install install-test system-deps browser-deps test test-postgres lint format clean bench

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
# drive Debian's Chromium (never a downloaded browser), read PDFs back with poppler-utils and start a
# private redis-server for the scale-out tests (tests/scaleout, tests/browser/test_two_servers.py).
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_TEST := chromium poppler-utils redis-server

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

test: install-test browser-deps
	$(BIN)/pytest

test-postgres: install-test browser-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

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

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
