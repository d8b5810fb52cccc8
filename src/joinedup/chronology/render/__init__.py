"""A chronology in the forms people use it: a table on screen, CSV and JSON for scripts and
spreadsheets, and a printable chronology (PDF, Word) for strategy meetings and reviews.

Every form is produced from the same :class:`joinedup.chronology.assembly.Chronology`, so
what a practitioner prints is what a script reads.
"""

from __future__ import annotations

from joinedup.chronology.render.data import CSV_COLUMNS, to_csv, to_dict, to_json
from joinedup.chronology.render.pdf import to_html, write_pdf
from joinedup.chronology.render.table import print_table
from joinedup.chronology.render.word import write_docx

__all__ = ["CSV_COLUMNS", "print_table", "to_csv", "to_dict", "to_html", "to_json", "write_docx",
           "write_pdf"]
