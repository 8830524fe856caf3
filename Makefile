# shenbao: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt

.PHONY: run serve install install-test system-deps browser-deps test test-postgres lint format clean

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
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "打开 http://127.0.0.1:8000 （Ctrl+C 停止） Open http://127.0.0.1:8000 (Ctrl+C stops)"
	$(MANAGE) runserver 127.0.0.1:8000

# Debian packages the project needs, installed with apt-get when missing (as root):
# PDFs need Pango and the Noto CJK fonts (宋体/黑体-style, embedded in every PDF); the tests also
# drive Debian's Chromium (never a downloaded browser) and read PDFs back with poppler-utils.
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_TEST := chromium poppler-utils

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

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
