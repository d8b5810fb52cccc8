"""The linkage model on hand-worked cases and a small synthetic population (no database)."""

from __future__ import annotations

import json
from random import Random
from typing import Any

import pyarrow as pa
import pytest

from joinedup.errors import LinkageError
from joinedup.people.linkage import features, model
from joinedup.people.linkage.nicknames import ROOTS, name_root, normalise

# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("Kate", "Katherine"), ("Katie", "Catherine"), ("Mohammed", "Muhammad"),
    ("Mohamed", "Mohammad"), ("Bill", "William"), ("Danny", "Daniel"),
    ("Kasia", "Katarzyna"), ("Gosia", "Małgorzata"), ("Dafydd", "Dai"),
    ("Mohammed Ali", "Muhammad-Ali"),
])
def test_known_variants_share_a_root(a: str, b: str) -> None:
    assert name_root(a) == name_root(b)


@pytest.mark.parametrize(("a", "b"), [("Kate", "Karen"), ("Samuel", "Samantha"),
                                      ("Oliver", "Amelia")])
def test_different_names_have_different_roots(a: str, b: str) -> None:
    assert name_root(a) != name_root(b)


def test_unknown_names_are_their_own_normalised_root() -> None:
    assert name_root("Zoë-Élodie") == "ZOEELODIE"
    assert name_root("O'Shaughnessy") == "OSHAUGHNESSY"
    assert name_root("") == "" and name_root(None) == ""
    assert normalise("  łukasz  Nowak ") == "LUKASZ NOWAK"
    # a digit in a name is the letter it looks like; a word of digits is not a name
    assert normalise("Th0mas Baby 2") == "THOMAS BABY"
    assert name_root("Th0mas") == "THOMAS" and name_root("Yu5uf") == name_root("Yusuf")


def test_the_table_is_large_and_every_root_is_its_own_root() -> None:
    assert len(ROOTS) > 300
    assert all(ROOTS[root] == root for root in set(ROOTS.values()))


# -- features ------------------------------------------------------------------------------

def record(uid: int, given: str, family: str, dob: str | None, sex: str = "F", *,
           other: list[str] | None = None, nhs: str = "", postcode: str = "SK1 3XE",
           agency: str = "GP") -> dict[str, Any]:
    return {"unique_id": uid, "agency": agency, "given_name": given, "family_name": family,
            "other_names": other or [], "date_of_birth": dob, "sex": sex,
            "nhs_number": nhs, "postcode": postcode}


def test_prepare_normalises_and_nulls_what_is_not_evidence() -> None:
    rows = features.prepare([
        record(1, "Baby", "Smith-Jones", "2024-02-03", "U", nhs="943 476 5919",
               postcode="sk13xe", other=["Jade Brown", "Kelly"]),
        record(2, "", "", "2024-02-30", "", nhs="9434765918", postcode="nonsense"),
    ]).to_pylist()
    first, second = rows
    assert first["given_std"] is None and first["given_root"] is None
    assert first["family_std"] == "SMITHJONES"
    assert first["surnames"] == ["SMITHJONES", "SMITH", "JONES", "BROWN", "KELLY"]
    assert (first["dob"], first["dob_swapped"], first["dob_year"]) == (
        "2024-02-03", "2024-03-02", 2024)
    assert (first["postcode_std"], first["outward"]) == ("SK1 3XE", "SK1")
    assert first["nhs"] == "9434765919" and first["sex"] is None
    assert second["family_std"] is None and second["surnames"] is None
    assert second["dob"] is None  # 30 February is not a date
    assert second["nhs"] is None  # fails the Modulus 11 check
    assert second["postcode_std"] is None and second["sex"] is None


@pytest.mark.parametrize("nhs", ["0000000000", "abc", "94347", ""])
def test_an_nhs_number_that_is_no_number_is_treated_as_missing(nhs: str) -> None:
    assert features.nhs_number(nhs) is None
    a, b = record(1, "Amy", "Hall", "1990-01-02", nhs=nhs), record(2, "Zara", "Khan",
                                                                    "1971-05-06", nhs=nhs)
    explanation = model.explain(a, b, model.train([a, b]))
    nhs_part = explanation.comparisons[0]
    assert nhs_part.comparison == "nhs_number" and nhs_part.match_weight == 0
    assert nhs_part.level == "NHS number missing on one or both records"


