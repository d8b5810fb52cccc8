"""Checking and loading agencies' returns: the readers of each format (``formats/``), the
row checks (``validation.py``), staging and the set-based merge into people's and
chronologies' records (``staging.py``, ``merge.py``), one transaction per return
(``loading.py``), and what was kept back (quarantined rows and row warnings).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "DATE_FIX",
    "FORMATS",
    "LoadResult",
    "QuarantinedRow",
    "RowWarning",
    "ValueProblem",
    "load_database",
    "load_return",
    "parse_date",
]

if TYPE_CHECKING:
    from joinedup.ingest.formats import FORMATS
    from joinedup.ingest.loading import LoadResult, load_database, load_return
    from joinedup.ingest.models import QuarantinedRow, RowWarning
    from joinedup.ingest.values import DATE_FIX, ValueProblem, parse_date

__getattr__ = public_face.lazy(__name__, __file__)
