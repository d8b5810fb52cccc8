"""Possible twins at one home, with no mother recorded: never joined automatically, and
a child written two ways is not taken for twins (people/linkage/home_twins.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.people.linkage import features, home_twins


def row(uid: int, given_name: str, *, family: str = "Stewart", dob: str | None = "2024-05-02",
        sex: str = "F", nhs: str = "", postcode: str = "SK5 8PB",
        address: str = "27 Alder Rise", other: list[str] | None = None) -> dict[str, Any]:
    return {"unique_id": uid, "agency": "GP", "given_name": given_name, "family_name": family,
            "other_names": other or [], "date_of_birth": dob, "sex": sex, "nhs_number": nhs,
            "postcode": postcode, "address": address, "uprn": ""}


def check(a: dict[str, Any], b: dict[str, Any]) -> Any:
    first, second = features.prepare([a, b]).to_pylist()
    return home_twins.twins_at_home(first, second)


def test_two_children_born_the_same_day_at_one_home_with_different_names_are_twins() -> None:
    twins = check(row(1, "Amelia"), row(2, "Isla", postcode="sk58pb"))
    assert twins is not None and (twins.a, twins.b, twins.mother) == (1, 2, None)
    assert twins.why == "different given names (Amelia and Isla)"
    assert twins.warning.startswith("Possible twins: both born 2 May 2024 and living at "
                                    "one home, with one family name, with different given")


def test_a_boy_and_a_girl_with_alike_names_are_twins() -> None:
    twins = check(row(1, "Rowan", sex="M"), row(2, "Rowena", sex="F"))
    assert twins is not None and twins.why == "different sexes (Rowan, M; Rowena, F)"
    # two names the nickname table knows, of different roots, are two names however alike
    twins = check(row(1, "Oliver", sex="M"), row(2, "Olivia", sex="F"))
    assert twins is not None and twins.why == "different given names (Oliver and Olivia)"
    twins = check(row(1, "Muhammad", sex="M"), row(2, "Mustafa", sex="M"))
    assert twins is not None and twins.why == "different given names (Muhammad and Mustafa)"


def test_two_babies_not_yet_named_with_different_nhs_numbers_are_twins() -> None:
    twins = check(row(1, "Baby", nhs="9434765919"), row(2, "Baby", nhs="9434765870"))
    assert twins is not None and twins.why == "different NHS numbers"


def test_one_child_written_two_ways_is_not_twins() -> None:
    for first, second in (("Katherine", "Kate"), ("Sienna", "Siena"), ("Baby", "Amelia"),
                          ("Mohammed", "Muhammad"), ("Nat", "Natalie")):
        assert check(row(1, first), at("HOSPITAL", row(2, second))) is None, (first, second)
        assert check(row(1, first), row(2, second)) is None or first == "Baby"  # one agency


def at(agency: str, record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "agency": agency}


def test_two_records_at_one_agency_one_without_a_given_name_are_twins() -> None:
    # the GP's "Kamran Khan" and its record of a "Khan" born the same day at the same house
    twins = check(row(1, "Kamran", family="Khan", sex="M"),
                  row(2, "", family="Khan", sex="M", nhs="9434765919"))
    assert twins is not None and twins.why == (
        "two records at one agency (GP: Kamran and no given name)")
    assert check(row(1, "Baby"), row(2, "")) is not None  # two unnamed babies at one GP
    assert check(row(1, "Baby"), row(2, "Amelia")).why == (
        "two records at one agency (GP: Baby and Amelia)")
    # at two agencies nothing says two children; one name twice at one agency is one child
    assert check(row(1, "Kamran", sex="M"), at("HOSPITAL", row(2, "", sex="M"))) is None
    assert check(row(1, "Amelia"), row(2, "Amelia")) is None
    # and a name written with the unnamed record's NHS number says one child
    assert check(row(1, "Amelia", nhs="9434765919"), row(2, "", nhs="9434765919")) is None


def test_a_nickname_on_one_record_and_a_slip_on_the_other_is_one_child() -> None:
    # neither the nickname table nor one slip alone says these are one name; both together
    # do; and one Chinese name romanised two ways
    for first, second in (("Tommy", "Th0mas"), ("Becky", "Bfcky"), ("Kasia", "Kasiq"),
                          ("Sasha", "Aleksandr"), ("Hsin", "Xin"), ("Chien", "Jian")):
        assert check(row(1, first, sex="M"), row(2, second, sex="M")) is None, (first, second)


def test_short_names_differing_in_their_first_letter_are_two_children() -> None:
    for first, second in (("Lei", "Wei"), ("Hao", "Tao"), ("Mia", "Pia")):
        twins = check(row(1, first), row(2, second))
        assert twins is not None, (first, second)
        assert twins.why == f"different given names ({first} and {second})"
    assert check(row(1, "Ali"), row(2, "Ail")) is None  # a slip, not another name


def test_names_sharing_a_start_with_long_different_endings_are_two_children() -> None:
    twins = check(row(1, "Olumide", sex="M"), row(2, "Oluwaseun", sex="M"))
    assert twins is not None and twins.why == "different given names (Olumide and Oluwaseun)"
    for first, second in (("Ibrahim", "Ibraheem"), ("Sergei", "Serhiy")):
        assert check(row(1, first, sex="M"), row(2, second, sex="M")) is None, (first, second)


def test_a_date_of_birth_with_day_and_month_swapped_is_the_same_day() -> None:
    twins = check(row(1, "Olivia", dob="2020-01-12"), row(2, "", sex="M", dob="2020-12-01"))
    assert twins is not None
    assert twins.why == ("different sexes (Olivia, F; no given name, M); one date of birth "
                         "with day and month swapped")


def test_dates_of_birth_one_digit_apart_are_one_day_slipped() -> None:
    # a slip in one record (or twins born either side of midnight)
    twins = check(row(1, "Amelia", dob="2024-05-02"), row(2, "Isla", dob="2024-05-03"))
    assert twins is not None
    assert twins.why == ("different given names (Amelia and Isla); dates of birth one digit "
                         "apart (2 May 2024 and 3 May 2024)")
    assert twins.warning.startswith("Possible twins: both born 2 May 2024")
    # a date kept as written, which could not be read, one digit from the other's
    twins = check(row(1, "Amelia", dob="202400502"), row(2, "Isla", dob="2024-05-02"))
    assert twins is not None and twins.born.isoformat() == "2024-05-02"
    assert twins.why == ("different given names (Amelia and Isla); one date of birth as "
                         "written (202400502) one digit from the other's")
    assert check(row(1, "Amelia", dob="202400502"), row(2, "Isla", dob="2024-06-03")) is None


def test_numbered_twins_written_family_name_first_are_twins() -> None:
    # "Chen Hao" and "Chen Jian": the family name written where the given name goes
    twins = check(row(1, "Chen", family="Hao", sex="M", nhs="9434765919"),
                  row(2, "Chen", family="Jian", sex="M", nhs="9434765870"))
    assert twins is not None
    assert twins.why == "different NHS numbers and names (Chen Hao and Chen Jian)"
    assert check(row(1, "Hao", family="Chen", sex="M", nhs="9434765919"),
                 row(2, "Chen", family="Jian", sex="M", nhs="9434765870"))
    # one child with two numbers, written both ways round: not twins
    assert check(row(1, "Hao", family="Chen", sex="M", nhs="9434765919"),
                 row(2, "Chen", family="Hao", sex="M", nhs="9434765870")) is None


def test_a_short_family_name_one_slip_apart_is_one_family() -> None:
    assert check(row(1, "Fatema", family="Liu"), row(2, "Shabana", family="Lku"))
    assert check(row(1, "Fatema", family="Liu"), row(2, "Shabana", family="L1u"))


def test_the_same_nhs_number_says_one_child_whatever_the_names() -> None:
    assert check(row(1, "Amelia", nhs="9434765919"), row(2, "Isla", nhs="9434765919")) is None


def test_twins_need_one_birth_date_one_family_name_and_one_home() -> None:
    assert check(row(1, "Amelia"), row(2, "Isla", dob="2023-05-03")) is None
    assert check(row(1, "Amelia"), row(2, "Isla", dob=None)) is None
    assert check(row(1, "Amelia", dob="2024O502"), row(2, "Isla", dob="2024-O5-02")) is None
    assert check(row(1, "Amelia"), row(2, "Isla", family="Brennan")) is None
    assert check(row(1, "Amelia"), row(2, "Isla", postcode="M40 7QS",
                                        address="19 Varley Court")) is None
    # one home known by its house and street where a postcode is missing
    assert check(row(1, "Amelia"), row(2, "Isla", postcode="", address="27 ALDER RISE"))
    # one family name known among the other's names, or written two ways
    assert check(row(1, "Amelia"), row(2, "Isla", family="Brennan", other=["Stewart"]))
    assert check(row(1, "Amelia"), row(2, "Isla", family="Stewaet"))
    assert check(row(1, "Łukasz", family="Wiśniewski", sex="M"),
                 row(2, "Oksana", family="Wiśniewska"))


def test_a_child_is_known_by_every_name_written_with_its_nhs_number() -> None:
    # the GP writes "David", the hospital "Wei", with one NHS number; the police write "Wei"
    # with none; Jian is a twin with his own number; a hospital's unnamed record holds
    # David's number
    table = features.prepare([
        row(1, "David", sex="M", nhs="9434765919"), row(2, "Wei", sex="M", nhs="9434765919"),
        row(3, "Wei", sex="M"), row(4, "Jian", sex="M"),
        at("HOSPITAL", row(5, "", sex="M", nhs="9434765919"))])
    rows = table.to_pylist()
    names = home_twins.names_of(table)
    assert home_twins.twins_at_home(rows[0], rows[2]) is not None  # David and Wei, alone
    assert home_twins.twins_at_home(rows[0], rows[2], names) is None
    assert home_twins.twins_at_home(rows[0], rows[3], names) is not None
    # the unnamed record is David, not Jian
    assert home_twins.twins_at_home(rows[4], rows[3]) is None
    twins = home_twins.twins_at_home(rows[4], rows[3], names)
    assert twins is not None and twins.why == "different given names (no given name and Jian)"
    assert [(t.a, t.b) for t in home_twins.among(table, [(1, 3), (1, 4), (3, 5), (4, 5)])] == [
        (1, 4), (4, 5)]


def test_one_twin_s_name_written_against_the_other_s_number_still_leaves_two_children() -> None:
    # Amelia and Isla hold their own numbers; a third record writes "Isla" with Amelia's
    table = features.prepare([row(1, "Amelia", nhs="9434765919"), row(2, "Isla", nhs="9434765870"),
                              row(3, "Isla", nhs="9434765919")])
    rows = table.to_pylist()
    twins = home_twins.twins_at_home(rows[0], rows[1], home_twins.names_of(table))
    assert twins is not None and twins.why == "different given names (Amelia and Isla)"


def test_a_full_name_written_the_other_way_round_is_one_child() -> None:
    # "Wu Wei" with no number, "Woo Wei" and "Wei Wu" with one: Wu and Woo alone read as two
    table = features.prepare([row(1, "Wu", family="Wei", sex="M"),
                              row(2, "Woo", family="Wei", sex="M", nhs="9434765919"),
                              row(3, "Wei", family="Wu", sex="M", nhs="9434765919")])
    rows = table.to_pylist()
    assert home_twins.twins_at_home(rows[0], rows[1]) is not None
    assert home_twins.twins_at_home(rows[0], rows[1], home_twins.names_of(table)) is None
    assert home_twins.among(table, [(1, 2)]) == []


def test_among_a_prepared_table_finds_the_twins_pair_only() -> None:
    table = features.prepare([row(1, "Amelia"), row(2, "Isla"), row(3, "Amelia", sex="F"),
                              row(4, "Jack", dob="1990-01-01", sex="M")])
    found = home_twins.among(table, [(1, 2), (1, 3), (2, 4)])
    assert [(t.a, t.b) for t in found] == [(1, 2)]


NAMES = st.sampled_from(["Amelia", "Isla", "Amelie", "Kate", "Katherine", "", "Baby", "Oliver",
                         "Olivia", "Mohammed", "Muhammad"])


DATES = st.sampled_from(["2020-01-12", "2020-12-01", "12/01/2020", "2020-01-13", None])
FAMILIES = st.sampled_from(["Chen", "Hao", "Stewart"])


@settings(max_examples=300, deadline=None)
@given(st.tuples(NAMES, NAMES, NAMES), st.tuples(st.sampled_from(["M", "F", "U", ""]),
                                                 st.sampled_from(["M", "F", "U", ""])),
       st.tuples(st.sampled_from(["", "9434765919", "9434765870"]),
                 st.sampled_from(["", "9434765919", "9434765870"])),
       st.tuples(DATES, DATES), st.tuples(FAMILIES, FAMILIES),
       st.sampled_from(["GP", "HOSPITAL"]))
def test_the_first_looks_never_drop_a_pair_the_full_check_would_keep_apart(
        names: tuple[str, str, str], sexes: tuple[str, str], numbers: tuple[str, str],
        dates: tuple[str | None, str | None], families: tuple[str, str], agency: str) -> None:
    a = row(1, names[0], sex=sexes[0], nhs=numbers[0], dob=dates[0], family=families[0])
    b = at(agency, row(2, names[1], sex=sexes[1], nhs=numbers[1], dob=dates[1],
                       family=families[1]))
    # a third record, elsewhere, with the first one's NHS number and perhaps another name
    c = row(3, names[2], nhs=numbers[0], dob="1990-01-01", postcode="M40 7QS")
    table = features.prepare([a, b, c])
    rows = table.to_pylist()
    found = home_twins.twins_at_home(rows[0], rows[1], home_twins.names_of(table))
    if found is not None:
        assert home_twins.might_be_twins(a, b)
    # the column-by-column first tests of among() keep every pair the rule would find
    assert [(t.a, t.b) for t in home_twins.among(table, [(1, 2)])] == (
        [(1, 2)] if found is not None else [])
