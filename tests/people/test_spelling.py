"""How names are written (people/linkage/spelling.py): digits read as letters, slips
counted, Wade-Giles read as pinyin."""

from __future__ import annotations

from joinedup.people.linkage.spelling import normalise, pinyin, slips


def test_a_digit_in_a_name_is_the_letter_it_looks_like() -> None:
    assert normalise("Yu5uf") == "YUSUF" and normalise("8ridget") == "BRIDGET"
    assert normalise("Flat 2") == "FLAT"  # a word of digits only is not a name


def test_slips_count_letters_changed_dropped_added_or_swapped() -> None:
    assert slips("KATE", "KAET") == 1 and slips("KATE", "KATIE") == 1
    assert slips("AMELIA", "ISLA") == 4


def test_wade_giles_spellings_read_as_pinyin() -> None:
    assert pinyin("HSIN") == pinyin("XIN") == "XIN"
    assert pinyin("CHIEN") == pinyin("JIAN") == "JIAN"
    assert pinyin("HSU") == "XU" and pinyin("CHING") == "JING"
    assert pinyin("VIVIEN") == pinyin("VIVIAN")  # the same name in English too
    assert pinyin("QIAN") != pinyin("JIAN")  # two names in pinyin stay two
