"""Work over a million records at once, in plain Python, without paying twice.

    each_distinct()      a function of every value in a column, computed once per distinct
                         value: names, dates and postcodes repeat from record to record (a
                         million records hold some thousands of distinct given names)
    collection_paused()  Python's cycle collector held off while a stage builds millions of
                         small objects (tuples, dicts, sets) that hold no cycles

Without the pause, every few thousand new objects set the collector walking every object
alive, the million input records included: at 10^6 records that was a third of the time
of preparing, grouping and finding twins. Reference counting still frees what the stage
drops, and the collector runs as usual once the stage is over.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


def each_distinct(function: Callable[[_K], _V], values: Sequence[_K]) -> list[_V]:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value."""
    results = {value: function(value) for value in dict.fromkeys(values)}
    return [results[value] for value in values]


def parts(results: Sequence[tuple[_V, ...]], width: int) -> list[list[_V]]:
    """Tuples of ``width`` values split into ``width`` columns."""
    if not results:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*results, strict=True)]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off the cycle collector for the block (see the module docstring); a pause
    already in force (collection disabled by the caller) is left as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
