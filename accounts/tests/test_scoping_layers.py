"""Scoping sits in accounts, below the apps whose objects it rules on, and must stay there: of the project it
imports only its own app and the layers below it (reference data, messages, the audit log, the security
policy, the shared helpers: docs/architecture.md), not even inside a function, and it does not fetch models
by name either, which would only hide the import. import-linter checks the layers across the project
(`make lint`); this test also catches `get_model`."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from accounts import scoping

MAY_IMPORT = {"accounts", "security", "backups", "audit", "notifications", "regions", "shenbao"}


def other_project_apps():
    # The project's apps are the packages at its top (a virtualenv inside it holds Django's own).
    project = Path(settings.BASE_DIR).resolve()
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).resolve().parent == project}
    return ours - MAY_IMPORT


def imported_packages(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def scoping_source():
    return ast.parse(Path(scoping.__file__).read_text())


def test_the_apps_scoping_rules_on_are_among_those_it_may_not_import():
    # Guards the next test against passing because it found no app to forbid.
    assert {"calls", "applications", "reviews", "documents", "dashboards", "portal"} <= other_project_apps()


def test_scoping_imports_no_other_project_app_anywhere_in_the_module():
    assert set(imported_packages(scoping_source())) & other_project_apps() == set()


def test_scoping_fetches_no_model_by_name():
    tree = scoping_source()
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not names & {"get_model", "get_models", "import_module", "__import__"}
