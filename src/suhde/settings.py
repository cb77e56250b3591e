"""Suhde's one settings file.

Every value an operator may change comes from the environment through the typed helpers below,
which fail loudly on a bad value instead of guessing (healthchecks does the same). Nothing outside
this file reads ``os.environ`` for configuration.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Turn a django-environ style ``EMAIL_URL`` into Django's email settings."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "consolemail":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "filemail":
        path = unquote(parsed.netloc + parsed.path) or "mail"
        return {
            "EMAIL_BACKEND": "suhde.common.files.PrivateFileEmailBackend",  # 0600 files
            "EMAIL_FILE_PATH": path,
        }
    if scheme == "memorymail":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme in {"smtp", "smtps", "smtp+tls", "submission"}:
        query = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or {"smtps": 465, "submission": 587}.get(scheme, 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps" or "ssl" in query,
            "EMAIL_USE_TLS": scheme in {"smtp+tls", "submission"} or "tls" in query,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL has an unknown scheme {scheme!r}; use smtp://, smtps://, smtp+tls://, "
        "consolemail:// or filemail:///path"
    )


def secret_key(data_dir: Path, debug: bool) -> str:
    """The secret key comes from the environment; a laptop install keeps one in the data folder."""
    key = os.environ.get("SUHDE_SECRET_KEY", "")
    if key:
        return key
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    if not env_bool("SUHDE_CREATE_SECRET_KEY", True):
        raise ImproperlyConfigured("Set SUHDE_SECRET_KEY (50 or more random characters).")
    if not data_dir.exists():
        # private: it holds the database and the mail
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written beside and linked into place: two processes starting at once (the test workers,
    # two web workers on a fresh laptop) both get the one key that won, never a half-written one.
    key = secrets.token_urlsafe(50)
    draft = data_dir / f".secret_key.{os.getpid()}"
    draft.write_text(key)
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)
    except FileExistsError:
        key = key_file.read_text().strip()
    finally:
        draft.unlink()
    return key


def oidc_roles(raw: str) -> dict[str, list[tuple[str, str]]]:
    """``SUHDE_OIDC_ROLES``: ``group=network-slug:role`` pairs separated by ``;``; a group may
    appear more than once. The roles are checked against the model at start-up
    (``suhde.networks.checks``)."""
    mapping: dict[str, list[tuple[str, str]]] = {}
    for item in raw.split(";"):
        if not item.strip():
            continue
        group, equals, target = item.strip().rpartition("=")
        slug, colon, role = target.partition(":")
        if not equals or not colon or not group.strip() or not slug.strip() or not role.strip():
            raise ImproperlyConfigured(
                f"SUHDE_OIDC_ROLES must be like 'group=network-slug:role; …', not {item!r}"
            )
        mapping.setdefault(group.strip(), []).append((slug.strip(), role.strip()))
    return mapping


def site_url(raw: str) -> str:
    """The address people use, without a trailing slash: every link in mail and every calendar
    subscription address starts with it."""
    parsed = urlparse(raw.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.hostname or parsed.query:
        raise ImproperlyConfigured(
            f"SUHDE_SITE_URL must be like https://suhde.example.org (no query), not {raw!r}"
        )
    return raw.strip().rstrip("/")


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SUHDE_DATA_DIR", "var")).resolve()
DEBUG = env_bool("SUHDE_DEBUG", False)
HTTPS = env_bool("SUHDE_HTTPS", False)
SECRET_KEY = secret_key(DATA_DIR, DEBUG)
# The keys used before the last rotation (docs/deploy.md, "Rotating the secret key"): sessions,
# password reset links and the outbox's waiting mail made under them stay readable.
SECRET_KEY_FALLBACKS = env_list("SUHDE_SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("SUHDE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SUHDE_CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies stand in front of the app. 0 means X-Forwarded-For is never trusted.
SUHDE_PROXY_COUNT = env_int("SUHDE_PROXY_COUNT", 0)

# `make run` and `suhde serve` set it from their port when it is not given; production sets it
# (`suhde check --deploy` warns otherwise).
SUHDE_SITE_URL_GIVEN = bool(os.environ.get("SUHDE_SITE_URL"))
SUHDE_SITE_URL = site_url(env_str("SUHDE_SITE_URL", "") or "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "suhde.common",
    "suhde.accounts",
    "suhde.networks",
    "suhde.coordination",
    "suhde.surveys",
    "suhde.charter",
    "suhde.workshops",
    "suhde.decisions",
    "suhde.paths",
    "suhde.evaluation",
    "suhde.publish",
    "suhde.project",  # the top floor: project-wide commands
    # Last, so that our own registration/ templates win over the admin's of the same name.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "suhde.common.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "suhde.common.middleware.NulRefusedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "suhde.common.middleware.NoStoreForAuthenticatedMiddleware",
]

ROOT_URLCONF = "suhde.urls"
WSGI_APPLICATION = "suhde.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "suhde.common.templatetags.suhde_format",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'suhde.sqlite3'}"),
        conn_max_age=env_int("SUHDE_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server's readers and writers work side by side on one machine.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "networks:my_networks"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats: English without a country's numeric dates (see common/formats).
FORMAT_MODULE_PATH = ["suhde.common.formats"]
TIME_ZONE = env_str("SUHDE_TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Front-end packages from npm, copied here by make (git ignores the folder).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STATIC_MANIFEST = env_bool("SUHDE_STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without a collectstatic run (a laptop), whitenoise serves straight from the apps' folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

for _key, _value in email_settings(env_str("EMAIL_URL", f"filemail://{DATA_DIR / 'mail'}")).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = env_str("SUHDE_FROM_EMAIL", "Suhde <suhde@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("SUHDE_MAIL_TIMEOUT", 30, minimum=1)
# The outbox (suhde.common.mail): the first retry after this many seconds, then twice as long
# each time (at most an hour apart), until a message has been tried this many times.
SUHDE_MAIL_RETRY_SECONDS = env_int("SUHDE_MAIL_RETRY_SECONDS", 60, minimum=1)
SUHDE_MAIL_MAX_ATTEMPTS = env_int("SUHDE_MAIL_MAX_ATTEMPTS", 10, minimum=1)
SUHDE_MAIL_KEEP_DAYS = env_int("SUHDE_MAIL_KEEP_DAYS", 90, minimum=1)
# A survey wave with more invitees than this has its mail written by the worker, not the request.
SUHDE_MAIL_INLINE_LIMIT = env_int("SUHDE_MAIL_INLINE_LIMIT", 300)
# The worker sends the week's digests on its first run at or after this hour on Monday (local).
SUHDE_DIGEST_HOUR = env_int("SUHDE_DIGEST_HOUR", 7)
if SUHDE_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"SUHDE_DIGEST_HOUR must be 0–23, not {SUHDE_DIGEST_HOUR}")

# Explicit limits on what a request may carry (promise 20).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SUHDE_MAX_REQUEST_BYTES", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("SUHDE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SUHDE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SUHDE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if SUHDE_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = (
    [] if HTTPS else ["security.W004", "security.W008", "security.W012", "security.W016"]
)

# A nonce-based policy: no inline script or style anywhere, the admin included (promise 17).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Background work (imports, wave closing, reports, the mail outbox) runs in `suhde worker`, which
# `suhde serve` and `make run` start beside the web server. SUHDE_TASKS=immediate runs each task
# inside the request instead (no worker needed; only for trying things out).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks = env_str("SUHDE_TASKS", "database")
if _tasks not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"SUHDE_TASKS must be database or immediate, not {_tasks!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks], "QUEUES": ["default"]}}

NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 500

# How long an invitation link to a network stays valid.
SUHDE_INVITATION_DAYS = env_int("SUHDE_INVITATION_DAYS", 14, minimum=1)
SUHDE_API_TOKEN_DAYS = env_int("SUHDE_API_TOKEN_DAYS", 365, minimum=1)
# How long a removal can be undone; `suhde purge_removals` forgets older ones for good.
SUHDE_UNDO_DAYS = env_int("SUHDE_UNDO_DAYS", 30, minimum=1)
# How long a confirm-your-details link works, and the largest file an import accepts.
SUHDE_CONFIRM_DAYS = env_int("SUHDE_CONFIRM_DAYS", 30, minimum=1)
# Larger imports are checked and written by the background worker, with a progress bar.
SUHDE_IMPORT_BACKGROUND_BYTES = env_int("SUHDE_IMPORT_BACKGROUND_BYTES", 256 * 1024)
# Exports of networks with more people and ties than this are written by the background worker.
SUHDE_EXPORT_INLINE_ROWS = env_int("SUHDE_EXPORT_INLINE_ROWS", 20_000, minimum=0)
# `suhde backup` and `suhde restore`: where pg_dump and pg_restore of the server's version live
# (empty: on PATH), and the passphrase that seals archives when none is given on the command line.
SUHDE_PG_BINDIR = env_str("SUHDE_PG_BINDIR", "")
# Where people send accessibility feedback (an email address or a web address): the
# accessibility statement names it.
SUHDE_ACCESSIBILITY_CONTACT = env_str("SUHDE_ACCESSIBILITY_CONTACT", "")
# /healthz calls the worker late when its clock (every 15 s) has not ticked for this long.
SUHDE_HEALTH_WORKER_SECONDS = env_int("SUHDE_HEALTH_WORKER_SECONDS", 120, minimum=30)
SUHDE_BACKUP_PASSPHRASE = env_str("SUHDE_BACKUP_PASSPHRASE", "")
# How long the operator keeps archives (docs/operations.md): an erasure tells the person that their
# data stays in older backups until then.
SUHDE_BACKUP_KEEP_MONTHS = env_int("SUHDE_BACKUP_KEEP_MONTHS", 12, minimum=1)
SUHDE_IMPORT_MAX_BYTES = env_int("SUHDE_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
SUHDE_LOGIN_LIMIT_PER_ADDRESS = env_int("SUHDE_LOGIN_LIMIT_PER_ADDRESS", 20, minimum=1)
SUHDE_LOGIN_LIMIT_PER_ACCOUNT = env_int("SUHDE_LOGIN_LIMIT_PER_ACCOUNT", 8, minimum=1)
SUHDE_LOGIN_LIMIT_WINDOW = env_int("SUHDE_LOGIN_LIMIT_WINDOW", 900, minimum=1)

# Single sign-on with OpenID Connect (docs/operations.md, "Single sign-on"): off while
# SUHDE_OIDC_ISSUER is empty. The endpoints come from the issuer's discovery document; the
# library (mozilla-django-oidc) reads its own OIDC_* names.
SUHDE_OIDC_ISSUER = env_str("SUHDE_OIDC_ISSUER", "").strip()
SUHDE_OIDC_DISCOVERY_URL = env_str("SUHDE_OIDC_DISCOVERY_URL", "") or (
    SUHDE_OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
)
SUHDE_OIDC_NAME = env_str("SUHDE_OIDC_NAME", "")
SUHDE_OIDC_ONLY = env_bool("SUHDE_OIDC_ONLY", False)
SUHDE_OIDC_EMAIL_VERIFIED_CLAIM = env_str("SUHDE_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
SUHDE_OIDC_GROUPS_CLAIM = env_str("SUHDE_OIDC_GROUPS_CLAIM", "groups")
SUHDE_OIDC_ROLES = oidc_roles(env_str("SUHDE_OIDC_ROLES", ""))
OIDC_RP_CLIENT_ID = env_str("SUHDE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("SUHDE_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("SUHDE_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("SUHDE_OIDC_SIGN_ALGO", "RS256")
OIDC_CREATE_USER = env_bool("SUHDE_OIDC_CREATE_USERS", True)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("SUHDE_OIDC_TIMEOUT", 10, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
OIDC_REDIRECT_REQUIRE_HTTPS = HTTPS
if SUHDE_OIDC_ISSUER and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("SUHDE_OIDC_ISSUER is set: SUHDE_OIDC_CLIENT_ID is needed too")
if SUHDE_OIDC_ONLY and not SUHDE_OIDC_ISSUER:
    raise ImproperlyConfigured("SUHDE_OIDC_ONLY needs SUHDE_OIDC_ISSUER")
AUTHENTICATION_BACKENDS = [
    "suhde.accounts.sso.PasswordBackend",
    "suhde.accounts.sso.Backend",
]

# Structured logs on stderr, one JSON object per line (suhde.common.logging): a line per request,
# per background task and per mail; never a token, an address, a name or a query string.
LOG_LEVEL = env_str("SUHDE_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"SUHDE_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "suhde.common.logging.RedactTokensFilter"}},
    "formatters": {"json": {"()": "suhde.common.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "formatter": "json",
        }
    },
    # Other libraries speak only of problems: their informational lines may name addresses.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Suhde's own lines pass on to the root's handler at their own level.
        "suhde": {"level": LOG_LEVEL},
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Our task and mail lines replace django-tasks' own.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
