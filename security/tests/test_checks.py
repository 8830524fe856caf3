"""The environment's security-policy defaults are checked against the same 等保 三级 bounds as the
安全管理员's form when any management command starts (not only `check --deploy`)."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.checks import Warning
from django.db import OperationalError

from security.checks import no_superuser_in_production, policy_defaults_in_bounds
from security.models import BOUNDS, SecurityPolicy

ROOT = Path(__file__).resolve().parents[2]


def test_the_defaults_shipped_are_in_bounds():
    assert policy_defaults_in_bounds(None) == []


@pytest.mark.parametrize(
    ("setting", "value", "env"),
    [
        ("SHENBAO_LOGIN_FAILURE_LIMIT", 1, "SHENBAO_LOGIN_FAILURE_LIMIT"),
        ("SHENBAO_LOCKOUT_MINUTES", 5, "SHENBAO_LOCKOUT_MINUTES"),
        ("SESSION_IDLE_TIMEOUT", timedelta(minutes=600), "SESSION_IDLE_MINUTES"),
        ("SHENBAO_PASSWORD_MAX_AGE_DAYS", 1, "SHENBAO_PASSWORD_MAX_AGE_DAYS"),
        ("SHENBAO_PASSWORD_HISTORY", 1, "SHENBAO_PASSWORD_HISTORY"),
        ("SHENBAO_UPLOAD_MAX_BYTES", 500 * 1024 * 1024, "SHENBAO_UPLOAD_MAX_MB"),
    ],
)
def test_a_default_outside_the_bounds_is_an_error_naming_the_variable(settings, setting, value, env):
    setattr(settings, setting, value)
    (error,) = policy_defaults_in_bounds(None)
    assert error.id == "security.E002" and error.is_serious()
    assert error.msg.startswith(env + "=")


def test_the_model_validators_and_the_check_share_one_table():
    for name, bound in BOUNDS.items():
        limits = sorted(
            v.limit_value for v in SecurityPolicy._meta.get_field(name).validators if hasattr(v, "limit_value")
        )
        assert limits[:1] == [bound.low] and limits[-1:] == [bound.high]


def test_manage_py_check_refuses_to_start_with_an_out_of_range_default():
    env = {**os.environ, "SHENBAO_LOGIN_FAILURE_LIMIT": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "SHENBAO_LOGIN_FAILURE_LIMIT=1" in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("message", "expected"),
    [('relation "accounts_user" does not exist', []), ("no such table: accounts_user", [])],
)
def test_the_superuser_check_skips_only_a_database_without_tables(settings, monkeypatch, message, expected):
    settings.PRODUCTION = True
    monkeypatch.setattr("django.db.models.query.QuerySet.__iter__", _raise(OperationalError(message)))
    assert no_superuser_in_production(None) == expected


def test_the_superuser_check_warns_when_the_database_cannot_be_read(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr("django.db.models.query.QuerySet.__iter__", _raise(OperationalError("connection refused")))
    (warning,) = no_superuser_in_production(None)
    assert isinstance(warning, Warning) and warning.id == "security.W001"


def _raise(exc):
    def iterate(self):
        raise exc

    return iterate
