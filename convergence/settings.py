"""Settings for Peta Konvergensi, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from convergence.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's .env (copied from .env.example by `make run`); the real environment wins.
load_dotenv(BASE_DIR / ".env", override=False)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    # Only for a developer's machine: DEBUG is on, nothing here is served to the public.
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "convergence",
    # Before accounts, whose admin replaces knox's token admin.
    "knox",
    "accounts",
    "actors",
    "assessments",
    "insights",
    "followup",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "imports",
    "reports",
    "partners",
    # Background report builds: Django's task framework (the backport on Django 5.2) and
    # its database queue.
    "django_tasks",
    "django_tasks_db",
    # Not the product: the demo data (seed_demo) and the benchmark commands.
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Slow office links: a 100-actor matrix is ~900 KiB of HTML and ~60 KiB gzipped.
    # CSRF tokens are masked per response, which defeats BREACH-style guessing.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything reads the database for the request (the session, the user).
    "convergence.replica.ReplicaRoutingMiddleware",
    "convergence.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it needs the user and answers locked-out logins (django-axes).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out user before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "convergence.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "convergence.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# SQLite (the default of `make run`) has one writer at a time. A deferred transaction that
# reads, then writes, fails at once with "database is locked" when another writer got in
# between; IMMEDIATE takes the write lock at BEGIN, and a second writer waits for it (up to
# the timeout, in seconds). WAL lets pages be read while someone saves; with WAL, NORMAL
# synchronous may lose the last commits on a power cut but never corrupts the file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# A read replica (PostgreSQL streaming replication), taken when configured: reads of pages,
# reports and API lists go to it; writes, reads inside a write and requests that write go
# to the primary (convergence/replica.py). In tests it mirrors the primary.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["convergence.replica.PrimaryReplicaRouter"]
# After a write, the writer's browser reads from the primary this long (seconds), so that
# they see their own save while the replica catches up.
REPLICA_PINNED_SECONDS = env_int("REPLICA_PINNED_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")  # WITA: Sulawesi, the demo province
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files the app keeps (uploads waiting for their import preview to be confirmed); never
# served as static files.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))


def _default_storage() -> dict:
    """Where uploads (evidence documents, imports waiting for their preview) are kept,
    through Django's storage API: MEDIA_ROOT on the file system, or an S3-compatible
    bucket (AWS S3, MinIO, …) with ``STORAGE_BACKEND=s3`` (django-storages).

    The objects are private and no URL to them is ever given out: every file is served by
    a view that checks who asks (``followup.views.document_download``), so there is no
    public URL and no pre-signed one either. Credentials come from boto3's own chain
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role), never from here.
    """
    backend = env_str("STORAGE_BACKEND", "filesystem").strip().lower()
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND must be filesystem or s3; got {env_str('STORAGE_BACKEND')!r}"
        )
    bucket = env_str("AWS_STORAGE_BUCKET_NAME").strip()
    if not bucket:
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when STORAGE_BACKEND=s3")
    addressing = env_str("AWS_S3_ADDRESSING_STYLE").strip() or None
    if addressing not in (None, "auto", "path", "virtual"):
        raise ImproperlyConfigured(
            f"AWS_S3_ADDRESSING_STYLE must be auto, path or virtual; got {addressing!r}"
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # A MinIO or other S3-compatible store: its URL (None: AWS itself).
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL").strip() or None,
            "region_name": env_str("AWS_S3_REGION_NAME").strip() or None,
            "addressing_style": addressing,
            "signature_version": "s3v4",
            # A key prefix, to share a bucket with other applications.
            "location": env_str("AWS_LOCATION").strip().strip("/"),
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
            "verify": env_bool("AWS_S3_VERIFY", True),
        },
    }


STORAGES = {
    "default": _default_storage(),
    "staticfiles": {
        # The manifest (hashed names, long cache) needs collectstatic; the test suite and
        # `runserver` serve straight from static/.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests run with DEBUG off but without collectstatic: let WhiteNoise find files directly.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"

# Production hardening (`manage.py check --deploy` is clean with DEBUG off). Behind a
# TLS-terminating reverse proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER")
if _proxy_header:
    if len(_proxy_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER is HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content Security Policy (django-csp): everything from this server, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed logins (django-axes): after 5 failures for one user name from one address, that
# pair is locked out for 15 minutes; every login, failure and lockout is logged.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Guessing across many user names from one address: after this many failures from one
# address within the cool-off, that address is locked out whatever the user name (set
# higher than the per-user limit: an office shares one address behind its router).
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 10)
AXES_HANDLER = "accounts.throttling.AddressAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

# Evidence documents of follow-up actions (followup/documents.py): larger files are refused.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# The cache: the pages' costly parts, kept under the round's state (the matrix, the
# network's measures). Local memory, per process, by default; several workers or servers
# share one Redis with CACHE_URL=redis://host:6379/1 (docs/deployment.md, "Sessions and
# cache shared").
_cache_url = env_str("CACHE_URL").strip()
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a Redis URL (redis://, rediss:// or unix://); got {_cache_url!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "peta-konvergensi",
        }
    }

# Background work (reports.builds): Django's task framework, queued in the database by
# default (SQLite here, PostgreSQL in production; `manage.py db_worker` runs the queue, and
# `make run` starts it beside the server). TASKS_BACKEND=immediate runs a task inside the
# request that queues it (no worker: a one-person installation, or a debugging session).
_tasks_backend = env_str("TASKS_BACKEND", "database").strip().lower()
if _tasks_backend not in {"database", "immediate"}:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate; got {env_str('TASKS_BACKEND')!r}"
    )
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
    }
}

# Reports: an XLSX (or a PDF) of a round of at least this many actors is built in the background,
# with its progress on a page of its own, instead of inside the request (about 3 s and more
# at 200 actors; docs/benchmarks.md). 0 builds every report in the background.
REPORT_BACKGROUND_MIN_ACTORS = env_int("REPORT_BACKGROUND_MIN_ACTORS", 120)
# ...and a PDF from this many actors: up to 60 actors it prints the full matrix pages (each
# actor's number and name), which take seconds from about 40 (3.9 s at 52).
REPORT_PDF_BACKGROUND_MIN_ACTORS = env_int("REPORT_PDF_BACKGROUND_MIN_ACTORS", 40)
# Hours a report built in the background stays downloadable before its file is deleted.
REPORT_BUILD_KEEP_HOURS = env_int("REPORT_BUILD_KEEP_HOURS", 48)

# Bulk imports (regions, actors, pair assessments): files larger than this are refused
# before they are read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# What one file may hold; bounds the time and memory a read takes (README "Import limits").
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 250_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 1_000)
# An XLSX file is a ZIP of XML parts, checked before it is parsed (imports/tabular.py);
# its cells cost some 20 µs each to parse, ten times a CSV's.
IMPORT_XLSX_MAX_CELLS = env_int("IMPORT_XLSX_MAX_CELLS", 100_000)
IMPORT_XLSX_MAX_UNPACKED_BYTES = env_int("IMPORT_XLSX_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
IMPORT_XLSX_MAX_PART_BYTES = env_int("IMPORT_XLSX_MAX_PART_BYTES", 25 * 1024 * 1024)
IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = env_int(
    "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", 10 * 1024 * 1024
)
IMPORT_XLSX_MAX_PARTS = env_int("IMPORT_XLSX_MAX_PARTS", 500)
IMPORT_XLSX_MAX_RATIO = env_int("IMPORT_XLSX_MAX_RATIO", 100)
# Elements and attributes of all the XML parts together: what the XML parser builds.
IMPORT_XLSX_MAX_XML_NODES = env_int("IMPORT_XLSX_MAX_XML_NODES", 1_000_000)
# An upload waits this long in MEDIA_ROOT for its preview to be confirmed (imports/pending.py).
IMPORT_PREVIEW_MAX_AGE_MINUTES = env_int("IMPORT_PREVIEW_MAX_AGE_MINUTES", 60)

# Partners' links (partners/): valid this many days after they are made or renewed; each
# address may open them this many times per minute (partners/throttling.py).
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 30)
PARTNER_REQUESTS_PER_MINUTE = env_int("PARTNER_REQUESTS_PER_MINUTE", 60)

# Rankings (province and national): a round is ranked only when enough of its pairs are
# scored, otherwise one or two pairs decide its place. Default: half of its possible pairs,
# and at least 20 pairs (with 20, one pair scored one level differently moves the index by
# 25 / 20 = 1.25 points; with 1 pair, by 25). Rounds below are listed apart.
RANKING_MIN_COVERAGE_PERCENT = env_int("RANKING_MIN_COVERAGE_PERCENT", 50)
RANKING_MIN_PAIRS = env_int("RANKING_MIN_PAIRS", 20)
if not 0 <= RANKING_MIN_COVERAGE_PERCENT <= 100:
    raise ImproperlyConfigured(
        f"RANKING_MIN_COVERAGE_PERCENT must be from 0 to 100; got {RANKING_MIN_COVERAGE_PERCENT}"
    )
if RANKING_MIN_PAIRS < 1:
    raise ImproperlyConfigured(f"RANKING_MIN_PAIRS must be 1 or more; got {RANKING_MIN_PAIRS}")

# API tokens (django-rest-knox): stored hashed, valid this long after they are issued,
# revoked when their user's password changes or the user is deactivated.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": env_int("API_TOKEN_LIMIT_PER_USER", 10),
}

REST_FRAMEWORK = {
    # Token first: an anonymous request is then answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadAnyRoleWriteAdmin"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Peta Konvergensi API",
    "DESCRIPTION": (
        "Regions, sectors, actors, programmes, assessment rounds and pair assessments "
        "(Kim et al. 2017 levels 0-4; a pair that is not assessed is absent, never 0)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every asset of the docs page is served by the app (no CDN), and Swagger UI does not
    # send the schema to its online validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "GovernmentLevelEnum": "actors.models.GovernmentLevel",
        "LevelEnum": "assessments.models.Level",
        "PairChangeKindEnum": "insights.selectors.trends.ChangeKind",
        "OverlapStatusEnum": "insights.selectors.trends.OverlapStatus",
        "ActorKindEnum": "actors.models.ActorKind",
        "RoundStatusEnum": "assessments.models.RoundStatus",
        "ActionStatusEnum": "followup.models.ActionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Logins, failed logins and lockouts.
    "loggers": {"axes": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