@pytest.mark.parametrize("written", ["9434765918", "943476591"])
def test_an_invalid_nhs_number_is_compared_as_written(written: str) -> None:
    """It fails the Modulus 11 check (or lacks a digit), so it is no NHS number, but what was
    written is compared with the other record's number: a one-digit slip is evidence."""
    assert features.nhs_number(written) is None
    a = record(1, "Amy", "Hall", "1990-01-02", nhs="9434765919")
    b = record(2, "Zara", "Khan", "1971-05-06", nhs=written)
    nhs_part = model.explain(a, b, model.train([a, b])).comparisons[0]
    assert nhs_part.level == "NHS number as written within one digit of the other's"
    assert nhs_part.match_weight > 3
    assert nhs_part.label.endswith(f"(9434765919 / {written} as written)")


def test_prepare_takes_a_pyarrow_table_as_well_as_dicts() -> None:
    rows = [record(1, "Kate", "Hall", "1990-01-02", other=["Jones"]),
            record(2, "Sam", "Khan", None, "M")]
    as_table = features.prepare(pa.Table.from_pylist(rows))
    assert as_table.to_pylist() == features.prepare(rows).to_pylist()
    assert as_table.column("given_root").to_pylist() == ["KATHERINE", "SAMUEL"]


def test_a_repeated_unique_id_is_refused() -> None:
    with pytest.raises(LinkageError, match="repeated: 1"):
        features.prepare([record(1, "A", "B", None), record(1, "C", "D", None)])


# -- a small synthetic population ------------------------------------------------------------

GIVEN = {"F": ["Katherine", "Elizabeth", "Amelia", "Olivia", "Fatima", "Aisha", "Zofia",
               "Megan", "Siobhan", "Chloe", "Grace", "Priya", "Hannah", "Rebecca"],
         "M": ["William", "Mohammed", "Daniel", "Thomas", "Oliver", "Jacob", "Piotr",
               "Rhys", "Conor", "Harry", "Yusuf", "Samuel", "Callum", "Arjun"]}
SHORT = {"Katherine": "Kate", "Elizabeth": "Liz", "Rebecca": "Becky", "William": "Bill",
         "Mohammed": "Muhammad", "Daniel": "Danny", "Thomas": "Tom", "Samuel": "Sam"}
FAMILY = ["Smith", "Jones", "Khan", "Taylor", "Brown", "Hughes", "Evans", "Patel", "Walsh",
          "Nowak", "Murphy", "Davies", "Wilson", "Ahmed", "Kowalski", "Roberts", "Lewis",
          "Begum", "Okafor", "Campbell", "Robinson", "Wright", "Thompson", "White", "Hall"]


def valid_nhs(rng: Random) -> str:
    while True:
        nine = f"{rng.randrange(400_000_000, 999_999_999):09d}"
        check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            return nine + str(check % 11)


