"""Django project settings for joinedup.

Storage comes from ``joinedup.settings`` (JOINEDUP_DATA_DIR / JOINEDUP_DATABASE_URL).
"""

from __future__ import annotations

import os

from joinedup.settings import data_dir, database_config

SECRET_KEY = os.environ.get("JOINEDUP_SECRET_KEY", "joinedup-development-only-not-secret")
DEBUG = os.environ.get("JOINEDUP_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "joinedup.ingest",
    "joinedup.people",
    "joinedup.chronology",
    "joinedup.information_requests",
    "joinedup.alerts",
    "joinedup.reviews",
    "joinedup.briefings",
    "joinedup.access",
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = [  # Argon2 for every new password; the others only read older hashes
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

TIME_ZONE = "Europe/London"
USE_TZ = True
LANGUAGE_CODE = "en-gb"

JOINEDUP_DATA_DIR = data_dir()
