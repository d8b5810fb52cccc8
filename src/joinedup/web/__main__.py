"""``python -m joinedup.web HOST PORT WORKERS THREADS``: the process ``joinedup serve`` hands
over to, which serves the pages under the web's own settings (web/server.py)."""

import os
import sys

from joinedup.web.server import serve, settings_module

os.environ["DJANGO_SETTINGS_MODULE"] = settings_module()
host, port, workers, threads = sys.argv[1:5]
serve(host, int(port), int(workers), int(threads))
