"""Text read plainly for the guard, and the way back to what the author wrote."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.briefings.plain_text import plain, plain_text

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def test_look_alikes_are_read_as_the_plain_characters() -> None:
    assert plain("\uff2b\uff41\uff59\u200bleigh") == "Kayleigh"  # fullwidth, zero-width space
    assert plain("Kay\u00adleigh\u2060\ufeff\u200c\u200d") == "Kayleigh"  # soft hyphen, joiners
    assert plain("SK5\u00a08PB SK5\u202f8PB SK5\u20078PB") == "SK5 8PB SK5 8PB SK5 8PB"
    assert plain("\uff19\uff19\uff19 \u0664\u0661\u0662") == "999 412"  # fullwidth, Arabic-Indic
    assert plain("Zo\u00eb, Zoe\u0308, Sia\u0302n") == "Zoe, Zoe, Sian"
    assert plain("Danny\u2019s Danny\u02bcs 14\u2013Jun\u20141995 1\u20442") == \
        "Danny's Danny's 14-Jun-1995 1/2"


def test_what_was_found_is_given_back_as_written() -> None:
    original = "Seen by \uff2b\uff41\uff59\u00adleigh\u2019s GP at SK5\u00a08PB."
    read = plain_text(original)
    assert read.text == "Seen by Kayleigh's GP at SK5 8PB."
    name = read.text.index("Kayleigh")
    assert read.written(name, name + len("Kayleigh")) == "\uff2b\uff41\uff59\u00adleigh"
    postcode = read.text.index("SK5 8PB")
    start, end = read.original_span(postcode, postcode + len("SK5 8PB"))
    assert original[start:end] == "SK5\u00a08PB" and start == original.index("SK5")


@SETTINGS
@given(st.text(alphabet=string.printable.replace("`", "")))
def test_plain_ascii_is_left_as_it_is(text: str) -> None:
    read = plain_text(text)
    assert read.text == text
    assert read.starts == tuple(range(len(text)))


@SETTINGS
@given(st.text())
def test_every_plain_character_points_into_the_original_in_order(text: str) -> None:
    read = plain_text(text)
    assert len(read.text) == len(read.starts) == len(read.ends)
    assert list(read.starts) == sorted(read.starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(read.starts, read.ends, strict=True))
    if read.text:
        assert read.written(0, len(read.text)) in text
