"""What the linkage model compares and how: comparison levels with plain-English labels and
default m/u values, the blocking rules, and the untrained Splink settings built from them.

:mod:`joinedup.people.linkage.model` trains and runs the model.
"""

from __future__ import annotations

from typing import Any

from splink import block_on

DEFAULT_SEED = 20240815

# Comparison -> levels: (sql condition, plain label, default m, default u); the null level
# first, "ELSE" last. Defaults: m from typical recording error rates in English agency data
# (a few per cent of given names mistyped or shortened, ~15% of married women under another
# surname, ~35% of postcodes stale after a move); u from a local-authority population (a
# given name shared by ~1% of random pairs, a family name by ~0.5%, a birth date by ~1 in
# 10,000, a postcode by ~1 in 1,000, sex by half).
_Level = tuple[str, str, float | None, float | None]
_DAYS_APART = "abs(datediff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE)))"


def _missing(column: str, what: str, note: str = "") -> _Level:
    return (f"{column}_l IS NULL OR {column}_r IS NULL",
            f"{what} missing on one or both records{note}", None, None)


# Addresses. The postcode and family name comparisons already count a shared postcode and
# a household's shared name, so the address says only what they have not (see
# ADDRESS_CONDITIONS): at the same postcode, whether it is the same house (for people with
# unlike family names: one household's members share both anyway); where a record has no
# postcode, the house and street stand in for it. A house is the same if the UPRNs are
# equal or, where a record has no UPRN, the house number (or name) and street are, and the
# flats are where both records give one. Family names are alike if the same, one among the
# other's names, or similar (the family name levels 1 to 4: a transliteration or typo).
_SAME_POSTCODE = "coalesce(postcode_std_l = postcode_std_r, false)"
_NO_POSTCODE = "(postcode_std_l IS NULL OR postcode_std_r IS NULL)"
_SAME_FAMILY = ("coalesce(family_std_l = family_std_r OR list_has_any(surnames_l, surnames_r) "
                "OR jaro_winkler_similarity(family_std_l, family_std_r) >= 0.8, false)")
_BOTH_UPRN = "(uprn_l IS NOT NULL AND uprn_r IS NOT NULL)"
_HOUSE_AND_STREET = (
    "coalesce(house_number_l = house_number_r AND street_std_l = street_std_r AND "
    "(flat_l IS NULL OR flat_r IS NULL OR flat_l = flat_r), false)")
_SAME_HOUSE = f"(({_BOTH_UPRN} AND uprn_l = uprn_r) OR (NOT {_BOTH_UPRN} AND {_HOUSE_AND_STREET}))"
_HOUSES_KNOWN = (f"({_BOTH_UPRN} OR (house_number_l IS NOT NULL AND house_number_r IS NOT NULL"
                 " AND street_std_l IS NOT NULL AND street_std_r IS NOT NULL))")
_NOTHING_TO_ADD = (
    f"(NOT {_BOTH_UPRN} AND (street_std_l IS NULL OR street_std_r IS NULL)) "
    f"OR ({_SAME_POSTCODE} AND ({_SAME_FAMILY} OR NOT {_HOUSES_KNOWN}))")
_ELSEWHERE = "where a record has no postcode"


def _as_written(column: str, what: str, unit: str,
                mu: tuple[tuple[float, float], ...]) -> list[_Level]:
    """Levels for a value kept as written because it could not be read (a date of birth
    "199907150", an NHS number failing Modulus 11; features.py ``dob_text``, ``nhs_text``):
    its digits against the other record's, read or as written, by edit distance."""
    written = f"({column}_text_l IS NOT NULL OR {column}_text_r IS NOT NULL)"
    distance = f"damerau_levenshtein({column}_digits_l, {column}_digits_r)"
    return [(f"{written} AND {distance} <= 1", f"{what} as written within one {unit} of the "
             "other's", *mu[0]),
            (f"{written} AND {distance} <= 2", f"{what} as written two {unit}s from the "
             "other's", *mu[1]),
            (written, f"{what} as written (unreadable) unlike the other's", *mu[2])]


_OTHER_WAY_ROUND = ("given_std_l = family_std_r AND family_std_l = given_std_r",
                    "names written the other way round (given and family name swapped)")
