"""What each comparison's finding means, in words beside its weight: never "same postcode
district" next to a negative weight without saying why it counts against."""

from __future__ import annotations

from types import SimpleNamespace

from joinedup.web.steward.pair_words import plain_finding

A = SimpleNamespace(postcode="SK1 3XE")
B = SimpleNamespace(postcode="SK1 4AB")


def test_a_shared_district_with_a_negative_weight_says_why_it_counts_against() -> None:
    words = plain_finding("postcode", "same postcode district", -1.8, A, B)
    assert words.startswith("Same postcode district (SK1)")
    assert "counts against" in words and "share the full postcode" in words


def test_a_shared_district_with_little_weight_is_weak_evidence() -> None:
    words = plain_finding("postcode", "same postcode district", 0.2, A, B)
    assert words == "Same postcode district (SK1): common here, so weak evidence"


def test_a_missing_value_is_no_evidence_and_agreement_counts_for() -> None:
    assert plain_finding("nhs_number", "NHS number missing on one or both records", 0.0, A,
                         B).endswith("nothing to compare, so no evidence either way")
    assert plain_finding("date_of_birth", "same date of birth", 9.1, A, B) == (
        "Same date of birth: counts for the same person")


def test_a_level_it_does_not_know_still_gets_words_for_its_weight() -> None:
    words = plain_finding("address", "same street, different house number", -2.0, A, B)
    assert words.startswith("Same street, different house number: counts against")
    assert plain_finding("address", "different streets", -3.0, A, B) == (
        "Different streets: counts against")


def test_a_value_kept_as_written_says_what_it_means() -> None:
    near = plain_finding("date_of_birth", "date of birth as written within one character of "
                         "the other's", 6.1, A, B)
    assert near == ("Date of birth as written within one character of the other's: counts "
                    "for the same person")
    junk = plain_finding("nhs_number", "NHS number as written (unreadable) unlike the other's",
                         0.0, A, B)
    assert junk.endswith("may be a slip, junk or another person's number, so no evidence "
                         "either way")
