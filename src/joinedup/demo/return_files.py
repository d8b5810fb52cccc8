"""The open CSV files a population generator writes: one canonical return (people, events,
relationships) for each agency, and the ground truth, with how many rows each table got."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from joinedup.ingest.formats.base import COLUMNS, TABLES


class ReturnFiles:
    """Every agency's return files and the ground truth, open for writing; a context manager
    that closes them all (and closes what it opened if opening one fails)."""

    def __init__(self, out_dir: Path, codes: Iterable[str],
                 truth_columns: tuple[str, ...]) -> None:
        self.codes = list(codes)
        self.rows = {code: dict.fromkeys(TABLES, 0) for code in self.codes}
        self._stack = ExitStack()
        self._writers: dict[tuple[str, str], Any] = {}
        try:
            for code in self.codes:
                (out_dir / code).mkdir(parents=True, exist_ok=True)
                for table in TABLES:
                    self._writers[(code, table)] = self._open(out_dir / code / f"{table}.csv",
                                                              COLUMNS[table])
            self.truth = self._open(out_dir / "ground_truth.csv", truth_columns)
        except BaseException:
            self._stack.close()
            raise

    def _open(self, path: Path, header: tuple[str, ...]) -> Any:
        handle = self._stack.enter_context(
            path.open("w", encoding="utf-8", newline="", buffering=1 << 16))
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        return writer

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def write(self, agency: str, table: str, row: list[str]) -> None:
        self._writers[(agency, table)].writerow(row)
        self.rows[agency][table] += 1
