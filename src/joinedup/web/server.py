"""``joinedup serve``: the web application under gunicorn, a production WSGI server.

The command checks the database and the settings, then hands its process over to
``python -m joinedup.web`` (``start``), which loads the web's own settings
(``joinedup.web.settings``, or a deployment's own module extending them, named by
DJANGO_SETTINGS_MODULE): a command runs with the shared settings only, and Django's settings
cannot change once a process has loaded them.

On 127.0.0.1 by default. Outside development (``JOINEDUP_DEVELOPMENT=1`` or ``--demo``) it
refuses to start without ``JOINEDUP_SECRET_KEY``: sessions signed with a known key could be
forged. So does any other WSGI server loading ``joinedup.web.wsgi:application``
(``check_secret_key``). Behind a reverse proxy, see docs/operations.md.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

from joinedup.database import SHARED_SETTINGS
from joinedup.errors import ConfigurationError

WEB_SETTINGS = "joinedup.web.settings"


def settings_module() -> str:
    """The settings the server loads: a deployment's own module when DJANGO_SETTINGS_MODULE
    names one (it extends ``joinedup.web.settings``), else ``joinedup.web.settings``."""
    named = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    return named if named and named != SHARED_SETTINGS else WEB_SETTINGS


def _read_afresh(name: str) -> ModuleType:
    """Settings module ``name`` run again with the environment as it is now (``--demo`` sets
    development mode after this process may have loaded the settings once)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ConfigurationError(f"The settings module {name} (DJANGO_SETTINGS_MODULE) cannot "
                                 "be found.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_secret_key() -> None:
    """Refuse to serve pages with settings that fail closed (web/settings.py): outside
    development, no secret key or one too short to be safe."""
    from django.conf import settings

    if settings.SERVING_REFUSED:
        raise ConfigurationError(settings.SERVING_REFUSED)


def check_ready() -> None:
    """Refuse early, in the command's own words, what the server would refuse: settings that
    fail closed, or a front-end that was never built. Reads the web's settings as they will
    load in the server (this process itself runs with the shared settings)."""
    settings = _read_afresh(settings_module())
    if settings.SERVING_REFUSED:
        raise ConfigurationError(settings.SERVING_REFUSED)
    missing = [p for p in ("joinedup.css", "govuk-frontend.min.js")
               if not (settings.WEB_DIR / "static" / "build" / p).exists()]
    if missing:
        raise ConfigurationError(
            f"The web application's front-end is not built ({', '.join(missing)} missing): "
            "run `make assets` (needs Node.js and npm).")


def start(host: str, port: int, workers: int, threads: int) -> None:
    """Replace this process with the web server (``python -m joinedup.web``), under the web's
    settings; the process keeps its id, so whoever started it can still stop it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module()
    # This interpreter and a fixed module; the options are the command's own, as numbers.
    os.execv(sys.executable, [sys.executable, "-m", "joinedup.web", host, str(port),  # noqa: S606
                              str(workers), str(threads)])


def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the pages with gunicorn until stopped (in the process ``start`` made)."""
    from gunicorn.app.base import BaseApplication

    from joinedup.web.wsgi import application

    check_ready()

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "accesslog": "-",
                "access_log_format": '%(t)s "%(r)s" %(s)s %(M)sms',
                "timeout": 120, "graceful_timeout": 10,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _Server().run()
