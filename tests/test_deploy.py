"""The production settings: `manage.py check --deploy` reports nothing with DEBUG off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7Qz-3vN_pX9wR2mT8yL5bH4cJ6dF1gS0aE7uI9oP3lK2jM8nB5vC4xZ6qW1rY0t",
    "ALLOWED_HOSTS": "peta.dinkes.example.go.id",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def run_check(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "STATIC_MANIFEST",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own thread
        }
    }
    env.update(PRODUCTION, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_debug_off():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_hardening_is_switched_off():
    result = run_check(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
