"""The trained model gives the same pairs, probabilities and persons on Spark as on DuckDB."""

from __future__ import annotations

from pathlib import Path
from random import Random
from typing import Any

import pyarrow as pa
import pytest

from joinedup.errors import ConfigurationError
from joinedup.people.linkage import features, model
from joinedup.people.linkage.clustering import cluster

pytestmark = [pytest.mark.spark, pytest.mark.slow,
              # py4j (Spark's Python-Java bridge) leaves its sockets to the garbage collector
              pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")]

FIRST = ["Katherine", "Kate", "Amelia", "Olivia", "Fatima", "Zofia", "Megan", "Siobhan",
         "William", "Bill", "Mohammed", "Muhammad", "Daniel", "Danny", "Piotr", "Rhys",
         "Conor", "Yusuf", "Grace", "Hannah", "Jon", "John", "Jonathan", "Ann", "Anne"]
LAST = ["Smith", "Smyth", "Jones", "Khan", "Taylor", "Nowak", "Murphy", "Davies", "Davis",
        "Ahmed", "Begum", "Okafor", "Campbell", "Thompson", "Thomson", "Hall", "Hill"]


def _nhs(rng: Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = (11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _typo(rng: Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def synthetic_records(people: int, seed: int) -> list[dict[str, Any]]:
    """``people`` persons seen 1-4 times each, with the slips agencies make: transposed
    letters, a married name, a day/month swap, a year out, missing values and "Baby"; many
    people share given names (and nicknames), family names and postcodes."""
    rng = Random(seed)
    records: list[dict[str, Any]] = []
    postcodes = [f"SK{rng.randint(1, 4)} {rng.randint(1, 9)}{rng.choice('ABDEF')}"
                 f"{rng.choice('GHJLN')}" for _ in range(people // 3)]
    for _ in range(people):
        given, family, maiden = rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST)
        born = f"{rng.randint(1950, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        person = {"given": given, "family": family, "dob": born, "sex": rng.choice("MF"),
                  "nhs": _nhs(rng) if rng.random() < 0.7 else "",
                  "postcode": rng.choice(postcodes)}
        for _ in range(rng.randint(1, 4)):
            row: dict[str, Any] = dict(person)
            roll = rng.random()
            if roll < 0.1:
                row["given"] = _typo(rng, row["given"])
            elif roll < 0.15:
                row["family"] = _typo(rng, row["family"])
            other = [maiden] if rng.random() < 0.2 else []
            if rng.random() < 0.1:
                row["family"], other = maiden, [family]
            roll = rng.random()
            if roll < 0.05 and int(born[8:]) <= 12:
                row["dob"] = f"{born[:5]}{born[8:]}-{born[5:7]}"
            elif roll < 0.1:
                row["dob"] = f"{int(born[:4]) + rng.choice((-1, 1))}{born[4:]}"
            elif roll < 0.13:
                row["dob"] = None
            if rng.random() < 0.4:
                row["nhs"] = ""
            if rng.random() < 0.15:
                row["postcode"] = rng.choice(postcodes)
            records.append({
                "unique_id": len(records) + 1, "agency": rng.choice(["GP", "HV", "CSC"]),
                "given_name": row["given"] if rng.random() > 0.03 else "Baby",
                "family_name": row["family"], "other_names": other,
                "date_of_birth": row["dob"], "sex": row["sex"] if rng.random() > 0.05 else "U",
                "nhs_number": row["nhs"], "postcode": row["postcode"]})
    return records


@pytest.fixture(scope="module")
def prepared() -> pa.Table:
    # over model.MIN_RECORDS_FOR_U records, so u, m and name frequencies are all trained
    return features.prepare(synthetic_records(500, seed=11))


def test_spark_scores_every_pair_as_duckdb_does(spark: Any, prepared: pa.Table) -> None:
    from joinedup.people.linkage.spark import predict_on_spark

    assert prepared.num_rows > model.MIN_RECORDS_FOR_U
    trained = model.train(prepared, seed=5)
    assert trained["joinedup"]["term_frequencies"]["given_std"]  # the lookups are exercised

    on_duckdb = model.predict(prepared, trained, threshold=0.0)
    on_spark = predict_on_spark(prepared, trained, threshold=0.0, spark=spark)

    assert len(on_duckdb) > prepared.num_rows  # a real share of the pairs, all levels used
    assert [pair[:2] for pair in on_spark] == [pair[:2] for pair in on_duckdb]
    for (a, b, p_duck, w_duck), (_, _, p_spark, w_spark) in zip(on_duckdb, on_spark,
                                                                strict=True):
        assert p_spark == pytest.approx(p_duck, abs=1e-6), (a, b)
        assert w_spark == pytest.approx(w_duck, abs=1e-6), (a, b)

    ids = prepared.column("unique_id").to_pylist()
    duck_groups = cluster(ids, [(a, b, p) for a, b, p, _ in on_duckdb], 0.95).groups
    spark_groups = cluster(ids, [(a, b, p) for a, b, p, _ in on_spark], 0.95).groups
    assert spark_groups == duck_groups
    assert len(duck_groups) < len(ids)  # some records were joined into persons


def test_a_threshold_filters_on_spark_as_on_duckdb(spark: Any, prepared: pa.Table) -> None:
    from joinedup.people.linkage.spark import predict_on_spark

    small = prepared.slice(0, 300)
    trained = model.train(small, seed=5)  # too few records for u: the documented defaults
    on_duckdb = model.predict(small, trained, threshold=0.5)
    on_spark = predict_on_spark(small, trained, threshold=0.5, spark=spark)
    assert [pair[:2] for pair in on_spark] == [pair[:2] for pair in on_duckdb]
    assert [p for _, _, p, _ in on_spark] == pytest.approx([p for _, _, p, _ in on_duckdb],
                                                          abs=1e-6)


def _records_written_for_spark(spark: Any, small: pa.Table, trained: dict[str, Any],
                               monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Score ``small`` on Spark; the paths of the parquet files written for it."""
    import pyarrow.parquet as pq

    from joinedup.people.linkage.spark import predict_on_spark

    written: list[Path] = []
    write = pq.write_table

    def noting(table: pa.Table, path: str, **options: Any) -> None:
        written.append(Path(path))
        write(table, path, **options)

    monkeypatch.setattr(pq, "write_table", noting)
    assert predict_on_spark(small, trained, threshold=0.5, spark=spark)
    return written


def test_without_a_shared_folder_records_for_spark_go_to_the_data_folders_scratch(
        spark: Any, prepared: pa.Table, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Spark on this machine: the records are written under the data folder, where a run
    # killed mid-way leaves nothing for long (joinedup/scratch.py), not in /tmp
    monkeypatch.delenv("JOINEDUP_SPARK_SCRATCH", raising=False)
    monkeypatch.setenv("JOINEDUP_DATA_DIR", str(tmp_path / "var"))
    small = prepared.slice(0, 300)
    written = _records_written_for_spark(spark, small, model.train(small, seed=5), monkeypatch)
    assert len(written) == 1
    assert written[0].parent.parent == tmp_path / "var" / "scratch"
    assert written[0].parent.name.startswith("spark-")
    assert not written[0].exists()  # removed afterwards


def test_records_for_spark_are_written_in_the_shared_folder_named(
        spark: Any, prepared: pa.Table, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On a cluster Spark's workers read the records from a folder they share with this
    # program (JOINEDUP_SPARK_SCRATCH); the data folder's scratch folder is this machine's only.
    from joinedup.people.linkage.spark import predict_on_spark

    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("JOINEDUP_SPARK_SCRATCH", str(shared))
    small = prepared.slice(0, 300)
    trained = model.train(small, seed=5)
    written = _records_written_for_spark(spark, small, trained, monkeypatch)
    assert len(written) == 1 and written[0].is_relative_to(shared)
    assert written[0].parent.name.startswith("joinedup-spark-")
    assert not any(shared.iterdir())  # removed afterwards
    monkeypatch.setenv("JOINEDUP_SPARK_SCRATCH", str(tmp_path / "not-there"))
    with pytest.raises(ConfigurationError, match="JOINEDUP_SPARK_SCRATCH is .*not-there"):
        predict_on_spark(small, trained, threshold=0.5, spark=spark)


def test_sql_the_spark_backend_cannot_run_is_refused() -> None:
    from joinedup.errors import LinkageError
    from joinedup.people.linkage.spark import to_spark_sql

    assert to_spark_sql("list_has_any(surnames_l, surnames_r)") == (
        "ARRAYS_OVERLAP(surnames_l, surnames_r)")
    with pytest.raises(LinkageError, match="regexp"):
        to_spark_sql("regexp_matches(given_std_l, '^A')")


@pytest.mark.django_db
def test_link_on_spark_gives_the_persons_duckdb_gives(spark: Any) -> None:
    from joinedup.demo.loader import load_scenario
    from joinedup.people import linking
    from joinedup.people.models import PersonRecord

    load_scenario(lambda result: None)
    linking.link(who="test")
    on_duckdb = _groups(PersonRecord.objects.values_list("id", "person_id"))
    result = linking.link(who="test", retrain=True, backend="spark")
    assert result.records_scored == PersonRecord.objects.count()
    assert _groups(PersonRecord.objects.values_list("id", "person_id")) == on_duckdb


def _groups(pairs: Any) -> set[frozenset[int]]:
    by_person: dict[int, set[int]] = {}
    for record, person in pairs:
        by_person.setdefault(person, set()).add(record)
    return {frozenset(records) for records in by_person.values()}