"""A name written family name first (as many Chinese, Korean, Vietnamese and Hungarian
names are) and given name first at another agency. The given name comparison counts it
(about as much as the same full name); the family name comparison finds it too, so that
it is not read as a different family name, but counts it for nothing (FIXED), and at one
postcode it is one household's name, as the same family name is. Last before
"different": any likeness of the names as written is found first."""


LEVELS: dict[str, list[_Level]] = {
    "nhs_number": [
        _missing("nhs_digits", "NHS number"),
        ("nhs_l = nhs_r", "same NHS number", 0.998, 1e-6),
        # hamming() first: far cheaper, and a swap changes only two of the ten digits
        ("hamming(nhs_l, nhs_r) <= 2 AND damerau_levenshtein(nhs_l, nhs_r) <= 1",
         "NHS numbers one digit or one swap apart", 1e-4, 1e-4),
        *_as_written("nhs", "NHS number", "digit",
                     ((0.003, 3e-5), (0.001, 1e-4), (5e-4, 5e-4))),
        ("ELSE", "different NHS numbers", 0.0019, 0.9999)],
    "given_name": [
        _missing("given_std", "given name", " (or only 'Baby')"),
        ("given_std_l = given_std_r", "same given name", 0.85, 0.01),
        ("given_root_l = given_root_r", "given names are known variants", 0.07, 0.002),
        ("damerau_levenshtein(given_std_l, given_std_r) <= 1 OR "
         "jaro_winkler_similarity(given_std_l, given_std_r) >= 0.92",
         "given names very similar (a likely typo)", 0.03, 0.004),
        ("jaro_winkler_similarity(given_std_l, given_std_r) >= 0.8",
         "given names somewhat similar", 0.02, 0.04),
        (*_OTHER_WAY_ROUND, 0.01, 1e-5),
        ("ELSE", "different given names", 0.03, 0.944)],
    "family_name": [
        _missing("family_std", "family name"),
        ("family_std_l = family_std_r", "same family name", 0.80, 0.005),
        ("list_has_any(surnames_l, surnames_r)", "one record's family name is among the "
         "other's names (maiden name or alias)", 0.10, 0.001),
        ("damerau_levenshtein(family_std_l, family_std_r) <= 1 OR "
         "jaro_winkler_similarity(family_std_l, family_std_r) >= 0.92",
         "family names very similar (a likely typo)", 0.03, 0.003),
        ("jaro_winkler_similarity(family_std_l, family_std_r) >= 0.8",
         "family names somewhat similar", 0.01, 0.03),
        (_OTHER_WAY_ROUND[0], f"{_OTHER_WAY_ROUND[1]}: counted under the given name",
         1e-5, 1e-5),
        ("ELSE", "different family names", 0.06, 0.961)],
    "date_of_birth": [
        _missing("dob_digits", "date of birth"),
        ("dob_l = dob_r", "same date of birth", 0.93, 1e-4),
        ("dob_l = dob_swapped_r", "dates of birth with day and month swapped", 0.02, 2e-5),
        # ISO dates are all ten characters, so Levenshtein 1 is Hamming 1 (and cheaper)
        ("hamming(dob_l, dob_r) <= 1", "dates of birth one character apart", 0.02, 3e-4),
        (f"{_DAYS_APART} <= 366", "dates of birth within a year of each other", 0.01, 0.03),
        (f"{_DAYS_APART} <= 3653", "dates of birth one to ten years apart", 0.002, 0.3),
        *_as_written("dob", "date of birth", "character", ((0.01, 1.5e-4), (0.005, 5e-4),
                                                            (0.002, 0.02))),
        ("ELSE", "dates of birth more than ten years apart", 0.001, 0.6696)],
    "postcode": [
        _missing("postcode_std", "postcode"),
        (f"postcode_std_l = postcode_std_r AND (family_std_l = family_std_r OR "
         f"({_OTHER_WAY_ROUND[0]}))",
         "same postcode, with the same family name (as one household has)", 0.75, 0.08),
        ("postcode_std_l = postcode_std_r", "same postcode", 0.75, 3e-4),
        ("outward_l = outward_r", "same postcode district", 0.05, 0.1),
        ("ELSE", "different postcode districts", 0.2, 0.8997)],
    "address": [
        (_NOTHING_TO_ADD, "address missing on one or both records (or adding nothing to the "
         "same postcode)", None, None),
        (f"{_SAME_POSTCODE} AND {_SAME_HOUSE}", "the same house, as well as the same "
         "postcode", 0.95, 0.1),
        (_SAME_POSTCODE, "another house at the same postcode", 0.05, 0.9),
        (f"{_NO_POSTCODE} AND {_SAME_HOUSE} AND {_SAME_FAMILY}", "the same house, with a "
         f"like family name (as one household has), {_ELSEWHERE}", 0.9, 0.1),
        (f"{_NO_POSTCODE} AND {_BOTH_UPRN} AND uprn_l = uprn_r",
         f"same UPRN (the same property), {_ELSEWHERE}", 0.6, 1e-5),
        (f"{_NO_POSTCODE} AND {_HOUSE_AND_STREET}",
         f"same house number and street, {_ELSEWHERE}", 0.6, 2e-5),
        ("street_std_l = street_std_r AND (house_number_l IS NULL OR house_number_r IS NULL)",
         "same street (a house number missing)", 0.05, 0.003),
        ("ELSE", "different addresses (or different postcodes)", 0.9, 0.997)],
    "sex": [
        _missing("sex", "sex", " (or not known)"),
        ("sex_l = sex_r", "same sex", 0.99, 0.5),
        ("ELSE", "different sex", 0.01, 0.5)],
}
FIXED = {("nhs_number", 1): "mu", ("nhs_number", 2): "mu", ("nhs_number", 3): "mu",
         ("nhs_number", 4): "mu", ("nhs_number", 5): "mu", ("nhs_number", 6): "m",
         ("family_name", 5): "mu"}
