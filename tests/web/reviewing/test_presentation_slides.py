"""Presentation mode's slides: a long part is split so each slide fits a 1024x768 screen
(the browser test measures it), every word shown once and in order."""

from __future__ import annotations

from joinedup.briefings import Block, blocks
from joinedup.web.reviewing.presentation import (
    QUESTIONS_PAGE,
    WORDS_PER_PIECE,
    WORDS_PER_SLIDE,
    slides_of,
    split,
)


def words_of(slide: list[Block]) -> list[str]:
    return [word for block in slide for line in block.lines for word in line.split()]


def test_a_short_part_is_one_slide() -> None:
    assert split(blocks("Short.\n\n- one\n- two")) == [blocks("Short.\n\n- one\n- two")]


def test_one_long_paragraph_is_split_between_sentences() -> None:
    sentence = "Each agency held one piece of what was happening to the family at home."
    text = " ".join([sentence] * 12)
    slides = split(blocks(text))
    assert len(slides) > 1
    assert [w for s in slides for w in words_of(s)] == text.split()  # nothing lost
    for slide in slides:
        pieces = sum(len(b.lines) for b in slide)
        assert len(words_of(slide)) + pieces * WORDS_PER_PIECE <= WORDS_PER_SLIDE
        assert all(line.endswith(".") for b in slide for line in b.lines)


def test_a_long_list_stays_a_list_on_each_slide() -> None:
    text = "\n".join(f"- Point {n}: ask who else lives at or visits the home today." for n in
                     range(10))
    slides = split(blocks(text))
    assert len(slides) > 1
    assert all([b.kind for b in s] == ["ul"] for s in slides)
    assert [line for s in slides for b in s for line in b.lines] == \
        [f"Point {n}: ask who else lives at or visits the home today." for n in range(10)]


def test_the_questions_carry_on_their_numbers_from_slide_to_slide() -> None:
    parts: list[dict[str, object]] = [{"number": n, "label": f"Part {n}",
                                       "blocks": blocks("Text.")} for n in range(1, 8)]
    questions = [f"Question {n}: what would help us notice sooner, and who will do it now?"
                 for n in range(1, 7)]
    slides = slides_of(parts, questions, "/briefings/1/present/")
    asked = [s for s in slides if s.number == QUESTIONS_PAGE]
    assert len(asked) > 1
    assert [s.first_item for s in asked][0] == 1
    for before, after in zip(asked, asked[1:], strict=False):
        assert after.first_item == before.first_item + sum(len(b.lines) for b in before.blocks)
    assert slides[6].next_words == "Next: questions for your team"
    assert asked[1].address == "/briefings/1/present/?part=8&slide=2"
    assert asked[1].progress == f"After the 7 parts: discussion, slide 2 of {len(asked)}"
    assert slides[0].previous is None and asked[-1].next is None
