"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SHARED, require_spark, write_return


def _give_the_tests_a_secret_key() -> None:
    """Outside development the settings leave the secret key empty unless one is set, and
    Django then refuses to sign a session (web/settings.py). The tests run with the
    production settings and a key made for this run, set here on purpose."""
    import secrets

    from django.conf import settings

    if not settings.DEVELOPMENT and not os.environ.get("JOINEDUP_SECRET_KEY", "").strip():
        settings.SECRET_KEY = "tests-only-" + secrets.token_urlsafe(40)
        settings.SERVING_REFUSED = ""


_give_the_tests_a_secret_key()


@pytest.fixture
def make_return(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1, 10_000))

    def make(**tables: list[dict[str, Any]]) -> Path:
        return write_return(tmp_path / f"return-{next(counter)}", **tables)

    return make


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Run `joinedup ...` in this process, as ``cli("review", "list", stdin=None)``, against
    the database the test has already opened (each command's own opening of the database is
    switched off) and in a terminal wide enough that no message or table wraps. It loads no
    data: a test module whose commands need some overrides ``cli`` with a fixture that asks
    for that data and returns this one."""
    import importlib
    import pkgutil

    from typer.testing import CliRunner

    import joinedup.cli
    from joinedup.cli import app

    for found in pkgutil.iter_modules(joinedup.cli.__path__):
        module = importlib.import_module(f"joinedup.cli.{found.name}")
        if hasattr(module, "open_db"):
            monkeypatch.setattr(module, "open_db", lambda: None)
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "400"})

    return run


@pytest.fixture
def agency(db: None) -> Any:
    from joinedup.agencies.registry import register_agency

    return register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")[0]


@pytest.fixture
def shared_samples() -> Path:
    folder = SHARED / "data" / "public-samples"
    if not folder.is_dir():
        pytest.fail(f"the shared sample files are missing: {folder}")
    return folder


BABY_S_BACKGROUND_FAMILIES = 150
"""Enough background families for linkage to train a sensible model (with the scenario's 42
records alone, EM has too little to learn from), small enough to load in a few seconds."""


@pytest.fixture(scope="module")
def baby_s(django_db_setup: None, django_db_blocker: Any,
           tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Baby S scenario plus a small background population, loaded and linked once per
    test module, inside a transaction rolled back afterwards. Yields a dict of the cast's
    person ids: child, mother, father (and ``families``: the population summary)."""
    from django.db import connection, transaction

    from joinedup.demo.loader import DEMO_SEED, load_folder_per_agency, load_scenario
    from joinedup.demo.population import generate_population
    from joinedup.people.directory import resolve_person
    from joinedup.people.linking import link

    out = tmp_path_factory.mktemp("baby-s-background")
    summary = generate_population(out, BABY_S_BACKGROUND_FAMILIES, DEMO_SEED)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_scenario(lambda result: None)
            load_folder_per_agency(out, lambda result: None)
            link()
            if connection.vendor == "postgresql":
                # Fresh statistics for what was just loaded (ANALYZE counts the rows of its
                # own open transaction): the planner otherwise works from statistics taken
                # by autovacuum between earlier tests, and once (CI, 2026-11-27) chose a
                # plan that spent minutes on one family's relationships.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            yield {
                "child": resolve_person("HV:HV-5510871"),
                "mother": resolve_person("HV:HV-5510238"),
                "father": resolve_person("PROBATION:X482915"),
                "population": summary,
                "population_dir": out,
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session for the module (Spark takes seconds to start), for the tests
    marked ``spark``: linkage on Splink's Spark backend, and the rules on Spark. In CI a
    missing pyspark or Java fails the test instead of skipping it."""
    require_spark()
    from joinedup.people.linkage.spark import spark_session

    session = spark_session("joinedup-test")
    yield session
    session.stop()
    with warnings.catch_warnings():  # collect py4j's sockets here, not in a later test
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
