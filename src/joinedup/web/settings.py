"""Django project settings for joinedup.

Storage comes from ``joinedup.settings`` (JOINEDUP_DATA_DIR / JOINEDUP_DATABASE_URL). The web
settings read from the environment are listed in docs/web.md:

``JOINEDUP_SECRET_KEY``        signs sessions and CSRF tokens; required outside development
``JOINEDUP_DEVELOPMENT``       ``1`` on a developer's machine or the demo: cookies may travel
                               over plain http on 127.0.0.1, and a built-in secret key is used
``JOINEDUP_ALLOWED_HOSTS``     comma-separated host names the site answers to
``JOINEDUP_SESSION_IDLE_MINUTES`` sign a user out after this many idle minutes (default 30)
``JOINEDUP_LOCKOUT_FAILURES``  failed sign-ins before an account is locked (default 5)
``JOINEDUP_LOCKOUT_MINUTES``   how long the lock lasts (default 15)
``JOINEDUP_OIDC_*``            optional OpenID Connect sign-in (joinedup/web/oidc.py)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from joinedup.errors import ConfigurationError
from joinedup.settings import data_dir, database_config
from joinedup.web import oidc


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number (got {raw!r}).") from None
    if value < 1:
        raise ConfigurationError(f"{name} must be at least 1 (got {value}).")
    return value


WEB_DIR = Path(__file__).resolve().parent
DEVELOPMENT = _flag("JOINEDUP_DEVELOPMENT")
DEBUG = _flag("JOINEDUP_DEBUG")

SECRET_KEY = os.environ.get("JOINEDUP_SECRET_KEY", "")
if not SECRET_KEY:
    # Commands that never serve pages (ingest, link, alerts) still load these settings, so a
    # missing key only matters to the server: `joinedup serve` refuses to start without one
    # outside development (web/server.py).
    SECRET_KEY = "joinedup-development-only-not-secret"
    SECRET_KEY_IS_DEVELOPMENT = True
else:
    SECRET_KEY_IS_DEVELOPMENT = False

ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "JOINEDUP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "joinedup.ingest",
    "joinedup.people",
    "joinedup.chronology",
    "joinedup.information_requests",
    "joinedup.alerts",
    "joinedup.reviews",
    "joinedup.briefings",
    "joinedup.access",
    "joinedup.api",
    "joinedup.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "joinedup.web.middleware.idle_sessions",
    "joinedup.web.middleware.sign_in_required",
    "joinedup.web.middleware.audit_page_views",
    "joinedup.web.middleware.remember_while_reading",
]

ROOT_URLCONF = "joinedup.web.urls"
WSGI_APPLICATION = "joinedup.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "joinedup.web.jinja.environment"},
    },
]

DATABASES = {"default": {
    **database_config(),
    # A server thread keeps its connection between pages (checked before reuse) instead of
    # opening one per page: a new connection cost a PostgreSQL server process, and for
    # SQLite its pragmas and an empty page cache, on every page (docs/benchmarks.md).
    "CONN_MAX_AGE": 300,
    "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = [  # Argon2 for every new password; the others only read older hashes
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account before anything else
    "django.contrib.auth.backends.ModelBackend",
]
if oidc.configured():
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("joinedup.web.oidc.RoleMappingBackend")
    globals().update(oidc.django_settings())

LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/work/"

# Lockout (django-axes): an account is locked after repeated failed sign-ins
AXES_FAILURE_LIMIT = _int("JOINEDUP_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_int("JOINEDUP_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "joinedup.web.auth_views.locked_out"
AXES_VERBOSE = False

# Sessions end after a period of idleness: a request renews the session's lifetime (at most
# once a minute: web/middleware.py idle_sessions)
SESSION_COOKIE_AGE = _int("JOINEDUP_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEVELOPMENT:
    SECURE_HSTS_SECONDS = _int("JOINEDUP_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content Security Policy: nothing from elsewhere, no inline styles, scripts only
# from this site or carrying the page's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve straight from the built folder; no collectstatic step

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TIME_ZONE = "Europe/London"
USE_TZ = True
LANGUAGE_CODE = "en-gb"

JOINEDUP_DATA_DIR = data_dir()
