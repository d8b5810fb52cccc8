"""The web application's Django settings: the shared ones (``joinedup.config.django_settings``:
apps with tables, database, passwords, clock) extended with what only serving pages needs.

Storage comes from ``joinedup.config`` (JOINEDUP_DATA_DIR / JOINEDUP_DATABASE_URL). The web
settings read from the environment are listed in docs/web.md:

``JOINEDUP_SECRET_KEY``        signs sessions and CSRF tokens; required outside development
``JOINEDUP_DEVELOPMENT``       ``1`` on a developer's machine or the demo: cookies may travel
                               over plain http on 127.0.0.1, and a secret key is made up for
                               the process when none is set
``JOINEDUP_DEBUG``             Django's debug pages; refused outside development
``JOINEDUP_ALLOWED_HOSTS``     comma-separated host names the site answers to
``JOINEDUP_SESSION_IDLE_MINUTES`` sign a user out after this many idle minutes (default 30)
``JOINEDUP_SESSION_MAX_HOURS`` sign a user out this many hours after signing in, however
                               active (default 12)
``JOINEDUP_LOCKOUT_FAILURES``  failed sign-ins, per user name and per address, before signing
                               in is locked (default 5)
``JOINEDUP_LOCKOUT_MINUTES``   how long the lock lasts (default 15)
``JOINEDUP_PROXY_COUNT``       reverse proxies in front of the application that add the
                               client's address to X-Forwarded-For (default 0)
``JOINEDUP_OIDC_*``            optional OpenID Connect sign-in (joinedup/web/oidc.py)

Outside development these settings fail closed: without a secret key nothing can be signed
and the web application refuses to start (web/wsgi.py, whatever server loads it), and
debug pages are refused outright.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from joinedup.config.django_settings import *  # noqa: F403 (the shared settings, extended here)
from joinedup.config.django_settings import AUTHENTICATION_BACKENDS, DATA_APPS
from joinedup.errors import ConfigurationError
from joinedup.web import oidc_settings as oidc


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum} (got {value}).")
    return value


WEB_DIR = Path(__file__).resolve().parent
DEVELOPMENT = _flag("JOINEDUP_DEVELOPMENT")
DEBUG = _flag("JOINEDUP_DEBUG")
if DEBUG and not DEVELOPMENT:
    raise ConfigurationError(
        "JOINEDUP_DEBUG is set outside development. Debug pages show the settings, the code "
        "and the records being read to whoever meets an error. Remove JOINEDUP_DEBUG from the "
        "environment; it is only for a developer's machine, together with "
        "JOINEDUP_DEVELOPMENT=1.")

SECRET_KEY_MINIMUM_LENGTH = 32
SECRET_KEY = os.environ.get("JOINEDUP_SECRET_KEY", "").strip()
SERVING_REFUSED = ""
"""Why the web application must not start with these settings ("" when it may): checked by
web/wsgi.py, which every way of serving the pages goes through."""
if not SECRET_KEY and DEVELOPMENT:
    # Made up afresh by each process: nobody can know it, and sessions end with the server.
    SECRET_KEY = secrets.token_urlsafe(50)
elif not SECRET_KEY:
    # Commands that never serve pages (ingest, link, alerts) still load these settings and
    # sign nothing, so they run without a key. Left empty, the key makes Django refuse to
    # sign a session or a form: nothing falls back to a key someone else could know.
    SERVING_REFUSED = (
        "JOINEDUP_SECRET_KEY is not set, and sessions signed without a secret key could be "
        "forged. Set JOINEDUP_SECRET_KEY in the web application's environment to a long "
        "random value kept secret (for example the output of python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'). Only on a developer's machine, set "
        "JOINEDUP_DEVELOPMENT=1 instead.")
elif len(SECRET_KEY) < SECRET_KEY_MINIMUM_LENGTH and not DEVELOPMENT:
    SERVING_REFUSED = (
        f"JOINEDUP_SECRET_KEY is too short ({len(SECRET_KEY)} characters): a short key can "
        f"be guessed. Set it to a random value of at least {SECRET_KEY_MINIMUM_LENGTH} "
        "characters (for example the output of python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'); changing it signs everyone out.")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "JOINEDUP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    *DATA_APPS,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
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
    "joinedup.web.middleware.session_lifetime",
    "joinedup.web.middleware.idle_sessions",
    "joinedup.web.middleware.sign_in_required",
    "joinedup.web.middleware.audit_page_views",
    "joinedup.web.middleware.remember_while_reading",
    "joinedup.web.refusals.RefusalMiddleware",
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

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account before anything else
    *AUTHENTICATION_BACKENDS,
]
if oidc.configured():
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("joinedup.web.oidc.RoleMappingBackend")
    globals().update(oidc.django_settings())

LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/"  # the landing page of the user's roles (web/urls.py home)

# Lockout (django-axes): an account is locked after repeated failed sign-ins
AXES_FAILURE_LIMIT = _int("JOINEDUP_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_int("JOINEDUP_LOCKOUT_MINUTES", 15))
# Failures are counted per user name (whatever the address: one name tried from many places)
# and per address (whatever the name: one place trying many names); either reaching the limit
# locks. Each entry of the list is counted on its own; a nested list would count pairs only.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in clears the failures of that user name only (web/auth_views.py): axes'
# own reset would clear the address's failures too, so someone could sign in to their own
# account between guesses at a colleague's.
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "joinedup.web.auth_views.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "joinedup.web.auth_views.locked_out"
# The client's address: the connection's, or behind JOINEDUP_PROXY_COUNT reverse proxies the
# one the outermost of them saw (web/auth_views.py client_address)
JOINEDUP_PROXY_COUNT = _int("JOINEDUP_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "joinedup.web.auth_views.client_address"
AXES_VERBOSE = False

# Sessions end after a period of idleness: a request renews the session's lifetime (at most
# once a minute: web/middleware.py idle_sessions)
SESSION_COOKIE_AGE = _int("JOINEDUP_SESSION_IDLE_MINUTES", 30) * 60
# ... and, however active, a fixed time after signing in (web/middleware.py session_lifetime)
JOINEDUP_SESSION_MAX_SECONDS = _int("JOINEDUP_SESSION_MAX_HOURS", 12) * 3600
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
