import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from convergence.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert env_bool("SOME_FLAG") is True


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("SOME_INT", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_INT", 1)
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,")
    assert env_list("SOME_LIST") == ["a.example", "b.example"]


def _settings_process(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "tests",  # away from a developer's .env
        env={**clean, "DJANGO_SETTINGS_MODULE": "convergence.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_process(DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_database_url_picks_the_database():
    result = _settings_process(
        DEBUG="0", SECRET_KEY="x", DATABASE_URL="postgres://u@127.0.0.1:5432/db"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"
    result = _settings_process(DEBUG="0", SECRET_KEY="x")
    assert result.stdout.strip() == "django.db.backends.sqlite3"