"""Levels whose m (and u) are set, not trained. Two different people share a valid NHS
number only by a recording slip (a mother's number on her baby's record): far more rarely
than the one in 100,000 random sampling gives, since the pairs it samples include the same
person's records, and for a field this discriminating those are most of the agreements it
finds. So the same NHS number's u is set. NHS numbers pass the Modulus 11 check
(features.py), which catches every single-digit slip and adjacent swap: two valid numbers
one digit apart are different numbers (often twins' consecutive numbers), so that level
is neutral; and a person's number differs between agencies very rarely (a mother's number
on her baby's record), far more rarely than EM estimates when lookalikes (a son named
after his father, twins) sit in its training pairs. A number as written that is not valid
(levels 3 to 5) is most likely a slip in the other's number when one digit from it, less
likely when two (twins' numbers are often two digits apart), and says nothing when unlike
it (junk, or another person's number); too rare for EM to estimate, so set."""
HOUSEHOLD = ("postcode", 1, 2)
"""The postcode levels whose weight is conditional on the family name comparison. People
who share a family name and a postcode are usually one household (parents, children,
twins), so the two agreements are not independent evidence: after training, the m and u
of "same postcode" are divided by the family name's exact-match m and u (and by their
complements for "same postcode" with another family name). Without this, a record with
nothing but a family name and a postcode (an unborn baby) matches the whole household."""
_Condition = tuple[str, tuple[int, ...], bool]
_NOT_SAME_POSTCODE: _Condition = ("postcode", (1, 2), True)
_LIKE_FAMILY: _Condition = ("family_name", (1, 2, 3, 4), False)
_UNLIKE_FAMILY: _Condition = ("family_name", (1, 2, 3, 4), True)
ADDRESS_CONDITIONS: dict[int, list[_Condition]] = {
    1: [("postcode", (2,), False)], 2: [("postcode", (2,), False)],
    3: [_LIKE_FAMILY], 4: [_UNLIKE_FAMILY], 5: [_UNLIKE_FAMILY],
    6: [_NOT_SAME_POSTCODE], 7: [_NOT_SAME_POSTCODE]}
