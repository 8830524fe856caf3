"""A pytest plugin for `make mutation` only (pyproject: [tool.mutmut] pytest_add_cli_args; docs/testing.md).

mutmut forks one test run per mutant, two at a time, from a process that has already read the settings.
Two things make that fast and correct here:

- A database per run. Every child would otherwise share the test database named when the settings were
  first read, and two children would create and destroy each other's. The runs without a mutant (mutmut's
  coverage pass and clean run) migrate one SQLite file once and keep it (--reuse-db); each mutant's run
  starts from a copy of it, so it pays a file copy rather than every migration, and removes its copy after.
- Each module's own unit tests, named once below. The mutation run hands pytest whole test folders and
  this plugin keeps only these modules (so a new test_workflow_*.py joins without a config change). And
  mutmut runs, for a mutant, every kept test that reached the function it changed: the workflow tests
  reach the schema engine through the factories, and would make each schema mutant wait for a dozen
  database tests. A mutant of a module is judged by that module's own tests.
- No remembered answers. calls/schema/values.py keeps its parses (functools.lru_cache); a child forked
  after the clean run inherits answers computed without the mutant, and a mutant inside a parse would
  never run. Each mutant's run forgets what the mutated app's modules remember.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

# The tests that judge each mutated module, as path prefixes from the project root.
UNIT_TESTS = {
    "calls.schema.": (
        "calls/tests/test_values",
        "calls/tests/test_rules",
        "calls/tests/test_check",
        "calls/tests/test_schema.py",
    ),
    "applications.workflow.": ("applications/tests/test_workflow", "reviews/tests/test_workflow"),
    "accounts.scoping.": ("accounts/tests/test_scoping", "tests/test_visibility_matrix"),
}
EVERY_UNIT_TEST = tuple(prefix for prefixes in UNIT_TESTS.values() for prefix in prefixes)
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _mutant():
    """The mutant this run tests ("calls.schema.values.x_check__mutmut_3"), or "" for runs without one."""
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    return name if "__mutmut_" in name else ""


def _template():
    from django.conf import settings

    return Path(settings.VAR_DIR) / "test-mutation.sqlite3"


def _own_copy():
    return _template().with_name(f"test-mutation-{os.getpid()}.sqlite3")


def pytest_configure(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if len(settings.DATABASES) > 1 or not database["ENGINE"].endswith("sqlite3"):
        raise pytest.UsageError("make mutation runs on the default SQLite database; unset DATABASE_URL.")
    if not config.getoption("reuse_db"):
        raise pytest.UsageError("tests.mutation_databases needs --reuse-db to keep its template database.")
    template = _template()
    if not _mutant():
        database.setdefault("TEST", {})["NAME"] = template
        return
    copy = _own_copy()
    database.setdefault("TEST", {})["NAME"] = copy
    # The template's last changes may still be in its write-ahead log: copy both, and SQLite replays it.
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{copy}{suffix}")


def pytest_sessionstart(session):
    app = _mutant().partition(".")[0]
    if not app:
        return
    for name, module in list(sys.modules.items()):
        if name == app or name.startswith(f"{app}."):
            for value in list(vars(module).values()):
                # A kept function is the cache itself, or a wrapper holding it (calls.schema.values._kept).
                closure = getattr(value, "__closure__", None) or ()
                for candidate in (value, *(cell.cell_contents for cell in closure)):
                    if callable(getattr(candidate, "cache_clear", None)):
                        candidate.cache_clear()


def pytest_unconfigure(config):
    if _mutant():
        for suffix in SQLITE_SUFFIXES:
            Path(f"{_own_copy()}{suffix}").unlink(missing_ok=True)


def pytest_collection_modifyitems(config, items):
    module = _mutant().rpartition(".")[0] + "."
    prefixes = next((tests for name, tests in UNIT_TESTS.items() if module.startswith(name)), EVERY_UNIT_TEST)
    kept = [item for item in items if item.nodeid.startswith(prefixes)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if not item.nodeid.startswith(prefixes)])
        items[:] = kept
