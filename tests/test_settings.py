import json
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


def _run_settings(code: str, env: dict, *, drop=(), drop_prefixes=()):
    """Run ``code`` after ``django.setup()`` in a fresh process whose environment is this
    one's without ``drop`` and the ``drop_prefixes`` variables, plus ``env``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in drop and not key.startswith(tuple(drop_prefixes))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT / "tests",  # away from a developer's .env
        env={**clean, "DJANGO_SETTINGS_MODULE": "convergence.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings_process(**env):
    return _run_settings(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env,
        drop={"SECRET_KEY", "DEBUG", "DATABASE_URL"},
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


def _default_storage_in(**env):
    """STORAGES["default"] as the settings build it from ``env`` (a fresh process)."""
    return _run_settings(
        "import json; from django.conf import settings; "
        "from django.core.files.storage import default_storage; "
        "print(json.dumps(settings.STORAGES['default'])); "
        "default_storage._setup(); print(type(default_storage._wrapped).__name__)",
        {"DEBUG": "0", "SECRET_KEY": "x", **env},
        drop={"SECRET_KEY", "DEBUG"},
        drop_prefixes=("AWS_", "STORAGE_"),
    )


def test_uploads_stay_on_the_file_system_by_default():
    result = _default_storage_in()
    assert result.returncode == 0, result.stderr
    config, storage_class = result.stdout.strip().splitlines()
    assert json.loads(config) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_class == "FileSystemStorage"


def test_the_s3_variables_select_a_private_s3_store():
    result = _default_storage_in(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="peta-konvergensi-bukti",
        AWS_S3_ENDPOINT_URL="https://minio.dinkes.example.go.id",
        AWS_S3_REGION_NAME="ap-southeast-3",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_LOCATION="/sigi/",
    )
    assert result.returncode == 0, result.stderr
    config, storage_class = result.stdout.strip().splitlines()
    config = json.loads(config)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage_class == "S3Storage"
    assert config["OPTIONS"] == {
        "bucket_name": "peta-konvergensi-bukti",
        "endpoint_url": "https://minio.dinkes.example.go.id",
        "region_name": "ap-southeast-3",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "location": "sigi",
        # Private objects, no signed or public URL: the scoped views serve every file.
        "default_acl": "private",
        "querystring_auth": False,
        "file_overwrite": False,
        "verify": True,
    }  # and no secret: boto3 reads the credentials from its own chain


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be filesystem or s3"),
        ({"STORAGE_BACKEND": "s3"}, "AWS_STORAGE_BUCKET_NAME must be set"),
        (
            {"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_VERIFY": "perhaps"},
            "AWS_S3_VERIFY must be one of",
        ),
        (
            {
                "STORAGE_BACKEND": "s3",
                "AWS_STORAGE_BUCKET_NAME": "b",
                "AWS_S3_ADDRESSING_STYLE": "x",
            },
            "AWS_S3_ADDRESSING_STYLE must be auto, path or virtual",
        ),
    ],
)
def test_a_bad_storage_setting_stops_the_start(env, message):
    result = _default_storage_in(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_every_storage_variable_is_documented():
    """Each variable the storage settings read is in .env.example and the deployment guide."""
    import re

    source = (ROOT / "convergence" / "settings.py").read_text()
    function = source.split("def _default_storage", 1)[1].split("\nSTORAGES = ", 1)[0]
    names = set(re.findall(r"env_(?:str|bool|int)\(\s*[\"']([A-Z0-9_]+)[\"']", function))
    assert {"STORAGE_BACKEND", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"} <= names
    example = (ROOT / ".env.example").read_text()
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for name in names | {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}:
        assert f"# {name}=" in example, name
        assert name in guide, name


def _tasks_backend_in(**env):
    """TASKS["default"]["BACKEND"] and the reports' background settings as the settings
    build them from ``env`` (a fresh process)."""
    return _run_settings(
        "from django.conf import settings; "
        "print(settings.TASKS['default']['BACKEND'], settings.REPORT_BACKGROUND_MIN_ACTORS, "
        "settings.REPORT_BUILD_KEEP_HOURS, settings.REPORT_PDF_BACKGROUND_MIN_ACTORS)",
        {"DEBUG": "0", "SECRET_KEY": "x", **env},
        drop={"SECRET_KEY", "DEBUG"},
        drop_prefixes=("TASKS_", "REPORT_"),
    )


def test_background_work_is_queued_in_the_database_by_default():
    result = _tasks_backend_in()
    assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", "120", "48", "40"]
    result = _tasks_backend_in(
        TASKS_BACKEND="Immediate",
        REPORT_BACKGROUND_MIN_ACTORS="0",
        REPORT_BUILD_KEEP_HOURS="6",
        REPORT_PDF_BACKGROUND_MIN_ACTORS="10",
    )
    assert result.stdout.split() == [
        "django_tasks.backends.immediate.ImmediateBackend",
        "0",
        "6",
        "10",
    ]


def test_a_bad_tasks_backend_stops_the_start():
    result = _tasks_backend_in(TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be database or immediate" in result.stderr


def test_every_background_variable_is_documented():
    example = (ROOT / ".env.example").read_text()
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for name in (
        "TASKS_BACKEND",
        "REPORT_BACKGROUND_MIN_ACTORS",
        "REPORT_PDF_BACKGROUND_MIN_ACTORS",
        "REPORT_BUILD_KEEP_HOURS",
    ):
        assert f"# {name}=" in example, name
        assert name in guide, name


def _cache_in(**env):
    return _run_settings(
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c.get('LOCATION', ''))",
        {"DEBUG": "0", "SECRET_KEY": "x", **env},
        drop={"SECRET_KEY", "DEBUG", "CACHE_URL"},
    )


def test_the_cache_is_local_unless_a_redis_is_named():
    result = _cache_in()
    assert result.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]
    result = _cache_in(CACHE_URL="redis://10.0.0.5:6379/1")
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.5:6379/1",
    ]
    result = _cache_in(CACHE_URL="memcached://10.0.0.5:11211")
    assert result.returncode != 0 and "CACHE_URL must be a Redis URL" in result.stderr
    assert "# CACHE_URL=" in (ROOT / ".env.example").read_text()
    assert "CACHE_URL" in (ROOT / "docs" / "deployment.md").read_text()