"""What each address level is conditional on: (comparison, its levels, complement). The
address is not independent of the postcode (one house has one postcode) nor, within one
house, of the family name, so after training each address level's m and u are divided by
the trained m and u of those levels of the other comparison (or by one minus them): the
address then says only what the postcode and family name have not. Without this, a
household's members (twins above all) would count their shared home twice. The levels for
a record without a postcode need no division by the postcode: a missing postcode is as
common for the same person as for different people, so it cancels. The defaults are
already conditional."""
ADDRESS_DIFFERS = (2, 7)
"""Address levels that are never evidence for the same person: where training leaves
one of their m and u to its default, the two could say otherwise, so m is kept at most u."""
TF_COLUMNS = {("given_name", 1): "given_std", ("family_name", 1): "family_std"}
COMPARED_COLUMNS = ("unique_id", "given_std", "given_root", "family_std", "surnames", "dob",
                    "dob_swapped", "dob_year", "dob_text", "dob_digits", "nhs", "nhs_text",
                    "nhs_digits", "postcode_std", "outward", "sex", "uprn", "house_number",
                    "flat", "street_std")
"""The prepared columns the comparisons and blocking rules read: the model is handed only
these (the rest, such as the names as written, would only be copied by Splink, taking
memory). A column missing here fails scoring loudly (tests/people/test_linkage_model.py)."""
FIELD_NAMES = {"nhs_number": "NHS number", "given_name": "given name",
               "family_name": "family name", "date_of_birth": "date of birth",
               "postcode": "postcode", "address": "address", "sex": "sex"}

DEFAULT_M = {name: [m for _, _, m, _ in levels[1:]] for name, levels in LEVELS.items()}
"""Fallback m probabilities per comparison, levels in order (null level excluded)."""
DEFAULT_U = {name: [u for _, _, _, u in levels[1:]] for name, levels in LEVELS.items()}
"""Fallback u probabilities per comparison, levels in order (null level excluded)."""

_THIN = "{side}.dob IS NULL"
BLOCKING_RULES: list[Any] = [
    block_on("nhs"),
    block_on("surnames", "given_root", "dob_year", arrays_to_explode=["surnames"]),
    block_on("surnames", "given_root", "substr(dob, 6, 5)", arrays_to_explode=["surnames"]),
    *({"blocking_rule": 'l."surnames" = r."surnames" AND l."given_root" = r."given_root" '
                       f"AND {_THIN.format(side=side)}", "arrays_to_explode": ["surnames"]}
      for side in ("l", "r")),
    block_on("given_root", "postcode_std"),
    block_on("family_std", "postcode_std"),
    block_on("given_root", "uprn"),
    block_on("given_root", "house_number", "street_std"),
    block_on("family_std", "house_number", "street_std"),
    block_on("postcode_std", "house_number"),
    block_on("dob", "postcode_std"),
    block_on("dob", "house_number"),
    "l.given_std = r.family_std AND l.family_std = r.given_std",
    block_on("dob", "substr(given_std, 1, 1)"),
    block_on("dob", "substr(family_std, 1, 1)"),
    "l.dob = r.dob_swapped AND substr(l.family_std, 1, 1) = substr(r.family_std, 1, 1)",
]
"""Candidate pairs: a pair is compared if any rule holds. Each rule catches true pairs that
the others miss: the same NHS number; a shared surname (family name, maiden name or alias)
with the same given-name root and the same year of birth, or the same day and month of
birth (a mistyped year), or where one record lacks a date of birth (a thin record, such
as a police or refuge record of a woman known only by her name and maiden name, is
compared with every namesake: the "l" and "r" rules are its two sides; a record with a
date of birth but no postcode is found by its namesakes born the same year or day); the same
given-name root or family name at one postcode (the second catches unborn babies, who
have only a family name); the same given-name root at one address (by UPRN, or house
number and street), or the same family name at one house number and street (the postcode
missing or mistyped); one house (the same postcode and house number: both names misspelt,
or a married name with a nickname); the same date of birth at one postcode, or at one
house number (the postcode missing or mistyped, and both names mistyped or swapped); names
written the other way round; the same date of birth with the same first letter of given or
family name (so a married name with a nickname is still found); day and month swapped.

A shared surname and given-name root alone pairs every namesake in the population (59
candidate pairs per record at 10^6 records); asking namesakes with full records to share
something of their birth date as well gives 14 per record at 10^6 for the same blocking
recall (0.9993 on the demo generator's population at 10^5 and 10^6 records, seed 7, the
same true pairs missed; benchmarks/linkage.py, docs/decisions/0006). Each rule is an
equi-join, so the database never enumerates the namesakes it then drops. A bare
date-of-birth rule found 2 more true pairs in 10^5 records for 486,000 more candidates,
growing with the square of the population. Comparing a record with a date of birth but no
postcode with every namesake as well (as a thin record) added 30% to the candidate pairs
of the varied population (10^5 records; seeds 7, 21 and 22) and found one true pair in
all three that the other rules miss, which was not linked."""
DETERMINISTIC_RULES: list[Any] = [
    "l.nhs = r.nhs", "l.given_std = r.given_std AND l.family_std = r.family_std AND l.dob = r.dob"]
