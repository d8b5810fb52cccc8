"""The WSGI application, for gunicorn (``joinedup serve``) or any WSGI server.

Loading it outside development without ``JOINEDUP_SECRET_KEY`` raises ConfigurationError
(web/server.py check_secret_key), so no server starts with settings that fail closed."""

import gc
import os

from django.core.wsgi import get_wsgi_application

from joinedup.web.server import check_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.web.settings")
check_secret_key()
application = get_wsgi_application()

# Garbage collection: the objects loaded so far (Django, the templates' code, settings) live
# as long as the server, so they are set aside from the collector's passes; and the young
# generation is collected after 10,000 new objects rather than 700. A chronology of 2,000
# events makes tens of thousands of short-lived objects, and the collector's passes over
# everything the server had loaded cost it about 15 ms a page (docs/benchmarks.md).
gc.freeze()
gc.set_threshold(10_000, 20, 50)
