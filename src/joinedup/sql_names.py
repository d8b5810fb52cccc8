"""SQL names: the one rule for a name (and a text) that goes into SQL built at run time.

Values from outside (an agency's file, a form, the API) are bound parameters, never SQL
text. What is left to write into SQL text is our own: table and column names, rule ids
and codes from our vocabularies. Even those go through this module, so that one check
stands between any text and an SQL statement:

- :func:`quoted_name` for an identifier (a table, column or schema name): the name must
  match :data:`NAME_PATTERN` (lower-case letters, digits and ``_``, a letter first, at most
  64 characters) and comes back in double quotes, which every engine we use (SQLite,
  PostgreSQL, DuckDB, Spark SQL with ANSI quoting) reads as a name, never as a keyword;
- :func:`quoted_text` for a text literal, only where an engine cannot bind a parameter
  (DuckDB ``SET`` of a list, DDL): quotes are doubled, and a NUL or a line break is
  refused, as no text of ours holds one.

The same pattern is the rule for every column name in an agency's file
(:mod:`joinedup.ingest.formats.column_names`), so a column name that could not be a safe SQL name
is refused before anything is read. docs/security.md lists every place that composes SQL.
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
"""A name joinedup will put into SQL: ``^[a-z][a-z0-9_]{0,63}$`` (matched whole)."""


def is_sql_name(name: object) -> bool:
    """Does ``name`` match :data:`NAME_PATTERN` exactly (no other character, no newline)?"""
    return isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None


def quoted_name(name: str) -> str:
    """``name`` as a double-quoted SQL identifier; anything but a plain name is a bug in
    joinedup (names from files are checked, with a message, long before), so it raises."""
    if not is_sql_name(name):
        raise ValueError(f"not a safe SQL name: {name!r}")
    return f'"{name}"'


def quoted_text(value: str) -> str:
    """``value`` as an SQL text literal (single quotes doubled). Prefer a bound parameter:
    this is for the few places an engine takes no parameter."""
    if not isinstance(value, str) or any(c in value for c in "\0\r\n"):
        raise ValueError(f"not a text joinedup puts into SQL: {value!r}")
    return "'" + value.replace("'", "''") + "'"