def population(households: int, seed: int = 1) -> list[dict[str, Any]]:
    """Households (mother, maybe father, 1-3 children), each person at 2-3 agencies."""
    rng = Random(seed)
    people: list[dict[str, Any]] = []
    for number in range(households):
        # a small population has no two households of one family name (nor maiden name)
        if households * 2 <= len(FAMILY):
            family, maiden = FAMILY[number], FAMILY[-1 - number]
        else:
            family, maiden = rng.choice(FAMILY), rng.choice(FAMILY)
        postcode = f"SK{rng.randint(1, 8)} {rng.randint(1, 9)}" + "".join(
            rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        names = {sex: rng.sample(GIVEN[sex], 4) for sex in "FM"}  # none twice in a household
        members = [{"given": names["F"].pop(), "family": family, "sex": "F", "maiden": maiden,
                    "dob": rng.randint(1975, 2000)}]
        if rng.random() < 0.6:
            members.append({"given": names["M"].pop(), "family": family, "sex": "M",
                            "dob": rng.randint(1970, 2000)})
        for _ in range(rng.randint(1, 3)):
            sex = rng.choice("FM")
            members.append({"given": names[sex].pop(), "family": family, "sex": sex,
                            "dob": rng.randint(2005, 2024)})
        for person in members:
            person.update(postcode=postcode, nhs=valid_nhs(rng) if rng.random() < 0.8 else "",
                          dob=f"{person['dob']}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                          pid=len(people))
            people.append(person)
    records: list[dict[str, Any]] = []
    for person in people:
        for agency in rng.sample(["GP", "HV", "CSC", "POLICE", "EH"], rng.randint(2, 3)):
            records.append(noisy(rng, person, agency, len(records) + 1))
    return records


def noisy(rng: Random, p: dict[str, Any], agency: str, uid: int) -> dict[str, Any]:
    given, family, other, dob = p["given"], p["family"], [], p["dob"]
    if rng.random() < 0.15:
        given = SHORT.get(given, given)
    elif rng.random() < 0.03:
        given = given[:2] + given[3:]
    if p.get("maiden") and rng.random() < 0.3:
        family, other = p["maiden"], [p["family"]] if rng.random() < 0.5 else []
    elif p.get("maiden") and rng.random() < 0.5:
        other = [p["maiden"]]
    if rng.random() < 0.03 and int(dob[8:]) <= 12:
        dob = f"{dob[:5]}{dob[8:]}-{dob[5:7]}"
    if rng.random() < 0.03:
        dob = None
    nhs = p["nhs"] if agency in ("GP", "HV") or rng.random() < 0.3 else ""
    postcode = p["postcode"] if rng.random() < 0.9 else ""
    return {"unique_id": uid, "agency": agency, "given_name": given, "family_name": family,
            "other_names": other, "date_of_birth": dob, "sex": p["sex"],
            "nhs_number": nhs, "postcode": postcode, "_person": p["pid"]}


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return population(180)  # about 450 people, 1,100 records: enough to train u and m


@pytest.fixture(scope="module")
def trained(records: list[dict[str, Any]]) -> dict[str, Any]:
    return model.train(records, seed=3)


def test_training_estimates_from_data_and_is_json(trained: dict[str, Any]) -> None:
    notes = trained["joinedup"]
    assert notes["records"] > model.MIN_RECORDS_FOR_U
    assert notes["estimated"]["u"] and notes["estimated"]["m"]
    assert json.loads(json.dumps(trained)) == trained
    assert 0 < trained["probability_two_random_records_match"] < 0.01


def test_training_is_deterministic_for_a_seed(records: list[dict[str, Any]],
                                              trained: dict[str, Any]) -> None:
    assert model.train(list(reversed(records)), seed=3) == trained


def test_a_nickname_and_maiden_name_still_match(trained: dict[str, Any]) -> None:
    married = record(1, "Katherine", "Hughes", "1990-03-14", other=["Jones"], agency="CSC")
    maiden = record(2, "Kate", "Jones", "1990-03-14", agency="POLICE")
    explanation = model.explain(married, maiden, trained)
    assert explanation.match_probability > 0.9
    labels = {c.comparison: c.label for c in explanation.comparisons}
    assert labels["given_name"] == "given names are known variants (Katherine / Kate)"
    assert labels["family_name"].startswith("one record's family name is among the other's")


def test_a_name_written_family_name_first_counts_once_as_the_same_name(
        trained: dict[str, Any]) -> None:
    first = record(1, "Hui", "Wang", "1999-11-18", postcode="SK7 9YS", agency="GP")
    second = record(2, "Wang", "Hui", "1999-11-18", postcode="SK7 9YS", agency="POLICE")
    explanation = model.explain(first, second, trained)
    assert explanation.match_probability > 0.95
    found = {c.comparison: c for c in explanation.comparisons}
    assert found["given_name"].level.startswith("names written the other way round")
    assert found["given_name"].match_weight > 5
    assert found["family_name"].level.endswith("counted under the given name")
    assert found["family_name"].match_weight == 0
    pairs = model.blocked_pairs([{**first, "date_of_birth": None}, second])
    assert pairs.num_rows == 1  # found by blocking with no date of birth in common


def test_the_same_nhs_number_and_date_of_birth_outweigh_a_name_and_address_changed(
        trained: dict[str, Any]) -> None:
    before = record(1, "Fatima", "Hassan", "1989-09-25", nhs="9434765919", postcode="SK1 3XE")
    after = record(2, "Fatimah", "Ibrahim", "1989-09-25", nhs="9434765919", postcode="M20 2BB")
    explanation = model.explain(before, after, trained)
    nhs = next(c for c in explanation.comparisons if c.comparison == "nhs_number")
    # set, not trained: one in a million random pairs, not the one in 100,000 that random
    # sampling gives (its sample holds the same person's records)
    assert nhs.match_weight > 19
    assert explanation.match_probability > 0.8


def test_siblings_at_one_address_do_not_match(trained: dict[str, Any]) -> None:
    older = record(1, "Oliver", "Hughes", "2015-06-01", "M", nhs="")
    younger = record(2, "Amelia", "Hughes", "2018-09-12", "F", nhs="")
    assert model.explain(older, younger, trained).match_probability < 0.5


def test_a_day_month_transposed_date_of_birth_is_its_own_level(trained: dict[str, Any]) -> None:
    a = record(1, "Aisha", "Khan", "1994-03-07")
    b = record(2, "Aisha", "Khan", "1994-07-03", postcode="")
    dob = model.explain(a, b, trained).comparisons[3]
    assert dob.field == "date of birth"
    assert dob.level == "dates of birth with day and month swapped" and dob.match_weight > 5


def test_explain_gives_one_entry_per_comparison_that_add_up(trained: dict[str, Any]) -> None:
    a = record(1, "Bill", "Evans", "1980-01-02", "M", nhs="9434765919")
    b = record(2, "William", "Evans", "1980-01-02", "M", nhs="9434765919", postcode="SK2 1AA")
    explanation = model.explain(a, b, trained)
    assert [c.comparison for c in explanation.comparisons] == [
        "nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "address",
        "sex"]
    assert all(c.label and c.field for c in explanation.comparisons)
    assert explanation.comparisons[0].label == "same NHS number (9434765919)"
    total = explanation.prior_match_weight + sum(c.match_weight for c in explanation.comparisons)
    assert total == pytest.approx(explanation.match_weight, abs=0.01)


def test_predict_finds_the_people_and_agrees_with_explain(records: list[dict[str, Any]],
                                                        trained: dict[str, Any]) -> None:
    pairs = model.predict(records, trained, threshold=0.01)
    person = {r["unique_id"]: r["_person"] for r in records}
    linked = [(a, b) for a, b, p, _ in pairs if p >= 0.9]
    true_pairs = sum(1 for a in records for b in records
                     if a["unique_id"] < b["unique_id"] and a["_person"] == b["_person"])
    right = sum(person[a] == person[b] for a, b in linked)
    assert right / len(linked) > 0.97 and right / true_pairs > 0.9
    by_id = {r["unique_id"]: r for r in records}
    a, b, probability, weight = pairs[len(pairs) // 2]
    explanation = model.explain(by_id[a], by_id[b], trained)
    assert explanation.match_probability == pytest.approx(probability, abs=1e-9)
    assert explanation.match_weight == pytest.approx(weight, abs=1e-9)


def test_predict_new_scores_only_pairs_with_new_records(records: list[dict[str, Any]],
                                                        trained: dict[str, Any]) -> None:
    new_ids = {r["unique_id"] for r in records[::7]}
    new = [r for r in records if r["unique_id"] in new_ids]
    old = [r for r in records if r["unique_id"] not in new_ids]
    found = model.predict_new(new, old, trained, threshold=0.01)
    assert found and all(a in new_ids or b in new_ids for a, b, _, _ in found)
    everything = model.predict(records, trained, threshold=0.01)
    expected = [p for p in everything if p[0] in new_ids or p[1] in new_ids]
    assert [p[:2] for p in found] == [p[:2] for p in expected]
    assert [p[2] for p in found] == pytest.approx([p[2] for p in expected], abs=1e-9)
    assert model.predict_new(new, None, trained) == model.predict(new, trained)


def test_a_tiny_dataset_trains_on_documented_defaults() -> None:
    tiny = population(5, seed=5)  # about 45 records, the size of the Baby S demo
    trained = model.train(tiny, seed=1)
    notes = trained["joinedup"]
    assert notes["estimated"] == {"u": [], "m": []} and notes["defaulted"]
    assert notes["term_frequencies"] == {}
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"][1:]:
            assert 0 < level["m_probability"] <= 1 and 0 < level["u_probability"] <= 1
    person = {r["unique_id"]: r["_person"] for r in tiny}
    linked = [(a, b) for a, b, p, _ in model.predict(tiny, trained) if p >= 0.9]
    assert linked and all(person[a] == person[b] for a, b in linked)


def test_blocking_finds_the_maiden_name_pair_and_not_strangers() -> None:
    rows = [record(1, "Katherine", "Hughes", None, other=["Jones"], postcode=""),
            record(2, "Kate", "Jones", None, postcode="M1 1AA"),
            record(3, "Zainab", "Ahmed", "2001-02-03", postcode="SK4 1AA")]
    pairs = model.blocked_pairs(rows)
    assert list(zip(pairs.column("unique_id_l").to_pylist(),
                    pairs.column("unique_id_r").to_pylist(), strict=True)) == [(1, 2)]


def test_chunked_prediction_gives_the_same_pairs(
        records: list[dict[str, Any]], trained: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = model.predict(records, trained, threshold=0.01)
    monkeypatch.setattr(model, "PREDICT_CHUNK_RECORDS", len(records) // 3)
    assert model.predict(records, trained, threshold=0.01) == whole


def test_namesakes_are_compared_only_with_a_birth_date_in_common_or_a_thin_record() -> None:
    rows = [record(1, "Katherine", "Hughes", None, other=["Jones"], postcode="",
                   agency="POLICE"),  # thin: a name and a maiden name, nothing else
            record(2, "Kate", "Jones", "1990-04-12", postcode="SK1 1AA"),
            record(3, "Katherine", "Jones", "1975-09-30", postcode="M20 2BB"),
            record(4, "Kate", "Jones", "1991-04-12", postcode="SK7 4DE"),  # year mistyped
            record(5, "Kate", "Jones", None, postcode="SK8 9ZZ", agency="REFUGE"),
            record(6, "Kate", "Jones", "1982-01-05", postcode="", agency="POLICE")]
    pairs = model.blocked_pairs(rows)
    found = set(zip(pairs.column("unique_id_l").to_pylist(),
                    pairs.column("unique_id_r").to_pylist(), strict=True))
    # the thin record 1 (smaller id) and record 5 without a date of birth (larger id) meet
    # every namesake; 2 and 4 share a day and month of birth; 3 shares nothing with 2 or 4;
    # 6 has a date of birth, so no postcode alone does not make it thin: it shares no part
    # of its birth date with 2, 3 or 4
    assert found == {(1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 4), (2, 5), (3, 5), (4, 5),
                     (5, 6)}


def test_training_needs_two_records() -> None:
    with pytest.raises(LinkageError, match="at least two"):
        model.train([record(1, "Amy", "Hall", None)])


def test_confirmed_pairs_are_used_as_labels_once_there_are_enough(
        records: list[dict[str, Any]], trained: dict[str, Any]) -> None:
    by_person: dict[Any, list[int]] = {}
    for record in records:
        by_person.setdefault(record["_person"], []).append(record["unique_id"])
    pairs = [(ids[0], ids[1]) for ids in by_person.values() if len(ids) > 1]
    few = model.train(records, seed=3, confirmed=pairs[: model.MIN_LABELS - 1])
    assert few == trained  # too few to move the weights
    labelled = model.train(records, seed=3, confirmed=pairs[:200])
    assert any("confirmed by data stewards" in note
               for note in labelled["joinedup"]["estimated"]["m"])
    assert labelled["comparisons"] != trained["comparisons"]