EM_PLANS: list[list[tuple[str, ...]]] = [[("nhs",)], [("dob",), ("given_root", "family_std")]]
"""EM passes: the first plan whose rules all give MIN_PAIRS_FOR_EM pairs runs. Pairs that
share an NHS number are nearly all the same person, so the m of every other comparison is
estimated cleanly from them; without NHS numbers, two passes (date of birth; names)."""


def condition_address_on_postcode(trained: dict[str, Any]) -> None:
    """Make the address levels conditional on the postcode and family name comparisons
    (ADDRESS_CONDITIONS), in a trained model. Runs before the postcode is made conditional
    on the family name (HOUSEHOLD), on the joint m and u that training gave."""
    by_name = {c["output_column_name"]: c["comparison_levels"] for c in trained["comparisons"]}
    conditioned = {index: dict(by_name["address"][index]) for index in ADDRESS_CONDITIONS}
    for index, conditions in ADDRESS_CONDITIONS.items():
        for key in ("m_probability", "u_probability"):
            value = conditioned[index].get(key)
            for name, indices, complement in conditions:
                shares = [by_name[name][i].get(key) for i in indices]
                if not isinstance(value, (int, float)) or not all(
                        isinstance(v, (int, float)) for v in shares):
                    break
                share = 1 - sum(shares) if complement else sum(shares)
                if 0 < share < 1:
                    value = value / share
            if isinstance(value, (int, float)):
                by_name["address"][index][key] = min(1.0, value)


def address_differs_never_for(trained: dict[str, Any]) -> None:
    """Keep the address levels that say "another house" from counting for the same person."""
    levels = next(c["comparison_levels"] for c in trained["comparisons"]
                  if c["output_column_name"] == "address")
    for index in ADDRESS_DIFFERS:
        levels[index]["m_probability"] = min(levels[index]["m_probability"],
                                             levels[index]["u_probability"])


def _comparison(name: str) -> dict[str, Any]:
    levels = []
    for index, (sql, label, m, u) in enumerate(LEVELS[name]):
        level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
        if index == 0:
            level["is_null_level"] = True
        fixed = FIXED.get((name, index), "")
        for kind, value in (("m", m), ("u", u)):
            if kind in fixed:
                level[f"{kind}_probability"] = value
                level[f"fix_{kind}_probability"] = True
        if (name, index) in TF_COLUMNS:
            level["tf_adjustment_column"] = TF_COLUMNS[(name, index)]
            level["tf_adjustment_weight"] = 1.0
        levels.append(level)
    return {"output_column_name": name, "comparison_description": FIELD_NAMES[name],
            "comparison_levels": levels}


def settings(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The untrained Splink settings: dedupe_only on unique_id, our comparisons and rules."""
    return {
        "link_type": "dedupe_only", "unique_id_column_name": "unique_id",
        "comparisons": [_comparison(name) for name in LEVELS],
        "blocking_rules_to_generate_predictions": [_rule_dict(r) for r in BLOCKING_RULES],
        "probability_two_random_records_match": 1e-4, "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False, "max_iterations": 25,
        "em_convergence": 1e-4, "linker_uid": f"joinedup{abs(seed) % 10**8}",
    }


def splink_settings(model: dict[str, Any]) -> dict[str, Any]:
    """A stored model's Splink settings: without its ``"joinedup"`` key (not Splink's), and
    keeping no copy of the compared values with the scored pairs, which are read back by
    their ids alone (a model trained before asked for one: 290 MB more at a million
    records)."""
    return {**{key: value for key, value in model.items() if key != "joinedup"},
            "retain_matching_columns": False}


def _rule_dict(rule: Any) -> Any:
    if isinstance(rule, str):
        return rule
    if isinstance(rule, dict):
        return {"sql_dialect": "duckdb", **rule}
    return rule.create_blocking_rule_dict("duckdb")
