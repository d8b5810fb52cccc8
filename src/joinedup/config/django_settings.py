"""The Django settings every joinedup process shares: the apps that hold data, the database,
passwords and the clock.

The command line runs with these alone (``database.configure``), so a command never loads
the web's security headers, sign-in lockout or single sign-on. The web application extends
them in ``joinedup.web.settings``; both name the same apps that have tables, so a database
set up by either is the same database.

Storage comes from the environment (``joinedup.config.environment``: JOINEDUP_DATA_DIR,
JOINEDUP_DATABASE_URL).
"""

from __future__ import annotations

from joinedup.config.environment import data_dir, database_config

# Every app with tables, in data-flow order. django-axes keeps the web's sign-in failures; it
# is here because its tables are set up (and cleared by retention) with everyone else's.
DATA_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "axes",
    "joinedup.agencies",
    "joinedup.ingest",
    "joinedup.people",
    "joinedup.chronology",
    "joinedup.information_requests",
    "joinedup.alerts",
    "joinedup.reviews",
    "joinedup.briefings",
    "joinedup.access",
    "joinedup.api",
]
INSTALLED_APPS = list(DATA_APPS)

# Nothing is signed outside the web application; the web sets its own key (web/settings.py),
# and an empty one here makes Django refuse to sign anything rather than use a known key.
SECRET_KEY = ""

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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

TIME_ZONE = "Europe/London"
USE_TZ = True
LANGUAGE_CODE = "en-gb"

JOINEDUP_DATA_DIR = data_dir()

# django-axes checks that sign-in goes through it; only the web application signs anyone in,
# and its settings add axes' middleware and backend (web/settings.py).
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W003"]
