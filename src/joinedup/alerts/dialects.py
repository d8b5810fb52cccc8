"""The few places where DuckDB SQL and Spark SQL write the same thing differently.

The rules are compiled once (``compiler.py``, ``blocks.py``, ``recognition.py``) and each
construct below is written through a :class:`Dialect`, so a rule has one definition
whatever engine runs it (docs/rules.md, "Running on Spark"):

    construct                 DuckDB                              Spark SQL
    a table name              "name"                              `name`
    a details value           json_extract_string(d, '$.k')       get_json_object(d, '$.k')
    text of a number          CAST(x AS VARCHAR)                  CAST(x AS STRING)
    a one-element list        [x]                                 array(x)
    an empty list             []                                  CAST(array() AS ARRAY<BIGINT>)
    distinct values, grouped  list(DISTINCT x)                    collect_set(x)
    prepend to a list         list_prepend(x, l)                  concat(array(x), l)
    merge grouped lists       list_sort(list_distinct(            array_sort(array_distinct(
                                flatten(list(l))))                  flatten(collect_list(l))))
    one row per list element  unnest(l)                           explode(l)
    list holds a value        list_contains(l, x)                 array_contains(l, x)
    the date of day number n  DATE '0001-01-01' + INTERVAL        date_add(DATE '0001-01-01',
                                (n - 1) DAY                         n - 1)
    date plus N days/months   d + INTERVAL N DAY/MONTH            date_add(d, N) / add_months
    day number of a text date date_diff('day', DATE '0001-01-01', datediff(TRY_CAST(x AS
                                TRY_CAST(x AS DATE)) + 1            DATE), DATE '0001-01-01') + 1
    whole text matches        regexp_matches(x, '^p$')            x RLIKE '^p$'

Numbers and dates in details are read only when written plainly (``Dialect.number``,
``Dialect.text_day_number``), because the engines' casts disagree on odd forms.

Everything else the compiler writes (joins, EXISTS, window functions, ``||``, ``greatest``,
``TRY_CAST``, ``FILTER (WHERE ...)``, ``IS DISTINCT FROM``) means the same in both. Day
numbers are ``date.toordinal()``, on the proleptic Gregorian calendar both engines use.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.sql_names import quoted_name

EPOCH = "DATE '0001-01-01'"
"""Day number 1."""


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine writes the constructs in the module docstring."""

    name: str

    @property
    def spark(self) -> bool:
        return self.name == "spark"

    def table(self, name: str) -> str:
        """A table's name, checked (``sql_names``) and quoted."""
        quoted = quoted_name(name)
        return f"`{quoted[1:-1]}`" if self.spark else quoted

    def detail(self, details: str, key: str) -> str:
        """The text of a key in a JSON object (NULL when it is absent); ``key`` is a
        checked lower-case name."""
        function = "get_json_object" if self.spark else "json_extract_string"
        return f"{function}({details}, '$.{key}')"

    def text(self, value: str) -> str:
        return f"CAST({value} AS {'STRING' if self.spark else 'VARCHAR'})"

    def one_list(self, value: str) -> str:
        return f"array({value})" if self.spark else f"[{value}]"

    def empty_list(self) -> str:
        return "CAST(array() AS ARRAY<BIGINT>)" if self.spark else "[]"

    def distinct_list(self, value: str) -> str:
        """An aggregate: the distinct values of a group, as a list (in no set order)."""
        return f"collect_set({value})" if self.spark else f"list(DISTINCT {value})"

    def prepend(self, value: str, values: str) -> str:
        return f"concat(array({value}), {values})" if self.spark \
            else f"list_prepend({value}, {values})"

    def merged_lists(self, lists: str) -> str:
        """An aggregate: the lists of a group joined, without repeats, in order."""
        if self.spark:
            return f"array_sort(array_distinct(flatten(collect_list({lists}))))"
        return f"list_sort(list_distinct(flatten(list({lists}))))"

    def unnest(self, values: str) -> str:
        return f"explode({values})" if self.spark else f"unnest({values})"

    def contains(self, values: str, value: str) -> str:
        return f"array_contains({values}, {value})" if self.spark \
            else f"list_contains({values}, {value})"

    def day_date(self, number: str) -> str:
        """The date of a day number (``date.fromordinal``)."""
        if self.spark:
            return f"date_add({EPOCH}, {number} - 1)"
        return f"{EPOCH} + INTERVAL ({number} - 1) DAY"

    def plus_days(self, date: str, days: int) -> str:
        return f"date_add({date}, {int(days)})" if self.spark \
            else f"{date} + INTERVAL ({int(days)}) DAY"

    def plus_months(self, date: str, months: int) -> str:
        """The same day ``months`` calendar months on (the month's last day if it has no
        such day: 31 January + 1 month is 28 or 29 February)."""
        return f"add_months({date}, {int(months)})" if self.spark \
            else f"{date} + INTERVAL ({int(months)}) MONTH"

    def matches(self, text: str, pattern: str) -> str:
        """Whether the whole text matches a pattern (one both regex engines read alike:
        no backslashes, which Spark's string literals would swallow)."""
        return f"({text} RLIKE '^{pattern}$')" if self.spark \
            else f"regexp_matches({text}, '^{pattern}$')"

    def number(self, text: str) -> str:
        """A number written as text, with spaces around it or decimals ("14", " 14.0 ",
        "1e2"); NULL otherwise. The engines' own casts differ at the edges ("14d", "inf",
        "1_000"), so only plain numbers are read, alike on both."""
        return (f"CASE WHEN {self.matches(text, _NUMBER)} "
                f"THEN TRY_CAST({text} AS DOUBLE) END")

    def text_day_number(self, text: str) -> str:
        """The day number of a date written yyyy-mm-dd (NULL when it is not such a date:
        the engines read other forms differently)."""
        if self.spark:
            number = f"datediff(TRY_CAST({text} AS DATE), {EPOCH}) + 1"
        else:
            number = f"date_diff('day', {EPOCH}, TRY_CAST({text} AS DATE)) + 1"
        return f"(CASE WHEN {self.matches(text, _DATE)} THEN {number} END)"


_NUMBER = " *[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)? *"
_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")
