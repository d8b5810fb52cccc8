"""``joinedup serve``: the web application under gunicorn, a production WSGI server.

On 127.0.0.1 by default. Outside development (``JOINEDUP_DEVELOPMENT=1`` or ``--demo``) it
refuses to start without ``JOINEDUP_SECRET_KEY``: sessions signed with a known key could be
forged. So does any other WSGI server loading ``joinedup.web.wsgi:application``
(``check_secret_key``). Behind a reverse proxy, see docs/operations.md.
"""

from __future__ import annotations

from typing import Any

from joinedup.errors import ConfigurationError


def check_secret_key() -> None:
    """Refuse to serve pages with settings that fail closed (web/settings.py): outside
    development, no secret key or one too short to be safe."""
    from django.conf import settings

    if settings.SERVING_REFUSED:
        raise ConfigurationError(settings.SERVING_REFUSED)


def check_ready() -> None:
    from django.conf import settings

    check_secret_key()
    missing = [p for p in ("joinedup.css", "govuk-frontend.min.js")
               if not (settings.WEB_DIR / "static" / "build" / p).exists()]
    if missing:
        raise ConfigurationError(
            f"The web application's front-end is not built ({', '.join(missing)} missing): "
            "run `make assets` (needs Node.js and npm).")


def serve(host: str, port: int, workers: int, threads: int) -> None:
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
