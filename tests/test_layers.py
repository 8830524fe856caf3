"""The layers contract (.importlinter, docs/architecture.md) bites: lint-imports, run on a copy of the apps'
Python files, accepts them as they are and refuses one import that climbs a layer or crosses to a sibling,
even from inside a function."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def root_packages():
    config = configparser.ConfigParser()
    config.read(CONFIG)
    return config["importlinter"]["root_packages"].split()


@pytest.fixture
def project(tmp_path):
    """The root packages' Python files and the contract, copied: a test may change the copy, never the tree."""
    for package in root_packages():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=_not_python)
    shutil.copy(CONFIG, tmp_path / ".importlinter")
    return tmp_path


def _not_python(directory, names):
    return [name for name in names if not name.endswith(".py") and not Path(directory, name).is_dir()]


def lint(project):
    # lint-imports finds the packages from its working directory, without importing them.
    result = subprocess.run(  # noqa: S603 (the venv's own lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )
    return result.returncode, result.stdout + result.stderr


def add_function_import(path, statement):
    with path.open("a", encoding="utf-8") as module:
        module.write(f"\n\ndef _reaches_out():\n    {statement}  # noqa: F401\n")


def test_the_apps_keep_their_layers(project):
    status, output = lint(project)
    assert status == 0, output


def test_a_lower_app_may_not_import_a_higher_one_even_inside_a_function(project):
    add_function_import(project / "accounts" / "models.py", "from reviews import models")
    status, output = lint(project)
    assert status != 0
    assert "accounts.models -> reviews.models" in output


def test_siblings_in_a_layer_may_not_import_each_other(project):
    add_function_import(project / "audit" / "log.py", "from notifications import service")
    status, output = lint(project)
    assert status != 0
    assert "audit.log -> notifications.service" in output


def test_settings_import_no_app(project):
    add_function_import(project / "shenbao" / "settings.py", "from shenbao.lib import forms")
    status, output = lint(project)
    assert status != 0
    assert "shenbao.settings -> shenbao.lib.forms" in output


def test_a_test_module_may_import_any_app(project):
    add_function_import(project / "audit" / "tests" / "test_chain.py", "from portal import views")
    status, output = lint(project)
    assert status == 0, output
