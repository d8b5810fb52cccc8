"""Write the API's OpenAPI schema to a file: the committed docs/openapi.json.

    .venv/bin/python -m joinedup.api.schema_file docs/openapi.json

tests/api/test_schema.py fails when the code's schema and the committed file differ; run
this after changing an endpoint, and commit both.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

COMMAND = ".venv/bin/python -m joinedup.api.schema_file docs/openapi.json"


def current_schema() -> dict[str, Any]:
    """The schema the code serves at /api/v1/openapi.json, as plain JSON data (read with the
    web application's settings, which mount the API; set up first, as the web server does)."""
    from joinedup import database

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.web.settings")
    database.configure()
    from joinedup.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(f"Usage: {COMMAND}", file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.write_text(text(current_schema()), encoding="utf-8")
    print(f"Wrote the OpenAPI schema to {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
