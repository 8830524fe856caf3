# shenbao: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: run serve install install-test browser-deps test test-postgres lint format clean

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

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "打开 http://127.0.0.1:8000 （Ctrl+C 停止） Open http://127.0.0.1:8000 (Ctrl+C stops)"
	$(MANAGE) runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium (never a downloaded browser) and need a CJK font.
browser-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing $$missing with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "浏览器测试需要：$$missing。请以 root 运行 apt-get install $$missing"; \
			echo "Browser tests need: $$missing. Install them with: sudo apt-get install $$missing"; \
			exit 1; \
		fi; \
	fi

test: install-test browser-deps
	$(BIN)/pytest

test-postgres: install-test browser-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
